package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/emulator/store"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// Import replaces the whole state with doc (fixtures, PUT /_emulator/state)
// and clears the event list. doc is checked completely first: an invalid
// document changes nothing.
func (s *Service) Import(doc fixture.Document) error {
	now := s.clock.Now()
	prepared, err := prepare(doc, now, s.maxSessions)
	if err != nil {
		return err
	}
	virtuals, err := s.prepareVirtual(doc.VirtualClients, groupsOf(prepared), now)
	if err != nil {
		return err
	}
	return s.store.Update(func(tx store.Tx) error {
		s.events.Clear()
		tx.Clear()
		s.sched.reset()
		for _, p := range prepared {
			ns := tx.EnsureNamespace(p.scope, s.defaultACL)
			if p.acl != nil {
				ns.CollectionACL = *p.acl
			}
			for _, g := range p.groups {
				if !g.aclSet {
					g.group.ACL = ns.CollectionACL
				}
				ns.Put(g.group)
				// Lapses and expiries since the state's own time first, then
				// the rules at now: a document may hold roles that do not
				// follow them (a Primary override holder written as
				// Secondary, a lone live session that is not Primary).
				evs := g.group.Failover.AdvanceTo(now)
				s.record(p.scope, g.group, append(evs, g.group.Failover.Settle()...))
			}
		}
		s.virt.reset(virtuals)
		s.catchUpLocked(tx, now)
		return nil
	})
}

type preparedNamespace struct {
	scope  store.Scope
	acl    *store.AccessControlList
	groups []preparedGroup
}

type preparedGroup struct {
	group  *store.Group
	aclSet bool
}

// prepare checks doc and converts it; namespaces named twice are merged.
// A group may have at most maxSessions sessions.
func prepare(doc fixture.Document, now time.Time, maxSessions int) ([]*preparedNamespace, error) {
	var out []*preparedNamespace
	byKey := map[string]*preparedNamespace{}
	seen := map[string]bool{}
	if op := doc.OnPremises; op != nil {
		p := &preparedNamespace{scope: store.OnPremises}
		out = append(out, p)
		for j, fg := range op.Groups {
			where := fmt.Sprintf("on-premises group %d (%q)", j, fg.Id)
			if fg.AccessControl != nil || fg.Owner != nil {
				return nil, fmt.Errorf("%s: the on-premises service has no access control lists: remove AccessControl and Owner", where)
			}
			gk := store.OnPremises.Key() + "\x00" + ids.Key(fg.Id)
			if seen[gk] {
				return nil, fmt.Errorf("%s: the group appears twice", where)
			}
			seen[gk] = true
			g, err := groupFromFixture(fg, now, maxSessions)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			g.ACL = store.AccessControlList{}
			p.groups = append(p.groups, preparedGroup{group: g, aclSet: true})
		}
	}
	for i, n := range doc.Namespaces {
		where := fmt.Sprintf("namespace %d (%s/%s)", i, n.TenantId, n.NamespaceId)
		if n.TenantId == "" || n.NamespaceId == "" {
			return nil, fmt.Errorf("%s: TenantId and NamespaceId are required", where)
		}
		scope := store.Scope{Tenant: n.TenantId, Namespace: n.NamespaceId}
		key := scope.Key()
		p := byKey[key]
		if p == nil {
			p = &preparedNamespace{scope: scope}
			byKey[key] = p
			out = append(out, p)
		}
		if n.CollectionAccessControl != nil {
			l := aclFromFixture(*n.CollectionAccessControl)
			if err := ValidateACL(l); err != nil {
				return nil, fmt.Errorf("%s: collection access control: %w", where, err)
			}
			p.acl = &l
		}
		for j, fg := range n.Groups {
			gk := key + "\x00" + ids.Key(fg.Id)
			if seen[gk] {
				return nil, fmt.Errorf("%s: group %q appears twice", where, fg.Id)
			}
			seen[gk] = true
			g, err := groupFromFixture(fg, now, maxSessions)
			if err != nil {
				return nil, fmt.Errorf("%s: group %d (%q): %w", where, j, fg.Id, err)
			}
			for _, cs := range g.Failover.Sessions {
				if cs.Override == failover.OverrideSecondary {
					return nil, fmt.Errorf("%s: group %d (%q): session %q: override 2 (Secondary) exists only on the on-premises service", where, j, fg.Id, cs.ID)
				}
			}
			p.groups = append(p.groups, preparedGroup{group: g, aclSet: fg.AccessControl != nil})
		}
	}
	return out, nil
}

// groupFromFixture converts a group of a document; it may have at most
// maxSessions sessions (checked first: the rest costs more per session).
func groupFromFixture(fg fixture.Group, now time.Time, maxSessions int) (*store.Group, error) {
	if fg.Id == "" {
		return nil, fmt.Errorf("an Id is required")
	}
	if len(fg.Sessions) > maxSessions {
		return nil, fmt.Errorf("%d sessions, more than the %d a group may have", len(fg.Sessions), maxSessions)
	}
	timeout, err := timefmt.ParseSpan(fg.FailoverTimeout)
	if err != nil {
		return nil, fmt.Errorf("FailoverTimeout: %w", err)
	}
	if err := validateTimeout(timeout); err != nil {
		return nil, err
	}
	ldpt, err := fixtureTime("LastDataProcessedTime", fg.LastDataProcessedTime)
	if err != nil {
		return nil, err
	}
	if err := checkAdditionalData(fg.AdditionalData); err != nil {
		return nil, err
	}
	g := &store.Group{
		ID:             fg.Id,
		Name:           fg.Name,
		Description:    fg.Description,
		AdditionalData: cloneRaw(fg.AdditionalData),
		Owner:          trusteeFromFixture(fg.Owner),
		Failover: failover.Group{
			Timeout:               timeout,
			EverPrimary:           fg.HadPrimary,
			LastDataProcessedTime: ldpt,
			Evaluated:             now,
		},
	}
	if string(bytes.TrimSpace(g.AdditionalData)) == "null" {
		g.AdditionalData = nil
	}
	if fg.AccessControl != nil {
		g.ACL = aclFromFixture(*fg.AccessControl)
		if err := ValidateACL(g.ACL); err != nil {
			return nil, fmt.Errorf("access control: %w", err)
		}
	}
	holders := map[failover.Role]string{}
	overrides := 0
	for k, fs := range fg.Sessions {
		cs, err := sessionFromFixture(fs, now)
		if err != nil {
			return nil, fmt.Errorf("session %d (%q): %w", k, fs.Id, err)
		}
		if g.Failover.Session(cs.ID) != nil {
			return nil, fmt.Errorf("session %q appears twice", cs.ID)
		}
		if cs.Role != failover.Secondary {
			if other, ok := holders[cs.Role]; ok {
				return nil, fmt.Errorf("sessions %q and %q are both %s", other, cs.ID, cs.Role)
			}
			holders[cs.Role] = cs.ID
			if cs.Role == failover.Primary {
				g.Failover.EverPrimary = true
			}
		}
		if cs.Override == failover.OverridePrimary {
			if overrides++; overrides > 1 {
				return nil, fmt.Errorf("more than one session holds a Primary role override")
			}
		}
		g.Failover.Sessions = append(g.Failover.Sessions, cs)
	}
	g.Failover.Evaluated = evaluatedFrom(&g.Failover, now)
	return g, nil
}

// evaluatedFrom is where the rules take over a loaded group: at its latest
// recorded heartbeat (never later than now). The roles written are taken as
// they stood then, and every lapse and expiry after it is applied at its own
// instant on import, so a Primary whose heartbeat is long past has lapsed.
func evaluatedFrom(g *failover.Group, now time.Time) time.Time {
	var latest time.Time
	for _, cs := range g.Sessions {
		if cs.Heartbeat != nil && cs.LastHeartbeat.After(latest) {
			latest = cs.LastHeartbeat
		}
	}
	if latest.IsZero() || latest.After(now) {
		return now
	}
	return latest
}

func sessionFromFixture(fs fixture.Session, now time.Time) (*failover.Session, error) {
	if fs.Id == "" {
		return nil, fmt.Errorf("an Id is required")
	}
	if fs.Role < int(failover.Secondary) || fs.Role > int(failover.PendingPrimary) {
		return nil, fmt.Errorf("role %d is not 0 (Secondary), 1 (Primary) or 2 (PendingPrimary)", fs.Role)
	}
	if fs.Override < int(failover.OverrideOff) || fs.Override > int(failover.OverrideSecondary) {
		return nil, fmt.Errorf("override %d is not 0 (Off), 1 (Primary) or 2 (Secondary)", fs.Override)
	}
	cs := &failover.Session{
		ID:          fs.Id,
		Name:        fs.Name,
		Created:     now,
		Role:        failover.Role(fs.Role),
		Override:    failover.Override(fs.Override),
		ToldPending: fs.ToldPendingPrimary,
	}
	created, err := fixtureTime("Created", fs.Created)
	if err != nil {
		return nil, err
	}
	if created != nil {
		cs.Created = *created
	}
	expires, err := fixtureTime("RoleOverrideExpirationTime", fs.RoleOverrideExpirationTime)
	if err != nil {
		return nil, err
	}
	if cs.Override != failover.OverrideOff {
		cs.OverrideExpires = expires
	}
	if fs.Heartbeat != nil {
		if fs.Heartbeat.FailoverStatus < 0 || fs.Heartbeat.FailoverStatus > 100 {
			return nil, fmt.Errorf("Heartbeat.FailoverStatus %v is outside 0 to 100", fs.Heartbeat.FailoverStatus)
		}
		hb := &failover.Heartbeat{Score: fs.Heartbeat.FailoverStatus}
		if hb.LastDataProcessedTime, err = fixtureTime("Heartbeat.LastDataProcessedTime", fs.Heartbeat.LastDataProcessedTime); err != nil {
			return nil, err
		}
		if hb.HeartbeatTime, err = fixtureTime("Heartbeat.HeartbeatTime", fs.Heartbeat.HeartbeatTime); err != nil {
			return nil, err
		}
		cs.Heartbeat = hb
		cs.LastHeartbeat = now
		received, err := fixtureTime("LastHeartbeatReceived", fs.LastHeartbeatReceived)
		if err != nil {
			return nil, err
		}
		if received != nil {
			cs.LastHeartbeat = *received
		}
	} else if cs.Role != failover.Secondary && (cs.Role != failover.Primary || cs.Override != failover.OverridePrimary) {
		return nil, fmt.Errorf("a session that never sent a heartbeat is Secondary, or Primary by a Primary role override")
	}
	return cs, nil
}

// checkAdditionalData requires a group's AdditionalData to be what the API
// allows: a JSON object or null (absent).
func checkAdditionalData(raw json.RawMessage) error {
	trimmed := bytes.TrimSpace(raw)
	switch {
	case len(trimmed) == 0 || string(trimmed) == "null":
		return nil
	case !json.Valid(trimmed):
		return fmt.Errorf("AdditionalData is not JSON")
	case trimmed[0] != '{':
		return fmt.Errorf("AdditionalData must be a JSON object or null, not %.40s", trimmed)
	}
	return nil
}

// fixtureTime checks an instant of a fixture and returns it in UTC (nil
// stays nil): an instant outside years 1 to 9999 is an error naming the
// property, as the API could never show it.
func fixtureTime(name string, t *time.Time) (*time.Time, error) {
	if t == nil {
		return nil, nil
	}
	if err := timefmt.CheckRange(name, *t); err != nil {
		return nil, err
	}
	u := t.UTC()
	return &u, nil
}

// Export returns the whole state in the fixture format.
func (s *Service) Export(ctx context.Context) fixture.Document {
	s.CatchUp(ctx)
	doc := fixture.Document{Namespaces: []fixture.Namespace{}, OnPremises: &fixture.OnPremises{Groups: []fixture.Group{}}}
	s.read(func(tx store.Tx) {
		for _, ns := range tx.Namespaces() {
			if ns.Scope.IsOnPremises() {
				for _, g := range ns.Groups() {
					fg := groupToFixture(g)
					fg.AccessControl, fg.Owner = nil, nil
					doc.OnPremises.Groups = append(doc.OnPremises.Groups, fg)
				}
				continue
			}
			acl := aclToFixture(ns.CollectionACL)
			fn := fixture.Namespace{
				TenantId:                ns.Scope.Tenant,
				NamespaceId:             ns.Scope.Namespace,
				CollectionAccessControl: &acl,
				Groups:                  []fixture.Group{},
			}
			for _, g := range ns.Groups() {
				fn.Groups = append(fn.Groups, groupToFixture(g))
			}
			doc.Namespaces = append(doc.Namespaces, fn)
		}
		doc.VirtualClients = s.exportVirtual()
	})
	return doc
}

func groupToFixture(g *store.Group) fixture.Group {
	acl := aclToFixture(g.ACL)
	fg := fixture.Group{
		Id:                    g.ID,
		Name:                  g.Name,
		Description:           g.Description,
		FailoverTimeout:       timefmt.FormatSpan(g.Timeout()),
		AdditionalData:        cloneRaw(g.AdditionalData),
		AccessControl:         &acl,
		Owner:                 trusteeToFixture(g.Owner),
		LastDataProcessedTime: cloneTime(g.Failover.LastDataProcessedTime),
		HadPrimary:            g.Failover.EverPrimary,
	}
	for _, cs := range g.Failover.Sessions {
		created := cs.Created
		fs := fixture.Session{
			Id:                         cs.ID,
			Name:                       cs.Name,
			Role:                       int(cs.Role),
			Override:                   int(cs.Override),
			RoleOverrideExpirationTime: cloneTime(cs.OverrideExpires),
			Created:                    &created,
			ToldPendingPrimary:         cs.ToldPending,
		}
		if cs.Heartbeat != nil {
			last := cs.LastHeartbeat
			fs.LastHeartbeatReceived = &last
			fs.Heartbeat = &fixture.Heartbeat{
				FailoverStatus:        cs.Heartbeat.Score,
				LastDataProcessedTime: cloneTime(cs.Heartbeat.LastDataProcessedTime),
				HeartbeatTime:         cloneTime(cs.Heartbeat.HeartbeatTime),
			}
		}
		fg.Sessions = append(fg.Sessions, fs)
	}
	return fg
}

func aclFromFixture(l fixture.AccessControlList) store.AccessControlList {
	var out store.AccessControlList
	if l.RoleTrusteeAccessControlEntries != nil {
		out.Entries = make([]store.AccessControlEntry, len(l.RoleTrusteeAccessControlEntries))
		for i, e := range l.RoleTrusteeAccessControlEntries {
			out.Entries[i] = store.AccessControlEntry{Trustee: trusteeFromFixture(e.Trustee), AccessType: e.AccessType, AccessRights: e.AccessRights}
		}
	}
	return out
}

func aclToFixture(l store.AccessControlList) fixture.AccessControlList {
	var out fixture.AccessControlList
	if l.Entries != nil {
		out.RoleTrusteeAccessControlEntries = make([]fixture.AccessControlEntry, len(l.Entries))
		for i, e := range l.Entries {
			out.RoleTrusteeAccessControlEntries[i] = fixture.AccessControlEntry{Trustee: trusteeToFixture(e.Trustee), AccessType: e.AccessType, AccessRights: e.AccessRights}
		}
	}
	return out
}

func trusteeFromFixture(t *fixture.Trustee) *store.Trustee {
	if t == nil {
		return nil
	}
	return (&store.Trustee{Type: t.Type, ObjectID: t.ObjectId, TenantID: t.TenantId}).Clone()
}

func trusteeToFixture(t *store.Trustee) *fixture.Trustee {
	if t == nil {
		return nil
	}
	c := t.Clone()
	return &fixture.Trustee{Type: c.Type, ObjectId: c.ObjectID, TenantId: c.TenantID}
}
