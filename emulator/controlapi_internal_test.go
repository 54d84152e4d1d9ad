package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// The control API's OpenAPI document lists exactly the routes the emulator
// serves under /_emulator, each with its parameters and statuses: both come
// from one table, and this test holds them to it.
func TestControlOpenAPIMatchesTheRoutes(t *testing.T) {
	srv, err := New(Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ControlPrefix+"/openapi-control.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET openapi-control.json: %d %s", rec.Code, rec.Body)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Summary     string
			Parameters  []struct{ Name, In string }
			Responses   map[string]any
			Security    *[]any
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	var documented []string
	ids := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			if op.Summary == "" || len(op.Responses) == 0 || op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s %s: summary %q, %d responses, operationId %q (unique: %v)", method, path, op.Summary, len(op.Responses), op.OperationID, !ids[op.OperationID])
			}
			ids[op.OperationID] = true
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") {
					name := strings.Trim(seg, "{}")
					found := false
					for _, p := range op.Parameters {
						found = found || p.In == "path" && p.Name == name
					}
					if !found {
						t.Errorf("%s %s: path parameter %s is not described", method, path, name)
					}
				}
			}
			_, has401 := op.Responses["401"]
			public := op.Security != nil && len(*op.Security) == 0
			if has401 == public {
				t.Errorf("%s %s: public %v but 401 listed %v", method, path, public, has401)
			}
		}
	}
	// The routes the server really has under /_emulator.
	var served []string
	for _, r := range restEngine().Routes() {
		if !strings.HasPrefix(r.Path, ControlPrefix+"/") {
			continue
		}
		path, _ := openAPIPath(strings.TrimPrefix(r.Path, ControlPrefix))
		served = append(served, r.Method+" "+path)
	}
	sort.Strings(documented)
	sort.Strings(served)
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Errorf("documented:\n%s\n\nserved:\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}
	if len(served) < 25 {
		t.Errorf("only %d control routes", len(served))
	}
}

// The public routes of the table are exactly the ones the admin token does
// not guard.
func TestPublicControlRoutesNeedNoAdminToken(t *testing.T) {
	srv, err := New(Options{NoListener: true, AdminToken: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, rt := range controlAPI() {
		if rt.method != http.MethodGet {
			continue
		}
		path, _ := openAPIPath(rt.path)
		path = strings.NewReplacer("{id}", "x", "{file}", "index.html").Replace(path)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ControlPrefix+path, nil))
		if got := rec.Code == http.StatusUnauthorized; got == rt.public {
			t.Errorf("GET %s without the token: %d; public %v", path, rec.Code, rt.public)
		}
	}
}
