package schemas_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/adh-emulator/clientfailover/schemas"
)

func TestDecodeReportsIgnoredProperties(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name    string
		schema  string
		body    string
		ignored []string
	}{
		{"none", schemas.GroupConfiguration, `{"Id":"g","FailoverTimeout":"1"}`, nil},
		{"renamed is not ignored", schemas.GroupConfiguration, `{"id":"g","failoverTimeout":"1"}`, nil},
		{"one at the top", schemas.GroupConfiguration, `{"Foo":1,"FailoverTimeout":"1"}`, []string{"Foo"}},
		{"several, in document order", schemas.GroupConfiguration,
			`{"Zed":1,"FailoverTimeout":"1","Alpha":2,"Mid":3}`, []string{"Zed", "Alpha", "Mid"}},
		{"as spelled", schemas.GroupConfiguration, `{"COLOR":"red","FailoverTimeout":"1"}`, []string{"COLOR"}},
		{"a dropped object's contents are not listed", schemas.GroupConfiguration,
			`{"FailoverTimeout":"1","Extra":{"Deep":{"Deeper":1}},"More":[{"X":1}]}`, []string{"Extra", "More"}},
		{"the preview group drops AccessControl", schemas.GroupConfiguration,
			`{"FailoverTimeout":"1","AccessControl":{"x":1}}`, []string{"AccessControl"}},
		{"nested object", schemas.AccessControlEntry, `{"Trustee":{"Type":1,"Bar":2}}`, []string{"Trustee.Bar"}},
		{"nested, declared names in the path", schemas.AccessControlEntry, `{"trustee":{"type":1,"bar":2},"baz":3}`, []string{"Trustee.bar", "baz"}},
		{"array elements", schemas.AccessControlList,
			`{"RoleTrusteeAccessControlEntries":[{"AccessRights":1},{"AccessRights":2,"Baz":1},{"Trustee":{"Type":3,"Qux":0},"Baz":2}]}`,
			[]string{"RoleTrusteeAccessControlEntries[1].Baz", "RoleTrusteeAccessControlEntries[2].Trustee.Qux", "RoleTrusteeAccessControlEntries[2].Baz"}},
		{"deep in a v1 group", schemas.V1GroupConfiguration,
			`{"FailoverTimeout":"1","AccessControl":{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":1,"Name":"x"}}]}}`,
			[]string{"AccessControl.RoleTrusteeAccessControlEntries[0].Trustee.Name"}},
		{"a repeated key is listed once", schemas.GroupConfiguration,
			`{"Foo":1,"FailoverTimeout":"1","Foo":2}`, []string{"Foo"}},
		{"a repeated key among others", schemas.GroupConfiguration,
			`{"Foo":1,"Bar":1,"FailoverTimeout":"1","Foo":2}`, []string{"Foo", "Bar"}},
		{"each spelling of a key", schemas.GroupConfiguration,
			`{"Foo":1,"foo":2,"FailoverTimeout":"1"}`, []string{"Foo", "foo"}},
		{"a repeated declared property is not ignored", schemas.GroupConfiguration,
			`{"FailoverTimeout":"1","failovertimeout":"2"}`, nil},
		{"free-form AdditionalData is never reported", schemas.V1GroupConfiguration,
			`{"FailoverTimeout":"1","AdditionalData":{"Anything":{"Goes":[1,{"Here":true}]}}}`, nil},
		{"free-form AdditionalData beside an ignored one", schemas.V1GroupConfiguration,
			`{"FailoverTimeout":"1","AdditionalData":{"K":1},"Other":{"K":1}}`, []string{"Other"}},
		{"the preview name of the score on v1", schemas.V1FailoverHeartbeat,
			`{"FailoverScore":50,"FailoverStatus":50}`, []string{"FailoverStatus"}},
		{"the v1 name of the score on preview", schemas.FailoverHeartbeat,
			`{"FailoverScore":50}`, []string{"FailoverScore"}},
		{"an on-premises group has no access control", schemas.OnPremGroupConfiguration,
			`{"FailoverTimeout":"1","AdditionalData":{"k":1},"AccessControl":null,"Owner":{"Type":1}}`, []string{"AccessControl", "Owner"}},
		{"an array root", schemas.OnPremHealthEndpointList,
			`[{"Endpoint":"http://a"},{"Endpoint":"http://b","Color":1,"Size":2}]`, []string{"[1].Color", "[1].Size"}},
		{"an object where a list is allowed", schemas.OnPremHealthEndpointOrList,
			`{"Endpoint":"http://a","Color":1}`, []string{"Color"}},
		{"in a whole configuration", schemas.OnPremConfiguration,
			`{"Logging":{"LogLevel":"Debug","Sink":"x"},"HealthEndpoints":[{"Endpoint":"http://a","Port":1}],"Version":2}`,
			[]string{"Logging.Sink", "HealthEndpoints[0].Port", "Version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ignored, err := v.Decode(tt.schema, []byte(tt.body), nil)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !slices.Equal(ignored, tt.ignored) {
				t.Errorf("ignored = %q, want %q", ignored, tt.ignored)
			}
			if tt.ignored == nil && ignored != nil {
				t.Errorf("ignored = %#v, want nil", ignored)
			}
		})
	}
}

func TestDecodeReportsIgnoredPropertiesWithAnInvalidBody(t *testing.T) {
	// A body that fails validation still tells what was ignored, so that
	// the journal can show both; a malformed body tells nothing.
	v := newValidator(t)
	ignored, err := v.Decode(schemas.GroupConfiguration, []byte(`{"Colour":"red","FailoverTimeout":"0"}`), nil)
	var de *schemas.DecodeError
	if !errors.As(err, &de) || !slices.Equal(ignored, []string{"Colour"}) {
		t.Errorf("Decode = %q, %v; want [Colour] and a *DecodeError", ignored, err)
	}
	ignored, err = v.Decode(schemas.GroupConfiguration, []byte(`{"Colour":"red",`), nil)
	if !errors.As(err, &de) || ignored != nil {
		t.Errorf("Decode of a malformed body = %q, %v; want nil and a *DecodeError", ignored, err)
	}
}
