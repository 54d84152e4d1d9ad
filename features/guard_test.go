package features

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// A run never destroys a user's data silently: against an emulator that
// holds data, the @emulator scenarios (which reset it) make Run refuse to
// start, naming --allow-reset; with AllowReset it runs.
func TestRunRefusesToResetAnEmulatorWithData(t *testing.T) {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	resp, err := http.Post(srv.URL()+"/api/v1/tenants/mine/namespaces/n/clientfailover/groups", "application/json",
		strings.NewReader(`{"Id":"keep-me","FailoverTimeout":"00:01:00"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	var out bytes.Buffer
	opts := Options{URL: srv.URL(), Tags: "@emulator && @guard-probe", Output: &out}
	if status := Run(opts); status != 2 || !strings.Contains(out.String(), "--allow-reset") || !strings.Contains(out.String(), "1 failover groups") {
		t.Fatalf("Run against an emulator with data: status %d, output %q; want 2 and a message naming --allow-reset and what it holds", status, out.String())
	}
	if doc := srv.State(t.Context()); len(doc.Namespaces) != 1 {
		t.Fatal("the refused run changed the emulator")
	}
	out.Reset()
	opts.AllowReset = true
	if status := Run(opts); status != 0 {
		t.Fatalf("Run with AllowReset: status %d\n%s", status, out.String())
	}
}

// Against a server without the control API (the real service), the
// @emulator scenarios are left out, saying so.
func TestRunLeavesOutEmulatorScenariosWithoutAControlAPI(t *testing.T) {
	bare := httptest.NewServer(http.NotFoundHandler())
	defer bare.Close()
	var out bytes.Buffer
	// No scenario is tagged @guard-probe: only the choice of scenarios is tested.
	status := Run(Options{URL: bare.URL, Tags: "@guard-probe", Output: &out})
	if status != 0 || !strings.Contains(out.String(), "are left out") {
		t.Fatalf("status %d, output %q; want 0 and a note that the @emulator scenarios are left out", status, out.String())
	}
}
