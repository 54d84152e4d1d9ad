package schemas_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/adh-emulator/clientfailover/schemas"
)

func TestDecodeEnumNames(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name   string
		schema string
		body   string
		want   string // the canonical document: numbers, not names
	}{
		{"override Primary", schemas.RoleOverrideConfiguration,
			`{"Value":"Primary","ExpirationPeriod":"08:00:00"}`, `{"Value":1,"ExpirationPeriod":"08:00:00"}`},
		{"override off in lower case", schemas.RoleOverrideConfiguration, `{"Value":"off"}`, `{"Value":0}`},
		{"override in odd case", schemas.RoleOverrideConfiguration, `{"value":"pRiMaRy"}`, `{"Value":1}`},
		{"override as a number still", schemas.RoleOverrideConfiguration, `{"Value":1}`, `{"Value":1}`},
		{"trustee Role", schemas.Trustee, `{"Type":"Role"}`, `{"Type":3}`},
		{"trustee client", schemas.Trustee, `{"type":"client"}`, `{"Type":2}`},
		{"trustee USER", schemas.Trustee, `{"Type":"USER"}`, `{"Type":1}`},
		{"access type Denied", schemas.AccessControlEntry, `{"AccessType":"Denied"}`, `{"AccessType":1}`},
		{"access type allowed", schemas.AccessControlEntry, `{"accessType":"allowed"}`, `{"AccessType":0}`},
		{"every enum of a list", schemas.AccessControlList,
			`{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":"role","ObjectId":"r"},"AccessType":"DENIED","AccessRights":1},{"Trustee":{"Type":2},"AccessType":0}]}`,
			`{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":3,"ObjectId":"r"},"AccessType":1,"AccessRights":1},{"Trustee":{"Type":2},"AccessType":0}]}`},
		{"the owner of a v1 group", schemas.V1GroupConfiguration,
			`{"FailoverTimeout":"1","Owner":{"Type":"User","ObjectId":"u"}}`, `{"FailoverTimeout":"1","Owner":{"Type":1,"ObjectId":"u"}}`},
		{"names in AdditionalData are kept", schemas.V1GroupConfiguration,
			`{"FailoverTimeout":"1","AdditionalData":{"Type":"Role","Value":"Primary"}}`,
			`{"FailoverTimeout":"1","AdditionalData":{"Type":"Role","Value":"Primary"}}`},
		{"on-premises Secondary", schemas.OnPremRoleOverrideConfiguration, `{"Value":"secondary"}`, `{"Value":2}`},
		{"on-premises Primary with a period", schemas.OnPremRoleOverrideConfiguration,
			`{"Value":"Primary","ExpirationPeriod":"08:00:00"}`, `{"Value":1,"ExpirationPeriod":"08:00:00"}`},
		{"on-premises Secondary as a number", schemas.OnPremRoleOverrideConfiguration, `{"Value":2}`, `{"Value":2}`},
		{"log level in lower case", schemas.OnPremLoggingConfiguration, `{"logLevel":"warning"}`, `{"LogLevel":"Warning"}`},
		{"log level as documented", schemas.OnPremLoggingConfiguration, `{"LogLevel":"Information"}`, `{"LogLevel":"Information"}`},
		{"log level in upper case", schemas.OnPremLoggingConfiguration, `{"LogLevel":"VERBOSE"}`, `{"LogLevel":"Verbose"}`},
		{"log level in a whole configuration", schemas.OnPremConfiguration,
			`{"Logging":{"LogLevel":"fatal"},"HealthEndpoints":[]}`, `{"Logging":{"LogLevel":"Fatal"},"HealthEndpoints":[]}`},
		{"a repeated property is judged by its last value", schemas.RoleOverrideConfiguration,
			`{"Value":"Maybe","value":"Primary"}`, `{"Value":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { decodesTo(t, v, tt.schema, tt.body, tt.want) })
	}
}

func TestDecodeEnumNamesGiveNumbersInTheTree(t *testing.T) {
	// The tree handed to the HTTP layer, and validated, carries the number.
	v := newValidator(t)
	var tree map[string]any
	if _, err := v.Decode(schemas.RoleOverrideConfiguration, []byte(`{"Value":"Primary"}`), &tree); err != nil {
		t.Fatal(err)
	}
	if got, ok := tree["Value"].(json.Number); !ok || got != "1" {
		t.Errorf("Value = %#v, want json.Number 1", tree["Value"])
	}
}

func TestDecodeListsEveryUnknownName(t *testing.T) {
	v := newValidator(t)
	body := `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":"Team"},"AccessType":"Maybe"},{"AccessType":"Never"}]}`
	_, err := v.Decode(schemas.AccessControlList, []byte(body), nil)
	var de *schemas.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("Decode error = %v, want a *DecodeError", err)
	}
	want := []string{
		`property "RoleTrusteeAccessControlEntries[0].AccessType": "Maybe" is not one of 0 (Allowed), 1 (Denied)`,
		`property "RoleTrusteeAccessControlEntries[0].Trustee.Type": "Team" is not one of 1 (User), 2 (Client), 3 (Role)`,
		`property "RoleTrusteeAccessControlEntries[1].AccessType": "Never" is not one of 0 (Allowed), 1 (Denied)`,
	}
	if len(de.Problems) != len(want) {
		t.Fatalf("Problems = %q\nwant %q", de.Problems, want)
	}
	for i := range want {
		if de.Problems[i] != want[i] {
			t.Errorf("Problems[%d] = %s\nwant %s", i, de.Problems[i], want[i])
		}
	}
}

func TestRequestSchemasDescribeEnumNames(t *testing.T) {
	// Validate applies the published schema as it is: a request document
	// may carry the name in any case (the case-insensitive pattern), an
	// answer only the number.
	v := newValidator(t)
	tests := []struct {
		schema, doc string
		valid       bool
	}{
		{schemas.RoleOverrideConfiguration, `{"Value":"pRIMARY"}`, true},
		{schemas.RoleOverrideConfiguration, `{"Value":"OFF"}`, true},
		{schemas.RoleOverrideConfiguration, `{"Value":"Maybe"}`, false},
		{schemas.RoleOverrideConfiguration, `{"Value":"Secondary"}`, false},
		{schemas.OnPremRoleOverrideConfiguration, `{"Value":"SeCoNdArY"}`, true},
		{schemas.OnPremRoleOverrideConfiguration, `{"Value":"ſecondary"}`, false},
		{schemas.Trustee, `{"Type":"cLiEnT"}`, true},
		{schemas.Trustee, `{"Type":"Clients"}`, false},
		{schemas.AccessControlEntry, `{"AccessType":"denied"}`, true},
		{schemas.OnPremLoggingConfiguration, `{"LogLevel":"dEbUg"}`, true},
		{schemas.OnPremLoggingConfiguration, `{"LogLevel":"Trace"}`, false},

		// Answers carry numbers (and LogLevel as spelled).
		{schemas.RoleOverrideResponse, `{"Value":"Primary","RoleOverrideExpirationTime":null}`, false},
		{schemas.RoleOverrideResponse, `{"Value":1,"RoleOverrideExpirationTime":null}`, true},
		{schemas.OnPremRoleOverrideResponse, `{"Value":"Secondary","RoleOverrideExpirationTime":null}`, false},
		{schemas.OnPremRoleOverrideResponse, `{"Value":2,"RoleOverrideExpirationTime":null}`, true},
		{schemas.TrusteeResponse, `{"Type":"Role","ObjectId":null,"TenantId":null}`, false},
		{schemas.AccessControlEntryResponse, `{"Trustee":null,"AccessType":"Denied","AccessRights":1}`, false},
		{schemas.ClientSession, `{"Id":"s","Name":null,"Heartbeat":null,"Role":"Primary","HeartbeatPosted":false,"Override":0,"RoleOverrideExpirationTime":null,"AdditionalData":null}`, false},
		{schemas.OnPremLoggingConfigurationResponse, `{"LogLevel":"warning"}`, false},
		{schemas.OnPremLoggingConfigurationResponse, `{"LogLevel":"Warning"}`, true},
	}
	for _, tt := range tests {
		err := v.Validate(tt.schema, []byte(tt.doc))
		if (err == nil) != tt.valid {
			t.Errorf("Validate(%s, %s) = %v, want valid = %v", tt.schema, tt.doc, err, tt.valid)
		}
	}
}

func TestEveryNamedEnumHasARequestForm(t *testing.T) {
	// Every enumeration a request may carry accepts its names; Role only
	// appears in answers.
	for _, name := range []string{schemas.RoleOverrideValue, schemas.TrusteeType, schemas.AccessType, schemas.OnPremRoleOverrideValue, schemas.OnPremLogLevel} {
		doc := readSchema(t, name)
		names, _ := doc["x-enum-names"].([]any)
		values, _ := doc["enum"].([]any)
		if len(names) == 0 || len(names) != len(values) {
			t.Errorf("%s: %d x-enum-names for %d enum values", name, len(names), len(values))
		}
		defs, _ := doc["$defs"].(map[string]any)
		if _, ok := defs["request"]; !ok {
			t.Errorf("%s: no $defs/request", name)
		}
	}
}
