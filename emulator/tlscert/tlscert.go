// Package tlscert makes and loads the certificates the emulator serves
// HTTPS with, and builds clients that trust them.
//
// The emulated service is HTTPS-only, so a client under test may refuse
// plain HTTP or need its real TLS code path exercised. Generate makes a
// self-signed certificate for the names a local client dials (localhost,
// 127.0.0.1, ::1 and any more given); Load reads a user's own PEM pair.
// Either way the client trusts exactly that certificate (Pair.CertPool,
// NewClient, or the PEM file handed to curl --cacert): nothing here turns
// verification off.
//
// Only the standard library's crypto is used (crypto/ecdsa, crypto/x509,
// crypto/tls). A generated certificate is an ECDSA P-256 key and a
// certificate that is its own issuer, flagged as a CA so that trust stores
// (Go, OpenSSL, .NET) accept it as a trust anchor; it is valid from an hour
// before the time given to Generate (clock skew) for Validity.
package tlscert

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// Validity is how long a generated certificate is valid.
const Validity = 365 * 24 * time.Hour

// skew is how long before the time given to Generate a certificate is
// valid from, so a client whose clock is a little behind accepts it.
const skew = time.Hour

// Organization names the generated certificates' subject and issuer.
const Organization = "Client Failover API emulator (generated, self-signed)"

// DefaultHosts are the names every generated certificate has: what a
// client on the same machine (or in the same container) dials.
func DefaultHosts() []string { return []string{"localhost", "127.0.0.1", "::1"} }

// Pair is a certificate (chain) and its private key, ready to serve.
type Pair struct {
	// CertPEM is the certificate, then any intermediates, PEM-encoded: what
	// a client is given to trust.
	CertPEM []byte
	// KeyPEM is the private key, PEM-encoded (PKCS #8 when generated).
	KeyPEM []byte

	cert tls.Certificate // parsed, with Leaf set
}

// TLSCertificate is the pair for a tls.Config's Certificates.
func (p *Pair) TLSCertificate() tls.Certificate { return p.cert }

// Leaf is the (first) certificate of the pair.
func (p *Pair) Leaf() *x509.Certificate { return p.cert.Leaf }

// CertPool is a pool trusting the pair's certificates (and nothing else).
func (p *Pair) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	for _, der := range p.cert.Certificate {
		if c, err := x509.ParseCertificate(der); err == nil {
			pool.AddCert(c)
		}
	}
	return pool
}

// ServerConfig is a server's tls.Config serving the pair (TLS 1.2 or later).
func (p *Pair) ServerConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{p.cert}, MinVersion: tls.VersionTLS12}
}

// Generate makes a self-signed certificate and its key for DefaultHosts and
// hosts (DNS names or IP addresses; duplicates, empty names and wildcard
// addresses such as 0.0.0.0 are left out), valid from an hour before now for
// Validity. Pass the wall time: TLS clients check validity against theirs.
func Generate(hosts []string, now time.Time) (*Pair, error) {
	tmpl, err := template(hosts, now)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("tlscert: generate key: %w", err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("tlscert: create certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("tlscert: encode key: %w", err)
	}
	return Parse(
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	)
}

// template is the certificate Generate signs.
func template(hosts []string, now time.Time) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("tlscert: serial number: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{Organization}, CommonName: "localhost"},
		NotBefore:             now.Add(-skew),
		NotAfter:              now.Add(Validity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	seen := map[string]bool{}
	for _, h := range append(DefaultHosts(), hosts...) {
		h = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(h), "["), "]")
		if h == "" {
			continue
		}
		if ip := net.ParseIP(h); ip != nil {
			if ip.IsUnspecified() || seen[ip.String()] {
				continue
			}
			seen[ip.String()] = true
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			continue
		}
		if !validDNSName(h) {
			return nil, fmt.Errorf("tlscert: host %q is neither an IP address nor a DNS name", h)
		}
		if key := strings.ToLower(h); !seen[key] {
			seen[key] = true
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	return tmpl, nil
}

// validDNSName accepts the names a certificate may carry: labels of
// letters, digits, '-' and '_', and a leading "*." wildcard.
func validDNSName(name string) bool {
	name = strings.TrimPrefix(strings.TrimSuffix(name, "."), "*.")
	if name == "" || len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// Load reads a PEM certificate file (the certificate, then any
// intermediates) and its PEM private key file.
func Load(certFile, keyFile string) (*Pair, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("tlscert: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("tlscert: %w", err)
	}
	p, err := Parse(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%w (certificate %s, key %s)", err, certFile, keyFile)
	}
	return p, nil
}

// Parse reads a PEM certificate (chain) and the PEM private key that
// belongs to it. Only the certificate blocks of certPEM are kept.
func Parse(certPEM, keyPEM []byte) (*Pair, error) {
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("tlscert: %w", err)
	}
	if cert.Leaf == nil {
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil, fmt.Errorf("tlscert: %w", err)
		}
	}
	var chain bytes.Buffer
	for _, der := range cert.Certificate {
		_ = pem.Encode(&chain, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	return &Pair{CertPEM: chain.Bytes(), KeyPEM: keyPEM, cert: cert}, nil
}

// ErrNoCertificates is returned for a trust file without a certificate.
var ErrNoCertificates = errors.New("tlscert: no PEM certificate found")

// ReadPool reads the PEM certificates of file (for example what the
// emulator wrote with --tls-cert-out, or served at
// /_emulator/tls/certificate) into a pool holding them and the system's
// roots, as curl --cacert or a trust store entry would.
func ReadPool(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("tlscert: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%w in %s", ErrNoCertificates, file)
	}
	return pool, nil
}

// NewClient returns an HTTP client that verifies servers against roots
// (nil: the system's roots), with http.DefaultTransport's other settings.
func NewClient(roots *x509.CertPool) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: t}
}
