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
// the same rounds: only the ratio of the two means anything on a noisy
// machine. ns/op is a round (the move and 6,000 real heartbeats).
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
	// Each round times the move and then as many real heartbeats as make
	// a tenth of its work, on the same server, so both see the same
	// machine.
	const real = clients * int(move/time.Second) / 10
	var virtualTime, realTime time.Duration
	for b.Loop() {
		b.StopTimer()
		srv := setUp(b)
		b.StartTimer()
		t0 := time.Now()
		if rec := serve(srv, http.MethodPost, "/_emulator/clock/advance", `{"By":"00:10:00"}`); rec.Code != http.StatusOK {
			b.Fatalf("advance: %d %s", rec.Code, rec.Body)
		}
		t1 := time.Now()
		for i := range real {
			path := fmt.Sprintf("%s/groups/g/clientsessions/p%03d/heartbeat", ga, i%clients)
			if rec := serve(srv, http.MethodPost, path, `{"FailoverScore":75}`); rec.Code != http.StatusOK {
				b.Fatalf("heartbeat: %d %s", rec.Code, rec.Body)
			}
		}
		virtualTime += t1.Sub(t0)
		realTime += time.Since(t1)
	}
	perVirtual := float64(virtualTime.Nanoseconds()) / float64(b.N*clients*int(move/time.Second))
	perReal := float64(realTime.Nanoseconds()) / float64(b.N*real)
	b.ReportMetric(perVirtual, "ns/virtual-heartbeat")
	b.ReportMetric(perReal, "ns/real-heartbeat")
	b.ReportMetric(perVirtual/perReal, "virtual/real")
}
