package emulator_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// BenchmarkNewClose: what one emulator per test costs, New and Close,
// beside a bare httptest.NewServer and Close (the target: within 10× of
// it in time and in bytes allocated, with and without a listener).
//
//	go test -run '^$' -bench NewClose -benchmem ./emulator/
func BenchmarkNewClose(b *testing.B) {
	if _, err := emulator.New(emulator.Options{NoListener: true}); err != nil { // schemas compiled outside the loop
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		opts emulator.Options
	}{{"emulator", emulator.Options{}}, {"NoListener", emulator.Options{NoListener: true}}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				srv, err := emulator.New(c.opts)
				if err != nil {
					b.Fatal(err)
				}
				if err := srv.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
		for b.Loop() {
			httptest.NewServer(h).Close()
		}
	})
}

// TestNewCloseAllocations guards what one emulator per test costs, the
// figure BenchmarkNewClose measures: everything immutable (the engines, the
// schemas, the dashboard's assets) is built once per process, so New and
// Close allocate little of their own. The bound is about twice what they
// allocate today (57 allocations without a listener); building the
// dashboard or the control API's engine per server again made it 772.
// Counting allocations is exact, unlike a timing.
func TestNewCloseAllocations(t *testing.T) {
	newClose := func() {
		srv, err := emulator.New(emulator.Options{NoListener: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
	}
	newClose() // the first New builds what every later one shares
	const bound = 120
	if n := testing.AllocsPerRun(20, newClose); n > bound {
		t.Errorf("New + Close allocates %.0f times, more than %d: is something immutable built per server again?", n, bound)
	}
}
