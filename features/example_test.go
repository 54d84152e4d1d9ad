package features_test

import (
	"fmt"
	"io"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/features"
)

// Run the conformance suite against any base URL: here an emulator started
// in-process, without the scenarios that need the control API (as against
// the real service).
func ExampleRun() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	status := features.Run(features.Options{
		URL:    srv.URL(),
		Tags:   "~" + features.EmulatorTag,
		Format: "progress",
		Output: io.Discard,
	})
	fmt.Println("status", status)
	// Output: status 0
}

// Run the scenarios against the on-premises surface, as against an
// on-premises Client Failover Service: paths under /api/v1/clientfailover,
// the generally available bodies, and HTTP Basic credentials (here an
// emulator that requires none, so User and Password are left empty).
func ExampleRun_onPremises() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	status := features.Run(features.Options{
		URL:     srv.URL(),
		Surface: features.SurfaceOnPrem,
		Tags:    "~" + features.EmulatorTag,
		Format:  "progress",
		Output:  io.Discard,
	})
	fmt.Println("status", status)
	// Output: status 0
}
