package emulator_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// Servers created at the same time, in every way a test can make one,
// share no state: each answers from its own groups, journal and fault
// rules, although the engine that routes the emulated API is built once per
// process.
func TestServersCreatedConcurrentlyDoNotShareState(t *testing.T) {
	type way struct {
		name string
		opts emulator.Options
		wrap bool // serve Handler() from an httptest server of the test's own
	}
	ways := []way{
		{"listener", emulator.Options{}, false},
		{"listener latest", emulator.Options{APIRevision: "latest"}, false},
		{"Handler in process", emulator.Options{NoListener: true}, false},
		{"Handler in process latest", emulator.Options{NoListener: true, APIRevision: "latest"}, false},
		{"Handler behind another http.Server", emulator.Options{NoListener: true}, true},
	}
	const perWay = 4
	type server struct {
		srv  *emulator.Server
		do   func(method, path, body string) (int, string)
		name string
	}
	servers := make([]server, len(ways)*perWay)
	var wg sync.WaitGroup
	errs := make(chan error, len(servers))
	for i := range servers {
		w := ways[i/perWay]
		wg.Go(func() {
			srv, err := emulator.New(w.opts)
			if err != nil {
				errs <- err
				return
			}
			s := server{srv: srv, name: fmt.Sprintf("%s #%d", w.name, i%perWay)}
			switch {
			case w.wrap:
				hs := httptest.NewServer(srv.Handler())
				t.Cleanup(hs.Close)
				s.do = httpDo(hs.URL)
			case w.opts.NoListener:
				s.do = func(method, path, body string) (int, string) {
					rec := serve(srv, method, path, body)
					return rec.Code, rec.Body.String()
				}
			default:
				s.do = httpDo(srv.URL())
			}
			servers[i] = s
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, s := range servers {
		t.Cleanup(func() { s.srv.Close() })
	}

	// Every server gets a group "g" of its own name, at the same time.
	for _, s := range servers {
		wg.Go(func() {
			body := fmt.Sprintf(`{"Id":"g","Name":%q,"FailoverTimeout":"00:00:30"}`, s.name)
			if code, got := s.do(http.MethodPost, preview+"/groups", body); code != http.StatusCreated {
				t.Errorf("%s: Post Group: %d %s", s.name, code, got)
			}
		})
	}
	wg.Wait()
	// A fault rule on the first server only.
	first := servers[0]
	if code, got := first.do(http.MethodPost, "/_emulator/faults",
		`{"Match":{"Operation":"GetGroupConfiguration"},"Action":{"Status":503}}`); code != http.StatusCreated {
		t.Fatalf("adding a fault rule: %d %s", code, got)
	}
	for i, s := range servers {
		code, got := s.do(http.MethodGet, preview+"/groups/g", "")
		switch {
		case i == 0 && code != http.StatusServiceUnavailable:
			t.Errorf("%s: Get Group with its fault rule: %d %s, want 503", s.name, code, got)
		case i > 0 && (code != http.StatusOK || !strings.Contains(got, fmt.Sprintf("%q", s.name))):
			t.Errorf("%s: Get Group: %d %s, want its own group", s.name, code, got)
		}
		// Its own two requests, nobody else's.
		if code, got := s.do(http.MethodGet, "/_emulator/requests/count", ""); code != http.StatusOK || got != `{"Count":2}` {
			t.Errorf("%s: journal count %d %s, want its own 2 requests", s.name, code, got)
		}
	}
}

// httpDo sends requests to base over HTTP.
func httpDo(base string) func(method, path, body string) (int, string) {
	return func(method, path, body string) (int, string) { return post(method, base+path, body) }
}

// A body is read whole whatever its Content-Length says (in process a
// request may carry a wrong one), as far as the body limit.
func TestBodyIsReadWhateverContentLengthSays(t *testing.T) {
	const body = `{"Id":"g","Name":"n","FailoverTimeout":"00:00:30"}`
	for _, tc := range []struct {
		name   string
		length int64
	}{
		{"exact", int64(len(body))},
		{"understated", 3},
		{"overstated", int64(len(body)) + 10},
		{"unknown", -1},
		{"declared larger than it is and than the exact buffer", 100 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{NoListener: true})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			req := httptest.NewRequest(http.MethodPost, preview+"/groups", strings.NewReader(body))
			req.ContentLength = tc.length
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				t.Errorf("Post Group: %d %s, want 201", rec.Code, rec.Body)
			}
		})
	}
}

// The control API, the identity endpoints and unmatched paths are served by
// one engine for every server in the process: each request must still be
// judged by the options of the server it was sent to, the admin token
// above all, however it arrives.
func TestSharedControlEngineUsesEachServersOptions(t *testing.T) {
	for _, noListener := range []bool{false, true} {
		t.Run(fmt.Sprintf("NoListener=%v", noListener), func(t *testing.T) {
			locked, err := emulator.New(emulator.Options{NoListener: noListener, AdminToken: "s3cret", StrictBodies: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { locked.Close() })
			open, err := emulator.New(emulator.Options{NoListener: noListener})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { open.Close() })
			do := func(srv *emulator.Server, path, token string) (int, string) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				if !noListener {
					req, _ = http.NewRequest(http.MethodGet, srv.URL()+path, nil)
				}
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				if noListener {
					rec := httptest.NewRecorder()
					srv.Handler().ServeHTTP(rec, req)
					return rec.Code, rec.Body.String()
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			for _, tc := range []struct {
				name      string
				srv       *emulator.Server
				path      string
				token     string
				want      int
				wantInRes string
			}{
				{"locked without its token", locked, "/_emulator/clock", "", http.StatusUnauthorized, "admin token"},
				{"locked with its token", locked, "/_emulator/clock", "s3cret", http.StatusOK, `"Now"`},
				{"open without a token", open, "/_emulator/clock", "", http.StatusOK, `"Now"`},
				{"locked settings are its own", locked, "/_emulator/config", "s3cret", http.StatusOK, `"StrictBodies":true`},
				{"open settings are its own", open, "/_emulator/config", "", http.StatusOK, `"StrictBodies":false`},
				{"health is public on the locked one", locked, "/_emulator/health", "", http.StatusOK, `"ok"`},
				{"unmatched path", open, "/no/such/path", "", http.StatusNotFound, "Error"},
			} {
				if code, got := do(tc.srv, tc.path, tc.token); code != tc.want || !strings.Contains(got, tc.wantInRes) {
					t.Errorf("%s: %d %s, want %d with %s", tc.name, code, got, tc.want, tc.wantInRes)
				}
			}
		})
	}
}
