package emulator_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
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
	body := func(i int) []byte {
		return fmt.Appendf(nil, `{"Id":"new-%d","Name":"n","Description":null,"FailoverTimeout":"00:01:00"}`, i+1)
	}
	benchInProcess(b, srv.Handler(), http.MethodPost, benchBase+"/groups", body, http.StatusCreated)
}

func BenchmarkListPage(b *testing.B) {
	srv := benchServer(b, 100_000, emulator.Options{NoListener: true})
	benchInProcess(b, srv.Handler(), http.MethodGet, benchBase+"/groups?skip=50000&count=100", nil, http.StatusOK)
}
