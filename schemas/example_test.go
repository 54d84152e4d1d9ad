package schemas_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/adh-emulator/clientfailover/schemas"
)

func ExampleValidator_Decode() {
	v, err := schemas.New()
	if err != nil {
		panic(err)
	}
	// Clients may spell property names in any case, as with ASP.NET.
	body := []byte(`{"id": "line-1", "failoverTimeout": "00:01:00", "color": "ignored"}`)
	var group struct {
		Id              *string
		Name            *string
		FailoverTimeout string
	}
	if _, err := v.Decode(schemas.GroupConfiguration, body, &group); err != nil {
		panic(err)
	}
	fmt.Println(*group.Id, group.Name == nil, group.FailoverTimeout)
	// Output: line-1 true 00:01:00
}

func ExampleValidator_Decode_invalid() {
	v, err := schemas.New()
	if err != nil {
		panic(err)
	}
	for _, body := range []string{
		`{"failoverTimeout": "abc"}`,
		`{"FailoverTimeout": "00:00:00"}`,
		`{"Name": "no timeout"}`,
		`[]`,
	} {
		_, err := v.Decode(schemas.GroupConfiguration, []byte(body), nil)
		var de *schemas.DecodeError
		if errors.As(err, &de) {
			fmt.Println(de.Reason)
		}
	}
	// Output:
	// property "FailoverTimeout": "abc" is not a valid time-span
	// property "FailoverTimeout": "00:00:00" is not greater than zero
	// property "FailoverTimeout" is required
	// the request body must be a JSON object, not an array
}

func ExampleValidator_Decode_nested() {
	v, err := schemas.New()
	if err != nil {
		panic(err)
	}
	body := []byte(`{"roleTrusteeAccessControlEntries": [{"trustee": {"type": 3, "objectId": "r1"}, "accessRights": 1}]}`)
	var canonical json.RawMessage
	if _, err := v.Decode(schemas.AccessControlList, body, &canonical); err != nil {
		panic(err)
	}
	fmt.Println(string(canonical))

	_, err = v.Decode(schemas.AccessControlList, []byte(`{"RoleTrusteeAccessControlEntries": [{"Trustee": {"Type": 4}}]}`), nil)
	fmt.Println(err)
	// Output:
	// {"RoleTrusteeAccessControlEntries":[{"AccessRights":1,"Trustee":{"ObjectId":"r1","Type":3}}]}
	// property "RoleTrusteeAccessControlEntries[0].Trustee.Type": 4 is not one of 1 (User), 2 (Client), 3 (Role)
}

func ExampleValidator_Validate() {
	v, err := schemas.New()
	if err != nil {
		panic(err)
	}
	// Answers carry every property; a missing one is caught.
	fmt.Println(v.Validate(schemas.FailoverResponse, []byte(`{"Role": 1, "LastDataProcessedTime": null}`)))
	fmt.Println(v.Validate(schemas.FailoverResponse, []byte(`{"Role": 1}`)))
	// Output:
	// <nil>
	// property "LastDataProcessedTime" is required
}

func ExampleOpenAPI() {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(schemas.OpenAPI(), &doc); err != nil {
		panic(err)
	}
	heartbeat := doc.Paths["/api/v1/tenants/{tenantId}/namespaces/{namespaceId}/clientfailover/groups/{groupId}/clientsessions/{sessionId}/heartbeat"]
	fmt.Println(doc.OpenAPI, heartbeat["post"].(map[string]any)["operationId"])
	// Output: 3.1.0 v1-PostHeartbeatMessage
}

func ExampleID() {
	fmt.Println(schemas.ID(schemas.V1FailoverHeartbeat))
	// Output: https://schemas.adh-emulator.dev/v1/FailoverHeartbeat.json
}
