package dashboard_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator/dashboard"
)

func newPage(t *testing.T) *dashboard.Page {
	t.Helper()
	p, err := dashboard.New(dashboard.Info{Operations: []string{"GetGroupStatus", "PostHeartbeatMessage"}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Every asset is served with its content type, the content security
// policy and no sniffing; unknown names are left to the caller.
func TestServeAssets(t *testing.T) {
	p := newPage(t)
	for _, tc := range []struct {
		name, contentType, contains string
	}{
		{"", "text/html; charset=utf-8", `<option>PostHeartbeatMessage</option>`},
		{"index.html", "text/html; charset=utf-8", `<script src="dashboard.js" defer></script>`},
		{"dashboard.css", "text/css; charset=utf-8", "rect.band"},
		{"dashboard.js", "text/javascript; charset=utf-8", "events/stream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if !p.Serve(rec, httptest.NewRequest(http.MethodGet, "/x", nil), tc.name) {
				t.Fatal("Serve: not found")
			}
			h := rec.Result().Header
			if rec.Code != http.StatusOK || h.Get("Content-Type") != tc.contentType || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("got %d %q, body has %q: %v", rec.Code, h.Get("Content-Type"), tc.contains, strings.Contains(rec.Body.String(), tc.contains))
			}
			if h.Get("Content-Security-Policy") != dashboard.ContentSecurityPolicy || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", h)
			}
			// A revalidation of an unchanged asset is a 304 without a body.
			req := httptest.NewRequest(http.MethodGet, "/x", nil)
			req.Header.Set("If-None-Match", h.Get("ETag"))
			again := httptest.NewRecorder()
			p.Serve(again, req, tc.name)
			if h.Get("ETag") == "" || again.Code != http.StatusNotModified || again.Body.Len() != 0 {
				t.Errorf("revalidation with ETag %q: %d, %d bytes", h.Get("ETag"), again.Code, again.Body.Len())
			}
		})
	}
	for _, name := range []string{"nope.js", "../dashboard.go", "assets/index.html", "index.htm"} {
		rec := httptest.NewRecorder()
		if p.Serve(rec, httptest.NewRequest(http.MethodGet, "/x", nil), name) || rec.Body.Len() != 0 || len(rec.Header()) != 0 {
			t.Errorf("Serve(%q) served something", name)
		}
	}
}

// The page loads nothing from elsewhere and runs no inline script, so the
// content security policy holds it to its own assets.
func TestPageIsSelfContained(t *testing.T) {
	p := newPage(t)
	for _, name := range p.Names() {
		rec := httptest.NewRecorder()
		p.Serve(rec, httptest.NewRequest(http.MethodGet, "/x", nil), name)
		// The SVG namespace is a name, not something loaded.
		body := strings.ReplaceAll(rec.Body.String(), "http://www.w3.org/2000/svg", "")
		for _, bad := range []string{"http://", "https://", "<script>", " style=", "onclick=", "innerHTML"} {
			if strings.Contains(body, bad) {
				t.Errorf("%q contains %q", name, bad)
			}
		}
	}
}
