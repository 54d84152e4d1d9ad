package features

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"
)

const (
	onPremGroup = `in (on-premises )?group "([^"]*)"`
	period      = `(\d+) (seconds?|minutes?)`
)

// virtualSteps are the steps about virtual clients, the peers the emulator
// drives itself (control API /_emulator/virtual-clients), and the few steps
// of the on-premises surface their stories need.
func (w *world) virtualSteps(sc *godog.ScenarioContext) {
	sc.Step(`^a virtual client "([^"]*)" `+onPremGroup+`$`, func(c, op, g string) error { return w.haveVirtual(c, op, g, "", nil) })
	sc.Step(`^a virtual client "([^"]*)" `+onPremGroup+` with score (\S+)$`, func(c, op, g, score string) error {
		return w.haveVirtual(c, op, g, "", []map[string]any{{"At": "00:00:00", "Score": json.Number(score)}})
	})
	sc.Step(`^a virtual client "([^"]*)" `+onPremGroup+` that (goes silent|leaves) after `+period+`$`, func(c, op, g, what string, n int, unit string) error {
		flag := map[string]string{"goes silent": "Silent", "leaves": "Leave"}[what]
		return w.haveVirtual(c, op, g, "", []map[string]any{{"At": spanOf(n, unit), flag: true}})
	})
	sc.Step(`^a virtual client "([^"]*)" `+onPremGroup+` heartbeating every "([^"]*)"$`, func(c, op, g, every string) error { return w.haveVirtual(c, op, g, every, nil) })
	sc.Step(`^a virtual client "([^"]*)" `+onPremGroup+` with the script:$`, func(c, op, g string, t *godog.Table) error { return w.haveScripted(c, op, g, "", t) })
	sc.Step(`^a virtual client "([^"]*)" `+onPremGroup+` heartbeating every "([^"]*)" with the script:$`, w.haveScripted)
	sc.Step(`^I add a virtual client with the body:$`, func(body *godog.DocString) error {
		return w.send(http.MethodPost, "/_emulator/virtual-clients", []byte(w.expand(body.Content)))
	})
	sc.Step(`^I remove the virtual client "([^"]*)"( and its session)?$`, w.removeVirtual)

	sc.Step(`^a failover group "([^"]*)" on the on-premises surface with a failover timeout of "([^"]*)"$`, w.haveOnPremGroup)
	sc.Step(`^client "([^"]*)" has joined on-premises group "([^"]*)"$`, w.haveJoinedOnPrem)
	sc.Step(`^the on-premises group "([^"]*)" shows (no primary|"[^"]*" as primary) and (no pending primary|"[^"]*" as pending primary)$`, w.onPremStatusShows)

	sc.Step(`^`+period+` pass in steps of `+period+`$`, w.timePassesInSteps)
	sc.Step(`^client "([^"]*)" sends a heartbeat with score (\S+) every (\d+) seconds for `+period+`$`, w.heartbeatEvery)
	sc.Step(`^the real client "([^"]*)" is told it is `+role+` on its next heartbeat(?: with score (\S+))?$`, w.toldOnNextHeartbeat)

	sc.Step(`^the virtual client "([^"]*)" was last told it is `+role+`$`, w.virtualLastTold)
	sc.Step(`^the virtual client "([^"]*)" (is silent|is heartbeating|has left)$`, w.virtualIs)
	sc.Step(`^the virtual client "([^"]*)" has sent (\d+) heartbeats?$`, w.virtualSent)
	sc.Step(`^the emulator has (no|\d+) virtual clients?$`, w.virtualCount)
	sc.Step(`^the journal holds (\d+) virtual requests?(?: answered (\d+))?$`, w.virtualRequests)
	sc.Step(`^the journal shows the heartbeats of virtual client "([^"]*)" at "([^"]*)" with the property "([^"]*)"$`, w.virtualHeartbeatsAt)

	sc.Step(`^I take note of where the story is$`, w.noteStory)
	sc.Step(`^the story goes back to where I took note of it$`, w.backToNote)
	sc.Step(`^I take note of the events of group "([^"]*)"$`, w.noteEvents)
	sc.Step(`^the events of group "([^"]*)" since the note are the ones I took note of$`, w.eventsAsNoted)
}

// duration reads "3 seconds", "1 minute".
func duration(n int, unit string) time.Duration {
	if strings.HasPrefix(unit, "minute") {
		return time.Duration(n) * time.Minute
	}
	return time.Duration(n) * time.Second
}

func spanOf(n int, unit string) string { return duration(n, unit).String() }

// haveVirtual adds a virtual client whose alias names both it and its
// session, in the scenario's tenant and namespace on the v1 surface, or on
// the on-premises surface (named, or the run's default); it must be
// created.
func (w *world) haveVirtual(c, onPrem, group, every string, script []map[string]any) error {
	body := map[string]any{"Id": w.id(c), "Group": w.id(group), "Session": map[string]any{"Id": w.id(c)}, "Script": script}
	if script == nil {
		body["Script"] = []any{}
	}
	if every != "" {
		body["Interval"] = every
	}
	rev := ga
	if onPrem != "" || w.base.onPremises { // the run's default surface, as every step speaks it
		rev = onprem
		body["Surface"] = "onprem"
	} else {
		body["Tenant"], body["Namespace"] = w.tenant, w.namespace
	}
	if _, err := w.expect(http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients", body); err != nil {
		return fmt.Errorf("adding virtual client %q: %w", c, err)
	}
	w.clients[c] = &client{group: group, rev: rev}
	return nil
}

// haveScripted adds a virtual client with a script given as a table with
// the columns "after" (a time such as "50 seconds" or a time-span) and "it"
// ("goes silent", "resumes", "leaves" or "reports score 60").
func (w *world) haveScripted(c, onPrem, group, every string, table *godog.Table) error {
	if len(table.Rows) < 1 || len(table.Rows[0].Cells) != 2 || table.Rows[0].Cells[0].Value != "after" || table.Rows[0].Cells[1].Value != "it" {
		return fmt.Errorf("the script needs the columns after and it")
	}
	var script []map[string]any
	for _, row := range table.Rows[1:] {
		at, what := row.Cells[0].Value, row.Cells[1].Value
		if f := strings.Fields(at); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				at = spanOf(n, f[1])
			}
		}
		step := map[string]any{"At": at}
		switch {
		case what == "goes silent":
			step["Silent"] = true
		case what == "resumes":
			step["Resume"] = true
		case what == "leaves":
			step["Leave"] = true
		case strings.HasPrefix(what, "reports score "):
			step["Score"] = json.Number(strings.TrimPrefix(what, "reports score "))
		default:
			return fmt.Errorf("a script step %q: want goes silent, resumes, leaves or reports score N", what)
		}
		script = append(script, step)
	}
	return w.haveVirtual(c, onPrem, group, every, script)
}

func (w *world) removeVirtual(c, withSession string) error {
	path := "/_emulator/virtual-clients/" + url.PathEscape(w.id(c))
	if withSession != "" {
		path += "?leave=true"
	}
	_, err := w.expect(http.StatusNoContent, http.MethodDelete, path, nil)
	return err
}

func (w *world) haveOnPremGroup(group, timeout string) error {
	_, err := w.expect(http.StatusCreated, http.MethodPost, w.groupsPath(onprem), groupBody(w.id(group), timeout))
	if err != nil {
		return fmt.Errorf("creating on-premises group %q: %w", group, err)
	}
	w.group = group
	return nil
}

func (w *world) haveJoinedOnPrem(c, group string) error {
	w.register(c, group, onprem)
	_, err := w.expect(http.StatusCreated, http.MethodPost, w.sessionsPath(onprem, group), w.joinBody(c))
	return err
}

func (w *world) onPremStatusShows(group, primary, pending string) error {
	r, err := w.expect(http.StatusOK, http.MethodGet, w.groupPath(onprem, group)+"/status", nil)
	if err != nil {
		return err
	}
	return w.statusHolds(r, primary, pending)
}

// timePassesInSteps moves the clock by total in moves of step each (the
// last one shorter when step does not divide total).
func (w *world) timePassesInSteps(n int, unit string, m int, stepUnit string) error {
	total, step := duration(n, unit), duration(m, stepUnit)
	if step <= 0 {
		return fmt.Errorf("steps of %v: want a positive step", step)
	}
	for left := total; left > 0; left -= step {
		by := min(step, left)
		if _, err := w.expect(http.StatusOK, http.MethodPost, "/_emulator/clock/advance", map[string]any{"By": by.String()}); err != nil {
			return err
		}
	}
	return nil
}

// heartbeatEvery has a real client heartbeat now and then every interval
// until the time given has passed, the clock moving in between; the last
// heartbeat's answer is the last response.
func (w *world) heartbeatEvery(c, score string, every, n int, unit string) error {
	interval, total := time.Duration(every)*time.Second, duration(n, unit)
	if interval <= 0 {
		return fmt.Errorf("every %d seconds: want a positive interval", every)
	}
	for elapsed := time.Duration(0); ; elapsed += interval {
		if err := w.haveSentHeartbeat(c, score); err != nil {
			return fmt.Errorf("after %v: %w", elapsed, err)
		}
		if elapsed+interval > total {
			return nil
		}
		if _, err := w.expect(http.StatusOK, http.MethodPost, "/_emulator/clock/advance", map[string]any{"By": interval.String()}); err != nil {
			return err
		}
	}
}

func (w *world) toldOnNextHeartbeat(c, want, score string) error {
	if score == "" {
		score = "100"
	}
	if err := w.sendHeartbeat(c, score, ""); err != nil {
		return err
	}
	return w.heartbeatTells(c, want)
}

// virtualClient reads a virtual client through the control API.
func (w *world) virtualClient(c string) (*response, error) {
	return w.expect(http.StatusOK, http.MethodGet, "/_emulator/virtual-clients/"+url.PathEscape(w.id(c)), nil)
}

func (w *world) virtualProgress(c, property string) (any, *response, error) {
	r, err := w.virtualClient(c)
	if err != nil {
		return nil, nil, err
	}
	v, err := lookup(r.doc, "Progress."+property)
	return v, r, err
}

func (w *world) virtualLastTold(c, want string) error {
	got, r, err := w.virtualProgress(c, "LastRole")
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("virtual client %q was last told %s, want %s: %s", c, show(got), want, r.body)
	}
	return nil
}

func (w *world) virtualIs(c, state string) error {
	r, err := w.virtualClient(c)
	if err != nil {
		return err
	}
	silent, _ := lookup(r.doc, "Progress.Silent")
	left, _ := lookup(r.doc, "Progress.Left")
	want := map[string][2]bool{"is silent": {true, false}, "is heartbeating": {false, false}, "has left": {false, true}}[state]
	if state == "has left" {
		silent = false // a client that left may have been silent before
	}
	if silent != want[0] || left != want[1] {
		return fmt.Errorf("virtual client %q: want it %s: %s", c, state, r.body)
	}
	return nil
}

func (w *world) virtualSent(c string, n int) error {
	got, r, err := w.virtualProgress(c, "Heartbeats")
	if err != nil {
		return err
	}
	if f, ok := number(got); !ok || int(f) != n {
		return fmt.Errorf("virtual client %q has sent %s heartbeats, want %d: %s", c, show(got), n, r.body)
	}
	return nil
}

func (w *world) virtualCount(n string) error {
	want := 0
	if n != "no" {
		want, _ = strconv.Atoi(n)
	}
	r, err := w.expect(http.StatusOK, http.MethodGet, "/_emulator/virtual-clients", nil)
	if err != nil {
		return err
	}
	if list, ok := r.doc.([]any); !ok || len(list) != want {
		return fmt.Errorf("want %d virtual clients, got %s", want, r.body)
	}
	return nil
}

// virtualEntries are the journal's entries of virtual clients.
func (w *world) virtualEntries() ([]map[string]any, error) {
	entries, err := w.journal("")
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, e := range entries {
		if e["Virtual"] == true {
			out = append(out, e)
		}
	}
	return out, nil
}

func (w *world) virtualRequests(n int, status string) error {
	entries, err := w.virtualEntries()
	if err != nil {
		return err
	}
	var picked []map[string]any
	for _, e := range entries {
		if got, _ := number(e["Status"]); status == "" || strconv.Itoa(int(got)) == status {
			picked = append(picked, e)
		}
	}
	if len(picked) != n {
		what := "virtual requests"
		if status != "" {
			what += " answered " + status
		}
		return fmt.Errorf("the journal holds %d %s, want %d; the virtual requests are:%s", len(picked), what, n, showJournal(entries))
	}
	return nil
}

// virtualHeartbeatsAt checks every heartbeat of a virtual client went to
// path with the score under property, and that there was one.
func (w *world) virtualHeartbeatsAt(c, path, property string) error {
	entries, err := w.virtualEntries()
	if err != nil {
		return err
	}
	want := w.expand(path)
	found := 0
	for _, e := range entries {
		if e["Operation"] != "PostHeartbeatMessage" || !strings.Contains(fmt.Sprint(e["Path"]), "/"+w.id(c)+"/") {
			continue
		}
		found++
		body, _ := e["RequestBody"].(map[string]any)
		if e["Path"] != want || body[property] == nil {
			return fmt.Errorf("a heartbeat of virtual client %q went to %v with %s; want %s with %q", c, e["Path"], show(body), want, property)
		}
	}
	if found == 0 {
		return fmt.Errorf("virtual client %q sent no heartbeats; the virtual requests are:%s", c, showJournal(entries))
	}
	return nil
}

// storyNote is where a story was when noted: its whole state and clock.
type storyNote struct {
	state []byte
	clock string
	since time.Time
}

func (w *world) noteStory() error {
	st, err := w.expect(http.StatusOK, http.MethodGet, "/_emulator/state", nil)
	if err != nil {
		return err
	}
	clk, err := w.expect(http.StatusOK, http.MethodGet, "/_emulator/clock", nil)
	if err != nil {
		return err
	}
	now, _ := lookup(clk.doc, "Now")
	s, _ := now.(string)
	since, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("the clock: %w", err)
	}
	w.story = &storyNote{state: st.body, clock: s, since: since}
	return nil
}

// backToNote puts the clock and then the whole state back as noted: the
// virtual clients carry on from there as they did the first time.
func (w *world) backToNote() error {
	if w.story == nil {
		return fmt.Errorf("take note of where the story is first")
	}
	if _, err := w.expect(http.StatusOK, http.MethodPut, "/_emulator/clock", map[string]any{"Now": w.story.clock}); err != nil {
		return err
	}
	r, err := w.do(http.MethodPut, "/_emulator/state", w.story.state)
	if err != nil {
		return err
	}
	if r.status != http.StatusNoContent {
		return fmt.Errorf("putting the noted state back: %s", r)
	}
	return nil
}

func (w *world) noteEvents(group string) error {
	evs, err := w.events(group, w.base)
	w.eventsNote = evs
	return err
}

// eventsAsNoted compares the events after the story's note with those
// noted (putting the state back clears the event list).
func (w *world) eventsAsNoted(group string) error {
	if w.story == nil {
		return fmt.Errorf("take note of where the story is first")
	}
	since := func(evs []event) []event {
		var out []event
		for _, e := range evs {
			if t, err := time.Parse(time.RFC3339Nano, e.Time); err == nil && t.After(w.story.since) {
				out = append(out, e)
			}
		}
		return out
	}
	got, err := w.events(group, w.base)
	if err != nil {
		return err
	}
	want := since(w.eventsNote)
	got = since(got)
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("the events since the note are:%s\nwant:%s", w.showEvents(got), w.showEvents(want))
	}
	return nil
}
