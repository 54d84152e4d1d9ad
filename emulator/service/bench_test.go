package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// lapsingGroup is a state with one group of n sessions that posted their
// heartbeats a millisecond apart, starting at t0, with a timeout of an hour:
// session 0 is Primary. With cascade, every session has a lower score than
// the one before it, so each PendingPrimary lapses just before the next best
// candidate does and the catch-up chooses n-1 of them in turn; otherwise
// every score is equal and the best candidate is the last to lapse.
func lapsingGroup(n int, cascade bool) fixture.Document {
	sessions := make([]fixture.Session, n)
	for i := range sessions {
		last := t0.Add(time.Duration(i) * time.Millisecond)
		score := 50.0
		if cascade {
			score = 100 - 90*float64(i)/float64(n)
		}
		sessions[i] = fixture.Session{
			Id:                    fmt.Sprintf("s%05d", i),
			Created:               &t0,
			Heartbeat:             &fixture.Heartbeat{FailoverStatus: score},
			LastHeartbeatReceived: &last,
		}
	}
	sessions[0].Role = 1
	return fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "t", NamespaceId: "n", Groups: []fixture.Group{{
		Id: "g", FailoverTimeout: "01:00:00", HadPrimary: true, Sessions: sessions,
	}}}}}
}

// BenchmarkCatchUp measures one clock move over n lapses at n instants in
// one group (issue 13, item 6): the whole catch-up runs under the store's
// write lock, so other tenants wait for it.
func BenchmarkCatchUp(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1000, 10000} {
		for _, cascade := range []bool{false, true} {
			name := fmt.Sprintf("sessions=%d/scores=equal", n)
			if cascade {
				name = fmt.Sprintf("sessions=%d/scores=cascade", n)
			}
			doc := lapsingGroup(n, cascade)
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					clk := clock.New(clock.Manual, t0.Add(time.Duration(n)*time.Millisecond), nil)
					svc := service.New(store.New(), clk, service.Options{})
					if err := svc.Import(doc); err != nil {
						b.Fatal(err)
					}
					if _, err := clk.Advance(2 * time.Hour); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					svc.CatchUp(ctx)
				}
			})
		}
	}
}
