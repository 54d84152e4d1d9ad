package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// A deleted group leaves nothing in the schedule (issue 13, item 8): before,
// each create-heartbeat-delete cycle left a heap entry and a map entry until
// the old deadline passed, which on a manual clock is never.
func TestDeletedGroupsLeaveNoDeadlines(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := clock.New(clock.Manual, start, nil)
	svc := New(store.New(), clk, Options{})
	scope := store.Scope{Tenant: "t", Namespace: "n"}
	const cycles = 10000
	for i := range cycles {
		g := fmt.Sprintf("g%d", i)
		steps := []struct {
			name string
			do   func() error
		}{
			{"PutGroup", func() error { _, _, err := svc.PutGroup(ctx, scope, g, GroupConfig{Timeout: time.Minute}); return err }},
			{"PostSession", func() error { _, _, err := svc.PostSession(ctx, scope, g, "s", nil); return err }},
			{"Heartbeat", func() error { _, err := svc.Heartbeat(ctx, scope, g, "s", failover.Heartbeat{Score: 100}); return err }},
			{"DeleteSession", func() error { return svc.DeleteSession(ctx, scope, g, "s") }},
			{"DeleteGroup", func() error { return svc.DeleteGroup(ctx, scope, g) }},
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("cycle %d: %s: %v", i, st.name, err)
			}
		}
	}
	if n, m := svc.sched.size(), len(svc.sched.byKey); n != 0 || m != 0 {
		t.Errorf("after %d deleted groups the schedule holds %d heap entries and %d keys, want none", cycles, n, m)
	}
	if at, ok := svc.NextDue(); ok {
		t.Errorf("NextDue = %v with no group left, want none", at)
	}
}

// The schedule keeps one entry per group however its deadline moves.
func TestScheduleOneEntryPerGroup(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newSchedule(make(chan struct{}, 1))
	a := groupRef{scope: store.Scope{Tenant: "t", Namespace: "n"}, group: "a"}
	b := groupRef{scope: a.scope, group: "B"}
	for i := range 100 {
		s.schedule(a, start.Add(time.Duration(100-i)*time.Second)) // ever earlier
		s.schedule(b, start.Add(time.Duration(i)*time.Second))     // ever later: left to fire early
	}
	s.schedule(groupRef{scope: a.scope, group: "b"}, start) // b in another case: the same group
	if n := s.size(); n != 2 {
		t.Fatalf("size = %d, want 2", n)
	}
	if at, _ := s.next(); !at.Equal(start) {
		t.Errorf("next = %v, want %v", at, start)
	}
	s.remove(b)
	if at, _ := s.next(); !at.Equal(start.Add(time.Second)) {
		t.Errorf("after removing b, next = %v, want a's %v", at, start.Add(time.Second))
	}
	if ref, ok := s.popDue(start.Add(time.Second)); !ok || ref != a {
		t.Errorf("popDue = %v, %v, want a", ref, ok)
	}
	if n := s.size(); n != 0 || len(s.byKey) != 0 {
		t.Errorf("after popping a: %d entries, %d keys, want none", n, len(s.byKey))
	}
	s.remove(a) // not scheduled: nothing happens
}
