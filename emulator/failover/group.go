package failover

import (
	"fmt"
	"slices"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/ids"
)

// Group is the failover state of one group: its timeout and its client
// sessions. The zero value with a Timeout set is an empty group ready to use.
// Callers serialise access to a Group.
type Group struct {
	// Timeout is the FailoverTimeout: how long after its last heartbeat a
	// session is still live. Change it with SetTimeout so that the change
	// is evaluated.
	Timeout time.Duration
	// Sessions are the group's client sessions in creation order.
	Sessions []*Session
	// EverPrimary records that some session of the group has been Primary;
	// from then on rule 3 (first primary) no longer applies.
	EverPrimary bool
	// LastDataProcessedTime is the group's LastDataProcessedTime, nil until
	// a Primary reports one.
	LastDataProcessedTime *time.Time
	// Evaluated is the instant up to which the rules have been applied:
	// every override expiry up to and including it, and every lapse before
	// it. (A session whose lapse instant is Evaluated is still live then.)
	Evaluated time.Time
}

// Session returns the session with the given id, matched by ids.Equal
// (ignoring case), or nil.
func (g *Group) Session(id string) *Session {
	for _, s := range g.Sessions {
		if ids.Equal(s.ID, id) {
			return s
		}
	}
	return nil
}

// Live reports whether s has posted a heartbeat and at most Timeout has
// passed since it was accepted.
func (g *Group) Live(s *Session, now time.Time) bool {
	return s != nil && s.Posted() && !now.After(s.LastHeartbeat.Add(g.Timeout))
}

// HasLive reports whether some session of the group is live at now (a group
// with live sessions cannot be deleted).
func (g *Group) HasLive(now time.Time) bool {
	return slices.ContainsFunc(g.Sessions, func(s *Session) bool { return g.Live(s, now) })
}

// Primary returns the Primary session as of the last evaluation, or nil.
func (g *Group) Primary() *Session { return g.holding(Primary) }

// PendingPrimary returns the PendingPrimary session as of the last
// evaluation, or nil.
func (g *Group) PendingPrimary() *Session { return g.holding(PendingPrimary) }

func (g *Group) holding(r Role) *Session {
	for _, s := range g.Sessions {
		if s.Role == r {
			return s
		}
	}
	return nil
}

// AdvanceTo applies every override expiry and lapse between Evaluated and
// now, each at its own instant and in time order, and returns the events
// they caused, stamped with those instants. A lapse at now itself is not
// applied yet: the session is still live at now. Only the moments that can
// change something are evaluated (an expiry, or the lapse of the Primary or
// the PendingPrimary), so a catch-up over n lapses costs O(n log n).
//
// If now is before Evaluated (the clock was moved back), nothing is
// replayed: the rules run once at now, where a session that had lapsed may
// be live again.
func (g *Group) AdvanceTo(now time.Time) []Event {
	if now.Before(g.Evaluated) {
		g.Evaluated = now
		t := g.track(moment{at: now})
		t.expireDue()
		t.run()
		return t.events
	}
	pos := moment{at: g.Evaluated}
	t := g.track(pos)
	expiries := g.dueExpiries(now)
	for {
		m, ok := t.next(pos, now, expiries)
		if !ok {
			break
		}
		t.moveTo(m)
		for len(expiries) > 0 {
			if x, _ := expiries[0].expiry(); x.After(m.at) {
				break
			}
			t.expire(expiries[0])
			expiries = expiries[1:]
		}
		t.run()
		pos = m
	}
	g.Evaluated = now
	return t.events
}

// NextDeadline returns the earliest instant at which AdvanceTo has something
// to apply that can change a role: an override expiry, or the first instant
// after the lapse instant of the Primary or the PendingPrimary (a session is
// still live at its lapse instant itself). The lapse of a Secondary changes
// nothing, so it is no deadline; not every deadline changes a role either.
// It reports false when nothing is pending.
//
// The instant is after Evaluated for any group changed only through its
// methods; a group built with an override that had already expired reports
// that expiry, meaning AdvanceTo should run at once.
func (g *Group) NextDeadline() (time.Time, bool) {
	var next time.Time
	found := false
	consider := func(t time.Time) {
		if !found || t.Before(next) {
			next, found = t, true
		}
	}
	for _, s := range g.Sessions {
		if e, ok := s.expiry(); ok {
			consider(e)
		}
	}
	t := g.track(moment{at: g.Evaluated})
	if t.holder == nil { // under a Primary override in force no lapse counts
		for _, s := range [2]*Session{t.primary, t.pending} {
			if s == nil {
				continue
			}
			if l, ok := g.lapse(s); ok && !l.Before(g.Evaluated) {
				consider(l.Add(time.Nanosecond))
			}
		}
	}
	return next, found
}

// Settle applies the rules at Evaluated until nothing changes (turning off
// first any override that had expired by then) and returns the events. A
// group changed only through its methods is always settled; this is for a
// group assembled field by field, such as a loaded state, whose roles may not
// follow the rules yet.
func (g *Group) Settle() []Event {
	t := g.track(moment{at: g.Evaluated})
	t.expireDue()
	t.run()
	return t.events
}

// AddSession adds a session that has never posted a heartbeat, so it is
// Secondary, and returns it with the events of advancing to now. If the
// group already has a session with that id (ignoring case), AddSession
// changes nothing and returns that session with no events; callers decide
// whether that is a conflict.
func (g *Group) AddSession(id string, name *string, now time.Time) (*Session, []Event) {
	if s := g.Session(id); s != nil {
		return s, nil
	}
	events := g.AdvanceTo(now)
	s := &Session{ID: id, Name: cloneString(name), Created: now}
	g.Sessions = append(g.Sessions, s)
	return s, g.settleAt(now, events)
}

// Heartbeat accepts a heartbeat from session id at now and runs the rules
// with it counted. It returns the role the heartbeat response tells the
// session and the group's LastDataProcessedTime, with the events (those of
// advancing to now first). Telling a session it is PendingPrimary is what
// lets its next heartbeat complete the hand-over, so a caller that cannot
// deliver the answer should discard the whole change (see Clone).
//
// An unknown id returns an error wrapping ErrNoSession and changes nothing.
func (g *Group) Heartbeat(id string, hb Heartbeat, now time.Time) (Role, *time.Time, []Event, error) {
	s := g.Session(id)
	if s == nil {
		return Secondary, nil, nil, fmt.Errorf("failover: heartbeat from session %q: %w", id, ErrNoSession)
	}
	events := g.AdvanceTo(now)
	hb = hb.clone()
	s.Heartbeat, s.LastHeartbeat = &hb, now

	t := g.track(moment{at: now})
	// Rule 6; a Primary override in force suspends it (rule 1 then decides).
	if s.Role == PendingPrimary && s.ToldPending && t.holder == nil {
		t.set(s, Primary, RuleHandOver)
	}
	t.run()

	if s.Role == Primary && hb.LastDataProcessedTime != nil {
		g.LastDataProcessedTime = cloneTime(hb.LastDataProcessedTime)
	}
	if s.Role == PendingPrimary {
		s.ToldPending = true
	}
	return s.Role, cloneTime(g.LastDataProcessedTime), append(events, t.events...), nil
}

// SetOverride sets the role override of session id at now and runs the
// rules; expires is when the override expires (nil: never), and an
// expiration at or before now expires it at once (with an OverrideExpired
// event). Each value replaces the session's own override:
//
//   - OverridePrimary also turns off the Primary override of every other
//     session (at most one session holds one), but not their Secondary
//     overrides.
//   - OverrideSecondary touches no other session: any number may hold one.
//   - OverrideOff ignores expires; the session keeps its role until the rules
//     change it, which may be at once.
//
// An unknown id returns an error wrapping ErrNoSession, another value one
// wrapping ErrInvalidOverride; either changes nothing.
func (g *Group) SetOverride(id string, v Override, expires *time.Time, now time.Time) ([]Event, error) {
	if v != OverrideOff && v != OverridePrimary && v != OverrideSecondary {
		return nil, fmt.Errorf("failover: override of session %q: value %d: %w", id, int(v), ErrInvalidOverride)
	}
	s := g.Session(id)
	if s == nil {
		return nil, fmt.Errorf("failover: override of session %q: %w", id, ErrNoSession)
	}
	events := g.AdvanceTo(now)
	if v == OverridePrimary {
		for _, o := range g.Sessions {
			if o.Override == OverridePrimary {
				o.Override, o.OverrideExpires = OverrideOff, nil
			}
		}
	}
	s.Override, s.OverrideExpires = v, nil
	if v != OverrideOff {
		s.OverrideExpires = cloneTime(expires)
	}
	t := g.track(moment{at: now})
	if x, ok := s.expiry(); ok && !now.Before(x) {
		t.expire(s)
	}
	t.run()
	return append(events, t.events...), nil
}

// DeleteSession removes session id at now and runs the rules. If the session
// was Primary or PendingPrimary, the first event after those of advancing to
// now records that with rule SessionDeleted.
//
// An unknown id returns an error wrapping ErrNoSession and changes nothing.
func (g *Group) DeleteSession(id string, now time.Time) ([]Event, error) {
	s := g.Session(id)
	if s == nil {
		return nil, fmt.Errorf("failover: delete session %q: %w", id, ErrNoSession)
	}
	events := g.AdvanceTo(now)
	g.Sessions = slices.DeleteFunc(g.Sessions, func(o *Session) bool { return o == s })
	if s.Role != Secondary {
		events = append(events, Event{Time: now, Session: s.ID, From: s.Role, To: Secondary, Rule: RuleSessionDeleted})
	}
	return g.settleAt(now, events), nil
}

// SetTimeout changes the group's timeout at now and runs the rules. The new
// timeout counts from now: a session whose last heartbeat is more than t
// before now lapses at now (its role changes are stamped now, not in the
// past), and one that had lapsed but is within t of its last heartbeat is
// live again.
func (g *Group) SetTimeout(t time.Duration, now time.Time) []Event {
	events := g.AdvanceTo(now)
	g.Timeout = t
	return g.settleAt(now, events)
}

// Clone returns a deep copy of the group, sharing nothing with it: a
// snapshot, or a scratch copy to change and then keep or discard.
func (g *Group) Clone() *Group {
	c := *g
	c.LastDataProcessedTime = cloneTime(g.LastDataProcessedTime)
	if g.Sessions != nil {
		c.Sessions = make([]*Session, len(g.Sessions))
		for i, s := range g.Sessions {
			c.Sessions[i] = s.clone()
		}
	}
	return &c
}
