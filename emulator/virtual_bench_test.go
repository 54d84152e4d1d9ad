package emulator_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
)

// BenchmarkVirtualHeartbeats measures a clock move of ten minutes with 100
// virtual clients heartbeating every second in one group (60,000
// heartbeats, each at its instant, journaled), per heartbeat, beside a real
// client's heartbeat to the same group through the in-process handler in
// the same run: only the ratio of the two means anything on a noisy
// machine.
//
//	go test -run '^$' -bench VirtualHeartbeats -benchmem ./emulator/
func BenchmarkVirtualHeartbeats(b *testing.B) {
	const clients, move = 100, 10 * time.Minute
	setUp := func(b *testing.B) *emulator.Server {
		b.Helper()
		srv, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual, ClockStart: vt0})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { srv.Close() })
		if rec := serve(srv, http.MethodPost, ga+"/groups", `{"Id":"g","FailoverTimeout":"00:00:30"}`); rec.Code != http.StatusCreated {
			b.Fatalf("group: %d %s", rec.Code, rec.Body)
		}
		for i := range clients {
			body := fmt.Sprintf(`{"Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"p%03d"},"Interval":"00:00:01","Script":[{"At":"0s","Score":%d}]}`, i, 50+i/2)
			if rec := serve(srv, http.MethodPost, "/_emulator/virtual-clients", body); rec.Code != http.StatusCreated {
				b.Fatalf("virtual client: %d %s", rec.Code, rec.Body)
			}
		}
		return srv
	}
	b.Run("virtual", func(b *testing.B) {
		heartbeats := float64(clients * int(move/time.Second))
		for b.Loop() {
			b.StopTimer()
			srv := setUp(b)
			b.StartTimer()
			if rec := serve(srv, http.MethodPost, "/_emulator/clock/advance", `{"By":"00:10:00"}`); rec.Code != http.StatusOK {
				b.Fatalf("advance: %d %s", rec.Code, rec.Body)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/heartbeats, "ns/heartbeat")
	})
	b.Run("real", func(b *testing.B) {
		srv := setUp(b)
		i := 0
		for b.Loop() {
			path := fmt.Sprintf("%s/groups/g/clientsessions/p%03d/heartbeat", ga, i%clients)
			if rec := serve(srv, http.MethodPost, path, `{"FailoverScore":75}`); rec.Code != http.StatusOK {
				b.Fatalf("heartbeat: %d %s", rec.Code, rec.Body)
			}
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/heartbeat")
	})
}
