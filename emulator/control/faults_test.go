package control_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/operation"
)

func ptr[T any](v T) *T { return &v }

func TestFaultRulesLifecycle(t *testing.T) {
	c, _ := newClient(t, emulator.Options{})
	ctx := t.Context()

	first := faults.Rule{
		ID:     "busy",
		Match:  faults.Match{Operation: operation.GetGroupStatus, Method: "GET", Path: api + "/groups/*/status", Tenant: "t1", Namespace: "n1"},
		Action: faults.Action{Status: 503, Body: json.RawMessage(`{"Error":"busy"}`), Headers: map[string]string{"Retry-After": "2"}, Delay: 10 * time.Millisecond},
		Times:  ptr(2), Probability: ptr(1.0), Seed: ptr(int64(7)),
	}
	added, err := c.AddFault(ctx, first)
	if err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	want := first
	want.Remaining = ptr(2)
	if !ruleEqual(added, want) {
		t.Errorf("AddFault: got %+v, want %+v", added, want)
	}

	second, err := c.AddFault(ctx, faults.Rule{Match: faults.Match{Operation: operation.PostGroup}, Action: faults.Action{Drop: true}})
	if err != nil {
		t.Fatalf("AddFault without Id: %v", err)
	}
	if second.ID == "" {
		t.Fatalf("AddFault without Id: got no Id assigned")
	}

	list, err := c.Faults(ctx)
	if err != nil {
		t.Fatalf("Faults: %v", err)
	}
	if ids := ruleIDs(list); !slices.Equal(ids, []string{"busy", second.ID}) {
		t.Errorf("Faults: got %v, want [busy %s] in the order added", ids, second.ID)
	}

	got, err := c.Fault(ctx, "busy")
	if err != nil {
		t.Fatalf("Fault: %v", err)
	}
	if !ruleEqual(got, want) {
		t.Errorf("Fault: got %+v, want %+v", got, want)
	}

	if err := c.RemoveFault(ctx, second.ID); err != nil {
		t.Fatalf("RemoveFault: %v", err)
	}
	if _, err := c.Fault(ctx, second.ID); statusOf(err) != http.StatusNotFound {
		t.Errorf("Fault after RemoveFault: got %v, want a 404 *APIError", err)
	}
	if err := c.RemoveFault(ctx, second.ID); statusOf(err) != http.StatusNotFound {
		t.Errorf("RemoveFault twice: got %v, want a 404 *APIError", err)
	}

	if err := c.ClearFaults(ctx); err != nil {
		t.Fatalf("ClearFaults: %v", err)
	}
	if list, err := c.Faults(ctx); err != nil || len(list) != 0 {
		t.Errorf("Faults after ClearFaults: got %v, %v, want none", ruleIDs(list), err)
	}
}

func TestAddFaultRefusals(t *testing.T) {
	c, _ := newClient(t, emulator.Options{})
	if _, err := c.AddFault(t.Context(), faults.Rule{ID: "taken", Action: faults.Action{Status: 500}}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	tests := []struct {
		name       string
		rule       faults.Rule
		wantStatus int
	}{
		{"Id taken", faults.Rule{ID: "taken", Action: faults.Action{Status: 500}}, http.StatusConflict},
		{"status out of range", faults.Rule{Action: faults.Action{Status: 42}}, http.StatusBadRequest},
		{"unknown operation", faults.Rule{Match: faults.Match{Operation: "getgroupstatus"}}, http.StatusBadRequest},
		{"drop with status", faults.Rule{Action: faults.Action{Status: 500, Drop: true}}, http.StatusBadRequest},
		{"Id with a slash", faults.Rule{ID: "a/b"}, http.StatusBadRequest},
		{"delay too long", faults.Rule{Action: faults.Action{Delay: 2 * faults.MaxDelay}}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.AddFault(t.Context(), tt.rule)
			if got := statusOf(err); got != tt.wantStatus {
				t.Fatalf("AddFault(%+v): got status %d (%v), want %d", tt.rule, got, err, tt.wantStatus)
			}
		})
	}
	if list, err := c.Faults(t.Context()); err != nil || len(list) != 1 {
		t.Errorf("Faults after the refusals: got %v, %v, want only the first rule", ruleIDs(list), err)
	}
}

func TestFaultFires(t *testing.T) {
	c, srv := newClient(t, emulator.Options{})
	ctx := t.Context()
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", map[string]any{"Id": "g1", "FailoverTimeout": "00:00:30"})

	rule, err := c.AddFault(ctx, faults.Rule{
		ID:     "unavailable",
		Match:  faults.Match{Operation: operation.GetGroupStatus},
		Action: faults.Action{Status: http.StatusServiceUnavailable, Headers: map[string]string{"Retry-After": "3"}},
		Times:  ptr(1),
	})
	if err != nil {
		t.Fatalf("AddFault: %v", err)
	}

	calls := []struct {
		wantStatus     int
		wantRetryAfter string
	}{
		{http.StatusServiceUnavailable, "3"}, // the rule fires once
		{http.StatusOK, ""},                  // then the request is handled
	}
	for i, call := range calls {
		status, header, body := callAPI(t, srv, http.MethodGet, api+"/groups/g1/status", nil)
		if status != call.wantStatus || header.Get("Retry-After") != call.wantRetryAfter {
			t.Errorf("call %d: got %d Retry-After %q (%s), want %d Retry-After %q", i+1, status, header.Get("Retry-After"), body, call.wantStatus, call.wantRetryAfter)
		}
	}

	got, err := c.Fault(ctx, rule.ID)
	if err != nil {
		t.Fatalf("Fault: %v", err)
	}
	if got.Fired != 1 || got.Remaining == nil || *got.Remaining != 0 {
		t.Errorf("Fault after firing: got Fired %d Remaining %v, want 1 and 0", got.Fired, got.Remaining)
	}
}

func ruleIDs(rules []faults.Rule) []string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return ids
}

// ruleEqual compares rules through their JSON, which is what the control
// API carries.
func ruleEqual(a, b faults.Rule) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
