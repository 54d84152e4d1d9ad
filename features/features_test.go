package features

import (
	"os"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// TestFeatures runs the conformance suite: against EMULATOR_URL when it is
// set (with EMULATOR_TOKEN as the bearer token, EMULATOR_ADMIN_TOKEN for the
// control API, EMULATOR_TENANT and EMULATOR_NAMESPACE when the scenarios must
// share one namespace; the @emulator scenarios run when the server answers
// the emulator's health check, unless EMULATOR_CONTROL=0, and reset a server
// holding data only with EMULATOR_ALLOW_RESET=1), and otherwise against an
// emulator started in-process. These are the same defaults as the binary's
// "emulator conformance". When CI is set the scenarios run in random order,
// so state leaking between them shows.
func TestFeatures(t *testing.T) {
	opts := Options{
		Format:   "progress",
		Output:   os.Stdout,
		TestingT: t,
	}
	if url := os.Getenv("EMULATOR_URL"); url != "" {
		opts.URL = url
		opts.Token = os.Getenv("EMULATOR_TOKEN")
		opts.AdminToken = os.Getenv("EMULATOR_ADMIN_TOKEN")
		opts.Tenant = os.Getenv("EMULATOR_TENANT")
		opts.Namespace = os.Getenv("EMULATOR_NAMESPACE")
		opts.Tags = os.Getenv("EMULATOR_TAGS")
		if os.Getenv("EMULATOR_CONTROL") == "0" {
			opts.Tags = andTags(opts.Tags, "~"+EmulatorTag)
		}
		opts.AllowReset = os.Getenv("EMULATOR_ALLOW_RESET") == "1"
	} else {
		srv, err := emulator.New(emulator.Options{})
		if err != nil {
			t.Fatalf("starting the emulator: %v", err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		opts.URL = srv.URL()
	}
	if os.Getenv("CI") != "" {
		opts.Randomize = -1
	}
	if status := Run(opts); status != 0 {
		t.Fatalf("the conformance suite failed (godog status %d)", status)
	}
}
