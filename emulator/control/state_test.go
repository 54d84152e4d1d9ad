package control_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/journal"
)

func TestStateRoundTrip(t *testing.T) {
	c, srv := newClient(t, emulator.Options{})
	ctx := t.Context()

	empty, err := c.State(ctx)
	if err != nil {
		t.Fatalf("State: %v", err)
	}
	if len(empty.Namespaces) != 0 {
		t.Errorf("State of a new emulator: got %d namespaces, want none", len(empty.Namespaces))
	}

	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", map[string]any{"Id": "g1", "Name": "line 1", "FailoverTimeout": "00:00:30"})
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups/g1/clientsessions", map[string]any{"Id": "a", "Name": "a"})
	mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/a/heartbeat", heartbeat(100))

	doc, err := c.State(ctx)
	if err != nil {
		t.Fatalf("State: %v", err)
	}
	if len(doc.Namespaces) != 1 || len(doc.Namespaces[0].Groups) != 1 {
		t.Fatalf("State: got %+v, want one namespace with one group", doc)
	}
	ns := doc.Namespaces[0]
	g := ns.Groups[0]
	if ns.TenantId != "t1" || ns.NamespaceId != "n1" || g.Id != "g1" || g.FailoverTimeout != "00:00:30" ||
		len(g.Sessions) != 1 || g.Sessions[0].Id != "a" || g.Sessions[0].Role != 1 {
		t.Errorf("State: got %+v, want t1/n1 with g1 (30 s) and Primary session a", doc)
	}

	// Add a group to the document and load it back.
	doc.Namespaces[0].Groups = append(doc.Namespaces[0].Groups, fixture.Group{Id: "g2", FailoverTimeout: "00:01:00"})
	if err := c.SetState(ctx, doc); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	mustAPI(t, srv, http.StatusOK, http.MethodGet, api+"/groups/g2", nil)
	mustAPI(t, srv, http.StatusOK, http.MethodGet, api+"/groups/g1/clientsessions/a", nil)

	bad := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "t1", NamespaceId: "n1", Groups: []fixture.Group{{Id: "g3", FailoverTimeout: "soon"}}}}}
	if err := c.SetState(ctx, bad); statusOf(err) != http.StatusBadRequest {
		t.Fatalf("SetState with a bad FailoverTimeout: got %v, want a 400 *APIError", err)
	}
	mustAPI(t, srv, http.StatusOK, http.MethodGet, api+"/groups/g2", nil) // unchanged
}

func TestResetReturnsToTheStart(t *testing.T) {
	c, srv := newClient(t, emulator.Options{HeartbeatMinInterval: time.Second})
	ctx := t.Context()

	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", map[string]any{"Id": "g1", "FailoverTimeout": "00:00:30"})
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups/g1/clientsessions", map[string]any{"Id": "a", "Name": "a"})
	mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/a/heartbeat", heartbeat(100))
	if _, err := c.AddFault(ctx, faults.Rule{Action: faults.Action{Status: 500}, Match: faults.Match{Method: "PATCH"}}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	if _, err := c.SetClock(ctx, nil, clock.Real); err != nil {
		t.Fatalf("SetClock: %v", err)
	}
	if _, err := c.SetHeartbeatMinInterval(ctx, time.Minute); err != nil {
		t.Fatalf("SetHeartbeatMinInterval: %v", err)
	}

	if err := c.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}

	clk, err := c.Clock(ctx)
	if err != nil || !clk.Now.Equal(start) || clk.Mode != clock.Manual {
		t.Errorf("Clock after Reset: got %+v, %v, want %v manual", clk, err, start)
	}
	if rules, err := c.Faults(ctx); err != nil || len(rules) != 0 {
		t.Errorf("Faults after Reset: got %d rules, %v, want none", len(rules), err)
	}
	if entries, dropped, err := c.Requests(ctx, journal.Filter{}); err != nil || len(entries) != 0 || dropped != 0 {
		t.Errorf("Requests after Reset: got %d entries (dropped %d), %v, want none", len(entries), dropped, err)
	}
	if events, _, err := c.Events(ctx); err != nil || len(events) != 0 {
		t.Errorf("Events after Reset: got %v, %v, want none", events, err)
	}
	if cfg, err := c.Config(ctx); err != nil || cfg.HeartbeatMinInterval != time.Second {
		t.Errorf("Config after Reset: got %+v, %v, want the start value 1s", cfg, err)
	}
	if doc, err := c.State(ctx); err != nil || len(doc.Namespaces) != 0 {
		t.Errorf("State after Reset: got %+v, %v, want empty", doc, err)
	}
}
