package emulator_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// authServer runs an emulator with --auth token and fixtures/auth.json.
func authServer(t *testing.T) *emulator.Server {
	t.Helper()
	srv, err := emulator.New(emulator.Options{Auth: emulator.AuthToken, Clock: clock.Manual, Fixtures: "../fixtures/auth.json"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// clientFor is an HTTP client that authenticates with the standard OAuth2
// client-credentials flow against the emulator's identity endpoint.
func clientFor(srv *emulator.Server, id, secret string) *http.Client {
	cfg := clientcredentials.Config{ClientID: id, ClientSecret: secret, TokenURL: srv.URL() + "/identity/connect/token"}
	return cfg.Client(context.Background())
}

const secured = "/api/v1-preview/tenants/contoso/namespaces/secured/clientfailover"

func send(t *testing.T, c *http.Client, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestClientCredentialsFlow(t *testing.T) {
	srv := authServer(t)
	adapter := clientFor(srv, "adapter", "adapter-secret")
	if code, body := send(t, adapter, http.MethodGet, srv.URL()+secured+"/groups/line-1", ""); code != 200 {
		t.Fatalf("adapter reads a group: %d %s", code, body)
	}
	if code, body := send(t, adapter, http.MethodPost, srv.URL()+secured+"/groups", `{"Id":"new","FailoverTimeout":"00:01:00"}`); code != 201 {
		t.Fatalf("adapter creates a group: %d %s", code, body)
	}
	// The creator becomes the group's Owner (visible in the state).
	doc := srv.State(context.Background())
	var owner *fixture.Trustee
	for _, ns := range doc.Namespaces {
		for _, g := range ns.Groups {
			if g.Id == "new" {
				owner = g.Owner
			}
		}
	}
	if owner == nil || owner.ObjectId == nil || *owner.ObjectId != "adapter" || owner.Type != 2 {
		t.Errorf("owner of the new group = %+v, want client adapter", owner)
	}
	bad := clientFor(srv, "adapter", "wrong")
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+secured+"/groups", nil)
	if _, err := bad.Do(req); err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("wrong secret: got %v, want an invalid_client token error", err)
	}
}

// A client with Read only can list and read, and every write gets 403 and
// changes nothing.
func TestReadOnlyClientCannotWrite(t *testing.T) {
	srv := authServer(t)
	reader := clientFor(srv, "reader", "reader-secret")
	base := srv.URL() + secured
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, "/groups"},
		{http.MethodGet, "/groups/line-1"},
		{http.MethodGet, "/groups/line-1/status"},
		{http.MethodGet, "/groups/line-1/clientsessions"},
		{http.MethodGet, ""},
	} {
		if code, body := send(t, reader, r.method, base+r.path, ""); code != 200 {
			t.Errorf("%s %s: %d %s, want 200", r.method, r.path, code, body)
		}
	}
	before := srv.State(context.Background())
	for _, r := range []struct{ method, path, body string }{
		{http.MethodPost, "/groups", `{"Id":"x","FailoverTimeout":"00:01:00"}`},
		{http.MethodPut, "/groups/line-1", `{"FailoverTimeout":"00:02:00"}`},
		{http.MethodPut, "/groups/brand-new", `{"FailoverTimeout":"00:02:00"}`},
		{http.MethodDelete, "/groups/line-1", ``},
		{http.MethodPost, "/groups/line-1/clientsessions", `{"Id":"s"}`},
		{http.MethodGet, "/groups/line-1/accesscontrol", ``},
		{http.MethodPut, "/groups/line-1/accesscontrol", `{"RoleTrusteeAccessControlEntries":[]}`},
		{http.MethodGet, "/api/v1/tenants/contoso/namespaces/secured/accesscontrol/clientfailover/groups", ``},
	} {
		url := base + r.path
		if strings.HasPrefix(r.path, "/api/") {
			url = srv.URL() + r.path
		}
		code, body := send(t, reader, r.method, url, r.body)
		if code != http.StatusForbidden {
			t.Errorf("%s %s: %d %s, want 403", r.method, r.path, code, body)
		}
		if r.method == http.MethodDelete && body != "" {
			t.Errorf("Delete Group's 403 has no body; got %q", body)
		}
	}
	if after := srv.State(context.Background()); !jsonEqual(before, after) {
		t.Errorf("a forbidden request changed the state")
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestAuthenticationFailures(t *testing.T) {
	srv := authServer(t)
	bearer := func(tok string) *http.Client {
		return &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
			if tok != "" {
				r.Header.Set("Authorization", tok)
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
	}
	tests := []struct {
		name, header, path string
		want               int
	}{
		{"no token", "", "/groups", 401},
		{"not bearer", "Basic abc", "/groups", 401},
		{"unknown token", "Bearer nope", "/groups", 401},
		{"fixed token", "Bearer alice-token", "/groups", 200},
		{"other tenant", "Bearer alice-token", "/api/v1-preview/tenants/fabrikam/namespaces/secured/clientfailover/groups", 403},
		{"deny beats allow", "Bearer mallory-token", "/groups", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := srv.URL() + secured + tt.path
			if strings.HasPrefix(tt.path, "/api/") {
				url = srv.URL() + tt.path
			}
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			resp, err := bearer(tt.header).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q, want Bearer …", resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
	// mallory's role may write, but a Denied entry for mallory beats it.
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+secured+"/groups", strings.NewReader(`{"FailoverTimeout":"00:01:00"}`))
	req.Header.Set("Authorization", "Bearer mallory-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("denied user posting: %d, want 403", resp.StatusCode)
	}
}

// Tokens expire on the emulator clock.
func TestTokenExpiresOnTheEmulatorClock(t *testing.T) {
	srv := authServer(t)
	client := clientFor(srv, "adapter", "adapter-secret")
	if code, _ := send(t, client, http.MethodGet, srv.URL()+secured+"/groups", ""); code != 200 {
		t.Fatalf("fresh token: %d", code)
	}
	if _, err := srv.Clock().Advance(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	// The oauth2 client still believes its token valid (it uses wall time);
	// the emulator does not.
	if code, _ := send(t, client, http.MethodGet, srv.URL()+secured+"/groups", ""); code != 401 {
		t.Fatalf("after expiry: %d, want 401", code)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A caller with Write but not ManageAccessControl cannot take a group over
// through its body: an AccessControl or Owner that would change anything
// is a 403 and nothing changes (issue 13, finding 2). Unchanged access
// properties (a GET sent back as a PUT) pass.
func TestGroupBodyCannotGainAccess(t *testing.T) {
	srv := authServer(t)
	adapter := clientFor(srv, "adapter", "adapter-secret") // Tenant Contributor: Read|Write
	admin := clientFor(srv, "admin", "admin-secret")
	base := srv.URL() + "/api/v1/tenants/contoso/namespaces/secured/clientfailover"
	takeover := `"AccessControl":{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":2,"ObjectId":"adapter","TenantId":"contoso"},"AccessType":0,"AccessRights":31}]}`
	owner := `"Owner":{"Type":2,"ObjectId":"adapter","TenantId":"contoso"}`
	before := srv.State(context.Background())
	for _, tc := range []struct{ name, method, path, body string }{
		{"put an ACL", http.MethodPut, "/groups/line-1", `{"FailoverTimeout":"00:00:30",` + takeover + `}`},
		{"put an Owner", http.MethodPut, "/groups/line-1", `{"FailoverTimeout":"00:00:30",` + owner + `}`},
		{"post a group with its own ACL", http.MethodPost, "/groups", `{"Id":"mine","FailoverTimeout":"00:00:30",` + takeover + `}`},
		{"put a new group with another Owner", http.MethodPut, "/groups/mine", `{"FailoverTimeout":"00:00:30","Owner":{"Type":1,"ObjectId":"alice","TenantId":"contoso"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := send(t, adapter, tc.method, base+tc.path, tc.body)
			if code != http.StatusForbidden || !strings.Contains(body, "ManageAccessControl") {
				t.Fatalf("got %d %s, want 403 naming ManageAccessControl", code, body)
			}
		})
	}
	if after := srv.State(context.Background()); !jsonEqual(before, after) {
		t.Fatal("a refused group body changed the state")
	}
	// Sending the group back as read changes nothing and is allowed.
	code, got := send(t, adapter, http.MethodGet, base+"/groups/line-1", "")
	if code != http.StatusOK {
		t.Fatalf("get: %d %s", code, got)
	}
	if code, body := send(t, adapter, http.MethodPut, base+"/groups/line-1", got); code != http.StatusOK {
		t.Fatalf("PUT of the group as read: %d %s, want 200", code, body)
	}
	// A new group whose Owner is its creator is no change either.
	if code, body := send(t, adapter, http.MethodPost, base+"/groups", `{"Id":"own","FailoverTimeout":"00:00:30",`+owner+`}`); code != http.StatusCreated {
		t.Fatalf("post with the creator as Owner: %d %s, want 201", code, body)
	}
	// An administrator (ManageAccessControl) may change both.
	if code, body := send(t, admin, http.MethodPut, base+"/groups/line-1", `{"FailoverTimeout":"00:00:30",`+takeover+`,`+owner+`}`); code != http.StatusOK {
		t.Fatalf("administrator: %d %s, want 200", code, body)
	}
}

// Without an admin token the control API is open to any caller, so the
// state it answers has no secrets; with one, the admin-token caller gets
// them (issue 13, finding 12). In process, Server.State always has them.
func TestStateSecretsOnlyToTheAdminToken(t *testing.T) {
	for _, tc := range []struct {
		name, adminToken string
		wantSecrets      bool
	}{
		{"open control API", "", false},
		{"admin token", "let-me-in", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{Auth: emulator.AuthToken, Fixtures: "../fixtures/auth.json", AdminToken: tc.adminToken, NoListener: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			req := httptest.NewRequest(http.MethodGet, "/_emulator/state", nil)
			if tc.adminToken != "" {
				req.Header.Set("Authorization", "Bearer "+tc.adminToken)
			}
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET state: %d %s", rec.Code, rec.Body)
			}
			body := rec.Body.String()
			for _, secret := range []string{"adapter-secret", "alice-token"} {
				if got := strings.Contains(body, secret); got != tc.wantSecrets {
					t.Errorf("state contains %q: %v, want %v", secret, got, tc.wantSecrets)
				}
			}
			if doc := srv.State(context.Background()); doc.Identities == nil || doc.Identities.Clients[0].Secret == "" {
				t.Error("Server.State lost the secrets")
			}
		})
	}
}
