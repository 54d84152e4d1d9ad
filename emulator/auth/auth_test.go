package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

func ptr(s string) *string { return &s }

func entry(typ int, id string, accessType int, rights int64) store.AccessControlEntry {
	return store.AccessControlEntry{Trustee: &store.Trustee{Type: typ, ObjectID: ptr(id), TenantID: ptr("t")}, AccessType: accessType, AccessRights: rights}
}

func TestAllows(t *testing.T) {
	user := auth.Principal{Type: auth.TrusteeUser, ID: "Alice", Tenant: "t", Roles: []string{auth.RoleTenantMember, "ops"}}
	tests := []struct {
		name    string
		entries []store.AccessControlEntry
		right   int64
		want    bool
	}{
		{"empty list", nil, auth.Read, false},
		{"user allowed", []store.AccessControlEntry{entry(auth.TrusteeUser, "alice", auth.Allowed, auth.Read)}, auth.Read, true},
		{"other user", []store.AccessControlEntry{entry(auth.TrusteeUser, "bob", auth.Allowed, auth.All)}, auth.Read, false},
		{"client entry does not match a user", []store.AccessControlEntry{entry(auth.TrusteeClient, "alice", auth.Allowed, auth.All)}, auth.Read, false},
		{"role allowed", []store.AccessControlEntry{entry(auth.TrusteeRole, "OPS", auth.Allowed, auth.Write)}, auth.Write, true},
		{"role lacks the right", []store.AccessControlEntry{entry(auth.TrusteeRole, "ops", auth.Allowed, auth.Read)}, auth.Write, false},
		{"rights add up across entries", []store.AccessControlEntry{entry(auth.TrusteeRole, "ops", auth.Allowed, auth.Read), entry(auth.TrusteeUser, "alice", auth.Allowed, auth.Write)}, auth.Read | auth.Write, true},
		{"deny beats allow", []store.AccessControlEntry{entry(auth.TrusteeRole, "ops", auth.Allowed, auth.All), entry(auth.TrusteeUser, "alice", auth.Denied, auth.Write)}, auth.Write, false},
		{"deny of another right leaves this one", []store.AccessControlEntry{entry(auth.TrusteeRole, "ops", auth.Allowed, auth.All), entry(auth.TrusteeUser, "alice", auth.Denied, auth.Delete)}, auth.Write, true},
		{"entry of another tenant", []store.AccessControlEntry{{Trustee: &store.Trustee{Type: auth.TrusteeUser, ObjectID: ptr("alice"), TenantID: ptr("t2")}, AccessRights: auth.All}}, auth.Read, false},
		{"null trustee", []store.AccessControlEntry{{AccessRights: auth.All}}, auth.Read, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := user.Allows(store.AccessControlList{Entries: tt.entries}, tt.right); got != tt.want {
				t.Errorf("Allows = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	dir, err := auth.New(&fixture.Identities{
		Clients: []fixture.Client{{Id: "app", Secret: "s3cret", TenantId: "t", Roles: []string{"Tenant Contributor"}}},
		Users:   []fixture.User{{Id: "u", TenantId: "t", Tokens: []string{"fixed"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, _, err := dir.Issue("app", "wrong", now); !errors.Is(err, auth.ErrInvalidClient) {
		t.Fatalf("wrong secret: got %v, want ErrInvalidClient", err)
	}
	tok, exp, err := dir.Issue("APP", "s3cret", now)
	if err != nil || !exp.Equal(now.Add(auth.TokenLifetime)) {
		t.Fatalf("Issue = %v, %v", exp, err)
	}
	p, err := dir.Authenticate(tok, now.Add(auth.TokenLifetime-time.Nanosecond))
	if err != nil || p.ID != "app" || p.Type != auth.TrusteeClient {
		t.Fatalf("Authenticate before expiry = %+v, %v", p, err)
	}
	if len(p.Roles) != 2 || p.Roles[0] != auth.RoleTenantMember || p.Roles[1] != auth.RoleTenantContributor {
		t.Errorf("roles = %v, want Tenant Member and Tenant Contributor", p.Roles)
	}
	if _, err := dir.Authenticate(tok, now.Add(auth.TokenLifetime)); !errors.Is(err, auth.ErrExpiredToken) {
		t.Errorf("at expiry: got %v, want ErrExpiredToken", err)
	}
	if _, err := dir.Authenticate("fixed", now.Add(1000*time.Hour)); err != nil {
		t.Errorf("fixture tokens never expire: %v", err)
	}
	if _, err := dir.Authenticate("nope", now); !errors.Is(err, auth.ErrUnknownToken) {
		t.Errorf("unknown: got %v", err)
	}
	if _, err := dir.Authenticate("", now); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("empty: got %v", err)
	}
}

func TestNewRejectsBadIdentities(t *testing.T) {
	tests := []fixture.Identities{
		{Users: []fixture.User{{Id: "u"}}},
		{Clients: []fixture.Client{{Id: "c", TenantId: "t"}, {Id: "C", TenantId: "t"}}},
		{Users: []fixture.User{{Id: "a", TenantId: "t", Tokens: []string{"x"}}, {Id: "b", TenantId: "t", Tokens: []string{"x"}}}},
	}
	for i, ids := range tests {
		if _, err := auth.New(&ids); err == nil {
			t.Errorf("case %d: want an error", i)
		}
	}
}

func TestAuthenticateBasic(t *testing.T) {
	dir, err := auth.New(&fixture.Identities{WindowsAccounts: []fixture.WindowsAccount{
		{Name: `PLANT\adapter-1`, Password: "pa:ss word", Groups: []string{auth.GroupUsers}},
		{Name: "operator", Password: "op", Groups: []string{"avevafailoveradministrators", auth.GroupUsers}},
		{Name: "nobody", Password: "n"},
		{Name: "empty", Password: ""},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, password string
		want                 auth.Account
		wantErr              error
	}{
		{"a user", `PLANT\adapter-1`, "pa:ss word", auth.Account{Name: `PLANT\adapter-1`, Users: true}, nil},
		{"the name in another case", `plant\ADAPTER-1`, "pa:ss word", auth.Account{Name: `PLANT\adapter-1`, Users: true}, nil},
		{"an administrator", "OPERATOR", "op", auth.Account{Name: "operator", Users: true, Administrators: true}, nil},
		{"in neither group", "nobody", "n", auth.Account{Name: "nobody"}, nil},
		{"an empty password", "empty", "", auth.Account{Name: "empty"}, nil},
		{"wrong password", `PLANT\adapter-1`, "pa:ss Word", auth.Account{}, auth.ErrBadCredentials},
		{"password of another account", "operator", "n", auth.Account{}, auth.ErrBadCredentials},
		{"unknown name", "stranger", "op", auth.Account{}, auth.ErrBadCredentials},
		{"unknown name, empty password", "stranger", "", auth.Account{}, auth.ErrBadCredentials},
		{"the name without its domain", "adapter-1", "pa:ss word", auth.Account{}, auth.ErrBadCredentials},
		{"a long s is not an s", "empty\u017f", "", auth.Account{}, auth.ErrBadCredentials},
		{"no name", "", "op", auth.Account{}, auth.ErrNoCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dir.AuthenticateBasic(tt.user, tt.password)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("AuthenticateBasic(%q, %q) error = %v, want %v", tt.user, tt.password, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("AuthenticateBasic(%q, %q) = %+v, want %+v", tt.user, tt.password, got, tt.want)
			}
		})
	}
}

func TestNewRejectsBadWindowsAccounts(t *testing.T) {
	tests := []struct {
		name     string
		accounts []fixture.WindowsAccount
		wantErr  string
	}{
		{"unknown group", []fixture.WindowsAccount{{Name: "a", Groups: []string{"Administrators"}}},
			`Windows account "a": group "Administrators" is not a group of the Client Failover Service (AVEVAFailoverUsers or AVEVAFailoverAdministrators)`},
		{"same name in another case", []fixture.WindowsAccount{{Name: `D\a`}, {Name: `d\A`}}, `Windows accounts "D\\a" and "d\\A" are one account`},
		{"no name", []fixture.WindowsAccount{{Password: "p"}}, "the Windows account at 0: a Name is required"},
		{"a colon in the name", []fixture.WindowsAccount{{Name: "a:b"}}, `Windows account "a:b": a name with ':' cannot sign in with HTTP Basic`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := auth.New(&fixture.Identities{WindowsAccounts: tt.accounts})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}
