package failover

import (
	"testing"
	"time"
)

// scenarios is a table of named step lists, each played on a new group.
type scenarios []struct {
	name  string
	steps []step
}

func (sc scenarios) run(t *testing.T) {
	for _, tc := range sc {
		t.Run(tc.name, func(t *testing.T) { run(t, newGroup(), tc.steps) })
	}
}

func TestLiveness(t *testing.T) {
	scenarios{
		{"live through its lapse instant, lapsed after it", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}, status: "P=a PP=-"},
			{at: 10 * sec, do: tick(), status: "P=a PP=-"},
			{at: 10*sec + 1, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}, status: "P=- PP=-"},
		}},
		{"the lapse is recorded at its instant however late the catch-up", then(aFirst("b"),
			step{at: time.Hour, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}},
		)},
		{"a heartbeat at the lapse instant keeps the session live", then(aFirst("b"),
			step{at: 10 * sec, do: beat("a", 100), answer: Primary},
			step{at: 20 * sec, do: tick(), status: "P=a PP=-"},
			step{at: 20*sec + 1, do: tick(), events: []string{"20s a Primary->Secondary Lapsed"}},
		)},
		{"a session that never posted is Secondary and no candidate", then(aFirst("b"),
			step{at: 11 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}, status: "P=- PP=-"},
		)},
		{"a score of zero is no candidate", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("a", 0), answer: Secondary, status: "P=- PP=-"},
		}},
		{"ids match ignoring case; events name the id as stored", []step{
			{at: 0, do: join("Alpha")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("ALPHA", 100), answer: Primary, events: []string{"0s Alpha Secondary->Primary FirstPrimary"}},
		}},
	}.run(t)
}

func TestFirstPrimary(t *testing.T) {
	scenarios{
		{"the first candidate becomes Primary at once", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: sec, do: beat("b", 50), answer: Primary, events: []string{"1s b Secondary->Primary FirstPrimary"}, status: "P=b PP=-"},
		}},
		{"it waits for a score above zero", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("a", 0), answer: Secondary},
			{at: sec, do: beat("a", 10), answer: Primary, events: []string{"1s a Secondary->Primary FirstPrimary"}},
		}},
		{"not again once the first Primary is deleted", then(aFirst("c"),
			// c, left alone, has never posted: rule 2 does not apply.
			step{at: sec, do: remove("a"), events: []string{"1s a Primary->Secondary SessionDeleted"}, status: "P=- PP=-"},
			step{at: 2 * sec, do: join("b")},
			step{at: 2 * sec, do: beat("b", 100), answer: PendingPrimary, events: []string{"2s b Secondary->PendingPrimary NoPrimary"}},
		)},
		{"not after an override made a Primary", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("a", 0), answer: Secondary},
			{at: sec, do: override("a"), events: []string{"1s a Secondary->Primary Override"}},
			{at: 2 * sec, do: overrideOff("a"), status: "P=a PP=-"},
			{at: 3 * sec, do: beat("b", 100), answer: PendingPrimary, events: []string{
				"3s a Primary->Secondary WeakPrimary",
				"3s b Secondary->PendingPrimary WeakPrimary",
			}},
		}},
	}.run(t)
}

// TestBestCandidate checks the order in which rule 4 picks: a, the Primary,
// lapses at 10s and b or c takes its place.
func TestBestCandidate(t *testing.T) {
	start := func(joins ...string) []step {
		var steps []step
		for _, id := range joins {
			steps = append(steps, step{at: 0, do: join(id)})
		}
		return append(steps, step{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}})
	}
	lapse := func(winner string) step {
		events := []string{"10s a Primary->Secondary Lapsed"}
		if winner != "" {
			events = append(events, "10s "+winner+" Secondary->PendingPrimary NoPrimary")
		}
		return step{at: 11 * sec, do: tick(), events: events}
	}
	scenarios{
		{"the highest score", append(start("a", "b", "c"),
			step{at: sec, do: beat("b", 30)},
			step{at: 2 * sec, do: beat("c", 40)},
			lapse("c"))},
		{"on a tie, the most recent heartbeat", append(start("a", "b", "c"),
			step{at: sec, do: beat("c", 40)},
			step{at: 2 * sec, do: beat("b", 40)},
			lapse("b"))},
		{"then the smallest id, for sessions created at the same instant", append(start("a", "c", "b"),
			step{at: 2 * sec, do: beat("c", 40)},
			step{at: 2 * sec, do: beat("b", 40)},
			lapse("b"))},
		{"then the session created first", append(start("a", "c"),
			step{at: sec, do: join("b")},
			step{at: 2 * sec, do: beat("b", 40)},
			step{at: 2 * sec, do: beat("c", 40)},
			lapse("c"))},
		{"a session that lapsed is no candidate", append(start("a", "b", "c"),
			step{at: 0, do: beat("b", 90)},
			step{at: 5 * sec, do: beat("c", 10)},
			lapse("c"))},
		{"a score of zero is no candidate", append(start("a", "b"),
			step{at: sec, do: beat("b", 0)},
			lapse(""))},
	}.run(t)
}

// TestBestCandidateByID covers the last tie-break: equal scores, heartbeat
// times and creation times.
func TestBestCandidateByID(t *testing.T) {
	tests := []struct {
		ids  []string
		want string
	}{
		{[]string{"b", "a"}, "a"},
		{[]string{"a", "B"}, "B"},                        // ordinal: upper case first
		{[]string{"\uff61", "\U0001F600"}, "\U0001F600"}, // UTF-16 order, not UTF-8
	}
	for _, tc := range tests {
		g := &Group{Timeout: timeout, Evaluated: t0, EverPrimary: true}
		for _, id := range tc.ids {
			g.Sessions = append(g.Sessions, &Session{ID: id, Created: t0, Heartbeat: &Heartbeat{Score: 50}, LastHeartbeat: t0})
		}
		// Setting the same timeout is a write that runs the rules.
		events := g.SetTimeout(timeout, t0)
		if len(events) != 1 || events[0].Session != tc.want || events[0].To != PendingPrimary {
			t.Errorf("ids %q: events %v, want %q to become PendingPrimary", tc.ids, events, tc.want)
		}
	}
}

func TestOrdinalLess(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"a", "b", true},
		{"b", "a", false},
		{"a", "a", false},
		{"B", "a", true},
		{"a", "ab", true},
		{"\U0001F600", "\uff61", true}, // surrogates (D83D) sort before U+FF61
		{"\uff61", "\U0001F600", false},
		{"s-10", "s-9", true}, // ASCII: byte order
		{"\x80", "é", false},  // not UTF-8: U+FFFD, after é
	}
	for _, tc := range tests {
		if got := ordinalLess(tc.a, tc.b); got != tc.want {
			t.Errorf("ordinalLess(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestNoPrimary(t *testing.T) {
	scenarios{
		{"a lapsed Primary is replaced at its lapse instant", then(aFirst("b"),
			step{at: 5 * sec, do: beat("b", 50), answer: Secondary},
			step{at: 20 * sec, do: tick(), status: "P=- PP=-", events: []string{
				"10s a Primary->Secondary Lapsed",
				"10s b Secondary->PendingPrimary NoPrimary",
				"15s b PendingPrimary->Secondary Lapsed",
			}},
		)},
		{"without a candidate nobody is pending until one posts", then(aFirst("b"),
			step{at: 11 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}, status: "P=- PP=-"},
			step{at: 12 * sec, do: beat("b", 30), answer: PendingPrimary, events: []string{"12s b Secondary->PendingPrimary NoPrimary"}},
		)},
		{"a Primary that comes back is Secondary and must go through PendingPrimary", then(aFirst("b"),
			step{at: 0, do: beat("b", 50), answer: Secondary},
			step{at: 11 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}, status: "P=- PP=-"},
			step{at: 12 * sec, do: beat("a", 100), answer: PendingPrimary, events: []string{"12s a Secondary->PendingPrimary NoPrimary"}},
		)},
	}.run(t)
}

func TestWeakPrimary(t *testing.T) {
	scenarios{
		{"a strictly higher score takes over", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("a", 50), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}},
			{at: sec, do: beat("b", 50), answer: Secondary},
			{at: 2 * sec, do: beat("b", 51), answer: PendingPrimary, status: "P=- PP=b", events: []string{
				"2s a Primary->Secondary WeakPrimary",
				"2s b Secondary->PendingPrimary WeakPrimary",
			}},
		}},
		{"the Primary's own heartbeat can make it weak", then(aFirst("b"),
			step{at: sec, do: beat("b", 60), answer: Secondary},
			step{at: 2 * sec, do: beat("a", 40), answer: Secondary, events: []string{
				"2s a Primary->Secondary WeakPrimary",
				"2s b Secondary->PendingPrimary WeakPrimary",
			}},
		)},
		{"not while there is a PendingPrimary", then(weakPrimary("c"),
			step{at: 2 * sec, do: beat("c", 90), answer: Secondary, status: "P=- PP=b"},
		)},
	}.run(t)
}

func TestHandOver(t *testing.T) {
	weak := weakPrimary("c")
	scenarios{
		{"the heartbeat after being told completes it", then(weak,
			step{at: 2 * sec, do: beat("b", 60), answer: Primary, events: []string{"2s b PendingPrimary->Primary HandOver"}, status: "P=b PP=-"},
		)},
		{"becoming PendingPrimary without a heartbeat response is not being told", then(aFirst("b"),
			step{at: 5 * sec, do: beat("b", 50), answer: Secondary},
			step{at: 12 * sec, do: tick(), events: []string{
				"10s a Primary->Secondary Lapsed",
				"10s b Secondary->PendingPrimary NoPrimary",
			}, check: toldPending("b", false)},
			step{at: 13 * sec, do: beat("b", 50), answer: PendingPrimary, check: toldPending("b", true)},
			step{at: 14 * sec, do: beat("b", 50), answer: Primary, events: []string{"14s b PendingPrimary->Primary HandOver"}},
		)},
		{"a PendingPrimary stays while overtaken, even if weak right after", then(weak,
			step{at: 2 * sec, do: beat("c", 100), answer: Secondary, status: "P=- PP=b"},
			step{at: 3 * sec, do: beat("b", 60), answer: Secondary, status: "P=- PP=c", events: []string{
				"3s b PendingPrimary->Primary HandOver",
				"3s b Primary->Secondary WeakPrimary",
				"3s c Secondary->PendingPrimary WeakPrimary",
			}},
		)},
		{"a lapsed PendingPrimary is replaced", then(weak,
			step{at: 5 * sec, do: beat("c", 30), answer: Secondary},
			// a lapses at 10s as a Secondary: no event.
			step{at: 12 * sec, do: tick(), status: "P=- PP=c", events: []string{
				"11s b PendingPrimary->Secondary Lapsed",
				"11s c Secondary->PendingPrimary NoPrimary",
			}},
		)},
		{"being told lasts only as long as the PendingPrimary term", then(weak,
			step{at: 2 * sec, do: beat("c", 10), answer: Secondary},
			step{at: 2 * sec, do: override("c", 4*sec), events: []string{
				"2s b PendingPrimary->Secondary Override",
				"2s c Secondary->Primary Override",
			}, check: toldPending("b", false)},
			step{at: 3 * sec, do: beat("b", 60), answer: Secondary},
			step{at: 4 * sec, do: tick(), events: []string{
				"4s c Primary->Primary OverrideExpired",
				"4s c Primary->Secondary WeakPrimary",
				"4s b Secondary->PendingPrimary WeakPrimary",
			}},
			step{at: 5 * sec, do: beat("b", 60), answer: PendingPrimary},
			step{at: 6 * sec, do: beat("b", 60), answer: Primary, events: []string{"6s b PendingPrimary->Primary HandOver"}},
		)},
	}.run(t)
}

func toldPending(id string, want bool) func(*testing.T, *Group) {
	return func(t *testing.T, g *Group) {
		t.Helper()
		if got := g.Session(id).ToldPending; got != want {
			t.Errorf("%s.ToldPending = %v, want %v", id, got, want)
		}
	}
}

func overrideIs(id string, want Override, expires bool) func(*testing.T, *Group) {
	return func(t *testing.T, g *Group) {
		t.Helper()
		s := g.Session(id)
		if s.Override != want || (s.OverrideExpires != nil) != expires {
			t.Errorf("%s: override %v expiring %v, want %v (expiring: %v)", id, s.Override, s.OverrideExpires, want, expires)
		}
	}
}

func TestOverride(t *testing.T) {
	// primary makes a Primary and b a live Secondary with a lower score.
	primary := then(aFirst("b"), step{at: sec, do: beat("b", 10), answer: Secondary})
	scenarios{
		{"the holder becomes Primary at once and rules 2 to 6 stop", then(primary,
			step{at: 2 * sec, do: override("b"), status: "P=b PP=-", events: []string{
				"2s a Primary->Secondary Override",
				"2s b Secondary->Primary Override",
			}},
			step{at: 3 * sec, do: beat("a", 100), answer: Secondary},
			step{at: 4 * sec, do: beat("b", 0), answer: Primary},
		)},
		{"a PendingPrimary is cancelled", then(weakPrimary(),
			step{at: 2 * sec, do: override("a"), status: "P=a PP=-", events: []string{
				"2s b PendingPrimary->Secondary Override",
				"2s a Secondary->Primary Override",
			}},
		)},
		{"a PendingPrimary that gets it is Primary at once, told or not", then(weakPrimary(),
			step{at: 2 * sec, do: override("b"), status: "P=b PP=-", check: toldPending("b", false), events: []string{
				"2s b PendingPrimary->Primary Override",
			}},
			step{at: 3 * sec, do: beat("b", 60), answer: Primary},
		)},
		{"setting it on one session takes it from the other", then(primary,
			step{at: 2 * sec, do: override("a"), check: overrideIs("a", OverridePrimary, false)},
			step{at: 3 * sec, do: override("b"), events: []string{
				"3s a Primary->Secondary Override",
				"3s b Secondary->Primary Override",
			}, check: overrideIs("a", OverrideOff, false)},
		)},
		{"a holder that never posted is Primary at once", then(aFirst("b"),
			step{at: sec, do: override("b"), status: "P=b PP=-", check: overrideIs("b", OverridePrimary, false), events: []string{
				"1s a Primary->Secondary Override",
				"1s b Secondary->Primary Override",
			}},
			step{at: 2 * sec, do: beat("a", 100), answer: Secondary},
			step{at: 3 * sec, do: beat("b", 10), answer: Primary},
		)},
		{"with no heartbeat from anyone the holder is Primary; Off gives way at once", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: sec, do: override("a"), status: "P=a PP=-", events: []string{"1s a Secondary->Primary Override"}},
			{at: time.Hour, do: tick(), status: "P=a PP=-"},
			{at: time.Hour, do: overrideOff("a"), status: "P=- PP=-", events: []string{"3600s a Primary->Secondary Lapsed"}},
		}},
		{"a holder that goes silent stays Primary", then(aFirst("b"),
			step{at: sec, do: override("a")},
			step{at: 5 * sec, do: beat("b", 50), answer: Secondary},
			step{at: 12 * sec, do: tick(), status: "P=a PP=-"}, // a lapsed at 10s
			step{at: 14 * sec, do: beat("b", 50), answer: Secondary},
			step{at: time.Hour, do: tick(), status: "P=a PP=-"},
			step{at: time.Hour, do: beat("a", 100), answer: Primary},
		)},
		{"an expiry with a stale holder: the rules decide at the expiry instant", then(aFirst("b"),
			step{at: sec, do: override("a", 30*sec)},
			step{at: 25 * sec, do: beat("b", 50), answer: Secondary, status: "P=a PP=-"},
			step{at: 31 * sec, do: tick(), status: "P=- PP=b", check: overrideIs("a", OverrideOff, false), events: []string{
				"30s a Primary->Primary OverrideExpired",
				"30s a Primary->Secondary Lapsed",
				"30s b Secondary->PendingPrimary NoPrimary",
			}},
		)},
		{"a lone stale holder gives way at the expiry instant, to nobody", []step{
			{at: 0, do: join("a")},
			{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary OnlyClient"}},
			{at: sec, do: override("a", 20*sec)},
			{at: 25 * sec, do: tick(), status: "P=- PP=-", events: []string{
				"20s a Primary->Primary OverrideExpired",
				"20s a Primary->Secondary Lapsed",
			}},
		}},
		{"Off with a stale holder: the rules decide at once", then(primary,
			step{at: 2 * sec, do: override("b"), events: []string{
				"2s a Primary->Secondary Override",
				"2s b Secondary->Primary Override",
			}},
			step{at: 5 * sec, do: beat("a", 100), answer: Secondary},
			step{at: 15 * sec, do: beat("a", 100), answer: Secondary, status: "P=b PP=-"}, // b lapsed at 11s
			step{at: 15 * sec, do: overrideOff("b"), status: "P=- PP=a", events: []string{
				"15s b Primary->Secondary Lapsed",
				"15s a Secondary->PendingPrimary NoPrimary",
			}},
			step{at: 16 * sec, do: beat("a", 100), answer: PendingPrimary},
			step{at: 17 * sec, do: beat("a", 100), answer: Primary, events: []string{"17s a PendingPrimary->Primary HandOver"}},
		)},
		{"it expires when the time reaches the expiration; the holder stays Primary", then(aFirst("b"),
			step{at: sec, do: override("a", 5*sec), check: overrideIs("a", OverridePrimary, true)},
			step{at: 2 * sec, do: beat("b", 50), answer: Secondary},
			step{at: 5*sec - 1, do: tick(), check: overrideIs("a", OverridePrimary, true)},
			step{at: 5 * sec, do: tick(), events: []string{"5s a Primary->Primary OverrideExpired"}, status: "P=a PP=-", check: overrideIs("a", OverrideOff, false)},
		)},
		{"an expiry and a lapse at one instant: the expiry first", []step{
			{at: 0, do: join("a")},
			{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary OnlyClient"}},
			{at: sec, do: override("a", 10*sec)},
			{at: 10 * sec, do: tick(), events: []string{"10s a Primary->Primary OverrideExpired"}},
			{at: 11 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}},
		}},
		{"an expiration already reached expires at once", then(primary,
			step{at: 2 * sec, do: override("b", sec), status: "P=a PP=-", events: []string{"2s b Secondary->Secondary OverrideExpired"}, check: overrideIs("b", OverrideOff, false)},
		)},
		{"Off clears it and the rules resume at once", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("a", 50), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}},
			{at: sec, do: beat("b", 40), answer: Secondary},
			{at: 2 * sec, do: override("b", time.Hour), events: []string{
				"2s a Primary->Secondary Override",
				"2s b Secondary->Primary Override",
			}},
			{at: 3 * sec, do: overrideOff("b"), status: "P=- PP=a", check: overrideIs("b", OverrideOff, false), events: []string{
				"3s b Primary->Secondary WeakPrimary",
				"3s a Secondary->PendingPrimary WeakPrimary",
			}},
		}},
		{"Off with no better candidate: the holder stays Primary", then(primary,
			step{at: 2 * sec, do: override("b"), events: []string{
				"2s a Primary->Secondary Override",
				"2s b Secondary->Primary Override",
			}},
			step{at: 3 * sec, do: beat("a", 10), answer: Secondary},
			step{at: 3 * sec, do: overrideOff("b"), status: "P=b PP=-"},
		)},
		{"Off on another session leaves the holder's", then(primary,
			step{at: 2 * sec, do: override("a")},
			step{at: 3 * sec, do: overrideOff("b"), check: overrideIs("a", OverridePrimary, false)},
		)},
		{"deleting a holder that never posted leaves the rules to decide", then(aFirst("b"),
			step{at: sec, do: override("b"), events: []string{
				"1s a Primary->Secondary Override",
				"1s b Secondary->Primary Override",
			}},
			step{at: 2 * sec, do: remove("b"), status: "P=a PP=-", events: []string{
				"2s b Primary->Secondary SessionDeleted",
				"2s a Secondary->Primary OnlyClient",
			}},
		)},
	}.run(t)
}

// TestSecondaryOverride covers the on-premises Value Secondary of rule 1.
func TestSecondaryOverride(t *testing.T) {
	// primary makes a Primary, b a live Secondary with a lower score, and
	// c a session that never posts.
	primary := then(aFirst("b", "c"), step{at: sec, do: beat("b", 50), answer: Secondary})
	scenarios{
		{"the Primary that gets it is Secondary at once, and never a candidate", then(primary,
			step{at: 2 * sec, do: overrideSecondary("a"), status: "P=- PP=b", check: overrideIs("a", OverrideSecondary, false), events: []string{
				"2s a Primary->Secondary Override",
				"2s b Secondary->PendingPrimary NoPrimary",
			}},
			step{at: 3 * sec, do: beat("a", 100), answer: Secondary},
			step{at: 4 * sec, do: beat("b", 50), answer: PendingPrimary},
			step{at: 5 * sec, do: beat("b", 50), answer: Primary, events: []string{"5s b PendingPrimary->Primary HandOver"}},
			step{at: 6 * sec, do: beat("a", 100), answer: Secondary, status: "P=b PP=-"},
		)},
		{"the PendingPrimary that gets it is Secondary at once", then(weakPrimary("c"),
			step{at: 2 * sec, do: beat("c", 55), answer: Secondary},
			step{at: 3 * sec, do: overrideSecondary("b"), status: "P=- PP=c", check: toldPending("b", false), events: []string{
				"3s b PendingPrimary->Secondary Override",
				"3s c Secondary->PendingPrimary NoPrimary",
			}},
		)},
		{"any number of sessions hold one; a Primary override elsewhere leaves them", then(primary,
			step{at: 2 * sec, do: overrideSecondary("b"), check: overrideIs("b", OverrideSecondary, false)},
			step{at: 2 * sec, do: overrideSecondary("c", 9*sec), check: overrideIs("c", OverrideSecondary, true)},
			step{at: 3 * sec, do: override("a"), check: func(t *testing.T, g *Group) {
				overrideIs("a", OverridePrimary, false)(t, g)
				overrideIs("b", OverrideSecondary, false)(t, g)
				overrideIs("c", OverrideSecondary, true)(t, g)
			}},
			step{at: 9 * sec, do: tick(), status: "P=a PP=-", events: []string{"9s c Secondary->Secondary OverrideExpired"}},
		)},
		{"a Primary override on the same session replaces it", then(primary,
			step{at: 2 * sec, do: overrideSecondary("b")},
			step{at: 3 * sec, do: override("b"), check: overrideIs("b", OverridePrimary, false), events: []string{
				"3s a Primary->Secondary Override",
				"3s b Secondary->Primary Override",
			}},
		)},
		{"under a Primary override in force it changes nothing", then(primary,
			step{at: 2 * sec, do: override("b"), events: []string{
				"2s a Primary->Secondary Override",
				"2s b Secondary->Primary Override",
			}},
			step{at: 3 * sec, do: overrideSecondary("a"), status: "P=b PP=-"},
			// Off: a would outscore b, but it is no candidate.
			step{at: 4 * sec, do: overrideOff("b"), status: "P=b PP=-"},
		)},
		{"Off ends it and the session competes again at once", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("a", 50), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}},
			{at: sec, do: overrideSecondary("b")},
			{at: 2 * sec, do: beat("b", 60), answer: Secondary},
			{at: 3 * sec, do: overrideOff("b"), status: "P=- PP=b", events: []string{
				"3s a Primary->Secondary WeakPrimary",
				"3s b Secondary->PendingPrimary WeakPrimary",
			}},
		}},
		{"it expires, and the session competes again at the expiry instant", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beat("a", 50), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}},
			{at: sec, do: overrideSecondary("b", 5*sec), check: overrideIs("b", OverrideSecondary, true)},
			{at: 2 * sec, do: beat("b", 60), answer: Secondary},
			{at: 6 * sec, do: tick(), status: "P=- PP=b", check: overrideIs("b", OverrideOff, false), events: []string{
				"5s b Secondary->Secondary OverrideExpired",
				"5s a Primary->Secondary WeakPrimary",
				"5s b Secondary->PendingPrimary WeakPrimary",
			}},
		}},
		{"an expiration already reached expires at once, before it forces anything", then(primary,
			step{at: 2 * sec, do: overrideSecondary("a", sec), status: "P=a PP=-", check: overrideIs("a", OverrideOff, false), events: []string{
				"2s a Primary->Primary OverrideExpired",
			}},
		)},
		{"a lone session holding one stays Secondary; Off makes it Primary", []step{
			{at: 0, do: join("a")},
			{at: 0, do: overrideSecondary("a")},
			{at: sec, do: beat("a", 100), answer: Secondary, status: "P=- PP=-"},
			{at: 2 * sec, do: overrideOff("a"), status: "P=a PP=-", events: []string{"2s a Secondary->Primary OnlyClient"}},
		}},
	}.run(t)
}

func TestOnlyClient(t *testing.T) {
	scenarios{
		{"a lone session is Primary at once whatever its score, 0 included", []step{
			{at: 0, do: join("a")},
			{at: 0, do: beatData("a", 0, sec), answer: Primary, ldpt: "1s", status: "P=a PP=-", events: []string{"0s a Secondary->Primary OnlyClient"}},
			{at: sec, do: beatData("a", 0, 2*sec), answer: Primary, ldpt: "2s"},
		}},
		{"a lone session that never posted is Secondary", []step{
			{at: 0, do: join("a")},
			{at: time.Hour, do: tick(), status: "P=- PP=-"},
		}},
		{"a lone session that lapses and comes back is Primary at once, with no PendingPrimary", []step{
			{at: 0, do: join("a")},
			{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary OnlyClient"}},
			{at: 11 * sec, do: tick(), status: "P=- PP=-", events: []string{"10s a Primary->Secondary Lapsed"}},
			{at: 20 * sec, do: beat("a", 0), answer: Primary, events: []string{"20s a Secondary->Primary OnlyClient"}},
		}},
		{"the last session left after a delete is Primary at once, whatever its score", then(aFirst("b"),
			step{at: sec, do: beat("b", 0), answer: Secondary},
			step{at: 2 * sec, do: remove("a"), status: "P=b PP=-", events: []string{
				"2s a Primary->Secondary SessionDeleted",
				"2s b Secondary->Primary OnlyClient",
			}},
		)},
		{"a PendingPrimary left alone is Primary at once, with no hand-over", then(weakPrimary(),
			step{at: 2 * sec, do: remove("a"), status: "P=b PP=-", check: toldPending("b", false), events: []string{
				"2s b PendingPrimary->Primary OnlyClient",
			}},
			step{at: 3 * sec, do: beat("b", 60), answer: Primary},
		)},
		{"the last session left waits for its next heartbeat if it is not live", then(aFirst("b"),
			step{at: sec, do: beat("b", 50), answer: Secondary},
			step{at: 12 * sec, do: tick(), events: []string{
				"10s a Primary->Secondary Lapsed",
				"10s b Secondary->PendingPrimary NoPrimary",
				"11s b PendingPrimary->Secondary Lapsed",
			}},
			step{at: 12 * sec, do: remove("a"), status: "P=- PP=-"},
			step{at: 13 * sec, do: beat("b", 50), answer: Primary, events: []string{"13s b Secondary->Primary OnlyClient"}},
		)},
		{"a second session stops it, even one that never posted", []step{
			{at: 0, do: join("a")},
			{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary OnlyClient"}},
			{at: sec, do: join("b"), status: "P=a PP=-"},
			{at: 11 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}},
			{at: 12 * sec, do: beat("a", 100), answer: PendingPrimary, events: []string{"12s a Secondary->PendingPrimary NoPrimary"}},
		}},
		{"a longer timeout that makes a lone session live again makes it Primary", []step{
			{at: 0, do: join("a")},
			{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary OnlyClient"}},
			{at: 12 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}},
			{at: 15 * sec, do: setTimeout(20 * sec), status: "P=a PP=-", events: []string{"15s a Secondary->Primary OnlyClient"}},
		}},
		{"the clock moved back makes a lone session live again, Primary at once", []step{
			{at: 0, do: join("a")},
			{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary OnlyClient"}},
			{at: 12 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}},
			{at: 5 * sec, do: tick(), status: "P=a PP=-", events: []string{"5s a Secondary->Primary OnlyClient"}},
		}},
	}.run(t)
}

func TestDeleteSession(t *testing.T) {
	// c never posts: it keeps rule 2 (only client) out of these stories.
	primary := then(aFirst("b", "c"), step{at: sec, do: beat("b", 50), answer: Secondary})
	scenarios{
		{"a Secondary goes without an event", then(primary,
			step{at: 2 * sec, do: remove("b"), status: "P=a PP=-"},
		)},
		{"deleting the Primary: rule 4 picks", then(primary,
			step{at: 2 * sec, do: remove("a"), status: "P=- PP=b", events: []string{
				"2s a Primary->Secondary SessionDeleted",
				"2s b Secondary->PendingPrimary NoPrimary",
			}},
		)},
		{"deleting the PendingPrimary: rule 4 picks again", then(weakPrimary("c"),
			step{at: 2 * sec, do: beat("c", 55), answer: Secondary},
			step{at: 3 * sec, do: remove("b"), status: "P=- PP=c", events: []string{
				"3s b PendingPrimary->Secondary SessionDeleted",
				"3s c Secondary->PendingPrimary NoPrimary",
			}},
		)},
		{"deleting the override holder", then(primary,
			step{at: 2 * sec, do: override("b"), events: []string{
				"2s a Primary->Secondary Override",
				"2s b Secondary->Primary Override",
			}},
			step{at: 3 * sec, do: remove("b"), events: []string{
				"3s b Primary->Secondary SessionDeleted",
				"3s a Secondary->PendingPrimary NoPrimary",
			}},
		)},
		{"it catches up first", then(primary,
			step{at: 20 * sec, do: remove("a"), status: "P=- PP=-", events: []string{
				"10s a Primary->Secondary Lapsed",
				"10s b Secondary->PendingPrimary NoPrimary",
				"11s b PendingPrimary->Secondary Lapsed",
			}},
		)},
	}.run(t)
}

func TestSetTimeout(t *testing.T) {
	// z never posts: it keeps rule 2 (only client) out of these stories.
	primary := aFirst("z")
	scenarios{
		{"a shorter timeout lapses sessions now, not in the past", then(primary,
			step{at: 0, do: join("b")},
			step{at: 4 * sec, do: beat("b", 50), answer: Secondary},
			step{at: 5 * sec, do: setTimeout(3 * sec), events: []string{
				"5s a Primary->Secondary Lapsed",
				"5s b Secondary->PendingPrimary NoPrimary",
			}},
			step{at: 8 * sec, do: tick(), events: []string{"7s b PendingPrimary->Secondary Lapsed"}},
		)},
		{"a session exactly at the new deadline is still live", then(primary,
			step{at: 5 * sec, do: setTimeout(5 * sec), status: "P=a PP=-"},
			step{at: 5*sec + 1, do: tick(), events: []string{"5s a Primary->Secondary Lapsed"}},
		)},
		{"a longer timeout postpones the lapse", then(primary,
			step{at: 5 * sec, do: setTimeout(20 * sec)},
			step{at: 20 * sec, do: tick(), status: "P=a PP=-"},
			step{at: 20*sec + 1, do: tick(), events: []string{"20s a Primary->Secondary Lapsed"}},
		)},
		{"a longer timeout makes a lapsed session live again", then(primary,
			step{at: 12 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}},
			step{at: 15 * sec, do: setTimeout(20 * sec), events: []string{"15s a Secondary->PendingPrimary NoPrimary"}},
		)},
	}.run(t)
}

func TestLastDataProcessedTime(t *testing.T) {
	scenarios{
		{"only a Primary's heartbeats set it", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: tick(), ldpt: "-"},
			{at: 0, do: beatData("a", 50, sec), answer: Primary, ldpt: "1s", events: []string{"0s a Secondary->Primary FirstPrimary"}},
			{at: sec, do: beatData("b", 40, 2*sec), answer: Secondary, ldpt: "1s"},
			{at: 2 * sec, do: beat("a", 50), answer: Primary, ldpt: "1s"},
			{at: 3 * sec, do: beatData("a", 50, sec/2), answer: Primary, ldpt: "0.5s"},
			{at: 4 * sec, do: beatData("b", 60, 4*sec), answer: PendingPrimary, ldpt: "0.5s", events: []string{
				"4s a Primary->Secondary WeakPrimary",
				"4s b Secondary->PendingPrimary WeakPrimary",
			}},
			{at: 5 * sec, do: beatData("b", 60, 5*sec), answer: Primary, ldpt: "5s", events: []string{"5s b PendingPrimary->Primary HandOver"}},
		}},
		{"an override holder's heartbeat counts", []step{
			{at: 0, do: join("a")},
			{at: 0, do: join("b")},
			{at: 0, do: beatData("a", 50, sec), answer: Primary, ldpt: "1s", events: []string{"0s a Secondary->Primary FirstPrimary"}},
			{at: sec, do: override("b"), events: []string{
				"1s a Primary->Secondary Override",
				"1s b Secondary->Primary Override",
			}},
			{at: 2 * sec, do: beatData("a", 50, 3*sec), answer: Secondary, ldpt: "1s"},
			{at: 2 * sec, do: beatData("b", 10, 2*sec), answer: Primary, ldpt: "2s"},
		}},
	}.run(t)
}

func TestClockMovedBack(t *testing.T) {
	run(t, newGroup(), []step{
		{at: 0, do: join("a")},
		{at: 0, do: join("b")},
		{at: 0, do: beat("a", 100), answer: Primary, events: []string{"0s a Secondary->Primary FirstPrimary"}},
		{at: 12 * sec, do: tick(), events: []string{"10s a Primary->Secondary Lapsed"}},
		// Back at 5s, a's last heartbeat is within the timeout again.
		{at: 5 * sec, do: tick(), events: []string{"5s a Secondary->PendingPrimary NoPrimary"}},
		{at: 11 * sec, do: tick(), events: []string{"10s a PendingPrimary->Secondary Lapsed"}},
	})
}
