package control_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/control"
)

// start is where the tests' manual clocks start.
var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// api is the emulated API's root for the tenant and namespace the tests use.
const api = "/api/v1-preview/tenants/t1/namespaces/n1/clientfailover"

// startEmulator runs an in-process emulator on a free port, with a manual
// clock at start unless opts says otherwise, and closes it when the test
// ends.
func startEmulator(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	if opts.Clock == "" {
		opts.Clock = clock.Manual
	}
	if opts.ClockStart.IsZero() {
		opts.ClockStart = start
	}
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// newClient starts an emulator with opts and returns a control client for
// it (with the admin token when opts has one).
func newClient(t *testing.T, opts emulator.Options) (*control.Client, *emulator.Server) {
	t.Helper()
	srv := startEmulator(t, opts)
	return control.New(srv.URL(), control.WithAdminToken(opts.AdminToken)), srv
}

// callAPI calls the emulated API and returns the status, headers and body.
// A transport error fails the test.
func callAPI(t *testing.T, srv *emulator.Server, method, path string, body any) (int, http.Header, []byte) {
	t.Helper()
	status, header, b, err := tryAPI(t.Context(), srv, method, path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return status, header, b
}

// tryAPI calls the emulated API and returns a transport error rather than
// failing (for dropped connections).
func tryAPI(ctx context.Context, srv *emulator.Server, method, path string, body any) (int, http.Header, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL()+path, r)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// A fresh connection each time, so a connection dropped by a fault rule
	// is not retried by the transport (as it does for an idempotent request
	// on a reused connection).
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// mustAPI calls the emulated API and fails the test unless it answers want.
func mustAPI(t *testing.T, srv *emulator.Server, want int, method, path string, body any) []byte {
	t.Helper()
	status, _, b := callAPI(t, srv, method, path, body)
	if status != want {
		t.Fatalf("%s %s: got status %d, want %d; body %s", method, path, status, want, b)
	}
	return b
}

// heartbeat is a FailoverHeartbeat body with a score.
func heartbeat(score float64) map[string]any {
	return map[string]any{"FailoverStatus": score, "HeartbeatTime": start.Format(time.RFC3339)}
}
