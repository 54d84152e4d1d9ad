// Command emulator runs the Client Failover API emulator.
//
//	emulator [flags]                     serve (see --help)
//	emulator conformance --url URL       run the conformance suite against a server
//	emulator healthcheck [--url URL]     exit 0 when the server answers its health check
//
// Every flag has an environment variable: EMULATOR_ and the flag name in
// upper case with - as _ (EMULATOR_ADDR, EMULATOR_CLOCK_START, ...). A flag
// on the command line wins over its variable.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the whole program, so tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "conformance":
			return conformance(ctx, args[1:], getenv, stdout, stderr)
		case "healthcheck":
			return healthcheck(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	if err := serve(ctx, args, getenv, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 1
	}
	return 0
}
