package emulator

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/strictjson"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// ControlPrefix is where the emulator's own control API lives.
const ControlPrefix = "/_emulator"

func isControlPath(p string) bool {
	return p == ControlPrefix || strings.HasPrefix(p, ControlPrefix+"/")
}

// adminOnly requires the admin token on the control API when one is set,
// except on the public endpoints.
func (s *Server) adminOnly(c *gin.Context) {
	if s.opts.AdminToken == "" || isPublicControl(c.FullPath()) {
		return
	}
	got := bearerToken(c.GetHeader("Authorization"))
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.AdminToken)) != 1 {
		c.Header("WWW-Authenticate", `Bearer realm="emulator-control"`)
		render(c, errorResponse(http.StatusUnauthorized, "The control API needs the admin token.",
			"The request has no valid Authorization: Bearer header for the control API.",
			"Send the token given to the emulator with --admin-token."))
		c.Abort()
	}
}

// noQuery answers 400 for a query on an endpoint that takes none, naming
// the parameter, so a typo never passes silently.
func noQuery(c *gin.Context) *response {
	raw := c.Request.URL.RawQuery
	if raw == "" {
		return nil
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		r := badRequest(fmt.Sprintf("The query %q is not a valid query: %v.", raw, err), "This endpoint takes no query parameters; send none.")
		return &r
	}
	keys := slices.Sorted(maps.Keys(q))
	if len(keys) == 0 {
		return nil
	}
	r := badRequest(fmt.Sprintf("The query parameter %q is not one of %s %s, which takes none.", keys[0], c.Request.Method, c.Request.URL.Path),
		"Send the request without a query.")
	return &r
}

// maxControlBody bounds control API bodies (a state document of many
// groups is the largest).
const maxControlBody = 64 << 20

// readControl reads a control API body, or answers 413 when it is over
// maxControlBody.
func readControl(c *gin.Context) ([]byte, *response) {
	if c.Request.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxControlBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		r := errorResponse(http.StatusRequestEntityTooLarge, "The request body is too large.",
			fmt.Sprintf("The body is larger than %d bytes, the most a control API body may be.", maxControlBody), "Send a smaller body.")
		return nil, &r
	case err != nil:
		r := badRequest(fmt.Sprintf("The body could not be read: %v.", err), "Send the whole body.")
		return nil, &r
	}
	return b, nil
}

// decodeControl reads a control API body into dst as strictly as a fixture
// file (see package strictjson): exactly one JSON object, every property
// known and of its type, nothing after it; else it answers 400 naming the
// problem, and the caller changes nothing.
func decodeControl(c *gin.Context, dst any) *response {
	b, bad := readControl(c)
	if bad != nil {
		return bad
	}
	if err := strictjson.Decode(b, dst); err != nil {
		r := badRequest(fmt.Sprintf("The body is not valid: %v.", err),
			"Send a JSON object with the properties described in the README's control API section.")
		return &r
	}
	return nil
}

func (s *Server) clockBody() object {
	return object{{"Now", s.clock.Now().Format(time.RFC3339Nano)}, {"Mode", string(s.clock.Mode())}}
}

func (s *Server) getClock(*gin.Context) response {
	return response{status: http.StatusOK, body: s.clockBody()}
}

func (s *Server) putClock(c *gin.Context) response {
	var body struct {
		Now  *string
		Mode *string
	}
	if bad := decodeControl(c, &body); bad != nil {
		return *bad
	}
	var now *time.Time
	if body.Now != nil {
		t, err := time.Parse(time.RFC3339Nano, *body.Now)
		if err != nil {
			return badRequest(fmt.Sprintf("Now %q is not an RFC 3339 time.", *body.Now), "Send a time such as \"2026-01-02T03:04:05Z\".")
		}
		now = &t
	}
	var mode *clock.Mode
	if body.Mode != nil {
		m, err := clock.ParseMode(*body.Mode)
		if err != nil {
			return badRequest(err.Error(), "Send Mode \"real\" or \"manual\".")
		}
		mode = &m
	}
	set := func() error { _, err := s.clock.Set(now, mode); return err }
	if bad := s.moveClock(c, clockTarget(s.clock, now, mode), set, "Correct the clock request."); bad != nil {
		return *bad
	}
	return response{status: http.StatusOK, body: s.clockBody()}
}

func (s *Server) advanceClock(c *gin.Context) response {
	var body struct{ By *string }
	if bad := decodeControl(c, &body); bad != nil {
		return *bad
	}
	if body.By == nil {
		return badRequest("By is missing.", "Send {\"By\": \"00:01:30\"} (a time-span or a Go duration such as \"90s\").")
	}
	d, err := timefmt.ParseSpanOrDuration(*body.By)
	if err != nil {
		return badRequest(err.Error(), "Send By as a time-span such as \"00:01:30\" or a Go duration such as \"90s\".")
	}
	advance := func() error { _, err := s.clock.Advance(d); return err }
	if bad := s.moveClock(c, s.clock.Now().Add(d), advance, "Send a duration of zero or more; PUT /_emulator/clock sets any instant."); bad != nil {
		return *bad
	}
	return response{status: http.StatusOK, body: s.clockBody()}
}

func (s *Server) listFaults(*gin.Context) response {
	return response{status: http.StatusOK, body: s.faults.List()}
}

func (s *Server) addFault(c *gin.Context) response {
	var rule faults.Rule
	if bad := decodeControl(c, &rule); bad != nil {
		return *bad
	}
	added, err := s.faults.Add(rule)
	if err != nil {
		if errors.Is(err, faults.ErrDuplicate) {
			return errorResponse(http.StatusConflict, "A fault rule with this Id exists.", err.Error(), "Use another Id or remove the rule first.")
		}
		if errors.Is(err, faults.ErrFull) {
			return badRequest(err.Error(), "Remove rules first, with DELETE /_emulator/faults/{id} or DELETE /_emulator/faults.")
		}
		return badRequest(err.Error(), "Correct the fault rule (see the README's fault section).")
	}
	return response{status: http.StatusCreated, body: added}
}

func (s *Server) getFault(c *gin.Context) response {
	rule, ok := s.faults.Get(c.Param("id"))
	if !ok {
		return faultNotFound(c.Param("id"))
	}
	return response{status: http.StatusOK, body: rule}
}

func (s *Server) removeFault(c *gin.Context) response {
	if !s.faults.Remove(c.Param("id")) {
		return faultNotFound(c.Param("id"))
	}
	return response{status: http.StatusNoContent}
}

func faultNotFound(id string) response {
	return errorResponse(http.StatusNotFound, "The fault rule was not found.", fmt.Sprintf("No fault rule has Id %q.", id), "List the rules with GET /_emulator/faults.")
}

func (s *Server) clearFaults(*gin.Context) response {
	s.faults.Clear()
	return response{status: http.StatusNoContent}
}

// listRequests answers a page of the journal (all of it without limit),
// written entry by entry so that no listing is built whole in memory:
// {"Requests": [...], "Dropped": N, "Next": Seq or null}.
func (s *Server) listRequests(c *gin.Context) response {
	f, after, limit, err := journal.ParseListQuery(c.Request.URL.Query())
	if err != nil {
		return badRequest(err.Error(), journalQueryHelp)
	}
	s.svc.CatchUp(c) // the requests virtual clients had to make by now
	page := s.journal.View(f, after, limit)
	return response{status: http.StatusOK, body: streamed(func(w *bufio.Writer) error {
		w.WriteString(`{"Requests":[`)
		for i := range page.Entries {
			if i > 0 {
				w.WriteByte(',')
			}
			b, err := page.Entries[i].MarshalJSON()
			if err != nil {
				return err
			}
			page.Entries[i] = journal.Entry{} // done with it
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		next := "null"
		if page.Next != 0 {
			next = strconv.FormatUint(page.Next, 10)
		}
		_, err := fmt.Fprintf(w, `],"Dropped":%d,"Next":%s}`, page.Dropped, next)
		return err
	})}
}

// journalQueryHelp is the Resolution of a bad journal query.
const journalQueryHelp = "Filter by operation, method, path (a glob), status, tenant, namespace and surface; page with after (a Seq) and limit."

// countRequests answers how many journal entries a filter selects:
// {"Count": N}.
func (s *Server) countRequests(c *gin.Context) response {
	f, err := journal.ParseFilter(c.Request.URL.Query())
	if err != nil {
		return badRequest(err.Error(), "Filter by operation, method, path (a glob), status, tenant, namespace and surface.")
	}
	s.svc.CatchUp(c) // the requests virtual clients had to make by now
	return response{status: http.StatusOK, body: object{{"Count", s.journal.Count(f)}}}
}

func (s *Server) clearRequests(*gin.Context) response {
	s.journal.Clear()
	return response{status: http.StatusNoContent}
}

func (s *Server) configBody() object {
	return object{
		{"HeartbeatMinInterval", timefmt.FormatSpan(s.svc.HeartbeatMinInterval())},
		{"Auth", string(*s.authMode.Load())},
		{"StrictBodies", s.strict.Load()},
	}
}

func (s *Server) getConfig(*gin.Context) response {
	return response{status: http.StatusOK, body: s.configBody()}
}

func (s *Server) putConfig(c *gin.Context) response {
	var body struct {
		HeartbeatMinInterval *string
		Auth                 *string
		StrictBodies         *bool
	}
	if bad := decodeControl(c, &body); bad != nil {
		return *bad
	}
	// Check everything before changing anything.
	var mode *AuthMode
	if body.Auth != nil {
		m, err := ParseAuthMode(*body.Auth)
		if err != nil {
			return badRequest(err.Error(), "Send Auth \"none\" or \"token\".")
		}
		mode = &m
	}
	var interval *time.Duration
	if body.HeartbeatMinInterval != nil {
		d, err := timefmt.ParseSpanOrDuration(*body.HeartbeatMinInterval)
		if err != nil {
			return badRequest(err.Error(), "Send HeartbeatMinInterval as a time-span such as \"00:00:05\".")
		}
		if d < 0 {
			return badRequest("HeartbeatMinInterval must not be negative.", "Send zero (off) or a positive interval.")
		}
		interval = &d
	}
	if interval != nil {
		if err := s.svc.SetHeartbeatMinInterval(*interval); err != nil {
			return badRequest(err.Error(), "Send zero (off) or a positive interval.")
		}
	}
	if mode != nil {
		s.authMode.Store(mode)
	}
	if body.StrictBodies != nil {
		s.strict.Store(*body.StrictBodies)
	}
	return response{status: http.StatusOK, body: s.configBody()}
}

// reset returns to the start state: data, faults, journal and events
// cleared, fixtures reloaded, clock back to its start mode.
func (s *Server) reset(c *gin.Context) response {
	s.svc.ClearVirtualClients(c) // before the clock moves: none acts on the way
	s.clock.Reset()
	s.faults.Clear()
	s.journal.Clear()
	if err := s.svc.SetHeartbeatMinInterval(s.opts.HeartbeatMinInterval); err != nil {
		return internalError(err)
	}
	s.authMode.Store(&s.opts.Auth)
	s.strict.Store(s.opts.StrictBodies)
	if err := s.loadFixtures(); err != nil {
		return internalError(err)
	}
	return response{status: http.StatusOK, body: object{{"Status", "reset"}}}
}

// getState answers the whole state. Without an admin token the control API
// is open to any local caller, so the secrets are left out: client
// secrets, fixed tokens, passwords (Server.State, in process, has them).
// Bodies are encoded by render, so a state that could not be written would
// be a 500 ErrorResponse, never a 200 with an error inside (the emulator
// keeps every value in a form that writes: FuzzStateRoundTrip checks it).
func (s *Server) getState(c *gin.Context) response {
	doc := s.State(c)
	if s.opts.AdminToken == "" {
		doc = doc.WithoutSecrets()
	}
	return response{status: http.StatusOK, body: doc}
}

func (s *Server) putState(c *gin.Context) response {
	b, bad := readControl(c)
	if bad != nil {
		return *bad
	}
	// The same strict reading as a fixture file: a typo is an error, and so
	// is null (it would wipe everything).
	doc, err := fixture.Parse(bytes.NewReader(b))
	if err != nil {
		return badRequest(err.Error(), "Correct the state document; GET /_emulator/state shows the format.")
	}
	if err := s.SetState(*doc); err != nil {
		return badRequest(err.Error(), "Correct the state document; GET /_emulator/state shows the format.")
	}
	return response{status: http.StatusNoContent}
}
