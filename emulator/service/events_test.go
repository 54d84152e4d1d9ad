package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// newEventService is a service on a manual clock at t0 with groups g1..gN
// (timeout 10 s), each with sessions a and b.
func newEventService(t *testing.T, groups int) (*service.Service, *clock.Clock) {
	t.Helper()
	ctx := context.Background()
	clk := clock.New(clock.Manual, t0, nil)
	svc := service.New(store.New(), clk, service.Options{})
	for i := 1; i <= groups; i++ {
		g := fmt.Sprintf("g%d", i)
		if _, _, err := svc.PostGroup(ctx, scope, service.GroupConfig{ID: g, Timeout: 10 * time.Second}, false); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"a", "b"} {
			if _, _, err := svc.PostSession(ctx, scope, g, id, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	return svc, clk
}

func beat(t *testing.T, svc *service.Service, group, session string) {
	t.Helper()
	if _, err := svc.Heartbeat(context.Background(), scope, group, session, failover.Heartbeat{Score: 100}); err != nil {
		t.Fatal(err)
	}
}

// receive takes the next delivery, failing the test if none comes (the
// events are recorded before receive is called: the limit is generous).
func receive(t *testing.T, sub *service.Subscription) service.Delivery {
	t.Helper()
	select {
	case d := <-sub.C():
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery")
		return service.Delivery{}
	}
}

func seqs(evs []service.Event) []uint64 {
	out := make([]uint64, len(evs))
	for i, e := range evs {
		out[i] = e.Seq
	}
	return out
}

// Seq numbers count from 1 in time order, also when one clock move brings
// lapses of several groups whose deadlines interleave, and go on across
// a new state.
func TestEventSeqCountsInTimeOrderAcrossResets(t *testing.T) {
	ctx := context.Background()
	svc, clk := newEventService(t, 2)
	if got := svc.LastSeq(); got != 0 {
		t.Fatalf("LastSeq before any event: %d, want 0", got)
	}
	// g1: a Primary at 0 s, lapses at 10 s; b beats at 9 s, lapses at 19 s.
	// g2: a Primary at 5 s, lapses at 15 s; b beats at 14 s.
	beat(t, svc, "g1", "a")
	_, _ = clk.Advance(5 * time.Second)
	beat(t, svc, "g2", "a")
	_, _ = clk.Advance(4 * time.Second)
	beat(t, svc, "g1", "b")
	_, _ = clk.Advance(5 * time.Second)
	beat(t, svc, "g2", "b")
	_, _ = clk.Advance(time.Minute) // everything lapses in one catch-up
	svc.CatchUp(ctx)

	evs, _ := svc.Events()
	for i, e := range evs {
		if e.Seq != uint64(i+1) {
			t.Fatalf("event %d has Seq %d, want %d: %v", i, e.Seq, i+1, seqs(evs))
		}
		if i > 0 && e.Time.Before(evs[i-1].Time) {
			t.Fatalf("event %d (Seq %d, %v) is before the one recorded ahead of it (%v)", i, e.Seq, e.Time, evs[i-1].Time)
		}
	}
	last := svc.LastSeq()
	if last != uint64(len(evs)) || last < 8 {
		t.Fatalf("LastSeq %d after %d events", last, len(evs))
	}

	if err := svc.Import(fixture.Document{}); err != nil {
		t.Fatal(err)
	}
	if evs, _ := svc.Events(); len(evs) != 0 || svc.LastSeq() != last {
		t.Fatalf("after a new state: %d events, LastSeq %d; want none and %d", len(evs), svc.LastSeq(), last)
	}
	if _, _, err := svc.PostGroup(ctx, scope, service.GroupConfig{ID: "g", Timeout: time.Minute}, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.PostSession(ctx, scope, "g", "a", nil); err != nil {
		t.Fatal(err)
	}
	beat(t, svc, "g", "a")
	if evs, _ := svc.Events(); len(evs) != 1 || evs[0].Seq != last+1 {
		t.Fatalf("first event after a new state: %+v, want Seq %d", evs, last+1)
	}
}

// A subscription gets every later event once, in order; SubscribeAfter
// first returns the retained ones after the Seq given.
func TestSubscriptionsGetEveryEventOnce(t *testing.T) {
	svc, clk := newEventService(t, 1)
	beat(t, svc, "g1", "a") // Seq 1: a Primary

	live, last := svc.Subscribe(0)
	defer live.Close()
	all, fromAll, _ := svc.SubscribeAfter(0, 0)
	defer fromAll.Close()
	none, fromNone, _ := svc.SubscribeAfter(1, 0)
	defer fromNone.Close()
	if len(all) != 1 || all[0].Seq != 1 || len(none) != 0 || last != 1 {
		t.Fatalf("backlogs: after 0 %v, after 1 %v, LastSeq %d; want [1], [] and 1", seqs(all), seqs(none), last)
	}

	_, _ = clk.Advance(5 * time.Second)
	beat(t, svc, "g1", "b")
	_, _ = clk.Advance(5*time.Second + time.Millisecond) // a lapses, b PendingPrimary: Seq 2, 3
	svc.CatchUp(context.Background())

	for name, sub := range map[string]*service.Subscription{"live": live, "after 0": fromAll, "after 1": fromNone} {
		var got []uint64
		for len(got) < 2 {
			d := receive(t, sub)
			if d.Cleared {
				t.Fatalf("%s: unexpected Cleared", name)
			}
			got = append(got, d.Event.Seq)
		}
		if got[0] != 2 || got[1] != 3 {
			t.Errorf("%s: got Seq %v, want [2 3]", name, got)
		}
		select {
		case d := <-sub.C():
			t.Errorf("%s: one more delivery %+v", name, d)
		default:
		}
	}
}

// A reader that falls behind is cut off, never waited for: its channel is
// closed after what fitted, Overflowed says why, and it can resume.
func TestSlowSubscriberOverflows(t *testing.T) {
	svc, _ := newEventService(t, 3)
	sub, _ := svc.Subscribe(2)
	defer sub.Close()
	for _, g := range []string{"g1", "g2", "g3"} {
		beat(t, svc, g, "a") // three FirstPrimary events, one more than fits
	}
	var got []uint64
	for d := range sub.C() {
		got = append(got, d.Event.Seq)
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 2 || !sub.Overflowed() {
		t.Fatalf("got %v, overflowed %v; want [1 2] and true", got, sub.Overflowed())
	}
	sub.Close() // again: no panic

	rest, again, _ := svc.SubscribeAfter(got[len(got)-1], 0)
	defer again.Close()
	if len(rest) != 1 || rest[0].Seq != 3 {
		t.Fatalf("resumed backlog %v, want [3]", seqs(rest))
	}
}

// Clearing the list (a reset or a new state) is delivered as Cleared;
// Close ends a subscription and closes its channel.
func TestSubscriptionSeesClearAndClose(t *testing.T) {
	svc, _ := newEventService(t, 1)
	sub, _ := svc.Subscribe(0)
	if err := svc.Import(fixture.Document{}); err != nil {
		t.Fatal(err)
	}
	if d := receive(t, sub); !d.Cleared {
		t.Fatalf("got %+v, want Cleared", d)
	}
	sub.Close()
	if _, ok := <-sub.C(); ok || sub.Overflowed() {
		t.Fatalf("after Close: channel open %v, overflowed %v", ok, sub.Overflowed())
	}
}
