package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// Sizes of the load test.
const (
	loadRequests    = 20_000 // in all, in two halves
	loadWorkers     = 8
	loadGroups      = 200
	loadBusyGroups  = 10 // the groups whose sessions send heartbeats
	loadSessions    = 3  // sessions in each busy group
	loadJournalSize = 1000
	// loadHeapSlack is how much the heap may grow in the second half
	// beyond half the first half's growth.
	loadHeapSlack = 512 << 10
	// loadTimeLimit only stops a hung run; it is no performance bound.
	loadTimeLimit = 5 * time.Minute
)

// A bounded load over loopback HTTP: 20,000 mixed requests (Get Group,
// heartbeats, List pages) from 8 goroutines. Every answer is a 200; the
// journal stays at its limit and counts what it dropped; and memory stops
// growing: the heap after a forced GC at the end of the second half is at
// most twice the heap at the end of the first half, and the second half adds
// at most half what the first added (plus slack).
func TestLoadStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: skipped with -short")
	}
	srv := startListening(t, emulator.Options{Clock: clock.Manual, JournalSize: loadJournalSize})
	doc := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "t", NamespaceId: "n"}}}
	for i := range loadGroups {
		name := fmt.Sprintf("group %d", i)
		doc.Namespaces[0].Groups = append(doc.Namespaces[0].Groups, fixture.Group{
			Id: fmt.Sprintf("g%d", i), Name: &name, FailoverTimeout: "00:01:00",
		})
	}
	if err := srv.SetState(doc); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	c := newAPIClient(t, srv, loadWorkers)
	for g := range loadBusyGroups {
		for s := range loadSessions {
			c.must(t, http.MethodPost, fmt.Sprintf("%s/groups/g%d/clientsessions", previewBase, g), fmt.Sprintf(`{"Id":"s%d"}`, s), 201)
		}
	}
	c.must(t, http.MethodDelete, "/_emulator/requests", "", 204) // the journal counts from here

	ctx, cancel := context.WithTimeout(context.Background(), loadTimeLimit)
	t.Cleanup(cancel)
	seed := rand.Uint64()
	t.Logf("seed %d", seed)

	var sent, bad atomic.Int64
	half := func(part uint64) {
		var wg sync.WaitGroup
		for w := range loadWorkers {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(seed, part*loadWorkers+uint64(w)))
				for range loadRequests / 2 / loadWorkers {
					method, path, body := loadRequest(r)
					rep, err := c.do(ctx, method, path, body)
					sent.Add(1)
					switch {
					case err != nil:
						if bad.Add(1) <= 10 {
							t.Errorf("%s %s: %v", method, path, err)
						}
					case rep.status != http.StatusOK:
						if bad.Add(1) <= 10 {
							t.Errorf("%s %s: got status %d, want 200: %s", method, path, rep.status, rep.body)
						}
					}
					if ctx.Err() != nil {
						return
					}
				}
			})
		}
		wg.Wait()
		if ctx.Err() != nil {
			t.Fatalf("the run did not end within %v (a hang, not a speed limit): %d requests sent", loadTimeLimit, sent.Load())
		}
	}

	start := heapAfterGC()
	half(0)
	first := heapAfterGC()
	half(1)
	second := heapAfterGC()
	t.Logf("%d requests; heap after a GC: %d bytes at the start, %d after the first half, %d after the second", sent.Load(), start, first, second)
	if second > 2*first {
		t.Errorf("heap after a forced GC grew from %d bytes after the first half to %d after the second, want at most twice", first, second)
	}
	// The ratio alone cannot catch a leak that grows with the number of
	// requests (start + 2k <= 2*(start + k)), so also compare the growth of
	// the halves: the first fills the journal, the second must add at most
	// half as much again (plus slack for the runtime's own bookkeeping).
	grew1, grew2 := int64(first)-int64(start), int64(second)-int64(first)
	if limit := grew1/2 + loadHeapSlack; grew2 > limit {
		t.Errorf("heap grew by %d bytes in the first half and %d in the second, want at most %d in the second (half the first + %d): memory keeps growing", grew1, grew2, limit, loadHeapSlack)
	}

	rep := c.must(t, http.MethodGet, "/_emulator/requests", "", 200)
	var journal struct {
		Requests []json.RawMessage
		Dropped  int64
	}
	if err := json.Unmarshal(rep.body, &journal); err != nil {
		t.Fatalf("journal: %v", err)
	}
	recorded := sent.Load() // each went to the emulated API, so each was recorded
	if got := len(journal.Requests); got != loadJournalSize {
		t.Errorf("journal holds %d entries, want its limit %d", got, loadJournalSize)
	}
	if want := recorded - loadJournalSize; journal.Dropped != want {
		t.Errorf("journal Dropped = %d, want %d (%d recorded, %d kept)", journal.Dropped, want, recorded, loadJournalSize)
	}
}

// loadRequest picks one request of the load: a third each of Get Group,
// heartbeats, and List pages from a random place.
func loadRequest(r *rand.Rand) (method, path, body string) {
	switch r.IntN(3) {
	case 0:
		return http.MethodGet, fmt.Sprintf("%s/groups/g%d", previewBase, r.IntN(loadGroups)), ""
	case 1:
		// Each session keeps its own score, so roles settle and the bounded
		// event list does not fill up during the run and blur the heap figures.
		s := r.IntN(loadSessions)
		return http.MethodPost,
			fmt.Sprintf("%s/groups/g%d/clientsessions/s%d/heartbeat", previewBase, r.IntN(loadBusyGroups), s),
			fmt.Sprintf(`{"FailoverStatus":%d,"LastDataProcessedTime":"2026-01-01T00:00:00Z"}`, 100-10*s)
	default:
		return http.MethodGet, fmt.Sprintf("%s/groups?skip=%d&count=50", previewBase, r.IntN(loadGroups)), ""
	}
}

// heapAfterGC is the live heap after a forced collection.
func heapAfterGC() uint64 {
	// Twice: what sync.Pools hold (gin's contexts, with the last request
	// of an earlier test) survives one collection in their victim caches.
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
