// Package features is the conformance suite of the emulated Client Failover
// API: the feature files in this folder are its executable specification.
//
// Every documented behaviour has a scenario in plain business language, and
// the same scenarios run against any base URL: an in-process emulator (go
// test), a running binary or container (emulator conformance --url ...), or
// the real service (with a token, excluding the scenarios tagged @emulator).
//
// # Isolation
//
// Each scenario gets its own world: a fresh random tenant and namespace
// (unless Options.Tenant and Options.Namespace name fixed ones), and ids for
// the groups and clients it names ("group A", "client S1") made unique to
// the scenario, so scenarios never see each other's data and need no reset
// between them, even against the real service.
//
// # Surfaces
//
// The emulator serves the cloud API (the revisions under /api/v1-preview and
// /api/v1, in tenants and namespaces) and the on-premises Client Failover
// Service (/api/v1/clientfailover, one scope of its own, HTTP Basic
// authentication). Options.Surface says which one the scenarios speak by
// default: with "cloud" (the default) a scenario's groups, clients and
// heartbeats go to /api/v1-preview; with "onprem" the same scenarios go to
// /api/v1/clientfailover with the generally available revision's property
// names (FailoverScore, RoleOverride). The steps and the placeholders {api},
// {score} and {override} follow the default surface, so most scenarios run
// on both unchanged; "through the v1 API" always names the cloud's /api/v1.
//
// The on-premises service has one scope: the scenarios of an onprem run share
// it, so each scenario deletes the groups it made when it ends, and the
// service under test must hold no groups of its own (some scenarios count
// them).
//
// # Tags
//
//   - @cloud: the scenario only applies to the cloud surfaces (tenants and
//     namespaces, access control lists, bearer tokens, the preview's bodies,
//     the two revisions side by side): left out of the onprem run.
//   - @onprem: the scenario only applies to the on-premises service (its
//     configuration, HTTP Basic and its local groups, forced Secondary):
//     left out of the cloud run.
//   - A scenario that calls the surfaces of the other kind on purpose (an
//     on-premises story beside a cloud adapter) is tagged with its run's own
//     tag and @emulator: only the emulator serves both.
//   - @emulator: the scenario needs the emulator itself, not just the API:
//     its control API under /_emulator (the manual clock, events, the
//     heartbeat rate limit, the whole state), or freedom the real service
//     does not give (other tenants and namespaces, the emulator's documented
//     role ids, changing the collection's access control list). The emulator
//     is reset before and after each of them, so they must not run
//     concurrently with other scenarios (the suite runs one at a time).
//     Exclude them with the tag expression "~@emulator" against the real
//     service.
//   - @auth: the scenario turns on the emulator's token authorisation
//     (PUT /_emulator/config {"Auth":"token"}) with identities of its own
//     (clients and users with bearer tokens, or Windows accounts for HTTP
//     Basic on-premises), and calls as one of them; always with @emulator.
//   - @wip-bug: a scenario that shows a known bug of the emulator. Run leaves
//     them out unless the tag expression names @wip-bug.
package features

import (
	"embed"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/adh-emulator/clientfailover/schemas"
)

//go:embed *.feature
var featureFiles embed.FS

// Options says what the suite runs against and how it reports.
type Options struct {
	// URL is the base URL of the server under test (required), e.g.
	// "http://127.0.0.1:8080".
	URL string
	// Surface is the surface the scenarios speak by default: "cloud" (or
	// "", the cloud revisions in a tenant's namespace) or "onprem" (the
	// on-premises Client Failover Service). The scenarios tagged with the
	// other surface's tag (@onprem, @cloud) are left out.
	Surface string
	// Token is the bearer token sent on every call to a cloud surface (the
	// real service); "" sends none.
	Token string
	// User and Password are the HTTP Basic credentials sent on every call
	// to the on-premises surface (a Windows account of the service under
	// test, e.g. `PLANT\adapter-1`, a member of AVEVAFailoverAdministrators
	// for the scenarios that delete groups, override roles or read the
	// configuration); User "" sends none.
	User     string
	Password string
	// AdminToken is the bearer token sent on every call to the control API
	// under /_emulator (an emulator started with --admin-token); "" sends none.
	AdminToken string
	// Tenant is the tenant id every scenario uses; "" gives each scenario a
	// fresh random one (isolation against an emulator).
	Tenant string
	// Namespace is the namespace id every scenario uses; "" gives each
	// scenario a fresh random one.
	Namespace string
	// Tags is a godog tag expression selecting scenarios, e.g. "~@emulator"
	// against the real service. Scenarios tagged @wip-bug are left out
	// unless the expression names @wip-bug.
	Tags string
	// Format is the godog formatter: pretty, progress, junit or cucumber
	// (default progress).
	Format string
	// Output receives the formatter's report (default os.Stdout).
	Output io.Writer
	// Randomize is godog's seed for running scenarios in random order: 0
	// keeps the order of the files, -1 picks a random seed (printed in the
	// report).
	Randomize int64
	// TestingT, when set, runs every scenario as a subtest of this test.
	TestingT *testing.T
	// HTTPClient, when set, sends every request (nil: a client of its own
	// with the system's roots). Give one trusting the server's certificate
	// for an HTTPS server: emulator.Server.Client(), or
	// tlscert.NewClient(pool). The suite keeps its own redirect policy
	// (redirects are answers, not followed) and a 30 s timeout when the
	// client has none.
	HTTPClient *http.Client
	// AllowReset lets the @emulator scenarios reset an emulator that holds
	// data (groups, identities, fault rules, changed settings): without it
	// Run refuses to start rather than destroy them.
	AllowReset bool
}

// Formats are the formatter names Options.Format accepts.
var Formats = []string{"pretty", "progress", "junit", "cucumber"}

// The surfaces Options.Surface names.
const (
	SurfaceCloud  = "cloud"
	SurfaceOnPrem = "onprem"
)

// Surfaces are the values Options.Surface accepts ("" is SurfaceCloud).
var Surfaces = []string{SurfaceCloud, SurfaceOnPrem}

// CloudTag marks scenarios that only apply to the cloud surfaces.
const CloudTag = "@cloud"

// OnPremTag marks scenarios that only apply to the on-premises service.
const OnPremTag = "@onprem"

// WipBugTag marks scenarios that show a known emulator bug.
const WipBugTag = "@wip-bug"

// EmulatorTag marks scenarios that need the emulator itself.
const EmulatorTag = "@emulator"

// Run runs the suite and returns godog's exit status: 0 when every selected
// scenario passed, 1 when one failed, 2 when the options are wrong.
func Run(opts Options) int {
	out := opts.Output
	if out == nil {
		out = os.Stdout
	}
	if opts.URL == "" {
		fmt.Fprintln(out, "features: the URL of the server under test is required")
		return 2
	}
	format := opts.Format
	if format == "" {
		format = "progress"
	}
	if !slices.Contains(Formats, format) {
		fmt.Fprintf(out, "features: format %q: want one of %s\n", format, strings.Join(Formats, ", "))
		return 2
	}
	surface := opts.Surface
	if surface == "" {
		surface = SurfaceCloud
	}
	if !slices.Contains(Surfaces, surface) {
		fmt.Fprintf(out, "features: surface %q: want one of %s\n", surface, strings.Join(Surfaces, ", "))
		return 2
	}
	if opts.User == "" && opts.Password != "" {
		fmt.Fprintln(out, "features: a Password needs a User")
		return 2
	}
	validator, err := schemas.Default()
	if err != nil {
		fmt.Fprintln(out, "features:", err)
		return 2
	}
	cfg := &config{opts: opts, schemas: validator, base: preview}
	cfg.opts.URL = strings.TrimRight(opts.URL, "/")
	cfg.opts.Surface = surface
	// The other surface's scenarios are left out.
	tags := andTags(opts.Tags, "~"+OnPremTag)
	if surface == SurfaceOnPrem {
		cfg.base = onprem
		tags = andTags(opts.Tags, "~"+CloudTag)
	}
	if !strings.Contains(opts.Tags, EmulatorTag) && !cfg.hasControlAPI() {
		fmt.Fprintf(out, "features: %s has no emulator control API (GET /_emulator/health): the %s scenarios are left out\n", cfg.opts.URL, EmulatorTag)
		tags = andTags(tags, "~"+EmulatorTag)
	}
	if !strings.Contains(tags, "~"+EmulatorTag) && !opts.AllowReset {
		if err := cfg.checkPristine(); err != nil {
			fmt.Fprintln(out, "features:", err)
			return 2
		}
	}

	suite := godog.TestSuite{
		Name:                "clientfailover",
		ScenarioInitializer: cfg.initScenario,
		Options: &godog.Options{
			Format:      format,
			Output:      out,
			FS:          featureFiles,
			Paths:       []string{"."},
			Tags:        tagExpression(tags),
			Randomize:   opts.Randomize,
			Strict:      true,
			NoColors:    true,
			Concurrency: 1,
			TestingT:    opts.TestingT,
		},
	}
	return suite.Run()
}

// andTags joins two tag expressions.
func andTags(a, b string) string {
	if strings.TrimSpace(a) == "" {
		return b
	}
	return a + " && " + b
}

// tagExpression adds the exclusion of @wip-bug scenarios to the caller's
// expression, unless it names them itself.
func tagExpression(tags string) string {
	tags = strings.TrimSpace(tags)
	if strings.Contains(tags, WipBugTag) {
		return tags
	}
	if tags == "" {
		return "~" + WipBugTag
	}
	return tags + " && ~" + WipBugTag
}
