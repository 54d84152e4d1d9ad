package schemas_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/schemas"
)

func TestHealthEndpointURLs(t *testing.T) {
	v := newValidator(t)
	valid := []string{
		"http://localhost:5590/api/v1/omf",
		"https://example.com",
		"HTTPS://Example.COM/piwebapi/omf/",
		"https://uswe.datahub.connect.aveva.com/api/v1/Tenants/t/Namespaces/n/omf",
		"https://[::1]:8443/omf",
		"http://user:pass@host/omf?x=1&y=%20#frag",
		"https://bücher.example/omf", // an IRI: letters beyond ASCII
	}
	invalid := []string{
		"",
		"/relative/path",
		"example.com/omf",
		"//example.com/omf",
		"ftp://example.com/omf",
		"file:///C:/omf",
		"mailto:someone@example.com",
		"http:example.com",
		"http://",
		"http:///omf",
		"http://:8080/omf",
		"http://exa mple.com/",
		"http://example.com/a b",
		" http://example.com",
		"http://example.com\n",
		"http://example.com/<omf>",
		`http://example.com/"omf"`,
		"http://example.com/%zz",
		"http://example.com/%2",
		"http://example.com:port/",
	}
	check := func(t *testing.T, url string, ok bool) {
		t.Helper()
		for _, prop := range []string{"Endpoint", "TokenEndpoint"} {
			body := map[string]any{"Endpoint": "http://valid.example", prop: url}
			text, _ := json.Marshal(body)
			_, err := v.Decode(schemas.OnPremHealthEndpoint, text, nil)
			if ok && err != nil {
				t.Errorf("%s %q: %v", prop, url, err)
			}
			want := `property "` + prop + `": ` + strings.TrimSuffix(string(mustJSON(t, url)), "\n") + ` is not a well-formed absolute http or https URL`
			if !ok && (err == nil || err.Error() != want) {
				t.Errorf("%s %q: error %v, want %s", prop, url, err, want)
			}
		}
	}
	for _, u := range valid {
		check(t, u, true)
	}
	for _, u := range invalid {
		check(t, u, false)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return []byte(b.String())
}

func TestDecodeHealthEndpoints(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name   string
		schema string
		body   string
		want   string // canonical document, or the Reason of the error
		fails  bool
	}{
		{"the documentation's ADH example", schemas.OnPremHealthEndpoint,
			`{"Id":"ADH","Endpoint":"https://adh.example/omf","ClientId":"c","ClientSecret":"s"}`,
			`{"Id":"ADH","Endpoint":"https://adh.example/omf","ClientId":"c","ClientSecret":"s"}`, false},
		{"the documentation's PI Web API example in camel case", schemas.OnPremHealthEndpoint,
			`{"id":"PI Web API","endpoint":"https://pi:443/piwebapi/omf/","username":"u","password":"p","validateEndpointCertificate":false}`,
			`{"Id":"PI Web API","Endpoint":"https://pi:443/piwebapi/omf/","Username":"u","Password":"p","ValidateEndpointCertificate":false}`, false},
		{"without Endpoint", schemas.OnPremHealthEndpoint, `{"Id":"x"}`, `property "Endpoint" is required`, true},
		{"null Endpoint", schemas.OnPremHealthEndpoint, `{"Endpoint":null}`, `property "Endpoint": must be a string, not null`, true},
		{"null TokenEndpoint", schemas.OnPremHealthEndpoint, `{"Endpoint":"http://a","TokenEndpoint":null}`, `{"Endpoint":"http://a","TokenEndpoint":null}`, false},
		{"certificate flag not a boolean", schemas.OnPremHealthEndpoint, `{"Endpoint":"http://a","ValidateEndpointCertificate":"no"}`,
			`property "ValidateEndpointCertificate": must be a boolean, not a string`, true},
		{"an array to Put", schemas.OnPremHealthEndpointList, `[{"endpoint":"http://a"},{"Endpoint":"http://b","Id":"b"}]`,
			`[{"Endpoint":"http://a"},{"Endpoint":"http://b","Id":"b"}]`, false},
		{"an empty array to Put", schemas.OnPremHealthEndpointList, `[]`, `[]`, false},
		{"an object to Put", schemas.OnPremHealthEndpointList, `{"Endpoint":"http://a"}`, `the request body must be a JSON array, not an object`, true},
		{"a bad element", schemas.OnPremHealthEndpointList, `[{"Endpoint":"http://a"},{"Id":"b"}]`, `property "[1].Endpoint" is required`, true},
		{"a null element", schemas.OnPremHealthEndpointList, `[null]`, `property "[0]": must be an object, not null`, true},
		{"one to Post", schemas.OnPremHealthEndpointOrList, `{"endpoint":"http://a"}`, `{"Endpoint":"http://a"}`, false},
		{"an array to Post", schemas.OnPremHealthEndpointOrList, `[{"endpoint":"http://a"}]`, `[{"Endpoint":"http://a"}]`, false},
		{"a string to Post", schemas.OnPremHealthEndpointOrList, `"http://a"`, `the request body must be a JSON object or array, not a string`, true},
		{"a bad element to Post", schemas.OnPremHealthEndpointOrList, `[{"Endpoint":"ftp://a"}]`,
			`property "[0].Endpoint": "ftp://a" is not a well-formed absolute http or https URL`, true},
		{"a whole configuration", schemas.OnPremConfiguration,
			`{"logging":{"logLevel":"error"},"healthEndpoints":[{"endpoint":"http://a"}]}`,
			`{"Logging":{"LogLevel":"Error"},"HealthEndpoints":[{"Endpoint":"http://a"}]}`, false},
		{"a configuration of nulls", schemas.OnPremConfiguration, `{"Logging":null,"HealthEndpoints":null}`, `{"Logging":null,"HealthEndpoints":null}`, false},
		{"a configuration that is a list", schemas.OnPremConfiguration, `[]`, `the request body must be a JSON object, not an array`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.fails {
				decodesTo(t, v, tt.schema, tt.body, tt.want)
				return
			}
			_, err := v.Decode(tt.schema, []byte(tt.body), nil)
			var de *schemas.DecodeError
			if !errors.As(err, &de) || de.Reason != tt.want {
				t.Errorf("Decode error = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestDecodeIntoTheTree(t *testing.T) {
	// *[]any and *any receive the canonical tree, as *map[string]any does.
	v := newValidator(t)
	var list []any
	if _, err := v.Decode(schemas.OnPremHealthEndpointOrList, []byte(`[{"endpoint":"http://a"}]`), &list); err != nil {
		t.Fatal(err)
	}
	if m, _ := list[0].(map[string]any); len(list) != 1 || m["Endpoint"] != "http://a" {
		t.Errorf("decoded %#v", list)
	}
	var doc any
	if _, err := v.Decode(schemas.OnPremRoleOverrideConfiguration, []byte(`{"value":"secondary"}`), &doc); err != nil {
		t.Fatal(err)
	}
	if m, _ := doc.(map[string]any); m["Value"] != json.Number("2") {
		t.Errorf("decoded %#v", doc)
	}
	var m map[string]any // an array into a map is the caller's mistake
	_, err := v.Decode(schemas.OnPremHealthEndpointOrList, []byte(`[]`), &m)
	var de *schemas.DecodeError
	if err == nil || errors.As(err, &de) {
		t.Errorf("an array into a map: error %v, want a plain error", err)
	}
}

// On-premises answers as the emulator should write them.
const (
	healthAnswer = `{"Id":"ADH","Endpoint":"https://adh.example/omf","Username":null,"Password":null,"ClientId":"c","ClientSecret":null,"TokenEndpoint":null,"ValidateEndpointCertificate":true}`
	onPremSess   = `{"Id":"s1","Name":"a","Heartbeat":{"FailoverScore":100,"LastDataProcessedTime":null,"HeartbeatTime":null},"Role":0,"HeartbeatPosted":true,"RoleOverride":2,"RoleOverrideExpirationTime":null,"AdditionalData":null}`
)

func TestOnPremisesResponses(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name, schema, doc string
		reason            string // "" when valid
	}{
		{"health endpoint", schemas.OnPremHealthEndpointResponse, healthAnswer, ""},
		{"health endpoint with its password", schemas.OnPremHealthEndpointResponse, strings.Replace(healthAnswer, `"Password":null`, `"Password":"p"`, 1),
			`property "Password": must be null, not a string`},
		{"health endpoint with its secret", schemas.OnPremHealthEndpointResponse, strings.Replace(healthAnswer, `"ClientSecret":null`, `"ClientSecret":"s"`, 1),
			`property "ClientSecret": must be null, not a string`},
		{"health endpoint without an Id", schemas.OnPremHealthEndpointResponse, strings.Replace(healthAnswer, `"Id":"ADH"`, `"Id":null`, 1),
			`property "Id": must be a string, not null`},
		{"health endpoint without a property", schemas.OnPremHealthEndpointResponse, strings.Replace(healthAnswer, `,"TokenEndpoint":null`, ``, 1),
			`property "TokenEndpoint" is required`},
		{"group", schemas.OnPremGroupConfigurationResponse, `{"Id":"g","Name":null,"Description":null,"FailoverTimeout":"00:01:00","AdditionalData":null}`, ""},
		{"group without AdditionalData", schemas.OnPremGroupConfigurationResponse, `{"Id":"g","Name":null,"Description":null,"FailoverTimeout":"00:01:00"}`,
			`property "AdditionalData" is required`},
		{"logging", schemas.OnPremLoggingConfigurationResponse, `{"LogLevel":"Information"}`, ""},
		{"configuration", schemas.OnPremConfigurationResponse, `{"Logging":{"LogLevel":"Debug"},"HealthEndpoints":[` + healthAnswer + `]}`, ""},
		{"configuration without endpoints", schemas.OnPremConfigurationResponse, `{"Logging":{"LogLevel":"Debug"},"HealthEndpoints":null}`,
			`property "HealthEndpoints": must be an array, not null`},
		{"override", schemas.OnPremRoleOverrideResponse, `{"Value":2,"RoleOverrideExpirationTime":"2024-01-02T03:04:05Z"}`, ""},
		{"session with a Secondary override", schemas.OnPremClientSession, onPremSess, ""},
		{"a v1 session has no Secondary override", schemas.V1ClientSession, onPremSess,
			`property "RoleOverride": 2 is not one of 0 (Off), 1 (Primary)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Validate(tt.schema, []byte(tt.doc))
			switch {
			case tt.reason == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.reason != "" && (err == nil || err.Error() != tt.reason):
				t.Errorf("Validate = %v, want %s", err, tt.reason)
			}
		})
	}
}
