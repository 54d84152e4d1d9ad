package tlscert_test

import (
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/tlscert"
)

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func TestGenerateNames(t *testing.T) {
	tests := []struct {
		name    string
		hosts   []string
		wantDNS []string
		wantIPs []string
		wantErr string
	}{
		{name: "defaults", wantDNS: []string{"localhost"}, wantIPs: []string{"127.0.0.1", "::1"}},
		{name: "more names", hosts: []string{"emulator", "10.0.0.7", "[fe80::1]", "*.svc.local"},
			wantDNS: []string{"localhost", "emulator", "*.svc.local"}, wantIPs: []string{"127.0.0.1", "::1", "10.0.0.7", "fe80::1"}},
		{name: "duplicates, blanks and wildcards left out", hosts: []string{"LOCALHOST", " ", "", "0.0.0.0", "::", "127.0.0.1", "0:0:0:0:0:0:0:1"},
			wantDNS: []string{"localhost"}, wantIPs: []string{"127.0.0.1", "::1"}},
		{name: "not a name", hosts: []string{"my host"}, wantErr: `host "my host"`},
		{name: "empty label", hosts: []string{"a..b"}, wantErr: `host "a..b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tlscert.Generate(tt.hosts, now)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Generate: got %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			leaf := p.Leaf()
			if !slices.Equal(leaf.DNSNames, tt.wantDNS) {
				t.Errorf("DNS names: got %v, want %v", leaf.DNSNames, tt.wantDNS)
			}
			var ips []string
			for _, ip := range leaf.IPAddresses {
				ips = append(ips, ip.String())
			}
			if !slices.Equal(ips, tt.wantIPs) {
				t.Errorf("IP addresses: got %v, want %v", ips, tt.wantIPs)
			}
		})
	}
}

// A generated certificate verifies, with Go's own verification and only
// itself trusted, for each of its names during its validity, and for no
// other name or time.
func TestGenerateVerifies(t *testing.T) {
	p, err := tlscert.Generate([]string{"emulator.test", "192.0.2.1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	leaf := p.Leaf()
	if !leaf.NotBefore.Equal(now.Add(-time.Hour)) || !leaf.NotAfter.Equal(now.Add(tlscert.Validity)) {
		t.Errorf("validity: got %v to %v, want an hour before %v for %v", leaf.NotBefore, leaf.NotAfter, now, tlscert.Validity)
	}
	if leaf.PublicKeyAlgorithm != x509.ECDSA {
		t.Errorf("key algorithm: got %v, want ECDSA", leaf.PublicKeyAlgorithm)
	}
	tests := []struct {
		host string
		at   time.Time
		ok   bool
	}{
		{"localhost", now, true},
		{"127.0.0.1", now, true},
		{"::1", now, true},
		{"emulator.test", now.Add(300 * 24 * time.Hour), true},
		{"192.0.2.1", now.Add(-30 * time.Minute), true},
		{"example.com", now, false},
		{"localhost", now.Add(tlscert.Validity + time.Second), false},
		{"localhost", now.Add(-2 * time.Hour), false},
	}
	for _, tt := range tests {
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: tt.host, Roots: p.CertPool(), CurrentTime: tt.at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if (err == nil) != tt.ok {
			t.Errorf("Verify(%s at %v): got %v, want ok %v", tt.host, tt.at, err, tt.ok)
		}
	}
	// Another generated certificate is not trusted by this one's pool.
	other, err := tlscert.Generate(nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Leaf().Verify(x509.VerifyOptions{DNSName: "localhost", Roots: p.CertPool(), CurrentTime: now}); err == nil {
		t.Error("another generated certificate verified against this one's pool")
	}
}

// A server with ServerConfig answers a NewClient that trusts the pair, and
// a client with only the system roots refuses it.
func TestHandshake(t *testing.T) {
	p, err := tlscert.Generate(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler:   http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "hello") }),
		TLSConfig: p.ServerConfig(),
		ErrorLog:  nil,
	}
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	t.Cleanup(func() { _ = srv.Close() })
	url := "https://" + ln.Addr().String()

	resp, err := tlscert.NewClient(p.CertPool()).Get(url)
	if err != nil {
		t.Fatalf("GET with the pair trusted: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "hello" {
		t.Errorf("GET: got %q, want hello", b)
	}
	_, err = tlscert.NewClient(nil).Get(url)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("GET with the system roots only: got %v, want x509.UnknownAuthorityError", err)
	}
}

func TestLoadAndReadPool(t *testing.T) {
	dir := t.TempDir()
	p, err := tlscert.Generate([]string{"emulator.test"}, now)
	if err != nil {
		t.Fatal(err)
	}
	other, err := tlscert.Generate(nil, now)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	cert, key, otherKey := write("cert.pem", p.CertPEM), write("key.pem", p.KeyPEM), write("other-key.pem", other.KeyPEM)
	garbage := write("garbage.pem", []byte("not a certificate"))

	loaded, err := tlscert.Load(cert, key)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !loaded.Leaf().Equal(p.Leaf()) || string(loaded.CertPEM) != string(p.CertPEM) {
		t.Errorf("Load: got another certificate than the one written")
	}
	for _, tt := range []struct {
		name, cert, key, want string
	}{
		{"key of another certificate", cert, otherKey, "private key does not match"},
		{"missing key file", cert, filepath.Join(dir, "none.pem"), "no such file"},
		{"not PEM", garbage, key, "failed to find any PEM data"},
	} {
		if _, err := tlscert.Load(tt.cert, tt.key); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load (%s): got %v, want an error containing %q", tt.name, err, tt.want)
		}
	}

	pool, err := tlscert.ReadPool(cert)
	if err != nil {
		t.Fatalf("ReadPool: %v", err)
	}
	if _, err := p.Leaf().Verify(x509.VerifyOptions{DNSName: "emulator.test", Roots: pool, CurrentTime: now}); err != nil {
		t.Errorf("the certificate does not verify against ReadPool's pool: %v", err)
	}
	if _, err := tlscert.ReadPool(garbage); !errors.Is(err, tlscert.ErrNoCertificates) {
		t.Errorf("ReadPool of a file without certificates: got %v, want ErrNoCertificates", err)
	}
}
