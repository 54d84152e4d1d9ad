package tcemulator_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/adh-emulator/clientfailover/tcemulator"
)

// TestMain builds tcemulator.DefaultImage from this repository's source
// once per test binary, when a container engine answers. Without one, the
// tests that need it skip and the examples (which cannot skip) are left
// out.
//
// The reaper (Ryuk) is turned off unless TESTCONTAINERS_RYUK_DISABLED says
// otherwise: its image may not be pullable, and every test terminates its
// own containers with testcontainers.CleanupContainer.
func TestMain(m *testing.M) {
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := engineAnswers(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "tcemulator: no container engine answers (%v): tests that need one skip, examples do not run\n", err)
		skip := "^Example"
		if s := flag.Lookup("test.skip").Value.String(); s != "" {
			skip = s + "|" + skip
		}
		if err := flag.Set("test.skip", skip); err != nil {
			fmt.Fprintln(os.Stderr, "tcemulator:", err)
			return 1
		}
		return m.Run()
	}
	began := time.Now()
	if err := tcemulator.BuildImage(ctx, "..", tcemulator.DefaultImage); err != nil {
		fmt.Fprintln(os.Stderr, "tcemulator:", err)
		return 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "tcemulator: built %s in %v\n", tcemulator.DefaultImage, time.Since(began).Round(time.Millisecond))
	}
	return m.Run()
}

// engineAnswers reports whether testcontainers reaches a container engine.
func engineAnswers(ctx context.Context) (err error) {
	defer func() {
		// testcontainers panics when it finds no engine configuration at all.
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return err
	}
	defer provider.Close()
	return provider.Health(ctx)
}
