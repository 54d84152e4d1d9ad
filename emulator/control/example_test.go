package control_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/control"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/operation"
)

// groups is the collection of failover groups of tenant t1, namespace n1.
const groups = "/api/v1-preview/tenants/t1/namespaces/n1/clientfailover/groups"

// post sends a JSON body to the emulated API, as the client under test
// would, and returns the status.
func post(base, path, body string) int {
	resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// get reads from the emulated API and returns the status.
func get(base, path string) int {
	resp, err := http.Get(base + path)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func ExampleNew() {
	// An emulator in-process; in a container, use its base URL instead.
	srv, err := emulator.New(emulator.Options{AdminToken: "s3cret"})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	c := control.New(srv.URL(), control.WithAdminToken("s3cret"))
	if err := c.Health(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println("ready")
	// Output: ready
}

func ExampleWithHTTPClient() {
	// An emulator with no listener, served through its handler.
	srv, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual,
		ClockStart: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	inProcess := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, r)
		return rec.Result(), nil
	})}

	c := control.New("http://emulator", control.WithHTTPClient(inProcess))
	clk, err := c.Clock(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(clk.Now, clk.Mode)
	// Output: 2026-01-02 03:04:05 +0000 UTC manual
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func ExampleClient_Freeze() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())
	ctx := context.Background()

	// Stop time, then move it by hand: lapses happen at once.
	if _, err := c.Freeze(ctx, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); err != nil {
		log.Fatal(err)
	}
	clk, err := c.Advance(ctx, 90*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(clk.Now, clk.Mode)

	// Back to the wall clock.
	clk, err = c.SetClock(ctx, nil, clock.Real)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(clk.Mode)
	// Output:
	// 2026-01-02 03:05:35 +0000 UTC manual
	// real
}

func ExampleClient_AddFault() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())
	ctx := context.Background()

	// The next Post Group gets a 503, once.
	once := 1
	rule, err := c.AddFault(ctx, faults.Rule{
		ID:     "unavailable",
		Match:  faults.Match{Operation: operation.PostGroup},
		Action: faults.Action{Status: http.StatusServiceUnavailable, Headers: map[string]string{"Retry-After": "1"}},
		Times:  &once,
	})
	if err != nil {
		log.Fatal(err)
	}
	group := `{"Id": "g1", "FailoverTimeout": "00:00:30"}`
	fmt.Println(post(srv.URL(), groups, group), post(srv.URL(), groups, group))

	rule, err = c.Fault(ctx, rule.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rule.ID, "fired", rule.Fired, "remaining", *rule.Remaining)

	if err := c.ClearFaults(ctx); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 503 201
	// unavailable fired 1 remaining 0
}

func ExampleClient_Requests() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())

	post(srv.URL(), groups, `{"Id": "g1", "FailoverTimeout": "00:00:30"}`)
	get(srv.URL(), groups+"/g1")
	get(srv.URL(), groups+"/g2")

	// What did the client send, and what did it get?
	entries, _, err := c.Requests(context.Background(), journal.Filter{Method: http.MethodGet})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		fmt.Println(e.Seq, e.Operation, e.Path, e.Status)
	}
	// Output:
	// 2 GetGroupConfiguration /api/v1-preview/tenants/t1/namespaces/n1/clientfailover/groups/g1 200
	// 3 GetGroupConfiguration /api/v1-preview/tenants/t1/namespaces/n1/clientfailover/groups/g2 404
}

// A test that sends many requests reads the journal a page at a time.
func ExampleClient_Requests_paging() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())
	ctx := context.Background()

	for _, g := range []string{"g1", "g2", "g3", "g4", "g5"} {
		get(srv.URL(), groups+"/"+g)
	}
	var after uint64
	for {
		page, _, err := c.Requests(ctx, journal.Filter{}, control.After(after), control.Limit(2))
		if err != nil {
			log.Fatal(err)
		}
		var seqs []uint64
		for _, e := range page {
			seqs = append(seqs, e.Seq)
		}
		fmt.Println(seqs)
		if len(page) < 2 {
			break
		}
		after = page[len(page)-1].Seq
	}
	// Output:
	// [1 2]
	// [3 4]
	// [5]
}

// CountRequests verifies how often something was called, as WireMock's
// verify does, without reading the entries.
func ExampleClient_CountRequests() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())

	post(srv.URL(), groups, `{"Id": "g1", "FailoverTimeout": "00:00:30"}`)
	post(srv.URL(), groups, `{"Id": "g1", "FailoverTimeout": "00:00:30"}`)
	n, err := c.CountRequests(context.Background(), journal.Filter{Operation: operation.PostGroup, Tenant: "T1", Status: http.StatusConflict})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n)
	// Output: 1
}

func ExampleClient_Events() {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, err := emulator.New(emulator.Options{Clock: clock.Manual, ClockStart: start})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())
	ctx := context.Background()

	// Two sessions of a group with a 30 s timeout; a becomes Primary.
	post(srv.URL(), groups, `{"Id": "g1", "FailoverTimeout": "00:00:30"}`)
	for _, s := range []string{"a", "b"} {
		post(srv.URL(), groups+"/g1/clientsessions", `{"Id": "`+s+`", "Name": "`+s+`"}`)
	}
	for _, s := range []string{"a", "b"} {
		post(srv.URL(), groups+"/g1/clientsessions/"+s+"/heartbeat", `{"FailoverStatus": 100, "HeartbeatTime": "2026-01-02T03:04:05Z"}`)
	}
	// a falls silent; b goes on heartbeating.
	if _, err := c.Advance(ctx, 20*time.Second); err != nil {
		log.Fatal(err)
	}
	post(srv.URL(), groups+"/g1/clientsessions/b/heartbeat", `{"FailoverStatus": 100, "HeartbeatTime": "2026-01-02T03:04:25Z"}`)
	if _, err := c.Advance(ctx, 15*time.Second); err != nil {
		log.Fatal(err)
	}

	events, _, err := c.Events(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range events {
		fmt.Printf("+%v %s %s -> %s (%s)\n", e.Time.Sub(start), e.Session, e.From, e.To, e.Rule)
	}
	// Output:
	// +0s a Secondary -> Primary (FirstPrimary)
	// +30s a Primary -> Secondary (Lapsed)
	// +30s b Secondary -> PendingPrimary (NoPrimary)
}

// A test on the real clock waits for a failover without polling: the
// primary goes silent and WaitForRole returns when the emulator makes the
// other session PendingPrimary, a FailoverTimeout later.
func ExampleClient_WaitForRole() {
	srv, err := emulator.New(emulator.Options{}) // the real clock
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Mark the present, so nothing that happens from here on is missed.
	mark, err := c.LastSeq(ctx)
	if err != nil {
		log.Fatal(err)
	}
	post(srv.URL(), groups, `{"Id": "g1", "FailoverTimeout": "00:00:01"}`)
	for _, s := range []string{"a", "b"} {
		post(srv.URL(), groups+"/g1/clientsessions", `{"Id": "`+s+`"}`)
	}
	for _, s := range []string{"a", "b"} { // a first: a is Primary
		post(srv.URL(), groups+"/g1/clientsessions/"+s+"/heartbeat", `{"FailoverStatus": 100}`)
	}

	// Neither sends again: a lapses after a second, and b takes over.
	e, err := c.WaitForRole(ctx, "g1", "b", "PendingPrimary", control.WaitAfter(mark))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %s -> %s by %s (Seq %d)\n", e.Session, e.From, e.To, e.Rule, e.Seq)
	// Output: b: Secondary -> PendingPrimary by NoPrimary (Seq 3)
}

func ExampleClient_SetHeartbeatMinInterval() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())

	cfg, err := c.SetHeartbeatMinInterval(context.Background(), 5*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.HeartbeatMinInterval)

	cfg, err = c.Config(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.HeartbeatMinInterval)
	// Output:
	// 5s
	// 5s
}

func ExampleClient_SetState() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())
	ctx := context.Background()

	// Start a test from a prepared state, in the fixture file format.
	name := "Line 1"
	err = c.SetState(ctx, fixture.Document{Namespaces: []fixture.Namespace{{
		TenantId: "t1", NamespaceId: "n1",
		Groups: []fixture.Group{{Id: "g1", Name: &name, FailoverTimeout: "00:01:00"}},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(get(srv.URL(), groups+"/g1"))

	doc, err := c.State(ctx)
	if err != nil {
		log.Fatal(err)
	}
	g := doc.Namespaces[0].Groups[0]
	fmt.Println(g.Id, *g.Name, g.FailoverTimeout)
	// Output:
	// 200
	// g1 Line 1 00:01:00
}

func ExampleClient_Reset() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())
	ctx := context.Background()

	post(srv.URL(), groups, `{"Id": "g1", "FailoverTimeout": "00:00:30"}`)
	if err := c.Reset(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(get(srv.URL(), groups+"/g1"))

	// The journal was cleared too; only the GET above is in it.
	entries, _, err := c.Requests(ctx, journal.Filter{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(entries))
	// Output:
	// 404
	// 1
}

func ExampleClient_OpenAPI() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	doc, err := control.New(srv.URL()).OpenAPI(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(string(doc), `"openapi"`))
	// Output: true
}

func ExampleAPIError() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	_, err = control.New(srv.URL()).Advance(context.Background(), -time.Second)
	var apiErr *control.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Status, apiErr.Message)
	}
	// Output: 400 The request is not valid.
}

// roleOf posts a heartbeat to the emulated API, as the client under test
// would, and returns the role its response tells.
func roleOf(base, path, body string) string {
	resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct{ Role int }
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		log.Fatal(err)
	}
	return [...]string{"Secondary", "Primary", "PendingPrimary"}[answer.Role]
}

// A test of one real client ("me") against two virtual peers: peer-1 is
// Primary and goes silent after 50 s; peer-2 stays, with a low score. The
// real client heartbeats every 15 s on the manual clock and is told when it
// takes over.
func ExampleClient_AddVirtualClient() {
	srv, err := emulator.New(emulator.Options{Clock: clock.Manual, ClockStart: start})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := control.New(srv.URL())
	ctx := context.Background()

	post(srv.URL(), groups, `{"Id": "g1", "FailoverTimeout": "00:00:30"}`)
	post(srv.URL(), groups+"/g1/clientsessions", `{"Id": "me"}`)

	// The peers heartbeat every FailoverTimeout / 2 = 15 s from now.
	yes, low := true, 60.0
	peer := func(id string, script ...fixture.VirtualStep) fixture.VirtualClient {
		return fixture.VirtualClient{
			Surface: "preview", Tenant: "t1", Namespace: "n1", Group: "g1",
			Session: fixture.VirtualSession{Id: id}, Script: script,
		}
	}
	for _, vc := range []fixture.VirtualClient{
		peer("peer-1", fixture.VirtualStep{At: "00:00:50", Silent: &yes}),
		peer("peer-2", fixture.VirtualStep{At: "00:00:00", Score: &low}),
	} {
		added, err := c.AddVirtualClient(ctx, vc)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(added.Session.Id, "every", added.Interval, "told", *added.Progress.LastRole)
	}

	for at := time.Duration(0); at <= 105*time.Second; at += 15 * time.Second {
		fmt.Println(at, "me:", roleOf(srv.URL(), groups+"/g1/clientsessions/me/heartbeat", `{"FailoverStatus": 80}`))
		if _, err := c.Advance(ctx, 15*time.Second); err != nil {
			log.Fatal(err)
		}
	}

	events, _, err := c.Events(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range events {
		fmt.Printf("+%v %s %s -> %s (%s)\n", e.Time.Sub(start), e.Session, e.From, e.To, e.Rule)
	}
	// Output:
	// peer-1 every 00:00:15 told Primary
	// peer-2 every 00:00:15 told Secondary
	// 0s me: Secondary
	// 15s me: Secondary
	// 30s me: Secondary
	// 45s me: Secondary
	// 1m0s me: Secondary
	// 1m15s me: Secondary
	// 1m30s me: PendingPrimary
	// 1m45s me: Primary
	// +0s peer-1 Secondary -> Primary (FirstPrimary)
	// +1m15s peer-1 Primary -> Secondary (Lapsed)
	// +1m15s me Secondary -> PendingPrimary (NoPrimary)
	// +1m45s me PendingPrimary -> Primary (HandOver)
}
