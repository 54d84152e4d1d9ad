package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// Fields says which optional group properties a request's revision carries;
// properties it does not carry are neither compared nor overwritten.
type Fields uint8

// The optional group properties.
const (
	WithAdditionalData Fields = 1 << iota // the generally available revision
	WithAccess                            // AccessControl and Owner (later revisions)
)

// GroupConfig is a group's configuration as the API reads and writes it.
type GroupConfig struct {
	ID             string
	Name           *string
	Description    *string
	Timeout        time.Duration
	AdditionalData json.RawMessage // nil = null
	ACL            store.AccessControlList
	Owner          *store.Trustee
	Fields         Fields // on input: which optional properties were carried
	// Creator becomes the Owner of a group this request creates, unless
	// the request names an Owner itself.
	Creator *store.Trustee
	// Caller is who sends the configuration under token authorisation (nil:
	// anyone may do anything). An AccessControl or Owner that would change
	// the group's needs ManageAccessControl for it, on the group's own list
	// (on the collection list for a new group), as Set Group Acl does: a
	// caller with only Write cannot gain rights through a group body.
	Caller *auth.Principal
}

// checkAccessChange refuses an AccessControl or Owner in c that would give
// a group other than acl and owner, unless c.Caller may manage governing.
func (c GroupConfig) checkAccessChange(acl store.AccessControlList, owner *store.Trustee, governing store.AccessControlList) error {
	if c.Caller == nil || c.Fields&WithAccess == 0 {
		return nil
	}
	changesACL := c.ACL.Entries != nil && !equalACL(c.ACL, acl)
	changesOwner := c.Owner != nil && !equalTrustee(c.Owner, owner)
	if (!changesACL && !changesOwner) || c.Caller.Allows(governing, auth.ManageAccessControl) {
		return nil
	}
	what := "AccessControl"
	switch {
	case changesACL && changesOwner:
		what = "AccessControl and Owner"
	case changesOwner:
		what = "Owner"
	}
	return &Error{
		Kind:       Forbidden,
		Message:    "The request is not authorized.",
		Reason:     fmt.Sprintf("The body changes the group's %s, which needs ManageAccessControl; the access control list does not grant it to %q.", what, c.Caller.ID),
		Resolution: "Leave AccessControl and Owner out of the body (or send them unchanged), or use an identity with ManageAccessControl.",
	}
}

func equalACL(a, b store.AccessControlList) bool {
	if len(a.Entries) != len(b.Entries) || (a.Entries == nil) != (b.Entries == nil) {
		return false
	}
	for i, e := range a.Entries {
		f := b.Entries[i]
		if e.AccessType != f.AccessType || e.AccessRights != f.AccessRights || !equalTrustee(e.Trustee, f.Trustee) {
			return false
		}
	}
	return true
}

func equalTrustee(a, b *store.Trustee) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Type == b.Type && equalFoldPtr(a.ObjectID, b.ObjectID) && equalFoldPtr(a.TenantID, b.TenantID)
}

// equalFoldPtr compares two optional ids.
func equalFoldPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return ids.Equal(*a, *b)
}

// sameAs reports whether c configures g identically, comparing only what c's
// revision carries (the later revisions' idempotent Post Group).
func (c GroupConfig) sameAs(g *store.Group) bool {
	if !equalString(c.Name, g.Name) || !equalString(c.Description, g.Description) || c.Timeout != g.Timeout() {
		return false
	}
	if c.Fields&WithAdditionalData != 0 && !equalJSON(c.AdditionalData, g.AdditionalData) {
		return false
	}
	return true
}

func equalString(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// equalJSON compares two JSON values by meaning, not by spelling.
func equalJSON(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return string(a) == string(b)
	}
	ca, _ := json.Marshal(va)
	cb, _ := json.Marshal(vb)
	return string(ca) == string(cb)
}

func configOf(g *store.Group) GroupConfig {
	return GroupConfig{
		ID:             g.ID,
		Name:           g.Name,
		Description:    g.Description,
		Timeout:        g.Timeout(),
		AdditionalData: g.AdditionalData,
		ACL:            g.ACL,
		Owner:          g.Owner, // immutable once stored, like the list
	}
}

// validateTimeout enforces the one rule of a group body that its schema
// cannot: FailoverTimeout must be greater than zero.
func validateTimeout(d time.Duration) error {
	if d <= 0 {
		return invalid("FailoverTimeout must be greater than zero.", "Send a positive time-span such as \"00:01:00\".")
	}
	return nil
}

// ListGroups calls visit for one page of the namespace's groups in creation
// order and returns the total number of groups. visit runs under the read
// lock and must not keep g: a page is rendered without copying each group.
func (s *Service) ListGroups(ctx context.Context, scope store.Scope, skip, count int, visit func(g *GroupConfig)) (total int) {
	s.read(func(tx store.Tx) {
		ns := tx.Namespace(scope)
		total = ns.Count()
		var c GroupConfig
		for _, g := range ns.Page(skip, count) {
			c = configOf(g)
			visit(&c)
		}
	})
	return total
}

// GetGroup returns a group's configuration.
func (s *Service) GetGroup(ctx context.Context, scope store.Scope, id string) (GroupConfig, error) {
	var out GroupConfig
	err := s.readGroup(scope, id, func(g *store.Group) { out = configOf(g) })
	return out, err
}

// readGroup runs fn on the group under the read lock, or reports NotFound.
func (s *Service) readGroup(scope store.Scope, id string, fn func(*store.Group)) error {
	var err error
	s.read(func(tx store.Tx) {
		g := tx.Namespace(scope).Group(id)
		if g == nil {
			err = groupNotFound(id)
			return
		}
		fn(g)
	})
	return err
}

// PostGroup creates a group; without an Id it gets a new GUID. When the Id
// exists it fails with Conflict, unless identicalOK (later revisions) and the
// configuration is the same, when it answers the stored group with
// created == false.
func (s *Service) PostGroup(ctx context.Context, scope store.Scope, c GroupConfig, identicalOK bool) (out GroupConfig, created bool, err error) {
	if err := validateTimeout(c.Timeout); err != nil {
		return GroupConfig{}, false, err
	}
	if c.ID == "" {
		c.ID = s.newID()
	}
	err = s.write(func(tx store.Tx, now time.Time) error {
		if g := tx.Namespace(scope).Group(c.ID); g != nil {
			if identicalOK && c.sameAs(g) {
				out = configOf(g)
				return nil
			}
			return &Error{
				Kind:       Conflict,
				Message:    "A failover group with the same Id already exists.",
				Reason:     fmt.Sprintf("The Id %q is already used by a failover group in this namespace.", g.ID),
				Resolution: "Use another Id, omit the Id to get a new one, or use PUT to replace the group.",
			}
		}
		if err := s.checkNewGroupAccess(tx, scope, c); err != nil {
			return err
		}
		out = s.createGroup(tx, scope, c, now)
		created = true
		return nil
	})
	return out, created, err
}

// checkNewGroupAccess checks the access properties of a group about to be
// created: it starts with the collection list and its creator as Owner.
func (s *Service) checkNewGroupAccess(tx store.Tx, scope store.Scope, c GroupConfig) error {
	collection := s.defaultACL(scope)
	if ns := tx.Namespace(scope); ns != nil {
		collection = ns.CollectionACL
	}
	return c.checkAccessChange(collection, c.Creator, collection)
}

// createGroup stores a new group: it takes the collection list as its own
// unless the request carried one.
func (s *Service) createGroup(tx store.Tx, scope store.Scope, c GroupConfig, now time.Time) GroupConfig {
	ns := tx.EnsureNamespace(scope, s.defaultACL)
	g := &store.Group{
		ID:             c.ID,
		Name:           c.Name,
		Description:    c.Description,
		AdditionalData: cloneRaw(c.AdditionalData),
		ACL:            ns.CollectionACL,
		Owner:          c.Owner,
		Failover:       failover.Group{Timeout: c.Timeout, Evaluated: now},
	}
	if c.Fields&WithAccess != 0 && c.ACL.Entries != nil {
		g.ACL = c.ACL
	}
	if g.Owner == nil {
		g.Owner = c.Creator
	}
	ns.Put(g)
	return configOf(g)
}

// PutGroup creates (created == true) or replaces the group id. A body Id
// that differs from id is Invalid; an empty body Id takes id. Replacing keeps
// the group's sessions; a new timeout applies from now on.
func (s *Service) PutGroup(ctx context.Context, scope store.Scope, id string, c GroupConfig) (out GroupConfig, created bool, err error) {
	if c.ID != "" && !ids.Equal(c.ID, id) {
		return GroupConfig{}, false, invalid(
			fmt.Sprintf("The Id in the body (%q) differs from the Id in the path (%q).", c.ID, id),
			"Send the same Id in the body as in the path, or omit it from the body.")
	}
	if err := validateTimeout(c.Timeout); err != nil {
		return GroupConfig{}, false, err
	}
	c.ID = id
	err = s.write(func(tx store.Tx, now time.Time) error {
		g := tx.Namespace(scope).Group(id)
		if g == nil {
			if err := s.checkNewGroupAccess(tx, scope, c); err != nil {
				return err
			}
			out = s.createGroup(tx, scope, c, now)
			created = true
			return nil
		}
		if err := c.checkAccessChange(g.ACL, g.Owner, g.ACL); err != nil {
			return err
		}
		g.Name, g.Description = c.Name, c.Description
		if c.Fields&WithAdditionalData != 0 {
			g.AdditionalData = cloneRaw(c.AdditionalData)
		}
		if c.Fields&WithAccess != 0 {
			if c.ACL.Entries != nil {
				g.ACL = c.ACL
			}
			if c.Owner != nil {
				g.Owner = c.Owner
			}
		}
		if c.Timeout != g.Timeout() {
			s.record(scope, g, g.Failover.SetTimeout(c.Timeout, now))
		}
		out = configOf(g)
		return nil
	})
	return out, created, err
}

// DeleteGroup deletes a group and its sessions; it is a Conflict while any
// session of the group is live.
func (s *Service) DeleteGroup(ctx context.Context, scope store.Scope, id string) error {
	return s.write(func(tx store.Tx, now time.Time) error {
		ns := tx.Namespace(scope)
		g := ns.Group(id)
		if g == nil {
			return groupNotFound(id)
		}
		s.record(scope, g, g.Failover.AdvanceTo(now))
		if g.Failover.HasLive(now) {
			return &Error{
				Kind:       Conflict,
				Message:    "The failover group has live client sessions.",
				Reason:     fmt.Sprintf("Failover group %q has client sessions that sent a heartbeat within its FailoverTimeout.", g.ID),
				Resolution: "Stop the clients (or delete their sessions) and wait for the FailoverTimeout to pass, then delete the group.",
			}
		}
		ns.Delete(id)
		s.sched.remove(groupRef{scope: scope, group: g.ID})
		return nil
	})
}

// Status is a group's failover status.
type Status struct {
	Primary               *string
	PendingPrimary        *string
	LastDataProcessedTime *time.Time
}

// GroupStatus answers the live Primary, PendingPrimary and the group's
// LastDataProcessedTime.
func (s *Service) GroupStatus(ctx context.Context, scope store.Scope, id string) (Status, error) {
	var out Status
	err := s.write(func(tx store.Tx, now time.Time) error {
		g := tx.Namespace(scope).Group(id)
		if g == nil {
			return groupNotFound(id)
		}
		s.record(scope, g, g.Failover.AdvanceTo(now))
		if p := g.Failover.Primary(); p != nil {
			out.Primary = &p.ID
		}
		if p := g.Failover.PendingPrimary(); p != nil {
			out.PendingPrimary = &p.ID
		}
		out.LastDataProcessedTime = cloneTime(g.Failover.LastDataProcessedTime)
		return nil
	})
	return out, err
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
