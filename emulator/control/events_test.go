package control_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/control"
)

func TestEventsTellAFailoverStory(t *testing.T) {
	c, srv := newClient(t, emulator.Options{})
	ctx := t.Context()

	events, dropped, err := c.Events(ctx)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	if events == nil || len(events) != 0 || dropped != 0 {
		t.Fatalf("Events before any heartbeat: got %#v (dropped %d), want an empty list", events, dropped)
	}

	// A group with a 30 s timeout; a becomes Primary, b stays Secondary,
	// then a falls silent while b goes on.
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", map[string]any{"Id": "g1", "FailoverTimeout": "00:00:30"})
	for _, s := range []string{"a", "b"} {
		mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups/g1/clientsessions", map[string]any{"Id": s, "Name": s})
	}
	mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/a/heartbeat", heartbeat(100))
	mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/b/heartbeat", heartbeat(100))
	if _, err := c.Advance(ctx, 20*time.Second); err != nil {
		t.Fatalf("Advance: %v", err)
	}
	mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/b/heartbeat", heartbeat(100))
	if _, err := c.Advance(ctx, 15*time.Second); err != nil {
		t.Fatalf("Advance: %v", err)
	}

	events, dropped, err = c.Events(ctx)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	lapse := start.Add(30 * time.Second) // a's last heartbeat + the timeout
	want := []control.Event{
		{Time: start, Tenant: "t1", Namespace: "n1", Group: "g1", Session: "a", From: "Secondary", To: "Primary", Rule: "FirstPrimary"},
		{Time: lapse, Tenant: "t1", Namespace: "n1", Group: "g1", Session: "a", From: "Primary", To: "Secondary", Rule: "Lapsed"},
		{Time: lapse, Tenant: "t1", Namespace: "n1", Group: "g1", Session: "b", From: "Secondary", To: "PendingPrimary", Rule: "NoPrimary"},
	}
	equal := func(a, b control.Event) bool {
		ta, tb := a.Time, b.Time
		a.Time, b.Time = time.Time{}, time.Time{}
		return ta.Equal(tb) && a == b
	}
	if !slices.EqualFunc(events, want, equal) {
		t.Errorf("Events:\n got %+v\nwant %+v", events, want)
	}
	if dropped != 0 {
		t.Errorf("Events: got dropped %d, want 0", dropped)
	}
}
