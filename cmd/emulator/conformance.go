package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/adh-emulator/clientfailover/emulator/tlscert"
	"github.com/adh-emulator/clientfailover/features"
)

// conformanceCommand declares the conformance flags into opts and cacert.
func conformanceCommand(opts *features.Options, cacert *string, getenv func(string) string) *command {
	cmd := newCommand("emulator conformance", "--url URL [flags]",
		"Runs the conformance suite (the feature files of package features) against the server at URL:\n"+
			"an emulator, its container, or the real service (with --token and --tags '~@emulator').\n"+
			"With --surface onprem the scenarios speak the on-premises Client Failover Service\n"+
			"(/api/v1/clientfailover) instead of the cloud API, with --user and --password as HTTP Basic.\n"+
			"Exits 0 when every selected scenario passed, 1 when one failed.", getenv)
	cmd.examples = []string{
		"emulator conformance --url http://127.0.0.1:8080",
		"emulator conformance --url https://127.0.0.1:8443 --cacert cert.pem",
		"emulator conformance --url https://... --token $TOKEN --tags '~@emulator' --tenant T --namespace N --format junit > report.xml",
		"EMULATOR_PASSWORD=... emulator conformance --url https://failover-host:5590 --cacert service.pem --surface onprem --user 'PLANT\\operator' --tags '~@emulator'",
	}
	cmd.str(&opts.URL, "url", "", "the base `URL` of the server under test (required)")
	cmd.str(&opts.Surface, "surface", features.SurfaceCloud, "the `SURFACE` the scenarios speak: cloud (the API in tenants and namespaces) or onprem (the on-premises Client Failover Service)")
	cmd.str(&opts.Token, "token", "", "bearer `TOKEN` for the cloud surfaces, e.g. of the real service")
	cmd.str(&opts.User, "user", "", "the Windows account `NAME` sent with --password as HTTP Basic to the on-premises surface, e.g. 'PLANT\\operator' (an administrator of the service for every scenario)")
	cmd.str(&opts.Password, "password", "", "the `PASSWORD` of --user (better given as EMULATOR_PASSWORD: a command line is seen by other users)")
	cmd.str(&opts.AdminToken, "admin-token", "", "bearer `TOKEN` for the control API of an emulator started with --admin-token")
	cmd.str(cacert, "cacert", "", "a PEM `FILE` of certificates to trust besides the system's, e.g. the emulator's --tls-cert-out")
	cmd.str(&opts.Tags, "tags", "", "a godog tag `EXPRESSION` selecting scenarios, e.g. \"~@emulator\" against the real service")
	cmd.str(&opts.Format, "format", "progress", "the report `FORMAT`: "+strings.Join(features.Formats, ", "))
	cmd.str(&opts.Tenant, "tenant", "", "the tenant `ID` every scenario uses (default: a fresh random one per scenario)")
	cmd.str(&opts.Namespace, "namespace", "", "the namespace `ID` every scenario uses (default: a fresh random one per scenario)")
	cmd.int64(&opts.Randomize, "random", 0, "run scenarios in random order with this `SEED`; -1 picks one (0 = file order)")
	cmd.boolean(&opts.AllowReset, "allow-reset", "let the @emulator scenarios reset an emulator that holds data, fault rules or changed settings")
	return cmd
}

// conformance runs the conformance suite (the feature files of package
// features) against a running server: an emulator, its container, or the
// real service. It exits 0 when every selected scenario passed, 1 when one
// failed and 2 when the command line is wrong.
func conformance(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var opts features.Options
	var cacert string
	cmd := conformanceCommand(&opts, &cacert, getenv)
	if code, done := cmd.parse(args, stdout, stderr); done {
		return code
	}
	if cmd.fs.NArg() > 0 {
		return cmd.usageError(stderr, fmt.Errorf("unexpected argument %q", cmd.fs.Arg(0)))
	}
	if opts.URL == "" {
		return cmd.usageError(stderr, fmt.Errorf("--url (or EMULATOR_URL) is required"))
	}
	if !slices.Contains(features.Surfaces, opts.Surface) {
		return cmd.usageError(stderr, fmt.Errorf("--surface %q: want one of %s", opts.Surface, strings.Join(features.Surfaces, ", ")))
	}
	if opts.Password != "" && opts.User == "" {
		return cmd.usageError(stderr, fmt.Errorf("--password (or EMULATOR_PASSWORD) needs --user (or EMULATOR_USER)"))
	}
	if !slices.Contains(features.Formats, opts.Format) {
		return cmd.usageError(stderr, fmt.Errorf("--format %q: want one of %s", opts.Format, strings.Join(features.Formats, ", ")))
	}
	if cacert != "" {
		pool, err := tlscert.ReadPool(cacert)
		if err != nil {
			return cmd.usageError(stderr, fmt.Errorf("--cacert: %w", err))
		}
		opts.HTTPClient = tlscert.NewClient(pool)
	}
	if ctx.Err() != nil {
		return exitFailure
	}
	opts.Output = stdout
	return features.Run(opts)
}
