package emulator_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// The discovery document names Options.PublicURL when it is set, and
// otherwise the scheme and Host the request came with.
func TestDiscoveryIssuer(t *testing.T) {
	tests := []struct {
		name, publicURL, host, wantIssuer string
	}{
		{"the request's host", "", "h.test:1234", "http://h.test:1234/identity"},
		{"public URL", "https://emulator.example:8443", "h.test:1234", "https://emulator.example:8443/identity"},
		{"public URL with a path and a trailing slash", "https://proxy.example/emulator/", "h.test", "https://proxy.example/emulator/identity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startInProcess(t, emulator.Options{PublicURL: tt.publicURL})
			req := httptest.NewRequest(http.MethodGet, "/identity/.well-known/openid-configuration", nil)
			req.Host = tt.host
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			var doc struct{ Issuer, Token_endpoint string }
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatalf("discovery: %v: %s", err, rec.Body)
			}
			if doc.Issuer != tt.wantIssuer || doc.Token_endpoint != tt.wantIssuer+"/connect/token" {
				t.Errorf("discovery: got issuer %q, token endpoint %q, want %q and %q/connect/token", doc.Issuer, doc.Token_endpoint, tt.wantIssuer, tt.wantIssuer)
			}
		})
	}
	for _, bad := range []string{"emulator.example", "ftp://emulator.example", "https://", "https://e.example/?x=1", "https://e.example/#f", "https://u:p@e.example", "::"} {
		if srv, err := emulator.New(emulator.Options{NoListener: true, PublicURL: bad}); err == nil {
			srv.Close()
			t.Errorf("New with PublicURL %q: got a server, want an error", bad)
		}
	}
}

// The token endpoint reads its form within MaxBodyBytes, like any body: a
// larger form gets 413, whether its length is announced or not.
func TestTokenFormIsBounded(t *testing.T) {
	const limit = 1024
	srv := startInProcess(t, emulator.Options{MaxBodyBytes: limit})
	form := func(size int) string {
		f := url.Values{"grant_type": {"client_credentials"}, "client_id": {"c"}}.Encode() + "&pad="
		return f + strings.Repeat("x", size-len(f))
	}
	tests := []struct {
		name    string
		body    string
		chunked bool
		want    int
	}{
		{"a form within the limit", form(limit), false, http.StatusOK},
		{"a form over the limit", form(limit + 1), false, http.StatusRequestEntityTooLarge},
		{"a chunked form within the limit", form(limit), true, http.StatusOK},
		{"a chunked form over the limit", form(4 * limit), true, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/identity/connect/token", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.chunked {
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("POST a %d-byte form: got %d %s, want %d", len(tt.body), rec.Code, rec.Body, tt.want)
			}
			if tt.want == http.StatusRequestEntityTooLarge {
				var e struct{ Error, Error_description string }
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error != "invalid_request" || !strings.Contains(e.Error_description, fmt.Sprint(limit)) {
					t.Errorf("413 body: got %s, want an OAuth error naming the limit", rec.Body)
				}
			}
		})
	}
}

// With ExportOnExit, Close writes the whole state, identities included, to
// the file, readable by its owner only and complete (no temporary file is
// left); loading it gives the same state.
func TestExportOnExit(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "state.json")
	if err := os.WriteFile(file, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New(emulator.Options{NoListener: true, Fixtures: "../fixtures/auth.json", ExportOnExit: file})
	if err != nil {
		t.Fatal(err)
	}
	before := setupBaseState(t, srv)
	if before.Identities == nil || len(before.Identities.Clients) == 0 {
		t.Fatal("the fixture has no clients to export")
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the export's mode: got %v, want 0600", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the export: %v", len(entries), entries)
	}
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := json.MarshalIndent(before, "", "  "); string(exported) != string(want)+"\n" {
		t.Errorf("the export is not the state:\ngot  %s\nwant %s", exported, want)
	}
	if _, err := fixture.Load(file); err != nil {
		t.Fatalf("loading the export as a fixture: %v", err)
	}
	// And it loads back as the same state.
	again := startInProcess(t, emulator.Options{Fixtures: file})
	if ok, diff := sameState(before, again.State(context.Background())); !ok {
		t.Errorf("the state loaded from the export differs:\n%s", diff)
	}

	if srv, err := emulator.New(emulator.Options{NoListener: true, ExportOnExit: filepath.Join(dir, "none", "state.json")}); err == nil {
		srv.Close()
		t.Error("New with ExportOnExit in a missing folder: got a server, want an error")
	}
}

// Close lets an in-flight request run for the grace period and then closes
// its connection: a client that never finishes its upload cannot hold the
// stop up, and the stop is still a clean one (nil).
func TestCloseCutsOffUnfinishedRequests(t *testing.T) {
	srv := startListening(t, emulator.Options{ShutdownGrace: 100 * time.Millisecond})
	conn := dialServer(t, srv)
	// Expect: 100-continue makes the server say when the handler starts
	// reading the body: then the request is in flight.
	if _, err := fmt.Fprintf(conn, "POST %s/groups HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n", previewBase); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
		t.Fatalf("got %q (%v), want HTTP/1.1 100 Continue", line, err)
	}
	if _, err := io.WriteString(conn, `{"Id":"g",`); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: got %v, want nil (unfinished requests are cut off)", err)
	}
	rest, _ := io.ReadAll(r)
	if i := bytes.Index(rest, []byte("HTTP/1.1 ")); i >= 0 && !bytes.HasPrefix(rest[i:], []byte("HTTP/1.1 100")) {
		t.Errorf("the cut-off request got an answer: %q", rest)
	}
}
