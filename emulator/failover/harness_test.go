package failover

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"
)

// t0 is the start of every scenario; step times are offsets from it.
var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// timeout is the FailoverTimeout of every scenario unless it says otherwise.
const timeout = 10 * time.Second

const sec = time.Second

func newGroup() *Group { return &Group{Timeout: timeout, Evaluated: t0} }

// step is one write (or a plain advance) at t0+at, with what must follow.
type step struct {
	at     time.Duration
	do     action
	answer Role     // the role a heartbeat answers (checked for heartbeats only)
	events []string // every event of the call, as formatted by show; nil = none
	status string   // "P=<id|-> PP=<id|->" after the call; "" = not checked
	ldpt   string   // the group's LastDataProcessedTime as an offset, or "-"; "" = not checked
	check  func(t *testing.T, g *Group)
}

// action is a call on the group; heartbeat reports that it was one.
type action struct {
	name string
	do   func(g *Group, now time.Time) (answer Role, heartbeat bool, events []Event, err error)
}

func join(id string) action {
	return action{"join " + id, func(g *Group, now time.Time) (Role, bool, []Event, error) {
		_, events := g.AddSession(id, nil, now)
		return 0, false, events, nil
	}}
}

// beat posts a heartbeat with no LastDataProcessedTime.
func beat(id string, score float64) action {
	return beatHeartbeat(id, Heartbeat{Score: score})
}

// beatData posts a heartbeat whose LastDataProcessedTime is t0+ldpt.
func beatData(id string, score float64, ldpt time.Duration) action {
	t := t0.Add(ldpt)
	return beatHeartbeat(id, Heartbeat{Score: score, LastDataProcessedTime: &t})
}

func beatHeartbeat(id string, hb Heartbeat) action {
	return action{fmt.Sprintf("beat %s %v", id, hb.Score), func(g *Group, now time.Time) (Role, bool, []Event, error) {
		role, ldpt, events, err := g.Heartbeat(id, hb, now)
		if !equalTime(ldpt, g.LastDataProcessedTime) {
			err = fmt.Errorf("answered LastDataProcessedTime %v, group has %v", ldpt, g.LastDataProcessedTime)
		}
		return role, true, events, err
	}}
}

// tick advances the group, as a read or the scheduler does.
func tick() action {
	return action{"tick", func(g *Group, now time.Time) (Role, bool, []Event, error) {
		return 0, false, g.AdvanceTo(now), nil
	}}
}

// override gives id the Primary override, expiring at t0+until[0] if given.
func override(id string, until ...time.Duration) action {
	return setOverride(OverridePrimary, id, until)
}

// overrideSecondary gives id the on-premises Secondary override, expiring at
// t0+until[0] if given.
func overrideSecondary(id string, until ...time.Duration) action {
	return setOverride(OverrideSecondary, id, until)
}

func setOverride(v Override, id string, until []time.Duration) action {
	var expires *time.Time
	if len(until) > 0 {
		t := t0.Add(until[0])
		expires = &t
	}
	return action{fmt.Sprintf("override %v %s", v, id), func(g *Group, now time.Time) (Role, bool, []Event, error) {
		events, err := g.SetOverride(id, v, expires, now)
		return 0, false, events, err
	}}
}

func overrideOff(id string) action {
	return action{"override off " + id, func(g *Group, now time.Time) (Role, bool, []Event, error) {
		events, err := g.SetOverride(id, OverrideOff, nil, now)
		return 0, false, events, err
	}}
}

func remove(id string) action {
	return action{"delete " + id, func(g *Group, now time.Time) (Role, bool, []Event, error) {
		events, err := g.DeleteSession(id, now)
		return 0, false, events, err
	}}
}

func setTimeout(d time.Duration) action {
	return action{fmt.Sprint("timeout ", d), func(g *Group, now time.Time) (Role, bool, []Event, error) {
		return 0, false, g.SetTimeout(d, now), nil
	}}
}

// then returns a copy of start followed by more, for scenarios that share
// their beginning.
func then(start []step, more ...step) []step {
	return append(start[:len(start):len(start)], more...)
}

// aFirst is a common beginning: a and others join, and a's heartbeat with
// score 100 makes it the first Primary (others must not be empty, or rule 2
// would make a Primary instead).
func aFirst(others ...string) []step {
	steps := []step{{at: 0, do: join("a")}}
	for _, id := range others {
		steps = append(steps, step{at: 0, do: join(id)})
	}
	return append(steps, step{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}})
}

// weakPrimary is a common beginning: a, b and others join, a becomes the
// first Primary with score 50, and b's heartbeat with 60 at 1s makes it
// PendingPrimary by rule 5 and tells it so.
func weakPrimary(others ...string) []step {
	steps := []step{{at: 0, do: join("a")}, {at: 0, do: join("b")}}
	for _, id := range others {
		steps = append(steps, step{at: 0, do: join(id)})
	}
	return append(steps,
		step{at: 0, do: beat("a", 50), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}},
		step{at: sec, do: beat("b", 60), answer: PendingPrimary, check: toldPending("b", true), events: []string{
			"1s a Primary->Secondary WeakPrimary",
			"1s b Secondary->PendingPrimary WeakPrimary",
		}},
	)
}

// run plays steps on g and checks each against what it expects.
func run(t *testing.T, g *Group, steps []step) {
	t.Helper()
	for i, st := range steps {
		answer, heartbeat, events, err := st.do.do(g, t0.Add(st.at))
		where := fmt.Sprintf("step %d (%v %s)", i, st.at, st.do.name)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if got := showAll(events); !slices.Equal(got, st.events) {
			t.Errorf("%s: events\n got  %q\n want %q", where, got, st.events)
		}
		if heartbeat && answer != st.answer {
			t.Errorf("%s: answered %v, want %v", where, answer, st.answer)
		}
		if st.status != "" {
			if got := status(g); got != st.status {
				t.Errorf("%s: status %q, want %q", where, got, st.status)
			}
		}
		if st.ldpt != "" {
			if got := offset(g.LastDataProcessedTime); got != st.ldpt {
				t.Errorf("%s: LastDataProcessedTime %s, want %s", where, got, st.ldpt)
			}
		}
		if st.check != nil {
			st.check(t, g)
		}
		if t.Failed() {
			t.FailNow() // later steps would only repeat the difference
		}
	}
}

// show formats an event compactly, its time as an offset from t0.
func show(e Event) string {
	return fmt.Sprintf("%s %s %v->%v %s", seconds(e.Time.Sub(t0)), e.Session, e.From, e.To, e.Rule)
}

func showAll(events []Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, show(e))
	}
	return out
}

func status(g *Group) string {
	id := func(s *Session) string {
		if s == nil {
			return "-"
		}
		return s.ID
	}
	return fmt.Sprintf("P=%s PP=%s", id(g.Primary()), id(g.PendingPrimary()))
}

func offset(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return seconds(t.Sub(t0))
}

// seconds formats d in seconds only ("75s", "10.000000001s"), easier to
// read in a long story than "1m15s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

func equalTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}
