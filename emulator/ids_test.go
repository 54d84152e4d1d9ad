package emulator_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// The emulator has one equality of ids (package ids): two tenant ids that
// the store keeps apart are kept apart by authorisation too, and two that
// are one namespace in the store are one tenant to authorisation. A token
// of tenant "contoso" must not act on tenant "contoſo" (long s), which
// Unicode case folding would take for it.
func TestTenantIDsAreOneEqualityInStoreAndAuthorisation(t *testing.T) {
	tests := []struct {
		name         string
		token, other string
		same         bool
	}{
		{"ASCII case", "contoso", "CONTOSO", true},
		{"long s", "contoso", "conto\u017fo", false},
		{"long s, the other way", "conto\u017fo", "contoso", false},
		{"Kelvin sign", "kilo", "\u212ailo", false},
		{"dotless i", "tenant-i", "tenant-\u0131", false},
		{"accented letters", "école", "ÉCOLE", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups := func(tenant string) string {
				return "/api/v1-preview/tenants/" + url.PathEscape(tenant) + "/namespaces/n/clientfailover/groups"
			}

			// The store: a group made in one tenant is found in the other
			// exactly when they are the same tenant.
			srv := startInProcess(t, emulator.Options{})
			mustHandle(t, srv.Handler(), http.MethodPost, groups(tt.token), `{"Id":"g","FailoverTimeout":"00:01:00"}`)
			wantGet := http.StatusNotFound
			if tt.same {
				wantGet = http.StatusOK
			}
			if rec := handle(srv.Handler(), http.MethodGet, groups(tt.other)+"/g", nil); rec.Code != wantGet {
				t.Errorf("store: group made in tenant %q, read in tenant %q: got %d, want %d: %s", tt.token, tt.other, rec.Code, wantGet, rec.Body)
			}

			// Authorisation: a tenant administrator's token of one tenant
			// acts on the other exactly when they are the same tenant.
			secured := startInProcess(t, emulator.Options{Auth: emulator.AuthToken})
			if err := secured.SetState(fixture.Document{Identities: &fixture.Identities{Users: []fixture.User{{
				Id: "admin", TenantId: tt.token, Roles: []string{"Tenant Administrator"}, Tokens: []string{"tok"},
			}}}}); err != nil {
				t.Fatalf("SetState: %v", err)
			}
			wantList := http.StatusForbidden
			if tt.same {
				wantList = http.StatusOK
			}
			req := httptest.NewRequest(http.MethodGet, groups(tt.other), nil)
			req.Header.Set("Authorization", "Bearer tok")
			rec := httptest.NewRecorder()
			secured.Handler().ServeHTTP(rec, req)
			if rec.Code != wantList {
				t.Errorf("authorisation: token of tenant %q lists the groups of tenant %q: got %d, want %d: %s", tt.token, tt.other, rec.Code, wantList, rec.Body)
			}
		})
	}
}

// An access control entry's trustee tenant and object id match the caller
// with the same equality as the store's keys.
func TestTrusteeMatchingUsesTheIDEquality(t *testing.T) {
	objectID, tenant := "operator", "conto\u017fo"
	acl := store.AccessControlList{Entries: []store.AccessControlEntry{{
		Trustee: &store.Trustee{Type: auth.TrusteeUser, ObjectID: &objectID, TenantID: &tenant}, AccessType: auth.Allowed, AccessRights: auth.All,
	}}}
	for _, tt := range []struct {
		p    auth.Principal
		want bool
	}{
		{auth.Principal{Type: auth.TrusteeUser, ID: "OPERATOR", Tenant: "CONTO\u017fO"}, true},
		{auth.Principal{Type: auth.TrusteeUser, ID: "operator", Tenant: "contoso"}, false},
		{auth.Principal{Type: auth.TrusteeUser, ID: "operator", Tenant: "CONTOSO"}, false},
	} {
		if got := tt.p.Allows(acl, auth.Read); got != tt.want {
			t.Errorf("%+v on an entry for %q of tenant %q: Allows = %v, want %v", tt.p, objectID, tenant, got, tt.want)
		}
	}
}
