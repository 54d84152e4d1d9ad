package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
	"github.com/adh-emulator/clientfailover/schemas"
)

// ControlPrefix is where the emulator's own control API lives.
const ControlPrefix = "/_emulator"

func isControlPath(p string) bool {
	return p == ControlPrefix || strings.HasPrefix(p, ControlPrefix+"/")
}

// controlRoutes registers the control API of control-api.md.
func (s *Server) controlRoutes(g *gin.RouterGroup) {
	g.Use(s.adminOnly)
	handle := func(method, path string, h func(*gin.Context) response) {
		g.Handle(method, path, func(c *gin.Context) { render(c, h(c)) })
	}
	handle(http.MethodGet, "/health", func(*gin.Context) response {
		return response{status: http.StatusOK, body: object{{"Status", "ok"}}}
	})
	handle(http.MethodGet, "/openapi.json", func(*gin.Context) response {
		return response{status: http.StatusOK, body: json.RawMessage(schemas.OpenAPI())}
	})
	handle(http.MethodGet, "/clock", s.getClock)
	handle(http.MethodPut, "/clock", s.putClock)
	handle(http.MethodPost, "/clock/advance", s.advanceClock)
	handle(http.MethodGet, "/faults", s.listFaults)
	handle(http.MethodPost, "/faults", s.addFault)
	handle(http.MethodDelete, "/faults", s.clearFaults)
	handle(http.MethodGet, "/faults/:id", s.getFault)
	handle(http.MethodDelete, "/faults/:id", s.removeFault)
	handle(http.MethodGet, "/requests", s.listRequests)
	handle(http.MethodDelete, "/requests", s.clearRequests)
	handle(http.MethodGet, "/events", s.listEvents)
	g.GET("/events/stream", s.streamEvents)
	handle(http.MethodGet, "/config", s.getConfig)
	handle(http.MethodPut, "/config", s.putConfig)
	handle(http.MethodPost, "/reset", s.reset)
	handle(http.MethodGet, "/state", s.getState)
	handle(http.MethodPut, "/state", s.putState)
}

// adminOnly requires the admin token on the control API when one is set.
func (s *Server) adminOnly(c *gin.Context) {
	if s.opts.AdminToken == "" {
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

// maxControlBody bounds control API bodies (a state document of many
// groups is the largest).
const maxControlBody = 64 << 20

// decodeControl reads a control API body into dst, or answers 400.
func decodeControl(c *gin.Context, dst any) *response {
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxControlBody))
	if err := dec.Decode(dst); err != nil {
		r := badRequest(fmt.Sprintf("The body is not the expected JSON object: %v.", err),
			"Send a JSON object as described in the README's control API section.")
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
	if _, err := s.clock.Set(now, mode); err != nil {
		return badRequest(err.Error(), "Correct the clock request.")
	}
	s.svc.CatchUp(c)
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
	if _, err := s.clock.Advance(d); err != nil {
		return badRequest(err.Error(), "Send a duration of zero or more; PUT /_emulator/clock sets any instant.")
	}
	s.svc.CatchUp(c)
	return response{status: http.StatusOK, body: s.clockBody()}
}

func (s *Server) listFaults(*gin.Context) response {
	return response{status: http.StatusOK, body: jsonValue(s.faults.List())}
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
		return badRequest(err.Error(), "Correct the fault rule (see the README's fault section).")
	}
	return response{status: http.StatusCreated, body: jsonValue(added)}
}

func (s *Server) getFault(c *gin.Context) response {
	rule, ok := s.faults.Get(c.Param("id"))
	if !ok {
		return faultNotFound(c.Param("id"))
	}
	return response{status: http.StatusOK, body: jsonValue(rule)}
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

func (s *Server) listRequests(c *gin.Context) response {
	f, err := journal.ParseFilter(c.Request.URL.Query())
	if err != nil {
		return badRequest(err.Error(), "Filter by operation, method, path (a glob) and status.")
	}
	entries, dropped := s.journal.List(f)
	return response{status: http.StatusOK, body: object{{"Requests", jsonValue(entries)}, {"Dropped", int64(dropped)}}}
}

func (s *Server) clearRequests(*gin.Context) response {
	s.journal.Clear()
	return response{status: http.StatusNoContent}
}

func (s *Server) configBody() object {
	return object{
		{"HeartbeatMinInterval", timefmt.FormatSpan(s.svc.HeartbeatMinInterval())},
		{"Auth", string(*s.authMode.Load())},
	}
}

func (s *Server) getConfig(*gin.Context) response {
	return response{status: http.StatusOK, body: s.configBody()}
}

func (s *Server) putConfig(c *gin.Context) response {
	var body struct {
		HeartbeatMinInterval *string
		Auth                 *string
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
	return response{status: http.StatusOK, body: s.configBody()}
}

// reset returns to the start state: data, faults, journal and events
// cleared, fixtures reloaded, clock back to its start mode.
func (s *Server) reset(*gin.Context) response {
	s.clock.Reset()
	s.faults.Clear()
	s.journal.Clear()
	if err := s.svc.SetHeartbeatMinInterval(s.opts.HeartbeatMinInterval); err != nil {
		return internalError(err)
	}
	s.authMode.Store(&s.opts.Auth)
	if err := s.loadFixtures(); err != nil {
		return internalError(err)
	}
	return response{status: http.StatusOK, body: object{{"Status", "reset"}}}
}

// getState answers the whole state. Without an admin token the control API
// is open to any local caller, so the secrets are left out: client
// secrets, fixed tokens, passwords (Server.State, in process, has them).
func (s *Server) getState(c *gin.Context) response {
	doc := s.State(c)
	if s.opts.AdminToken == "" {
		doc = doc.WithoutSecrets()
	}
	return response{status: http.StatusOK, body: jsonValue(doc)}
}

func (s *Server) putState(c *gin.Context) response {
	// The same strict reading as a fixture file: a typo is an error.
	doc, err := fixture.Parse(http.MaxBytesReader(c.Writer, c.Request.Body, maxControlBody))
	if err != nil {
		return badRequest(err.Error(), "Correct the state document; GET /_emulator/state shows the format.")
	}
	if err := s.SetState(*doc); err != nil {
		return badRequest(err.Error(), "Correct the state document; GET /_emulator/state shows the format.")
	}
	return response{status: http.StatusNoContent}
}

// jsonValue renders a value through its own JSON encoding.
func jsonValue(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(fmt.Sprintf("{\"Error\":%q}", err.Error()))
	}
	return b
}
