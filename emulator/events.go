package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/service"
)

// Defaults of the event stream's Options.
const (
	// DefaultEventStreamKeepAlive is how often an open event stream with
	// nothing to say sends a comment line, so proxies and load balancers
	// that close idle connections leave it open.
	DefaultEventStreamKeepAlive = 15 * time.Second
	// DefaultEventStreamBuffer is how many role changes an event stream
	// holds for a client that reads slower than they happen. One more and
	// the stream ends with an "overflow" message; the client reconnects
	// with Last-Event-ID and gets the rest from the retained list.
	DefaultEventStreamBuffer = service.DefaultSubscriberBuffer
)

// eventObject is one role change as GET /_emulator/events lists it and
// the event stream sends it.
func eventObject(e service.Event) object {
	var tenant, namespace any = e.Tenant, e.Namespace
	if e.OnPremises {
		tenant, namespace = nil, nil
	}
	return object{
		{"Seq", int64(e.Seq)},
		{"Time", e.Time.Format(time.RFC3339Nano)},
		{"OnPremises", e.OnPremises},
		{"Tenant", tenant},
		{"Namespace", namespace},
		{"Group", e.Group},
		{"Session", e.Session},
		{"From", e.From.String()},
		{"To", e.To.String()},
		{"Rule", string(e.Rule)},
	}
}

// parseAfter reads the only query parameter of the event endpoints,
// after=SEQ; ok is false (and r the 400) for anything else.
func parseAfter(q url.Values) (after uint64, given bool, r response, ok bool) {
	for name := range q {
		if name != "after" {
			return 0, false, badRequest(fmt.Sprintf("The query parameter %q is not known here.", name),
				"The event endpoints take only after=SEQ (the Seq of the last event already seen)."), false
		}
	}
	text := q.Get("after")
	if text == "" {
		return 0, false, response{}, true
	}
	n, err := strconv.ParseUint(text, 10, 64)
	if err != nil || len(q["after"]) > 1 {
		return 0, false, badRequest(fmt.Sprintf("after %q is not one whole number of zero or more.", text),
			"Send after=SEQ once, with the Seq of the last event already seen (0 for all retained events)."), false
	}
	return n, true, response{}, true
}

// listEvents answers the retained role changes, oldest first; after=SEQ
// keeps those with a larger Seq. LastSeq is the Seq of the newest change
// ever recorded, so a caller can wait for what comes next.
func (s *Server) listEvents(c *gin.Context) response {
	after, _, bad, ok := parseAfter(c.Request.URL.Query())
	if !ok {
		return bad
	}
	s.svc.CatchUp(c)
	last := s.svc.LastSeq() // read first: no listed event is newer
	events, dropped := s.svc.Events()
	list := make([]object, 0, len(events))
	for _, e := range events {
		if e.Seq > after {
			list = append(list, eventObject(e))
		}
	}
	return response{status: http.StatusOK, body: object{{"Events", list}, {"Dropped", int64(dropped)}, {"LastSeq", int64(last)}}}
}

// streamEvents serves GET /_emulator/events/stream, Server-Sent Events:
// every role change as a message "id: SEQ", "event: role", "data: " the
// JSON object of GET /_emulator/events. A client resumes with the
// Last-Event-ID header (or after=SEQ; the header wins, as a browser's
// EventSource keeps the URL it started with) and first gets the retained
// changes after that Seq; without either it gets the changes from now on.
// A comment line every keep-alive interval keeps idle proxies from closing
// it. "event: reset" says the list was cleared (a reset or a new state).
// A client that falls more than the stream buffer behind gets
// "event: overflow" and the stream ends: reconnect with Last-Event-ID.
// The stream ends when the client goes or the server stops.
func (s *Server) streamEvents(c *gin.Context) {
	after, replay, bad, ok := parseAfter(c.Request.URL.Query())
	if !ok {
		render(c, bad)
		return
	}
	if id := c.GetHeader("Last-Event-ID"); id != "" {
		n, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			render(c, badRequest(fmt.Sprintf("Last-Event-ID %q is not a Seq.", id),
				"Send the id of the last event received (a whole number), or no Last-Event-ID for the events from now on."))
			return
		}
		after, replay = n, true
	}
	var backlog []service.Event
	var sub *service.Subscription
	var last uint64
	if replay {
		backlog, sub, last = s.svc.SubscribeAfter(after, s.streamBuffer())
		last = min(after, last) // an id from before a restart is reset
	} else {
		sub, last = s.svc.Subscribe(s.streamBuffer())
	}
	defer sub.Close()
	s.svc.CatchUp(c) // lapses due by now are in the stream

	// A stream outlives the server's read and write timeouts, which are
	// for ordinary requests; the read deadline would also cancel the
	// request's context. Writers that cannot (a test's) need not.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})

	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	c.Writer.WriteHeader(http.StatusOK)

	// The first message sets the client's last event id, so a client
	// that reconnects before any event resumes without a gap.
	w := sseWriter{c: c, last: last}
	w.printf("retry: 2000\nid: %d\n: role changes of the emulator, one \"role\" message each\n\n", last)
	for _, e := range backlog {
		w.event(e)
	}
	w.flush()

	keepAlive := time.NewTicker(s.streamKeepAlive())
	defer keepAlive.Stop()
	for w.err == nil {
		select {
		case <-c.Request.Context().Done():
			return
		case <-s.stopping:
			return
		case <-keepAlive.C:
			w.printf(": keep-alive\n\n")
		case d, open := <-sub.C():
			switch {
			case !open:
				if sub.Overflowed() {
					w.printf("event: overflow\ndata: {\"LastSeq\":%d,\"Reason\":\"The client read slower than role changes happened.\",\"Resolution\":\"Reconnect with Last-Event-ID to get the rest.\"}\n\n", w.last)
					w.flush()
				}
				return
			case d.Cleared:
				w.printf("event: reset\ndata: {\"LastSeq\":%d}\n\n", s.svc.LastSeq())
			default:
				w.event(d.Event)
			}
		}
		w.flush()
	}
}

func (s *Server) streamBuffer() int {
	if s.opts.EventStreamBuffer > 0 {
		return s.opts.EventStreamBuffer
	}
	return DefaultEventStreamBuffer
}

func (s *Server) streamKeepAlive() time.Duration {
	if s.opts.EventStreamKeepAlive > 0 {
		return s.opts.EventStreamKeepAlive
	}
	return DefaultEventStreamKeepAlive
}

// sseWriter writes Server-Sent Events and remembers the first error (the
// client went away), after which it writes nothing.
type sseWriter struct {
	c    *gin.Context
	err  error
	last uint64 // the Seq of the last event written
	buf  []byte
}

func (w *sseWriter) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.c.Writer, format, args...)
	}
}

func (w *sseWriter) event(e service.Event) {
	if w.err != nil {
		return
	}
	b := append(w.buf[:0], "id: "...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, "\nevent: role\ndata: "...)
	b, w.err = appendObject(b, eventObject(e)) // one line: JSON has no raw newlines
	if w.err != nil {
		return
	}
	b = append(b, "\n\n"...)
	w.buf = b
	_, w.err = w.c.Writer.Write(b)
	w.last = e.Seq
}

func (w *sseWriter) flush() {
	if w.err == nil {
		w.c.Writer.Flush()
	}
}
