package schemas_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/adh-emulator/clientfailover/schemas"
)

// canonicalJSON re-encodes JSON text so that two documents compare equal
// when they hold the same values.
func canonicalJSON(t *testing.T, text string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("bad JSON in the test %q: %v", text, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decodesTo checks that body decodes, as schema, to the document want.
func decodesTo(t *testing.T, v *schemas.Validator, schema, body, want string) {
	t.Helper()
	var got json.RawMessage
	if _, err := v.Decode(schema, []byte(body), &got); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if g, w := canonicalJSON(t, string(got)), canonicalJSON(t, want); g != w {
		t.Errorf("decoded\n%s\nwant\n%s", g, w)
	}
}

func TestDecodeCanonicalizes(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name   string
		schema string
		body   string
		want   string // the document handed to dst
	}{
		{"exact names", schemas.GroupConfiguration,
			`{"Id":"g1","Name":"n","Description":null,"FailoverTimeout":"00:01:00"}`,
			`{"Id":"g1","Name":"n","Description":null,"FailoverTimeout":"00:01:00"}`},
		{"camelCase names", schemas.GroupConfiguration,
			`{"id":"g1","failoverTimeout":"0:01:00"}`,
			`{"Id":"g1","FailoverTimeout":"0:01:00"}`},
		{"any case", schemas.GroupConfiguration,
			`{"FAILOVERTIMEOUT":"1","dEsCrIpTiOn":"d"}`,
			`{"FailoverTimeout":"1","Description":"d"}`},
		{"a repeated name keeps the last value", schemas.GroupConfiguration,
			`{"FailoverTimeout":"00:01:00","failoverTimeout":"00:02:00"}`,
			`{"FailoverTimeout":"00:02:00"}`},
		{"the last value is the one validated", schemas.GroupConfiguration,
			`{"failoverTimeout":"abc","FailoverTimeout":"00:02:00"}`,
			`{"FailoverTimeout":"00:02:00"}`},
		{"unknown properties are dropped", schemas.GroupConfiguration,
			`{"FailoverTimeout":"1","Color":"red","AccessControl":{"x":1}}`,
			`{"FailoverTimeout":"1"}`},
		{"nested access control entries", schemas.AccessControlList,
			`{"roleTrusteeAccessControlEntries":[
				{"trustee":{"type":3,"objectId":"r1","TENANTID":null},"accessType":0,"accessrights":3},
				{"Trustee":null,"AccessType":1,"AccessRights":1,"extra":true}]}`,
			`{"RoleTrusteeAccessControlEntries":[
				{"Trustee":{"Type":3,"ObjectId":"r1","TenantId":null},"AccessType":0,"AccessRights":3},
				{"Trustee":null,"AccessType":1,"AccessRights":1}]}`},
		{"null entries list", schemas.AccessControlList,
			`{"roleTrusteeAccessControlEntries":null}`,
			`{"RoleTrusteeAccessControlEntries":null}`},
		{"latest group with owner and access control", schemas.GroupConfigurationLatest,
			`{"failoverTimeout":"00:00:30","owner":{"type":1,"objectId":"u"},"accessControl":{"roleTrusteeAccessControlEntries":[{"trustee":{"type":2},"accessRights":31}]}}`,
			`{"FailoverTimeout":"00:00:30","Owner":{"Type":1,"ObjectId":"u"},"AccessControl":{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":2},"AccessRights":31}]}}`},
		{"v1 group keeps AdditionalData as sent", schemas.V1GroupConfiguration,
			`{"failoverTimeout":"1","additionalData":{"someKey":{"nested":[1,2]},"SOMEKEY":2}}`,
			`{"FailoverTimeout":"1","AdditionalData":{"someKey":{"nested":[1,2]},"SOMEKEY":2}}`},
		{"v1 group with null AdditionalData", schemas.V1GroupConfiguration,
			`{"FailoverTimeout":"1","AdditionalData":null,"owner":null,"accessControl":null}`,
			`{"FailoverTimeout":"1","AdditionalData":null,"Owner":null,"AccessControl":null}`},
		{"preview heartbeat without a score", schemas.FailoverHeartbeat,
			`{}`, `{}`},
		{"preview heartbeat", schemas.FailoverHeartbeat,
			`{"failoverStatus":99.5,"lastDataProcessedTime":null,"heartbeatTime":"2019-08-24T14:15:22Z"}`,
			`{"FailoverStatus":99.5,"LastDataProcessedTime":null,"HeartbeatTime":"2019-08-24T14:15:22Z"}`},
		{"preview heartbeat score bounds", schemas.FailoverHeartbeat,
			`{"FailoverStatus":0}`, `{"FailoverStatus":0}`},
		{"v1 heartbeat with only a score", schemas.V1FailoverHeartbeat,
			`{"failoverScore":100}`, `{"FailoverScore":100}`},
		{"role override", schemas.RoleOverrideConfiguration,
			`{"value":1,"expirationPeriod":"00:10:00"}`,
			`{"Value":1,"ExpirationPeriod":"00:10:00"}`},
		{"role override that never expires", schemas.RoleOverrideConfiguration,
			`{"Value":0,"ExpirationPeriod":null}`,
			`{"Value":0,"ExpirationPeriod":null}`},
		{"empty session request", schemas.ClientSessionRequest,
			`{}`, `{}`},
		{"session request", schemas.ClientSessionRequest,
			`{"id":"s1","NAME":null}`, `{"Id":"s1","Name":null}`},
		{"largest access rights", schemas.AccessControlEntry,
			`{"AccessRights":9223372036854775807}`, `{"AccessRights":9223372036854775807}`},
		{"whitespace around the body", schemas.ClientSessionRequest,
			" \n {\"Id\":\"s\"} \n", `{"Id":"s"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { decodesTo(t, v, tt.schema, tt.body, tt.want) })
	}
}

func TestDecodeRejects(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name   string
		schema string
		body   string
		reason string
	}{
		// Malformed bodies.
		{"empty body", schemas.GroupConfiguration, ``, `the request body is empty`},
		{"blank body", schemas.GroupConfiguration, " \n ", `the request body is empty`},
		{"truncated", schemas.GroupConfiguration, `{"FailoverTimeout":"1"`, `the request body is not valid JSON: it ends too early`},
		{"trailing comma", schemas.GroupConfiguration, `{"FailoverTimeout":"1",}`,
			`the request body is not valid JSON: invalid character '}' looking for beginning of object key string (at byte 23)`},
		{"two documents", schemas.GroupConfiguration, `{} {}`, `the request body is not valid JSON: unexpected data after the JSON value`},

		// Not an object.
		{"array", schemas.GroupConfiguration, `[{"FailoverTimeout":"1"}]`, `the request body must be a JSON object, not an array`},
		{"string", schemas.FailoverHeartbeat, `"hello"`, `the request body must be a JSON object, not a string`},
		{"null", schemas.AccessControlList, `null`, `the request body must be a JSON object, not null`},
		{"number", schemas.RoleOverrideConfiguration, `1`, `the request body must be a JSON object, not a number`},

		// Groups.
		{"missing timeout", schemas.GroupConfiguration, `{"Id":"g"}`, `property "FailoverTimeout" is required`},
		{"null timeout", schemas.GroupConfiguration, `{"failoverTimeout":null}`, `property "FailoverTimeout": must be a string, not null`},
		{"numeric timeout", schemas.GroupConfiguration, `{"FailoverTimeout":60}`, `property "FailoverTimeout": must be a string, not a number`},
		{"unparsable timeout", schemas.GroupConfiguration, `{"FailoverTimeout":"abc"}`, `property "FailoverTimeout": "abc" is not a valid time-span`},
		{"zero timeout", schemas.GroupConfiguration, `{"FailoverTimeout":"00:00:00"}`, `property "FailoverTimeout": "00:00:00" is not greater than zero`},
		{"negative timeout", schemas.GroupConfiguration, `{"FailoverTimeout":"-00:01:00"}`, `property "FailoverTimeout": "-00:01:00" is not greater than zero`},
		{"out of range timeout", schemas.GroupConfiguration, `{"FailoverTimeout":"00:60:00"}`, `property "FailoverTimeout": "00:60:00" is not a valid time-span`},
		{"numeric name", schemas.GroupConfiguration, `{"FailoverTimeout":"1","name":5}`, `property "Name": must be a string or null, not a number`},
		{"latest group owner", schemas.GroupConfigurationLatest, `{"FailoverTimeout":"1","owner":{"type":0}}`, `property "Owner.Type": 0 is not one of 1 (User), 2 (Client), 3 (Role)`},
		{"latest group owner of the wrong type", schemas.GroupConfigurationLatest, `{"FailoverTimeout":"1","owner":[]}`, `property "Owner": must be an object or null, not an array`},
		{"v1 additional data", schemas.V1GroupConfiguration, `{"FailoverTimeout":"1","AdditionalData":"x"}`, `property "AdditionalData": must be an object or null, not a string`},
		{"v1 timeout", schemas.V1GroupConfiguration, `{"FailoverTimeout":"0"}`, `property "FailoverTimeout": "0" is not greater than zero`},

		// Access control.
		{"trustee type", schemas.AccessControlEntry, `{"Trustee":{"Type":5}}`, `property "Trustee.Type": 5 is not one of 1 (User), 2 (Client), 3 (Role)`},
		{"missing trustee type", schemas.AccessControlEntry, `{"trustee":{"objectId":"x"}}`, `property "Trustee.Type" is required`},
		{"trustee of the wrong type", schemas.AccessControlEntry, `{"Trustee":"abc"}`, `property "Trustee": must be an object or null, not a string`},
		{"access type", schemas.AccessControlEntry, `{"AccessType":2}`, `property "AccessType": 2 is not one of 0 (Allowed), 1 (Denied)`},
		{"access type written as a fraction", schemas.AccessControlEntry, `{"AccessType":1.0}`, `property "AccessType": must be a whole number that fits in 32 bits, not 1.0`},
		{"negative access rights", schemas.AccessControlEntry, `{"AccessRights":-1}`, `property "AccessRights": must be at least 0`},
		{"fractional access rights", schemas.AccessControlEntry, `{"AccessRights":1.5}`, `property "AccessRights": must be an integer, not 1.5`},
		{"access rights beyond int64", schemas.AccessControlEntry, `{"AccessRights":9223372036854775808}`,
			`property "AccessRights": must be a whole number that fits in 64 bits, not 9223372036854775808`},
		{"access rights as a string", schemas.AccessControlEntry, `{"AccessRights":"1"}`, `property "AccessRights": must be an integer, not a string`},
		{"entry in a list", schemas.AccessControlList,
			`{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":1}},{"trustee":{"type":7}}]}`,
			`property "RoleTrusteeAccessControlEntries[1].Trustee.Type": 7 is not one of 1 (User), 2 (Client), 3 (Role)`},
		{"null entry", schemas.AccessControlList, `{"RoleTrusteeAccessControlEntries":[null]}`,
			`property "RoleTrusteeAccessControlEntries[0]": must be an object, not null`},
		{"entries not a list", schemas.AccessControlList, `{"RoleTrusteeAccessControlEntries":{}}`,
			`property "RoleTrusteeAccessControlEntries": must be an array or null, not an object`},

		// Heartbeats.
		{"null score", schemas.FailoverHeartbeat, `{"FailoverStatus":null}`, `property "FailoverStatus": must be a number, not null`},
		{"score above 100", schemas.FailoverHeartbeat, `{"failoverStatus":100.5}`, `property "FailoverStatus": must be between 0 and 100`},
		{"negative score", schemas.FailoverHeartbeat, `{"FailoverStatus":-1}`, `property "FailoverStatus": must be between 0 and 100`},
		{"score as a string", schemas.FailoverHeartbeat, `{"FailoverStatus":"50"}`, `property "FailoverStatus": must be a number, not a string`},
		{"bad heartbeat time", schemas.FailoverHeartbeat, `{"HeartbeatTime":"yesterday"}`, `property "HeartbeatTime": "yesterday" is not a valid date-time`},
		{"bad data time", schemas.FailoverHeartbeat, `{"LastDataProcessedTime":"2019-02-30T00:00:00Z"}`,
			`property "LastDataProcessedTime": "2019-02-30T00:00:00Z" is not a valid date-time`},
		{"v1 heartbeat without a score", schemas.V1FailoverHeartbeat, `{"HeartbeatTime":null}`, `property "FailoverScore" is required`},
		{"v1 heartbeat with the preview name", schemas.V1FailoverHeartbeat, `{"FailoverStatus":50}`, `property "FailoverScore" is required`},
		{"v1 null score", schemas.V1FailoverHeartbeat, `{"failoverScore":null}`, `property "FailoverScore": must be a number, not null`},

		// Sessions and overrides.
		{"session id", schemas.ClientSessionRequest, `{"Id":1}`, `property "Id": must be a string or null, not a number`},
		{"override value", schemas.RoleOverrideConfiguration, `{"Value":2}`, `property "Value": 2 is not one of 0 (Off), 1 (Primary)`},
		{"override period", schemas.RoleOverrideConfiguration, `{"Value":1,"ExpirationPeriod":"soon"}`, `property "ExpirationPeriod": "soon" is not a valid time-span`},

		// Enum values by name (see enum_test.go for those accepted).
		{"unknown override name", schemas.RoleOverrideConfiguration, `{"Value":"Maybe"}`,
			`property "Value": "Maybe" is not one of 0 (Off), 1 (Primary)`},
		{"Secondary is on-premises only", schemas.RoleOverrideConfiguration, `{"Value":"Secondary"}`,
			`property "Value": "Secondary" is not one of 0 (Off), 1 (Primary)`},
		{"unknown override number", schemas.RoleOverrideConfiguration, `{"Value":2}`,
			`property "Value": 2 is not one of 0 (Off), 1 (Primary)`},
		{"unknown on-premises number", schemas.OnPremRoleOverrideConfiguration, `{"Value":3}`,
			`property "Value": 3 is not one of 0 (Off), 1 (Primary), 2 (Secondary)`},
		{"unknown on-premises name", schemas.OnPremRoleOverrideConfiguration, `{"Value":"Pending"}`,
			`property "Value": "Pending" is not one of 0 (Off), 1 (Primary), 2 (Secondary)`},
		{"a number as text is not a name", schemas.RoleOverrideConfiguration, `{"Value":"1"}`,
			`property "Value": "1" is not one of 0 (Off), 1 (Primary)`},
		{"a name with spaces", schemas.RoleOverrideConfiguration, `{"Value":" Primary"}`,
			`property "Value": " Primary" is not one of 0 (Off), 1 (Primary)`},
		{"a name in Unicode case folding only", schemas.OnPremRoleOverrideConfiguration, `{"Value":"ſecondary"}`,
			`property "Value": "ſecondary" is not one of 0 (Off), 1 (Primary), 2 (Secondary)`},
		{"a fraction is still refused", schemas.AccessControlEntry, `{"AccessType":1.0}`,
			`property "AccessType": must be a whole number that fits in 32 bits, not 1.0`},
		{"null is neither", schemas.RoleOverrideConfiguration, `{"Value":null}`,
			`property "Value": must be an integer or a string, not null`},
		{"unknown trustee name", schemas.Trustee, `{"Type":"Team"}`,
			`property "Type": "Team" is not one of 1 (User), 2 (Client), 3 (Role)`},
		{"unknown trustee number", schemas.Trustee, `{"Type":0}`,
			`property "Type": 0 is not one of 1 (User), 2 (Client), 3 (Role)`},
		{"unknown access type name", schemas.AccessControlEntry, `{"AccessType":"Granted"}`,
			`property "AccessType": "Granted" is not one of 0 (Allowed), 1 (Denied)`},
		{"unknown name deep in a list", schemas.AccessControlList,
			`{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":1}},{"Trustee":{"Type":"Group"}}]}`,
			`property "RoleTrusteeAccessControlEntries[1].Trustee.Type": "Group" is not one of 1 (User), 2 (Client), 3 (Role)`},
		{"unknown log level", schemas.OnPremLoggingConfiguration, `{"LogLevel":"Loud"}`,
			`property "LogLevel": "Loud" is not one of Verbose, Debug, Information, Warning, Error, Fatal`},
		{"log level by number", schemas.OnPremLoggingConfiguration, `{"LogLevel":2}`,
			`property "LogLevel": must be a string, not a number`},
		{"missing log level", schemas.OnPremLoggingConfiguration, `{}`, `property "LogLevel" is required`},
		{"a repeated property is judged by its last value", schemas.RoleOverrideConfiguration,
			`{"Value":"Primary","value":"Maybe"}`, `property "Value": "Maybe" is not one of 0 (Off), 1 (Primary)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Decode(tt.schema, []byte(tt.body), nil)
			var de *schemas.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode error = %v (%T), want a *DecodeError", err, err)
			}
			if de.Reason != tt.reason {
				t.Errorf("Reason = %s\nwant     %s", de.Reason, tt.reason)
			}
			if de.Error() != de.Reason || len(de.Problems) == 0 || de.Problems[0] != de.Reason {
				t.Errorf("Error() = %q, Problems = %q; both must start with the Reason", de.Error(), de.Problems)
			}
		})
	}
}

func TestDecodeListsEveryProblem(t *testing.T) {
	v := newValidator(t)
	body := `{"owner":{"type":9},"accessControl":{"roleTrusteeAccessControlEntries":[{"accessType":3,"accessRights":-2}]}}`
	_, err := v.Decode(schemas.GroupConfigurationLatest, []byte(body), nil)
	var de *schemas.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("Decode error = %v, want a *DecodeError", err)
	}
	want := []string{
		`property "AccessControl.RoleTrusteeAccessControlEntries[0].AccessRights": must be at least 0`,
		`property "AccessControl.RoleTrusteeAccessControlEntries[0].AccessType": 3 is not one of 0 (Allowed), 1 (Denied)`,
		`property "FailoverTimeout" is required`,
		`property "Owner.Type": 9 is not one of 1 (User), 2 (Client), 3 (Role)`,
	}
	if fmt.Sprint(de.Problems) != fmt.Sprint(want) {
		t.Errorf("Problems =\n%q\nwant\n%q", de.Problems, want)
	}
}

func TestDecodeErrorUnwraps(t *testing.T) {
	v := newValidator(t)
	var syntax *json.SyntaxError
	if _, err := v.Decode(schemas.GroupConfiguration, []byte(`{,}`), nil); !errors.As(err, &syntax) {
		t.Errorf("malformed body: error %v does not unwrap to a *json.SyntaxError", err)
	}
	var ve *jsonschema.ValidationError
	if _, err := v.Decode(schemas.GroupConfiguration, []byte(`{}`), nil); !errors.As(err, &ve) {
		t.Errorf("invalid body: error %v does not unwrap to a *jsonschema.ValidationError", err)
	}
}

// group is how a caller might hold a decoded group.
type group struct {
	ID              *string `json:"Id"`
	Name            *string
	Description     *string
	FailoverTimeout string
}

func TestDecodeIntoStructs(t *testing.T) {
	v := newValidator(t)
	var g group
	if _, err := v.Decode(schemas.GroupConfiguration, []byte(`{"id":"g1","failoverTimeout":"00:05:00"}`), &g); err != nil {
		t.Fatal(err)
	}
	if g.ID == nil || *g.ID != "g1" || g.Name != nil || g.FailoverTimeout != "00:05:00" {
		t.Errorf("decoded %+v", g)
	}

	// A dst that cannot hold the document is the caller's mistake, not a
	// DecodeError.
	var wrong []string
	_, err := v.Decode(schemas.GroupConfiguration, []byte(`{"FailoverTimeout":"1"}`), &wrong)
	var de *schemas.DecodeError
	if err == nil || errors.As(err, &de) {
		t.Errorf("Decode into %T: error %v, want a plain error", wrong, err)
	}
}

func TestDecodeIntoRawFields(t *testing.T) {
	// The HTTP layer reads bodies as a map of raw values: every key must be
	// canonical, whether or not the body needed renaming.
	v := newValidator(t)
	for _, body := range []string{
		`{"FailoverStatus":50,"HeartbeatTime":null}`,
		`{"failoverStatus":50,"heartbeatTime":null}`,
		`{"FailoverStatus":1,"FailoverStatus":50,"HeartbeatTime":null,"Other":1}`,
	} {
		var fields map[string]json.RawMessage
		if _, err := v.Decode(schemas.FailoverHeartbeat, []byte(body), &fields); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if len(fields) != 2 || string(fields["FailoverStatus"]) != "50" || string(fields["HeartbeatTime"]) != "null" {
			t.Errorf("%s: decoded %s", body, fields)
		}
	}
}

func TestDecodeConcurrently(t *testing.T) {
	v := newValidator(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				body := fmt.Sprintf(`{"failoverStatus":%d}`, (i*50+j)%101)
				var hb struct{ FailoverStatus float64 }
				if _, err := v.Decode(schemas.FailoverHeartbeat, []byte(body), &hb); err != nil {
					errs <- err
					return
				}
				if hb.FailoverStatus != float64((i*50+j)%101) {
					errs <- fmt.Errorf("%s decoded as %v", body, hb.FailoverStatus)
					return
				}
				if _, err := v.Decode(schemas.FailoverHeartbeat, []byte(`{"FailoverStatus":101}`), nil); err == nil {
					errs <- errors.New("a score of 101 was accepted")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
