package failover

import "testing"

// TestStory follows one group through a long life: clients join, the first
// Primary is chosen, goes silent and is replaced, comes back and wins again
// on score, an operator forces a Primary (also one that has not posted yet),
// the override expires, the Primary is deleted and the timeout is changed.
// Clients send heartbeats about every T/2 (T = 10s).
func TestStory(t *testing.T) {
	run(t, newGroup(), []step{
		// Two clients join; the first healthy heartbeat makes a Primary.
		{at: 0, do: join("a")},
		{at: 0, do: join("b")},
		{at: 0, do: beatData("a", 100, 0), answer: Primary, ldpt: "0s", events: []string{"0s a Secondary->Primary FirstPrimary"}},
		{at: 1 * sec, do: beat("b", 80), answer: Secondary},
		{at: 5 * sec, do: beatData("a", 100, 4*sec), answer: Primary, ldpt: "4s"},
		{at: 6 * sec, do: beat("b", 80), answer: Secondary},

		// a goes silent after 5s: live until 15s, lapsed after.
		{at: 11 * sec, do: beat("b", 80), answer: Secondary, status: "P=a PP=-"},
		{at: 15 * sec, do: tick(), status: "P=a PP=-"},
		{at: 16 * sec, do: beat("b", 80), answer: PendingPrimary, events: []string{
			"15s a Primary->Secondary Lapsed",
			"15s b Secondary->PendingPrimary NoPrimary",
		}},
		{at: 17 * sec, do: tick(), status: "P=- PP=b", ldpt: "4s"},

		// b was told at 16s; its next heartbeat completes the hand-over.
		{at: 21 * sec, do: beatData("b", 80, 20*sec), answer: Primary, ldpt: "20s", events: []string{"21s b PendingPrimary->Primary HandOver"}},

		// a comes back, first weaker than b, then stronger.
		{at: 22 * sec, do: beat("a", 70), answer: Secondary},
		{at: 26 * sec, do: beatData("b", 80, 25*sec), answer: Primary, ldpt: "25s"},
		{at: 27 * sec, do: beat("a", 100), answer: PendingPrimary, ldpt: "25s", events: []string{
			"27s b Primary->Secondary WeakPrimary",
			"27s a Secondary->PendingPrimary WeakPrimary",
		}},
		{at: 31 * sec, do: beat("b", 80), answer: Secondary},
		{at: 32 * sec, do: beatData("a", 100, 31*sec), answer: Primary, ldpt: "31s", events: []string{"32s a PendingPrimary->Primary HandOver"}},

		// An operator forces b to Primary; scores stop mattering.
		{at: 33 * sec, do: join("c")},
		{at: 34 * sec, do: override("b"), status: "P=b PP=-", events: []string{
			"34s a Primary->Secondary Override",
			"34s b Secondary->Primary Override",
		}},
		{at: 36 * sec, do: beat("a", 100), answer: Secondary},
		{at: 36 * sec, do: beatData("b", 80, 35*sec), answer: Primary, ldpt: "35s"},

		// The override moves to c, which has not posted yet: b loses it,
		// and c is Primary at once, heartbeat or not.
		{at: 40 * sec, do: override("c", 60*sec), check: overrideIs("b", OverrideOff, false), events: []string{
			"40s b Primary->Secondary Override",
			"40s c Secondary->Primary Override",
		}},
		{at: 41 * sec, do: beat("a", 100), answer: Secondary},
		{at: 42 * sec, do: beat("c", 10), answer: Primary},
		{at: 45 * sec, do: beat("b", 80), answer: Secondary},
		{at: 46 * sec, do: beat("a", 100), answer: Secondary},
		{at: 50 * sec, do: beat("c", 10), answer: Primary},
		{at: 55 * sec, do: beat("a", 100), answer: Secondary},
		{at: 55 * sec, do: beat("b", 80), answer: Secondary},
		{at: 55 * sec, do: beat("c", 10), answer: Primary},

		// At 60s the override expires; c keeps Primary only until the
		// rules run, which is at once: a is stronger.
		{at: 60 * sec, do: tick(), check: overrideIs("c", OverrideOff, false), events: []string{
			"60s c Primary->Primary OverrideExpired",
			"60s c Primary->Secondary WeakPrimary",
			"60s a Secondary->PendingPrimary WeakPrimary",
		}},
		{at: 61 * sec, do: beat("a", 100), answer: PendingPrimary},
		{at: 62 * sec, do: beatData("a", 100, 61*sec), answer: Primary, ldpt: "61s", events: []string{"62s a PendingPrimary->Primary HandOver"}},

		// The Primary is deleted; rule 4 picks the best of the rest.
		{at: 63 * sec, do: remove("a"), status: "P=- PP=b", events: []string{
			"63s a Primary->Secondary SessionDeleted",
			"63s b Secondary->PendingPrimary NoPrimary",
		}},
		{at: 64 * sec, do: beat("b", 80), answer: PendingPrimary},
		{at: 65 * sec, do: beat("b", 80), answer: Primary, events: []string{"65s b PendingPrimary->Primary HandOver"}},
		{at: 66 * sec, do: beat("c", 10), answer: Secondary},

		// A 3s timeout counts from now: b and c are silent too long and
		// lapse at 70s, not at 68s and 69s.
		{at: 70 * sec, do: setTimeout(3 * sec), status: "P=- PP=-", events: []string{"70s b Primary->Secondary Lapsed"}},
		{at: 71 * sec, do: beat("c", 10), answer: PendingPrimary, events: []string{"71s c Secondary->PendingPrimary NoPrimary"}},
		{at: 75 * sec, do: tick(), status: "P=- PP=-", ldpt: "61s", events: []string{"74s c PendingPrimary->Secondary Lapsed"},
			check: func(t *testing.T, g *Group) {
				if g.HasLive(t0.Add(75 * sec)) {
					t.Error("HasLive = true, want false")
				}
			}},
	})
}
