package tcemulator_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/tcemulator"
)

// TestMain builds tcemulator.DefaultImage from this repository's source
// once per test binary, when a container engine answers (see
// tcemulator.PrepareTestEnv). Without one, the tests that need it skip, and
// the examples and benchmarks, which cannot skip, are left out.
func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := tcemulator.PrepareTestEnv(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "tcemulator: %v: tests that need a container engine skip, examples and benchmarks do not run\n", err)
		skip := "^(Example|Benchmark)"
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
