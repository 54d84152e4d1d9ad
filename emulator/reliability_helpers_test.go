package emulator_test

// Helpers shared by the reliability tests: fuzz_test.go, concurrency_test.go,
// load_test.go and limits_test.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// Base paths of tenant "t", namespace "n" in both revisions, and the
// collection list (served under /api/v1 only).
const (
	previewBase       = "/api/v1-preview/tenants/t/namespaces/n/clientfailover"
	gaBase            = "/api/v1/tenants/t/namespaces/n/clientfailover"
	collectionACLPath = "/api/v1/tenants/t/namespaces/n/accesscontrol/clientfailover/groups"
)

// startInProcess starts an emulator without a listener on a manual clock,
// closed when tb ends.
func startInProcess(tb testing.TB, opts emulator.Options) *emulator.Server {
	tb.Helper()
	opts.NoListener = true
	if opts.Clock == "" {
		opts.Clock = clock.Manual
	}
	srv, err := emulator.New(opts)
	if err != nil {
		tb.Fatalf("emulator.New: %v", err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return srv
}

// startListening starts an emulator on a free loopback port, closed when tb
// ends.
func startListening(tb testing.TB, opts emulator.Options) *emulator.Server {
	tb.Helper()
	opts.Addr = "127.0.0.1:0"
	opts.NoListener = false
	srv, err := emulator.New(opts)
	if err != nil {
		tb.Fatalf("emulator.New: %v", err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return srv
}

// handle sends one request through h in process.
func handle(h http.Handler, method, path string, body []byte) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, rd))
	return rec
}

// mustHandle is handle for set-up requests that must succeed.
func mustHandle(tb testing.TB, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	tb.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	rec := handle(h, method, path, b)
	if rec.Code >= 300 {
		tb.Fatalf("%s %s: got status %d, want 2xx: %s", method, path, rec.Code, rec.Body)
	}
	return rec
}

// errorResponseProblem says what is wrong with an error answer's body, or
// returns "" when it is an ErrorResponse with non-empty OperationId, Error,
// Reason and Resolution.
func errorResponseProblem(body []byte) string {
	var e map[string]any
	if err := json.Unmarshal(body, &e); err != nil {
		return fmt.Sprintf("body is not a JSON object (%v): %q", err, body)
	}
	for _, k := range []string{"OperationId", "Error", "Reason", "Resolution"} {
		if s, _ := e[k].(string); s == "" {
			return fmt.Sprintf("ErrorResponse.%s is %v, want a non-empty string: %s", k, e[k], body)
		}
	}
	return ""
}

// sameState reports whether two states are equal, and if not, both as JSON.
func sameState(before, after fixture.Document) (bool, string) {
	if reflect.DeepEqual(before, after) {
		return true, ""
	}
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	return false, fmt.Sprintf("before: %s\nafter:  %s", b, a)
}

// setupBaseState puts the reliability tests' usual start state in place:
// group g (timeout 30 s) with session s1, the Primary after one heartbeat,
// and session s2, which never sent one. It returns that state.
func setupBaseState(tb testing.TB, srv *emulator.Server) fixture.Document {
	tb.Helper()
	h := srv.Handler()
	mustHandle(tb, h, http.MethodPost, previewBase+"/groups", `{"Id":"g","Name":"G","FailoverTimeout":"00:00:30"}`)
	mustHandle(tb, h, http.MethodPost, previewBase+"/groups/g/clientsessions", `{"Id":"s1","Name":"one"}`)
	mustHandle(tb, h, http.MethodPost, previewBase+"/groups/g/clientsessions", `{"Id":"s2","Name":"two"}`)
	mustHandle(tb, h, http.MethodPost, previewBase+"/groups/g/clientsessions/s1/heartbeat", `{"FailoverStatus":100}`)
	return srv.State(context.Background())
}

// apiClient calls one emulator over real HTTP.
type apiClient struct {
	base string
	http *http.Client
}

// newAPIClient returns a client for srv with room for conns idle
// connections, closed when tb ends.
func newAPIClient(tb testing.TB, srv *emulator.Server, conns int) *apiClient {
	tb.Helper()
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	tb.Cleanup(tr.CloseIdleConnections)
	return &apiClient{base: srv.URL(), http: &http.Client{Transport: tr}}
}

// reply is one answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request; body "" sends none.
func (c *apiClient) do(ctx context.Context, method, path, body string) (reply, error) {
	var rd io.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: reading the body: %w", method, path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// must is do for requests that must answer one of the given statuses.
func (c *apiClient) must(tb testing.TB, method, path, body string, want ...int) reply {
	tb.Helper()
	r, err := c.do(context.Background(), method, path, body)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	for _, w := range want {
		if r.status == w {
			return r
		}
	}
	tb.Fatalf("%s %s: got status %d, want one of %v: %s", method, path, r.status, want, r.body)
	return r
}
