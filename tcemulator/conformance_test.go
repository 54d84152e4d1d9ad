package tcemulator_test

import (
	"io"
	"os"
	"testing"

	"github.com/adh-emulator/clientfailover/features"
	"github.com/adh-emulator/clientfailover/tcemulator"
)

// The whole conformance suite, @emulator scenarios included, passes against
// the real image started through the module, with an admin token on the
// control API.
func TestConformanceSuiteAgainstTheContainer(t *testing.T) {
	ctr, _, base := runEmulator(t, tcemulator.WithAdminToken("conformance-admin"))
	var out io.Writer = io.Discard
	if testing.Verbose() {
		out = os.Stdout
	}
	status := features.Run(features.Options{
		URL:        base,
		AdminToken: ctr.AdminToken(),
		Format:     "progress",
		Output:     out,
		TestingT:   t,
	})
	if status != 0 {
		t.Fatalf("the conformance suite failed against the container (godog status %d)", status)
	}
}
