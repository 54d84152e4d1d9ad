package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/emulator/service"
)

// Virtual clients in the HTTP layer: their control API, the journal entries
// of their requests, and clock moves that check how many heartbeats they
// would take. The service runs them (service/virtual.go).

func (s *Server) listVirtualClients(c *gin.Context) response {
	return response{status: http.StatusOK, body: s.svc.VirtualClients(c)}
}

func (s *Server) addVirtualClient(c *gin.Context) response {
	var fc fixture.VirtualClient
	if bad := decodeControl(c, &fc); bad != nil {
		return *bad
	}
	added, err := s.svc.AddVirtualClient(c, fc)
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusCreated, body: added}
}

func (s *Server) getVirtualClient(c *gin.Context) response {
	vc, err := s.svc.VirtualClient(c, c.Param("id"))
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusOK, body: vc}
}

// removeVirtualClient stops a virtual client; ?leave=true makes it delete
// its session first.
func (s *Server) removeVirtualClient(c *gin.Context) response {
	if bad := onlyQuery(c, "leave"); bad != nil {
		return *bad
	}
	leave := false
	if v, ok := c.GetQuery("leave"); ok {
		switch strings.ToLower(v) {
		case "true":
			leave = true
		case "false":
		default:
			return badRequest(fmt.Sprintf("The leave parameter %q is not true or false.", v),
				"Send leave=true to delete the client's session too, or leave it out to keep the session.")
		}
	}
	if err := s.svc.RemoveVirtualClient(c, c.Param("id"), leave); err != nil {
		return fromError(err)
	}
	return response{status: http.StatusNoContent}
}

// onlyQuery refuses a query parameter other than allowed, naming it: the
// control API is strict.
func onlyQuery(c *gin.Context, allowed ...string) *response {
	for name := range c.Request.URL.Query() {
		if !slices.Contains(allowed, name) {
			r := badRequest(fmt.Sprintf("The query parameter %q is not one of %s %s, which takes only %s.", name, c.Request.Method, c.Request.URL.Path, strings.Join(allowed, ", ")),
				"Remove it; see the README's control API section.")
			return &r
		}
	}
	return nil
}

// clockTarget is where a PUT /_emulator/clock with now and mode moves the
// clock: now, else the wall clock (mode real), else where it is.
func clockTarget(clk *clock.Clock, now *time.Time, mode *clock.Mode) time.Time {
	switch {
	case now != nil:
		return *now
	case mode != nil && *mode == clock.Real:
		return clk.Wall().UTC()
	}
	return clk.Now()
}

// moveClock moves the clock to about target with move, unless the virtual
// clients would take too many heartbeats (400 naming the limit): then, or
// when move fails (400 with hint), the clock stays.
func (s *Server) moveClock(c *gin.Context, target time.Time, move func() error, hint string) *response {
	err := s.svc.MoveClock(c, target, move)
	if err == nil {
		return nil
	}
	var se *service.Error
	r := badRequest(err.Error(), hint)
	if errors.As(err, &se) {
		r = fromError(err)
	}
	return &r
}

// recordVirtual journals a virtual client's request as the request a real
// client would have sent on its surface (Options.OnVirtual of the service;
// it runs under the store's lock and touches only the journal).
func (s *Server) recordVirtual(vr service.VirtualRequest) {
	sf := s.surfaces[0]
	for _, o := range s.surfaces {
		if o.name == string(vr.Surface) {
			sf = o
		}
	}
	params := map[string]string{"tenant": vr.Scope.Tenant, "namespace": vr.Scope.Namespace, "group": vr.Group, "session": vr.Session}
	entry := journal.Entry{
		Time:      vr.Time,
		Operation: vr.Operation,
		Surface:   sf.name,
		Virtual:   true,
	}
	if !sf.onPremises {
		entry.Tenant, entry.Namespace = vr.Scope.Tenant, vr.Scope.Namespace
	}
	var body object
	switch vr.Operation {
	case operation.PostClientSession:
		entry.Method, entry.Path = http.MethodPost, fillPath(sf.root+groupPath+"/clientsessions", params)
		entry.Status = createdOrOK(vr.Created)
		body = object{{"Id", vr.Session}, {"Name", vr.SessionName}}
	case operation.PostHeartbeatMessage:
		entry.Method, entry.Path = http.MethodPost, fillPath(sf.root+sessionPath+"/heartbeat", params)
		entry.Status = http.StatusOK
		if hb := vr.Heartbeat; hb != nil {
			body = object{{sf.scoreProperty, hb.Score}, {"LastDataProcessedTime", hb.LastDataProcessedTime}, {"HeartbeatTime", hb.HeartbeatTime}}
		}
	case operation.DeleteClientSession:
		entry.Method, entry.Path = http.MethodDelete, fillPath(sf.root+sessionPath, params)
		entry.Status = http.StatusNoContent
	}
	if vr.Err != nil {
		entry.Status = fromError(vr.Err).status
	}
	if body != nil {
		entry.RequestBody, _ = body.MarshalJSON() // cannot fail: strings, numbers and times
		entry.BodySize = len(entry.RequestBody)
	}
	s.journal.Record(entry)
	if ctx := context.Background(); s.log.Enabled(ctx, slog.LevelDebug) {
		s.log.LogAttrs(ctx, slog.LevelDebug, "virtual request",
			slog.String("client", vr.Client), slog.String("method", entry.Method), slog.String("path", entry.Path),
			slog.String("operation", string(entry.Operation)), slog.Int("status", entry.Status))
	}
}

// fillPath puts values in a route's path in place of its :parameters,
// escaped as a client sends them (the journal keeps paths as sent).
func fillPath(template string, values map[string]string) string {
	segs := strings.Split(template, "/")
	for i, seg := range segs {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			segs[i] = url.PathEscape(values[name])
		}
	}
	return strings.Join(segs, "/")
}
