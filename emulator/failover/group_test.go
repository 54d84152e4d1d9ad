package failover

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestLive(t *testing.T) {
	g := newGroup()
	posted, _ := g.AddSession("posted", nil, t0)
	silent, _ := g.AddSession("silent", nil, t0)
	if _, _, _, err := g.Heartbeat("posted", Heartbeat{Score: 0}, t0.Add(5*sec)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		s    *Session
		at   time.Duration
		want bool
	}{
		{"at its heartbeat", posted, 5 * sec, true},
		{"at its lapse instant", posted, 15 * sec, true},
		{"just after its lapse instant", posted, 15*sec + 1, false},
		{"never posted", silent, 5 * sec, false},
		{"nil", nil, 5 * sec, false},
	}
	for _, tc := range tests {
		if got := g.Live(tc.s, t0.Add(tc.at)); got != tc.want {
			t.Errorf("%s: Live = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !g.HasLive(t0.Add(15 * sec)) {
		t.Error("HasLive at the lapse instant = false, want true")
	}
	if g.HasLive(t0.Add(15*sec + 1)) {
		t.Error("HasLive after the lapse instant = true, want false")
	}
}

func TestNextDeadline(t *testing.T) {
	g := newGroup()
	deadline := func(want string) step {
		return step{do: tick(), check: func(t *testing.T, g *Group) {
			t.Helper()
			got := "none"
			if at, ok := g.NextDeadline(); ok {
				got = seconds(at.Sub(t0))
			}
			if got != want {
				t.Errorf("NextDeadline = %s, want %s", got, want)
			}
		}}
	}
	at := func(d time.Duration, st step) step { st.at = d; return st }
	run(t, g, []step{
		at(0, deadline("none")),
		{at: 0, do: join("a")},
		{at: 0, do: join("b")},
		at(0, deadline("none")), // never posted: never lapses
		{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}},
		at(0, deadline("10.000000001s")), // live at 10s, lapsed just after
		{at: sec, do: override("a", 4*sec)},
		at(sec, deadline("4s")), // the expiry; the holder's lapse changes nothing while it is in force
		{at: 4 * sec, do: tick(), events: []string{"4s a Primary->Primary OverrideExpired"}},
		{at: 5 * sec, do: beat("b", 50), answer: Secondary},
		at(5*sec, deadline("10.000000001s")),  // a Secondary's lapse (b's at 15s) changes nothing
		at(10*sec, deadline("10.000000001s")), // a lapse at Evaluated is still pending
		{at: 10*sec + 1, do: tick(), events: []string{
			"10s a Primary->Secondary Lapsed",
			"10s b Secondary->PendingPrimary NoPrimary",
		}},
		at(10*sec+1, deadline("15.000000001s")), // the PendingPrimary's lapse
		{at: 15*sec + 1, do: tick(), events: []string{"15s b PendingPrimary->Secondary Lapsed"}},
		at(15*sec+1, deadline("none")),
		{at: 16 * sec, do: override("a"), events: []string{"16s a Secondary->Primary Override"}},
		at(16*sec, deadline("none")), // a stale holder stays Primary as long as its override
		{at: 17 * sec, do: overrideSecondary("b", 20*sec)},
		at(17*sec, deadline("20s")), // a Secondary override's expiry
	})
}

func TestErrorsChangeNothing(t *testing.T) {
	g := newGroup()
	g.AddSession("a", nil, t0)
	if _, _, _, err := g.Heartbeat("a", Heartbeat{Score: 100}, t0); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(time.Hour) // a lapse is due: an error must not replay it
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"heartbeat", func() error { _, _, _, err := g.Heartbeat("x", Heartbeat{}, later); return err }, ErrNoSession},
		{"override", func() error { _, err := g.SetOverride("x", OverridePrimary, nil, later); return err }, ErrNoSession},
		{"override value", func() error { _, err := g.SetOverride("a", Override(3), nil, later); return err }, ErrInvalidOverride},
		{"delete", func() error { _, err := g.DeleteSession("x", later); return err }, ErrNoSession},
	}
	for _, tc := range tests {
		before := g.Clone()
		err := tc.call()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
		if !reflect.DeepEqual(g, before) {
			t.Errorf("%s: the group changed", tc.name)
		}
	}
}

func TestAddSessionExisting(t *testing.T) {
	g := newGroup()
	first, _ := g.AddSession("a", nil, t0)
	again, events := g.AddSession("A", nil, t0.Add(sec))
	if again != first || events != nil || len(g.Sessions) != 1 {
		t.Errorf("AddSession of an existing id: got %p %v with %d sessions, want %p, no events, 1 session", again, events, len(g.Sessions), first)
	}
}

func TestClone(t *testing.T) {
	g := newGroup()
	name := "one"
	g.AddSession("a", &name, t0)
	ldpt := t0.Add(-time.Minute)
	if _, _, _, err := g.Heartbeat("a", Heartbeat{Score: 100, LastDataProcessedTime: &ldpt, HeartbeatTime: &ldpt}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := g.SetOverride("a", OverridePrimary, &ldpt, t0); err != nil {
		t.Fatal(err)
	}
	expires := t0.Add(time.Hour)
	if _, err := g.SetOverride("a", OverridePrimary, &expires, t0); err != nil {
		t.Fatal(err)
	}
	c := g.Clone()
	if !reflect.DeepEqual(c, g) {
		t.Fatal("clone differs from the original")
	}
	// Change everything reachable from the clone; the original must not see it.
	s := c.Sessions[0]
	*s.Name = "two"
	*s.Heartbeat.LastDataProcessedTime = t0
	*s.Heartbeat.HeartbeatTime = t0
	*s.OverrideExpires = t0
	*c.LastDataProcessedTime = t0
	c.Sessions[0] = &Session{ID: "b"}
	o := g.Sessions[0]
	if o.ID != "a" || *o.Name != "one" || !o.Heartbeat.LastDataProcessedTime.Equal(ldpt) || !o.Heartbeat.HeartbeatTime.Equal(ldpt) ||
		!o.OverrideExpires.Equal(expires) || !g.LastDataProcessedTime.Equal(ldpt) {
		t.Error("changing the clone changed the original")
	}
	if empty := (&Group{}).Clone(); empty.Sessions != nil {
		t.Error("clone of a group without sessions has a non-nil Sessions")
	}
}

// advanced is a group a little before a busy stretch of lapses and expiries:
// at 12s d's override expires at the instant d lapses.
func advanced(t *testing.T) *Group {
	t.Helper()
	g := newGroup()
	run(t, g, []step{
		{at: 0, do: join("a")},
		{at: 0, do: join("b")},
		{at: 0, do: join("c")},
		{at: 0, do: join("d")},
		{at: 0, do: beat("a", 50), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}},
		{at: sec, do: beat("b", 60), answer: PendingPrimary, events: []string{
			"1s a Primary->Secondary WeakPrimary",
			"1s b Secondary->PendingPrimary WeakPrimary",
		}},
		{at: 2 * sec, do: beat("d", 20), answer: Secondary},
		{at: 3 * sec, do: beat("c", 70), answer: Secondary},
		{at: 4 * sec, do: override("d", 12*sec), events: []string{
			"4s b PendingPrimary->Secondary Override",
			"4s d Secondary->Primary Override",
		}},
		{at: 6 * sec, do: beat("c", 70), answer: Secondary},
		{at: 9 * sec, do: beat("a", 50), answer: Secondary},
	})
	return g
}

// TestAdvanceToInSteps checks that time is replayed the same whether a group
// is advanced in one call or in many, as reads and timers would do.
func TestAdvanceToInSteps(t *testing.T) {
	end := t0.Add(40 * sec)
	want := []string{
		"12s d Primary->Primary OverrideExpired",
		"12s d Primary->Secondary WeakPrimary",
		"12s c Secondary->PendingPrimary WeakPrimary",
		"16s c PendingPrimary->Secondary Lapsed",
		"16s a Secondary->PendingPrimary NoPrimary",
		"19s a PendingPrimary->Secondary Lapsed",
	}
	whole := advanced(t)
	if got := showAll(whole.AdvanceTo(end)); !slices.Equal(got, want) {
		t.Fatalf("one step: events\n got  %q\n want %q", got, want)
	}

	strategies := []struct {
		name string
		next func(g *Group) time.Time
	}{
		{"every millisecond", func(g *Group) time.Time { return g.Evaluated.Add(time.Millisecond) }},
		{"every 3.7s", func(g *Group) time.Time { return g.Evaluated.Add(3700 * time.Millisecond) }},
		{"at each deadline", func(g *Group) time.Time {
			if at, ok := g.NextDeadline(); ok {
				return at
			}
			return end
		}},
		{"a nanosecond before each deadline, then at it", func(g *Group) time.Time {
			at, ok := g.NextDeadline()
			switch {
			case !ok:
				return end
			case g.Evaluated.Before(at.Add(-1)):
				return at.Add(-1)
			default:
				return at
			}
		}},
	}
	for _, st := range strategies {
		g := advanced(t)
		var events []Event
		for g.Evaluated.Before(end) {
			next := st.next(g)
			if next.After(end) {
				next = end
			}
			events = append(events, g.AdvanceTo(next)...)
		}
		if got := showAll(events); !slices.Equal(got, want) {
			t.Errorf("%s: events\n got  %q\n want %q", st.name, got, want)
		}
		if !reflect.DeepEqual(g, whole) {
			t.Errorf("%s: final state differs from the one-step advance", st.name)
		}
	}
}
