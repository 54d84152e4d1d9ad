package emulator_test

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/tlscert"
)

// get sends a GET through client and returns the status, content type and
// body.
func get(t *testing.T, client *http.Client, url string, header ...string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// With TLS every surface, the control API and the identity endpoints are
// served over HTTPS, to a client that trusts the served certificate with
// Go's default verification; a client that does not trust it is refused.
func TestTLSGeneratedCertificate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cert.pem")
	srv := startListening(t, emulator.Options{TLS: &emulator.TLSOptions{Hosts: []string{"emulator.test", "192.0.2.7"}, CertOut: out}})
	if !strings.HasPrefix(srv.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL: got %q, want https://127.0.0.1:PORT", srv.URL())
	}
	cert := srv.Certificate()
	if cert == nil {
		t.Fatal("Certificate: got nil")
	}
	for _, host := range []string{"localhost", "127.0.0.1", "::1", "emulator.test", "192.0.2.7"} {
		if err := cert.VerifyHostname(host); err != nil {
			t.Errorf("the certificate does not name %s: %v", host, err)
		}
	}
	if d := time.Until(cert.NotAfter); d < 364*24*time.Hour || d > 366*24*time.Hour {
		t.Errorf("the certificate is valid until %v, want a year from now (wall time)", cert.NotAfter)
	}

	client := srv.Client()
	if srv.Client() != client {
		t.Error("Client: got a new client on the second call, want the same one")
	}
	for _, path := range []string{
		"/_emulator/health",
		previewBase + "/groups",
		gaBase + "/groups",
		"/api/v1/clientfailover/groups",
		"/identity/.well-known/openid-configuration",
	} {
		if status, _, body := get(t, client, srv.URL()+path); status != http.StatusOK {
			t.Errorf("GET %s over HTTPS: got %d %s, want 200", path, status, body)
		}
	}
	_, _, doc := get(t, client, srv.URL()+"/identity/.well-known/openid-configuration")
	var discovery struct{ Issuer string }
	if err := json.Unmarshal(doc, &discovery); err != nil || discovery.Issuer != srv.URL()+"/identity" {
		t.Errorf("discovery issuer: got %q (%v), want %s/identity", discovery.Issuer, err, srv.URL())
	}

	status, contentType, body := get(t, client, srv.URL()+"/_emulator/tls/certificate")
	if status != http.StatusOK || contentType != "application/x-pem-file" || string(body) != string(srv.CertificatePEM()) {
		t.Errorf("GET /_emulator/tls/certificate: got %d %q %q, want 200 application/x-pem-file and the served certificate", status, contentType, body)
	}
	if block, _ := pem.Decode(body); block == nil || block.Type != "CERTIFICATE" {
		t.Errorf("GET /_emulator/tls/certificate: got %q, want a PEM certificate", body)
	} else if c, err := x509.ParseCertificate(block.Bytes); err != nil || !c.Equal(cert) {
		t.Errorf("GET /_emulator/tls/certificate: not the served certificate (%v)", err)
	}
	written, err := os.ReadFile(out)
	if err != nil || string(written) != string(srv.CertificatePEM()) {
		t.Errorf("CertOut: got %q (%v), want the served certificate", written, err)
	}

	// A client with only the system's roots does not trust it, nor does
	// one trusting another generated certificate.
	other, err := tlscert.Generate(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*http.Client{"system roots": tlscert.NewClient(nil), "another certificate": tlscert.NewClient(other.CertPool())} {
		_, err := c.Get(srv.URL() + "/_emulator/health")
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) {
			t.Errorf("a client trusting %s: got %v, want x509.UnknownAuthorityError", name, err)
		}
	}
	// Plain HTTP to the HTTPS port gets net/http's 400, not an answer.
	if status, _, _ := get(t, http.DefaultClient, "http"+strings.TrimPrefix(srv.URL(), "https")+"/_emulator/health"); status != http.StatusBadRequest {
		t.Errorf("plain HTTP to the HTTPS port: got %d, want 400", status)
	}
}

// HTTPS serves HTTP/1.1, as plain HTTP does, so connection-level faults
// (Drop) behave the same.
func TestTLSServesHTTP11(t *testing.T) {
	srv := startListening(t, emulator.Options{TLS: &emulator.TLSOptions{}})
	client := tlscert.NewClient(srv.CertPool())
	client.Transport.(*http.Transport).ForceAttemptHTTP2 = true
	resp, err := client.Get(srv.URL() + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Proto != "HTTP/1.1" {
		t.Errorf("protocol: got %s, want HTTP/1.1", resp.Proto)
	}
}

// A user's own pair is served as it is: a client trusting the user's
// certificate file (and nothing else) gets through.
func TestTLSUserSuppliedPair(t *testing.T) {
	dir := t.TempDir()
	pair, err := tlscert.Generate([]string{"my-emulator.test"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	if err := os.WriteFile(certFile, pair.CertPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pair.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startListening(t, emulator.Options{TLS: &emulator.TLSOptions{CertFile: certFile, KeyFile: keyFile, Hosts: []string{"ignored.test"}}})
	if !srv.Certificate().Equal(pair.Leaf()) {
		t.Fatal("Certificate: not the user's certificate")
	}
	if slices.Contains(srv.Certificate().DNSNames, "ignored.test") {
		t.Error("Hosts were added to the user's certificate")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pair.CertPEM) {
		t.Fatal("no certificate in the pair")
	}
	if status, _, body := get(t, tlscert.NewClient(pool), srv.URL()+previewBase+"/groups"); status != http.StatusOK {
		t.Errorf("GET over HTTPS with the user's certificate trusted: got %d %s", status, body)
	}
}

func TestTLSOptionErrors(t *testing.T) {
	dir := t.TempDir()
	pair, err := tlscert.Generate(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	certFile := filepath.Join(dir, "c.pem")
	if err := os.WriteFile(certFile, pair.CertPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts emulator.Options
		want string
	}{
		{"certificate without key", emulator.Options{TLS: &emulator.TLSOptions{CertFile: certFile}}, "give both"},
		{"key without certificate", emulator.Options{TLS: &emulator.TLSOptions{KeyFile: certFile}}, "give both"},
		{"a key file that is no key", emulator.Options{TLS: &emulator.TLSOptions{CertFile: certFile, KeyFile: certFile}}, "TLS: tlscert"},
		{"missing files", emulator.Options{TLS: &emulator.TLSOptions{CertFile: filepath.Join(dir, "x"), KeyFile: filepath.Join(dir, "y")}}, "no such file"},
		{"bad host name", emulator.Options{TLS: &emulator.TLSOptions{Hosts: []string{"not a host"}}}, `"not a host"`},
		{"certificate out to a missing folder", emulator.Options{TLS: &emulator.TLSOptions{CertOut: filepath.Join(dir, "none", "c.pem")}}, "writing the certificate"},
		{"no listener", emulator.Options{NoListener: true, TLS: &emulator.TLSOptions{}}, "NoListener"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Addr = "127.0.0.1:0"
			srv, err := emulator.New(tt.opts)
			if err == nil {
				srv.Close()
				t.Fatalf("New: got a server, want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.HasPrefix(err.Error(), "emulator:") {
				t.Errorf("New: got %q, want an error containing %q (without an emulator: prefix: the caller names the program)", err, tt.want)
			}
		})
	}
}

// Over plain HTTP there is no certificate: 404 with an ErrorResponse.
func TestNoCertificateOverHTTP(t *testing.T) {
	srv := startListening(t, emulator.Options{})
	if srv.Certificate() != nil || srv.CertificatePEM() != nil || srv.CertPool() != nil {
		t.Error("a plain HTTP server reports a certificate")
	}
	status, _, body := get(t, srv.Client(), srv.URL()+"/_emulator/tls/certificate")
	if status != http.StatusNotFound {
		t.Fatalf("GET /_emulator/tls/certificate over HTTP: got %d, want 404", status)
	}
	if problem := errorResponseProblem(body); problem != "" {
		t.Errorf("the 404: %s", problem)
	}
}

// The health check and the certificate never need the admin token; the
// rest of the control API does.
func TestPublicControlEndpoints(t *testing.T) {
	srv := startListening(t, emulator.Options{AdminToken: "s3cret", TLS: &emulator.TLSOptions{}})
	client := srv.Client()
	tests := []struct {
		path, token string
		want        int
	}{
		{"/_emulator/health", "", http.StatusOK},
		{"/_emulator/health", "wrong", http.StatusOK},
		{"/_emulator/tls/certificate", "", http.StatusOK},
		{"/_emulator/clock", "", http.StatusUnauthorized},
		{"/_emulator/state", "wrong", http.StatusUnauthorized},
		{"/_emulator/clock", "s3cret", http.StatusOK},
	}
	for _, tt := range tests {
		var header []string
		if tt.token != "" {
			header = []string{"Authorization", "Bearer " + tt.token}
		}
		if status, _, body := get(t, client, srv.URL()+tt.path, header...); status != tt.want {
			t.Errorf("GET %s with token %q: got %d %s, want %d", tt.path, tt.token, status, body, tt.want)
		}
	}
	_, _, body := get(t, client, srv.URL()+"/_emulator/health")
	var health map[string]any
	if err := json.Unmarshal(body, &health); err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"Status": "ok", "Version": emulator.BuildVersion()}; !jsonEqual(health, want) {
		t.Errorf("health: got %v, want %v", health, want)
	}
	if emulator.BuildVersion() == "" {
		t.Error("BuildVersion: got \"\"")
	}
}
