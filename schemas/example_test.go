package schemas_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/adh-emulator/clientfailover/schemas"
)

func ExampleValidator_Decode() {
	v, err := schemas.Default()
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
	v, err := schemas.Default()
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
	v, err := schemas.Default()
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

func ExampleValidator_Decode_ignored() {
	v, err := schemas.Default()
	if err != nil {
		panic(err)
	}
	// Unknown properties are dropped, as ASP.NET ignores them, and listed.
	body := []byte(`{"RoleTrusteeAccessControlEntries": [
		{"Trustee": {"Type": 3, "ObjectId": "r1"}, "AccessRights": 1},
		{"Trustee": {"Type": 1, "Name": "typo"}, "Rights": 31}
	], "Version": 2}`)
	ignored, err := v.Decode(schemas.AccessControlList, body, nil)
	fmt.Println(ignored, err)
	// Output: [RoleTrusteeAccessControlEntries[1].Trustee.Name RoleTrusteeAccessControlEntries[1].Rights Version] <nil>
}

func ExampleValidator_Decode_enumNames() {
	v, err := schemas.Default()
	if err != nil {
		panic(err)
	}
	// An enum may be given by name in any case; the document carries the
	// number.
	var override map[string]any
	if _, err := v.Decode(schemas.RoleOverrideConfiguration, []byte(`{"Value": "primary", "ExpirationPeriod": "08:00:00"}`), &override); err != nil {
		panic(err)
	}
	fmt.Println(override["Value"])

	_, err = v.Decode(schemas.RoleOverrideConfiguration, []byte(`{"Value": "Maybe"}`), nil)
	fmt.Println(err)
	// Output:
	// 1
	// property "Value": "Maybe" is not one of 0 (Off), 1 (Primary)
}

func ExampleMaxDepth() {
	v, err := schemas.Default()
	if err != nil {
		panic(err)
	}
	// The body is refused by a byte scan before it is parsed.
	body := []byte(strings.Repeat("[", 1<<20))
	_, err = v.Decode(schemas.GroupConfiguration, body, nil)
	fmt.Println(err, errors.Is(err, schemas.ErrTooDeep))
	// Output: the request body nests deeper than 64 levels true
}

func ExampleDefault() {
	// Every caller in a process shares one compiled Validator.
	a, err := schemas.Default()
	if err != nil {
		panic(err)
	}
	b, _ := schemas.Default()
	fmt.Println(a == b)
	// Output: true
}

func ExampleValidator_Validate() {
	v, err := schemas.Default()
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
