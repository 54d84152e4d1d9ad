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
// control API: on the cloud surfaces, then on the on-premises one against
// the same container (which the cloud run left holding its namespaces'
// groups, so the second run may reset it).
func TestConformanceSuiteAgainstTheContainer(t *testing.T) {
	ctr, _, base := runEmulator(t, tcemulator.WithAdminToken("conformance-admin"))
	var out io.Writer = io.Discard
	if testing.Verbose() {
		out = os.Stdout
	}
	for _, surface := range features.Surfaces {
		t.Run(surface, func(t *testing.T) {
			status := features.Run(features.Options{
				URL:        base,
				Surface:    surface,
				AdminToken: ctr.AdminToken(),
				AllowReset: surface != features.Surfaces[0],
				Format:     "progress",
				Output:     out,
				TestingT:   t,
			})
			if status != 0 {
				t.Fatalf("the conformance suite failed against the container on the %s surface (godog status %d)", surface, status)
			}
		})
	}
}
