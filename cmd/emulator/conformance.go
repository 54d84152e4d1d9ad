package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/adh-emulator/clientfailover/features"
)

// conformance runs the conformance suite (the feature files of package
// features) against a running server: an emulator, its container, or the
// real service. It exits 0 when every selected scenario passed, 1 when one
// failed and 2 when the command line is wrong.
//
//	emulator conformance --url http://127.0.0.1:8080
//	emulator conformance --url https://... --token $TOKEN --tags '~@emulator' \
//	    --tenant T --namespace N --format junit > report.xml
func conformance(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv("EMULATOR_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return def
	}
	var opts features.Options
	fs.StringVar(&opts.URL, "url", env("url", ""), "base URL of the server under test (required; EMULATOR_URL)")
	fs.StringVar(&opts.Token, "token", env("token", ""), "bearer token for the emulated API, e.g. of the real service (EMULATOR_TOKEN)")
	fs.StringVar(&opts.AdminToken, "admin-token", env("admin-token", ""), "bearer token for the control API of an emulator started with --admin-token (EMULATOR_ADMIN_TOKEN)")
	fs.StringVar(&opts.Tags, "tags", env("tags", ""), `godog tag expression selecting scenarios, e.g. "~@emulator" against the real service (EMULATOR_TAGS)`)
	fs.StringVar(&opts.Format, "format", env("format", "progress"), "report format: "+strings.Join(features.Formats, ", ")+" (EMULATOR_FORMAT)")
	fs.StringVar(&opts.Tenant, "tenant", env("tenant", ""), "tenant id every scenario uses (default: a fresh random one per scenario; EMULATOR_TENANT)")
	fs.StringVar(&opts.Namespace, "namespace", env("namespace", ""), "namespace id every scenario uses (default: a fresh random one per scenario; EMULATOR_NAMESPACE)")
	fs.Int64Var(&opts.Randomize, "random", 0, "run scenarios in random order with this seed; -1 picks one (0 = file order)")
	fs.BoolVar(&opts.AllowReset, "allow-reset", env("allow-reset", "") == "1" || env("allow-reset", "") == "true", "let the @emulator scenarios reset an emulator that holds data, fault rules or changed settings (EMULATOR_ALLOW_RESET)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: emulator conformance --url URL [flags]")
		fmt.Fprintln(stderr, "Runs the conformance suite against the server at URL.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "conformance: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if opts.URL == "" {
		fmt.Fprintln(stderr, "conformance: --url (or EMULATOR_URL) is required")
		return 2
	}
	if !slices.Contains(features.Formats, opts.Format) {
		fmt.Fprintf(stderr, "conformance: --format %q: want one of %s\n", opts.Format, strings.Join(features.Formats, ", "))
		return 2
	}
	if ctx.Err() != nil {
		return 1
	}
	opts.Output = stdout
	return features.Run(opts)
}
