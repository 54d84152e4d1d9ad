package failover

import (
	"slices"
	"time"
	"unicode/utf16"
)

// moment is a point in the order in which AdvanceTo replays time. Within one
// instant, override expiries come first (an override has expired when now
// reaches its expiration) and lapses last (a session is still live at its
// lapse instant and not after it), so each instant has two moments.
type moment struct {
	at          time.Time
	afterLapses bool
}

func (m moment) before(o moment) bool {
	if !m.at.Equal(o.at) {
		return m.at.Before(o.at)
	}
	return !m.afterLapses && o.afterLapses
}

// liveAt is the instant whose liveness the rules see at m. Times are whole
// nanoseconds, so "just after the lapses at t" is t plus one nanosecond.
func (m moment) liveAt() time.Time {
	if m.afterLapses {
		return m.at.Add(time.Nanosecond)
	}
	return m.at
}

// lapse is the instant at which s lapses, if it has posted a heartbeat.
func (g *Group) lapse(s *Session) (time.Time, bool) {
	if !s.Posted() {
		return time.Time{}, false
	}
	return s.LastHeartbeat.Add(g.Timeout), true
}

// nextMoment finds the first moment after pos and not after now at which an
// override expires or a session lapses; expiry reports which of the two.
func (g *Group) nextMoment(pos moment, now time.Time) (next moment, expiry, ok bool) {
	for _, s := range g.Sessions {
		if e, has := s.expiry(); has && !e.After(now) {
			m := moment{at: e}
			if !pos.before(m) {
				m = pos // only for a group built with a stale override
			}
			if !ok || m.before(next) {
				next, expiry, ok = m, true, true
			}
		}
		if l, has := g.lapse(s); has && l.Before(now) {
			m := moment{at: l, afterLapses: true}
			if pos.before(m) && (!ok || m.before(next)) {
				next, expiry, ok = m, false, true
			}
		}
	}
	return next, expiry, ok
}

// settle runs the rules at now and appends their events to events.
func (g *Group) settle(now time.Time, events []Event) []Event {
	e := g.evaluation(moment{at: now})
	e.run()
	return append(events, e.events...)
}

// evaluation applies the rules at one moment and collects the role changes.
type evaluation struct {
	g      *Group
	at     time.Time // role changes are recorded at this instant
	liveAt time.Time // liveness is judged at this instant
	events []Event
}

func (g *Group) evaluation(m moment) *evaluation {
	return &evaluation{g: g, at: m.at, liveAt: m.liveAt()}
}

// set gives s the role to, recording the change.
func (e *evaluation) set(s *Session, to Role, rule Rule) {
	if s.Role == to {
		return
	}
	e.events = append(e.events, Event{Time: e.at, Session: s.ID, From: s.Role, To: to, Rule: rule})
	s.Role = to
	if to != PendingPrimary {
		// A later PendingPrimary term has to be told again.
		s.ToldPending = false
	}
	if to == Primary {
		e.g.EverPrimary = true
	}
}

// expireOverrides turns off every override that has expired by e.at.
func (e *evaluation) expireOverrides() {
	for _, s := range e.g.Sessions {
		if x, ok := s.expiry(); ok && !e.at.Before(x) {
			s.Override, s.OverrideExpires = OverrideOff, nil
			e.events = append(e.events, Event{Time: e.at, Session: s.ID, From: s.Role, To: s.Role, Rule: RuleOverrideExpired})
		}
	}
}

// run applies the rules until none changes anything. That takes a few steps
// at most: rule 1 settles in one; rule 2 fires once per group; a lapsed
// PendingPrimary is demoted once; and after rule 3 or 4 either a live
// PendingPrimary blocks both of them or there is no candidate left.
func (e *evaluation) run() {
	for e.step() {
	}
}

// step applies the first rule that changes something, in the order of the
// package documentation, and reports whether one did.
func (e *evaluation) step() bool {
	g := e.g
	if holder := g.activeOverride(e.liveAt); holder != nil {
		return e.override(holder)
	}
	primary, pending := g.Primary(), g.PendingPrimary()
	best := g.bestCandidate(e.liveAt)
	switch {
	case pending != nil && !g.Live(pending, e.liveAt): // rule 5, lapsed
		e.set(pending, Secondary, RuleLapsed)
	case !g.EverPrimary && best != nil: // rule 2
		e.set(best, Primary, RuleFirstPrimary)
	case pending == nil && !g.Live(primary, e.liveAt): // rule 3
		if primary == nil && best == nil {
			return false
		}
		if primary != nil {
			e.set(primary, Secondary, RuleLapsed)
		}
		if best != nil {
			e.set(best, PendingPrimary, RuleNoPrimary)
		}
	case pending == nil && best != nil && best.Heartbeat.Score > primary.Heartbeat.Score: // rule 4
		e.set(primary, Secondary, RuleWeakPrimary)
		e.set(best, PendingPrimary, RuleWeakPrimary)
	default:
		return false
	}
	return true
}

// override applies rule 1 for holder and reports whether anything changed.
func (e *evaluation) override(holder *Session) bool {
	n := len(e.events)
	// Demote first, so the events never show two Primaries at once.
	for _, s := range e.g.Sessions {
		if s != holder {
			e.set(s, Secondary, RuleOverride)
		}
	}
	e.set(holder, Primary, RuleOverride)
	return len(e.events) > n
}

// activeOverride returns the session whose override is in force at t, or
// nil. Expired overrides have already been turned off by then.
func (g *Group) activeOverride(t time.Time) *Session {
	for _, s := range g.Sessions {
		if s.Override == OverridePrimary && g.Live(s, t) {
			return s
		}
	}
	return nil
}

// bestCandidate returns the best live Secondary with a positive score at t,
// or nil.
func (g *Group) bestCandidate(t time.Time) *Session {
	var best *Session
	for _, s := range g.Sessions {
		// A NaN score is not above zero, so it never competes.
		if s.Role != Secondary || !g.Live(s, t) || !(s.Heartbeat.Score > 0) {
			continue
		}
		if best == nil || outranks(s, best) {
			best = s
		}
	}
	return best
}

// outranks reports whether candidate a is better than candidate b.
func outranks(a, b *Session) bool {
	switch {
	case a.Heartbeat.Score != b.Heartbeat.Score:
		return a.Heartbeat.Score > b.Heartbeat.Score
	case !a.LastHeartbeat.Equal(b.LastHeartbeat):
		return a.LastHeartbeat.After(b.LastHeartbeat)
	case !a.Created.Equal(b.Created):
		return a.Created.Before(b.Created)
	default:
		return ordinalLess(a.ID, b.ID)
	}
}

// ordinalLess orders ids as .NET's ordinal comparison does: by UTF-16 code
// units. That differs from Go's byte order only when a character above
// U+FFFF meets one from U+E000 to U+FFFF.
func ordinalLess(a, b string) bool {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b))) < 0
}
