package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
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
}

// newFlags declares the serve flags; every default comes from the flag's
// EMULATOR_ variable when that is set.
func newFlags(c *config, getenv func(string) string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv("EMULATOR_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return def
	}
	str := func(p *string, name, def, usage string) { fs.StringVar(p, name, env(name, def), usage) }
	str(&c.addr, "addr", defaultAddr, "where to listen, HOST:PORT; port 0 picks a free port")
	str(&c.fixtures, "fixtures", "", "a fixture file or folder, loaded at start and at every reset")
	str(&c.clockMode, "clock", "real", "real or manual")
	str(&c.clockStart, "clock-start", "", "RFC 3339 instant a manual clock starts at (default: now)")
	str(&c.auth, "auth", "none", "none (every caller is a tenant administrator) or token")
	str(&c.adminToken, "admin-token", "", "when set, the control API requires Authorization: Bearer TOKEN")
	str(&c.logFormat, "log-format", "text", "text or json (logs go to standard error)")
	str(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	str(&c.heartbeatMinInterval, "heartbeat-min-interval", "0", "heartbeat rate limit, a time-span or Go duration; 0 = off")
	str(&c.apiRevision, "api-revision", "source", "source (the source documents' behaviour) or latest (later preview revision)")
	maxBody := env("max-body-bytes", fmt.Sprint(emulator.DefaultMaxBodyBytes))
	var def int64
	if _, err := fmt.Sscan(maxBody, &def); err != nil {
		def = -1 // reported by options()
	}
	fs.Int64Var(&c.maxBodyBytes, "max-body-bytes", def, "largest request body; larger ones get 413")
	return fs
}

// options turns the configuration into emulator.Options.
func (c config) options(stderr io.Writer) (emulator.Options, error) {
	var o emulator.Options
	o.Addr = c.addr
	o.Fixtures = c.fixtures
	o.APIRevision = c.apiRevision
	o.AdminToken = c.adminToken
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

// serve runs the emulator until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags(&c, getenv, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (subcommands: conformance, healthcheck)", fs.Arg(0))
	}
	opts, err := c.options(stderr)
	if err != nil {
		return err
	}
	srv, err := emulator.New(opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on %s\n", srv.URL())
	opts.Logger.Info("emulator started", "url", srv.URL(), "clock", opts.Clock, "auth", opts.Auth, "fixtures", opts.Fixtures)
	<-ctx.Done()
	opts.Logger.Info("shutting down", "grace", emulator.DefaultShutdownGrace)
	if err := srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
