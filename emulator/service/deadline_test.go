package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// After a catch-up nothing is due, so the next deadline is after now: the
// watcher sleeps until NextDue and would wake at once, again and again, if
// it were not. That holds for deadlines beyond the years 1678 to 2262 that
// int64 nanoseconds can hold, too (a FailoverTimeout or an override period
// may be centuries long).
func TestNextDueIsAfterNowOnceCaughtUp(t *testing.T) {
	const century = 100 * 365 * 24 * time.Hour
	tests := []struct {
		name     string
		start    time.Time
		timeout  time.Duration
		override *time.Duration // a Primary override on the session, for this period
	}{
		{"timeout of a minute", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Minute, nil},
		{"lapse after 2262", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 2*century + 50*365*24*time.Hour, nil},
		{"override expiring after 2262", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 2*century + 60*365*24*time.Hour, ptr(2*century + 50*365*24*time.Hour)},
		{"clock before 1678", time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), time.Minute, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clk := clock.New(clock.Manual, tt.start, nil)
			svc := service.New(store.New(), clk, service.Options{})
			scope := store.Scope{Tenant: "t", Namespace: "n"}
			if _, _, err := svc.PutGroup(ctx, scope, "g", service.GroupConfig{Timeout: tt.timeout}); err != nil {
				t.Fatalf("PutGroup: %v", err)
			}
			if _, _, err := svc.PostSession(ctx, scope, "g", "s", nil); err != nil {
				t.Fatalf("PostSession: %v", err)
			}
			if tt.override != nil {
				if _, err := svc.RoleOverride(ctx, scope, "g", "s", failover.OverridePrimary, tt.override, false); err != nil {
					t.Fatalf("RoleOverride: %v", err)
				}
			}
			if _, err := svc.Heartbeat(ctx, scope, "g", "s", failover.Heartbeat{Score: 100}); err != nil {
				t.Fatalf("Heartbeat: %v", err)
			}
			svc.CatchUp(ctx)
			now := clk.Now()
			next, ok := svc.NextDue()
			if !ok {
				t.Fatalf("NextDue: got none, want the session's lapse")
			}
			if !next.After(now) {
				t.Errorf("NextDue after a catch-up at %v: got %v, want a time after now", now, next)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
