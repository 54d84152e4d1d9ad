package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/schemas"
)

const (
	preview = "/api/v1-preview/tenants/t/namespaces/n/clientfailover"
	ga      = "/api/v1/tenants/t/namespaces/n/clientfailover"
	collACL = "/api/v1/tenants/t/namespaces/n/accesscontrol/clientfailover/groups"
)

// newServer starts an in-process emulator on a manual clock with group g
// holding sessions s1 (Primary) and s2.
func newServer(t *testing.T) *emulator.Server {
	t.Helper()
	srv, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, r := range []struct{ method, path, body string }{
		{http.MethodPost, preview + "/groups", `{"Id":"g","Name":"G","FailoverTimeout":"00:00:30"}`},
		{http.MethodPost, preview + "/groups/g/clientsessions", `{"Id":"s1","Name":"one"}`},
		{http.MethodPost, preview + "/groups/g/clientsessions", `{"Id":"s2","Name":"two"}`},
		{http.MethodPost, preview + "/groups/g/clientsessions/s1/heartbeat", `{"FailoverStatus":100}`},
	} {
		if rec := serve(srv, r.method, r.path, r.body); rec.Code >= 300 {
			t.Fatalf("%s %s: %d %s", r.method, r.path, rec.Code, rec.Body)
		}
	}
	return srv
}

func serve(srv *emulator.Server, method, path, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	}
	srv.Handler().ServeHTTP(rec, req)
	return rec
}

// Bad input gets its documented 4xx with an ErrorResponse that says what was
// wrong, never a 500, and changes nothing.
func TestBadInputIsRejectedAndChangesNothing(t *testing.T) {
	validator, err := schemas.Default()
	if err != nil {
		t.Fatal(err)
	}
	big := `{"Id":"x","FailoverTimeout":"00:01:00","Name":"` + strings.Repeat("a", 2<<20) + `"}`
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"malformed JSON", http.MethodPost, preview + "/groups", `{"Id":`, 400},
		{"array body", http.MethodPost, preview + "/groups", `[{"FailoverTimeout":"00:01:00"}]`, 400},
		{"scalar body", http.MethodPost, preview + "/groups", `42`, 400},
		{"no body", http.MethodPost, preview + "/groups", ``, 400},
		{"missing timeout", http.MethodPost, preview + "/groups", `{"Id":"x"}`, 400},
		{"null timeout", http.MethodPost, preview + "/groups", `{"Id":"x","FailoverTimeout":null}`, 400},
		{"numeric timeout", http.MethodPost, preview + "/groups", `{"Id":"x","FailoverTimeout":60}`, 400},
		{"zero timeout", http.MethodPost, preview + "/groups", `{"Id":"x","FailoverTimeout":"00:00:00"}`, 400},
		{"negative timeout", http.MethodPost, preview + "/groups", `{"Id":"x","FailoverTimeout":"-00:00:10"}`, 400},
		{"malformed timeout", http.MethodPost, preview + "/groups", `{"Id":"x","FailoverTimeout":"soon"}`, 400},
		{"existing id", http.MethodPost, preview + "/groups", `{"Id":"G","FailoverTimeout":"00:01:00"}`, 409},
		{"body id differs", http.MethodPut, preview + "/groups/g", `{"Id":"other","FailoverTimeout":"00:01:00"}`, 400},
		{"too large", http.MethodPost, preview + "/groups", big, 413},
		{"negative skip", http.MethodGet, preview + "/groups?skip=-1", ``, 400},
		{"fractional count", http.MethodGet, preview + "/groups?count=1.5", ``, 400},
		{"text count", http.MethodGet, preview + "/groups?count=ten", ``, 400},
		{"count over max", http.MethodGet, preview + "/groups?count=1001", ``, 400},
		{"unknown group", http.MethodGet, preview + "/groups/nope", ``, 404},
		{"unknown group status", http.MethodGet, preview + "/groups/nope/status", ``, 404},
		{"live sessions", http.MethodDelete, preview + "/groups/g", ``, 409},
		{"unknown trustee type", http.MethodPut, collACL, `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":9},"AccessType":0,"AccessRights":1}]}`, 400},
		{"unknown access type", http.MethodPut, collACL, `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":1},"AccessType":5,"AccessRights":1}]}`, 400},
		{"negative rights", http.MethodPut, collACL, `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":1},"AccessType":0,"AccessRights":-1}]}`, 400},
		{"session other name", http.MethodPost, preview + "/groups/g/clientsessions", `{"Id":"s1","Name":"other"}`, 409},
		{"heartbeat unknown session", http.MethodPost, preview + "/groups/g/clientsessions/nope/heartbeat", `{"FailoverStatus":1}`, 404},
		{"heartbeat unknown session beats bad body", http.MethodPost, preview + "/groups/g/clientsessions/nope/heartbeat", `{"FailoverStatus":"x"}`, 404},
		{"heartbeat score over 100", http.MethodPost, preview + "/groups/g/clientsessions/s2/heartbeat", `{"FailoverStatus":100.5}`, 400},
		{"heartbeat null score", http.MethodPost, preview + "/groups/g/clientsessions/s2/heartbeat", `{"FailoverStatus":null}`, 400},
		{"heartbeat text score", http.MethodPost, preview + "/groups/g/clientsessions/s2/heartbeat", `{"FailoverStatus":"high"}`, 400},
		{"heartbeat bad date", http.MethodPost, preview + "/groups/g/clientsessions/s2/heartbeat", `{"FailoverStatus":1,"HeartbeatTime":"yesterday"}`, 400},
		{"v1 heartbeat without score", http.MethodPost, ga + "/groups/g/clientsessions/s2/heartbeat", `{"HeartbeatTime":"2026-01-01T00:00:00Z"}`, 400},
		{"override unknown value", http.MethodPost, preview + "/groups/g/clientsessions/s2/roleoverride", `{"Value":2}`, 400},
		{"override bad period", http.MethodPost, preview + "/groups/g/clientsessions/s2/roleoverride", `{"Value":1,"ExpirationPeriod":"later"}`, 400},
		{"override zero period", http.MethodPost, preview + "/groups/g/clientsessions/s2/roleoverride", `{"Value":1,"ExpirationPeriod":"00:00:00"}`, 400},
		{"id too long", http.MethodGet, preview + "/groups/" + strings.Repeat("x", 300), ``, 400},
		{"unknown route", http.MethodGet, "/api/v1-preview/nothing", ``, 404},
		{"wrong method", http.MethodPatch, preview + "/groups/g", ``, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			before := srv.State(context.Background())
			rec := serve(srv, tt.method, tt.path, tt.body)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if err := validator.Validate(schemas.ErrorResponse, rec.Body.Bytes()); err != nil {
				t.Errorf("body is not an ErrorResponse: %v: %s", err, rec.Body)
			}
			var e map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &e)
			for _, k := range []string{"OperationId", "Error", "Reason", "Resolution"} {
				if s, _ := e[k].(string); s == "" {
					t.Errorf("ErrorResponse.%s is empty: %s", k, rec.Body)
				}
			}
			if after := srv.State(context.Background()); !reflect.DeepEqual(before, after) {
				t.Errorf("state changed by a failed request")
			}
		})
	}
}

// Every successful answer matches its JSON Schema, in both revisions.
func TestResponsesMatchTheirSchemas(t *testing.T) {
	validator, err := schemas.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t)
	tests := []struct {
		method, path, body string
		want               int
		schema             string
		list               bool
	}{
		{http.MethodGet, preview + "/groups", "", 200, schemas.GroupConfigurationResponse, true},
		{http.MethodGet, preview + "/groups/G", "", 200, schemas.GroupConfigurationResponse, false},
		{http.MethodPut, preview + "/groups/h", `{"FailoverTimeout":"1.02:03:04.5"}`, 201, schemas.GroupConfigurationResponse, false},
		{http.MethodGet, ga + "/groups/g", "", 200, schemas.V1GroupConfigurationResponse, false},
		{http.MethodGet, preview + "/groups/g/status", "", 200, schemas.GroupStatus, false},
		{http.MethodGet, collACL, "", 200, schemas.AccessControlListResponse, false},
		{http.MethodGet, preview + "/groups/g/accesscontrol", "", 200, schemas.AccessControlListResponse, false},
		{http.MethodGet, preview, "", 200, schemas.FailoverEndpointInfo, false},
		{http.MethodGet, preview + "/groups/g/clientsessions", "", 200, schemas.ClientSession, true},
		{http.MethodGet, ga + "/groups/g/clientsessions", "", 200, schemas.V1ClientSession, true},
		{http.MethodGet, preview + "/groups/g/clientsessions/S1", "", 200, schemas.ClientSession, false},
		{http.MethodPost, preview + "/groups/g/clientsessions/s2/heartbeat", `{"failoverStatus":50,"lastDataProcessedTime":"2026-01-01T00:00:00Z"}`, 200, schemas.FailoverResponse, false},
		{http.MethodPost, ga + "/groups/g/clientsessions/s2/heartbeat", `{"FailoverScore":50}`, 200, schemas.FailoverResponse, false},
		{http.MethodPost, preview + "/groups/g/clientsessions/s2/roleoverride", `{"Value":1,"ExpirationPeriod":"00:10:00"}`, 200, schemas.RoleOverrideResponse, false},
	}
	for _, tt := range tests {
		rec := serve(srv, tt.method, tt.path, tt.body)
		if rec.Code != tt.want {
			t.Errorf("%s %s: status %d, want %d: %s", tt.method, tt.path, rec.Code, tt.want, rec.Body)
			continue
		}
		docs := []json.RawMessage{rec.Body.Bytes()}
		if tt.list {
			if err := json.Unmarshal(rec.Body.Bytes(), &docs); err != nil || len(docs) == 0 {
				t.Errorf("%s %s: want a non-empty array: %s", tt.method, tt.path, rec.Body)
			}
		}
		for _, d := range docs {
			if err := validator.Validate(tt.schema, []byte(d)); err != nil {
				t.Errorf("%s %s: %v\n%s", tt.method, tt.path, err, d)
			}
		}
	}
}

// Delete answers 204 with an empty body.
func TestDeleteGroupHasNoBody(t *testing.T) {
	srv := newServer(t)
	serve(srv, http.MethodPut, preview+"/groups/empty", `{"FailoverTimeout":"00:01:00"}`)
	rec := serve(srv, http.MethodDelete, preview+"/groups/EMPTY", "")
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("got %d %q, want 204 and no body", rec.Code, rec.Body)
	}
	if !bytes.Equal(nil, rec.Body.Bytes()) {
		t.Fatalf("body %q", rec.Body)
	}
}

// Ids are limited in characters, not bytes.
func TestIDLengthCountsCharacters(t *testing.T) {
	srv := newServer(t)
	id := strings.Repeat("é", emulator.MaxIDLength) // 512 bytes
	if rec := serve(srv, http.MethodPut, preview+"/groups/"+id, `{"FailoverTimeout":"00:01:00"}`); rec.Code != http.StatusCreated {
		t.Fatalf("a %d-character id: %d %s, want 201", emulator.MaxIDLength, rec.Code, rec.Body)
	}
	if rec := serve(srv, http.MethodPut, preview+"/groups/"+id+"é", `{"FailoverTimeout":"00:01:00"}`); rec.Code != http.StatusBadRequest {
		t.Fatalf("a %d-character id: %d, want 400", emulator.MaxIDLength+1, rec.Code)
	}
}

// --api-revision latest gives the preview prefix the later preview
// behaviour: AccessControl and Owner on groups, and Post Group of an
// identical group answering 200; the default keeps the source documents'.
func TestAPIRevisionLatest(t *testing.T) {
	validator, err := schemas.Default()
	if err != nil {
		t.Fatal(err)
	}
	body := `{"Id":"g","Name":"G","FailoverTimeout":"00:01:00"}`
	tests := []struct {
		revision      string
		identical     int
		schema        string
		hasAccessCtrl bool
	}{
		{"", http.StatusConflict, schemas.GroupConfigurationResponse, false},
		{"source", http.StatusConflict, schemas.GroupConfigurationResponse, false},
		{"latest", http.StatusOK, schemas.GroupConfigurationLatestResponse, true},
	}
	for _, tt := range tests {
		t.Run("revision="+tt.revision, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{NoListener: true, APIRevision: tt.revision})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			created := serve(srv, http.MethodPost, preview+"/groups", body)
			if created.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", created.Code, created.Body)
			}
			if err := validator.Validate(tt.schema, created.Body.Bytes()); err != nil {
				t.Errorf("created group: %v: %s", err, created.Body)
			}
			if got := strings.Contains(created.Body.String(), `"AccessControl":`); got != tt.hasAccessCtrl {
				t.Errorf("AccessControl present = %v, want %v: %s", got, tt.hasAccessCtrl, created.Body)
			}
			if rec := serve(srv, http.MethodPost, preview+"/groups", body); rec.Code != tt.identical {
				t.Errorf("posting the identical group: %d, want %d", rec.Code, tt.identical)
			}
			if rec := serve(srv, http.MethodPost, preview+"/groups", `{"Id":"g","Name":"other","FailoverTimeout":"00:01:00"}`); rec.Code != http.StatusConflict {
				t.Errorf("posting a different group with the same Id: %d, want 409", rec.Code)
			}
		})
	}
	if _, err := emulator.New(emulator.Options{NoListener: true, APIRevision: "v2"}); err == nil {
		t.Error("an unknown API revision must be refused")
	}
}

// With a debug logger, every API request is logged with its operation and
// status.
func TestDebugLogsRequests(t *testing.T) {
	var logs bytes.Buffer
	srv, err := emulator.New(emulator.Options{NoListener: true, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	serve(srv, http.MethodGet, preview+"/groups/nope", "")
	if got := logs.String(); !strings.Contains(got, "operation=GetGroupConfiguration") || !strings.Contains(got, "status=404") {
		t.Errorf("logs = %q, want a request line with the operation and status", got)
	}
}

// A body over the limit is answered 413 and journaled as truncated.
func TestTooLargeBodyIsJournaledTruncated(t *testing.T) {
	srv := newServer(t)
	big := `{"FailoverTimeout":"00:01:00","Name":"` + strings.Repeat("a", 2<<20) + `"}`
	if rec := serve(srv, http.MethodPut, preview+"/groups/big", big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", rec.Code)
	}
	rec := serve(srv, http.MethodGet, "/_emulator/requests?status=413", "")
	var got struct {
		Requests []struct{ BodyTruncated bool }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got.Requests) != 1 || !got.Requests[0].BodyTruncated {
		t.Fatalf("journal = %s (%v), want one entry marked BodyTruncated", rec.Body.String()[:min(300, rec.Body.Len())], err)
	}
}

// PUT /_emulator/state reads as strictly as a fixture file and changes
// nothing when it refuses.
func TestPutStateIsStrict(t *testing.T) {
	srv := newServer(t)
	before := srv.State(context.Background())
	for _, body := range []string{
		`{"Namespaces":[{"TenantId":"t","NamespaceId":"n","Groups":[{"Id":"x","FailoverTimout":"00:01:00"}]}]}`,
		`{"Namespaces":[{"TenantId":"t","NamespaceId":"n","Groups":[{"Id":"x","FailoverTimeout":"0"}]}]}`,
		`[]`,
	} {
		if rec := serve(srv, http.MethodPut, "/_emulator/state", body); rec.Code != http.StatusBadRequest {
			t.Errorf("PUT state %s: %d, want 400", body, rec.Code)
		}
	}
	if after := srv.State(context.Background()); !reflect.DeepEqual(before, after) {
		t.Error("a refused state document changed the state")
	}
}

// Unknown body properties are ignored, as the service does, but the
// journal lists them; strict bodies refuse them (400 naming the property)
// and a body that is not Content-Type JSON (415), changing nothing.
func TestIgnoredPropertiesAndStrictBodies(t *testing.T) {
	srv := newServer(t)
	send := func(method, path, contentType, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	// The classic typo: a preview heartbeat with the GA score name.
	if rec := send(http.MethodPost, preview+"/groups/g/clientsessions/s2/heartbeat", "", `{"FailoverScore":90,"Extra":{"a":1}}`); rec.Code != http.StatusOK {
		t.Fatalf("lenient heartbeat: %d %s", rec.Code, rec.Body)
	}
	rec := serve(srv, http.MethodGet, "/_emulator/requests?operation=PostHeartbeatMessage", "")
	var got struct {
		Requests []struct{ IgnoredProperties []string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	last := got.Requests[len(got.Requests)-1].IgnoredProperties
	if !reflect.DeepEqual(last, []string{"FailoverScore", "Extra"}) && !reflect.DeepEqual(last, []string{"Extra", "FailoverScore"}) {
		t.Fatalf("journal IgnoredProperties = %q, want FailoverScore and Extra", last)
	}
	if rec := serve(srv, http.MethodPut, "/_emulator/config", `{"StrictBodies":true}`); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"StrictBodies":true`) {
		t.Fatalf("PUT config: %d %s", rec.Code, rec.Body)
	}
	before := srv.State(context.Background())
	for _, tc := range []struct {
		contentType, body string
		want              int
		has               string
	}{
		{"application/json", `{"FailoverScore":90}`, http.StatusBadRequest, `\"FailoverScore\"`},
		{"", `{"FailoverStatus":90}`, http.StatusUnsupportedMediaType, "Content-Type"},
		{"text/plain", `{"FailoverStatus":90}`, http.StatusUnsupportedMediaType, "text/plain"},
		{"text/plain+json", `{"FailoverStatus":90}`, http.StatusUnsupportedMediaType, "text/plain+json"},
		{"application/jsonx", `{"FailoverStatus":90}`, http.StatusUnsupportedMediaType, "application/jsonx"},
	} {
		rec := send(http.MethodPost, preview+"/groups/g/clientsessions/s2/heartbeat", tc.contentType, tc.body)
		if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.has) {
			t.Errorf("strict, %q %s: %d %s; want %d naming %s", tc.contentType, tc.body, rec.Code, rec.Body, tc.want, tc.has)
		}
	}
	if !reflect.DeepEqual(before, srv.State(context.Background())) {
		t.Error("a refused strict request changed the state")
	}
	// What ASP.NET's JSON input formatter reads: application/json, text/json
	// and application/*+json.
	for _, ct := range []string{"application/json; charset=utf-8", "APPLICATION/JSON", "text/json", "application/merge-patch+json"} {
		if rec := send(http.MethodPost, preview+"/groups/g/clientsessions/s2/heartbeat", ct, `{"FailoverStatus":90}`); rec.Code != http.StatusOK {
			t.Errorf("strict, %s: %d %s, want 200", ct, rec.Code, rec.Body)
		}
	}
	// Reset goes back to the start setting.
	serve(srv, http.MethodPost, "/_emulator/reset", "")
	if rec := serve(srv, http.MethodGet, "/_emulator/config", ""); !strings.Contains(rec.Body.String(), `"StrictBodies":false`) {
		t.Errorf("config after reset: %s", rec.Body)
	}
}
