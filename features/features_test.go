package features

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// TestFeatures runs the conformance suite: against EMULATOR_URL when it is
// set, on the surface EMULATOR_SURFACE names (cloud, the default, or
// onprem), with EMULATOR_TOKEN as the bearer token of the cloud surfaces,
// EMULATOR_USER and EMULATOR_PASSWORD as the Basic credentials of the
// on-premises one, EMULATOR_ADMIN_TOKEN for the control API, EMULATOR_TENANT
// and EMULATOR_NAMESPACE when the scenarios must share one namespace (the
// @emulator scenarios run when the server answers the emulator's health
// check, unless EMULATOR_CONTROL=0, and reset a server holding data only with
// EMULATOR_ALLOW_RESET=1); otherwise twice, on each surface against an
// emulator started in-process for it. These are the same defaults as the
// binary's "emulator conformance". When CI is set the scenarios run in
// random order, so state leaking between them shows.
func TestFeatures(t *testing.T) {
	if url := os.Getenv("EMULATOR_URL"); url != "" {
		opts := Options{
			URL:        url,
			Surface:    os.Getenv("EMULATOR_SURFACE"),
			Token:      os.Getenv("EMULATOR_TOKEN"),
			User:       os.Getenv("EMULATOR_USER"),
			Password:   os.Getenv("EMULATOR_PASSWORD"),
			AdminToken: os.Getenv("EMULATOR_ADMIN_TOKEN"),
			Tenant:     os.Getenv("EMULATOR_TENANT"),
			Namespace:  os.Getenv("EMULATOR_NAMESPACE"),
			Tags:       os.Getenv("EMULATOR_TAGS"),
			AllowReset: os.Getenv("EMULATOR_ALLOW_RESET") == "1",
		}
		if os.Getenv("EMULATOR_CONTROL") == "0" {
			opts.Tags = andTags(opts.Tags, "~"+EmulatorTag)
		}
		runSuite(t, opts)
		return
	}
	for _, surface := range Surfaces {
		t.Run(surface, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{})
			if err != nil {
				t.Fatalf("starting the emulator: %v", err)
			}
			t.Cleanup(func() { _ = srv.Close() })
			runSuite(t, Options{URL: srv.URL(), Surface: surface})
		})
	}
}

// TestFeaturesOnPremisesWithBasic runs the scenarios an on-premises service
// can run (not the @emulator ones) against an emulator that requires
// credentials (--auth token), as the suite's own Basic credentials of an
// administrator of a fixture: every call to the on-premises surface must
// carry them, or it would get 401.
func TestFeaturesOnPremisesWithBasic(t *testing.T) {
	if os.Getenv("EMULATOR_URL") != "" {
		t.Skip("EMULATOR_URL names the server under test: TestFeatures runs against it")
	}
	fixtures := filepath.Join(t.TempDir(), "accounts.json")
	const doc = `{"Identities": {"WindowsAccounts": [{"Name": "PLANT\\conformance", "Password": "s3cret:with colon", "Groups": ["AVEVAFailoverAdministrators"]}]}}`
	if err := os.WriteFile(fixtures, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New(emulator.Options{Auth: emulator.AuthToken, Fixtures: fixtures})
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	runSuite(t, Options{
		URL: srv.URL(), Surface: SurfaceOnPrem, User: `plant\CONFORMANCE`, Password: "s3cret:with colon",
		Tags: "~" + EmulatorTag,
	})
}

// runSuite runs the suite with the test's defaults: scenarios as subtests,
// a progress report, and a random order in CI.
func runSuite(t *testing.T, opts Options) {
	t.Helper()
	opts.Format, opts.Output, opts.TestingT = "progress", os.Stdout, t
	if os.Getenv("CI") != "" {
		opts.Randomize = -1
	}
	if status := Run(opts); status != 0 {
		t.Fatalf("the conformance suite failed (godog status %d)", status)
	}
}
