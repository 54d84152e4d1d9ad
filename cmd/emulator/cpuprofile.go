//go:build cpuprofile

package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile, in a binary built with -tags cpuprofile, writes a CPU
// profile of the whole run to the file CPUPROFILE names (when it is set),
// for profiling the server under a load such as bench/wrk/run.sh's:
//
//	go build -tags cpuprofile -o /tmp/emulator ./cmd/emulator
//	CPUPROFILE=/tmp/cpu.pprof /tmp/emulator --fixtures fixture.json &
//	wrk ...; kill -TERM %1
//	go tool pprof -top /tmp/emulator /tmp/cpu.pprof
//
// The profile ends when run returns (a clean stop). Release builds have
// no such code (profile.go).
func startProfile() (stop func()) {
	path := os.Getenv("CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "emulator: CPU profile: %v\n", err)
		os.Exit(exitFailure)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "emulator: CPU profile: %v\n", err)
		}
	}
}
