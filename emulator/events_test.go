package emulator_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
)

// sseMessage is one message of an event stream, as a browser's EventSource
// would dispatch it (comments are collected for the keep-alive test).
type sseMessage struct {
	id, event, data string
	hasID           bool
	comments        []string
}

// readSSE reads the next message (up to a blank line) from r.
func readSSE(r *bufio.Reader) (sseMessage, error) {
	var m sseMessage
	var data []string
	seen := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return m, err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if !seen {
				continue
			}
			m.data = strings.Join(data, "\n")
			return m, nil
		}
		seen = true
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			m.comments = append(m.comments, value)
		case "id":
			m.id, m.hasID = value, true
		case "event":
			m.event = value
		case "data":
			data = append(data, value)
		}
	}
}

// stream opens GET /_emulator/events/stream with extra headers and
// returns the answer; the stream ends with the test.
func stream(t *testing.T, srv *emulator.Server, query string, header http.Header) *http.Response {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/_emulator/events/stream"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// roles reads role messages until n have arrived, skipping the others, and
// returns them with any messages of other kinds (in order).
func roles(t *testing.T, r *bufio.Reader, n int) (got []sseMessage, others []sseMessage) {
	t.Helper()
	for len(got) < n {
		m, err := readSSE(r)
		if err != nil {
			t.Fatalf("after %d role messages: %v", len(got), err)
		}
		if m.event == "role" {
			got = append(got, m)
		} else {
			others = append(others, m)
		}
	}
	return got, others
}

// listenServer starts an emulator with a listener and a manual clock.
func listenServer(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	opts.Clock = clock.Manual
	opts.ClockStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// failover makes group g with sessions a and b; a becomes Primary, then
// lapses (the clock moves 31 s) and b becomes PendingPrimary: three role
// changes.
func failover(t *testing.T, srv *emulator.Server, group string) {
	t.Helper()
	base := srv.URL() + preview + "/groups"
	for _, r := range []struct{ method, url, body string }{
		{http.MethodPost, base, `{"Id":"` + group + `","FailoverTimeout":"00:00:30"}`},
		{http.MethodPost, base + "/" + group + "/clientsessions", `{"Id":"a"}`},
		{http.MethodPost, base + "/" + group + "/clientsessions", `{"Id":"b"}`},
		{http.MethodPost, base + "/" + group + "/clientsessions/a/heartbeat", `{"FailoverStatus":100}`},
		{http.MethodPost, srv.URL() + "/_emulator/clock/advance", `{"By":"00:00:10"}`},
		{http.MethodPost, base + "/" + group + "/clientsessions/b/heartbeat", `{"FailoverStatus":100}`},
		{http.MethodPost, srv.URL() + "/_emulator/clock/advance", `{"By":"00:00:21"}`},
	} {
		if code, body := post(r.method, r.url, r.body); code >= 300 {
			t.Fatalf("%s %s: %d %s", r.method, r.url, code, body)
		}
	}
}

// listed is GET /_emulator/events?query, decoded.
func listed(t *testing.T, srv *emulator.Server, query string) (events []json.RawMessage, last uint64) {
	t.Helper()
	code, body := post(http.MethodGet, srv.URL()+"/_emulator/events"+query, "")
	if code != http.StatusOK {
		t.Fatalf("GET /_emulator/events%s: %d %s", query, code, body)
	}
	var doc struct {
		Events  []json.RawMessage
		LastSeq uint64
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Events, doc.LastSeq
}

// Each role change is one "role" message whose id is its Seq and whose data
// is exactly its entry in GET /_emulator/events.
func TestEventStreamSendsEachRoleChange(t *testing.T) {
	srv := listenServer(t, emulator.Options{})
	resp := stream(t, srv, "", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("got %d %q, want 200 text/event-stream", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := bufio.NewReader(resp.Body)
	first, err := readSSE(r)
	if err != nil || !first.hasID || first.id != "0" || first.event != "" || first.data != "" {
		t.Fatalf("first message %+v (%v): want only id 0, the resume point", first, err)
	}
	failover(t, srv, "g")
	got, _ := roles(t, r, 3)
	list, last := listed(t, srv, "")
	if len(list) != 3 || last != 3 {
		t.Fatalf("listed %d events, LastSeq %d; want 3 and 3", len(list), last)
	}
	for i, m := range got {
		if m.id != fmt.Sprint(i+1) {
			t.Errorf("message %d: id %q, want %d", i, m.id, i+1)
		}
		if m.data != string(list[i]) {
			t.Errorf("message %d:\n data %s\nlisted %s", i, m.data, list[i])
		}
	}
	var e struct {
		Seq                      uint64
		Session, From, To, Rule  string
		Tenant, Namespace, Group string
		OnPremises               bool
	}
	if err := json.Unmarshal([]byte(got[2].data), &e); err != nil {
		t.Fatal(err)
	}
	want := "3 t n g b Secondary PendingPrimary NoPrimary false"
	if s := fmt.Sprintln(e.Seq, e.Tenant, e.Namespace, e.Group, e.Session, e.From, e.To, e.Rule, e.OnPremises); s != want+"\n" {
		t.Errorf("third event: %s, want %s", s, want)
	}
}

// A client resuming with Last-Event-ID (or after=) gets exactly the changes
// it missed, then the new ones; the header wins over the query, as a
// browser keeps the URL it began with.
func TestEventStreamResumesAfterLastEventID(t *testing.T) {
	srv := listenServer(t, emulator.Options{})
	failover(t, srv, "g1") // Seq 1-3
	failover(t, srv, "g2") // Seq 4-6; g1's b lapses on the way (7)
	_, last := listed(t, srv, "")

	for _, tc := range []struct {
		name   string
		query  string
		header http.Header
		after  int
	}{
		{"Last-Event-ID", "", http.Header{"Last-Event-ID": {"2"}}, 2},
		{"after", "?after=4", nil, 4},
		{"header wins", "?after=1", http.Header{"Last-Event-ID": {"5"}}, 5},
		{"after 0 replays all", "?after=0", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := bufio.NewReader(stream(t, srv, tc.query, tc.header).Body)
			got, others := roles(t, r, int(last)-tc.after)
			for i, m := range got {
				if m.id != fmt.Sprint(tc.after+1+i) {
					t.Fatalf("message %d: id %s, want %d", i, m.id, tc.after+1+i)
				}
			}
			if len(others) != 1 || others[0].id != fmt.Sprint(tc.after) {
				t.Errorf("before the events: %+v, want one message with id %d", others, tc.after)
			}
			// Then the next new change, and nothing in between.
			g := srv.URL() + preview + "/groups/" + strings.ReplaceAll(tc.name, " ", "-")
			for _, r := range []struct{ url, body string }{
				{srv.URL() + preview + "/groups", `{"Id":"` + path.Base(g) + `","FailoverTimeout":"00:00:30"}`},
				{g + "/clientsessions", `{"Id":"a"}`},
				{g + "/clientsessions/a/heartbeat", `{"FailoverStatus":100}`},
			} {
				if code, body := post(http.MethodPost, r.url, r.body); code >= 300 {
					t.Fatalf("%s: %d %s", r.url, code, body)
				}
			}
			next, _ := roles(t, r, 1)
			if next[0].id != fmt.Sprint(last+1) {
				t.Errorf("next message: id %s, want %d", next[0].id, last+1)
			}
			last++
		})
	}

	// GET /_emulator/events?after= lists the same.
	if list, _ := listed(t, srv, "?after=5"); len(list) != int(last)-5 || !strings.Contains(string(list[0]), `"Seq":6,`) {
		t.Errorf("after=5 listed %s", list)
	}
}

// Bad cursors and unknown parameters are a 400 that names them, and the
// stream needs the admin token when there is one.
func TestEventStreamRejectsBadRequests(t *testing.T) {
	srv := listenServer(t, emulator.Options{AdminToken: "secret"})
	auth := http.Header{"Authorization": {"Bearer secret"}}
	for _, tc := range []struct {
		name, query string
		header      http.Header
		status      int
		mentions    string
	}{
		{"no token", "", nil, http.StatusUnauthorized, "admin token"},
		{"after not a number", "?after=x", auth, http.StatusBadRequest, `after \"x\"`},
		{"negative after", "?after=-1", auth, http.StatusBadRequest, `after \"-1\"`},
		{"unknown parameter", "?since=3", auth, http.StatusBadRequest, `since`},
		{"bad Last-Event-ID", "", http.Header{"Authorization": {"Bearer secret"}, "Last-Event-ID": {"abc"}}, http.StatusBadRequest, `abc`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := stream(t, srv, tc.query, tc.header)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.mentions) {
				t.Errorf("got %d %s, want %d mentioning %s", resp.StatusCode, b, tc.status, tc.mentions)
			}
		})
	}
	code, body := post(http.MethodGet, srv.URL()+"/_emulator/events?after=1&limit=2", "")
	if code != http.StatusUnauthorized {
		t.Errorf("events without the token: %d %s", code, body)
	}
}

// An idle stream sends comment lines (keep-alive); a reset is announced.
func TestEventStreamKeepAliveAndReset(t *testing.T) {
	srv := listenServer(t, emulator.Options{EventStreamKeepAlive: time.Millisecond})
	r := bufio.NewReader(stream(t, srv, "", nil).Body)
	for {
		m, err := readSSE(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.comments) > 0 && m.comments[0] == "keep-alive" {
			break
		}
	}
	if code, body := post(http.MethodPost, srv.URL()+"/_emulator/reset", ""); code != http.StatusOK {
		t.Fatalf("reset: %d %s", code, body)
	}
	for {
		m, err := readSSE(r)
		if err != nil {
			t.Fatal(err)
		}
		if m.event == "reset" {
			if m.data != `{"LastSeq":0}` {
				t.Errorf("reset data %s", m.data)
			}
			break
		}
	}
}

// Closing the server with a stream open returns at once (the stream is
// cut), not after the shutdown grace period; the client sees the end.
func TestCloseCutsOpenStreams(t *testing.T) {
	srv, err := emulator.New(emulator.Options{ShutdownGrace: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // if the test failed, do not wait the hour
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	resp := stream(t, srv, "", nil)
	r := bufio.NewReader(resp.Body)
	if _, err := readSSE(r); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(30 * time.Second): // generous: Close would wait an hour
		t.Fatal("Close did not return with a stream open")
	}
	if _, err := io.ReadAll(r); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Logf("stream ended with %v", err)
	}
}

// blockingWriter is a ResponseWriter whose writes wait until release is
// closed: a client that does not read.
type blockingWriter struct {
	header  http.Header
	release chan struct{}
	mu      sync.Mutex
	body    strings.Builder
	wrote   chan struct{} // closed at the first write
	once    sync.Once
}

func (w *blockingWriter) Header() http.Header { return w.header }
func (w *blockingWriter) WriteHeader(int)     {}
func (w *blockingWriter) Flush()              {}
func (w *blockingWriter) Write(b []byte) (int, error) {
	w.once.Do(func() { close(w.wrote) })
	<-w.release
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.body.Write(b)
}

// A client that reads slower than changes happen never holds the service
// up: past the buffer its stream ends with an "overflow" message naming the
// last Seq it got, and resuming from there gets the rest.
func TestSlowStreamOverflows(t *testing.T) {
	srv, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual, EventStreamBuffer: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	w := &blockingWriter{header: http.Header{}, release: make(chan struct{}), wrote: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_emulator/events/stream", nil))
	}()
	<-w.wrote // the handler is stuck in its first write
	for i := range 6 {
		g := fmt.Sprintf("g%d", i)
		for _, r := range []struct{ path, body string }{
			{preview + "/groups", `{"Id":"` + g + `","FailoverTimeout":"00:00:30"}`},
			{preview + "/groups/" + g + "/clientsessions", `{"Id":"a"}`},
			{preview + "/groups/" + g + "/clientsessions/a/heartbeat", `{"FailoverStatus":100}`},
		} {
			if rec := serve(srv, http.MethodPost, r.path, r.body); rec.Code >= 300 {
				t.Fatalf("%s: %d %s", r.path, rec.Code, rec.Body)
			}
		}
	}
	close(w.release)
	<-done
	r := bufio.NewReader(strings.NewReader(w.body.String()))
	var ids []string
	var end sseMessage
	for {
		m, err := readSSE(r)
		if err != nil {
			break
		}
		if m.event == "role" {
			ids = append(ids, m.id)
		}
		end = m
	}
	if end.event != "overflow" || len(ids) == 0 || len(ids) >= 6 {
		t.Fatalf("stream: role ids %v, last message %+v; want fewer than 6 then overflow", ids, end)
	}
	lastID := ids[len(ids)-1]
	for i, id := range ids {
		if id != fmt.Sprint(i+1) {
			t.Fatalf("role ids %v, want 1, 2, …", ids)
		}
	}
	if !strings.Contains(end.data, `"LastSeq":`+lastID+`,`) {
		t.Errorf("overflow data %s, want LastSeq %s", end.data, lastID)
	}
	rec := serve(srv, http.MethodGet, "/_emulator/events?after="+lastID, "")
	var doc struct{ Events []struct{ Seq int } }
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || len(doc.Events) != 6-len(ids) {
		t.Errorf("events after %s: %s (%v), want the %d missed", lastID, rec.Body, err, 6-len(ids))
	}
}

// A Last-Event-ID beyond the newest Seq (from before the emulator
// restarted) is reset to the newest, and every new change is still sent.
func TestEventStreamResetsAnIDFromTheFuture(t *testing.T) {
	srv := listenServer(t, emulator.Options{})
	r := bufio.NewReader(stream(t, srv, "", http.Header{"Last-Event-ID": {"999"}}).Body)
	first, err := readSSE(r)
	if err != nil || first.id != "0" {
		t.Fatalf("first message %+v (%v), want id 0", first, err)
	}
	failover(t, srv, "g")
	if got, _ := roles(t, r, 3); got[0].id != "1" {
		t.Errorf("first change: id %s, want 1", got[0].id)
	}
}
