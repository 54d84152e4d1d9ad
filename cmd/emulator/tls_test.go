package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/tlscert"
)

// httpsGet GETs url with client and fails the test unless it answers 200.
func httpsGet(t *testing.T, client *http.Client, url string) []byte {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: got %d %s (%v), want 200", url, resp.StatusCode, b, err)
	}
	return b
}

// The binary with --tls: the first line names an https URL, the
// certificate written with --tls-cert-out is the one served (and at
// /_emulator/tls/certificate), Go's default verification accepts it once
// trusted and refuses it otherwise, and healthcheck and conformance work
// against it given the certificate.
func TestBinaryServesHTTPS(t *testing.T) {
	bin := buildEmulator(t)
	certOut := filepath.Join(t.TempDir(), "cert.pem")
	p := startProcess(t, bin, []string{"EMULATOR_TLS_HOST=emulator.test"}, "--addr", "127.0.0.1:0", "--tls", "--tls-cert-out", certOut)
	if !strings.HasPrefix(p.base, "https://127.0.0.1:") {
		t.Fatalf("first line: got %q, want listening on https://127.0.0.1:PORT", p.base)
	}
	written, err := os.ReadFile(certOut)
	if err != nil {
		t.Fatalf("--tls-cert-out: %v", err)
	}
	pool, err := tlscert.ReadPool(certOut)
	if err != nil {
		t.Fatal(err)
	}
	client := tlscert.NewClient(pool)
	httpsGet(t, client, p.base+"/api/v1/tenants/t/namespaces/n/clientfailover/groups")
	if served := httpsGet(t, client, p.base+"/_emulator/tls/certificate"); !bytes.Equal(served, written) {
		t.Errorf("/_emulator/tls/certificate: got %q, want the --tls-cert-out file %q", served, written)
	}
	block, _ := pem.Decode(written)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.VerifyHostname("emulator.test"); err != nil {
		t.Errorf("EMULATOR_TLS_HOST: %v", err)
	}
	_, err = tlscert.NewClient(nil).Get(p.base + "/_emulator/health")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("GET without trusting the certificate: got %v, want x509.UnknownAuthorityError", err)
	}

	addr := strings.TrimPrefix(p.base, "https://")
	health := []struct {
		name string
		args []string
		env  map[string]string
		want int
	}{
		{"URL and --cacert", []string{"healthcheck", "--url", p.base, "--cacert", certOut}, nil, exitOK},
		{"EMULATOR_URL and EMULATOR_CACERT", []string{"healthcheck"}, map[string]string{"EMULATOR_URL": p.base, "EMULATOR_CACERT": certOut}, exitOK},
		{"the server's variables", []string{"healthcheck"}, map[string]string{"EMULATOR_ADDR": addr, "EMULATOR_TLS_CERT_OUT": certOut}, exitOK},
		{"the server's flags", []string{"healthcheck", "--addr", addr, "--tls", "--cacert", certOut}, nil, exitOK},
		{"not trusting the certificate", []string{"healthcheck", "--url", p.base}, nil, exitFailure},
		{"plain HTTP to the HTTPS port", []string{"healthcheck", "--addr", addr}, nil, exitFailure},
	}
	for _, tt := range health {
		t.Run("healthcheck: "+tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, func(k string) string { return tt.env[k] }, &stdout, &stderr); code != tt.want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tt.want, stderr.String())
			}
		})
	}

	t.Run("conformance", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"conformance", "--url", p.base, "--cacert", certOut, "--tags", "~@emulator"}, noEnv, &stdout, &stderr)
		if code != exitOK {
			t.Fatalf("conformance over HTTPS exited %d; stderr:\n%s\n%s", code, stderr.String(), lastChars(stdout.String(), 3000))
		}
	})
	if code := p.stop(t); code != 0 {
		t.Errorf("exit status %d, want 0\nstderr:\n%s", code, p.stderr.String())
	}
}

// userPair writes a certificate and key made with crypto/x509 alone, for
// the one name emulator.example (neither localhost nor 127.0.0.1), as a
// user's own certificate may be.
func userPair(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "emulator.example"},
		DNSNames:  []string{"emulator.example"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "user-cert.pem"), filepath.Join(dir, "user-key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return certFile, keyFile, pool
}

// The binary with a user's own pair (through the variables) serves it; a
// client that trusts it and dials by its name gets through, and the
// healthcheck, given the server's variables, does too although the
// certificate does not name 127.0.0.1.
func TestBinaryServesAUserSuppliedPair(t *testing.T) {
	bin := buildEmulator(t)
	certFile, keyFile, pool := userPair(t)
	env := []string{"EMULATOR_TLS_CERT=" + certFile, "EMULATOR_TLS_KEY=" + keyFile}
	p := startProcess(t, bin, env, "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(p.base, "https://") {
		t.Fatalf("first line: got %q, want an https URL", p.base)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "emulator.example"}}}
	httpsGet(t, client, p.base+"/_emulator/health")
	_, err := tlscert.NewClient(pool).Get(p.base + "/_emulator/health") // dials 127.0.0.1, not named
	var invalid x509.HostnameError
	if !errors.As(err, &invalid) {
		t.Errorf("GET by an address the certificate does not name: got %v, want x509.HostnameError", err)
	}
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string {
		return map[string]string{"EMULATOR_ADDR": strings.TrimPrefix(p.base, "https://"), "EMULATOR_TLS_CERT": certFile}[k]
	}
	if code := run(context.Background(), []string{"healthcheck"}, getenv, &stdout, &stderr); code != exitOK {
		t.Errorf("healthcheck with the server's variables: exit status %d; stderr:\n%s", code, stderr.String())
	}
	if code := p.stop(t); code != 0 {
		t.Errorf("exit status %d, want 0\nstderr:\n%s", code, p.stderr.String())
	}
}
