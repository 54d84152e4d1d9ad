package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// The handlers of the emulated API. Each reads its call, asks the service,
// and returns a response value; none writes to the connection itself.

// noContent answers 204, or the error.
func noContent(err error) response {
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusNoContent}
}

// createdOrOK is 201 for what a request created, 200 for what existed.
func createdOrOK(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// Version is what Get Information answers.
const Version = "1.0.0-emulator"

func (s *Server) information(c *call) response {
	return response{status: http.StatusOK, body: object{{"Version", Version}}}
}

// queryInt reads a non-negative integer query parameter.
func queryInt(c *call, name string, def int) (int, *response) {
	raw, ok := c.GetQuery(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < 0 {
		r := badRequest(fmt.Sprintf("The %s parameter %q is not a non-negative whole number.", name, raw),
			fmt.Sprintf("Send %s as a whole number of 0 or more.", name))
		return 0, &r
	}
	return n, nil
}

func (s *Server) listGroups(c *call) response {
	skip, bad := queryInt(c, "skip", 0)
	if bad != nil {
		return *bad
	}
	count, bad := queryInt(c, "count", 100)
	if bad != nil {
		return *bad
	}
	if count > DefaultMaxCount {
		return badRequest(fmt.Sprintf("The count parameter %d is larger than %d.", count, DefaultMaxCount),
			fmt.Sprintf("Ask for at most %d groups and page with skip.", DefaultMaxCount))
	}
	// Each group is written as it is visited, into a pooled buffer that
	// render writes out as it is: no copy of the page.
	buf := buffers.Get().(*[]byte)
	page := append((*buf)[:0], '[')
	var scratch [7]member
	var err error
	total := s.svc.ListGroups(c, c.scope, skip, count, func(g *service.GroupConfig) {
		if len(page) > 1 {
			page = append(page, ',')
		}
		if err == nil {
			page, err = appendObject(page, c.surf.appendGroup(scratch[:0], g))
		}
	})
	*buf = append(page, ']')
	if err != nil {
		releaseBuffer(buf)
		return internalError(err)
	}
	return response{status: http.StatusOK, body: pooledJSON{buf}, header: http.Header{"Total-Count": {strconv.Itoa(total)}}}
}

// groupConfig reads the validated group body, or answers 400.
func groupConfig(c *call) (service.GroupConfig, *response) {
	cfg, err := c.surf.groupConfig(c.body)
	if err != nil {
		r := badRequest(err.Error(), "Correct the group configuration.")
		return cfg, &r
	}
	if utf8.RuneCountInString(cfg.ID) > MaxIDLength {
		r := badRequest(fmt.Sprintf("The group Id is %d characters long; the longest allowed is %d.", utf8.RuneCountInString(cfg.ID), MaxIDLength), "Use a shorter id.")
		return cfg, &r
	}
	cfg.Creator, cfg.Caller = c.creator(), c.caller
	return cfg, nil
}

func (s *Server) postGroup(c *call) response {
	cfg, bad := groupConfig(c)
	if bad != nil {
		return *bad
	}
	g, created, err := s.svc.PostGroup(c, c.scope, cfg, c.surf.identicalPostOK)
	if err != nil {
		return fromError(err)
	}
	return response{status: createdOrOK(created), body: c.surf.group(&g)}
}

func (s *Server) getGroup(c *call) response {
	g, err := s.svc.GetGroup(c, c.scope, c.group())
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusOK, body: c.surf.group(&g)}
}

func (s *Server) putGroup(c *call) response {
	cfg, bad := groupConfig(c)
	if bad != nil {
		return *bad
	}
	g, created, err := s.svc.PutGroup(c, c.scope, c.group(), cfg)
	if err != nil {
		return fromError(err)
	}
	return response{status: createdOrOK(created), body: c.surf.group(&g)}
}

func (s *Server) deleteGroup(c *call) response {
	return noContent(s.svc.DeleteGroup(c, c.scope, c.group()))
}

func (s *Server) groupStatus(c *call) response {
	st, err := s.svc.GroupStatus(c, c.scope, c.group())
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusOK, body: statusObject(st)}
}

func (s *Server) getCollectionACL(c *call) response {
	return response{status: http.StatusOK, body: aclObject(s.svc.CollectionACL(c, c.scope))}
}

func (s *Server) setCollectionACL(c *call) response {
	return setACL(c, func(l store.AccessControlList) error { return s.svc.SetCollectionACL(c, c.scope, l) })
}

// setACL reads the validated list of a Set … Acl call and stores it.
func setACL(c *call, set func(store.AccessControlList) error) response {
	l, err := decodeACL(c.body.json())
	if err != nil {
		return badRequest(err.Error(), "Correct the access control list.")
	}
	return noContent(set(l))
}

func (s *Server) getGroupACL(c *call) response {
	l, err := s.svc.GroupACL(c, c.scope, c.group())
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusOK, body: aclObject(l)}
}

func (s *Server) setGroupACL(c *call) response {
	return setACL(c, func(l store.AccessControlList) error { return s.svc.SetGroupACL(c, c.scope, c.group(), l) })
}

func (s *Server) listSessions(c *call) response {
	sessions, err := s.svc.ListSessions(c, c.scope, c.group())
	if err != nil {
		return fromError(err)
	}
	list := make([]object, len(sessions))
	for i, cs := range sessions {
		list[i] = c.surf.session(cs)
	}
	return response{status: http.StatusOK, body: list}
}

func (s *Server) postSession(c *call) response {
	id, err := c.body.str("Id")
	if err != nil {
		return badRequest(err.Error(), "Send the session Id as a string.")
	}
	name, err := c.body.str("Name")
	if err != nil {
		return badRequest(err.Error(), "Send the session Name as a string.")
	}
	sid := ""
	if id != nil {
		sid = *id
		if utf8.RuneCountInString(sid) > MaxIDLength {
			return badRequest(fmt.Sprintf("The session Id is %d characters long; the longest allowed is %d.", utf8.RuneCountInString(sid), MaxIDLength), "Use a shorter id.")
		}
	}
	cs, created, err := s.svc.PostSession(c, c.scope, c.group(), sid, name)
	if err != nil {
		return fromError(err)
	}
	return response{status: createdOrOK(created), body: c.surf.session(cs)}
}

func (s *Server) getSession(c *call) response {
	cs, err := s.svc.GetSession(c, c.scope, c.group(), c.session())
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusOK, body: c.surf.session(cs)}
}

func (s *Server) deleteSession(c *call) response {
	return noContent(s.svc.DeleteSession(c, c.scope, c.group(), c.session()))
}

func (s *Server) heartbeat(c *call) response {
	hb, err := c.surf.heartbeatBody(c.body)
	if err != nil {
		return badRequest(err.Error(), "Correct the heartbeat.")
	}
	res, err := s.svc.Heartbeat(c, c.scope, c.group(), c.session(), hb)
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusOK, body: object{
		{"Role", int(res.Role)},
		{"LastDataProcessedTime", res.LastDataProcessedTime},
	}}
}

func (s *Server) roleOverride(c *call) response {
	value, err := c.body.number("Value")
	if err != nil {
		return badRequest(err.Error(), c.surf.overrideHint())
	}
	v := failover.OverrideOff
	if value != nil {
		v = failover.Override(*value)
	}
	period, err := c.body.span("ExpirationPeriod")
	if err != nil {
		return badRequest(err.Error(), "Send ExpirationPeriod as a time-span such as \"00:30:00\", or null.")
	}
	res, err := s.svc.RoleOverride(c, c.scope, c.group(), c.session(), v, period, c.surf.secondaryOverride)
	if err != nil {
		return fromError(err)
	}
	return response{status: http.StatusOK, body: object{
		{"Value", int(res.Value)},
		{"RoleOverrideExpirationTime", res.Expires},
	}}
}
