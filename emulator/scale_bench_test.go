package emulator_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// BenchmarkScale shows what the number of stored groups does to the heap
// each group takes and to the cost of Get Group and of a heartbeat (GA, to
// the 50 sessions of one group), at N = 10³ to 10⁶ groups (10⁶ is skipped
// under -short). Flat figures from one N to the next mean no cost grows
// with N.
//
//	go test -run '^$' -bench Scale -benchmem ./emulator/
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("groups=%d", n), func(b *testing.B) {
			if n == 1_000_000 && testing.Short() {
				b.Skip("10⁶ groups take a few seconds to load; not under -short")
			}
			doc := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "bench", NamespaceId: "ns"}}}
			groups := make([]fixture.Group, 0, n+1)
			for i := range n {
				name := fmt.Sprintf("group %d", i)
				groups = append(groups, fixture.Group{Id: fmt.Sprintf("g%d", i), Name: &name, FailoverTimeout: "00:00:30"})
			}
			hb := fixture.Group{Id: "hb", FailoverTimeout: "00:00:30"}
			for s := range 50 {
				hb.Sessions = append(hb.Sessions, fixture.Session{Id: fmt.Sprintf("s%d", s)})
			}
			doc.Namespaces[0].Groups = append(groups, hb)
			srv, err := emulator.New(emulator.Options{NoListener: true})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { srv.Close() })
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			if err := srv.SetState(doc); err != nil {
				b.Fatal(err)
			}
			doc = fixture.Document{} // only the server keeps the groups
			groups = nil
			runtime.GC()
			runtime.ReadMemStats(&after)
			perGroup := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
			h := srv.Handler()

			b.Run("heap", func(b *testing.B) {
				for b.Loop() {
				}
				b.ReportMetric(perGroup, "B/group")
			})
			b.Run("GetGroup", func(b *testing.B) {
				paths := make([]string, 1000)
				for i := range paths {
					paths[i] = fmt.Sprintf("%s/groups/g%d", benchBase, (i*7919)%n)
				}
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, paths[i%len(paths)], nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d: %s", rec.Code, rec.Body)
					}
				}
			})
			b.Run("Heartbeat", func(b *testing.B) {
				const gaBase = "/api/v1/tenants/bench/namespaces/ns/clientfailover"
				paths := make([]string, 50)
				for s := range paths {
					paths[s] = fmt.Sprintf("%s/groups/hb/clientsessions/s%d/heartbeat", gaBase, s)
				}
				bodies := make([][]byte, 101)
				for score := range bodies {
					bodies[score] = fmt.Appendf(nil, `{"FailoverScore": %d, "LastDataProcessedTime": "2026-01-01T00:00:00Z"}`, score)
				}
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					rec := httptest.NewRecorder()
					req := httptest.NewRequest(http.MethodPost, paths[i%50], bytes.NewReader(bodies[(i*37)%101]))
					req.Header.Set("Content-Type", "application/json")
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d: %s", rec.Code, rec.Body)
					}
				}
			})
		})
	}
}
