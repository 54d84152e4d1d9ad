package control_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
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
		{Seq: 1, Time: start, Tenant: "t1", Namespace: "n1", Group: "g1", Session: "a", From: "Secondary", To: "Primary", Rule: "FirstPrimary"},
		{Seq: 2, Time: lapse, Tenant: "t1", Namespace: "n1", Group: "g1", Session: "a", From: "Primary", To: "Secondary", Rule: "Lapsed"},
		{Seq: 3, Time: lapse, Tenant: "t1", Namespace: "n1", Group: "g1", Session: "b", From: "Secondary", To: "PendingPrimary", Rule: "NoPrimary"},
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

// realClockGroup makes group g1 with sessions a and b on a real-clock
// emulator, with a FailoverTimeout of one second, and posts one heartbeat
// of each (a first): a is Primary, and about a second later a lapses and b
// becomes PendingPrimary (b lapses just after).
func realClockGroup(t *testing.T, srv *emulator.Server) {
	t.Helper()
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", map[string]any{"Id": "g1", "FailoverTimeout": "00:00:01"})
	for _, s := range []string{"a", "b"} {
		mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups/g1/clientsessions", map[string]any{"Id": s})
	}
	for _, s := range []string{"a", "b"} {
		mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/"+s+"/heartbeat", map[string]any{"FailoverStatus": 100})
	}
}

// On the real clock, WaitFor returns the PendingPrimary change when the
// primary goes silent, from the stream: nothing polls. It considers the
// changes from the moment it is called, unless WaitAfter says otherwise.
func TestWaitForOnTheRealClock(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a real FailoverTimeout (1 s): skipped with -short")
	}
	c, srv := newClient(t, emulator.Options{Clock: clock.Real})
	realClockGroup(t, srv)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // generous
	defer cancel()

	first, err := c.WaitFor(ctx, func(control.Event) bool { return true })
	if err != nil {
		t.Fatalf("WaitFor: %v", err)
	}
	if first.Session != "a" || first.Rule != "Lapsed" || first.Seq != 2 {
		t.Errorf("first change from the call on: %+v, want a Lapsed, Seq 2 (not the earlier FirstPrimary)", first)
	}
	e, err := c.WaitForRole(ctx, "g1", "b", "PendingPrimary", control.WaitAfter(first.Seq))
	if err != nil {
		t.Fatalf("WaitForRole: %v", err)
	}
	if e.Rule != "NoPrimary" || e.From != "Secondary" || e.Seq != 3 || !e.Time.Equal(first.Time) {
		t.Errorf("b's change: %+v, want Secondary → PendingPrimary by NoPrimary at a's lapse (%v)", e, first.Time)
	}
	past, err := c.WaitForRole(ctx, "G1", "A", "Primary", control.WaitAfter(0)) // ids in any case
	if err != nil || past.Seq != 1 || past.Rule != "FirstPrimary" {
		t.Errorf("WaitAfter(0) for a's earlier change: %+v, %v; want Seq 1 FirstPrimary", past, err)
	}
}

// WaitFor ends with the context (its error wraps ctx's), and with
// ErrStreamEnded when the emulator stops.
func TestWaitForEnds(t *testing.T) {
	c, srv := newClient(t, emulator.Options{})
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", map[string]any{"Id": "g1", "FailoverTimeout": "00:00:30"})
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups/g1/clientsessions", map[string]any{"Id": "a"})
	mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/a/heartbeat", heartbeat(100))

	ctx, cancel := context.WithCancel(t.Context())
	_, err := c.WaitFor(ctx, func(control.Event) bool { cancel(); return false }, control.WaitAfter(0))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("WaitFor after its context ended: %v, want context.Canceled", err)
	}

	_, err = c.WaitFor(t.Context(), func(control.Event) bool { go srv.Close(); return false }, control.WaitAfter(0))
	if !errors.Is(err, control.ErrStreamEnded) {
		t.Errorf("WaitFor when the emulator stops: %v, want ErrStreamEnded", err)
	}
}

// Stream delivers the retained changes after a Seq, then new ones; it
// needs the admin token like the rest of the control API.
func TestStream(t *testing.T) {
	c, srv := newClient(t, emulator.Options{AdminToken: "tok"})
	ctx := t.Context()
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", map[string]any{"Id": "g1", "FailoverTimeout": "00:00:30"})
	for _, s := range []string{"a", "b"} {
		mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups/g1/clientsessions", map[string]any{"Id": s})
		mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/"+s+"/heartbeat", heartbeat(100)) // a first: Primary (1)
		if _, err := c.Advance(ctx, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Advance(ctx, time.Minute); err != nil { // a lapses (2), b PendingPrimary (3) and lapses (4)
		t.Fatal(err)
	}

	var apiErr *control.APIError
	if _, err := control.New(srv.URL()).Stream(ctx, 0); !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized {
		t.Fatalf("Stream without the admin token: %v, want a 401 APIError", err)
	}
	if last, err := c.LastSeq(ctx); err != nil || last != 4 {
		t.Fatalf("LastSeq: %d, %v; want 4", last, err)
	}
	events, err := c.Stream(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/b/heartbeat", heartbeat(100)) // b PendingPrimary again (5)
	var got []uint64
	for e := range events {
		got = append(got, e.Seq)
		if len(got) == 3 {
			break
		}
	}
	if !slices.Equal(got, []uint64{3, 4, 5}) {
		t.Errorf("Stream after 2: Seq %v, want [3 4 5]", got)
	}
}

// When the emulator cuts a slow reader off ("overflow"), Stream reconnects
// after the last Seq it delivered and the reader misses nothing.
func TestStreamReconnectsAfterOverflow(t *testing.T) {
	role := func(seq int) string {
		return fmt.Sprintf("id: %d\nevent: role\ndata: {\"Seq\":%d,\"Time\":\"2026-01-02T03:04:05Z\",\"Group\":\"g\",\"Session\":\"s\",\"From\":\"Secondary\",\"To\":\"Primary\",\"Rule\":\"FirstPrimary\"}\n\n", seq, seq)
	}
	var mu sync.Mutex
	var afters []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		afters = append(afters, r.URL.Query().Get("after"))
		n := len(afters)
		mu.Unlock()
		w.Header().Set("Content-Type", "text/event-stream")
		if n == 1 {
			fmt.Fprint(w, "id: 0\n\n: comment\n\n"+role(1)+role(2)+"event: overflow\ndata: {\"LastSeq\":2}\n\n")
			return
		}
		fmt.Fprint(w, role(3))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer ts.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	events, err := control.New(ts.URL).Stream(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	for e := range events {
		got = append(got, e.Seq)
		if len(got) == 3 {
			cancel()
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got, []uint64{1, 2, 3}) || !slices.Equal(afters, []string{"0", "2"}) {
		t.Errorf("got Seq %v over connections after %v; want [1 2 3] after [0 2]", got, afters)
	}
}
