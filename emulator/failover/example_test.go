package failover_test

import (
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/failover"
)

var start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// at is start plus s seconds.
func at(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }

func printEvents(events []failover.Event) {
	for _, e := range events {
		fmt.Println(e)
	}
}

// Two clients fail over: east is the first Primary, goes silent, and west
// takes over in two heartbeats (the first tells it it is PendingPrimary).
func Example() {
	g := &failover.Group{Timeout: 10 * time.Second, Evaluated: start}
	g.AddSession("east", nil, at(0))
	g.AddSession("west", nil, at(0))

	role, _, events, _ := g.Heartbeat("east", failover.Heartbeat{Score: 100}, at(0))
	printEvents(events)
	fmt.Println("east is", role)

	g.Heartbeat("west", failover.Heartbeat{Score: 100}, at(1))
	g.Heartbeat("west", failover.Heartbeat{Score: 100}, at(6))
	// east sent nothing after 0s: it lapsed at 10s.
	role, _, events, _ = g.Heartbeat("west", failover.Heartbeat{Score: 100}, at(12))
	printEvents(events)
	fmt.Println("west is", role)

	data := at(12.5)
	role, ldpt, events, _ := g.Heartbeat("west", failover.Heartbeat{Score: 100, LastDataProcessedTime: &data}, at(13))
	printEvents(events)
	fmt.Println("west is", role, "with data up to", ldpt.Format(time.TimeOnly+".0"))
	// Output:
	// 2025-01-01T00:00:00Z east: Secondary -> Primary (FirstPrimary)
	// east is Primary
	// 2025-01-01T00:00:10Z east: Primary -> Secondary (Lapsed)
	// 2025-01-01T00:00:10Z west: Secondary -> PendingPrimary (NoPrimary)
	// west is PendingPrimary
	// 2025-01-01T00:00:13Z west: PendingPrimary -> Primary (HandOver)
	// west is Primary with data up to 00:00:12.5
}

// AdvanceTo replays what happened while nobody asked: the lapse is recorded
// at its own instant, not when it is noticed.
func ExampleGroup_AdvanceTo() {
	g := &failover.Group{Timeout: 10 * time.Second, Evaluated: start}
	g.AddSession("east", nil, at(0))
	g.Heartbeat("east", failover.Heartbeat{Score: 100}, at(0))

	fmt.Println(len(g.AdvanceTo(at(10))), "events at 10s: east is still live")
	printEvents(g.AdvanceTo(at(3600)))
	// Output:
	// 0 events at 10s: east is still live
	// 2025-01-01T00:00:10Z east: Primary -> Secondary (Lapsed)
}

// NextDeadline tells a timer when to call AdvanceTo: here just after east's
// lapse instant, since east is still live at 10s.
func ExampleGroup_NextDeadline() {
	g := &failover.Group{Timeout: 10 * time.Second, Evaluated: start}
	g.AddSession("east", nil, at(0))
	g.Heartbeat("east", failover.Heartbeat{Score: 100}, at(0))

	deadline, ok := g.NextDeadline()
	fmt.Println(deadline.Format(time.RFC3339Nano), ok)
	printEvents(g.AdvanceTo(deadline))
	// Output:
	// 2025-01-01T00:00:10.000000001Z true
	// 2025-01-01T00:00:10Z east: Primary -> Secondary (Lapsed)
}

// An override forces a Primary until it expires; then the rules take over
// again, here at once because east has the better score.
func ExampleGroup_SetOverride() {
	g := &failover.Group{Timeout: 10 * time.Second, Evaluated: start}
	g.AddSession("east", nil, at(0))
	g.AddSession("west", nil, at(0))
	g.Heartbeat("east", failover.Heartbeat{Score: 100}, at(0))
	g.Heartbeat("west", failover.Heartbeat{Score: 50}, at(1))

	expires := at(5)
	events, _ := g.SetOverride("west", failover.OverridePrimary, &expires, at(2))
	printEvents(events)
	printEvents(g.AdvanceTo(at(6)))
	// Output:
	// 2025-01-01T00:00:02Z east: Primary -> Secondary (Override)
	// 2025-01-01T00:00:02Z west: Secondary -> Primary (Override)
	// 2025-01-01T00:00:05Z west: Primary -> Primary (OverrideExpired)
	// 2025-01-01T00:00:05Z west: Primary -> Secondary (WeakPrimary)
	// 2025-01-01T00:00:05Z east: Secondary -> PendingPrimary (WeakPrimary)
}

// Clone gives a scratch copy: change it, and keep it only if the whole
// request succeeds.
func ExampleGroup_Clone() {
	g := &failover.Group{Timeout: 10 * time.Second, Evaluated: start}
	g.AddSession("east", nil, at(0))

	scratch := g.Clone()
	scratch.Heartbeat("east", failover.Heartbeat{Score: 100}, at(1))
	fmt.Println("scratch:", scratch.Primary().ID, "original:", g.Primary())
	// Output:
	// scratch: east original: <nil>
}

// A group's only client is Primary at once, whatever its score, and again
// at once when it comes back after going silent.
func Example_onlyClient() {
	g := &failover.Group{Timeout: 10 * time.Second, Evaluated: start}
	g.AddSession("solo", nil, at(0))

	role, _, events, _ := g.Heartbeat("solo", failover.Heartbeat{Score: 0}, at(0))
	printEvents(events)
	fmt.Println("solo is", role)

	// solo restarts after 30s of silence: no PendingPrimary step.
	role, _, events, _ = g.Heartbeat("solo", failover.Heartbeat{Score: 0}, at(30))
	printEvents(events)
	fmt.Println("solo is", role)
	// Output:
	// 2025-01-01T00:00:00Z solo: Secondary -> Primary (OnlyClient)
	// solo is Primary
	// 2025-01-01T00:00:10Z solo: Primary -> Secondary (Lapsed)
	// 2025-01-01T00:00:30Z solo: Secondary -> Primary (OnlyClient)
	// solo is Primary
}

// The on-premises Secondary override keeps a session out of the running:
// the Primary holding it steps down at once, and it never competes while the
// override is in force.
func ExampleGroup_SetOverride_secondary() {
	g := &failover.Group{Timeout: 10 * time.Second, Evaluated: start}
	g.AddSession("east", nil, at(0))
	g.AddSession("west", nil, at(0))
	g.Heartbeat("east", failover.Heartbeat{Score: 100}, at(0))
	g.Heartbeat("west", failover.Heartbeat{Score: 50}, at(1))

	events, _ := g.SetOverride("east", failover.OverrideSecondary, nil, at(2))
	printEvents(events)
	role, _, _, _ := g.Heartbeat("east", failover.Heartbeat{Score: 100}, at(3))
	fmt.Println("east is", role)
	// Output:
	// 2025-01-01T00:00:02Z east: Primary -> Secondary (Override)
	// 2025-01-01T00:00:02Z west: Secondary -> PendingPrimary (NoPrimary)
	// east is Secondary
}

// Settle brings a group assembled field by field in line with the rules:
// here a loaded state whose override holder was written as Secondary.
func ExampleGroup_Settle() {
	g := &failover.Group{Timeout: 10 * time.Second, Evaluated: start, EverPrimary: true, Sessions: []*failover.Session{
		{ID: "east", Role: failover.Primary, Heartbeat: &failover.Heartbeat{Score: 100}, LastHeartbeat: start},
		{ID: "west", Override: failover.OverridePrimary},
	}}
	printEvents(g.Settle())
	// Output:
	// 2025-01-01T00:00:00Z east: Primary -> Secondary (Override)
	// 2025-01-01T00:00:00Z west: Secondary -> Primary (Override)
}
