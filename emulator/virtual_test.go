package emulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/virtual"
)

// vt0 is where the virtual-client tests' manual clocks start.
var vt0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// virtualServer starts an in-process emulator on a manual clock at vt0.
func virtualServer(t *testing.T) *emulator.Server {
	t.Helper()
	srv, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual, ClockStart: vt0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// must sends a request that must answer want and returns the body.
func must(t *testing.T, srv *emulator.Server, want int, method, path, body string) []byte {
	t.Helper()
	rec := serve(srv, method, path, body)
	if rec.Code != want {
		t.Fatalf("%s %s %s: got %d %s, want %d", method, path, body, rec.Code, rec.Body, want)
	}
	return rec.Body.Bytes()
}

func advance(t *testing.T, srv *emulator.Server, d time.Duration) {
	t.Helper()
	must(t, srv, http.StatusOK, http.MethodPost, "/_emulator/clock/advance", fmt.Sprintf(`{"By":%q}`, d.String()))
}

// peers is a ten-minute story of three virtual peers in group g (timeout
// 30 s) beside a real session that never heartbeats: a is Primary, goes
// silent (b takes over), comes back with a higher score (WeakPrimary, a
// takes over), drops its score (WeakPrimary, b takes over again) and
// leaves; c starts late, heartbeats every 7 s, goes silent and leaves.
func peers(t *testing.T, srv *emulator.Server) {
	t.Helper()
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups", `{"Id":"g","FailoverTimeout":"00:00:30"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups/g/clientsessions", `{"Id":"real","Name":"real"}`)
	for _, body := range []string{
		`{"Id":"a","Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"a","Name":"peer a"},
		  "Script":[{"At":"00:00:50","Silent":true},{"At":"00:03:20","Resume":true},{"At":"00:04:20","Score":30},{"At":"00:08:20","Leave":true}]}`,
		`{"Id":"b","Surface":"preview","Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"b"},"Interval":"00:00:10",
		  "Script":[{"At":"00:00:00","Score":80}]}`,
		`{"Id":"c","Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"c"},"Interval":"7s","Start":"2026-01-01T00:00:05Z",
		  "Script":[{"At":"00:00:00","Score":50},{"At":"00:05:00","Silent":true},{"At":"00:06:40","Leave":true}]}`,
	} {
		must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients", body)
	}
}

// outcome is everything a story leaves behind: the whole state, the events
// and the virtual clients' requests.
type outcome struct {
	state, events, sessions, clients string
	requests                         []string
}

func outcomeOf(t *testing.T, srv *emulator.Server) outcome {
	t.Helper()
	o := outcome{
		state:    string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/state", "")),
		events:   string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/events", "")),
		sessions: string(must(t, srv, http.StatusOK, http.MethodGet, preview+"/groups/g/clientsessions", "")),
		clients:  string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients", "")),
	}
	var list struct{ Requests []journal.Entry }
	if err := json.Unmarshal(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/requests", ""), &list); err != nil {
		t.Fatal(err)
	}
	for _, e := range list.Requests {
		if e.Virtual {
			o.requests = append(o.requests, fmt.Sprintf("%s %s %s %d %s", e.Time.Format(time.RFC3339Nano), e.Method, e.Path, e.Status, e.RequestBody))
		}
	}
	return o
}

func (o outcome) diff(other outcome) string {
	var d []string
	for _, f := range []struct{ name, a, b string }{
		{"state", o.state, other.state}, {"events", o.events, other.events},
		{"sessions", o.sessions, other.sessions}, {"virtual clients", o.clients, other.clients},
	} {
		if f.a != f.b {
			d = append(d, fmt.Sprintf("%s:\n  %s\nvs\n  %s", f.name, f.a, f.b))
		}
	}
	if !reflect.DeepEqual(o.requests, other.requests) {
		d = append(d, fmt.Sprintf("virtual requests: %d vs %d:\n  %s\nvs\n  %s", len(o.requests), len(other.requests),
			strings.Join(o.requests, "\n  "), strings.Join(other.requests, "\n  ")))
	}
	return strings.Join(d, "\n")
}

// Ten minutes in one move replay every virtual heartbeat and role change
// inside them, in order, and end where many small moves end, with or
// without reads between them: time decides, not reads.
func TestVirtualClientsOneMoveEqualsManySmallOnes(t *testing.T) {
	const story = 10 * time.Minute
	run := func(steps []time.Duration, reads bool) outcome {
		srv := virtualServer(t)
		peers(t, srv)
		for _, d := range steps {
			advance(t, srv, d)
			if reads {
				for _, path := range []string{preview + "/groups/g/status", preview + "/groups/g/clientsessions", preview + "/groups/g/clientsessions/b",
					"/_emulator/virtual-clients", "/_emulator/events", "/_emulator/state", "/_emulator/requests"} {
					must(t, srv, http.StatusOK, http.MethodGet, path, "")
				}
			}
		}
		return outcomeOf(t, srv)
	}
	seconds := slices.Repeat([]time.Duration{time.Second}, int(story/time.Second))
	var random []time.Duration
	rng := rand.New(rand.NewPCG(1, 2))
	for left := story; left > 0; {
		d := min(time.Duration(rng.Int64N(int64(40*time.Second)))+time.Millisecond, left)
		random = append(random, d)
		left -= d
	}
	want := run([]time.Duration{story}, false)

	// The story is the one told: the events and rules it must hold.
	for _, part := range []string{
		`"Session":"a","From":"Secondary","To":"Primary","Rule":"FirstPrimary"`,
		`"Time":"2026-01-01T00:01:15Z","OnPremises":false,"Tenant":"t","Namespace":"n","Group":"g","Session":"a","From":"Primary","To":"Secondary","Rule":"Lapsed"`,
		`"Session":"b","From":"Secondary","To":"PendingPrimary","Rule":"NoPrimary"`,
		`"Time":"2026-01-01T00:01:30Z","OnPremises":false,"Tenant":"t","Namespace":"n","Group":"g","Session":"b","From":"PendingPrimary","To":"Primary","Rule":"HandOver"`,
		`"Time":"2026-01-01T00:03:20Z","OnPremises":false,"Tenant":"t","Namespace":"n","Group":"g","Session":"a","From":"Secondary","To":"PendingPrimary","Rule":"WeakPrimary"`,
		`"Time":"2026-01-01T00:04:20Z","OnPremises":false,"Tenant":"t","Namespace":"n","Group":"g","Session":"b","From":"Secondary","To":"PendingPrimary","Rule":"WeakPrimary"`,
	} {
		if !strings.Contains(want.events, part) {
			t.Errorf("the events lack %s:\n%s", part, want.events)
		}
	}
	if n := len(want.requests); n < 100 {
		t.Errorf("%d virtual requests in ten minutes, want more than 100", n)
	}

	for _, tt := range []struct {
		name  string
		steps []time.Duration
		reads bool
	}{
		{"one-second moves", seconds, false},
		{"random moves", random, false},
		{"random moves with reads between", random, true},
		{"five-second moves with reads between", slices.Repeat([]time.Duration{5 * time.Second}, int(story/(5*time.Second))), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if d := run(tt.steps, tt.reads).diff(want); d != "" {
				t.Errorf("%s differ from one move of ten minutes:\n%s", tt.name, d)
			}
		})
	}
}

// The story of issue 16: a virtual peer that goes silent after 50 s; two
// minutes on, the real client is told it is PendingPrimary on its next
// heartbeat.
func TestVirtualPeerGoesSilent(t *testing.T) {
	srv := virtualServer(t)
	must(t, srv, http.StatusCreated, http.MethodPost, ga+"/groups", `{"Id":"A","FailoverTimeout":"00:00:30"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, ga+"/groups/A/clientsessions", `{"Id":"S1"}`)
	added := must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients",
		`{"Tenant":"t","Namespace":"n","Group":"A","Session":{"Id":"peer"},"Script":[{"At":"00:00:50","Silent":true}]}`)
	var vc struct {
		Id, Surface, Interval, Start string
		Progress                     struct{ LastRole string }
	}
	if err := json.Unmarshal(added, &vc); err != nil {
		t.Fatal(err)
	}
	if vc.Id == "" || vc.Surface != "v1" || vc.Interval != "00:00:15" || vc.Start != "2026-01-01T00:00:00Z" || vc.Progress.LastRole != "Primary" {
		t.Errorf("the stored client: %s", added)
	}
	must(t, srv, http.StatusOK, http.MethodPost, ga+"/groups/A/clientsessions/S1/heartbeat", `{"FailoverScore":90}`)
	advance(t, srv, 2*time.Minute)
	// The peer's last heartbeat was at 45 s: it lapsed at 75 s, and the
	// real client is told on its next heartbeat, with the time up to which
	// the peer, as Primary, had processed data.
	if got := string(must(t, srv, http.StatusOK, http.MethodPost, ga+"/groups/A/clientsessions/S1/heartbeat", `{"FailoverScore":90}`)); got != `{"Role":2,"LastDataProcessedTime":"2026-01-01T00:00:45Z"}` {
		t.Errorf("S1 after two minutes: %s", got)
	}
	events := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/events", ""))
	if !strings.Contains(events, `"Time":"2026-01-01T00:01:15Z","OnPremises":false,"Tenant":"t","Namespace":"n","Group":"A","Session":"peer","From":"Primary","To":"Secondary","Rule":"Lapsed"`) {
		t.Errorf("events: %s", events)
	}
}

// A heartbeat the rate limit refuses is journaled with its 429 and changes
// nothing: an Interval below the minimum interval makes the peer lapse.
func TestVirtualHeartbeatsMeetTheRateLimit(t *testing.T) {
	srv := virtualServer(t)
	must(t, srv, http.StatusOK, http.MethodPut, "/_emulator/config", `{"HeartbeatMinInterval":"00:00:40"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups", `{"Id":"g","FailoverTimeout":"00:00:30"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups/g/clientsessions", `{"Id":"other"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients", `{"Id":"fast","Surface":"preview","Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"p"},"Script":[]}`)
	advance(t, srv, 50*time.Second)

	var list struct{ Requests []journal.Entry }
	if err := json.Unmarshal(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/requests?operation=PostHeartbeatMessage", ""), &list); err != nil {
		t.Fatal(err)
	}
	var statuses []int
	for _, e := range list.Requests {
		if !e.Virtual || e.Path != preview+"/groups/g/clientsessions/p/heartbeat" || e.Surface != "preview" {
			t.Errorf("entry %+v: want a virtual heartbeat of p", e)
		}
		statuses = append(statuses, e.Status)
	}
	if want := []int{200, 429, 429, 200}; !reflect.DeepEqual(statuses, want) {
		t.Errorf("heartbeats at 0, 15, 30, 45 s: statuses %v, want %v", statuses, want)
	}
	events := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/events", ""))
	if !strings.Contains(events, `"Time":"2026-01-01T00:00:30Z","OnPremises":false,"Tenant":"t","Namespace":"n","Group":"g","Session":"p","From":"Primary","To":"Secondary","Rule":"Lapsed"`) {
		t.Errorf("p should lapse at 30 s between its refused heartbeats: %s", events)
	}
	got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients/fast", ""))
	if !strings.Contains(got, `"Heartbeats":4`) || !strings.Contains(got, `"LastError":null`) {
		t.Errorf("progress: %s", got)
	}
}

// Bad input is a 400 (a taken Id a 409) that names the problem, and nothing
// is created.
func TestVirtualClientBadInput(t *testing.T) {
	srv := virtualServer(t)
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups", `{"Id":"g","FailoverTimeout":"00:00:30"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups/g/clientsessions", `{"Id":"named","Name":"one"}`)
	must(t, srv, http.StatusCreated, http.MethodPut, preview+"/groups/tiny", `{"FailoverTimeout":"00:00:00.0010000"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients", `{"Id":"first","Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"taken"}}`)
	before := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients", ""))
	journalBefore := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/requests", ""))

	ok := `"Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"s"}`
	tests := []struct {
		name, body string
		status     int
		says       string
	}{
		{"unknown group", `{"Tenant":"t","Namespace":"n","Group":"nope","Session":{"Id":"s"}}`, 400, `No failover group with Id \"nope\"`},
		{"group in another namespace", `{"Tenant":"t","Namespace":"other","Group":"g","Session":{"Id":"s"}}`, 400, `No failover group with Id \"g\" exists in the t/other scope`},
		{"unknown surface", `{"Surface":"v2",` + ok + `}`, 400, `Surface \"v2\"`},
		{"no tenant on a cloud surface", `{"Namespace":"n","Group":"g","Session":{"Id":"s"}}`, 400, "Tenant is required"},
		{"no namespace on a cloud surface", `{"Tenant":"t","Group":"g","Session":{"Id":"s"}}`, 400, "Namespace is required"},
		{"a tenant on onprem", `{"Surface":"onprem",` + ok + `}`, 400, "must be absent"},
		{"no group", `{"Tenant":"t","Namespace":"n","Session":{"Id":"s"}}`, 400, "Group is required"},
		{"no session", `{"Tenant":"t","Namespace":"n","Group":"g"}`, 400, "Session.Id is required"},
		{"zero interval", `{"Interval":"00:00:00",` + ok + `}`, 400, "must be greater than zero"},
		{"negative interval", `{"Interval":"-00:00:01",` + ok + `}`, 400, "must be greater than zero"},
		{"interval under a millisecond", `{"Interval":"00:00:00.0001",` + ok + `}`, 400, "shorter than the shortest allowed"},
		{"a default interval under a millisecond", `{"Tenant":"t","Namespace":"n","Group":"tiny","Session":{"Id":"s"}}`, 400, "default Interval (half of it)"},
		{"unparsable interval", `{"Interval":"soon",` + ok + `}`, 400, "The Interval:"},
		{"steps out of order", `{` + ok + `,"Script":[{"At":"00:00:50","Silent":true},{"At":"00:00:10","Resume":true}]}`, 400, "Script[1].At 00:00:10 is before the previous step's 00:00:50"},
		{"a step with nothing", `{` + ok + `,"Script":[{"At":"00:00:50"}]}`, 400, "Script[0] has none of Score, Silent, Resume and Leave"},
		{"a step with two", `{` + ok + `,"Script":[{"At":"00:00:50","Silent":true,"Score":5}]}`, 400, "Script[0] has Score and Silent"},
		{"a score above 100", `{` + ok + `,"Script":[{"At":"00:00:50","Score":100.5}]}`, 400, "Score 100.5 is outside 0 to 100"},
		{"a negative score", `{` + ok + `,"Script":[{"At":"00:00:50","Score":-1}]}`, 400, "outside 0 to 100"},
		{"a score that is not a number", `{` + ok + `,"Script":[{"At":"00:00:50","Score":"high"}]}`, 400, "Script.Score must be a number, not a string"},
		{"a step after Leave", `{` + ok + `,"Script":[{"At":"00:00:50","Leave":true},{"At":"00:01:00","Resume":true}]}`, 400, "comes after a Leave"},
		{"a second client for one session", `{"Tenant":"T","Namespace":"N","Group":"G","Session":{"Id":"TAKEN"}}`, 400, `Virtual client \"first\" already drives client session`},
		{"a session with another Name", `{"Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"named","Name":"two"}}`, 400, "exists with another Name"},
		{"an unknown property", `{"Intervall":"00:00:10",` + ok + `}`, 400, `unknown property \"Intervall\"`},
		{"an unknown property in a step", `{` + ok + `,"Script":[{"At":"00:00:50","Silent":true,"Loud":true}]}`, 400, `unknown property \"Loud\"`},
		{"Progress in the body", `{` + ok + `,"Progress":{"Through":"2026-01-01T00:00:00Z"}}`, 400, "Progress, which the emulator writes"},
		{"a Start that is not a time", `{"Start":"tomorrow",` + ok + `}`, 400, `parsing time \"tomorrow\"`},
		{"malformed JSON", `{"Group":`, 400, "the document ends before its JSON object does"},
		{"two values", `{` + ok + `} {}`, 400, "unexpected data after the JSON object"},
		{"an array", `[{` + ok + `}]`, 400, "a JSON object is needed, not an array"},
		{"an interval that is a number", `{"Interval":15,` + ok + `}`, 400, "Interval must be a string, not a number"},
		{"no body", ``, 400, "the document is empty"},
		{"a taken Id", `{"Id":"FIRST",` + ok + `}`, 409, `The Id \"FIRST\" is taken`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(srv, http.MethodPost, "/_emulator/virtual-clients", tt.body)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.says) {
				t.Fatalf("got %d %s, want %d saying %s", rec.Code, rec.Body, tt.status, tt.says)
			}
		})
	}
	if got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients", "")); got != before {
		t.Errorf("bad input changed the virtual clients:\n%s\nwas\n%s", got, before)
	}
	if got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/requests", "")); got != journalBefore {
		t.Errorf("bad input made requests:\n%s\nwas\n%s", got, journalBefore)
	}
	for _, path := range []string{"/_emulator/virtual-clients?x=1", "/_emulator/virtual-clients/first?leave=maybe", "/_emulator/virtual-clients/first?force=1"} {
		method := http.MethodGet
		if strings.Contains(path, "first") {
			method = http.MethodDelete
		}
		if rec := serve(srv, method, path, ""); rec.Code != http.StatusBadRequest {
			t.Errorf("%s %s: got %d %s, want 400", method, path, rec.Code, rec.Body)
		}
	}
	if rec := serve(srv, http.MethodGet, "/_emulator/virtual-clients/none", ""); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown client: got %d", rec.Code)
	}
	if rec := serve(srv, http.MethodDelete, "/_emulator/virtual-clients/none", ""); rec.Code != http.StatusNotFound {
		t.Errorf("removing an unknown client: got %d", rec.Code)
	}
}

// A move that would take more than MaxHeartbeatsPerMove heartbeats is
// refused with 400 naming the limit and the count, and the clock stays.
func TestClockMoveBoundedByVirtualHeartbeats(t *testing.T) {
	srv := virtualServer(t)
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups", `{"Id":"g","FailoverTimeout":"00:00:30"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients", `{"Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"s"},"Interval":"00:00:00.001"}`)
	clockBefore := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/clock", ""))
	for _, tt := range []struct{ method, path, body string }{
		{http.MethodPost, "/_emulator/clock/advance", `{"By":"00:02:00"}`},
		{http.MethodPut, "/_emulator/clock", `{"Now":"2026-01-01T00:02:00Z"}`},
		{http.MethodPut, "/_emulator/clock", `{"Mode":"real"}`}, // the wall clock is years on
	} {
		rec := serve(srv, tt.method, tt.path, tt.body)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), fmt.Sprint(virtual.MaxHeartbeatsPerMove)) {
			t.Fatalf("%s %s: got %d %s, want 400 naming %d", tt.method, tt.path, rec.Code, rec.Body, virtual.MaxHeartbeatsPerMove)
		}
		if tt.path == "/_emulator/clock/advance" && !strings.Contains(rec.Body.String(), "120000 heartbeats") {
			t.Errorf("the answer should name the count, 120000: %s", rec.Body)
		}
		if got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/clock", "")); got != clockBefore {
			t.Fatalf("the clock moved: %s, was %s", got, clockBefore)
		}
	}
	// Within the limit, the move runs every heartbeat.
	advance(t, srv, 10*time.Second)
	got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients", ""))
	if !strings.Contains(got, `"Heartbeats":10001`) {
		t.Errorf("after 10 s at 1 ms: %s", got)
	}
}

// Removing a virtual client stops it and keeps its session, which lapses;
// ?leave=true deletes the session too, journaled as the client's request.
func TestRemoveVirtualClient(t *testing.T) {
	srv := virtualServer(t)
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups", `{"Id":"g","FailoverTimeout":"00:00:30"}`)
	for _, s := range []string{"kept", "gone"} {
		must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients", `{"Id":"`+s+`","Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"`+s+`"}}`)
	}
	advance(t, srv, 20*time.Second)
	must(t, srv, http.StatusNoContent, http.MethodDelete, "/_emulator/virtual-clients/kept", "")
	must(t, srv, http.StatusNoContent, http.MethodDelete, "/_emulator/virtual-clients/GONE?leave=true", "")
	if got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients", "")); got != "[]" {
		t.Errorf("clients left: %s", got)
	}
	sessions := string(must(t, srv, http.StatusOK, http.MethodGet, preview+"/groups/g/clientsessions", ""))
	if !strings.Contains(sessions, `"Id":"kept"`) || strings.Contains(sessions, `"Id":"gone"`) {
		t.Errorf("sessions: %s", sessions)
	}
	advance(t, srv, time.Minute)
	events := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/events", ""))
	if !strings.Contains(events, `"Time":"2026-01-01T00:00:45Z","OnPremises":false,"Tenant":"t","Namespace":"n","Group":"g","Session":"kept","From":"Primary","To":"Secondary","Rule":"Lapsed"`) {
		t.Errorf("kept's last heartbeat was at 15 s; it should lapse at 45 s: %s", events)
	}
	var list struct{ Requests []journal.Entry }
	if err := json.Unmarshal(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/requests?operation=DeleteClientSession", ""), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Requests) != 1 || !list.Requests[0].Virtual || list.Requests[0].Status != 204 || list.Requests[0].Path != ga+"/groups/g/clientsessions/gone" ||
		!list.Requests[0].Time.Equal(vt0.Add(20*time.Second)) {
		t.Errorf("the leave in the journal: %+v", list.Requests)
	}
}

// The exported state loads back to the same behaviour: a copy made
// mid-story and loaded into another emulator goes on exactly as the
// original.
func TestVirtualClientsRoundTripThroughTheState(t *testing.T) {
	orig := virtualServer(t)
	peers(t, orig)
	advance(t, orig, 100*time.Second)
	state := must(t, orig, http.StatusOK, http.MethodGet, "/_emulator/state", "")

	copied := virtualServer(t)
	advance(t, copied, 100*time.Second)
	must(t, copied, http.StatusNoContent, http.MethodPut, "/_emulator/state", string(state))
	if got := must(t, copied, http.StatusOK, http.MethodGet, "/_emulator/state", ""); !bytes.Equal(got, state) {
		t.Fatalf("the state read back differs:\n%s\nwas\n%s", got, state)
	}
	for _, srv := range []*emulator.Server{orig, copied} {
		must(t, srv, http.StatusNoContent, http.MethodDelete, "/_emulator/requests", "")
		advance(t, srv, 500*time.Second)
	}
	a, b := outcomeOf(t, orig), outcomeOf(t, copied)
	b.events = a.events // the copy's list starts at the load
	if d := a.diff(b); d != "" {
		t.Errorf("the copy goes on otherwise than the original:\n%s", d)
	}
}

// Virtual clients on the on-premises surface: its scope, paths and body.
func TestVirtualClientsOnPremises(t *testing.T) {
	srv := virtualServer(t)
	const onprem = "/api/v1/clientfailover"
	must(t, srv, http.StatusCreated, http.MethodPost, onprem+"/groups", `{"Id":"g","FailoverTimeout":"00:01:00"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, onprem+"/groups/g/clientsessions", `{"Id":"real"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients",
		`{"Id":"peer","Surface":"onprem","Group":"g","Session":{"Id":"peer","Name":"Peer"},"Script":[{"At":"00:00:25","Score":10}]}`)
	must(t, srv, http.StatusOK, http.MethodPost, onprem+"/groups/g/clientsessions/real/heartbeat", `{"FailoverScore":50}`)
	advance(t, srv, 30*time.Second)
	// The peer's score drops below the real client's at 25 s, applied to
	// its heartbeat at 30 s: the real client is chosen (WeakPrimary).
	if got := string(must(t, srv, http.StatusOK, http.MethodGet, onprem+"/groups/g/status", "")); !strings.Contains(got, `"PendingPrimary":"real"`) {
		t.Errorf("status: %s", got)
	}
	var list struct{ Requests []journal.Entry }
	if err := json.Unmarshal(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/requests", ""), &list); err != nil {
		t.Fatal(err)
	}
	var virtuals []string
	for _, e := range list.Requests {
		if e.Virtual {
			if e.Tenant != "" || e.Namespace != "" || e.Surface != "onprem" {
				t.Errorf("an on-premises entry with a tenant: %+v", e)
			}
			virtuals = append(virtuals, fmt.Sprintf("%s %s %d %s", e.Method, e.Path, e.Status, e.RequestBody))
		}
	}
	want := []string{
		`POST /api/v1/clientfailover/groups/g/clientsessions 201 {"Id":"peer","Name":"Peer"}`,
		`POST /api/v1/clientfailover/groups/g/clientsessions/peer/heartbeat 200 {"FailoverScore":100,"LastDataProcessedTime":null,"HeartbeatTime":"2026-01-01T00:00:00Z"}`,
		`POST /api/v1/clientfailover/groups/g/clientsessions/peer/heartbeat 200 {"FailoverScore":10,"LastDataProcessedTime":"2026-01-01T00:00:30Z","HeartbeatTime":"2026-01-01T00:00:30Z"}`,
	}
	if !reflect.DeepEqual(virtuals, want) {
		t.Errorf("the peer's requests:\n%s\nwant\n%s", strings.Join(virtuals, "\n"), strings.Join(want, "\n"))
	}
	events := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/events", ""))
	if !strings.Contains(events, `"OnPremises":true,"Tenant":null,"Namespace":null,"Group":"g","Session":"real","From":"Secondary","To":"PendingPrimary","Rule":"WeakPrimary"`) {
		t.Errorf("events: %s", events)
	}
}

// Fixtures may declare virtual clients: they start at the load, and reset
// brings them back from the start.
func TestVirtualClientsFromFixtures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixture.json")
	doc := `{"Namespaces":[{"TenantId":"t","NamespaceId":"n","Groups":[{"Id":"g","FailoverTimeout":"00:00:30"}]}],
	  "VirtualClients":[{"Id":"peer","Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"peer"},"Script":[{"At":"00:01:00","Leave":true}]}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual, ClockStart: vt0, Fixtures: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	check := func(when string) {
		t.Helper()
		got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients/peer", ""))
		if !strings.Contains(got, `"Start":"2026-01-01T00:00:00Z"`) || !strings.Contains(got, `"Registered":true`) || !strings.Contains(got, `"LastRole":"Primary"`) {
			t.Errorf("%s: %s", when, got)
		}
		if got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/requests", "")); strings.Count(got, `"Virtual":true`) != 2 {
			t.Errorf("%s: the journal should hold the registration and the first heartbeat: %s", when, got)
		}
	}
	check("at start")
	advance(t, srv, 2*time.Minute)
	if got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients/peer", "")); !strings.Contains(got, `"Left":true`) {
		t.Errorf("after its Leave: %s", got)
	}
	must(t, srv, http.StatusOK, http.MethodPost, "/_emulator/reset", "")
	check("after reset")
	must(t, srv, http.StatusNoContent, http.MethodPut, "/_emulator/state", `{"Namespaces":[]}`)
	if got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/virtual-clients", "")); got != "[]" {
		t.Errorf("a state without virtual clients keeps %s", got)
	}
	// A document's virtual clients are checked like the control API's.
	rec := serve(srv, http.MethodPut, "/_emulator/state", `{"Namespaces":[],"VirtualClients":[{"Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":"p"}}]}`)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `virtual client 0 (\"\"): No failover group with Id \"g\"`) {
		t.Errorf("a virtual client of a missing group: %d %s", rec.Code, rec.Body)
	}
}

// The same story on the real clock as on a manual clock moved in one jump:
// the watcher wakes for every virtual action, and the role changes come in
// the same order, by the same rules, at the same instants after Start.
// Nothing waits for a time: the test polls for the last role change, with a
// generous limit.
func TestVirtualClientsOnTheRealClockAsOnTheManualOne(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a few seconds of a real FailoverTimeout: skipped with -short")
	}
	story := func(srv *emulator.Server, start time.Time) {
		must(t, srv, http.StatusCreated, http.MethodPut, ga+"/groups/g", `{"FailoverTimeout":"00:00:01"}`)
		// a is Primary and goes silent after a second; b, with a lower
		// score, takes over.
		for _, p := range []struct{ id, script string }{
			{"a", `[{"At":"00:00:01","Silent":true}]`},
			{"b", `[{"At":"00:00:00","Score":80}]`},
		} {
			must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients", fmt.Sprintf(
				`{"Id":%q,"Tenant":"t","Namespace":"n","Group":"g","Session":{"Id":%[1]q},"Interval":"00:00:00.2","Start":%q,"Script":%s}`,
				p.id, start.Format(time.RFC3339Nano), p.script))
		}
	}
	type change struct {
		After                   time.Duration
		Session, From, To, Rule string
	}
	changes := func(srv *emulator.Server, start time.Time) []change {
		var list struct {
			Events []struct {
				Time                    time.Time
				Session, From, To, Rule string
			}
		}
		if err := json.Unmarshal(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/events", ""), &list); err != nil {
			t.Fatal(err)
		}
		var out []change
		for _, e := range list.Events {
			out = append(out, change{e.Time.Sub(start), e.Session, e.From, e.To, e.Rule})
		}
		return out
	}

	manual := virtualServer(t)
	story(manual, vt0.Add(time.Second))
	advance(t, manual, 5*time.Second)
	want := changes(manual, vt0.Add(time.Second))
	if len(want) != 4 || want[0].Rule != "OnlyClient" || want[3].Rule != "HandOver" {
		t.Fatalf("the story on the manual clock: %+v", want)
	}

	real, err := emulator.New(emulator.Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { real.Close() })
	// Far enough ahead that both clients are added before they start.
	start := real.Clock().Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	story(real, start)
	deadline := time.Now().Add(30 * time.Second)
	var got []change
	for len(got) < len(want) {
		if time.Now().After(deadline) {
			t.Fatalf("on the real clock, after 30 s: %+v, want %+v", got, want)
		}
		time.Sleep(100 * time.Millisecond)
		got = changes(real, start)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("on the real clock:\n%+v\non the manual clock:\n%+v", got, want)
	}
}

// The journal keeps a virtual request's path as a client would send it:
// ids escaped.
func TestVirtualRequestPathsAreEscaped(t *testing.T) {
	srv := virtualServer(t)
	must(t, srv, http.StatusCreated, http.MethodPost, preview+"/groups", `{"Id":"g 1","FailoverTimeout":"00:00:30"}`)
	must(t, srv, http.StatusCreated, http.MethodPost, "/_emulator/virtual-clients", `{"Surface":"preview","Tenant":"t","Namespace":"n","Group":"g 1","Session":{"Id":"a/b"}}`)
	got := string(must(t, srv, http.StatusOK, http.MethodGet, "/_emulator/requests?operation=PostHeartbeatMessage", ""))
	if !strings.Contains(got, `"Path":"`+preview+`/groups/g%201/clientsessions/a%2Fb/heartbeat"`) {
		t.Errorf("journal: %s", got)
	}
	// The path reaches the session a real client reaches.
	must(t, srv, http.StatusOK, http.MethodGet, preview+"/groups/g%201/clientsessions/a%2Fb", "")
}
