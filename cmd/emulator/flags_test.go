package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/features"
)

// parseServe parses a serve command line with the variables env.
func parseServe(args []string, env map[string]string) (emulator.Options, error) {
	var c config
	cmd := serveCommand(&c, func(k string) string { return env[k] })
	var stderr bytes.Buffer
	if code, done := cmd.parse(args, io.Discard, &stderr); done {
		return emulator.Options{}, fmt.Errorf("exit %d: %s", code, stderr.String())
	}
	return c.options(io.Discard)
}

// Every flag reads its EMULATOR_ variable; a flag on the command line wins.
func TestFlagsAndEnvironment(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(emulator.Options) bool
		wantErr bool
	}{
		{"defaults", nil, nil, func(o emulator.Options) bool {
			return o.Addr == defaultAddr && o.Clock == clock.Real && o.Auth == emulator.AuthNone && o.HeartbeatMinInterval == 0 &&
				o.MaxBodyBytes == emulator.DefaultMaxBodyBytes && o.TLS == nil && o.ShutdownGrace == emulator.DefaultShutdownGrace &&
				o.PublicURL == "" && o.ExportOnExit == "" && !o.StrictBodies
		}, false},
		{"variables", nil, map[string]string{
			"EMULATOR_ADDR": "0.0.0.0:9000", "EMULATOR_CLOCK": "manual", "EMULATOR_CLOCK_START": "2026-01-01T00:00:00Z",
			"EMULATOR_AUTH": "token", "EMULATOR_HEARTBEAT_MIN_INTERVAL": "00:00:05", "EMULATOR_ADMIN_TOKEN": "adm",
			"EMULATOR_FIXTURES": "f.json", "EMULATOR_API_REVISION": "latest", "EMULATOR_MAX_BODY_BYTES": "2048",
			"EMULATOR_LOG_FORMAT": "json", "EMULATOR_LOG_LEVEL": "debug",
			"EMULATOR_TLS": "true", "EMULATOR_TLS_HOST": "emulator, 10.0.0.1", "EMULATOR_TLS_CERT_OUT": "out.pem",
			"EMULATOR_PUBLIC_URL": "https://emulator.example", "EMULATOR_EXPORT_ON_EXIT": "state.json", "EMULATOR_SHUTDOWN_GRACE": "00:00:03",
			"EMULATOR_STRICT_BODIES": "true",
		}, func(o emulator.Options) bool {
			return o.Addr == "0.0.0.0:9000" && o.Clock == clock.Manual && o.ClockStart.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) &&
				o.Auth == emulator.AuthToken && o.HeartbeatMinInterval == 5*time.Second && o.AdminToken == "adm" &&
				o.Fixtures == "f.json" && o.APIRevision == "latest" && o.MaxBodyBytes == 2048 &&
				o.Logger.Enabled(context.Background(), -4) &&
				o.TLS != nil && o.TLS.CertFile == "" && slices.Equal(o.TLS.Hosts, []string{"emulator", "10.0.0.1"}) && o.TLS.CertOut == "out.pem" &&
				o.PublicURL == "https://emulator.example" && o.ExportOnExit == "state.json" && o.ShutdownGrace == 3*time.Second &&
				o.StrictBodies
		}, false},
		{"certificate pair variables imply TLS", nil, map[string]string{"EMULATOR_TLS_CERT": "c.pem", "EMULATOR_TLS_KEY": "k.pem"},
			func(o emulator.Options) bool {
				return o.TLS != nil && o.TLS.CertFile == "c.pem" && o.TLS.KeyFile == "k.pem"
			}, false},
		{"certificate pair flags imply TLS", []string{"--tls-cert", "c.pem", "--tls-key", "k.pem"}, nil,
			func(o emulator.Options) bool {
				return o.TLS != nil && o.TLS.CertFile == "c.pem" && o.TLS.KeyFile == "k.pem"
			}, false},
		{"TLS flags", []string{"--tls", "--tls-host", "a", "--tls-host", "b", "--tls-cert-out", "o.pem", "--public-url", "https://x", "--export-on-exit", "e.json", "--shutdown-grace", "1s"}, nil,
			func(o emulator.Options) bool {
				return o.TLS != nil && slices.Equal(o.TLS.Hosts, []string{"a", "b"}) && o.TLS.CertOut == "o.pem" &&
					o.PublicURL == "https://x" && o.ExportOnExit == "e.json" && o.ShutdownGrace == time.Second
			}, false},
		{"a flag wins over its variable", []string{"--clock", "real", "--heartbeat-min-interval", "90s", "--tls-host", "flag", "--tls=false"},
			map[string]string{"EMULATOR_CLOCK": "manual", "EMULATOR_HEARTBEAT_MIN_INTERVAL": "00:00:05", "EMULATOR_TLS_HOST": "env1,env2", "EMULATOR_TLS": "true"},
			func(o emulator.Options) bool {
				return o.Clock == clock.Real && o.HeartbeatMinInterval == 90*time.Second && o.TLS == nil
			}, false},
		{"a repeated flag replaces its variable's list", []string{"--tls", "--tls-host", "flag"}, map[string]string{"EMULATOR_TLS_HOST": "env1,env2"},
			func(o emulator.Options) bool { return slices.Equal(o.TLS.Hosts, []string{"flag"}) }, false},
		{"a bad variable is no error when its flag is given", []string{"--tls=true"}, map[string]string{"EMULATOR_TLS": "maybe"},
			func(o emulator.Options) bool { return o.TLS != nil }, false},
		{"TLS off: the certificate file is not written", []string{"--tls-cert-out", "o.pem"}, nil,
			func(o emulator.Options) bool { return o.TLS == nil }, false},
		{"bad clock", []string{"--clock", "fast"}, nil, nil, true},
		{"bad clock start", []string{"--clock-start", "yesterday"}, nil, nil, true},
		{"bad auth", []string{"--auth", "maybe"}, nil, nil, true},
		{"bad interval", []string{"--heartbeat-min-interval", "soon"}, nil, nil, true},
		{"bad log level", []string{"--log-level", "loud"}, nil, nil, true},
		{"bad log format", []string{"--log-format", "xml"}, nil, nil, true},
		{"bad body limit", nil, map[string]string{"EMULATOR_MAX_BODY_BYTES": "lots"}, nil, true},
		{"zero body limit", []string{"--max-body-bytes", "0"}, nil, nil, true},
		{"bad TLS variable", nil, map[string]string{"EMULATOR_TLS": "maybe"}, nil, true},
		{"certificate without key", []string{"--tls-cert", "c.pem"}, nil, nil, true},
		{"key without certificate", nil, map[string]string{"EMULATOR_TLS_KEY": "k.pem"}, nil, true},
		{"bad grace", []string{"--shutdown-grace", "0"}, nil, nil, true},
		{"unparsable grace", nil, map[string]string{"EMULATOR_SHUTDOWN_GRACE": "a while"}, nil, true},
		{"unknown flag", []string{"--colour"}, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := parseServe(tt.args, tt.env)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want an error: %v", err, tt.wantErr)
			}
			if err == nil && !tt.check(opts) {
				t.Errorf("options = %+v (TLS %+v)", opts, opts.TLS)
			}
		})
	}
}

// Every flag of every command has its EMULATOR_ variable (but --version,
// which would turn a server into a version printer), and a variable of
// every serve flag is exercised by TestFlagsAndEnvironment.
func TestEveryFlagHasAVariable(t *testing.T) {
	var c config
	for _, cmd := range commands(&c) {
		cmd.fs.VisitAll(func(f *flag.Flag) {
			want := envName(f.Name)
			if f.Name == "version" {
				want = ""
			}
			if got := cmd.env[f.Name]; got != want {
				t.Errorf("%s --%s: variable %q, want %q", cmd.name, f.Name, got, want)
			}
		})
	}
	tested := "EMULATOR_ADDR EMULATOR_CLOCK EMULATOR_CLOCK_START EMULATOR_AUTH EMULATOR_HEARTBEAT_MIN_INTERVAL EMULATOR_ADMIN_TOKEN " +
		"EMULATOR_FIXTURES EMULATOR_API_REVISION EMULATOR_MAX_BODY_BYTES EMULATOR_LOG_FORMAT EMULATOR_LOG_LEVEL EMULATOR_TLS " +
		"EMULATOR_TLS_HOST EMULATOR_TLS_CERT_OUT EMULATOR_PUBLIC_URL EMULATOR_EXPORT_ON_EXIT EMULATOR_SHUTDOWN_GRACE EMULATOR_TLS_CERT EMULATOR_TLS_KEY EMULATOR_STRICT_BODIES"
	serveCommand(&c, noEnv).fs.VisitAll(func(f *flag.Flag) {
		if f.Name != "version" && !strings.Contains(" "+tested+" ", " "+envName(f.Name)+" ") {
			t.Errorf("--%s: its variable %s is not tested", f.Name, envName(f.Name))
		}
	})
}

// commands are every command's flag sets, for the tests that look at all.
func commands(c *config) []*command {
	var hc healthConfig
	var fo features.Options
	var cacert string
	return []*command{serveCommand(c, noEnv), healthcheckCommand(&hc, noEnv), conformanceCommand(&fo, &cacert, noEnv), versionCommand(noEnv)}
}

// parseConformance parses a conformance command line with the variables env.
func parseConformance(args []string, env map[string]string) (features.Options, string, error) {
	var opts features.Options
	var cacert string
	cmd := conformanceCommand(&opts, &cacert, func(k string) string { return env[k] })
	var stderr bytes.Buffer
	if code, done := cmd.parse(args, io.Discard, &stderr); done {
		return opts, cacert, fmt.Errorf("exit %d: %s", code, stderr.String())
	}
	return opts, cacert, nil
}

// Every conformance flag reads its EMULATOR_ variable; a flag on the command
// line wins.
func TestConformanceFlagsAndEnvironment(t *testing.T) {
	vars := map[string]string{
		"EMULATOR_URL": "https://h:1", "EMULATOR_SURFACE": "onprem", "EMULATOR_TOKEN": "tok", "EMULATOR_USER": `PLANT\op`,
		"EMULATOR_PASSWORD": "pw", "EMULATOR_ADMIN_TOKEN": "adm", "EMULATOR_CACERT": "ca.pem", "EMULATOR_TAGS": "~@emulator",
		"EMULATOR_FORMAT": "junit", "EMULATOR_TENANT": "t", "EMULATOR_NAMESPACE": "n", "EMULATOR_RANDOM": "7", "EMULATOR_ALLOW_RESET": "1",
	}
	opts, cacert, err := parseConformance(nil, vars)
	if err != nil {
		t.Fatal(err)
	}
	if opts.URL != "https://h:1" || opts.Surface != "onprem" || opts.Token != "tok" || opts.User != `PLANT\op` || opts.Password != "pw" ||
		opts.AdminToken != "adm" || cacert != "ca.pem" || opts.Tags != "~@emulator" || opts.Format != "junit" ||
		opts.Tenant != "t" || opts.Namespace != "n" || opts.Randomize != 7 || !opts.AllowReset {
		t.Errorf("from the variables: %+v, cacert %q", opts, cacert)
	}
	opts, _, err = parseConformance([]string{"--surface", "cloud", "--user", "other", "--password", "flag"}, vars)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Surface != "cloud" || opts.User != "other" || opts.Password != "flag" {
		t.Errorf("flags over variables: %+v", opts)
	}
	if opts, _, _ = parseConformance(nil, nil); opts.Surface != features.SurfaceCloud || opts.User != "" {
		t.Errorf("defaults: %+v", opts)
	}
	var tested []string
	for k := range vars {
		tested = append(tested, k)
	}
	conformanceCommand(&features.Options{}, new(string), noEnv).fs.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(tested, envName(f.Name)) {
			t.Errorf("--%s: its variable %s is not tested", f.Name, envName(f.Name))
		}
	})
}
