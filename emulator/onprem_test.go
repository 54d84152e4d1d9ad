package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

const onprem = "/api/v1/clientfailover"

// The on-premises surface is its own scope of the same state: a group made
// there is not seen by any tenant, a tenant's group of the same Id is
// another group, and both fail over with the same engine.
func TestOnPremisesIsItsOwnScope(t *testing.T) {
	srv := newServer(t) // group g in tenant t, namespace n, with s1 Primary
	for _, r := range []struct {
		method, path, body string
		want               int
	}{
		{http.MethodGet, onprem + "/groups/g", "", http.StatusNotFound},
		{http.MethodPost, onprem + "/groups", `{"Id":"g","FailoverTimeout":"00:01:00"}`, http.StatusCreated},
		{http.MethodPost, "/api/v1/ClientFailover/Groups/G/clientSessions/", `{"Id":"adapter-1"}`, http.StatusCreated},
		{http.MethodPost, onprem + "/groups/g/clientsessions/adapter-1/heartbeat", `{"FailoverScore":100}`, http.StatusOK},
		{http.MethodGet, onprem, "", http.StatusOK},
		{http.MethodGet, onprem + "/groups/g/accesscontrol", "", http.StatusNotFound},
		{http.MethodGet, "/api/v1/accesscontrol/clientfailover/groups", "", http.StatusNotFound},
	} {
		if rec := serve(srv, r.method, r.path, r.body); rec.Code != r.want {
			t.Fatalf("%s %s: %d %s, want %d", r.method, r.path, rec.Code, rec.Body, r.want)
		}
	}
	var status struct{ Primary *string }
	rec := serve(srv, http.MethodGet, onprem+"/groups/g/status", "")
	if err := json.Unmarshal(rec.Body.Bytes(), &status); err != nil || status.Primary == nil || *status.Primary != "adapter-1" {
		t.Fatalf("on-premises status: %s, want adapter-1 Primary", rec.Body)
	}
	rec = serve(srv, http.MethodGet, preview+"/groups/g/status", "")
	if err := json.Unmarshal(rec.Body.Bytes(), &status); err != nil || status.Primary == nil || *status.Primary != "s1" {
		t.Fatalf("cloud status: %s, want s1 Primary (untouched)", rec.Body)
	}
	rec = serve(srv, http.MethodGet, preview+"/groups", "")
	var list []struct{ Id string }
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list) != 1 {
		t.Fatalf("tenant's groups: %s, want only its own", rec.Body)
	}
	doc := srv.State(context.Background())
	if doc.OnPremises == nil || len(doc.OnPremises.Groups) != 1 || len(doc.Namespaces) != 1 {
		t.Fatalf("state: on-premises %+v, %d namespaces; want one group in each", doc.OnPremises, len(doc.Namespaces))
	}
	if g := doc.OnPremises.Groups[0]; g.AccessControl != nil || g.Owner != nil {
		t.Errorf("an on-premises group carries AccessControl or Owner: %+v", g)
	}
	// The state round-trips through a new emulator.
	other, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.SetState(doc); err != nil {
		t.Fatal(err)
	}
	if got := other.State(context.Background()); !jsonEqual(doc, got) {
		t.Errorf("state after a round trip differs:\n got %+v\nwant %+v", got.OnPremises, doc.OnPremises)
	}
}

// The configuration endpoints of the on-premises service: the log level,
// the health endpoints (secrets write-only), and bad input refused with
// nothing changed.
func TestOnPremisesConfiguration(t *testing.T) {
	srv := newServer(t)
	const cfg = "/api/v1/configuration"
	steps := []struct {
		method, path, body string
		want               int
		has                string
	}{
		{http.MethodGet, cfg, "", 200, `{"Logging":{"LogLevel":"Information"},"HealthEndpoints":[]}`},
		{http.MethodPut, cfg + "/logging", `{"LogLevel":"warning"}`, 204, ""},
		{http.MethodGet, cfg + "/Logging", "", 200, `{"LogLevel":"Warning"}`},
		{http.MethodPut, cfg + "/logging", `{"LogLevel":"Loud"}`, 400, "LogLevel"},
		{http.MethodPost, cfg + "/healthEndpoints", `{"Id":"PI Web API","Endpoint":"https://pi/piwebapi/omf/","Username":"u","Password":"p"}`, 201, `"Password":null`},
		{http.MethodPost, cfg + "/healthEndpoints", `[{"Endpoint":"https://a/"},{"Id":"pi web api","Endpoint":"https://b/"}]`, 409, "PI Web API"},
		{http.MethodPost, cfg + "/healthEndpoints", `{"Endpoint":"ftp://nope/"}`, 400, "Endpoint"},
		{http.MethodGet, cfg + "/healthEndpoints", "", 200, `[{"Id":"PI Web API","Endpoint":"https://pi/piwebapi/omf/","Username":"u","Password":null,"ClientId":null,"ClientSecret":null,"TokenEndpoint":null,"ValidateEndpointCertificate":true}]`},
		{http.MethodPut, cfg + "/healthEndpoints/PI%20Web%20API", `{"Endpoint":"https://pi2/omf/","ValidateEndpointCertificate":false}`, 204, ""},
		{http.MethodGet, cfg + "/healthEndpoints/pi%20web%20api", "", 200, `"ValidateEndpointCertificate":false`},
		{http.MethodPut, cfg + "/healthEndpoints/nobody", `{"Endpoint":"https://x/"}`, 404, ""},
		{http.MethodPut, cfg + "/healthEndpoints", `[{"Endpoint":"https://x/"}]`, 400, "Id"},
		{http.MethodPut, cfg + "/healthEndpoints", `[{"Id":"a","Endpoint":"https://a/"},{"Id":"b","Endpoint":"https://b/"}]`, 204, ""},
		{http.MethodDelete, cfg + "/healthEndpoints/a", "", 204, ""},
		{http.MethodDelete, cfg + "/healthEndpoints/a", "", 404, ""},
		{http.MethodPut, cfg, `{"Logging":{"LogLevel":"Debug"},"HealthEndpoints":[{"Id":"c","Endpoint":"http://c:5590/"}]}`, 204, ""},
		{http.MethodGet, cfg, "", 200, `{"Logging":{"LogLevel":"Debug"},"HealthEndpoints":[{"Id":"c"`},
		{http.MethodDelete, cfg + "/healthEndpoints", "", 204, ""},
		{http.MethodGet, cfg + "/healthEndpoints", "", 200, `[]`},
	}
	for _, st := range steps {
		rec := serve(srv, st.method, st.path, st.body)
		if rec.Code != st.want || !strings.Contains(rec.Body.String(), st.has) {
			t.Fatalf("%s %s %s: %d %s; want %d containing %s", st.method, st.path, st.body, rec.Code, rec.Body, st.want, st.has)
		}
	}
	// Reset restores the defaults.
	if rec := serve(srv, http.MethodPut, cfg+"/logging", `{"LogLevel":"Fatal"}`); rec.Code != 204 {
		t.Fatal(rec.Body)
	}
	if rec := serve(srv, http.MethodPost, "/_emulator/reset", ""); rec.Code != 200 {
		t.Fatal(rec.Body)
	}
	if rec := serve(srv, http.MethodGet, cfg, ""); !strings.Contains(rec.Body.String(), `"Information"`) {
		t.Fatalf("after reset: %s, want the default level", rec.Body)
	}
}

// Under --auth token the on-premises surface wants HTTP Basic credentials of
// a Windows account: AVEVAFailoverUsers run the adapters' operations,
// AVEVAFailoverAdministrators also delete groups, override roles and
// configure; anyone else gets 403, a missing or wrong password 401 with the
// service's Basic and Negotiate challenges.
func TestOnPremisesBasicAuthentication(t *testing.T) {
	srv, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual, Auth: emulator.AuthToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	doc := srv.State(context.Background())
	doc.Identities = &fixture.Identities{WindowsAccounts: []fixture.WindowsAccount{
		{Name: `PLANT\adapter-1`, Password: "a-secret", Groups: []string{"AVEVAFailoverUsers"}},
		{Name: `PLANT\operator`, Password: "o-secret", Groups: []string{"AVEVAFailoverAdministrators"}},
		{Name: "guest", Password: "g-secret"},
	}}
	if err := srv.SetState(doc); err != nil {
		t.Fatal(err)
	}
	call := func(user, password, method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if user != "" {
			req.SetBasicAuth(user, password)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	for _, tc := range []struct {
		name, user, password, method, path, body string
		want                                     int
	}{
		{"no credentials", "", "", http.MethodGet, onprem + "/groups", "", 401},
		{"wrong password", `PLANT\adapter-1`, "nope", http.MethodGet, onprem + "/groups", "", 401},
		{"unknown account", "mallory", "a-secret", http.MethodGet, onprem + "/groups", "", 401},
		{"a user creates a group", `plant\ADAPTER-1`, "a-secret", http.MethodPost, onprem + "/groups", `{"Id":"g","FailoverTimeout":"00:01:00"}`, 201},
		{"a user joins", `PLANT\adapter-1`, "a-secret", http.MethodPost, onprem + "/groups/g/clientsessions", `{"Id":"a"}`, 201},
		{"a user heartbeats", `PLANT\adapter-1`, "a-secret", http.MethodPost, onprem + "/groups/g/clientsessions/a/heartbeat", `{"FailoverScore":100}`, 200},
		{"a user may not override", `PLANT\adapter-1`, "a-secret", http.MethodPost, onprem + "/groups/g/clientsessions/a/roleoverride", `{"Value":"Secondary"}`, 403},
		{"a user may not configure", `PLANT\adapter-1`, "a-secret", http.MethodGet, "/api/v1/configuration", "", 403},
		{"a user may not delete a group", `PLANT\adapter-1`, "a-secret", http.MethodDelete, onprem + "/groups/g", "", 403},
		{"an account in no group", "guest", "g-secret", http.MethodGet, onprem + "/groups", "", 403},
		{"an account in no group deletes", "guest", "g-secret", http.MethodDelete, onprem + "/groups/g", "", 403},
		{"an account in no group configures", "guest", "g-secret", http.MethodGet, "/api/v1/configuration", "", 403},
		{"an administrator overrides", `PLANT\operator`, "o-secret", http.MethodPost, onprem + "/groups/g/clientsessions/a/roleoverride", `{"Value":"Secondary"}`, 200},
		{"an administrator reads the sessions", `PLANT\operator`, "o-secret", http.MethodGet, onprem + "/groups/g/clientsessions", "", 200},
		{"an administrator configures", `PLANT\operator`, "o-secret", http.MethodPut, "/api/v1/configuration/logging", `{"LogLevel":"Debug"}`, 204},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(tc.user, tc.password, tc.method, tc.path, tc.body)
			if rec.Code != tc.want {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, tc.want)
			}
			switch tc.want {
			case 401:
				if got := rec.Header().Values("WWW-Authenticate"); !reflect.DeepEqual(got, []string{`Basic realm="Client Failover Service"`, "Negotiate"}) {
					t.Errorf("WWW-Authenticate %q", got)
				}
			case 403:
				if !strings.Contains(rec.Body.String(), "AVEVAFailover") {
					t.Errorf("403 body %s does not name the group", rec.Body)
				}
				// An account in no group is told so, whatever it called.
				if neither := strings.Contains(rec.Body.String(), "neither"); neither != (tc.user == "guest") {
					t.Errorf("403 body %s: says neither group %v, want %v", rec.Body, neither, tc.user == "guest")
				}
			}
		})
	}
	// The override took effect: Secondary forced, answered as 2.
	rec := call(`PLANT\operator`, "o-secret", http.MethodGet, onprem+"/groups/g/clientsessions/a", "")
	if !strings.Contains(rec.Body.String(), `"Role":0`) || !strings.Contains(rec.Body.String(), `"RoleOverride":2`) {
		t.Errorf("session after a Secondary override: %s", rec.Body)
	}
}
