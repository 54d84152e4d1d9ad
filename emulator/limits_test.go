package emulator_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// paddedGroup is a valid Post Group body of exactly size bytes (size >= 60):
// a group with Id id whose Name is padded with x.
func paddedGroup(tb testing.TB, id string, size int) []byte {
	tb.Helper()
	head := fmt.Sprintf(`{"Id":%q,"FailoverTimeout":"00:01:00","Name":"`, id)
	const tail = `"}`
	pad := size - len(head) - len(tail)
	if pad < 0 {
		tb.Fatalf("paddedGroup: size %d is too small", size)
	}
	b := []byte(head + strings.Repeat("x", pad) + tail)
	if len(b) != size {
		tb.Fatalf("paddedGroup: made %d bytes, want %d", len(b), size)
	}
	return b
}

// With MaxBodyBytes 1 KiB a body of exactly 1 KiB is read and handled, and
// one byte more gets 413 with an ErrorResponse and changes nothing, whether
// the client sends a Content-Length or not (chunked).
func TestBodySizeLimit(t *testing.T) {
	const limit = 1 << 10
	tests := []struct {
		name        string
		size        int
		knownLength bool
		want        int
	}{
		{"at the limit, Content-Length", limit, true, http.StatusCreated},
		{"at the limit, chunked", limit, false, http.StatusCreated},
		{"one byte over, Content-Length", limit + 1, true, http.StatusRequestEntityTooLarge},
		{"one byte over, chunked", limit + 1, false, http.StatusRequestEntityTooLarge},
		{"far over, chunked", 64 * limit, false, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startInProcess(t, emulator.Options{MaxBodyBytes: limit})
			before := srv.State(context.Background())
			req := httptest.NewRequest(http.MethodPost, previewBase+"/groups", bytes.NewReader(paddedGroup(t, "big", tt.size)))
			if !tt.knownLength {
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("POST a %d-byte group: got status %d, want %d: %s", tt.size, rec.Code, tt.want, rec.Body)
			}
			if tt.want < 400 {
				return
			}
			if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
				t.Errorf("413: %s", p)
			}
			if same, diff := sameState(before, srv.State(context.Background())); !same {
				t.Errorf("a 413 changed the state:\n%s", diff)
			}
		})
	}
}

// A body nesting deeper than schemas.MaxDepth gets 400 saying so, and
// changes nothing, whatever the body limit: 4 MiB of "[" used to overflow the
// goroutine stack and kill the process.
func TestDeepNestingIsRefused(t *testing.T) {
	srv := startInProcess(t, emulator.Options{MaxBodyBytes: 8 << 20})
	before := srv.State(context.Background())
	for _, tt := range []struct{ path, body string }{
		{previewBase + "/groups", strings.Repeat("[", 4<<20)},
		{gaBase + "/groups", `{"Id":"deep","FailoverTimeout":"00:01:00","AdditionalData":{"A":` + strings.Repeat("[", 63) + strings.Repeat("]", 63) + `}}`},
		{collectionACLPath, strings.Repeat(`{"a":`, 1<<20)},
	} {
		method := http.MethodPost
		if tt.path == collectionACLPath {
			method = http.MethodPut
		}
		rec := handle(srv.Handler(), method, tt.path, []byte(tt.body))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "nests deeper than 64 levels") {
			t.Errorf("%s %s with %d bytes nesting deep: got %d %.300s, want 400 naming the limit", method, tt.path, len(tt.body), rec.Code, rec.Body)
		}
		if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
			t.Errorf("%s %s: %s", method, tt.path, p)
		}
	}
	if same, diff := sameState(before, srv.State(context.Background())); !same {
		t.Errorf("a refused deep body changed the state:\n%s", diff)
	}
}

// Over a real socket, request headers larger than emulator.MaxHeaderBytes get
// 431; headers well within it are served.
func TestHeaderSizeLimit(t *testing.T) {
	srv := startListening(t, emulator.Options{})
	tests := []struct {
		name   string
		header int // bytes of one extra header's value
		want   int
	}{
		{"half the limit", emulator.MaxHeaderBytes / 2, http.StatusOK},
		// net/http allows 4 KiB beyond MaxHeaderBytes before it refuses.
		{"over the limit", emulator.MaxHeaderBytes + 8<<10, http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := dialServer(t, srv)
			req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nX-Big: %s\r\nConnection: close\r\n\r\n",
				previewBase, srv.Addr(), strings.Repeat("a", tt.header))
			if _, err := io.WriteString(conn, req); err != nil {
				t.Fatalf("writing the request: %v", err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("reading the response: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("a %d-byte header: got status %d, want %d", tt.header, resp.StatusCode, tt.want)
			}
		})
	}
}

// dialServer opens a raw connection to srv, closed when t ends; reads and
// writes give up after a minute so a broken server fails the test instead of
// hanging it.
func dialServer(t *testing.T, srv *emulator.Server) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// Ids longer than emulator.MaxIDLength get 400 with an ErrorResponse,
// wherever they appear; ids of exactly that length are accepted.
func TestIDLengthLimit(t *testing.T) {
	longest := strings.Repeat("i", emulator.MaxIDLength)
	tooLong := longest + "i"
	scope := func(tenant, namespace string) string {
		return "/api/v1-preview/tenants/" + tenant + "/namespaces/" + namespace + "/clientfailover"
	}
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"tenant", http.MethodGet, scope(tooLong, "n") + "/groups", "", 400},
		{"tenant at the limit", http.MethodGet, scope(longest, "n") + "/groups", "", 200},
		{"namespace", http.MethodGet, scope("t", tooLong) + "/groups", "", 400},
		{"namespace at the limit", http.MethodGet, scope("t", longest) + "/groups", "", 200},
		{"collection list tenant", http.MethodGet, "/api/v1/tenants/" + tooLong + "/namespaces/n/accesscontrol/clientfailover/groups", "", 400},
		{"group", http.MethodGet, previewBase + "/groups/" + tooLong, "", 400},
		{"group at the limit", http.MethodGet, previewBase + "/groups/" + longest, "", 404},
		{"group in Put Group", http.MethodPut, previewBase + "/groups/" + tooLong, `{"FailoverTimeout":"00:01:00"}`, 400},
		{"group at the limit in Put Group", http.MethodPut, previewBase + "/groups/" + longest, `{"FailoverTimeout":"00:01:00"}`, 201},
		{"group Id in a Post Group body", http.MethodPost, previewBase + "/groups", fmt.Sprintf(`{"Id":%q,"FailoverTimeout":"00:01:00"}`, tooLong), 400},
		{"group Id at the limit in a Post Group body", http.MethodPost, previewBase + "/groups", fmt.Sprintf(`{"Id":%q,"FailoverTimeout":"00:01:00"}`, longest), 201},
		{"session", http.MethodGet, previewBase + "/groups/g/clientsessions/" + tooLong, "", 400},
		{"session at the limit", http.MethodGet, previewBase + "/groups/g/clientsessions/" + longest, "", 404},
		{"session in a heartbeat", http.MethodPost, previewBase + "/groups/g/clientsessions/" + tooLong + "/heartbeat", `{"FailoverStatus":1}`, 400},
		{"session Id in a Post Client Session body", http.MethodPost, previewBase + "/groups/g/clientsessions", fmt.Sprintf(`{"Id":%q}`, tooLong), 400},
		{"session Id at the limit in a Post Client Session body", http.MethodPost, previewBase + "/groups/g/clientsessions", fmt.Sprintf(`{"Id":%q}`, longest), 201},
		{"session Id in a v1 Post Client Session body", http.MethodPost, gaBase + "/groups/g/clientsessions", fmt.Sprintf(`{"Id":%q}`, tooLong), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startInProcess(t, emulator.Options{})
			mustHandle(t, srv.Handler(), http.MethodPut, previewBase+"/groups/g", `{"FailoverTimeout":"00:01:00"}`)
			before := srv.State(context.Background())
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			rec := handle(srv.Handler(), tt.method, tt.path, body)
			if rec.Code != tt.want {
				t.Fatalf("%s %s: got status %d, want %d: %s", tt.method, tt.path, rec.Code, tt.want, rec.Body)
			}
			if tt.want != http.StatusBadRequest {
				return
			}
			if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
				t.Errorf("400: %s", p)
			}
			if same, diff := sameState(before, srv.State(context.Background())); !same {
				t.Errorf("a 400 changed the state:\n%s", diff)
			}
		})
	}
}

// readHeaderTimeout is short so the test below is quick.
const readHeaderTimeout = 200 * time.Millisecond

// A client that opens a connection and never finishes its headers is
// disconnected (Options.ReadHeaderTimeout) rather than holding the
// connection open for ever.
func TestUnfinishedHeadersAreDisconnected(t *testing.T) {
	srv := startListening(t, emulator.Options{ReadHeaderTimeout: readHeaderTimeout})
	conn := dialServer(t, srv)
	// The deadline only stops a server that never disconnects; it is fifty
	// times the timeout, so a slow machine cannot reach it by being slow.
	if err := conn.SetDeadline(time.Now().Add(50 * readHeaderTimeout)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "GET "+previewBase+" HTTP/1.1\r\nHost: x\r\nX-Never: finished"); err != nil {
		t.Fatalf("writing half a request: %v", err)
	}
	// The server may answer 408 before it closes; either way the read ends
	// with the connection closed, not with our deadline.
	got, err := io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the connection was still open after %v (50 x the header timeout); read %q", 50*readHeaderTimeout, got)
	}
	if len(got) > 0 && !bytes.HasPrefix(got, []byte("HTTP/1.1 408")) {
		t.Errorf("got %q before the close, want nothing or a 408", got)
	}
}

// The emulator's clock may stand anywhere in time.Time's range, and a
// FailoverTimeout or an override period may be centuries long, so deadlines
// fall outside the years 1678 to 2262 that int64 nanoseconds can hold. A
// lapse is still applied when the clock passes it, there as anywhere.
func TestLapseNearTheEndOfUnixNanoseconds(t *testing.T) {
	tests := []struct {
		name    string
		start   time.Time
		timeout string
		advance string
	}{
		// The lapse is before the last int64 nanosecond (2262-04-11T23:47:16.854775807Z), the clock moves past it.
		{"clock moves past 2262", time.Date(2262, 4, 11, 23, 46, 0, 0, time.UTC), "00:00:10", "00:02:00"},
		// A timeout of 274 years puts the lapse past 2262 for a clock in
		// 2026; the clock then moves 292 years.
		{"lapse after 2262, not yet", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "100000.00:00:00", "00:00:01"},
		{"lapse after 2262, passed", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "100000.00:00:00", "106751.00:00:00"},
		{"both before 1678", time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), "00:00:10", "00:00:11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startInProcess(t, emulator.Options{Clock: clock.Manual, ClockStart: tt.start})
			h := srv.Handler()
			mustHandle(t, h, http.MethodPut, previewBase+"/groups/g", fmt.Sprintf(`{"FailoverTimeout":%q}`, tt.timeout))
			mustHandle(t, h, http.MethodPost, previewBase+"/groups/g/clientsessions", `{"Id":"s1"}`)
			mustHandle(t, h, http.MethodPost, previewBase+"/groups/g/clientsessions/s1/heartbeat", `{"FailoverStatus":100}`)
			mustHandle(t, h, http.MethodPost, "/_emulator/clock/advance", fmt.Sprintf(`{"By":%q}`, tt.advance))
			// The exported state is read after a catch-up, without touching the group.
			doc := srv.State(context.Background())
			got := doc.Namespaces[0].Groups[0].Sessions[0].Role
			d, _ := timefmt.ParseSpanOrDuration(tt.advance)
			timeout, _ := timefmt.ParseSpan(tt.timeout)
			want := 1 // still the Primary
			if d > timeout {
				want = 0 // lapsed: Secondary
			}
			if got != want {
				t.Errorf("session s1 after the clock moved %s with a timeout of %s: got Role %d, want %d", tt.advance, tt.timeout, got, want)
			}
		})
	}
}
