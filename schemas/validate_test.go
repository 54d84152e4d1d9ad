package schemas_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/schemas"
)

// The example bodies of the source documents (seeds/*.md), verbatim. The
// documentation generator writes "string" for every string value, time-spans
// included, so the group examples are also checked with a real time-span in
// place of that placeholder.
const (
	seedGroup = `{
  "Id": "string",
  "Name": "string",
  "Description": "string",
  "FailoverTimeout": "string"
}`
	seedErrorResponse = `{
  "OperationId": "string",
  "Error": "string",
  "Reason": "string",
  "Resolution": "string",
  "property1": null,
  "property2": null
}`
	seedErrorResponseWithParameters = `{
  "OperationId": "string",
  "Error": "string",
  "Reason": "string",
  "Resolution": "string",
  "AdditionalParameters": {
    "property1": null,
    "property2": null
  },
  "property1": null,
  "property2": null
}`
	seedGroupStatus = `{
  "Primary": "string",
  "PendingPrimary": "string",
  "LastDataProcessedTime": "2019-08-24T14:15:22Z"
}`
	seedACL = `{
  "RoleTrusteeAccessControlEntries": [
    {
      "Trustee": {
        "Type": 1,
        "ObjectId": "string",
        "TenantId": "string"
      },
      "AccessType": 0,
      "AccessRights": 0
    }
  ]
}`
	seedEntry = `{
  "Trustee": {
    "Type": 1,
    "ObjectId": "string",
    "TenantId": "string"
  },
  "AccessType": 0,
  "AccessRights": 0
}`
	seedTrustee = `{
  "Type": 1,
  "ObjectId": "string",
  "TenantId": "string"
}`
)

// withTimeSpan replaces the placeholder FailoverTimeout of seedGroup.
var withTimeSpan = strings.Replace(seedGroup, `"FailoverTimeout": "string"`, `"FailoverTimeout": "00:01:00"`, 1)

func TestSourceDocumentExamplesValidate(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name   string
		schema string
		doc    string
	}{
		{"group request", schemas.GroupConfiguration, withTimeSpan},
		{"group response", schemas.GroupConfigurationResponse, withTimeSpan},
		{"error response", schemas.ErrorResponse, seedErrorResponse},
		{"error response with parameters", schemas.ErrorResponse, seedErrorResponseWithParameters},
		{"group status", schemas.GroupStatus, seedGroupStatus},
		{"collection acl request", schemas.AccessControlList, seedACL},
		{"collection acl response", schemas.AccessControlListResponse, seedACL},
		{"access control entry", schemas.AccessControlEntry, seedEntry},
		{"access control entry response", schemas.AccessControlEntryResponse, seedEntry},
		{"trustee", schemas.Trustee, seedTrustee},
		{"trustee response", schemas.TrusteeResponse, seedTrustee},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := v.Validate(tt.schema, []byte(tt.doc)); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if _, err := v.Decode(tt.schema, []byte(tt.doc), nil); err != nil {
				t.Errorf("Decode: %v", err)
			}
		})
	}
}

func TestSourceDocumentPlaceholderTimeSpanIsRejected(t *testing.T) {
	v := newValidator(t)
	_, err := v.Decode(schemas.GroupConfiguration, []byte(seedGroup), nil)
	want := `property "FailoverTimeout": "string" is not a valid time-span`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

// Answers as the emulator writes them: every property, nullable ones null.
const (
	groupAnswer     = `{"Id":"g1","Name":null,"Description":null,"FailoverTimeout":"00:01:00"}`
	aclAnswer       = `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":3,"ObjectId":"r","TenantId":null},"AccessType":0,"AccessRights":31}]}`
	latestAnswer    = `{"Id":"g1","Name":"n","Description":"d","FailoverTimeout":"1.02:03:04.5000000","AccessControl":` + aclAnswer + `,"Owner":null}`
	v1GroupAnswer   = `{"Id":"g1","Name":"n","Description":"d","FailoverTimeout":"00:00:30","AccessControl":null,"Owner":{"Type":1,"ObjectId":"u","TenantId":"t"},"AdditionalData":{"k":"v"}}`
	previewSession  = `{"Id":"s1","Name":"a","Heartbeat":{"FailoverStatus":100,"LastDataProcessedTime":null,"HeartbeatTime":"2024-01-02T03:04:05.1234567Z"},"Role":1,"HeartbeatPosted":true,"Override":0,"RoleOverrideExpirationTime":null,"AdditionalData":null}`
	v1Session       = `{"Id":"s1","Name":"a","Heartbeat":{"FailoverScore":100,"LastDataProcessedTime":null,"HeartbeatTime":"2024-01-02T03:04:05Z"},"Role":2,"HeartbeatPosted":true,"RoleOverride":1,"RoleOverrideExpirationTime":"2024-01-02T04:04:05Z","AdditionalData":null}`
	newSession      = `{"Id":"s1","Name":null,"Heartbeat":null,"Role":0,"HeartbeatPosted":false,"Override":0,"RoleOverrideExpirationTime":null,"AdditionalData":null}`
	failoverAnswer  = `{"Role":2,"LastDataProcessedTime":"2024-01-02T03:04:05Z"}`
	overrideAnswer  = `{"Value":1,"RoleOverrideExpirationTime":null}`
	infoAnswer      = `{"Version":"1.0"}`
	statusAnswer    = `{"Primary":"s1","PendingPrimary":null,"LastDataProcessedTime":null}`
	errorAnswer     = `{"OperationId":"00-abc-01","Error":"The failover group was not found.","Reason":"No group g1.","Resolution":"Check the id."}`
	v1HeartbeatOnly = `{"FailoverScore":0,"LastDataProcessedTime":null,"HeartbeatTime":null}`
)

func TestResponsesValidate(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name   string
		schema string
		doc    string
	}{
		{"group", schemas.GroupConfigurationResponse, groupAnswer},
		{"latest group", schemas.GroupConfigurationLatestResponse, latestAnswer},
		{"v1 group", schemas.V1GroupConfigurationResponse, v1GroupAnswer},
		{"acl", schemas.AccessControlListResponse, aclAnswer},
		{"empty acl", schemas.AccessControlListResponse, `{"RoleTrusteeAccessControlEntries":[]}`},
		{"preview session", schemas.ClientSession, previewSession},
		{"new session", schemas.ClientSession, newSession},
		{"v1 session", schemas.V1ClientSession, v1Session},
		{"v1 stored heartbeat", schemas.V1FailoverHeartbeatResponse, v1HeartbeatOnly},
		{"heartbeat answer", schemas.FailoverResponse, failoverAnswer},
		{"override answer", schemas.RoleOverrideResponse, overrideAnswer},
		{"information", schemas.FailoverEndpointInfo, infoAnswer},
		{"status", schemas.GroupStatus, statusAnswer},
		{"error", schemas.ErrorResponse, errorAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := v.Validate(tt.schema, []byte(tt.doc)); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestResponsesWithAMissingOrWrongPropertyFail(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name   string
		schema string
		doc    string
		reason string
	}{
		{"group without Description", schemas.GroupConfigurationResponse,
			`{"Id":"g1","Name":null,"FailoverTimeout":"00:01:00"}`, `property "Description" is required`},
		{"group timeout not in the constant format", schemas.GroupConfigurationResponse,
			`{"Id":"g1","Name":null,"Description":null,"FailoverTimeout":"0:01:00"}`,
			`property "FailoverTimeout": "0:01:00" does not match the pattern ^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d{7})?$`},
		{"latest group without Owner", schemas.GroupConfigurationLatestResponse, groupAnswer[:len(groupAnswer)-1] + `,"AccessControl":null}`,
			`property "Owner" is required`},
		{"v1 group without AdditionalData", schemas.V1GroupConfigurationResponse, strings.Replace(v1GroupAnswer, `,"AdditionalData":{"k":"v"}`, "", 1),
			`property "AdditionalData" is required`},
		{"acl entry without AccessRights", schemas.AccessControlListResponse,
			`{"RoleTrusteeAccessControlEntries":[{"Trustee":null,"AccessType":0}]}`,
			`property "RoleTrusteeAccessControlEntries[0].AccessRights" is required`},
		{"acl trustee without TenantId", schemas.AccessControlListResponse,
			`{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":1,"ObjectId":"u"},"AccessType":0,"AccessRights":1}]}`,
			`property "RoleTrusteeAccessControlEntries[0].Trustee.TenantId" is required`},
		{"preview session with the v1 heartbeat", schemas.ClientSession, strings.Replace(previewSession, "FailoverStatus", "FailoverScore", 1),
			`property "Heartbeat.FailoverStatus" is required`},
		{"v1 session with the preview override name", schemas.V1ClientSession, strings.Replace(v1Session, "RoleOverride\"", "Override\"", 1),
			`property "RoleOverride" is required`},
		{"session role", schemas.ClientSession, strings.Replace(newSession, `"Role":0`, `"Role":3`, 1),
			`property "Role": 3 is not one of 0 (Secondary), 1 (Primary), 2 (PendingPrimary)`},
		{"error without Resolution", schemas.ErrorResponse, `{"OperationId":null,"Error":"e","Reason":"r"}`,
			`property "Resolution" is required`},
		{"heartbeat answer date", schemas.FailoverResponse, `{"Role":1,"LastDataProcessedTime":"2024-01-02 03:04:05"}`,
			`property "LastDataProcessedTime": "2024-01-02 03:04:05" is not a valid date-time`},
		{"list instead of an object", schemas.GroupStatus, `[]`, `the body must be an object, not an array`},
		{"malformed", schemas.GroupStatus, `{"Primary":`, `the body is not valid JSON: it ends too early`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Validate(tt.schema, []byte(tt.doc))
			var de *schemas.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Validate error = %v, want a *DecodeError", err)
			}
			if de.Reason != tt.reason {
				t.Errorf("Reason = %s\nwant     %s", de.Reason, tt.reason)
			}
		})
	}
}

func TestValidateAcceptsEveryFormOfDocument(t *testing.T) {
	v := newValidator(t)
	var unmarshalled any
	if err := json.Unmarshal([]byte(failoverAnswer), &unmarshalled); err != nil {
		t.Fatal(err)
	}
	type failoverResponse struct {
		Role                  int
		LastDataProcessedTime *string
	}
	for _, doc := range []any{
		[]byte(failoverAnswer),
		json.RawMessage(failoverAnswer),
		unmarshalled, // numbers as float64
		failoverResponse{Role: 1},
	} {
		if err := v.Validate(schemas.FailoverResponse, doc); err != nil {
			t.Errorf("Validate(%T): %v", doc, err)
		}
	}
	if err := v.Validate(schemas.FailoverResponse, map[string]any{"Role": 1.5, "LastDataProcessedTime": nil}); err == nil {
		t.Error("a Role of 1.5 was accepted")
	}
	if err := v.Validate(schemas.FailoverResponse, make(chan int)); err == nil {
		t.Error("a channel was accepted")
	}
}

func TestValidateDoesNotRename(t *testing.T) {
	// Answers must use the declared names; only requests are renamed.
	v := newValidator(t)
	err := v.Validate(schemas.FailoverEndpointInfo, []byte(`{"version":"1.0"}`))
	if err == nil || err.Error() != `property "Version" is required` {
		t.Errorf("error = %v", err)
	}
}
