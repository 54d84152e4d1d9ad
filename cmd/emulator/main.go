// Command emulator runs the Client Failover API emulator.
//
//	emulator [flags]                     serve (see --help)
//	emulator conformance --url URL       run the conformance suite against a server
//	emulator healthcheck [--url URL]     exit 0 when the server answers its health check
//	emulator version                     print the version (also --version)
//
// Every flag has an environment variable: EMULATOR_ and the flag name in
// upper case with - as _ (EMULATOR_ADDR, EMULATOR_CLOCK_START, ...). A flag
// on the command line wins over its variable. Every command exits 0 when
// done (or when --help was asked for), 1 when it failed and 2 when its
// command line or a variable is wrong. SIGINT or SIGTERM stops the server
// cleanly (exit 0); a second one during the grace period kills it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/adh-emulator/clientfailover/emulator"
)

func main() {
	// The first signal starts a clean stop; a second one, during the grace
	// period, ends the process at once (the default), unexported. The
	// default is back before the stop begins.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-signals
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		cancel()
	}()
	stopProfile := startProfile()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stopProfile()
	os.Exit(code)
}

// run is the whole program, so tests can run it in-process; it returns the
// exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "conformance":
			return conformance(ctx, args[1:], getenv, stdout, stderr)
		case "healthcheck":
			return healthcheck(ctx, args[1:], getenv, stdout, stderr)
		case "version":
			return version(args[1:], getenv, stdout, stderr)
		case "help":
			return serve(ctx, []string{"--help"}, getenv, stdout, stderr)
		}
	}
	return serve(ctx, args, getenv, stdout, stderr)
}

// versionCommand is the version command, which has no flags.
func versionCommand(getenv func(string) string) *command {
	return newCommand("emulator version", "", "Prints the emulator's version, as GET /_emulator/health and the image label show it.", getenv)
}

// version prints the build's version (emulator.BuildVersion).
func version(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := versionCommand(getenv)
	if code, done := cmd.parse(args, stdout, stderr); done {
		return code
	}
	if cmd.fs.NArg() > 0 {
		return cmd.usageError(stderr, fmt.Errorf("unexpected argument %q", cmd.fs.Arg(0)))
	}
	fmt.Fprintln(stdout, emulator.BuildVersion())
	return exitOK
}
