package auth_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// BenchmarkIssue issues tokens to a directory that already holds n live
// ones, on a clock that moves a millisecond per token (as a busy test
// suite's would).
func BenchmarkIssue(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("live=%d", n), func(b *testing.B) {
			dir, err := auth.New(&fixture.Identities{Clients: []fixture.Client{{Id: "app", Secret: "s", TenantId: "t"}}})
			if err != nil {
				b.Fatal(err)
			}
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for range n {
				if _, _, err := dir.Issue("app", "s", now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				now = now.Add(time.Millisecond)
				if _, _, err := dir.Issue("app", "s", now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
