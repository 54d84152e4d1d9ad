// Package auth is the emulated service's authorisation: who a bearer token
// belongs to, tokens issued with the OAuth 2.0 client-credentials grant,
// whether an access control list lets a caller do something, and the
// on-premises service's Windows accounts (HTTP Basic) and their two local
// groups.
//
// Identities (users, clients, roles, Windows accounts) come from fixtures.
// Tokens expire on the emulator clock, so a test can advance past expiry and
// see a 401. The rule of access control lists is the service's: an entry
// applies when its trustee is the caller (a user or client id) or one of the
// caller's roles; a matching Denied entry beats any Allowed one. Ids and
// account names match as package ids says.
//
// A directory holds at most MaxTokens issued tokens. Issuing costs O(log n)
// in the tokens held: they are kept in order of expiry, and those expired
// for more than TokenLifetime are forgotten as the clock passes them. At the
// bound, issuing a token forgets the one that expires first (the oldest
// issued, unless the clock was moved back), which then authenticates as
// unknown (a 401, after which a client asks for a new token). Tokens from
// fixtures never expire and do not count.
//
// What it does not reproduce: signed JWTs (tokens are opaque random strings),
// scopes, refresh tokens, any grant other than client credentials, and
// Kerberos/Negotiate (Windows accounts authenticate with Basic only).
package auth

import (
	"container/heap"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
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
// An expired token is remembered for as long again, so that it
// authenticates as expired rather than unknown.
const TokenLifetime = time.Hour

// MaxTokens is the most issued tokens a directory holds; see the package
// documentation for what happens at the bound.
const MaxTokens = 100_000

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

// Errors of Authenticate, Issue and AuthenticateBasic.
var (
	ErrNoToken        = errors.New("no bearer token")
	ErrUnknownToken   = errors.New("unknown token")
	ErrExpiredToken   = errors.New("expired token")
	ErrInvalidClient  = errors.New("invalid client")
	ErrNoCredentials  = errors.New("no user name and password")
	ErrBadCredentials = errors.New("unknown user name or wrong password")
)

// Directory knows the identities and the tokens issued to them.
type Directory struct {
	clients  map[string]fixture.Client // by ids.Key of the id; fixed after New
	accounts map[string]account        // Windows accounts by ids.Key of the name; fixed after New
	dummy    [sha256.Size]byte         // compared against for an unknown account name

	mu     sync.Mutex         // guards tokens, expiry and limit
	tokens map[string]session // by token
	expiry expiryHeap         // the issued tokens, soonest expiry first
	limit  int                // the most issued tokens held: MaxTokens
}

type session struct {
	principal Principal
	expires   time.Time // zero = never (fixture tokens)
}

// New builds a directory from fixture identities (nil = nobody).
func New(idents *fixture.Identities) (*Directory, error) {
	d := &Directory{clients: map[string]fixture.Client{}, accounts: map[string]account{}, tokens: map[string]session{}, limit: MaxTokens}
	if _, err := rand.Read(d.dummy[:]); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
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
	if err := d.addAccounts(idents.WindowsAccounts); err != nil {
		return nil, err
	}
	return d, nil
}

func clientPrincipal(c fixture.Client) Principal {
	return Principal{Type: TrusteeClient, ID: c.Id, Tenant: c.TenantId, Roles: c.Roles}
}

// Issue grants a token to a client with the client-credentials grant. It
// costs O(log n) in the tokens held; at MaxTokens it forgets the token that
// expires first.
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
	for len(d.expiry) >= d.limit {
		delete(d.tokens, heap.Pop(&d.expiry).(issued).token)
	}
	d.tokens[token] = session{principal: clientPrincipal(c), expires: expires}
	heap.Push(&d.expiry, issued{token: token, expires: expires})
	return token, expires, nil
}

// prune forgets the tokens that expired more than TokenLifetime before now,
// soonest first, so a long run cannot grow the map forever and a test still
// sees "expired" rather than "unknown" for a while; the caller holds mu.
func (d *Directory) prune(now time.Time) {
	for len(d.expiry) > 0 && now.Sub(d.expiry[0].expires) > TokenLifetime {
		delete(d.tokens, heap.Pop(&d.expiry).(issued).token)
	}
}

// Tokens returns how many issued tokens the directory holds (fixture
// tokens not counted).
func (d *Directory) Tokens() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.expiry)
}

// issued is an issued token in the expiry heap.
type issued struct {
	token   string
	expires time.Time
}

// expiryHeap is a min-heap of issued tokens by expiry, for container/heap.
type expiryHeap []issued

// Len, Less, Swap, Push and Pop implement heap.Interface.

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(issued)) }
func (h *expiryHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = issued{}
	*h = old[:len(old)-1]
	return t
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

// The two local groups of the on-premises Client Failover Service.
const (
	// GroupUsers may read groups and sessions, create and replace groups
	// and sessions, delete sessions and post heartbeats.
	GroupUsers = "AVEVAFailoverUsers"
	// GroupAdministrators may also delete groups, post role overrides and
	// read and change the configuration.
	GroupAdministrators = "AVEVAFailoverAdministrators"
)

// Account is a Windows account that authenticated with HTTP Basic, and
// which of the two local groups it is a member of.
type Account struct {
	Name           string // as the fixture writes it
	Users          bool   // a member of GroupUsers
	Administrators bool   // a member of GroupAdministrators
}

// account is a Windows account as a directory keeps it.
type account struct {
	Account
	password [sha256.Size]byte // SHA-256 of the password
}

// addAccounts checks and adds the fixture's Windows accounts; it runs in New.
func (d *Directory) addAccounts(accounts []fixture.WindowsAccount) error {
	for i, wa := range accounts {
		switch {
		case wa.Name == "":
			return fmt.Errorf("the Windows account at %d: a Name is required", i)
		case strings.ContainsRune(wa.Name, ':'):
			// RFC 7617: the user-id of Basic credentials ends at the first colon.
			return fmt.Errorf("the Windows account %q: a name with ':' cannot sign in with HTTP Basic", wa.Name)
		}
		key := ids.Key(wa.Name)
		if other, dup := d.accounts[key]; dup {
			return fmt.Errorf("the Windows accounts %q and %q are one account (names match ignoring case)", other.Name, wa.Name)
		}
		a := account{Account: Account{Name: wa.Name}, password: sha256.Sum256([]byte(wa.Password))}
		for _, g := range wa.Groups {
			switch {
			case ids.Equal(g, GroupUsers):
				a.Users = true
			case ids.Equal(g, GroupAdministrators):
				a.Administrators = true
			default:
				return fmt.Errorf("the Windows account %q: group %q is not a group of the Client Failover Service (%s or %s)", wa.Name, g, GroupUsers, GroupAdministrators)
			}
		}
		d.accounts[key] = a
	}
	return nil
}

// AuthenticateBasic returns the Windows account with this name (matched by
// ids.Equal, so "PLANT\adapter-1" and "plant\ADAPTER-1" are one account)
// and password. An empty name is ErrNoCredentials; an unknown name or a
// wrong password is ErrBadCredentials, and takes the same time either way:
// the password is compared in constant time, against a dummy when there is
// no such account, so the answer does not tell which names exist.
func (d *Directory) AuthenticateBasic(name, password string) (Account, error) {
	if name == "" {
		return Account{}, ErrNoCredentials
	}
	given := sha256.Sum256([]byte(password))
	a, known := d.accounts[ids.Key(name)]
	want := d.dummy
	if known {
		want = a.password
	}
	if subtle.ConstantTimeCompare(given[:], want[:]) != 1 || !known {
		return Account{}, ErrBadCredentials
	}
	return a.Account, nil
}
