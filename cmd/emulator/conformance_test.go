package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

func startConformanceTarget(t *testing.T) *emulator.Server {
	t.Helper()
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func conformanceNoEnv(string) string { return "" }

// TestConformanceJUnit runs the whole suite through the command line
// against an in-process emulator and reads the JUnit report.
func TestConformanceJUnit(t *testing.T) {
	srv := startConformanceTarget(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"conformance", "--url", srv.URL(), "--format", "junit"}, conformanceNoEnv, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("conformance exited %d, want 0; stderr:\n%s\nreport:\n%s", code, stderr.String(), lastChars(stdout.String(), 4000))
	}
	var report struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name   string `xml:"name,attr"`
				Status string `xml:"status,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("the report is not JUnit XML: %v\n%s", err, lastChars(stdout.String(), 2000))
	}
	if report.Tests == 0 || len(report.Suites) == 0 {
		t.Fatalf("got a report of %d tests in %d suites, want the whole suite", report.Tests, len(report.Suites))
	}
	if report.Failures != 0 || report.Errors != 0 {
		t.Errorf("got %d failures and %d errors, want none", report.Failures, report.Errors)
	}
	names := map[string]bool{}
	for _, s := range report.Suites {
		names[s.Name] = true
	}
	for _, want := range []string{"Failover groups", "Failover", "Heartbeats"} {
		if !names[want] {
			t.Errorf("the report has no test suite %q; it has %v", want, names)
		}
	}
}

// TestConformanceTags runs a selection through EMULATOR_URL and --tags, as
// against the real service.
func TestConformanceTags(t *testing.T) {
	srv := startConformanceTarget(t)
	getenv := func(k string) string {
		if k == "EMULATOR_URL" {
			return srv.URL()
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"conformance", "--tags", "~@emulator", "--format", "progress"}, getenv, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("conformance exited %d, want 0; stderr:\n%s\nreport:\n%s", code, stderr.String(), lastChars(stdout.String(), 4000))
	}
	if !strings.Contains(stdout.String(), "passed") {
		t.Errorf("the progress report says nothing passed:\n%s", lastChars(stdout.String(), 2000))
	}
}

func TestConformanceFails(t *testing.T) {
	// Nothing listens on port 1: every scenario fails.
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"conformance", "--url", "http://127.0.0.1:1", "--tags", "@nothing-has-this-tag,~@emulator"}, conformanceNoEnv, &stdout, &stderr)
	if code != 1 {
		t.Errorf("against no server conformance exited %d, want 1; stderr:\n%s", code, stderr.String())
	}
}

func TestConformanceUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"no url", []string{"conformance"}, 2},
		{"bad format", []string{"conformance", "--url", "http://127.0.0.1:1", "--format", "html"}, 2},
		{"bad surface", []string{"conformance", "--url", "http://127.0.0.1:1", "--surface", "mainframe"}, 2},
		{"password without user", []string{"conformance", "--url", "http://127.0.0.1:1", "--password", "pw"}, 2},
		{"bad flag", []string{"conformance", "--colour"}, 2},
		{"extra argument", []string{"conformance", "--url", "http://127.0.0.1:1", "now"}, 2},
		{"help", []string{"conformance", "--help"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(context.Background(), tc.args, conformanceNoEnv, &stdout, &stderr); got != tc.want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tc.want, stderr.String())
			}
		})
	}
}

func lastChars(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// TestConformanceOnPremises runs the on-premises surface's scenarios through
// the command line, with the Basic credentials of a fixture's administrator
// from the environment, against an emulator that requires them.
func TestConformanceOnPremises(t *testing.T) {
	fixtures := filepath.Join(t.TempDir(), "accounts.json")
	if err := os.WriteFile(fixtures, []byte(`{"Identities": {"WindowsAccounts": [{"Name": "PLANT\\operator", "Password": "op-secret", "Groups": ["AVEVAFailoverAdministrators"]}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New(emulator.Options{Auth: emulator.AuthToken, Fixtures: fixtures})
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	env := map[string]string{"EMULATOR_USER": `PLANT\operator`, "EMULATOR_PASSWORD": "op-secret"}
	getenv := func(k string) string { return env[k] }
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"conformance", "--url", srv.URL(), "--surface", "onprem", "--tags", "~@emulator", "--format", "progress"}, getenv, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("conformance exited %d, want 0; stderr:\n%s\nreport:\n%s", code, stderr.String(), lastChars(stdout.String(), 4000))
	}
	// With a wrong password every scenario gets 401.
	env["EMULATOR_PASSWORD"] = "guessed"
	stdout.Reset()
	if code := run(context.Background(), []string{"conformance", "--url", srv.URL(), "--surface", "onprem", "--tags", "~@emulator"}, getenv, &stdout, &stderr); code != 1 {
		t.Errorf("with a wrong password conformance exited %d, want 1", code)
	}
}
