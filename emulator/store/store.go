// Package store holds the emulated service's state in memory: one namespace
// per tenant and namespace id, each with its groups in creation order and its
// collection access control list.
//
// The store knows nothing of HTTP or of the API's rules; the service package
// decides what to write. One lock guards everything, so each request's change
// is atomic: callers run a whole request inside Update (or View) and validate
// before they mutate, so a failed request leaves nothing behind.
package store

import (
	"encoding/json"
	"sort"
	"sync"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/ids"
)

// Scope names a tenant's namespace, or the on-premises service's one scope
// (OnPremises). Ids match as package ids says (ignoring case) and are kept
// as first written.
type Scope struct {
	Tenant    string
	Namespace string
	// onPremises marks the OnPremises scope, which has no tenant or
	// namespace; no other Scope has it.
	onPremises bool
}

// OnPremises is the scope of the on-premises Client Failover Service: one
// set of groups, with no tenant or namespace.
var OnPremises = Scope{onPremises: true}

// IsOnPremises reports whether s is the OnPremises scope.
func (s Scope) IsOnPremises() bool { return s.onPremises }

// String names the scope for messages: "tenant/namespace" or "on-premises".
func (s Scope) String() string {
	if s.onPremises {
		return "on-premises"
	}
	return s.Tenant + "/" + s.Namespace
}

// Key is the comparison key of the scope: two scopes are the same
// exactly when their keys are equal.
func (s Scope) Key() string {
	if s.onPremises {
		return "on-premises" // every other key holds a NUL separator
	}
	return ids.Key(s.Tenant) + "\x00" + ids.Key(s.Namespace)
}

// AppendKey appends Key() to b: a caller that only looks a scope up can
// build its key in a buffer of its own, and a map look-up of string(key)
// allocates nothing.
func (s Scope) AppendKey(b []byte) []byte {
	if s.onPremises {
		return append(b, "on-premises"...)
	}
	b = append(b, ids.Key(s.Tenant)...)
	b = append(b, 0)
	return append(b, ids.Key(s.Namespace)...)
}

// Trustee is who an access control entry is about.
type Trustee struct {
	Type     int // 1 User, 2 Client, 3 Role
	ObjectID *string
	TenantID *string
}

// AccessControlEntry grants or denies rights to a trustee.
type AccessControlEntry struct {
	Trustee      *Trustee
	AccessType   int // 0 Allowed, 1 Denied
	AccessRights int64
}

// AccessControlList is an ordered list of entries; Entries nil means the
// list was written as null.
//
// A stored list is immutable: it is replaced whole and never changed in
// place, so a new group shares its namespace's collection list and readers
// get it without copying (100,000 groups would otherwise hold 100,000
// copies).
type AccessControlList struct {
	Entries []AccessControlEntry
}

// Clone returns a deep copy of the trustee (nil stays nil).
func (t *Trustee) Clone() *Trustee {
	if t == nil {
		return nil
	}
	c := *t
	c.ObjectID = cloneString(t.ObjectID)
	c.TenantID = cloneString(t.TenantID)
	return &c
}

func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	c := *s
	return &c
}

// Group is a failover group: its configuration, access control and the
// failover engine's state (sessions, roles).
type Group struct {
	ID             string
	Name           *string
	Description    *string
	AdditionalData json.RawMessage // nil = null
	ACL            AccessControlList
	Owner          *Trustee
	// Failover is the engine's state of the group; Timeout lives here (one
	// source of truth). It is held by value, not behind a pointer: one
	// object fewer per group for the garbage collector to mark, on every
	// cycle, for every stored group.
	Failover failover.Group

	slot int // position in the namespace's order
}

// Timeout is the group's FailoverTimeout.
func (g *Group) Timeout() time.Duration { return g.Failover.Timeout }

// Namespace is one tenant's namespace.
type Namespace struct {
	Scope         Scope // as first written
	CollectionACL AccessControlList

	groups map[string]*Group // by ids.Key of the id
	order  order
}

// Group returns the group with the given id (matched by ids.Equal), or nil.
func (n *Namespace) Group(id string) *Group {
	if n == nil {
		return nil
	}
	return n.groups[ids.Key(id)]
}

// Count is the number of groups.
func (n *Namespace) Count() int {
	if n == nil {
		return 0
	}
	return n.order.live
}

// Page returns up to count groups after skipping skip, in creation order.
func (n *Namespace) Page(skip, count int) []*Group {
	if n == nil {
		return nil
	}
	return n.order.page(skip, count)
}

// Groups returns every group in creation order.
func (n *Namespace) Groups() []*Group { return n.Page(0, n.Count()) }

// Put stores g: a new group goes last, a replacement keeps its place.
func (n *Namespace) Put(g *Group) {
	key := ids.Key(g.ID)
	if old, ok := n.groups[key]; ok {
		g.slot = old.slot
		n.order.slots[old.slot] = g
		n.groups[key] = g
		return
	}
	n.groups[key] = g
	n.order.add(g)
}

// Delete removes the group with the given id; it reports whether one existed.
func (n *Namespace) Delete(id string) bool {
	key := ids.Key(id)
	g, ok := n.groups[key]
	if !ok {
		return false
	}
	delete(n.groups, key)
	n.order.remove(g)
	return true
}

// Tx is the view of the state inside View or Update. It is valid only during
// the call that handed it out.
type Tx struct {
	s *Store
}

// Namespace returns the namespace of scope, or nil when nothing was ever
// written there (an unknown namespace reads as empty).
func (tx Tx) Namespace(scope Scope) *Namespace {
	var buf [128]byte // every request looks its namespace up: no key is allocated
	return tx.s.namespaces[string(scope.AppendKey(buf[:0]))]
}

// EnsureNamespace returns the namespace of scope, creating it (with the
// collection list that newACL returns) on first write.
func (tx Tx) EnsureNamespace(scope Scope, newACL func(Scope) AccessControlList) *Namespace {
	key := scope.Key()
	if n, ok := tx.s.namespaces[key]; ok {
		return n
	}
	n := &Namespace{Scope: scope, CollectionACL: newACL(scope), groups: map[string]*Group{}}
	tx.s.namespaces[key] = n
	return n
}

// Namespaces returns every namespace, ordered by tenant then namespace, so
// exported state is stable.
func (tx Tx) Namespaces() []*Namespace {
	out := make([]*Namespace, 0, len(tx.s.namespaces))
	for _, n := range tx.s.namespaces {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Scope.Key() < out[j].Scope.Key() })
	return out
}

// Clear removes every namespace.
func (tx Tx) Clear() { tx.s.namespaces = map[string]*Namespace{} }

// Store is the in-memory state of one emulator.
type Store struct {
	mu         sync.RWMutex          // guards namespaces and everything reachable from it
	namespaces map[string]*Namespace // by Scope.Key()
}

// New returns an empty store.
func New() *Store {
	return &Store{namespaces: map[string]*Namespace{}}
}

// View runs fn with shared access: fn must not change anything.
func (s *Store) View(fn func(Tx)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn(Tx{s})
}

// Update runs fn with exclusive access. fn must validate before it changes
// anything: an error does not roll back what fn already wrote.
func (s *Store) Update(fn func(Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(Tx{s})
}
