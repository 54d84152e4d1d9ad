package emulator_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/schemas"
)

// The benchmarks measure each operation beside a baseline: a plain net/http
// handler that writes the same bytes. Machines here are noisy, so only the
// ratio of the two, measured in the same run, means anything.
//
//	go test -run '^$' -bench . -benchmem ./emulator/

const benchBase = "/api/v1-preview/tenants/bench/namespaces/ns/clientfailover"

// benchServer starts an emulator holding n groups g0…g(n-1).
func benchServer(b *testing.B, n int, opts emulator.Options) *emulator.Server {
	b.Helper()
	doc := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "bench", NamespaceId: "ns"}}}
	for i := range n {
		name := fmt.Sprintf("group %d", i)
		doc.Namespaces[0].Groups = append(doc.Namespaces[0].Groups, fixture.Group{
			Id: fmt.Sprintf("g%d", i), Name: &name, FailoverTimeout: "00:00:30",
		})
	}
	return startWith(b, doc, opts)
}

// startWith starts an emulator with opts holding doc.
func startWith(b *testing.B, doc fixture.Document, opts emulator.Options) *emulator.Server {
	b.Helper()
	srv, err := emulator.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	if err := srv.SetState(doc); err != nil {
		b.Fatal(err)
	}
	return srv
}

// baseline answers every request with the bytes and headers of want.
func baseline(want *httptest.ResponseRecorder) http.Handler {
	body := want.Body.Bytes()
	header := want.Header().Clone()
	status := want.Code
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// benchInProcess runs req through the emulator's handler and through the
// baseline, in process (no sockets): the emulator's own cost.
func benchInProcess(b *testing.B, h http.Handler, method, path string, body func(i int) []byte, wantStatus int) {
	b.Helper()
	do := func(h http.Handler, i int) *httptest.ResponseRecorder {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body(i))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, path, rd))
		return rec
	}
	first := do(h, -1)
	if first.Code != wantStatus {
		b.Fatalf("%s %s: status %d, want %d: %s", method, path, first.Code, wantStatus, first.Body)
	}
	base := baseline(first)
	b.Run("emulator", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if rec := do(h, i); rec.Code != wantStatus {
				b.Fatalf("status %d, want %d: %s", rec.Code, wantStatus, rec.Body)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			do(base, i)
		}
	})
}

func BenchmarkGetGroup(b *testing.B) {
	srv := benchServer(b, 100_000, emulator.Options{NoListener: true})
	benchInProcess(b, srv.Handler(), http.MethodGet, benchBase+"/groups/g50000", nil, http.StatusOK)
}

func BenchmarkPostGroup(b *testing.B) {
	srv := benchServer(b, 100_000, emulator.Options{NoListener: true})
	var seq atomic.Int64 // ids stay new however often the benchmark reruns
	body := func(int) []byte {
		return fmt.Appendf(nil, `{"Id":"new-%d","Name":"n","Description":null,"FailoverTimeout":"00:01:00"}`, seq.Add(1))
	}
	benchInProcess(b, srv.Handler(), http.MethodPost, benchBase+"/groups", body, http.StatusCreated)
	benchSchemaWork(b, "GroupConfiguration", body(0))
}

// benchSchemaWork measures the JSON Schema work alone that the handler does
// for body: Decode (parse, canonical names, jsonschema/v5's Validate) into
// the tree handlers read, with nothing else. Beside the baseline in the same
// run it gives the best ratio the operation could reach if every other cost
// of the emulator were zero: baseline / (baseline + schema work).
func benchSchemaWork(b *testing.B, schema string, body []byte) {
	b.Helper()
	v, err := schemas.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("schema-work-only", func(b *testing.B) {
		b.ReportAllocs()
		var tree any
		for b.Loop() {
			if _, err := v.Decode(schema, body, &tree); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkListPage(b *testing.B) {
	srv := benchServer(b, 100_000, emulator.Options{NoListener: true})
	benchInProcess(b, srv.Handler(), http.MethodGet, benchBase+"/groups?skip=50000&count=100", nil, http.StatusOK)
}

// heartbeatServer holds groups×perGroup sessions that have all joined; the
// benchmark then sends heartbeats round-robin over them.
func heartbeatServer(b *testing.B, groups, perGroup int, opts emulator.Options) (*emulator.Server, func(i int) string) {
	b.Helper()
	doc := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "bench", NamespaceId: "ns"}}}
	for g := range groups {
		fg := fixture.Group{Id: fmt.Sprintf("g%d", g), FailoverTimeout: "00:00:30"}
		for s := range perGroup {
			fg.Sessions = append(fg.Sessions, fixture.Session{Id: fmt.Sprintf("s%d", s)})
		}
		doc.Namespaces[0].Groups = append(doc.Namespaces[0].Groups, fg)
	}
	srv := startWith(b, doc, opts)
	n := groups * perGroup
	path := func(i int) string {
		i = (i%n + n) % n
		return fmt.Sprintf("%s/groups/g%d/clientsessions/s%d/heartbeat", benchBase, i%groups, i/groups)
	}
	return srv, path
}

var heartbeatBody = []byte(`{"FailoverStatus":100,"LastDataProcessedTime":"2026-01-01T00:00:00Z","HeartbeatTime":"2026-01-01T00:00:00Z"}`)

// BenchmarkHeartbeat: 1,000 sessions over 100 groups (in process).
func BenchmarkHeartbeat(b *testing.B) {
	srv, path := heartbeatServer(b, 100, 10, emulator.Options{NoListener: true})
	h := srv.Handler()
	do := func(h http.Handler, i int) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path(i), bytes.NewReader(heartbeatBody)))
		return rec
	}
	first := do(h, 0)
	if first.Code != http.StatusOK {
		b.Fatalf("heartbeat: %d %s", first.Code, first.Body)
	}
	base := baseline(first)
	b.Run("emulator", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if rec := do(h, i); rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			do(base, i)
		}
	})
	benchSchemaWork(b, "FailoverHeartbeat", heartbeatBody)
}

// benchLoopback measures requests per second over real loopback HTTP,
// against the emulator and against the baseline served the same way.
func benchLoopback(b *testing.B, srv *emulator.Server, method string, path func(i int) string, body []byte, wantStatus int) {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	b.Cleanup(client.CloseIdleConnections)
	do := func(base string, i int) (*http.Response, []byte) {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, _ := http.NewRequest(method, base+path(i), rd)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, got
	}
	resp, got := do(srv.URL(), 0)
	if resp.StatusCode != wantStatus {
		b.Fatalf("%s: status %d, want %d: %s", path(0), resp.StatusCode, wantStatus, got)
	}
	rec := httptest.NewRecorder()
	for k, v := range resp.Header {
		if k != "Date" && k != "Content-Length" {
			rec.Header()[k] = v
		}
	}
	rec.WriteHeader(resp.StatusCode)
	rec.Body.Write(got)
	base := httptest.NewServer(baseline(rec))
	b.Cleanup(base.Close)
	run := func(url string) func(b *testing.B) {
		return func(b *testing.B) {
			var n atomicCounter
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if resp, got := do(url, n.next()); resp.StatusCode != wantStatus {
						b.Errorf("status %d: %s", resp.StatusCode, got)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		}
	}
	b.Run("emulator", run(srv.URL()))
	b.Run("baseline", run(base.URL))
}

type atomicCounter struct{ n atomic.Int64 }

func (c *atomicCounter) next() int { return int(c.n.Add(1)) }

// tenInactiveRules adds ten fault rules that never match a benchmark request.
func tenInactiveRules(b *testing.B, srv *emulator.Server) {
	b.Helper()
	for i := range 10 {
		rule := fmt.Sprintf(`{"Match":{"Operation":"GetGroupConfiguration","Path":"/api/v1-preview/tenants/other-%d/*/*/*/*/*"},"Action":{"Status":503}}`, i)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/_emulator/faults", strings.NewReader(rule)))
		if rec.Code != http.StatusCreated {
			b.Fatalf("adding a fault rule: %d %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkLoopbackGetGroup: Get Group over loopback HTTP with the journal
// on and ten inactive fault rules (target: ≥ 0.8 of the baseline's req/s).
func BenchmarkLoopbackGetGroup(b *testing.B) {
	srv := benchServer(b, 100_000, emulator.Options{})
	tenInactiveRules(b, srv)
	benchLoopback(b, srv, http.MethodGet, func(i int) string { return fmt.Sprintf("%s/groups/g%d", benchBase, i%100_000) }, nil, http.StatusOK)
}

// BenchmarkLoopbackHeartbeat: 10,000 sessions over 1,000 groups
// (target: ≥ 0.6 of the baseline's req/s).
func BenchmarkLoopbackHeartbeat(b *testing.B) {
	srv, path := heartbeatServer(b, 1000, 10, emulator.Options{})
	benchLoopback(b, srv, http.MethodPost, path, heartbeatBody, http.StatusOK)
}

// BenchmarkLoopbackListPage: one page of 100 at 100,000 groups (target:
// within 2× of Get Group).
func BenchmarkLoopbackListPage(b *testing.B) {
	srv := benchServer(b, 100_000, emulator.Options{})
	benchLoopback(b, srv, http.MethodGet, func(i int) string {
		return fmt.Sprintf("%s/groups?skip=%d&count=100", benchBase, (i*100)%99_900)
	}, nil, http.StatusOK)
}

// BenchmarkGetGroupFaultRules: the in-process cost of the journal and of
// matching ten inactive fault rules on Get Group.
func BenchmarkGetGroupFaultRules(b *testing.B) {
	for _, rules := range []bool{false, true} {
		b.Run(fmt.Sprintf("rules=%v", rules), func(b *testing.B) {
			srv := benchServer(b, 1000, emulator.Options{NoListener: true})
			if rules {
				tenInactiveRules(b, srv)
			}
			h := srv.Handler()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("%s/groups/g%d", benchBase, i%1000), nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkMemoryPerGroup reports the heap each stored group costs, from
// 100,000 groups loaded through SetState.
func BenchmarkMemoryPerGroup(b *testing.B) {
	const n = 100_000
	var perGroup float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		srv := benchServer(b, n, emulator.Options{NoListener: true})
		runtime.GC()
		runtime.ReadMemStats(&after)
		perGroup = float64(after.HeapAlloc-before.HeapAlloc) / n
		runtime.KeepAlive(srv)
	}
	b.ReportMetric(perGroup, "B/group")
}
