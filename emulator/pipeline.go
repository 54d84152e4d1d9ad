package emulator

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/emulator/store"
	"github.com/adh-emulator/clientfailover/schemas"
)

// call is one request to an operation of the emulated API, as handlers see
// it: the surface it came through, its scope and its validated body.
type call struct {
	*gin.Context
	surf  surface
	op    operation.Name
	scope store.Scope
	body  fields // the validated body when it is an object
	tree  any    // the validated body as decoded: an object, an array, ...
	// ignored lists the request body's properties that its schema does not
	// declare and that were dropped (paths such as "Trustee.Bar"), nil when
	// none: for the journal and strict mode.
	ignored []string
	// caller is who is calling a cloud surface under --auth token; nil
	// under --auth none and on the on-premises surface.
	caller *auth.Principal
}

// creator is the trustee that owns what this call creates (nil under
// --auth none).
func (c *call) creator() *store.Trustee {
	if c.caller == nil {
		return nil
	}
	return c.caller.Trustee()
}

func (c *call) group() string   { return c.Param("group") }
func (c *call) session() string { return c.Param("session") }

// apiHandler runs one operation for the Server the request was sent to:
// faults, catch-up, checks, body validation, the handler and the journal, in
// that order.
func apiHandler(sf surface, rt route) gin.HandlerFunc {
	return func(c *gin.Context) {
		s := serverFrom(c)
		start := s.clock.Wall()
		entry := journal.Entry{
			Time:      s.clock.Now(),
			Method:    c.Request.Method,
			Path:      c.Request.URL.EscapedPath(), // as sent: globs match escapes
			Query:     c.Request.URL.RawQuery,
			Operation: rt.op,
			Surface:   sf.name,
			Tenant:    c.Param("tenant"),
			Namespace: c.Param("namespace"),
		}
		body, tooLarge := s.readBody(c)
		entry.RequestBody, entry.BodyTruncated, entry.BodySize = body, tooLarge, len(body)
		if tooLarge && c.Request.ContentLength > int64(len(body)) {
			entry.BodySize = int(min(c.Request.ContentLength, math.MaxInt32))
		}
		// record runs once, before the client can see the outcome: a
		// dropped connection is journaled before it is closed.
		record := func(status int) {
			entry.Status = status
			entry.Duration = s.clock.Wall().Sub(start)
			s.journal.Record(entry)
			if s.log.Enabled(c, slog.LevelDebug) {
				attrs := []slog.Attr{
					slog.String("method", entry.Method), slog.String("path", entry.Path),
					slog.String("operation", string(entry.Operation)), slog.Int("status", status),
					slog.String("fault", entry.Fault), slog.Duration("duration", entry.Duration),
				}
				if len(entry.IgnoredProperties) > 0 {
					attrs = append(attrs, slog.Any("ignored", entry.IgnoredProperties))
				}
				s.log.LogAttrs(c, slog.LevelDebug, "request", attrs...)
			}
		}
		s.serveAPI(c, sf, rt, body, tooLarge, &entry, record)
	}
}

// readBody reads the body up to the limit; tooLarge when it is over.
func (s *Server) readBody(c *gin.Context) (body []byte, tooLarge bool) {
	if c.Request.Body == nil || c.Request.ContentLength == 0 {
		return nil, false
	}
	if c.Request.ContentLength > s.opts.MaxBodyBytes {
		return nil, true
	}
	// A body that breaks off is judged by what arrived, so the errors of
	// reading are not needed.
	var b []byte
	if n := c.Request.ContentLength; n > 0 && n <= exactBodyBuffer {
		// The usual case: a body of known length read into one buffer of
		// that size, then the rest (nothing, unless the length was wrong).
		// Only for small bodies: a Content-Length alone must not make the
		// server set aside memory that the client then never sends.
		b = make([]byte, n, n+1)
		got, _ := io.ReadFull(c.Request.Body, b)
		b = b[:got]
		if got == int(n) {
			if m, _ := io.ReadFull(c.Request.Body, b[n:n+1]); m == 1 {
				rest, _ := io.ReadAll(io.LimitReader(c.Request.Body, s.opts.MaxBodyBytes-n))
				b = append(b[:n+1], rest...)
			}
		}
	} else {
		b, _ = io.ReadAll(io.LimitReader(c.Request.Body, s.opts.MaxBodyBytes+1))
	}
	if int64(len(b)) > s.opts.MaxBodyBytes {
		return b[:s.opts.MaxBodyBytes], true
	}
	return b, false
}

// exactBodyBuffer is the largest declared body readBody reads into a buffer
// of exactly its Content-Length; larger ones grow as they arrive.
const exactBodyBuffer = 64 << 10

// serveAPI answers the request and records it with the status written (0
// when the connection was dropped).
func (s *Server) serveAPI(c *gin.Context, sf surface, rt route, body []byte, tooLarge bool, entry *journal.Entry, record func(status int)) {
	if rule, ok := s.faults.Match(faults.Request{
		Operation: rt.op, Method: c.Request.Method, Path: entry.Path,
		Tenant: entry.Tenant, Namespace: entry.Namespace,
	}); ok {
		entry.Fault = rule.ID
		if s.applyFault(c, rule, record) {
			return
		}
	}
	r := s.answer(c, sf, rt, body, tooLarge, entry)
	if r.status == http.StatusUnauthorized {
		// Authentication failed (answer's only 401): an anonymous caller's
		// body is not kept, only its size.
		entry.RequestBody = nil
	}
	render(c, r)
	// The response is flushed after the handler returns, so the entry is in
	// the journal before the client has its answer.
	record(r.status)
}

// answer computes the response of an operation; it notes in entry the
// properties of the body that were ignored.
func (s *Server) answer(c *gin.Context, sf surface, rt route, body []byte, tooLarge bool, entry *journal.Entry) response {
	cl := &call{Context: c, surf: sf, op: rt.op, scope: sf.scope(c)}
	s.svc.CatchUp(c)
	caller, denied := s.authorize(c, sf, rt, cl.scope)
	if denied != nil {
		return *denied
	}
	cl.caller = caller
	for _, p := range c.Params {
		if utf8.RuneCountInString(p.Value) > MaxIDLength {
			return badRequest(fmt.Sprintf("The %s id is %d characters long; the longest allowed is %d.", p.Key, utf8.RuneCountInString(p.Value), MaxIDLength),
				"Use a shorter id.")
		}
	}
	if tooLarge {
		return errorResponse(http.StatusRequestEntityTooLarge, "The request body is too large.",
			fmt.Sprintf("The body is larger than %d bytes.", s.opts.MaxBodyBytes), "Send a smaller body.")
	}
	if rt.sessionFirst {
		if err := s.svc.CheckSession(c, cl.scope, cl.group(), cl.session()); err != nil {
			return fromError(err)
		}
	}
	if rt.body != nil {
		strict := s.strict.Load()
		if strict && len(body) > 0 && !isJSON(c.ContentType()) {
			return errorResponse(http.StatusUnsupportedMediaType, "The request body's media type is not supported.",
				fmt.Sprintf("The Content-Type is %q; this operation reads application/json (strict bodies are on).", c.GetHeader("Content-Type")),
				"Send the header Content-Type: application/json.")
		}
		if len(body) == 0 {
			return badRequest("The request has no body; this operation needs a JSON object.", "Send a JSON body.")
		}
		var err error
		cl.ignored, err = s.schemas.Decode(rt.body(sf), body, &cl.tree)
		entry.IgnoredProperties = cl.ignored
		if err != nil {
			var de *schemas.DecodeError
			if errors.As(err, &de) {
				return badRequest(de.Reason, "Correct the request body; GET /_emulator/openapi.json describes every body.")
			}
			return fromError(err)
		}
		if strict && len(cl.ignored) > 0 {
			return badRequest(fmt.Sprintf("The body has the property %q, which this operation does not have (strict bodies are on).", cl.ignored[0]),
				"Remove the property or correct its name; GET /_emulator/openapi.json describes every body. PUT /_emulator/config {\"StrictBodies\": false} ignores unknown properties, as the service does.")
		}
		cl.body, _ = cl.tree.(map[string]any)
	}
	return rt.handle(s, cl)
}

// isJSON reports whether a media type (without parameters) is one ASP.NET's
// JSON input formatter reads: application/json, text/json or
// application/*+json.
func isJSON(mediaType string) bool {
	mediaType = strings.ToLower(mediaType)
	return mediaType == "application/json" || mediaType == "text/json" ||
		strings.HasPrefix(mediaType, "application/") && strings.HasSuffix(mediaType, "+json")
}

// applyFault acts out a fault rule. done reports that the request was
// answered or dropped (and recorded) and must not be handled further.
func (s *Server) applyFault(c *gin.Context, rule faults.Rule, record func(status int)) (done bool) {
	if d := rule.Action.Delay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-c.Request.Context().Done(): // the client went away
			t.Stop()
			c.Abort()
			record(0)
			return true
		case <-s.stopping: // shutting down: cut the delay short
			t.Stop()
		}
	}
	for k, v := range rule.Action.Headers {
		c.Header(k, v)
	}
	if rule.Action.Drop {
		record(0)
		drop(c)
		return true
	}
	if rule.Action.Status == 0 {
		return false
	}
	r := response{status: rule.Action.Status}
	switch {
	case rule.Action.Body != nil:
		r.body = rule.Action.Body
	case rule.Action.Status >= 400:
		r.body = errorBody(http.StatusText(rule.Action.Status),
			fmt.Sprintf("Fault rule %q answered this request.", rule.ID),
			"This is an injected fault; remove it with DELETE /_emulator/faults.")
	}
	render(c, r)
	record(r.status)
	return true
}

// drop closes the connection without an answer.
func drop(c *gin.Context) {
	c.Abort()
	if hj, ok := c.Writer.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// No connection to close (an in-process handler): net/http's own way of
	// abandoning a response.
	panic(http.ErrAbortHandler)
}

// recover turns a panic into a 500 ErrorResponse (and lets net/http's
// abort sentinel through).
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", "path", c.Request.URL.Path, "panic", v)
			render(c, internalError(fmt.Errorf("panic: %v", v)))
			c.Abort()
		}
	}()
	c.Next()
}

// serveUnmatched answers a path or method the API does not have.
func (s *Server) serveUnmatched(c *gin.Context, status int) {
	start := s.clock.Wall()
	var r response
	if status == http.StatusMethodNotAllowed {
		r = errorResponse(status, "The method is not allowed.",
			fmt.Sprintf("%s is not an operation of %s.", c.Request.Method, c.Request.URL.Path),
			"Use a method this path supports (see GET /_emulator/openapi.json).")
	} else {
		r = errorResponse(status, "The resource was not found.",
			fmt.Sprintf("No operation is served at %s.", c.Request.URL.Path),
			"Check the path: operations live under /api/v1-preview/tenants/{tenantId}/namespaces/{namespaceId}/clientfailover, the same under /api/v1, and under /api/v1/clientfailover (on-premises).")
	}
	render(c, r)
	if !isControlPath(c.Request.URL.Path) {
		s.journal.Record(journal.Entry{
			Time: s.clock.Now(), Method: c.Request.Method, Path: c.Request.URL.EscapedPath(),
			Query: c.Request.URL.RawQuery, Status: status, Duration: s.clock.Wall().Sub(start),
		})
	}
}
