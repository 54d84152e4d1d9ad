package tcemulator_test

import (
	"strings"
	"testing"

	"github.com/testcontainers/testcontainers-go"

	"github.com/adh-emulator/clientfailover/tcemulator"
)

// Run on an image that is not there says how to build it, rather than
// leaving the caller with a registry's error.
func TestRunOnAMissingImageSaysHowToBuildIt(t *testing.T) {
	testcontainers.SkipIfProviderIsNotHealthy(t)
	ctr, err := tcemulator.Run(t.Context(), "clientfailover-emulator:no-such-tag")
	testcontainers.CleanupContainer(t, ctr)
	if err == nil {
		t.Fatal("Run of a missing image succeeded")
	}
	for _, want := range []string{"clientfailover-emulator:no-such-tag", "BuildImage", "docker build --target prebuilt"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
