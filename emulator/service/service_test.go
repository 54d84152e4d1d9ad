package service_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

var (
	scope = store.Scope{Tenant: "t", Namespace: "n"}
	t0    = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// story runs a failover story; read, when set, runs between every step.
func story(t *testing.T, read func(*service.Service)) (json.RawMessage, []service.Event) {
	t.Helper()
	ctx := context.Background()
	clk := clock.New(clock.Manual, t0, nil)
	svc := service.New(store.New(), clk, service.Options{NewID: func() string { return "generated" }})
	step := func(advance time.Duration, do func() error) {
		t.Helper()
		if _, err := clk.Advance(advance); err != nil {
			t.Fatal(err)
		}
		if read != nil {
			read(svc)
		}
		if do != nil {
			if err := do(); err != nil {
				t.Fatal(err)
			}
		}
	}
	hb := func(id string, score float64) func() error {
		return func() error {
			_, err := svc.Heartbeat(ctx, scope, "g", id, failover.Heartbeat{Score: score})
			return err
		}
	}
	step(0, func() error {
		_, _, err := svc.PostGroup(ctx, scope, service.GroupConfig{ID: "g", Timeout: 10 * time.Second}, false)
		return err
	})
	for _, id := range []string{"s1", "s2", "s3"} {
		step(0, func() error { _, _, err := svc.PostSession(ctx, scope, "g", id, nil); return err })
	}
	step(time.Second, hb("s1", 100))
	step(time.Second, hb("s2", 50))
	step(5*time.Second, hb("s2", 60))
	step(7*time.Second, nil) // s1 lapses at 11s: s2 becomes PendingPrimary
	step(time.Second, hb("s2", 60))
	step(2*time.Second, hb("s3", 90))
	step(0, func() error {
		d := 5 * time.Second
		_, err := svc.RoleOverride(ctx, scope, "g", "s3", failover.OverridePrimary, &d, false)
		return err
	})
	step(20*time.Second, nil) // everyone lapses, the override expires
	state, _ := json.Marshal(svc.Export(ctx))
	svc.CatchUp(ctx)
	events, _ := svc.Events()
	return state, events
}

// The outcome depends only on writes and their times, never on reads.
func TestReadsDoNotChangeTheOutcome(t *testing.T) {
	ctx := context.Background()
	quiet, quietEvents := story(t, nil)
	busy, busyEvents := story(t, func(svc *service.Service) {
		_, _ = svc.GroupStatus(ctx, scope, "g")
		_, _ = svc.ListSessions(ctx, scope, "g")
		svc.CatchUp(ctx)
	})
	if string(quiet) != string(busy) {
		t.Errorf("state differs when reads happen:\nquiet %s\nbusy  %s", quiet, busy)
	}
	if len(quietEvents) != len(busyEvents) || len(quietEvents) < 5 {
		t.Fatalf("events: quiet %d, busy %d (want the same, at least 5)", len(quietEvents), len(busyEvents))
	}
	for i := range quietEvents {
		if quietEvents[i] != busyEvents[i] {
			t.Errorf("event %d: quiet %+v, busy %+v", i, quietEvents[i], busyEvents[i])
		}
	}
	// The lapse of s1 is recorded at its instant, t0+1s+10s.
	for _, e := range quietEvents {
		if e.Session == "s1" && e.Rule == failover.RuleLapsed && !e.Time.Equal(t0.Add(11*time.Second)) {
			t.Errorf("s1 lapsed at %v, want %v", e.Time, t0.Add(11*time.Second))
		}
	}
}

// primaryOf is the Primary of group g in scope, or "".
func primaryOf(t *testing.T, svc *service.Service) string {
	t.Helper()
	st, err := svc.GroupStatus(context.Background(), scope, "g")
	if err != nil {
		t.Fatal(err)
	}
	if st.Primary == nil {
		return ""
	}
	return *st.Primary
}

func TestHeartbeatRateLimit(t *testing.T) {
	ctx := context.Background()
	clk := clock.New(clock.Manual, t0, nil)
	svc := service.New(store.New(), clk, service.Options{})
	if _, _, err := svc.PostGroup(ctx, scope, service.GroupConfig{ID: "g", Timeout: time.Minute}, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.PostSession(ctx, scope, "g", "s", nil); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetHeartbeatMinInterval(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	beat := func() error { _, err := svc.Heartbeat(ctx, scope, "g", "s", failover.Heartbeat{Score: 10}); return err }
	if err := beat(); err != nil {
		t.Fatalf("first heartbeat: %v", err)
	}
	_, _ = clk.Advance(3500 * time.Millisecond)
	err := beat()
	se, ok := err.(*service.Error)
	if !ok || se.Kind != service.TooMany || se.RetryAfter != 1500*time.Millisecond {
		t.Fatalf("second heartbeat after 3.5s: %v, want TooMany with RetryAfter 1.5s", err)
	}
	_, _ = clk.Advance(1500 * time.Millisecond)
	if err := beat(); err != nil {
		t.Fatalf("after the interval: %v", err)
	}
}

// A loaded Primary whose last heartbeat is older than the timeout has
// lapsed: the rules run from the state's own time, not from the load.
func TestImportAppliesLapsesSinceTheLastHeartbeat(t *testing.T) {
	last := t0
	tests := []struct {
		name        string
		now         time.Time
		wantPrimary string
	}{
		{"within the timeout", t0.Add(30 * time.Second), "a"},
		{"long after", t0.Add(300 * 24 * time.Hour), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := service.New(store.New(), clock.New(clock.Manual, tt.now, nil), service.Options{})
			doc := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "t", NamespaceId: "n", Groups: []fixture.Group{{
				Id: "g", FailoverTimeout: "00:01:00", HadPrimary: true,
				Sessions: []fixture.Session{{Id: "a", Role: 1, Heartbeat: &fixture.Heartbeat{FailoverStatus: 100}, LastHeartbeatReceived: &last}},
			}}}}}
			if err := svc.Import(doc); err != nil {
				t.Fatal(err)
			}
			if got := primaryOf(t, svc); got != tt.wantPrimary {
				t.Errorf("Primary = %q, want %q", got, tt.wantPrimary)
			}
		})
	}
}
