package failover

import (
	"container/heap"
	"slices"
	"time"
	"unicode/utf16"
	"unicode/utf8"
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

// Which moments a catch-up evaluates.
//
// Between two writes the only things that happen are lapses and override
// expiries, and AdvanceTo applies the rules at the moments they happen. It
// need not do so at every lapse: the rules are settled after each moment (run
// applies them until nothing changes), and the lapse of a session that is
// Secondary cannot unsettle them. Against each rule, with X the Secondary that
// lapses and everything else as it was:
//
//   - Rule 1 (override). A Primary override in force makes its holder Primary
//     and every other session Secondary whether or not anyone is live; X is
//     Secondary and stays so. A Secondary override on X keeps it Secondary,
//     live or not.
//   - Rule 2 (only client) needs a lone session that is live and not Primary.
//     The number of sessions does not change, and a lapse makes no session
//     live; if X is the lone session it was live and Secondary before, so
//     rule 2 was kept from it by a Secondary override, which still holds.
//   - Rule 3 (first primary) needs a candidate. X's lapse can only remove a
//     candidate, so if there was none there is none.
//   - Rule 4 (no primary) looks at whether the Primary is live and whether
//     there is a PendingPrimary; X is neither. Settled, rule 4 either did not
//     apply (and still does not) or applied with no lapsed Primary to demote
//     and no candidate to choose; X's lapse adds neither.
//   - Rule 5 (weak primary) needs a candidate whose score beats the Primary's.
//     The best of fewer candidates scores no higher, so it still does not.
//   - Rule 6 (hand-over) happens only with a heartbeat, and its lapse half
//     concerns the PendingPrimary, not X.
//
// So only three kinds of moment can change a settled group: an override
// expiry, the lapse of the Primary and the lapse of the PendingPrimary (and
// under a Primary override in force, only an expiry: rule 1 ignores
// liveness). The Primary and the PendingPrimary are known at every moment, so
// the next moment is found without a scan, and the candidates are kept in a
// heap (see tracker): a catch-up over n lapses costs O(n log n), not O(n²).

// tracker applies the rules to a group during one call of a Group method, at
// one moment or, in a catch-up, at a series of moments in time order. It keeps
// what the rules look at: the Primary, the PendingPrimary, the holder of the
// Primary override and, from its first use, a heap of the sessions that may be
// candidates, so that a moment costs O(log n) instead of scans of every
// session. Every role change goes through set and every expiry through expire,
// which keep all of it up to date; nothing else may change roles, overrides,
// heartbeats or the sessions of the group while a tracker is in use.
type tracker struct {
	g       *Group
	primary *Session
	pending *Session
	// holder holds the Primary override; it is in force, since expired
	// overrides are turned off before the rules run.
	holder *Session
	// cands holds every candidate, best first, and perhaps sessions that
	// are no longer candidates (checked when they reach the top); built on
	// first use. A pointer, so that handing it to container/heap does not
	// move the whole tracker to the heap.
	cands  *candidates
	built  bool
	at     time.Time // role changes are recorded at this instant
	liveAt time.Time // liveness is judged at this instant
	events []Event
}

// track returns a tracker of g at m. It is a value: a Group method keeps it
// on its stack, so evaluating the rules allocates nothing unless they
// change something.
func (g *Group) track(m moment) tracker {
	t := tracker{g: g}
	for _, s := range g.Sessions {
		switch {
		case s.Role == Primary && t.primary == nil:
			t.primary = s
		case s.Role == PendingPrimary && t.pending == nil:
			t.pending = s
		}
		if s.Override == OverridePrimary && t.holder == nil {
			t.holder = s
		}
	}
	t.moveTo(m)
	return t
}

// moveTo makes m the moment the rules are applied at; moments only move
// forward during a tracker's life, so a session that is not live stays so.
func (t *tracker) moveTo(m moment) { t.at, t.liveAt = m.at, m.liveAt() }

// settleAt runs the rules at now and appends their events to events.
func (g *Group) settleAt(now time.Time, events []Event) []Event {
	t := g.track(moment{at: now})
	t.run()
	return append(events, t.events...)
}

// set gives s the role to, recording the change.
func (t *tracker) set(s *Session, to Role, rule Rule) {
	if s.Role == to {
		return
	}
	t.events = append(t.events, Event{Time: t.at, Session: s.ID, From: s.Role, To: to, Rule: rule})
	s.Role = to
	if to != PendingPrimary {
		// A later PendingPrimary term has to be told again.
		s.ToldPending = false
	}
	if t.primary == s {
		t.primary = nil
	}
	if t.pending == s {
		t.pending = nil
	}
	switch to {
	case Primary:
		t.primary = s
		t.g.EverPrimary = true
	case PendingPrimary:
		t.pending = s
	default:
		t.offer(s)
	}
}

// expire turns off the override of s, which has expired by t.at.
func (t *tracker) expire(s *Session) {
	was := s.Override
	s.Override, s.OverrideExpires = OverrideOff, nil
	t.events = append(t.events, Event{Time: t.at, Session: s.ID, From: s.Role, To: s.Role, Rule: RuleOverrideExpired})
	if t.holder == s {
		t.holder = nil
	}
	if was == OverrideSecondary {
		t.offer(s)
	}
}

// expireDue turns off every override that has expired by t.at.
func (t *tracker) expireDue() {
	for _, s := range t.g.Sessions {
		if x, ok := s.expiry(); ok && !t.at.Before(x) {
			t.expire(s)
		}
	}
}

// run applies the rules until none changes anything. That takes a few steps
// at most: rule 1 settles in one; a Secondary override demotes at most the
// Primary and the PendingPrimary; rule 2 settles in one; rule 3 fires once
// per group; a lapsed PendingPrimary is demoted once; and after rule 4 or 5
// either a live PendingPrimary blocks both of them or there is no candidate
// left.
func (t *tracker) run() {
	for t.step() {
	}
}

// step applies the first rule that changes something, in the order of the
// package documentation, and reports whether one did.
func (t *tracker) step() bool {
	g := t.g
	if t.holder != nil {
		return t.override(t.holder)
	}
	primary, pending := t.primary, t.pending
	switch {
	case primary != nil && primary.Override == OverrideSecondary: // rule 1
		t.set(primary, Secondary, RuleOverride)
	case pending != nil && pending.Override == OverrideSecondary: // rule 1
		t.set(pending, Secondary, RuleOverride)
	case pending != nil && !g.Live(pending, t.liveAt): // rule 6, lapsed
		t.set(pending, Secondary, RuleLapsed)
	case t.onlyClient() != nil: // rule 2
		t.set(t.onlyClient(), Primary, RuleOnlyClient)
	case !g.EverPrimary && t.best() != nil: // rule 3
		t.set(t.best(), Primary, RuleFirstPrimary)
	case pending == nil && !g.Live(primary, t.liveAt): // rule 4
		best := t.best()
		if primary == nil && best == nil {
			return false
		}
		if primary != nil {
			t.set(primary, Secondary, RuleLapsed)
		}
		if best != nil {
			t.set(best, PendingPrimary, RuleNoPrimary)
		}
	case pending == nil && t.best() != nil && t.best().Heartbeat.Score > primary.Heartbeat.Score: // rule 5
		best := t.best()
		t.set(primary, Secondary, RuleWeakPrimary)
		t.set(best, PendingPrimary, RuleWeakPrimary)
	default:
		return false
	}
	return true
}

// override applies rule 1 for the holder of the Primary override and
// reports whether anything changed. Only the Primary and the PendingPrimary
// are not Secondary, so only they can need demoting.
func (t *tracker) override(holder *Session) bool {
	n := len(t.events)
	// Demote first, so the events never show two Primaries at once.
	if p := t.primary; p != nil && p != holder {
		t.set(p, Secondary, RuleOverride)
	}
	if p := t.pending; p != nil && p != holder {
		t.set(p, Secondary, RuleOverride)
	}
	t.set(holder, Primary, RuleOverride)
	return len(t.events) > n
}

// onlyClient returns the group's only session when rule 2 makes it Primary:
// it is live, not Primary already, and holds no Secondary override.
func (t *tracker) onlyClient() *Session {
	if len(t.g.Sessions) != 1 {
		return nil
	}
	s := t.g.Sessions[0]
	if s.Role == Primary || s.Override == OverrideSecondary || !t.g.Live(s, t.liveAt) {
		return nil
	}
	return s
}

// mayCompete reports whether s is a candidate as far as anything but its
// liveness goes: a Secondary with a score above zero and no Secondary
// override. (A NaN score is not above zero, so it never competes.)
func mayCompete(s *Session) bool {
	return s.Role == Secondary && s.Override != OverrideSecondary && s.Posted() && s.Heartbeat.Score > 0
}

// best returns the best candidate at liveAt, or nil. An entry that is no
// longer a candidate is dropped for good when it reaches the top: a session
// that stops being Secondary or gets its Secondary override back is offered
// again by set or expire when that ends, and one that has lapsed stays lapsed
// while the tracker lives (its moments only move forward).
func (t *tracker) best() *Session {
	if !t.built {
		t.built = true
		cands := make(candidates, 0, len(t.g.Sessions))
		for _, s := range t.g.Sessions {
			if mayCompete(s) && t.g.Live(s, t.liveAt) {
				cands = append(cands, s)
			}
		}
		t.cands = &cands
		heap.Init(t.cands)
	}
	for len(*t.cands) > 0 {
		if s := (*t.cands)[0]; mayCompete(s) && t.g.Live(s, t.liveAt) {
			return s
		}
		heap.Pop(t.cands)
	}
	return nil
}

// offer adds s to the candidates if it is one now (before the heap is built
// there is nothing to do: building it finds s).
func (t *tracker) offer(s *Session) {
	if t.built && mayCompete(s) && t.g.Live(s, t.liveAt) {
		heap.Push(t.cands, s)
	}
}

// candidates is a heap (container/heap) of sessions, the best candidate on
// top.
type candidates []*Session

// Len, Less, Swap, Push and Pop implement heap.Interface.

func (c candidates) Len() int           { return len(c) }
func (c candidates) Less(i, j int) bool { return outranks(c[i], c[j]) }
func (c candidates) Swap(i, j int)      { c[i], c[j] = c[j], c[i] }
func (c *candidates) Push(x any)        { *c = append(*c, x.(*Session)) }
func (c *candidates) Pop() any {
	old := *c
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*c = old[:len(old)-1]
	return s
}

// next finds the first moment after pos and not after now that can change
// something (see "Which moments a catch-up evaluates"): the first of
// expiries (the overrides due by now, in expiry order), or the lapse of the
// Primary or of the PendingPrimary unless a Primary override is in force.
func (t *tracker) next(pos moment, now time.Time, expiries []*Session) (moment, bool) {
	var next moment
	ok := false
	if len(expiries) > 0 {
		x, _ := expiries[0].expiry()
		next, ok = moment{at: x}, true
		if !pos.before(next) {
			next = pos // only for a group built with a stale override
		}
	}
	if t.holder != nil {
		return next, ok
	}
	for _, s := range [2]*Session{t.primary, t.pending} {
		if s == nil {
			continue
		}
		if l, has := t.g.lapse(s); has && l.Before(now) {
			m := moment{at: l, afterLapses: true}
			if pos.before(m) && (!ok || m.before(next)) {
				next, ok = m, true
			}
		}
	}
	return next, ok
}

// dueExpiries returns the sessions whose override expires by now, in
// expiry order (ties in session order, as expireDue takes them).
func (g *Group) dueExpiries(now time.Time) []*Session {
	var out []*Session
	for _, s := range g.Sessions {
		if x, ok := s.expiry(); ok && !x.After(now) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b *Session) int { return a.OverrideExpires.Compare(*b.OverrideExpires) })
	return out
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
	if isASCII(a) && isASCII(b) { // the usual ids: byte order is the same, with nothing to allocate
		return a < b
	}
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b))) < 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
