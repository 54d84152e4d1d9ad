package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// call sends a request to a running emulator and fails the test unless the
// answer is 2xx; it returns the body.
func call(t *testing.T, method, url, body string) []byte {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: got %d %s, want 2xx", method, url, resp.StatusCode, b)
	}
	return b
}

// startFixture holds identities with secrets and an on-premises
// configuration with a password, for the export to carry.
const startFixture = `{
  "Identities": {
    "Clients": [{"Id": "adapter", "Secret": "adapter-secret", "TenantId": "t1", "Roles": ["Tenant Contributor"]}],
    "Users": [{"Id": "alice", "TenantId": "t1", "Roles": ["Tenant Administrator"], "Tokens": ["alice-token"]}]
  },
  "OnPremises": {
    "Groups": [],
    "Configuration": {
      "Logging": {"LogLevel": "Debug"},
      "HealthEndpoints": [{"Id": "e1", "Endpoint": "https://health.example/hook", "Username": "svc", "Password": "hunter2",
        "ClientId": null, "ClientSecret": null, "TokenEndpoint": null, "ValidateEndpointCertificate": true}]
    }
  }
}`

// --export-on-exit writes the whole state on SIGTERM (mode 0600, secrets
// included); starting again with --fixtures and the manual clock at the
// exported time gives the same state.
func TestExportOnExitRoundTrip(t *testing.T) {
	bin := buildEmulator(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "state.json")
	start := filepath.Join(dir, "start.json")
	if err := os.WriteFile(start, []byte(startFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startProcess(t, bin, []string{"EMULATOR_EXPORT_ON_EXIT=" + file}, "--addr", "127.0.0.1:0",
		"--clock", "manual", "--clock-start", "2026-01-02T03:04:05Z", "--fixtures", start)
	preview := p.base + "/api/v1-preview/tenants/t1/namespaces/n1/clientfailover/groups"
	ga := p.base + "/api/v1/tenants/t2/namespaces/n2/clientfailover/groups"
	onprem := p.base + "/api/v1/clientfailover/groups"
	for _, r := range []struct{ method, url, body string }{
		{http.MethodPost, preview, `{"Id":"g1","Name":"Line 1","FailoverTimeout":"00:00:30"}`},
		{http.MethodPost, preview + "/g1/clientsessions", `{"Id":"a","Name":"adapter a"}`},
		{http.MethodPost, preview + "/g1/clientsessions", `{"Id":"b","Name":"adapter b"}`},
		{http.MethodPost, preview + "/g1/clientsessions/a/heartbeat", `{"FailoverStatus":100,"LastDataProcessedTime":"2026-01-02T03:04:00Z"}`},
		{http.MethodPost, preview + "/g1/clientsessions/b/heartbeat", `{"FailoverStatus":90}`},
		{http.MethodPost, ga, `{"Id":"g2","FailoverTimeout":"00:01:00","AdditionalData":{"Plant":"A"}}`},
		{http.MethodPost, ga + "/g2/clientsessions", `{"Id":"c"}`},
		{http.MethodPost, ga + "/g2/clientsessions/c/heartbeat", `{"FailoverScore":80}`},
		{http.MethodPost, onprem, `{"Id":"op","FailoverTimeout":"00:00:20"}`},
		{http.MethodPost, onprem + "/op/clientsessions", `{"Id":"local"}`},
		{http.MethodPost, onprem + "/op/clientsessions/local/heartbeat", `{"FailoverScore":100}`},
		{http.MethodPost, p.base + "/_emulator/clock/advance", `{"By":"00:00:40"}`},
		{http.MethodPost, preview + "/g1/clientsessions/b/heartbeat", `{"FailoverStatus":95}`},
	} {
		call(t, r.method, r.url, r.body)
	}
	before := call(t, http.MethodGet, p.base+"/_emulator/state", "")
	var clk struct{ Now string }
	if err := json.Unmarshal(call(t, http.MethodGet, p.base+"/_emulator/clock", ""), &clk); err != nil {
		t.Fatal(err)
	}
	if code := p.stop(t); code != 0 {
		t.Fatalf("exit status %d, want 0\nstderr:\n%s", code, p.stderr.String())
	}

	info, err := os.Stat(file)
	if err != nil {
		t.Fatalf("the export: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the export's mode: got %v, want 0600", info.Mode().Perm())
	}
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"Secret": "adapter-secret"`, `"Password": "hunter2"`, `"LogLevel": "Debug"`, `"Id": "op"`, `"Plant": "A"`} {
		if !bytes.Contains(exported, []byte(want)) {
			t.Errorf("the export lacks %s", want)
		}
	}

	again := startProcess(t, bin, []string{}, "--addr", "127.0.0.1:0", "--fixtures", file, "--clock", "manual", "--clock-start", clk.Now)
	after := call(t, http.MethodGet, again.base+"/_emulator/state", "")
	var b, a any
	if err := json.Unmarshal(before, &b); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(after, &a); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the state after the round trip differs:\nbefore: %s\nafter:  %s", before, after)
	}
	if code := again.stop(t); code != 0 {
		t.Errorf("second run: exit status %d, want 0", code)
	}
}

// A version set at build time (-ldflags -X) is what --version, the version
// command and the health check show.
func TestBuildVersion(t *testing.T) {
	const v = "9.8.7-test"
	bin := buildEmulator(t, "-ldflags=-X github.com/adh-emulator/clientfailover/emulator.buildVersion="+v)
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil || string(out) != v+"\n" {
			t.Errorf("%v: got %q (%v), want %q", args, out, err, v+"\n")
		}
	}
	p := startProcess(t, bin, []string{}, "--addr", "127.0.0.1:0")
	var health struct{ Status, Version string }
	if err := json.Unmarshal(call(t, http.MethodGet, p.base+"/_emulator/health", ""), &health); err != nil {
		t.Fatal(err)
	}
	if health.Status != "ok" || health.Version != v {
		t.Errorf("health: got %+v, want Status ok, Version %s", health, v)
	}
	if code := p.stop(t); code != 0 { // then its standard error is complete
		t.Errorf("exit status %d, want 0", code)
	}
	if !strings.Contains(p.stderr.String(), "version="+v) {
		t.Errorf("the start line does not name the version:\n%s", p.stderr.String())
	}
}
