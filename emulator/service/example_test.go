package service_test

import (
	"context"
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// The service without HTTP: a group, a client, a heartbeat, and a lapse
// that the service applies at its own instant when the clock moves.
func Example() {
	ctx := context.Background()
	clk := clock.New(clock.Manual, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), nil)
	svc := service.New(store.New(), clk, service.Options{})
	scope := store.Scope{Tenant: "t", Namespace: "n"}

	_, _, _ = svc.PostGroup(ctx, scope, service.GroupConfig{ID: "g", Timeout: 30 * time.Second}, false)
	_, _, _ = svc.PostSession(ctx, scope, "g", "a", nil)
	res, _ := svc.Heartbeat(ctx, scope, "g", "a", failover.Heartbeat{Score: 100})
	fmt.Println("a is", res.Role)

	_, _ = clk.Advance(time.Minute)
	svc.CatchUp(ctx)
	events, _ := svc.Events()
	for _, e := range events {
		fmt.Println(e.Time.Format(time.TimeOnly), e.Session, e.From, "->", e.To, e.Rule)
	}
	// Output:
	// a is Primary
	// 00:00:00 a Secondary -> Primary OnlyClient
	// 00:00:30 a Primary -> Secondary Lapsed
}
