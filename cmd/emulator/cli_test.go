package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// --help of every command lists every flag with its variable, and the
// serve help lists the commands and an example; it goes to standard output
// and exits 0.
func TestHelpListsEveryFlag(t *testing.T) {
	var c config
	for _, cmd := range commands(&c) {
		args := strings.Fields(strings.TrimPrefix(cmd.name, "emulator"))
		for _, h := range []string{"--help", "-h"} {
			t.Run(cmd.name+" "+h, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				if code := run(context.Background(), append(args, h), noEnv, &stdout, &stderr); code != exitOK {
					t.Fatalf("exit status %d, want 0; stderr:\n%s", code, stderr.String())
				}
				help := stdout.String()
				if !strings.HasPrefix(help, "Usage: "+cmd.name) {
					t.Errorf("the help does not start with its usage line:\n%s", help)
				}
				cmd.fs.VisitAll(func(f *flag.Flag) {
					variable := "(" + envName(f.Name) + ")"
					if f.Name == "version" {
						variable = "(no variable)"
					}
					if !strings.Contains(help, "--"+f.Name+" ") && !strings.Contains(help, "--"+f.Name+"\n") || !strings.Contains(help, variable) {
						t.Errorf("the help does not list --%s with %s:\n%s", f.Name, variable, help)
					}
				})
				if stderr.Len() > 0 {
					t.Errorf("help wrote to standard error: %s", stderr.String())
				}
			})
		}
	}
	var stdout bytes.Buffer
	run(context.Background(), []string{"help"}, noEnv, &stdout, &bytes.Buffer{})
	for _, want := range []string{"conformance", "healthcheck", "version", "Examples:\n  emulator --addr", "EMULATOR_TLS_HOST"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("emulator help does not mention %q:\n%s", want, stdout.String())
		}
	}
}

// Every command exits 0 when done or asked for help, 2 for a wrong command
// line or variable (saying what is wrong and where the help is) and 1 when
// it fails; no message names the program twice.
func TestExitStatuses(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("no certificate here"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		want      int
		wantError string // in standard error
	}{
		{"help", []string{"--help"}, nil, exitOK, ""},
		{"help command", []string{"help"}, nil, exitOK, ""},
		{"version flag", []string{"--version"}, nil, exitOK, ""},
		{"version command", []string{"version"}, nil, exitOK, ""},
		{"version flag beside others", []string{"--clock", "manual", "--version"}, nil, exitOK, ""},
		{"unknown flag", []string{"--colour"}, nil, exitUsage, "emulator: flag provided but not defined: -colour\nRun 'emulator --help' for usage."},
		{"bad flag value", []string{"--clock", "fast"}, nil, exitUsage, "emulator: --clock:"},
		{"bad variable", nil, map[string]string{"EMULATOR_TLS": "maybe"}, exitUsage, `emulator: EMULATOR_TLS="maybe": want true or false`},
		{"bad number variable", nil, map[string]string{"EMULATOR_MAX_BODY_BYTES": "lots"}, exitUsage, "EMULATOR_MAX_BODY_BYTES"},
		{"half a pair", []string{"--tls-key", "k.pem"}, nil, exitUsage, "--tls-cert and --tls-key go together"},
		{"unexpected argument", []string{"serve"}, nil, exitUsage, `emulator: unexpected argument "serve" (commands: conformance, healthcheck, version)`},
		{"fixtures missing", []string{"--addr", "127.0.0.1:0", "--fixtures", filepath.Join(dir, "none.json")}, nil, exitFailure, "emulator: fixture: stat "},
		{"cannot listen", []string{"--addr", "256.0.0.1:0"}, nil, exitFailure, "emulator: listen: "},
		{"certificate files missing", []string{"--addr", "127.0.0.1:0", "--tls-cert", filepath.Join(dir, "c"), "--tls-key", filepath.Join(dir, "k")}, nil, exitFailure, "emulator: TLS: "},
		{"bad public URL", []string{"--addr", "127.0.0.1:0", "--public-url", "emulator.example"}, nil, exitFailure, "emulator: public URL"},
		{"export folder missing", []string{"--addr", "127.0.0.1:0", "--export-on-exit", filepath.Join(dir, "none", "s.json")}, nil, exitFailure, "emulator: export on exit: "},
		{"version: extra argument", []string{"version", "now"}, nil, exitUsage, `emulator version: unexpected argument "now"`},
		{"version: unknown flag", []string{"version", "--short"}, nil, exitUsage, "Run 'emulator version --help' for usage."},
		{"healthcheck: help", []string{"healthcheck", "--help"}, nil, exitOK, ""},
		{"healthcheck: unknown flag", []string{"healthcheck", "--colour"}, nil, exitUsage, "emulator healthcheck: flag provided but not defined"},
		{"healthcheck: extra argument", []string{"healthcheck", "now"}, nil, exitUsage, "emulator healthcheck: unexpected argument"},
		{"healthcheck: bad trust file", []string{"healthcheck", "--cacert", notPEM}, nil, exitUsage, "emulator healthcheck: tlscert: no PEM certificate found"},
		{"healthcheck: nothing listens", []string{"healthcheck", "--url", "http://127.0.0.1:1"}, nil, exitFailure, "emulator healthcheck: Get "},
		{"conformance: bad trust file", []string{"conformance", "--url", "https://127.0.0.1:1", "--cacert", notPEM}, nil, exitUsage, "emulator conformance: --cacert"},
		{"conformance: bad seed variable", []string{"conformance", "--url", "https://127.0.0.1:1"}, map[string]string{"EMULATOR_RANDOM": "x"}, exitUsage, "EMULATOR_RANDOM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a server that starts stops at once
			var stdout, stderr bytes.Buffer
			got := run(ctx, tt.args, func(k string) string { return tt.env[k] }, &stdout, &stderr)
			if got != tt.want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tt.want, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantError) {
				t.Errorf("standard error: got %q, want it to contain %q", stderr.String(), tt.wantError)
			}
			if strings.Contains(stderr.String(), "emulator: emulator") {
				t.Errorf("standard error names the program twice: %q", stderr.String())
			}
		})
	}
}

// --version and the version command print the build's version, which the
// health check answers too.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		var stdout bytes.Buffer
		if code := run(context.Background(), args, noEnv, &stdout, &bytes.Buffer{}); code != exitOK {
			t.Fatalf("%v: exit status %d", args, code)
		}
		if got, want := stdout.String(), emulator.BuildVersion()+"\n"; got != want {
			t.Errorf("%v: got %q, want %q", args, got, want)
		}
	}
}

// The start is one log line that says where the emulator listens, with
// which clock, authorisation, fixtures and TLS.
func TestStartLogLine(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	args := []string{"--addr", "127.0.0.1:0", "--log-format", "json", "--clock", "manual", "--clock-start", "2026-01-02T03:04:05Z",
		"--auth", "token", "--admin-token", "adm", "--fixtures", "../../fixtures/auth.json", "--tls", "--tls-host", "emulator.test"}
	if code := run(ctx, args, noEnv, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit status %d; stderr:\n%s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	var started []map[string]any
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if rec["msg"] == "emulator started" {
			started = append(started, rec)
		}
	}
	if len(started) != 1 {
		t.Fatalf("got %d start lines, want 1:\n%s", len(started), stderr.String())
	}
	rec := started[0]
	url := strings.TrimPrefix(strings.TrimSpace(stdout.String()), "listening on ")
	want := map[string]string{
		"url":         url,
		"clock":       "manual at 2026-01-02T03:04:05Z",
		"auth":        "token",
		"admin_token": "required",
		"fixtures":    "../../fixtures/auth.json",
		"tls":         "generated for localhost,emulator.test,127.0.0.1,::1",
		"version":     emulator.BuildVersion(),
	}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("start line %s: got %v, want %q", k, rec[k], v)
		}
	}
	if rec["admin_token"] == "adm" || strings.Contains(stderr.String(), `"adm"`) {
		t.Error("the log shows the admin token")
	}
}
