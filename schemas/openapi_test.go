package schemas_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/schemas"
	"github.com/adh-emulator/clientfailover/schemas/internal/apidoc"
)

const (
	previewScope    = "/api/v1-preview/tenants/{tenantId}/namespaces/{namespaceId}/clientfailover"
	v1Scope         = "/api/v1/tenants/{tenantId}/namespaces/{namespaceId}/clientfailover"
	collectionPath  = "/api/v1/tenants/{tenantId}/namespaces/{namespaceId}/accesscontrol/clientfailover/groups"
	v1OperationIDOf = "v1-"
)

// openAPIOperation is what the tests read of one operation.
type openAPIOperation struct {
	path, method string
	OperationID  string                     `json:"operationId"`
	Name         string                     `json:"x-operation-name"`
	Revisions    []string                   `json:"x-revisions"`
	RequestBody  json.RawMessage            `json:"requestBody"`
	Responses    map[string]openAPIResponse `json:"responses"`
}

type openAPIResponse struct {
	Headers map[string]json.RawMessage `json:"headers"`
	Content map[string]json.RawMessage `json:"content"`
}

// openAPI parses the embedded document.
func openAPI(t *testing.T) (doc map[string]any, ops []openAPIOperation) {
	t.Helper()
	if err := json.Unmarshal(schemas.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	var typed struct {
		Paths map[string]map[string]openAPIOperation `json:"paths"`
	}
	if err := json.Unmarshal(schemas.OpenAPI(), &typed); err != nil {
		t.Fatalf("reading paths: %v", err)
	}
	for path, item := range typed.Paths {
		for method, op := range item {
			op.path, op.method = path, method
			ops = append(ops, op)
		}
	}
	return doc, ops
}

func TestOpenAPIIsUpToDate(t *testing.T) {
	want, err := apidoc.Build()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(schemas.OpenAPI(), want) {
		t.Error("openapi.json differs from what package apidoc builds; run: go generate ./schemas")
	}
}

func TestOpenAPIVersion(t *testing.T) {
	doc, _ := openAPI(t)
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
}

func TestOpenAPIListsEveryOperationForBothRevisions(t *testing.T) {
	_, ops := openAPI(t)
	byID := map[string]openAPIOperation{}
	for _, op := range ops {
		if _, dup := byID[op.OperationID]; dup {
			t.Errorf("operationId %s is used twice", op.OperationID)
		}
		byID[op.OperationID] = op
	}
	for _, name := range operation.All() {
		collection := name == operation.GetCollectionAcl || name == operation.SetCollectionAcl
		t.Run(string(name), func(t *testing.T) {
			preview, ok := byID[string(name)]
			if !ok {
				t.Fatalf("no operation %s", name)
			}
			if preview.Name != string(name) {
				t.Errorf("x-operation-name = %q", preview.Name)
			}
			if collection {
				if preview.path != collectionPath {
					t.Errorf("path = %s, want %s", preview.path, collectionPath)
				}
				if !slices.Equal(preview.Revisions, []string{"v1-preview", "v1"}) {
					t.Errorf("x-revisions = %q, want both", preview.Revisions)
				}
				return
			}
			if !strings.HasPrefix(preview.path, previewScope) {
				t.Errorf("path = %s, want it under %s", preview.path, previewScope)
			}
			v1, ok := byID[v1OperationIDOf+string(name)]
			if !ok {
				t.Fatalf("no operation %s%s", v1OperationIDOf, name)
			}
			if want := v1Scope + strings.TrimPrefix(preview.path, previewScope); v1.path != want || v1.method != preview.method {
				t.Errorf("v1 copy is %s %s, want %s %s", v1.method, v1.path, preview.method, want)
			}
			if v1.Name != string(name) {
				t.Errorf("v1 x-operation-name = %q", v1.Name)
			}
		})
	}
	if want := 2*len(operation.All()) - 2; len(ops) != want {
		t.Errorf("%d operations, want %d (17 per revision, the collection's 2 shared)", len(ops), want)
	}
}

func TestOpenAPIStatuses(t *testing.T) {
	_, ops := openAPI(t)
	statuses := map[string]string{
		"ListGroupConfigurations": "200 400 401 403",
		"PostGroup":               "200 201 400 401 403 409 413",
		"GetGroupConfiguration":   "200 400 401 403 404",
		"PutGroup":                "200 201 400 401 403 413",
		"DeleteGroup":             "204 400 401 403 404 409",
		"GetGroupStatus":          "200 400 401 403 404",
		"GetCollectionAcl":        "200 400 401 403",
		"SetCollectionAcl":        "204 400 401 403 413",
		"GetInformation":          "200 400 401 403",
		"ListClientSessions":      "200 400 401 403 404",
		"PostClientSession":       "200 201 400 401 403 404 409 413",
		"GetClientSession":        "200 400 401 403 404",
		"DeleteClientSession":     "204 400 401 403 404",
		"PostHeartbeatMessage":    "200 400 401 403 404 413 429",
		"PostRoleOverride":        "200 400 401 403 404 413",
		"GetGroupAcl":             "200 400 401 403 404",
		"SetGroupAcl":             "204 400 401 403 404 413",
	}
	for _, op := range ops {
		t.Run(op.OperationID, func(t *testing.T) {
			var got []string
			for status := range op.Responses {
				got = append(got, status)
			}
			slices.Sort(got)
			if want := statuses[op.Name]; strings.Join(got, " ") != want {
				t.Errorf("statuses %s, want %s", strings.Join(got, " "), want)
			}
			if (op.RequestBody != nil) != slices.Contains(got, "413") {
				t.Errorf("413 must be documented exactly when there is a request body")
			}
		})
	}
}

func TestOpenAPIHeadersAndBodies(t *testing.T) {
	_, ops := openAPI(t)
	for _, op := range ops {
		switch op.Name {
		case "ListGroupConfigurations":
			if op.Responses["200"].Headers["Total-Count"] == nil {
				t.Errorf("%s: 200 has no Total-Count header", op.OperationID)
			}
		case "PostHeartbeatMessage":
			if op.Responses["429"].Headers["Retry-After"] == nil {
				t.Errorf("%s: 429 has no Retry-After header", op.OperationID)
			}
		case "DeleteGroup":
			if op.Responses["403"].Content != nil {
				t.Errorf("%s: 403 has a body; the source document says None", op.OperationID)
			}
		}
		for status, r := range op.Responses {
			if status != "204" && status != "403" && r.Content == nil {
				t.Errorf("%s: %s has no body", op.OperationID, status)
			}
		}
	}
}

func TestOpenAPIRevisionsUseTheirSchemas(t *testing.T) {
	_, ops := openAPI(t)
	for _, op := range ops {
		bodies, err := json.Marshal(op) // the request body and the responses
		if err != nil {
			t.Fatal(err)
		}
		isV1 := strings.HasPrefix(op.OperationID, v1OperationIDOf)
		usesV1 := strings.Contains(string(bodies), schemas.BaseURL+"v1/")
		switch op.Name {
		case "PostGroup", "PutGroup", "GetGroupConfiguration", "ListGroupConfigurations",
			"ListClientSessions", "PostClientSession", "GetClientSession", "PostHeartbeatMessage":
			if isV1 != usesV1 {
				t.Errorf("%s: uses v1 schemas = %v", op.OperationID, usesV1)
			}
		default:
			if usesV1 {
				t.Errorf("%s: uses a v1 schema, but its types are shared", op.OperationID)
			}
		}
	}
}

func TestOpenAPIRefsResolve(t *testing.T) {
	doc, _ := openAPI(t)
	embedded := map[string]bool{}
	for _, name := range schemas.Names() {
		embedded[schemas.ID(name)] = true
	}
	var walk func(v any, at string)
	count := 0
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if k == "$ref" {
					count++
					ref := child.(string)
					if strings.HasPrefix(ref, "#/") {
						if resolveLocal(doc, ref) == nil {
							t.Errorf("%s: $ref %s does not resolve in the document", at, ref)
						}
					} else if !embedded[ref] {
						t.Errorf("%s: $ref %s is not the $id of an embedded schema", at, ref)
					}
					continue
				}
				walk(child, at+"/"+k)
			}
		case []any:
			for _, child := range v {
				walk(child, at)
			}
		}
	}
	walk(doc, "")
	if count == 0 {
		t.Error("no $ref found")
	}
}

// resolveLocal follows a "#/a/b" reference inside doc.
func resolveLocal(doc map[string]any, ref string) any {
	var v any = doc
	for _, token := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(token)]
	}
	return v
}

func TestOpenAPIIsInTheFS(t *testing.T) {
	data, err := fs.ReadFile(schemas.FS(), "openapi.json")
	if err != nil || !bytes.Equal(data, schemas.OpenAPI()) {
		t.Errorf("FS() openapi.json differs from OpenAPI() (err %v)", err)
	}
}
