// Package auth is the emulated service's authorisation: who a bearer token
// belongs to, tokens issued with the OAuth 2.0 client-credentials grant, and
// whether an access control list lets a caller do something.
//
// Identities (users, clients, roles) come from fixtures. Tokens expire on the
// emulator clock, so a test can advance past expiry and see a 401. The rule
// of access control lists is the service's: an entry applies when its
// trustee is the caller (a user or client id) or one of the caller's roles;
// a matching Denied entry beats any Allowed one.
//
// What it does not reproduce: signed JWTs (tokens are opaque random strings),
// scopes, refresh tokens and any grant other than client credentials.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// Access rights, bit flags shared across the service.
const (
	Read                int64 = 1
	Write               int64 = 2
	Delete              int64 = 4
	ManageAccessControl int64 = 8
	Share               int64 = 16
	All                       = Read | Write | Delete | ManageAccessControl | Share
)

// Trustee types and access types of access control entries.
const (
	TrusteeUser   = 1
	TrusteeClient = 2
	TrusteeRole   = 3

	Allowed = 0
	Denied  = 1
)

// The built-in roles every tenant has, with the fixed ids the emulator
// documents (the real service gives each tenant its own).
const (
	RoleTenantAdministrator = "00000000-0000-0000-0000-00000000000a"
	RoleTenantContributor   = "00000000-0000-0000-0000-00000000000c"
	RoleTenantDataSteward   = "00000000-0000-0000-0000-00000000000d"
	RoleTenantViewer        = "00000000-0000-0000-0000-00000000000e"
	RoleTenantMember        = "00000000-0000-0000-0000-00000000000f"
)

// builtinRoles maps the built-in role names, by ids.Key, to their ids.
func builtinRoles() map[string]string {
	roles := map[string]string{}
	for name, id := range map[string]string{
		"Tenant Administrator": RoleTenantAdministrator,
		"Tenant Contributor":   RoleTenantContributor,
		"Tenant Data Steward":  RoleTenantDataSteward,
		"Tenant Viewer":        RoleTenantViewer,
		"Tenant Member":        RoleTenantMember,
	} {
		roles[ids.Key(name)] = id
	}
	return roles
}

// TokenLifetime is how long an issued token is valid on the emulator clock.
const TokenLifetime = time.Hour

// Principal is who is calling.
type Principal struct {
	Type   int    // TrusteeUser or TrusteeClient
	ID     string // user or client id
	Tenant string
	Roles  []string // role ids; every principal has Tenant Member
}

// Trustee is the principal as an access control trustee (a group's Owner).
func (p Principal) Trustee() *store.Trustee {
	id, tenant := p.ID, p.Tenant
	return &store.Trustee{Type: p.Type, ObjectID: &id, TenantID: &tenant}
}

// Allows reports whether acl grants every bit of right to p: some entry
// matching p allows it and no matching entry denies any of it.
func (p Principal) Allows(acl store.AccessControlList, right int64) bool {
	var granted int64
	for _, e := range acl.Entries {
		if !p.matches(e.Trustee) {
			continue
		}
		if e.AccessType == Denied && e.AccessRights&right != 0 {
			return false
		}
		if e.AccessType == Allowed {
			granted |= e.AccessRights
		}
	}
	return granted&right == right
}

func (p Principal) matches(t *store.Trustee) bool {
	if t == nil || t.ObjectID == nil {
		return false
	}
	if t.TenantID != nil && !ids.Equal(*t.TenantID, p.Tenant) {
		return false
	}
	switch t.Type {
	case TrusteeUser, TrusteeClient:
		return t.Type == p.Type && ids.Equal(*t.ObjectID, p.ID)
	case TrusteeRole:
		for _, r := range p.Roles {
			if ids.Equal(r, *t.ObjectID) {
				return true
			}
		}
	}
	return false
}

// Errors of Authenticate and Issue.
var (
	ErrNoToken       = errors.New("no bearer token")
	ErrUnknownToken  = errors.New("unknown token")
	ErrExpiredToken  = errors.New("expired token")
	ErrInvalidClient = errors.New("invalid client")
)

// Directory knows the identities and the tokens issued to them.
type Directory struct {
	clients map[string]fixture.Client // by ids.Key of the id; fixed after New

	mu     sync.Mutex         // guards tokens
	tokens map[string]session // by token
}

type session struct {
	principal Principal
	expires   time.Time // zero = never (fixture tokens)
}

// New builds a directory from fixture identities (nil = nobody).
func New(idents *fixture.Identities) (*Directory, error) {
	d := &Directory{clients: map[string]fixture.Client{}, tokens: map[string]session{}}
	if idents == nil {
		return d, nil
	}
	roles := builtinRoles()
	for _, r := range idents.Roles {
		if r.Id == "" || r.TenantId == "" {
			return nil, fmt.Errorf("role %q: Id and TenantId are required", r.Name)
		}
		if r.Name != "" {
			roles[ids.Key(r.Name)] = r.Id
		}
	}
	resolve := func(who string, names []string) ([]string, error) {
		out := []string{RoleTenantMember}
		for _, n := range names {
			if id, ok := roles[ids.Key(n)]; ok {
				out = append(out, id)
				continue
			}
			if n == "" {
				return nil, fmt.Errorf("%s: empty role", who)
			}
			out = append(out, n) // a role id
		}
		return out, nil
	}
	addTokens := func(p Principal, tokens []string) error {
		for _, t := range tokens {
			if t == "" {
				return fmt.Errorf("%s: empty token", p.ID)
			}
			if _, dup := d.tokens[t]; dup {
				return fmt.Errorf("%s: token given to two identities", p.ID)
			}
			d.tokens[t] = session{principal: p}
		}
		return nil
	}
	for _, u := range idents.Users {
		if u.Id == "" || u.TenantId == "" {
			return nil, fmt.Errorf("user %q: Id and TenantId are required", u.Name)
		}
		r, err := resolve("user "+u.Id, u.Roles)
		if err != nil {
			return nil, err
		}
		if err := addTokens(Principal{Type: TrusteeUser, ID: u.Id, Tenant: u.TenantId, Roles: r}, u.Tokens); err != nil {
			return nil, err
		}
	}
	for _, c := range idents.Clients {
		if c.Id == "" || c.TenantId == "" {
			return nil, fmt.Errorf("client %q: Id and TenantId are required", c.Name)
		}
		r, err := resolve("client "+c.Id, c.Roles)
		if err != nil {
			return nil, err
		}
		c.Roles = r
		if _, dup := d.clients[ids.Key(c.Id)]; dup {
			return nil, fmt.Errorf("client %q appears twice", c.Id)
		}
		d.clients[ids.Key(c.Id)] = c
		if err := addTokens(clientPrincipal(c), c.Tokens); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func clientPrincipal(c fixture.Client) Principal {
	return Principal{Type: TrusteeClient, ID: c.Id, Tenant: c.TenantId, Roles: c.Roles}
}

// Issue grants a token to a client with the client-credentials grant.
func (d *Directory) Issue(clientID, secret string, now time.Time) (token string, expires time.Time, err error) {
	c, ok := d.clients[ids.Key(clientID)]
	if !ok || subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
		return "", time.Time{}, ErrInvalidClient
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", time.Time{}, fmt.Errorf("issue token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(raw[:])
	expires = now.Add(TokenLifetime)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prune(now)
	d.tokens[token] = session{principal: clientPrincipal(c), expires: expires}
	return token, expires, nil
}

// prune forgets expired tokens so a long run cannot grow the map forever;
// the caller holds mu. It keeps what expired in the last hour, so a test
// still sees "expired" rather than "unknown" for a while.
func (d *Directory) prune(now time.Time) {
	if len(d.tokens) < 1024 {
		return
	}
	for t, s := range d.tokens {
		if !s.expires.IsZero() && now.Sub(s.expires) > TokenLifetime {
			delete(d.tokens, t)
		}
	}
}

// Authenticate returns who holds the token at time now.
func (d *Directory) Authenticate(token string, now time.Time) (Principal, error) {
	if token == "" {
		return Principal{}, ErrNoToken
	}
	d.mu.Lock()
	s, ok := d.tokens[token]
	d.mu.Unlock()
	switch {
	case !ok:
		return Principal{}, ErrUnknownToken
	case !s.expires.IsZero() && !now.Before(s.expires):
		return Principal{}, ErrExpiredToken
	}
	return s.principal, nil
}
