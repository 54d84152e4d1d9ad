package features

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"
)

// journalSteps are the checks of the emulator's request journal.
func (w *world) journalSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the journal(?: filtered by "([^"]*)")? holds (\d+) requests?$`, w.journalHolds)
	sc.Step(`^the journal(?: filtered by "([^"]*)")? holds (\d+) requests? within (\d+) seconds?$`, w.journalHoldsWithin)
	sc.Step(`^the journal(?: filtered by "([^"]*)")? holds these requests:$`, w.journalHoldsThese)
}

// journal reads the entries a filter (a query such as
// "operation=PostGroup&status=201", placeholders expanded) selects.
func (w *world) journal(filter string) ([]map[string]any, error) {
	q, err := url.ParseQuery(w.expand(filter))
	if err != nil {
		return nil, fmt.Errorf("the filter %q is not a query: %w", filter, err)
	}
	path := "/_emulator/requests"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	r, err := w.expect(http.StatusOK, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	list, err := lookup(r.doc, "Requests")
	if err != nil {
		return nil, err
	}
	items, ok := list.([]any)
	if !ok {
		return nil, fmt.Errorf("got %s, want Requests to be a list", r)
	}
	out := make([]map[string]any, len(items))
	for i, item := range items {
		if out[i], ok = item.(map[string]any); !ok {
			return nil, fmt.Errorf("request %d of %s is not an object", i, r)
		}
	}
	return out, nil
}

// showJournal renders entries for failure messages.
func showJournal(entries []map[string]any) string {
	if len(entries) == 0 {
		return " none"
	}
	var lines []string
	for _, e := range entries {
		lines = append(lines, fmt.Sprintf("  %v %v → %v (operation %v, fault %v)", e["Method"], e["Path"], e["Status"], e["Operation"], e["Fault"]))
	}
	return "\n" + strings.Join(lines, "\n")
}

func (w *world) journalHolds(filter string, n int) error {
	entries, err := w.journal(filter)
	if err != nil {
		return err
	}
	if len(entries) != n {
		return fmt.Errorf("the journal holds %d requests, want %d:%s", len(entries), n, showJournal(entries))
	}
	return nil
}

// journalHoldsWithin reads the journal until it holds n requests, for at
// most a number of seconds: for entries recorded after the client saw the
// end of its request (a dropped connection).
func (w *world) journalHoldsWithin(filter string, n, seconds int) error {
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	for {
		err := w.journalHolds(filter, n)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// journalHoldsThese checks the entries, oldest first, against a table whose
// columns are some of Method, Path, Query, Operation, Surface (preview, v1
// or onprem), Tenant, Namespace, Status and Fault (a fault rule's alias).
// Placeholders are expanded; an empty cell is a property that is null.
func (w *world) journalHoldsThese(filter string, table *godog.Table) error {
	rows, err := tableRows(table, "Method", "Path", "Query", "Operation", "Surface", "Tenant", "Namespace", "Status", "Fault")
	if err != nil {
		return err
	}
	entries, err := w.journal(filter)
	if err != nil {
		return err
	}
	if len(entries) != len(rows) {
		return fmt.Errorf("the journal holds %d requests, want %d:%s", len(entries), len(rows), showJournal(entries))
	}
	for i, row := range rows {
		for col, cell := range row {
			var want any
			switch {
			case col == "Status":
				n, err := strconv.Atoi(cell)
				if err != nil {
					return fmt.Errorf("row %d: Status %q is not a number", i+1, cell)
				}
				want, _ = literal(strconv.Itoa(n))
			case cell == "":
				want = nil
			case col == "Fault":
				want = w.id(cell)
			default:
				want = w.expand(cell)
			}
			if !sameJSON(want, entries[i][col]) {
				return fmt.Errorf("request %d: got %s %s, want %s; the journal holds:%s", i+1, col, show(entries[i][col]), show(want), showJournal(entries))
			}
		}
	}
	return nil
}
