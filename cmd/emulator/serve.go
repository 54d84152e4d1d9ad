package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// defaultAddr is where the binary listens without --addr; the container
// image sets EMULATOR_ADDR=0.0.0.0:8080.
const defaultAddr = "127.0.0.1:8080"

// config is the command line, before it becomes emulator.Options.
type config struct {
	addr, fixtures, clockMode, clockStart, auth, adminToken string
	logFormat, logLevel, heartbeatMinInterval, apiRevision  string
	maxBodyBytes                                            int64
	tls, strictBodies                                       bool
	tlsCert, tlsKey, tlsCertOut                             string
	tlsHosts                                                []string
	publicURL, exportOnExit, shutdownGrace                  string
	version                                                 bool
}

// serveCommand declares the serve flags into c.
func serveCommand(c *config, getenv func(string) string) *command {
	cmd := newCommand("emulator", "[flags]\n       emulator COMMAND [flags]",
		"Serves the emulated AVEVA Client Failover API (cloud /api/v1-preview and /api/v1,\n"+
			"on-premises /api/v1/clientfailover) and the emulator's control API under /_emulator,\n"+
			"until SIGINT or SIGTERM. The first line of standard output is \"listening on URL\";\n"+
			"logs go to standard error.", getenv)
	cmd.preamble = []string{"Commands:\n" +
		"  conformance   run the conformance suite against a running server (emulator or real service)\n" +
		"  healthcheck   exit 0 when a running emulator answers its health check (the image's HEALTHCHECK)\n" +
		"  version       print the version (as --version does)"}
	cmd.examples = []string{
		"emulator --addr 127.0.0.1:0 --clock manual --clock-start 2026-01-02T03:04:05Z",
		"emulator --tls --tls-cert-out cert.pem    # then: curl --cacert cert.pem https://127.0.0.1:8080/_emulator/health",
		"EMULATOR_AUTH=token EMULATOR_FIXTURES=fixtures/auth.json emulator --export-on-exit state.json",
	}
	cmd.footer = "Run 'emulator COMMAND --help' for a command's flags."

	cmd.str(&c.addr, "addr", defaultAddr, "where to listen, `HOST:PORT`; port 0 picks a free port")
	cmd.str(&c.fixtures, "fixtures", "", "a fixture `FILE` or folder, loaded at start and at every reset")
	cmd.str(&c.clockMode, "clock", "real", "`MODE`: real, or manual (frozen; it moves only through the control API)")
	cmd.str(&c.clockStart, "clock-start", "", "the RFC 3339 `INSTANT` a manual clock starts at (default: now)")
	cmd.str(&c.auth, "auth", "none", "`MODE`: none (every caller is a tenant administrator), or token (bearer tokens and access control lists; Basic on-premises)")
	cmd.str(&c.adminToken, "admin-token", "", "when set, the control API requires Authorization: Bearer `TOKEN` (not the health check nor the certificate)")
	cmd.str(&c.logFormat, "log-format", "text", "`FORMAT` of the logs on standard error: text or json")
	cmd.str(&c.logLevel, "log-level", "info", "`LEVEL` of the logs: debug, info, warn or error")
	cmd.str(&c.heartbeatMinInterval, "heartbeat-min-interval", "0", "the heartbeat rate limit (429), a time-span or Go `DURATION`; 0 = off")
	cmd.str(&c.apiRevision, "api-revision", "source", "`REVISION`: source (the source documents' behaviour) or latest (the later preview revision)")
	cmd.boolean(&c.strictBodies, "strict-bodies", "refuse what the service ignores: an unknown request-body property (400 naming it) and a body that is not Content-Type JSON (415)")
	cmd.int64(&c.maxBodyBytes, "max-body-bytes", emulator.DefaultMaxBodyBytes, "the largest request body in `BYTES`; larger ones get 413")
	cmd.boolean(&c.tls, "tls", "serve HTTPS with a certificate generated at start for localhost, 127.0.0.1, ::1, the --addr host and every --tls-host")
	cmd.str(&c.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate `FILE` (with --tls-key; implies --tls)")
	cmd.str(&c.tlsKey, "tls-key", "", "the PEM private key `FILE` of --tls-cert (implies --tls)")
	cmd.list(&c.tlsHosts, "tls-host", "one more `NAME` (DNS name or IP address) for the generated certificate; repeatable, the variable takes a comma-separated list")
	cmd.str(&c.tlsCertOut, "tls-cert-out", "", "with TLS, write the served certificate (PEM) to `FILE` at start, for clients to trust (curl --cacert)")
	cmd.str(&c.publicURL, "public-url", "", "the base `URL` clients reach the emulator at, for the OpenID discovery document (default: each request's scheme and Host header)")
	cmd.str(&c.exportOnExit, "export-on-exit", "", "on a clean stop (SIGINT, SIGTERM), write the whole state, secrets included, to `FILE` (mode 0600, atomically); start again with --fixtures FILE")
	cmd.str(&c.shutdownGrace, "shutdown-grace", emulator.DefaultShutdownGrace.String(), "how long in-flight requests may finish on a stop before their connections are closed, a time-span or Go `DURATION`")
	cmd.noEnv(&c.version, "version", "print the version and exit")
	return cmd
}

// options turns the configuration into emulator.Options; an error is a
// mistake on the command line or in a variable.
func (c config) options(stderr io.Writer) (emulator.Options, error) {
	var o emulator.Options
	o.Addr = c.addr
	o.Fixtures = c.fixtures
	o.APIRevision = c.apiRevision
	o.AdminToken = c.adminToken
	o.PublicURL = c.publicURL
	o.ExportOnExit = c.exportOnExit
	o.StrictBodies = c.strictBodies
	if c.maxBodyBytes <= 0 {
		return o, fmt.Errorf("--max-body-bytes must be a positive number of bytes")
	}
	o.MaxBodyBytes = c.maxBodyBytes
	mode, err := clock.ParseMode(c.clockMode)
	if err != nil {
		return o, fmt.Errorf("--clock: %w", err)
	}
	o.Clock = mode
	if c.clockStart != "" {
		t, err := time.Parse(time.RFC3339Nano, c.clockStart)
		if err != nil {
			return o, fmt.Errorf("--clock-start %q: want an RFC 3339 instant such as 2026-01-02T03:04:05Z", c.clockStart)
		}
		o.ClockStart = t
	}
	auth, err := emulator.ParseAuthMode(c.auth)
	if err != nil {
		return o, fmt.Errorf("--auth: %w", err)
	}
	o.Auth = auth
	d, err := timefmt.ParseSpanOrDuration(c.heartbeatMinInterval)
	if err != nil {
		return o, fmt.Errorf("--heartbeat-min-interval: %w", err)
	}
	o.HeartbeatMinInterval = d
	grace, err := timefmt.ParseSpanOrDuration(c.shutdownGrace)
	if err != nil || grace <= 0 {
		return o, fmt.Errorf("--shutdown-grace %q: want a positive time-span or Go duration, such as 10s", c.shutdownGrace)
	}
	o.ShutdownGrace = grace
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return o, errors.New("--tls-cert and --tls-key go together: give both or neither")
	}
	if c.tls || c.tlsCert != "" {
		o.TLS = &emulator.TLSOptions{CertFile: c.tlsCert, KeyFile: c.tlsKey, Hosts: c.tlsHosts, CertOut: c.tlsCertOut}
	}
	logger, err := newLogger(c.logFormat, c.logLevel, stderr)
	if err != nil {
		return o, err
	}
	o.Logger = logger
	return o, nil
}

func newLogger(format, level string, w io.Writer) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// serve runs the emulator until ctx ends, then stops it cleanly: in-flight
// requests get the grace period, the state is exported when asked.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var c config
	cmd := serveCommand(&c, getenv)
	if code, done := cmd.parse(args, stdout, stderr); done {
		return code
	}
	if c.version {
		fmt.Fprintln(stdout, emulator.BuildVersion())
		return exitOK
	}
	if cmd.fs.NArg() > 0 {
		return cmd.usageError(stderr, fmt.Errorf("unexpected argument %q (commands: conformance, healthcheck, version)", cmd.fs.Arg(0)))
	}
	opts, err := c.options(stderr)
	if err != nil {
		return cmd.usageError(stderr, err)
	}
	srv, err := emulator.New(opts)
	if err != nil {
		return cmd.failure(stderr, err)
	}
	fmt.Fprintf(stdout, "listening on %s\n", srv.URL())
	opts.Logger.Info("emulator started", startAttrs(srv, opts)...)
	<-ctx.Done()
	opts.Logger.Info("shutting down", "grace", opts.ShutdownGrace)
	if err := srv.Close(); err != nil {
		return cmd.failure(stderr, fmt.Errorf("shutdown: %w", err))
	}
	opts.Logger.Info("stopped")
	return exitOK
}

// startAttrs say, on the one start line, where the emulator listens and
// how it runs.
func startAttrs(srv *emulator.Server, o emulator.Options) []any {
	clk := string(o.Clock)
	if o.Clock == clock.Manual {
		clk += " at " + srv.Clock().Now().Format(time.RFC3339Nano)
	}
	fixtures := o.Fixtures
	if fixtures == "" {
		fixtures = "none"
	}
	tls := "off"
	switch {
	case o.TLS != nil && o.TLS.CertFile != "":
		tls = "certificate " + o.TLS.CertFile
	case o.TLS != nil:
		cert := srv.Certificate()
		names := append([]string(nil), cert.DNSNames...)
		for _, ip := range cert.IPAddresses {
			names = append(names, ip.String())
		}
		tls = "generated for " + strings.Join(names, ",")
	}
	if o.TLS != nil && o.TLS.CertOut != "" {
		tls += ", written to " + o.TLS.CertOut
	}
	admin := "none"
	if o.AdminToken != "" {
		admin = "required"
	}
	attrs := []any{"url", srv.URL(), "version", emulator.BuildVersion(), "clock", clk, "auth", string(o.Auth),
		"admin_token", admin, "fixtures", fixtures, "tls", tls}
	if o.ExportOnExit != "" {
		attrs = append(attrs, "export_on_exit", o.ExportOnExit)
	}
	if o.PublicURL != "" {
		attrs = append(attrs, "public_url", o.PublicURL)
	}
	return attrs
}

// localAddr turns a listen address into one to dial: a wildcard host
// (0.0.0.0, ::, empty) becomes loopback.
func localAddr(addr string) string {
	if addr == "" {
		return defaultAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
