package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/dashboard"
)

// The dashboard's assets are served without the admin token (they hold no
// data, and the page must load to ask for the token), while everything the
// page reads still needs it. /_emulator/ui redirects to the page.
func TestDashboardRoutes(t *testing.T) {
	srv, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual, AdminToken: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if rec := serve(srv, http.MethodPost, preview+"/groups", `{"Id":"secret-group","FailoverTimeout":"00:00:30"}`); rec.Code != http.StatusCreated {
		t.Fatalf("post group: %d %s", rec.Code, rec.Body)
	}

	for _, tc := range []struct {
		path, contentType string
	}{
		{emulator.DashboardPath, "text/html; charset=utf-8"},
		{emulator.DashboardPath + "index.html", "text/html; charset=utf-8"},
		{emulator.DashboardPath + "dashboard.css", "text/css; charset=utf-8"},
		{emulator.DashboardPath + "dashboard.js", "text/javascript; charset=utf-8"},
	} {
		rec := serve(srv, http.MethodGet, tc.path, "")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tc.contentType {
			t.Errorf("GET %s without the token: %d %q, want 200 %q", tc.path, rec.Code, rec.Header().Get("Content-Type"), tc.contentType)
		}
		if rec.Header().Get("Content-Security-Policy") != dashboard.ContentSecurityPolicy {
			t.Errorf("GET %s: no content security policy", tc.path)
		}
		if strings.Contains(rec.Body.String(), "secret-group") {
			t.Errorf("GET %s: the asset holds data", tc.path)
		}
	}
	if rec := serve(srv, http.MethodGet, "/_emulator/ui", ""); rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "ui/" {
		t.Errorf("GET /_emulator/ui: %d Location %q, want 301 to ui/", rec.Code, rec.Header().Get("Location"))
	}
	rec := serve(srv, http.MethodGet, emulator.DashboardPath+"nope.js", "")
	var er struct{ Error, Reason string }
	if rec.Code != http.StatusNotFound || json.Unmarshal(rec.Body.Bytes(), &er) != nil || !strings.Contains(er.Reason, "nope.js") {
		t.Errorf("GET an unknown asset: %d %s, want a 404 ErrorResponse naming it", rec.Code, rec.Body)
	}
	for _, path := range []string{"/_emulator/state", "/_emulator/events", "/_emulator/events/stream", "/_emulator/requests"} {
		if rec := serve(srv, http.MethodGet, path, ""); rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s without the token: %d, want 401", path, rec.Code)
		}
	}
}
