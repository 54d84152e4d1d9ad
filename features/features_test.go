package features

import (
	"os"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// TestFeatures runs the conformance suite: against EMULATOR_URL when it is
// set (with EMULATOR_TOKEN as the bearer token, EMULATOR_ADMIN_TOKEN for the
// control API, EMULATOR_TENANT and EMULATOR_NAMESPACE when the scenarios must
// share one namespace, and without the @emulator scenarios unless
// EMULATOR_CONTROL=1 says the server has the control API), and otherwise
// against an emulator started in-process. When CI is set the
// scenarios run in random order, so state leaking between them shows.
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
		if os.Getenv("EMULATOR_CONTROL") != "1" {
			opts.Tags = "~" + EmulatorTag
		}
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
