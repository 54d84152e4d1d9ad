package tcemulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/log"

	"github.com/adh-emulator/clientfailover/emulator/control"
	"github.com/adh-emulator/clientfailover/tcemulator"
)

// start is where the tests' manual clocks start.
var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// groups is the collection of failover groups of tenant t1, namespace n1.
const groups = "/api/v1-preview/tenants/t1/namespaces/n1/clientfailover/groups"

// runEmulator starts a container with opts, skipping the test when no
// container engine answers, and terminates it when the test ends.
func runEmulator(t *testing.T, opts ...testcontainers.ContainerCustomizer) (*tcemulator.Container, *control.Client, string) {
	t.Helper()
	testcontainers.SkipIfProviderIsNotHealthy(t)
	ctx := t.Context()
	opts = append([]testcontainers.ContainerCustomizer{testcontainers.WithLogger(log.TestLogger(t))}, opts...)
	ctr, err := tcemulator.Run(ctx, tcemulator.DefaultImage, opts...)
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	base, err := ctr.BaseURL(ctx)
	if err != nil {
		t.Fatalf("BaseURL: %v", err)
	}
	ctl, err := ctr.Control(ctx)
	if err != nil {
		t.Fatalf("Control: %v", err)
	}
	return ctr, ctl, base
}

// reply is an answer of the emulated API.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request to the emulated API at base, with a JSON body when
// body is not nil, and a bearer token when token is not "".
func call(t *testing.T, base, token, method, path string, body any) reply {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// must sends a request to the emulated API and fails the test unless it
// answers want.
func must(t *testing.T, base string, want int, method, path string, body any) reply {
	t.Helper()
	r := call(t, base, "", method, path, body)
	if r.status != want {
		t.Fatalf("%s %s: got status %d, want %d; body %s", method, path, r.status, want, r.body)
	}
	return r
}

// decode reads a JSON answer into v.
func decode(t *testing.T, r reply, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// heartbeat is a FailoverHeartbeat body with a score.
func heartbeat(score float64) map[string]any {
	return map[string]any{"FailoverStatus": score, "HeartbeatTime": start.Format(time.RFC3339)}
}
