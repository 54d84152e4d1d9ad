package features

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/adh-emulator/clientfailover/emulator/ids"
)

// clockSteps are the steps that drive the emulator through its control API:
// the manual clock, the failover events and the run-time settings.
func (w *world) clockSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the emulator clock is frozen at "([^"]*)"$`, w.freezeClock)
	sc.Step(`^(\d+) (second|seconds|minute|minutes) pass(?:es)?$`, w.timePasses)
	sc.Step(`^heartbeats are limited to one every "([^"]*)"$`, w.limitHeartbeats)

	sc.Step(`^the events show "([^"]*)" went from `+role+` to `+role+` by rule "([^"]*)"(?: at "([^"]*)")?$`, w.eventsShow)
	sc.Step(`^the events of group "([^"]*)"`+viaV1+` are:$`, w.eventsAre)
	sc.Step(`^no role changes were recorded for group "([^"]*)"`+viaV1+`$`, w.noEvents)
}

func (w *world) freezeClock(at string) error {
	if _, err := parseDateTime(at); err != nil {
		return err
	}
	_, err := w.expect(http.StatusOK, http.MethodPut, "/_emulator/clock", map[string]any{"Now": at, "Mode": "manual"})
	return err
}

func (w *world) timePasses(n int, unit string) error {
	d := time.Duration(n) * time.Second
	if strings.HasPrefix(unit, "minute") {
		d = time.Duration(n) * time.Minute
	}
	_, err := w.expect(http.StatusOK, http.MethodPost, "/_emulator/clock/advance", map[string]any{"By": d.String()})
	return err
}

func (w *world) limitHeartbeats(interval string) error {
	_, err := w.expect(http.StatusOK, http.MethodPut, "/_emulator/config", map[string]any{"HeartbeatMinInterval": interval})
	return err
}

// event is one role change as GET /_emulator/events lists it.
type event struct {
	Time, Tenant, Namespace, Group, Session, From, To, Rule string
	OnPremises                                              bool
}

func (e event) String() string {
	return fmt.Sprintf("%s %s: %s → %s (%s)", e.Time, e.Session, e.From, e.To, e.Rule)
}

// events lists the role changes of one group of the scenario on a surface
// (its scope: the scenario's namespace, or the on-premises service), oldest
// first.
func (w *world) events(group string, rev revision) ([]event, error) {
	r, err := w.expect(http.StatusOK, http.MethodGet, "/_emulator/events", nil)
	if err != nil {
		return nil, err
	}
	list, err := lookup(r.doc, "Events")
	if err != nil {
		return nil, err
	}
	items, _ := list.([]any)
	var out []event
	for _, item := range items {
		m, _ := item.(map[string]any)
		str := func(k string) string { s, _ := m[k].(string); return s }
		onPremises, _ := m["OnPremises"].(bool)
		e := event{str("Time"), str("Tenant"), str("Namespace"), str("Group"), str("Session"), str("From"), str("To"), str("Rule"), onPremises}
		inScope := e.OnPremises
		if !rev.onPremises {
			inScope = !e.OnPremises && ids.Equal(e.Tenant, w.tenant) && ids.Equal(e.Namespace, w.namespace)
		}
		if inScope && ids.Equal(e.Group, w.id(group)) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (w *world) showEvents(evs []event) string {
	if len(evs) == 0 {
		return "none"
	}
	var lines []string
	for _, e := range evs {
		if a := w.aliasOf(e.Session); a != "" {
			e.Session = a
		}
		lines = append(lines, "  "+e.String())
	}
	return "\n" + strings.Join(lines, "\n")
}

// matches reports whether an event is the change of client c from one role
// to another by a rule, at a time when one is given.
func (w *world) matches(e event, c, from, to, rule, at string) bool {
	if !ids.Equal(e.Session, w.id(c)) || e.From != from || e.To != to || e.Rule != rule {
		return false
	}
	if at == "" {
		return true
	}
	want, err1 := parseDateTime(at)
	got, err2 := parseDateTime(e.Time)
	return err1 == nil && err2 == nil && want.Equal(got)
}

func (w *world) eventsShow(c, from, to, rule, at string) error {
	cl, err := w.clientOf(c)
	if err != nil {
		return err
	}
	evs, err := w.events(cl.group, cl.rev)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if w.matches(e, c, from, to, rule, at) {
			return nil
		}
	}
	when := ""
	if at != "" {
		when = " at " + at
	}
	return fmt.Errorf("no event shows %q going from %s to %s by rule %q%s; the events of group %q are: %s",
		c, from, to, rule, when, cl.group, w.showEvents(evs))
}

// eventsAre checks the whole list of a group's events against a table with
// the columns Session, From, To, Rule and optionally Time, oldest first.
// Events at the same instant may come in any order.
func (w *world) eventsAre(group, via string, table *godog.Table) error {
	evs, err := w.events(group, w.rev(via))
	if err != nil {
		return err
	}
	if len(table.Rows) == 0 {
		return fmt.Errorf("the table needs a header row")
	}
	col := map[string]int{}
	for i, c := range table.Rows[0].Cells {
		col[c.Value] = i
	}
	for _, name := range []string{"Session", "From", "To", "Rule"} {
		if _, ok := col[name]; !ok {
			return fmt.Errorf("the table needs a %s column", name)
		}
	}
	rows := table.Rows[1:]
	cell := func(n int, name string) string {
		if i, ok := col[name]; ok {
			return rows[n].Cells[i].Value
		}
		return ""
	}
	fail := func(why string) error {
		return fmt.Errorf("%s; the events of group %q are: %s", why, group, w.showEvents(evs))
	}
	if len(rows) != len(evs) {
		return fail(fmt.Sprintf("got %d events, want %d", len(evs), len(rows)))
	}
	remaining := append([]event(nil), evs...)
	for n := range rows {
		// The candidates are the remaining events of the earliest instant.
		found := -1
		for i, e := range remaining {
			if e.Time != remaining[0].Time {
				break
			}
			if w.matches(e, cell(n, "Session"), cell(n, "From"), cell(n, "To"), cell(n, "Rule"), cell(n, "Time")) {
				found = i
				break
			}
		}
		if found < 0 {
			return fail(fmt.Sprintf("event %d: want %s %s → %s (%s)", n+1, cell(n, "Session"), cell(n, "From"), cell(n, "To"), cell(n, "Rule")))
		}
		remaining = append(remaining[:found], remaining[found+1:]...)
	}
	return nil
}

func (w *world) noEvents(group, via string) error {
	evs, err := w.events(group, w.rev(via))
	if err != nil {
		return err
	}
	if len(evs) > 0 {
		return fmt.Errorf("want no role changes of group %q, got %s", group, w.showEvents(evs))
	}
	return nil
}
