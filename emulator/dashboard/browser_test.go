package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/control"
)

// screenshotPath is the README's picture of the dashboard, rewritten only
// when UPDATE_SCREENSHOT=1 (so a test run never dirties the tree).
const screenshotPath = "../../docs/dashboard.png"

// browsers are the names a Chromium is found by.
var browsers = []string{"chromium", "chromium-browser", "google-chrome"}

// browser finds a Chromium, or skips the test saying what to install. In CI
// (CI set) a missing browser fails the test instead, so CI proves it runs.
func browser(t *testing.T) string {
	t.Helper()
	for _, name := range browsers {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := fmt.Sprintf("no headless browser found (looked for %s): install Debian's chromium (apt-get install -y chromium) to run the dashboard's browser test",
		strings.Join(browsers, ", "))
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set, so it must run")
	}
	t.Skip(msg)
	return ""
}

// startBrowser starts a headless Chromium for the test (with a generous
// overall limit) and returns its first tab.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path := browser(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // test containers run as root
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	first, cancelFirst := chromedp.NewContext(alloc)
	t.Cleanup(cancelFirst)
	if err := chromedp.Do(first); err != nil { // starts the browser
		t.Fatalf("start the browser %s: %v", path, err)
	}
	return first
}

// openTab opens a new tab of the browser and returns it and the script
// errors it reports.
func openTab(t *testing.T, b context.Context) (context.Context, func() []string) {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(b)
	t.Cleanup(cancelTab)

	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(tab, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			problems = append(problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, text))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				problems = append(problems, "console error: "+strings.Join(parts, " "))
			}
		}
	})
	if err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tab, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// api calls the emulated API and fails the test on an answer other than 2xx.
func api(t *testing.T, srv *emulator.Server, method, path, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
	}
}

// waitFor polls a JavaScript condition in the page until it is true (with
// a generous limit: a condition, never a sleep, decides).
func waitFor(cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

func role(session string) string {
	return fmt.Sprintf(`document.querySelector('[data-group="g1"] tr[data-session=%q] .role')?.textContent`, session)
}

// The dashboard in a real headless Chromium (one browser, a tab per case).
func TestDashboardInABrowser(t *testing.T) {
	b := startBrowser(t)
	t.Run("shows a failover", func(t *testing.T) { showsAFailover(t, b) })
	t.Run("asks for the admin token", func(t *testing.T) { asksForTheAdminToken(t, b) })
}

// The "done when": a group with two sessions is on the page with
// their roles; a click on the page's Advance button moves the clock past
// the primary's lapse; the timeline then shows the new PendingPrimary's band.
func showsAFailover(t *testing.T, b context.Context) {
	tab, problems := openTab(t, b)
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, err := emulator.New(emulator.Options{Clock: clock.Manual, ClockStart: start})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ctl := control.New(srv.URL())
	const cloud = "/api/v1/tenants/contoso/namespaces/plant-a/clientfailover/groups"
	const onprem = "/api/v1/clientfailover/groups"

	// g1: a is Primary; b heartbeats 10 s later, so it is live when a
	// lapses at 30 s. An on-premises group shows the other scope.
	api(t, srv, http.MethodPost, cloud, `{"Id":"g1","Name":"Boiler feed","FailoverTimeout":"00:00:30"}`)
	api(t, srv, http.MethodPost, cloud+"/g1/clientsessions", `{"Id":"a","Name":"adapter A"}`)
	api(t, srv, http.MethodPost, cloud+"/g1/clientsessions", `{"Id":"b","Name":"adapter B"}`)
	api(t, srv, http.MethodPost, cloud+"/g1/clientsessions/a/heartbeat", `{"FailoverScore":100,"LastDataProcessedTime":"2026-01-02T03:04:00Z"}`)
	if _, err := ctl.Advance(t.Context(), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	api(t, srv, http.MethodPost, cloud+"/g1/clientsessions/b/heartbeat", `{"FailoverScore":90}`)
	api(t, srv, http.MethodPost, onprem, `{"Id":"historian","FailoverTimeout":"00:01:00"}`)
	api(t, srv, http.MethodPost, onprem+"/historian/clientsessions", `{"Id":"node-1"}`)
	api(t, srv, http.MethodPost, onprem+"/historian/clientsessions/node-1/heartbeat", `{"FailoverScore":100}`)

	err = chromedp.Do(tab,
		chromedp.Navigate(srv.URL()+emulator.DashboardPath),
		chromedp.WaitVisible(chromedp.CSS(`[data-group="g1"] tr[data-session="b"]`)),
		waitFor(role("a")+` === 'Primary' && `+role("b")+` === 'Secondary'`),
		waitFor(`document.getElementById('live').textContent === 'live'`),
		waitFor(`document.querySelector('[data-group="historian"] tr[data-session="node-1"] .role')?.textContent === 'Primary'`),
		// A fault from the page, then the clock moved from the page.
		chromedp.SetValue(chromedp.CSS(`#fault-op`), "GetGroupStatus"),
		chromedp.Click(chromedp.CSS(`#add-fault`)),
		waitFor(`document.getElementById('fault-list').textContent.includes('GetGroupStatus')`),
	)
	if err != nil {
		t.Fatalf("driving the page: %v; script problems: %v", err, problems())
	}
	// The fault fires on the next Get Group Status; the journal will show it.
	resp, err := http.Get(srv.URL() + cloud + "/g1/status")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("GET status with the page's fault: %d, want 503", resp.StatusCode)
	}
	err = chromedp.Do(tab,
		chromedp.SetValue(chromedp.CSS(`#advance-by`), "00:00:25"),
		chromedp.Click(chromedp.CSS(`#advance`)),
		waitFor(`document.querySelector('[data-group="g1"] rect.band[data-session="b"][data-role="PendingPrimary"]') !== null`),
		waitFor(role("a")+` === 'Secondary' && `+role("b")+` === 'PendingPrimary'`),
		waitFor(`document.getElementById('clock-now').textContent.startsWith('2026-01-02 03:04:40')`),
	)
	if err != nil {
		t.Fatalf("driving the page: %v; script problems: %v", err, problems())
	}
	if fault, err := ctl.Faults(t.Context()); err != nil || len(fault) != 1 {
		t.Errorf("faults after the page added one: %v, %v", fault, err)
	}
	if err := chromedp.Do(tab, waitFor(`[...document.querySelectorAll('#requests tr')].some((r) => r.textContent.includes('GetGroupStatus') && r.textContent.includes('503') && r.textContent.includes('fault-1'))`)); err != nil {
		t.Fatalf("the journal row of the fault: %v", err)
	}
	title, err := chromedp.Run(tab, chromedp.AttributeValue(chromedp.CSS(`[data-group="g1"] rect.band[data-role="PendingPrimary"]`), "data-session"))
	if err != nil || title.Value != "b" {
		t.Errorf("PendingPrimary band: %+v, %v", title, err)
	}
	hover, err := chromedp.Run(tab, chromedp.TextContent(chromedp.CSS(`[data-group="g1"] rect.band[data-role="PendingPrimary"] title`)))
	if err != nil || !strings.Contains(hover, "NoPrimary") || !strings.Contains(hover, "03:04:35") {
		t.Errorf("the band's hover text %q (%v): want the rule and the instant", hover, err)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the page's script reported problems: %v", p)
	}

	if os.Getenv("UPDATE_SCREENSHOT") == "1" {
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.MkdirAll(filepath.Dir(screenshotPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(screenshotPath, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", screenshotPath, len(png))
	}
}

// With --admin-token the page asks for the token, sends it, keeps it out
// of the address, and then shows the data. Its override buttons post
// through the emulated API, and say so when that API wants credentials.
func asksForTheAdminToken(t *testing.T, b context.Context) {
	tab, problems := openTab(t, b)
	srv, err := emulator.New(emulator.Options{Clock: clock.Manual, AdminToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	api(t, srv, http.MethodPost, "/api/v1/tenants/t/namespaces/n/clientfailover/groups", `{"Id":"g1","FailoverTimeout":"00:00:30"}`)
	for _, id := range []string{"a", "b"} {
		api(t, srv, http.MethodPost, "/api/v1/tenants/t/namespaces/n/clientfailover/groups/g1/clientsessions", `{"Id":"`+id+`"}`)
		api(t, srv, http.MethodPost, "/api/v1/tenants/t/namespaces/n/clientfailover/groups/g1/clientsessions/"+id+"/heartbeat", `{"FailoverScore":100}`)
	}

	err = chromedp.Do(tab,
		chromedp.Navigate(srv.URL()+emulator.DashboardPath),
		chromedp.WaitVisible(chromedp.CSS(`#token-input`)),
		chromedp.SendKeys(chromedp.CSS(`#token-input`), "s3cret"),
		chromedp.Click(chromedp.CSS(`#token-form button[type=submit]`)),
		waitFor(role("a")+` === 'Primary' && `+role("b")+` === 'Secondary'`),
		waitFor(`document.getElementById('live').textContent === 'live'`),
		waitFor(`!location.href.includes('s3cret') && sessionStorage.length === 0`),
		chromedp.Click(chromedp.CSS(`[data-group="g1"] tr[data-session="b"] td.actions button`)), // Force Primary
		waitFor(role("b")+` === 'Primary' && `+role("a")+` === 'Secondary'`),
		waitFor(`document.querySelector('[data-group="g1"] tr[data-session="b"] td:nth-child(5)').textContent === 'Primary'`),
		waitFor(`document.querySelector('[data-group="g1"] rect.band[data-session="b"][data-role="Primary"] title')?.textContent.includes('by Override')`),
	)
	if err != nil {
		msg, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById('message').textContent`))
		t.Fatalf("driving the page: %v; the page says %q; script problems: %v", err, msg, problems())
	}
	ctl := control.New(srv.URL(), control.WithAdminToken("s3cret"))
	if _, err := ctl.SetAuth(t.Context(), "token"); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(tab,
		chromedp.Click(chromedp.CSS(`[data-group="g1"] tr[data-session="b"] td.actions button:last-child`)), // Override off
		waitFor(`document.getElementById('message').textContent.includes('refused the override (401)')`),
	)
	if err != nil {
		t.Fatalf("override under --auth token: %v; script problems: %v", err, problems())
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the page's script reported problems: %v", p)
	}
}
