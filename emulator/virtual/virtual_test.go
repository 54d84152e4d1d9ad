package virtual_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/virtual"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// sec is the instant s seconds after t0.
func sec(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func client(script ...virtual.Step) virtual.Client {
	return virtual.Client{
		ID: "peer", Surface: virtual.V1, Tenant: "t", Namespace: "n", Group: "g", Session: "s",
		Interval: 10 * time.Second, Start: t0, Script: script,
	}
}

func score(at, s float64) virtual.Step {
	return virtual.Step{At: secs(at), Kind: virtual.ScoreStep, Score: s}
}
func silent(at float64) virtual.Step { return virtual.Step{At: secs(at), Kind: virtual.SilentStep} }
func resume(at float64) virtual.Step { return virtual.Step{At: secs(at), Kind: virtual.ResumeStep} }
func leave(at float64) virtual.Step  { return virtual.Step{At: secs(at), Kind: virtual.LeaveStep} }

// show writes actions as "+10s Heartbeat 100" lines relative to t0.
func show(actions []virtual.Action) string {
	var lines []string
	for _, a := range actions {
		line := fmt.Sprintf("+%v %s", a.At.Sub(t0), a.Kind)
		if a.Kind == virtual.Heartbeat {
			line += fmt.Sprintf(" %v", a.Score)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func TestActions(t *testing.T) {
	tests := []struct {
		name     string
		c        virtual.Client
		joined   time.Time
		from, to time.Time
		want     string
	}{
		{"registers and heartbeats at Start, then every Interval", client(), time.Time{}, sec(-1), sec(30),
			"+0s Register\n+0s Heartbeat 100\n+10s Heartbeat 100\n+20s Heartbeat 100\n+30s Heartbeat 100"},
		{"from is excluded, to included", client(), time.Time{}, sec(0), sec(20),
			"+10s Heartbeat 100\n+20s Heartbeat 100"},
		{"a score step at a heartbeat's instant applies to it", client(score(10, 50)), time.Time{}, sec(-1), sec(20),
			"+0s Register\n+0s Heartbeat 100\n+10s Heartbeat 50\n+20s Heartbeat 50"},
		{"a score step between heartbeats applies to the next", client(score(15, 50)), time.Time{}, sec(5), sec(20),
			"+10s Heartbeat 100\n+20s Heartbeat 50"},
		{"silent at a heartbeat's instant: that heartbeat is not posted", client(silent(20)), time.Time{}, sec(0), sec(60),
			"+10s Heartbeat 100"},
		{"resume posts at once, then every Interval from there", client(silent(15), resume(37)), time.Time{}, sec(0), sec(60),
			"+10s Heartbeat 100\n+37s Heartbeat 100\n+47s Heartbeat 100\n+57s Heartbeat 100"},
		{"resume while heartbeating changes nothing", client(resume(15)), time.Time{}, sec(0), sec(30),
			"+10s Heartbeat 100\n+20s Heartbeat 100\n+30s Heartbeat 100"},
		{"leave deletes the session and ends the client", client(leave(25)), time.Time{}, sec(0), sec(90),
			"+10s Heartbeat 100\n+20s Heartbeat 100\n+25s Leave"},
		{"leave at a heartbeat's instant: no heartbeat then", client(leave(20)), time.Time{}, sec(0), sec(90),
			"+10s Heartbeat 100\n+20s Leave"},
		{"silent at Start: registers without a heartbeat", client(silent(0), resume(5)), time.Time{}, sec(-1), sec(15),
			"+0s Register\n+5s Heartbeat 100\n+15s Heartbeat 100"},
		{"leave at Start: registers and leaves", client(leave(0)), time.Time{}, sec(-1), sec(60),
			"+0s Register\n+0s Leave"},
		{"score at Start applies to the first heartbeat", client(score(0, 0)), time.Time{}, sec(-1), sec(0),
			"+0s Register\n+0s Heartbeat 0"},
		{"Silent then Resume at one instant: heartbeats from it", client(silent(20), resume(20)), time.Time{}, sec(0), sec(30),
			"+10s Heartbeat 100\n+20s Heartbeat 100\n+30s Heartbeat 100"},
		{"Resume then Silent at one instant: silent", client(resume(20), silent(20)), time.Time{}, sec(0), sec(30),
			"+10s Heartbeat 100"},
		{"a Start in the future", client(), time.Time{}, sec(-100), sec(10),
			"+0s Register\n+0s Heartbeat 100\n+10s Heartbeat 100"},
		{"late join: registers and heartbeats when added, then every Interval", client(), sec(25), sec(-1), sec(45),
			"+25s Register\n+25s Heartbeat 100\n+35s Heartbeat 100\n+45s Heartbeat 100"},
		{"late join keeps the score in force", client(score(5, 30)), sec(12), sec(0), sec(22),
			"+12s Register\n+12s Heartbeat 30\n+22s Heartbeat 30"},
		{"late join while silent: heartbeats only from the Resume", client(silent(10), resume(40)), sec(25), sec(0), sec(50),
			"+25s Register\n+40s Heartbeat 100\n+50s Heartbeat 100"},
		{"late join, then silent and resumed", client(silent(30), resume(42)), sec(25), sec(0), sec(52),
			"+25s Register\n+25s Heartbeat 100\n+42s Heartbeat 100\n+52s Heartbeat 100"},
		{"late join after its Leave: never acts", client(leave(10)), sec(25), sec(-1), sec(100), ""},
		{"late join at its Leave: registers and leaves", client(leave(25)), sec(25), sec(-1), sec(100),
			"+25s Register\n+25s Leave"},
		{"joined before Start is on time", client(), sec(-50), sec(-60), sec(0),
			"+0s Register\n+0s Heartbeat 100"},
		{"an empty interval", client(), time.Time{}, sec(10), sec(10), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := virtual.Compile(tt.c, tt.joined)
			if err != nil {
				t.Fatal(err)
			}
			got := p.Actions(tt.from, tt.to)
			if show(got) != tt.want {
				t.Fatalf("actions in (%v, %v]:\n%s\nwant:\n%s", tt.from.Sub(t0), tt.to.Sub(t0), show(got), tt.want)
			}
			// Heartbeats counts what Actions lists, without listing it.
			n := int64(0)
			for _, a := range got {
				if a.Kind == virtual.Heartbeat {
					n++
				}
			}
			if c := p.Heartbeats(tt.from, tt.to); c != n {
				t.Errorf("Heartbeats(%v, %v) = %d, Actions lists %d", tt.from.Sub(t0), tt.to.Sub(t0), c, n)
			}
			// The interval cut anywhere lists the same actions: a big
			// step and many small ones agree.
			for cut := tt.from; cut.Before(tt.to); cut = cut.Add(time.Second) {
				split := append(p.Actions(tt.from, cut), p.Actions(cut, tt.to)...)
				if show(split) != show(got) {
					t.Fatalf("cut at %v:\n%s\nwant:\n%s", cut.Sub(t0), show(split), show(got))
				}
				if c := p.Heartbeats(tt.from, cut) + p.Heartbeats(cut, tt.to); c != n {
					t.Fatalf("cut at %v: %d heartbeats, want %d", cut.Sub(t0), c, n)
				}
			}
		})
	}
}

func TestNextAndState(t *testing.T) {
	p, err := virtual.Compile(client(score(15, 40), silent(30), resume(45), leave(70)), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	never := time.Time{}
	tests := []struct {
		at            time.Time
		next, nextHB  time.Time
		state         virtual.State
		stateDescribe string
	}{
		{sec(-1), sec(0), sec(0), virtual.State{Score: 100}, "before Start"},
		{sec(0), sec(10), sec(10), virtual.State{Registered: true, Score: 100}, "at Start"},
		{sec(12), sec(20), sec(20), virtual.State{Registered: true, Score: 100}, "before the score step"},
		{sec(15), sec(20), sec(20), virtual.State{Registered: true, Score: 40}, "at the score step"},
		{sec(30), sec(45), sec(45), virtual.State{Registered: true, Score: 40, Silent: true}, "silent"},
		{sec(45), sec(55), sec(55), virtual.State{Registered: true, Score: 40}, "resumed"},
		{sec(65), sec(70), never, virtual.State{Registered: true, Score: 40}, "before the leave"},
		{sec(70), never, never, virtual.State{Score: 40, Left: true}, "left"},
	}
	for _, tt := range tests {
		t.Run(tt.stateDescribe, func(t *testing.T) {
			next, ok := p.Next(tt.at)
			if ok != !tt.next.IsZero() || ok && !next.Equal(tt.next) {
				t.Errorf("Next(%v) = %v, %v; want %v", tt.at.Sub(t0), next.Sub(t0), ok, tt.next.Sub(t0))
			}
			hb, ok := p.NextHeartbeat(tt.at)
			if ok != !tt.nextHB.IsZero() || ok && !hb.Equal(tt.nextHB) {
				t.Errorf("NextHeartbeat(%v) = %v, %v; want %v", tt.at.Sub(t0), hb.Sub(t0), ok, tt.nextHB.Sub(t0))
			}
			if got := p.StateAt(tt.at); got != tt.state {
				t.Errorf("StateAt(%v) = %+v, want %+v", tt.at.Sub(t0), got, tt.state)
			}
		})
	}
}

// A count far beyond any move's limit is computed, not enumerated.
func TestHeartbeatsCountsWithoutListing(t *testing.T) {
	c := client()
	c.Interval = virtual.MinInterval
	p, err := virtual.Compile(c, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	year := t0.AddDate(1, 0, 0)
	want := int64(year.Sub(t0)/time.Millisecond) + 1
	if got := p.Heartbeats(sec(-1), year); got != want {
		t.Errorf("a year at 1 ms: %d heartbeats, want %d", got, want)
	}
	// Beyond what a time.Duration holds, the grid stops rather than wraps.
	far := t0.AddDate(400, 0, 0)
	if got := p.Heartbeats(far.Add(-time.Second), far); got < 0 {
		t.Errorf("400 years on: %d heartbeats", got)
	}
}

func TestCompileRefusesBadClients(t *testing.T) {
	with := func(change func(*virtual.Client)) virtual.Client {
		c := client()
		change(&c)
		return c
	}
	tests := []struct {
		name string
		c    virtual.Client
		want string
	}{
		{"no id", with(func(c *virtual.Client) { c.ID = "" }), "Id is required"},
		{"unknown surface", with(func(c *virtual.Client) { c.Surface = "v2" }), `Surface "v2"`},
		{"cloud without tenant", with(func(c *virtual.Client) { c.Tenant = "" }), "Tenant is required"},
		{"cloud without namespace", with(func(c *virtual.Client) { c.Namespace = "" }), "Namespace is required"},
		{"onprem with a tenant", with(func(c *virtual.Client) { c.Surface = virtual.OnPrem }), "must be absent"},
		{"no group", with(func(c *virtual.Client) { c.Group = "" }), "Group is required"},
		{"no session", with(func(c *virtual.Client) { c.Session = "" }), "Session.Id is required"},
		{"long session id", with(func(c *virtual.Client) { c.Session = strings.Repeat("s", 257) }), "257 characters"},
		{"zero interval", with(func(c *virtual.Client) { c.Interval = 0 }), "greater than zero"},
		{"negative interval", with(func(c *virtual.Client) { c.Interval = -time.Second }), "greater than zero"},
		{"interval under a millisecond", with(func(c *virtual.Client) { c.Interval = time.Microsecond }), "shortest allowed, 00:00:00.0010000"},
		{"no start", with(func(c *virtual.Client) { c.Start = time.Time{} }), "Start is required"},
		{"a start after year 9999", with(func(c *virtual.Client) { c.Start = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), "the Start 10000-01-01T00:00:00Z is after the last instant"},
		{"a step after year 9999", with(func(c *virtual.Client) {
			c.Start = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
			c.Script = []virtual.Step{silent(86400)}
		}), "Script[0].At: its instant 10000-01-01T00:00:00Z is after the last"},
		{"negative At", client(silent(-1)), "Script[0].At -00:00:01 is negative"},
		{"steps out of order", client(silent(50), resume(10)), "Script[1].At 00:00:10 is before the previous step's 00:00:50"},
		{"score above 100", client(score(0, 101)), "Script[0].Score 101 is outside 0 to 100"},
		{"score below 0", client(score(0, -1)), "outside 0 to 100"},
		{"score NaN", client(score(0, math.NaN())), "outside 0 to 100"},
		{"a step after Leave", client(leave(10), score(10, 5)), "Script[1] comes after a Leave"},
		{"a step of no kind", client(virtual.Step{At: time.Second}), "Script[0] has no Score"},
		{"too many steps", client(slices.Repeat([]virtual.Step{score(1, 1)}, virtual.MaxSteps+1)...), "1001 steps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := virtual.Compile(tt.c, time.Time{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestFromFixture(t *testing.T) {
	yes, no := true, false
	fifty := 50.0
	tests := []struct {
		name string
		fc   fixture.VirtualClient
		want string // an error, or "" for none
	}{
		{"defaults", fixture.VirtualClient{Group: "g", Session: fixture.VirtualSession{Id: "s"}}, ""},
		{"bad interval", fixture.VirtualClient{Interval: "soon"}, "the Interval:"},
		{"zero interval", fixture.VirtualClient{Interval: "00:00:00"}, `the Interval "00:00:00" must be greater than zero`},
		{"negative interval", fixture.VirtualClient{Interval: "-1s"}, "greater than zero"},
		{"step without At", fixture.VirtualClient{Script: []fixture.VirtualStep{{Silent: &yes}}}, "Script[0].At is required"},
		{"step with a bad At", fixture.VirtualClient{Script: []fixture.VirtualStep{{At: "x", Silent: &yes}}}, "Script[0].At:"},
		{"step with nothing", fixture.VirtualClient{Script: []fixture.VirtualStep{{At: "1s"}}}, "none of Score, Silent, Resume and Leave"},
		{"step with two", fixture.VirtualClient{Script: []fixture.VirtualStep{{At: "1s", Score: &fifty, Leave: &yes}}}, "has Score and Leave"},
		{"a false flag", fixture.VirtualClient{Script: []fixture.VirtualStep{{At: "1s", Silent: &no}}}, "Script[0].Silent is false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := virtual.FromFixture(tt.fc)
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// The JSON form of a plan reads back to the same definition.
func TestFixtureRoundTrip(t *testing.T) {
	name := "peer"
	c := client(score(0, 80), silent(50), resume(80), leave(120))
	c.SessionName = &name
	c.Surface = virtual.Preview
	p, err := virtual.Compile(c, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	back, err := virtual.FromFixture(p.Fixture())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p.Client()) || *back.SessionName != name {
		t.Errorf("read back %+v, want %+v", back, p.Client())
	}
	if fc := p.Fixture(); fc.Surface != "preview" || fc.Interval != "00:00:10" || !fc.Start.Equal(t0) || len(fc.Script) != 4 {
		t.Errorf("fixture form %+v", fc)
	}
}

func ExamplePlan_Actions() {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// A peer that heartbeats every 15 s, drops to a score of 40 after
	// 20 s, and goes silent after 50 s.
	p, err := virtual.Compile(virtual.Client{
		ID: "peer", Surface: virtual.V1, Tenant: "t", Namespace: "n", Group: "g", Session: "peer",
		Interval: 15 * time.Second, Start: start,
		Script: []virtual.Step{
			{At: 20 * time.Second, Kind: virtual.ScoreStep, Score: 40},
			{At: 50 * time.Second, Kind: virtual.SilentStep},
		},
	}, time.Time{})
	if err != nil {
		panic(err)
	}
	for _, a := range p.Actions(start.Add(-time.Nanosecond), start.Add(2*time.Minute)) {
		fmt.Println(a.At.Sub(start), a.Kind, a.Score)
	}
	fmt.Println(p.Heartbeats(start.Add(-time.Nanosecond), start.Add(2*time.Minute)), "heartbeats")
	// Output:
	// 0s Register 0
	// 0s Heartbeat 100
	// 15s Heartbeat 100
	// 30s Heartbeat 40
	// 45s Heartbeat 40
	// 4 heartbeats
}
