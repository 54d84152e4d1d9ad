package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/tlscert"
)

// TLSOptions configures HTTPS (Options.TLS). The zero value serves a
// certificate generated at start for localhost, 127.0.0.1, ::1 and the
// host of Options.Addr.
type TLSOptions struct {
	// CertFile and KeyFile name a PEM certificate (chain) and its private
	// key to serve instead of a generated certificate; give both or neither.
	CertFile, KeyFile string
	// Hosts are more names (DNS names or IP addresses) of a generated
	// certificate, such as a container's host name or network alias.
	// Ignored with CertFile.
	Hosts []string
	// CertOut, when set, is a file the served certificate is written to at
	// start, PEM-encoded, before New returns, so a client (curl --cacert,
	// emulator healthcheck) can trust it.
	CertOut string
}

// pair is the certificate to serve: the caller's, or one generated for the
// listen host too. A generated certificate's validity starts from the wall
// time, not the emulator's clock: TLS clients check it against theirs.
func (o *TLSOptions) pair(addr string) (*tlscert.Pair, error) {
	switch {
	case o.CertFile != "" && o.KeyFile != "":
		p, err := tlscert.Load(o.CertFile, o.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("TLS: %w", err)
		}
		return p, nil
	case o.CertFile != "" || o.KeyFile != "":
		return nil, fmt.Errorf("TLS: give both a certificate file and a key file (got certificate %q, key %q)", o.CertFile, o.KeyFile)
	}
	hosts := append([]string(nil), o.Hosts...)
	if host, _, err := net.SplitHostPort(addr); err == nil {
		hosts = append(hosts, host)
	}
	p, err := tlscert.Generate(hosts, time.Now())
	if err != nil {
		return nil, fmt.Errorf("TLS: %w", err)
	}
	return p, nil
}

// tlsConfig serves the certificate over HTTP/1.1 only, as over plain HTTP:
// a fault rule's Drop (which closes the connection) and the timeouts then
// behave the same on both.
func (s *Server) tlsConfig() *tls.Config {
	cfg := s.tls.ServerConfig()
	cfg.NextProtos = []string{"http/1.1"}
	return cfg
}

// writeCertOut writes the served certificate to TLSOptions.CertOut.
func (s *Server) writeCertOut() error {
	if s.opts.TLS.CertOut == "" {
		return nil
	}
	if err := writeFileAtomic(s.opts.TLS.CertOut, s.tls.CertPEM, 0o644); err != nil {
		return fmt.Errorf("TLS: writing the certificate: %w", err)
	}
	return nil
}

// Certificate is the certificate the server serves (the first of its
// chain), nil over plain HTTP.
func (s *Server) Certificate() *x509.Certificate {
	if s.tls == nil {
		return nil
	}
	return s.tls.Leaf()
}

// CertificatePEM is the served certificate chain, PEM-encoded (what
// GET /_emulator/tls/certificate answers), nil over plain HTTP.
func (s *Server) CertificatePEM() []byte {
	if s.tls == nil {
		return nil
	}
	return append([]byte(nil), s.tls.CertPEM...)
}

// CertPool is a pool trusting the served certificate, nil over plain HTTP.
func (s *Server) CertPool() *x509.CertPool {
	if s.tls == nil {
		return nil
	}
	return s.tls.CertPool()
}

// Client is an HTTP client for the server, like httptest.Server's: over
// HTTPS it trusts the served certificate (and only it), with Go's usual
// verification. The same client is returned every time; Close closes its
// idle connections.
func (s *Server) Client() *http.Client {
	s.clientMu.Lock()
	defer s.clientMu.Unlock()
	if s.client == nil {
		if s.tls == nil {
			s.client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		} else {
			s.client = tlscert.NewClient(s.tls.CertPool())
		}
	}
	return s.client
}

// tlsCertificate answers GET /_emulator/tls/certificate: the served
// certificate, public like the certificate itself (no admin token needed).
func (s *Server) tlsCertificate(c *gin.Context) {
	if s.tls == nil {
		render(c, errorResponse(http.StatusNotFound, "The emulator serves no certificate.",
			"The emulator serves plain HTTP.", "Start it with --tls (or --tls-cert and --tls-key) to serve HTTPS."))
		return
	}
	c.Data(http.StatusOK, "application/x-pem-file", s.tls.CertPEM)
}
