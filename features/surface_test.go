package features

import (
	"strings"
	"testing"
)

// Paths are told apart as the emulator routes them: the on-premises
// service's under /api/v1/clientfailover and /api/v1/configuration, the
// cloud's under /api/v1-preview and /api/v1/tenants.
func TestSurfaceOfAPath(t *testing.T) {
	for _, tc := range []struct {
		path          string
		onPrem, cloud bool
		rev           revision
	}{
		{"/api/v1/clientfailover", true, false, onprem},
		{"/api/v1/clientfailover/", true, false, onprem},
		{"/API/V1/ClientFailover/Groups/g", true, false, onprem},
		{"/api/v1/clientfailover?x=1", true, false, onprem},
		{"/api/v1/configuration/healthEndpoints", true, false, onprem},
		{"/api/v1/clientfailoverx", false, false, ga},
		{"/api/v1/tenants/t/namespaces/n/clientfailover", false, true, ga},
		{"/api/v1/Tenants/t/namespaces/n/accesscontrol/clientfailover/groups", false, true, ga},
		{"/api/v1-preview/tenants/t/namespaces/n/clientfailover", false, true, preview},
		{"/_emulator/health", false, false, preview},
		{"/identity/connect/token", false, false, preview},
	} {
		if got := isOnPremPath(tc.path); got != tc.onPrem {
			t.Errorf("isOnPremPath(%q) = %v, want %v", tc.path, got, tc.onPrem)
		}
		if got := isCloudPath(tc.path); got != tc.cloud {
			t.Errorf("isCloudPath(%q) = %v, want %v", tc.path, got, tc.cloud)
		}
		if got := revisionOf(tc.path); got != tc.rev {
			t.Errorf("revisionOf(%q) = %s, want %s", tc.path, got.name, tc.rev.name)
		}
	}
}

// A scenario calls the surfaces of the other kind than its run's only when
// tagged to mix them; the placeholders follow the run's default surface.
func TestDefaultSurface(t *testing.T) {
	const cloudPath, onPremPath = "/api/v1-preview/tenants/t/namespaces/n/clientfailover", "/api/v1/clientfailover"
	for _, tc := range []struct {
		base          revision
		mixes         bool
		path          string
		wantErr       string
		api, score    string
		override, via string
	}{
		{base: preview, path: cloudPath, api: "/api/v1-preview/tenants/T/namespaces/N", score: "FailoverStatus", override: "Override"},
		{base: preview, path: onPremPath, wantErr: "tag it @onprem"},
		{base: preview, mixes: true, path: onPremPath},
		{base: onprem, path: onPremPath, api: "/api/v1", score: "FailoverScore", override: "RoleOverride"},
		{base: onprem, path: cloudPath, wantErr: "tag it @cloud"},
		{base: onprem, path: "/api/v1/tenants/t/namespaces/n/clientfailover", wantErr: "tag it @cloud"},
		{base: onprem, mixes: true, path: cloudPath},
		{base: onprem, path: "/_emulator/health"},
	} {
		w := newWorld(&config{base: tc.base})
		w.tenant, w.namespace, w.mixes = "T", "N", tc.mixes
		err := w.checkSurface(tc.path)
		if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("base %s, mixes %v: checkSurface(%q) = %v, want an error with %q", tc.base.name, tc.mixes, tc.path, err, tc.wantErr)
		}
		if tc.api == "" {
			continue
		}
		if got := w.expand("{api}|{score}|{override}"); got != tc.api+"|"+tc.score+"|"+tc.override {
			t.Errorf("base %s: placeholders expand to %q", tc.base.name, got)
		}
		if got := w.rev(" through the v1 API"); got != ga {
			t.Errorf("base %s: through the v1 API is %s, want v1", tc.base.name, got.name)
		}
	}
}

// The Basic credentials go to the on-premises surface, the bearer token to
// the cloud ones.
func TestCredentialsByPath(t *testing.T) {
	c := &config{opts: Options{Token: "tok", User: `PLANT\adapter-1`, Password: "p:w"}}
	if got, want := c.credentials("/api/v1/clientfailover/groups"), "Basic UExBTlRcYWRhcHRlci0xOnA6dw=="; got != want {
		t.Errorf("on-premises: %q, want %q", got, want)
	}
	if got := c.credentials("/api/v1/tenants/t/namespaces/n/clientfailover"); got != "Bearer tok" {
		t.Errorf("cloud: %q, want the bearer token", got)
	}
	c.opts.User = ""
	if got := c.credentials("/api/v1/configuration"); got != "" {
		t.Errorf("on-premises without a user: %q, want none", got)
	}
}

// Run refuses options it cannot honour with status 2.
func TestRunRefusesBadSurfaceOptions(t *testing.T) {
	for _, opts := range []Options{
		{URL: "http://127.0.0.1:1", Surface: "mainframe"},
		{URL: "http://127.0.0.1:1", Password: "no user"},
	} {
		var out strings.Builder
		opts.Output = &out
		if got := Run(opts); got != 2 {
			t.Errorf("Run(%+v) = %d, want 2; said %s", opts, got, out.String())
		}
	}
}
