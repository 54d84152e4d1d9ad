package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// virtualService is a service on a manual clock at t0 with group g (timeout
// 30 s), recording what its virtual clients do.
func virtualService(t *testing.T) (*service.Service, *clock.Clock, *[]service.VirtualRequest) {
	t.Helper()
	clk := clock.New(clock.Manual, t0, nil)
	var log []service.VirtualRequest
	svc := service.New(store.New(), clk, service.Options{OnVirtual: func(r service.VirtualRequest) { log = append(log, r) }})
	if _, _, err := svc.PutGroup(context.Background(), scope, "g", service.GroupConfig{Timeout: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	return svc, clk, &log
}

func move(t *testing.T, svc *service.Service, clk *clock.Clock, d time.Duration) {
	t.Helper()
	err := svc.MoveClock(context.Background(), clk.Now().Add(d), func() error { _, err := clk.Advance(d); return err })
	if err != nil {
		t.Fatal(err)
	}
}

func eventLines(svc *service.Service) string {
	evs, _ := svc.Events()
	var lines []string
	for _, e := range evs {
		lines = append(lines, fmt.Sprintf("+%v %s %v->%v %s", e.Time.Sub(t0), e.Session, e.From, e.To, e.Rule))
	}
	return strings.Join(lines, "\n")
}

// Before an action at t the groups are brought up to t: every lapse before
// t applies first, a lapse at t itself not yet (the session is still live
// then), so a heartbeat at its lapse instant keeps it.
func TestVirtualActionsInterleaveWithLapses(t *testing.T) {
	tests := []struct {
		name, interval, want string
	}{
		{"a heartbeat at the lapse instant keeps the Primary", "00:00:30", "+0s p Secondary->Primary OnlyClient"},
		{"a heartbeat just after it comes too late", "00:00:30.001",
			"+0s p Secondary->Primary OnlyClient\n+30s p Primary->Secondary Lapsed\n+30.001s p Secondary->Primary OnlyClient"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, clk, _ := virtualService(t)
			_, err := svc.AddVirtualClient(context.Background(), fixture.VirtualClient{
				Surface: "v1", Tenant: "t", Namespace: "n", Group: "g", Session: fixture.VirtualSession{Id: "p"}, Interval: tt.interval,
			})
			if err != nil {
				t.Fatal(err)
			}
			move(t, svc, clk, 45*time.Second)
			if got := eventLines(svc); got != tt.want {
				t.Errorf("events:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// Virtual actions due at an instant come before a real request at that
// instant: the request catches up first.
func TestVirtualActionsComeBeforeARequestAtTheSameInstant(t *testing.T) {
	svc, clk, log := virtualService(t)
	ctx := context.Background()
	start := t0.Add(10 * time.Second)
	if _, _, err := svc.PostSession(ctx, scope, "g", "real", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddVirtualClient(ctx, fixture.VirtualClient{Surface: "v1", Tenant: "t", Namespace: "n", Group: "g",
		Session: fixture.VirtualSession{Id: "p"}, Start: &start}); err != nil {
		t.Fatal(err)
	}
	if len(*log) != 0 {
		t.Fatalf("before its Start the client did %+v", *log)
	}
	if _, err := clk.Advance(10 * time.Second); err != nil { // no catch-up: the request must do it
		t.Fatal(err)
	}
	res, err := svc.Heartbeat(ctx, scope, "g", "real", failover.Heartbeat{Score: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Role != failover.Secondary || len(*log) != 2 || !(*log)[1].Time.Equal(start) {
		t.Errorf("the real heartbeat at the peer's Start was told %v after %+v; want Secondary after the peer's register and heartbeat", res.Role, *log)
	}
}

// The watcher sleeps until NextDue: it must include the next virtual action.
func TestNextDueIncludesVirtualActions(t *testing.T) {
	svc, _, _ := virtualService(t)
	select {
	case <-svc.Sooner(): // a wake-up from before: drop it
	default:
	}
	start := t0.Add(time.Hour)
	if _, err := svc.AddVirtualClient(context.Background(), fixture.VirtualClient{Surface: "v1", Tenant: "t", Namespace: "n", Group: "g",
		Session: fixture.VirtualSession{Id: "p"}, Start: &start}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-svc.Sooner():
	default:
		t.Error("adding a client with an action sooner than any deadline should wake the watcher")
	}
	if next, ok := svc.NextDue(); !ok || !next.Equal(start) {
		t.Errorf("NextDue = %v, %v; want the client's Start %v", next, ok, start)
	}
}

// A state saved before the instant it is loaded at (the emulator was not
// running in between) has its clients join again at the load: they register
// and heartbeat then, and what would have happened in between does not.
func TestVirtualClientsJoinAgainAfterAGap(t *testing.T) {
	svc, clk, _ := virtualService(t)
	ctx := context.Background()
	if _, err := svc.AddVirtualClient(ctx, fixture.VirtualClient{Id: "p", Surface: "v1", Tenant: "t", Namespace: "n", Group: "g",
		Session: fixture.VirtualSession{Id: "p"}}); err != nil {
		t.Fatal(err)
	}
	move(t, svc, clk, 20*time.Second)
	doc := svc.Export(ctx)

	later := clock.New(clock.Manual, t0.Add(time.Hour+7*time.Second), nil)
	var log []service.VirtualRequest
	loaded := service.New(store.New(), later, service.Options{OnVirtual: func(r service.VirtualRequest) { log = append(log, r) }})
	if err := loaded.Import(doc); err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Operation != "PostClientSession" || log[0].Created || log[1].Operation != "PostHeartbeatMessage" || !log[1].Time.Equal(later.Now()) {
		t.Errorf("at the load: %+v; want the session registered (it exists: 200) and a heartbeat", log)
	}
	vc, err := loaded.VirtualClient(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	p := vc.Progress
	if p.Joined == nil || !p.Joined.Equal(later.Now()) || p.NextHeartbeat == nil || !p.NextHeartbeat.Equal(later.Now().Add(15*time.Second)) || p.Heartbeats != 3 {
		t.Errorf("progress after the load: %+v", p)
	}
	events := eventLines(loaded)
	if !strings.Contains(events, "+1h0m7s p Secondary->Primary OnlyClient") {
		t.Errorf("events after the load:\n%s", events)
	}
}

// Every virtual heartbeat goes through the rules like a real one: a real
// client's override holds against a peer with a higher score, and the
// peer's heartbeat response says so.
func TestVirtualHeartbeatsFollowTheRules(t *testing.T) {
	svc, clk, log := virtualService(t)
	ctx := context.Background()
	if _, _, err := svc.PostSession(ctx, scope, "g", "real", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RoleOverride(ctx, scope, "g", "real", failover.OverridePrimary, nil, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddVirtualClient(ctx, fixture.VirtualClient{Surface: "v1", Tenant: "t", Namespace: "n", Group: "g",
		Session: fixture.VirtualSession{Id: "p"}}); err != nil {
		t.Fatal(err)
	}
	move(t, svc, clk, time.Minute)
	for _, r := range *log {
		if r.Result != nil && r.Result.Role != failover.Secondary {
			t.Errorf("the peer was told %v at %v under the real client's override", r.Result.Role, r.Time)
		}
	}
}

// A virtual client whose group is gone is answered 404 like a real one,
// journaled with its error, and keeps its schedule.
func TestVirtualClientOfADeletedGroup(t *testing.T) {
	svc, clk, log := virtualService(t)
	ctx := context.Background()
	yes := true
	if _, err := svc.AddVirtualClient(ctx, fixture.VirtualClient{Id: "p", Surface: "v1", Tenant: "t", Namespace: "n", Group: "g",
		Session: fixture.VirtualSession{Id: "p"}, Script: []fixture.VirtualStep{{At: "10s", Silent: &yes}, {At: "2m", Resume: &yes}}}); err != nil {
		t.Fatal(err)
	}
	move(t, svc, clk, time.Minute) // its last heartbeat was at 0 s: it lapsed at 30 s
	if err := svc.DeleteGroup(ctx, scope, "g"); err != nil {
		t.Fatal(err)
	}
	move(t, svc, clk, 90*time.Second)
	last := (*log)[len(*log)-1]
	var se *service.Error
	if len(*log) != 5 || last.Operation != "PostHeartbeatMessage" || !last.Time.Equal(t0.Add(150*time.Second)) || !errorAs(last.Err, &se) || se.Kind != service.NotFound {
		t.Fatalf("requests: %+v", *log)
	}
	vc, err := svc.VirtualClient(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if vc.Progress.LastError == nil || !strings.Contains(*vc.Progress.LastError, "not found") || vc.Progress.Heartbeats != 4 {
		t.Errorf("progress: %+v", vc.Progress)
	}
}

// Moving the clock back neither undoes nor repeats what virtual clients
// did: they carry on from the latest instant they reached.
func TestVirtualClientsAfterTheClockMovedBack(t *testing.T) {
	count := func(moves ...time.Duration) int {
		svc, clk, log := virtualService(t)
		if _, err := svc.AddVirtualClient(context.Background(), fixture.VirtualClient{Surface: "v1", Tenant: "t", Namespace: "n", Group: "g",
			Session: fixture.VirtualSession{Id: "p"}}); err != nil {
			t.Fatal(err)
		}
		for _, d := range moves {
			target := clk.Now().Add(d)
			if err := svc.MoveClock(context.Background(), target, func() error { _, err := clk.Set(&target, nil); return err }); err != nil {
				t.Fatal(err)
			}
		}
		n := 0
		for _, r := range *log {
			if r.Operation == "PostHeartbeatMessage" {
				n++
			}
		}
		return n
	}
	if straight, back := count(90*time.Second), count(60*time.Second, -30*time.Second, 60*time.Second); straight != 7 || back != 7 {
		t.Errorf("heartbeats up to 90 s: %d straight, %d with the clock moved back on the way; want 7", straight, back)
	}
}

func errorAs(err error, target **service.Error) bool { return errors.As(err, target) }

// A jump of the clock that MoveClock did not check (a reset, the real
// clock after the host slept) and that would take more than
// MaxHeartbeatsPerMove heartbeats has the clients join again at the new
// instant rather than run them all under the lock.
func TestAnUncheckedJumpHasVirtualClientsJoinAgain(t *testing.T) {
	svc, clk, log := virtualService(t)
	ctx := context.Background()
	if _, err := svc.AddVirtualClient(ctx, fixture.VirtualClient{Id: "p", Surface: "v1", Tenant: "t", Namespace: "n", Group: "g",
		Session: fixture.VirtualSession{Id: "p"}, Interval: "00:00:00.001"}); err != nil {
		t.Fatal(err)
	}
	if _, err := clk.Advance(24 * time.Hour); err != nil { // 86.4 million heartbeats' worth
		t.Fatal(err)
	}
	svc.CatchUp(ctx)
	if len(*log) != 4 || (*log)[2].Operation != "PostClientSession" || !(*log)[3].Time.Equal(clk.Now()) {
		t.Fatalf("after the jump: %d requests, the last %+v; want the registration and the first heartbeat at 0 s, then both again at the new instant", len(*log), (*log)[len(*log)-1])
	}
	vc, err := svc.VirtualClient(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if j := vc.Progress.Joined; j == nil || !j.Equal(clk.Now()) {
		t.Errorf("Joined = %v, want the new instant", j)
	}
	// A jump within the limit is carried out whole.
	if _, err := clk.Advance(time.Second); err != nil {
		t.Fatal(err)
	}
	svc.CatchUp(ctx)
	if len(*log) != 4+1000 {
		t.Errorf("a second at 1 ms: %d requests in all, want %d", len(*log), 4+1000)
	}
}
