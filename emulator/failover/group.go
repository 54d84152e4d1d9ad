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
	// from then on rule 2 (first primary) no longer applies.
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
// applied yet: the session is still live at now.
//
// If now is before Evaluated (the clock was moved back), nothing is
// replayed: the rules run once at now, where a session that had lapsed may
// be live again.
func (g *Group) AdvanceTo(now time.Time) []Event {
	if now.Before(g.Evaluated) {
		g.Evaluated = now
		e := g.evaluation(moment{at: now})
		e.expireOverrides()
		e.run()
		return e.events
	}
	var events []Event
	pos := moment{at: g.Evaluated}
	for {
		m, expiry, ok := g.nextMoment(pos, now)
		if !ok {
			break
		}
		e := g.evaluation(m)
		if expiry {
			e.expireOverrides()
		}
		e.run()
		events = append(events, e.events...)
		pos = m
	}
	g.Evaluated = now
	return events
}

// NextDeadline returns the earliest instant at which AdvanceTo has something
// to apply: an override expiry, or the first instant after a session's lapse
// instant (the session is still live at the lapse instant itself). Not every
// such instant changes a role. It reports false when nothing is pending.
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
		if l, ok := g.lapse(s); ok && !l.Before(g.Evaluated) {
			consider(l.Add(time.Nanosecond))
		}
	}
	return next, found
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
	return s, g.settle(now, events)
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

	e := g.evaluation(moment{at: now})
	// Rule 5; an override in force suspends it (rule 1 then decides).
	if s.Role == PendingPrimary && s.ToldPending && g.activeOverride(now) == nil {
		e.set(s, Primary, RuleHandOver)
	}
	e.run()

	if s.Role == Primary && hb.LastDataProcessedTime != nil {
		g.LastDataProcessedTime = cloneTime(hb.LastDataProcessedTime)
	}
	if s.Role == PendingPrimary {
		s.ToldPending = true
	}
	return s.Role, cloneTime(g.LastDataProcessedTime), append(events, e.events...), nil
}

// SetOverride sets the role override of session id at now and runs the
// rules. OverridePrimary takes the override from every other session;
// expires is when it expires (nil: never), and an expiration at or before now
// expires it at once (with an OverrideExpired event). OverrideOff clears the
// session's override and ignores expires; the session keeps its role until
// the rules change it.
//
// An unknown id returns an error wrapping ErrNoSession, a value other than
// OverrideOff and OverridePrimary one wrapping ErrInvalidOverride; either
// changes nothing.
func (g *Group) SetOverride(id string, v Override, expires *time.Time, now time.Time) ([]Event, error) {
	if v != OverrideOff && v != OverridePrimary {
		return nil, fmt.Errorf("failover: override of session %q: value %d: %w", id, int(v), ErrInvalidOverride)
	}
	s := g.Session(id)
	if s == nil {
		return nil, fmt.Errorf("failover: override of session %q: %w", id, ErrNoSession)
	}
	events := g.AdvanceTo(now)
	e := g.evaluation(moment{at: now})
	if v == OverridePrimary {
		for _, o := range g.Sessions {
			o.Override, o.OverrideExpires = OverrideOff, nil
		}
		s.Override, s.OverrideExpires = OverridePrimary, cloneTime(expires)
		e.expireOverrides()
	} else {
		s.Override, s.OverrideExpires = OverrideOff, nil
	}
	e.run()
	return append(events, e.events...), nil
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
	return g.settle(now, events), nil
}

// SetTimeout changes the group's timeout at now and runs the rules. The new
// timeout counts from now: a session whose last heartbeat is more than t
// before now lapses at now (its role changes are stamped now, not in the
// past), and one that had lapsed but is within t of its last heartbeat is
// live again.
func (g *Group) SetTimeout(t time.Duration, now time.Time) []Event {
	events := g.AdvanceTo(now)
	g.Timeout = t
	return g.settle(now, events)
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
