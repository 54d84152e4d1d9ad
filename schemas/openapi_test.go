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
	previewScope   = "/api/v1-preview/tenants/{tenantId}/namespaces/{namespaceId}"
	v1Scope        = "/api/v1/tenants/{tenantId}/namespaces/{namespaceId}"
	onPremPrefix   = "/api/v1"
	collectionPath = "/accesscontrol/clientfailover/groups"
	v1IDPrefix     = "v1-"
	onPremIDPrefix = "onprem-"
)

// openAPIOperation is what the tests read of one operation.
type openAPIOperation struct {
	path, method string
	OperationID  string                     `json:"operationId"`
	Name         string                     `json:"x-operation-name"`
	Revisions    []string                   `json:"x-revisions"`
	Surfaces     []string                   `json:"x-surfaces"`
	Parameters   []map[string]string        `json:"parameters"`
	Security     []map[string][]string      `json:"security"`
	RequestBody  json.RawMessage            `json:"requestBody"`
	Responses    map[string]openAPIResponse `json:"responses"`
}

// surface is the one surface an operation belongs to.
func (op openAPIOperation) surface() string {
	if len(op.Surfaces) != 1 {
		return ""
	}
	return op.Surfaces[0]
}

type openAPIResponse struct {
	Headers map[string]map[string]string `json:"headers"`
	Content map[string]json.RawMessage   `json:"content"`
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

// isACL reports whether an operation is about access control lists, which
// the on-premises service does not have.
func isACL(name operation.Name) bool {
	switch name {
	case operation.GetCollectionAcl, operation.SetCollectionAcl, operation.GetGroupAcl, operation.SetGroupAcl:
		return true
	}
	return false
}

// onPremPath is the on-premises path of an operation whose cloud path, after
// the scope, is suffix.
func onPremPath(suffix string) string {
	return onPremPrefix + strings.Replace(suffix, "/clientsessions", "/clientSessions", 1)
}

func TestOpenAPIListsEveryOperationOnEverySurface(t *testing.T) {
	_, ops := openAPI(t)
	byID := map[string]openAPIOperation{}
	for _, op := range ops {
		if _, dup := byID[op.OperationID]; dup {
			t.Errorf("operationId %s is used twice", op.OperationID)
		}
		byID[op.OperationID] = op
	}
	configuration := apidoc.ConfigurationOperations()
	cloud := 0
	for _, name := range operation.All() {
		if slices.Contains(configuration, name) {
			continue // on-premises only: checked below
		}
		cloud++
		t.Run(string(name), func(t *testing.T) {
			preview, ok := byID[string(name)]
			if !ok {
				t.Fatalf("no operation %s", name)
			}
			suffix, under := strings.CutPrefix(preview.path, previewScope)
			if !under {
				t.Fatalf("path = %s, want it under %s", preview.path, previewScope)
			}
			if (name == operation.GetCollectionAcl || name == operation.SetCollectionAcl) != (suffix == collectionPath) {
				t.Errorf("path = %s; the collection's access control list, and only it, is at %s", preview.path, collectionPath)
			}
			copies := []struct {
				id, surface, revision, path string
			}{
				{string(name), apidoc.SurfacePreview, "v1-preview", preview.path},
				{v1IDPrefix + string(name), apidoc.SurfaceV1, "v1", v1Scope + suffix},
				{onPremIDPrefix + string(name), apidoc.SurfaceOnPrem, "v1", onPremPath(suffix)},
			}
			for _, c := range copies {
				op, ok := byID[c.id]
				if c.surface == apidoc.SurfaceOnPrem && isACL(name) {
					if ok {
						t.Errorf("%s: the on-premises service has no access control lists", c.id)
					}
					continue
				}
				if !ok {
					t.Errorf("no operation %s", c.id)
					continue
				}
				if op.path != c.path || op.method != preview.method {
					t.Errorf("%s is %s %s, want %s %s", c.id, op.method, op.path, preview.method, c.path)
				}
				if op.Name != string(name) {
					t.Errorf("%s: x-operation-name = %q", c.id, op.Name)
				}
				if !slices.Equal(op.Surfaces, []string{c.surface}) || !slices.Equal(op.Revisions, []string{c.revision}) {
					t.Errorf("%s: x-surfaces %q, x-revisions %q; want [%s], [%s]", c.id, op.Surfaces, op.Revisions, c.surface, c.revision)
				}
			}
		})
	}
	for _, name := range configuration {
		t.Run(string(name), func(t *testing.T) {
			op, ok := byID[string(name)]
			if !ok {
				t.Fatalf("no operation %s", name)
			}
			if !strings.HasPrefix(op.path, "/api/v1/configuration") || op.surface() != apidoc.SurfaceOnPrem || op.Name != string(name) {
				t.Errorf("%s is at %s on %q as %q, want it under /api/v1/configuration on onprem", name, op.path, op.Surfaces, op.Name)
			}
		})
	}
	if want := 3*cloud - 4 + len(configuration); len(ops) != want {
		t.Errorf("%d operations, want %d (%d per cloud revision, those without access control lists on-premises, and the %d of the configuration)",
			len(ops), want, cloud, len(configuration))
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

		"GetConfiguration":        "200 401 403",
		"PutConfiguration":        "204 400 401 403 413",
		"GetLoggingConfiguration": "200 401 403",
		"PutLoggingConfiguration": "204 400 401 403 413",
		"ListHealthEndpoints":     "200 401 403",
		"DeleteHealthEndpoints":   "204 401 403",
		"PostHealthEndpoints":     "201 400 401 403 409 413",
		"PutHealthEndpoints":      "204 400 401 403 413",
		"GetHealthEndpoint":       "200 400 401 403 404",
		"PutHealthEndpoint":       "204 400 401 403 404 413",
		"DeleteHealthEndpoint":    "204 400 401 403 404",
	}
	for _, op := range ops {
		t.Run(op.OperationID, func(t *testing.T) {
			var got []string
			for status := range op.Responses {
				got = append(got, status)
			}
			slices.Sort(got)
			want, ok := statuses[op.Name]
			if !ok {
				t.Fatalf("no statuses listed for %s", op.Name)
			}
			if op.surface() == apidoc.SurfaceV1 {
				want += " 503" // the generally available reference lists it everywhere
			}
			if op.OperationID == "onprem-GetInformation" {
				want = "200 401 403" // no id or body on-premises: nothing to refuse with a 400
			}
			if strings.Join(got, " ") != want {
				t.Errorf("statuses %s, want %s", strings.Join(got, " "), want)
			}
			if (op.RequestBody != nil) != slices.Contains(got, "413") {
				t.Errorf("413 must be documented exactly when there is a request body")
			}
		})
	}
}

func TestOpenAPIV1ListsServiceUnavailable(t *testing.T) {
	_, ops := openAPI(t)
	for _, op := range ops {
		_, has503 := op.Responses["503"]
		if isV1 := op.surface() == apidoc.SurfaceV1; isV1 != has503 {
			t.Errorf("%s (%s): 503 listed = %v; the v1 operations, and only they, list it", op.OperationID, op.path, has503)
		}
		if has503 && op.Responses["503"].Content == nil {
			t.Errorf("%s: 503 has no ErrorResponse body", op.OperationID)
		}
	}
}

func TestOpenAPIOnPremisesOperations(t *testing.T) {
	_, ops := openAPI(t)
	n := 0
	for _, op := range ops {
		if op.surface() != apidoc.SurfaceOnPrem {
			if strings.HasPrefix(op.path, "/api/v1/clientfailover") || strings.HasPrefix(op.path, "/api/v1/configuration") {
				t.Errorf("%s is at the on-premises path %s but on surface %q", op.OperationID, op.path, op.Surfaces)
			}
			continue
		}
		n++
		if strings.Contains(op.path, "{tenantId}") || strings.Contains(op.path, "{namespaceId}") {
			t.Errorf("%s: path %s has a tenant or namespace", op.OperationID, op.path)
		}
		for _, p := range op.Parameters {
			if ref := p["$ref"]; strings.HasSuffix(ref, "/tenantId") || strings.HasSuffix(ref, "/namespaceId") {
				t.Errorf("%s: parameter %s", op.OperationID, ref)
			}
		}
		if !slices.ContainsFunc(op.Security, func(s map[string][]string) bool { _, basic := s["basic"]; return basic }) {
			t.Errorf("%s: security %v does not offer Basic", op.OperationID, op.Security)
		}
		if h := op.Responses["401"].Headers["WWW-Authenticate"]; h["$ref"] != "#/components/headers/WWW-Authenticate-Basic" {
			t.Errorf("%s: 401 WWW-Authenticate is %v, want the Basic header", op.OperationID, h)
		}
		if op.Responses["403"].Content == nil {
			t.Errorf("%s: 403 has no ErrorResponse body", op.OperationID)
		}
		if !strings.HasPrefix(op.path, "/api/v1/clientfailover") && !strings.HasPrefix(op.path, "/api/v1/configuration") {
			t.Errorf("%s: path %s is not under /api/v1/clientfailover or /api/v1/configuration", op.OperationID, op.path)
		}
	}
	if n == 0 {
		t.Fatal("no on-premises operation")
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
			if op.surface() != apidoc.SurfaceOnPrem && op.Responses["403"].Content != nil {
				t.Errorf("%s: 403 has a body; the source document says None", op.OperationID)
			}
		}
		if op.Responses["401"].Headers["WWW-Authenticate"] == nil {
			t.Errorf("%s: 401 has no WWW-Authenticate header", op.OperationID)
		}
		for status, r := range op.Responses {
			if status != "204" && status != "403" && r.Content == nil {
				t.Errorf("%s: %s has no body", op.OperationID, status)
			}
		}
	}
}

func TestOpenAPISurfacesUseTheirSchemas(t *testing.T) {
	_, ops := openAPI(t)
	for _, op := range ops {
		bodies, err := json.Marshal(op) // the request body and the responses
		if err != nil {
			t.Fatal(err)
		}
		text := string(bodies)
		usesV1 := strings.Contains(text, schemas.BaseURL+"v1/")
		usesOnPrem := strings.Contains(text, schemas.BaseURL+"onprem/")
		switch op.Name {
		case "PostHeartbeatMessage":
			if want := op.surface() != apidoc.SurfacePreview; usesV1 != want || usesOnPrem {
				t.Errorf("%s: uses v1 schemas = %v, on-premises schemas = %v", op.OperationID, usesV1, usesOnPrem)
			}
		case "PostGroup", "PutGroup", "GetGroupConfiguration", "ListGroupConfigurations",
			"ListClientSessions", "PostClientSession", "GetClientSession":
			if usesV1 != (op.surface() == apidoc.SurfaceV1) || usesOnPrem != (op.surface() == apidoc.SurfaceOnPrem) {
				t.Errorf("%s: uses v1 schemas = %v, on-premises schemas = %v", op.OperationID, usesV1, usesOnPrem)
			}
		case "PostRoleOverride":
			if usesV1 || usesOnPrem != (op.surface() == apidoc.SurfaceOnPrem) {
				t.Errorf("%s: uses v1 schemas = %v, on-premises schemas = %v", op.OperationID, usesV1, usesOnPrem)
			}
		default:
			if usesV1 {
				t.Errorf("%s: uses a v1 schema, but its types are shared", op.OperationID)
			}
			if usesOnPrem && !slices.Contains(apidoc.ConfigurationOperations(), operation.Name(op.Name)) {
				t.Errorf("%s: uses an on-premises schema, but its types are shared", op.OperationID)
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
