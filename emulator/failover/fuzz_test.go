package failover

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// A fuzz program is a sequence of three-byte instructions: an operation and
// two arguments x and y.
const (
	opJoin        = iota // join fuzzIDs[x]
	opBeat               // heartbeat from fuzzIDs[x] with fuzzScores[y], data time when y&8
	opWait               // move the clock forward by fuzzWaits[y] (x*100ms for the last) and read
	opOverride           // override fuzzIDs[x], expiring per y
	opOverrideOff        // override Off on fuzzIDs[x]
	opDelete             // delete fuzzIDs[x]
	opTimeout            // set the timeout to (y%20+1)*500ms
	opNudge              // move the clock x*10ms, back when y%4 == 0, and read
	opSecondary          // Secondary override on fuzzIDs[x], expiring per y
	opCount
)

// "A" is "a" in another case, so look-ups ignoring case get exercised.
var (
	fuzzIDs    = []string{"a", "b", "c", "A"}
	fuzzScores = []float64{0, 0, 10, 50, 50, 80, 100, -1}
	fuzzWaits  = []time.Duration{1, sec, 5 * sec, timeout - 1, timeout, timeout + 1, 3 * timeout}
)

// maxInstructions bounds a program's length.
const maxInstructions = 200

func ins(op, x, y byte) []byte { return []byte{op, x, y} }

func program(instructions ...[]byte) []byte { return slices.Concat(instructions...) }

func FuzzGroup(f *testing.F) {
	// a and b join, a becomes Primary, goes silent, b takes over.
	f.Add(program(ins(opJoin, 0, 0), ins(opJoin, 1, 0), ins(opBeat, 0, 6), ins(opBeat, 1, 3),
		ins(opWait, 0, 4), ins(opWait, 0, 0), ins(opBeat, 1, 3), ins(opBeat, 1, 11)))
	// Weak primary, then an override that expires at a's lapse instant.
	f.Add(program(ins(opJoin, 0, 0), ins(opJoin, 1, 0), ins(opJoin, 2, 0), ins(opBeat, 0, 3),
		ins(opBeat, 1, 5), ins(opBeat, 2, 2), ins(opOverride, 2, 2), ins(opWait, 0, 2), ins(opWait, 0, 5),
		ins(opBeat, 1, 6), ins(opBeat, 1, 6)))
	// Override on a session that has not posted; delete the Primary.
	f.Add(program(ins(opJoin, 0, 0), ins(opJoin, 1, 0), ins(opBeat, 0, 6), ins(opOverride, 1, 0),
		ins(opBeat, 1, 2), ins(opDelete, 1, 0), ins(opBeat, 0, 14), ins(opOverrideOff, 3, 0)))
	// Timeout changes, the clock moved back, an override already expired.
	f.Add(program(ins(opJoin, 3, 0), ins(opBeat, 0, 6), ins(opJoin, 1, 0), ins(opBeat, 1, 4),
		ins(opTimeout, 0, 3), ins(opNudge, 90, 1), ins(opTimeout, 0, 40), ins(opNudge, 200, 0),
		ins(opOverride, 1, 1), ins(opWait, 7, 6), ins(opDelete, 0, 0)))
	// A lone client with score 0; it lapses, comes back; a second joins and
	// the first is deleted as PendingPrimary.
	f.Add(program(ins(opJoin, 0, 0), ins(opBeat, 0, 0), ins(opWait, 0, 5), ins(opBeat, 0, 1),
		ins(opJoin, 1, 0), ins(opBeat, 1, 6), ins(opBeat, 1, 6), ins(opDelete, 0, 0), ins(opWait, 0, 6),
		ins(opBeat, 1, 0)))
	// A forced primary that never posts and one that goes silent; its
	// override expires; Secondary overrides on the others, one expiring.
	f.Add(program(ins(opJoin, 0, 0), ins(opJoin, 1, 0), ins(opJoin, 2, 0), ins(opOverride, 0, 0),
		ins(opBeat, 1, 6), ins(opBeat, 2, 3), ins(opSecondary, 1, 2), ins(opOverride, 2, 2),
		ins(opWait, 0, 6), ins(opBeat, 1, 5), ins(opSecondary, 2, 0), ins(opWait, 0, 4),
		ins(opOverrideOff, 1, 0), ins(opBeat, 1, 5), ins(opDelete, 2, 0)))

	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) > 3*maxInstructions {
			prog = prog[:3*maxInstructions] // longer stories find nothing new, only slower
		}
		g := newGroup()
		now := t0
		for ; len(prog) >= 3; prog = prog[3:] {
			op, x, y := prog[0]%opCount, prog[1], prog[2]
			checkSteps(t, g, now)
			before := roles(g)
			evaluated := g.Evaluated
			var events []Event
			switch op {
			case opJoin:
				_, events = g.AddSession(fuzzIDs[int(x)%len(fuzzIDs)], nil, now)
			case opBeat:
				events = fuzzBeat(t, g, fuzzIDs[int(x)%len(fuzzIDs)], y, now)
			case opWait:
				if i := int(y) % (len(fuzzWaits) + 1); i < len(fuzzWaits) {
					now = now.Add(fuzzWaits[i])
				} else {
					now = now.Add(time.Duration(x) * 100 * time.Millisecond)
				}
				events = g.AdvanceTo(now)
			case opOverride:
				events, _ = g.SetOverride(fuzzIDs[int(x)%len(fuzzIDs)], OverridePrimary, fuzzExpiry(y, now), now)
			case opSecondary:
				events, _ = g.SetOverride(fuzzIDs[int(x)%len(fuzzIDs)], OverrideSecondary, fuzzExpiry(y, now), now)
			case opOverrideOff:
				events, _ = g.SetOverride(fuzzIDs[int(x)%len(fuzzIDs)], OverrideOff, nil, now)
			case opDelete:
				events, _ = g.DeleteSession(fuzzIDs[int(x)%len(fuzzIDs)], now)
			case opTimeout:
				events = g.SetTimeout(time.Duration(y%20+1)*500*time.Millisecond, now)
			case opNudge:
				d := time.Duration(x) * 10 * time.Millisecond
				if y%4 == 0 {
					d = -d
				}
				now = now.Add(d)
				events = g.AdvanceTo(now)
			}
			checkEvents(t, g, before, events, evaluated, now)
			checkState(t, g, now)
		}
	})
}

// fuzzExpiry is when an override set at now expires, per y: never, now,
// after half the timeout, or after y*100ms.
func fuzzExpiry(y byte, now time.Time) *time.Time {
	if y%4 == 0 {
		return nil
	}
	e := now.Add([]time.Duration{0, timeout / 2, time.Duration(y) * 100 * time.Millisecond}[y%4-1])
	return &e
}

func fuzzBeat(t *testing.T, g *Group, id string, y byte, now time.Time) []Event {
	hb := Heartbeat{Score: fuzzScores[int(y)%len(fuzzScores)]}
	if y&8 != 0 {
		d := now.Add(-time.Duration(y) * time.Second)
		hb.LastDataProcessedTime = &d
	}
	role, ldpt, events, err := g.Heartbeat(id, hb, now)
	s := g.Session(id)
	switch {
	case s == nil:
		if err == nil {
			t.Fatalf("heartbeat from unknown %q: no error", id)
		}
	case role != s.Role:
		t.Fatalf("heartbeat from %q answered %v, its role is %v", id, role, s.Role)
	case role == PendingPrimary && !s.ToldPending:
		t.Fatalf("heartbeat from %q answered PendingPrimary without marking it told", id)
	case !equalTime(ldpt, g.LastDataProcessedTime):
		t.Fatalf("heartbeat answered LastDataProcessedTime %v, group has %v", ldpt, g.LastDataProcessedTime)
	}
	return events
}

// checkSteps checks that advancing to now in one call, in two, deadline by
// deadline, and as naiveAdvance does all end in the same state with the same
// events.
func checkSteps(t *testing.T, g *Group, now time.Time) {
	if now.Before(g.Evaluated) {
		return
	}
	one := g.Clone()
	want := one.AdvanceTo(now)

	two := g.Clone()
	got := two.AdvanceTo(g.Evaluated.Add(now.Sub(g.Evaluated) / 2))
	got = append(got, two.AdvanceTo(now)...)
	if !reflect.DeepEqual(two, one) || !slices.Equal(got, want) {
		t.Fatalf("advancing in two steps differs from one:\n got  %v\n want %v", got, want)
	}

	each := g.Clone()
	got = nil
	for at, ok := each.NextDeadline(); ok && !at.After(now); at, ok = each.NextDeadline() {
		got = append(got, each.AdvanceTo(at)...)
	}
	got = append(got, each.AdvanceTo(now)...)
	if !reflect.DeepEqual(each, one) || !slices.Equal(got, want) {
		t.Fatalf("advancing deadline by deadline differs from one step:\n got  %v\n want %v", got, want)
	}

	naive := g.Clone()
	got = naiveAdvance(naive, now)
	if !reflect.DeepEqual(naive, one) || !slices.Equal(got, want) {
		t.Fatalf("evaluating at every lapse differs from AdvanceTo:\n got  %v\n want %v", got, want)
	}
}

// naiveAdvance is AdvanceTo without its shortcuts: it applies the rules
// afresh at every moment at which any override expires or any session
// lapses, so it checks that the moments AdvanceTo skips (the lapses of
// Secondaries) change nothing and that its candidate heap is kept right.
func naiveAdvance(g *Group, now time.Time) []Event {
	var events []Event
	pos := moment{at: g.Evaluated}
	for {
		var next moment
		ok := false
		for _, s := range g.Sessions {
			if x, has := s.expiry(); has && !x.After(now) {
				m := moment{at: x}
				if !pos.before(m) {
					m = pos
				}
				if !ok || m.before(next) {
					next, ok = m, true
				}
			}
			if l, has := g.lapse(s); has && l.Before(now) {
				m := moment{at: l, afterLapses: true}
				if pos.before(m) && (!ok || m.before(next)) {
					next, ok = m, true
				}
			}
		}
		if !ok {
			break
		}
		e := g.track(next)
		e.expireDue()
		e.run()
		events = append(events, e.events...)
		pos = next
	}
	g.Evaluated = now
	return events
}

func roles(g *Group) map[string]Role {
	out := map[string]Role{}
	for _, s := range g.Sessions {
		out[s.ID] = s.Role
	}
	return out
}

// checkEvents replays events over the roles before a call: they must lead to
// the roles after it, so no role changes unrecorded.
func checkEvents(t *testing.T, g *Group, before map[string]Role, events []Event, evaluated, now time.Time) {
	last := evaluated
	if now.Before(evaluated) {
		last = now // the clock moved back: the rules ran at now
	}
	for _, e := range events {
		if e.Time.Before(last) || e.Time.After(now) {
			t.Fatalf("event %v out of order or outside [%v, %v]", e, last, now)
		}
		last = e.Time
		if (e.From == e.To) != (e.Rule == RuleOverrideExpired) {
			t.Fatalf("event %v: only OverrideExpired keeps the role", e)
		}
		if from := before[e.Session]; from != e.From { // a new session starts Secondary
			t.Fatalf("event %v: the session was %v", e, from)
		}
		before[e.Session] = e.To
	}
	after := roles(g)
	for id, role := range before {
		if role != after[id] { // a deleted session must have ended Secondary
			t.Fatalf("session %q is %v; the events say %v", id, after[id], role)
		}
	}
}

// checkState checks the invariants of a group evaluated at now.
func checkState(t *testing.T, g *Group, now time.Time) {
	if !g.Evaluated.Equal(now) {
		t.Fatalf("Evaluated %v after a call at %v", g.Evaluated, now)
	}
	count := map[Role]int{}
	var holders []*Session
	for _, s := range g.Sessions {
		count[s.Role]++
		if s.Override == OverridePrimary {
			holders = append(holders, s)
		}
		switch {
		case s.Override != OverrideOff && s.Override != OverridePrimary && s.Override != OverrideSecondary:
			t.Fatalf("%s: override %v", s.ID, s.Override)
		case s.Override == OverrideOff && s.OverrideExpires != nil:
			t.Fatalf("%s: override Off with an expiration", s.ID)
		case s.OverrideExpires != nil && !now.Before(*s.OverrideExpires):
			t.Fatalf("%s: override expired at %v still on at %v", s.ID, *s.OverrideExpires, now)
		case s.Role != Secondary && !g.Live(s, now) && s.Override != OverridePrimary:
			t.Fatalf("%s: %v but neither live nor forced", s.ID, s.Role)
		case s.Override == OverrideSecondary && s.Role != Secondary:
			t.Fatalf("%s: forced to Secondary but %v", s.ID, s.Role)
		case s.ToldPending && s.Role != PendingPrimary:
			t.Fatalf("%s: told PendingPrimary but %v", s.ID, s.Role)
		}
	}
	switch {
	case count[Primary] > 1 || count[PendingPrimary] > 1:
		t.Fatalf("%d Primary and %d PendingPrimary sessions", count[Primary], count[PendingPrimary])
	case count[Primary] == 1 && count[PendingPrimary] == 1:
		t.Fatal("a Primary and a PendingPrimary at once")
	case count[Primary] == 1 && !g.EverPrimary:
		t.Fatal("a Primary but EverPrimary is false")
	case len(holders) > 1:
		t.Fatalf("%d Primary override holders", len(holders))
	case len(holders) == 1 && (holders[0].Role != Primary || count[Secondary] != len(g.Sessions)-1):
		t.Fatalf("Primary override holder %s is %v with %v", holders[0].ID, holders[0].Role, count)
	case len(g.Sessions) == 1 && g.Live(g.Sessions[0], now) && g.Sessions[0].Override != OverrideSecondary && g.Sessions[0].Role != Primary:
		t.Fatalf("the only session, live, is %v", g.Sessions[0].Role)
	}
	if events := g.Clone().settleAt(now, nil); len(events) > 0 {
		t.Fatalf("the rules were not applied to the end: %v", events)
	}
}
