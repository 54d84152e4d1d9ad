package features

import (
	"io"
	"os"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// TestFeaturesOverHTTPS runs the whole conformance suite, on both surfaces
// (the on-premises service is HTTPS only), against an in-process emulator
// serving HTTPS, through a client that trusts the served certificate with
// Go's default verification (Options.HTTPClient).
func TestFeaturesOverHTTPS(t *testing.T) {
	if os.Getenv("EMULATOR_URL") != "" {
		t.Skip("EMULATOR_URL names the server under test: TestFeatures runs against it")
	}
	var out io.Writer = io.Discard
	if testing.Verbose() {
		out = os.Stdout
	}
	for _, surface := range Surfaces {
		t.Run(surface, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{TLS: &emulator.TLSOptions{}})
			if err != nil {
				t.Fatalf("starting the emulator: %v", err)
			}
			t.Cleanup(func() { _ = srv.Close() })
			opts := Options{
				URL:        srv.URL(),
				Surface:    surface,
				HTTPClient: srv.Client(),
				Format:     "progress",
				Output:     out,
				TestingT:   t,
			}
			if os.Getenv("CI") != "" {
				opts.Randomize = -1
			}
			if status := Run(opts); status != 0 {
				t.Fatalf("the conformance suite failed over HTTPS (godog status %d)", status)
			}
		})
	}
}
