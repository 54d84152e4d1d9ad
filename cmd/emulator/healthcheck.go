package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/tlscert"
)

// healthConfig is the healthcheck command line.
type healthConfig struct {
	url, addr, tlsCert, certOut, cacert string
	tls                                 bool
}

// healthcheckCommand declares the healthcheck flags into c.
func healthcheckCommand(c *healthConfig, getenv func(string) string) *command {
	cmd := newCommand("emulator healthcheck", "[flags]",
		"Exits 0 when the emulator answers GET /_emulator/health with 200, 1 when it does not.\n"+
			"Without --url it dials the --addr port on loopback, over HTTPS when --tls or --tls-cert\n"+
			"is set or the --tls-cert-out file exists, trusting --cacert, else --tls-cert, else the\n"+
			"--tls-cert-out file: the same flags and EMULATOR_ variables as the server, so in the\n"+
			"container image it needs none. The health check never needs the admin token.", getenv)
	cmd.examples = []string{
		"emulator healthcheck",
		"emulator healthcheck --url https://127.0.0.1:8443 --cacert cert.pem",
	}
	cmd.str(&c.url, "url", "", "the emulator's base `URL` (default: from --addr and the TLS flags)")
	cmd.str(&c.addr, "addr", defaultAddr, "the server's listen address, `HOST:PORT` (a wildcard host is dialled on 127.0.0.1)")
	cmd.boolean(&c.tls, "tls", "the server serves HTTPS")
	cmd.str(&c.tlsCert, "tls-cert", "", "the server's own certificate `FILE` (implies HTTPS; trusted)")
	cmd.str(&c.certOut, "tls-cert-out", "", "the `FILE` the server wrote its certificate to (HTTPS when it exists; trusted)")
	cmd.str(&c.cacert, "cacert", "", "a PEM `FILE` of certificates to trust, besides the system's")
	return cmd
}

// healthTimeout bounds one health check (the image's HEALTHCHECK allows 3 s).
const healthTimeout = 3 * time.Second

// healthcheck asks a running emulator for its health: the container image's
// HEALTHCHECK uses it, since the image has no shell or curl. It reads the
// server's own variables where they matter (EMULATOR_ADDR, EMULATOR_TLS,
// EMULATOR_TLS_CERT, EMULATOR_TLS_CERT_OUT), so it finds the server a
// HEALTHCHECK runs beside, over HTTP or HTTPS, with no flags.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var c healthConfig
	cmd := healthcheckCommand(&c, getenv)
	if code, done := cmd.parse(args, stdout, stderr); done {
		return code
	}
	if cmd.fs.NArg() > 0 {
		return cmd.usageError(stderr, fmt.Errorf("unexpected argument %q", cmd.fs.Arg(0)))
	}

	trust := c.cacert
	written := c.certOut != "" && fileExists(c.certOut)
	if trust == "" {
		switch {
		case c.tlsCert != "":
			trust = c.tlsCert
		case written:
			trust = c.certOut
		}
	}
	base := strings.TrimRight(c.url, "/")
	if base == "" {
		scheme := "http"
		if c.tls || c.tlsCert != "" || written {
			scheme = "https"
		}
		base = scheme + "://" + localAddr(c.addr)
	}
	client, err := healthClient(base, trust, c.url == "")
	if err != nil {
		return cmd.usageError(stderr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_emulator/health", nil)
	if err != nil {
		return cmd.usageError(stderr, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return cmd.failure(stderr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return cmd.failure(stderr, fmt.Errorf("GET %s/_emulator/health: status %s", base, resp.Status))
	}
	var health struct{ Status, Version string }
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&health); err != nil || health.Status != "ok" {
		return cmd.failure(stderr, fmt.Errorf("GET %s/_emulator/health: not an emulator's health answer (%v)", base, err))
	}
	fmt.Fprintln(stdout, "ok", health.Version)
	return exitOK
}

// healthClient is a client trusting the certificates of file (none: the
// system's). When the server is dialled on loopback (derived) and its
// certificate does not name the host dialled, as a user's own certificate
// may not, the certificate is checked against its own first DNS name: it is
// still verified, and it is the certificate the server was given.
func healthClient(base, file string, derived bool) (*http.Client, error) {
	if file == "" {
		return tlscert.NewClient(nil), nil
	}
	pool, err := tlscert.ReadPool(file)
	if err != nil {
		return nil, err
	}
	client := tlscert.NewClient(pool)
	leaf, err := firstCertificate(file)
	if err != nil || !derived {
		return client, nil
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if leaf.VerifyHostname(u.Hostname()) != nil && len(leaf.DNSNames) > 0 {
		client.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, ServerName: leaf.DNSNames[0], MinVersion: tls.VersionTLS12}
	}
	return client, nil
}

func firstCertificate(file string) (*x509.Certificate, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	for {
		var block *pem.Block
		if block, b = pem.Decode(b); block == nil {
			return nil, errors.New("no certificate")
		}
		if block.Type == "CERTIFICATE" {
			return x509.ParseCertificate(block.Bytes)
		}
	}
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
