package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/schemas"
)

// route is one operation of the API, relative to a surface's root. A
// surface serves the routes of the operations it has.
type route struct {
	op     operation.Name
	method string
	path   string
	// body names the JSON Schema of the request body ("" = no body); it is
	// a function because some bodies differ between surfaces.
	body func(surface) string
	// sessionFirst: a missing group or session is reported (404) before the
	// body is looked at (400), as the service does for session operations.
	sessionFirst bool
	// access is the right a cloud caller needs, and on which list.
	access access
	// admin: on the on-premises surface only members of
	// AVEVAFailoverAdministrators may call it (else AVEVAFailoverUsers may).
	admin  bool
	handle func(*Server, *call) response
}

// Paths relative to a surface's root.
const (
	servicePath    = "/clientfailover"
	groupPath      = servicePath + "/groups/:group"
	sessionPath    = groupPath + "/clientsessions/:session"
	collectionPath = "/accesscontrol/clientfailover/groups"
	configPath     = "/configuration"
	endpointsPath  = configPath + "/healthendpoints"
)

// Request bodies that are the same on every surface.
const (
	aclSchema            = schemas.AccessControlList
	sessionRequestSchema = schemas.ClientSessionRequest
)

func schema(name string) func(surface) string { return func(surface) string { return name } }

// routes lists every operation of the README's Operations table and of the on-premises
// configuration.
func routes() []route {
	return []route{
		{op: operation.ListGroupConfigurations, method: http.MethodGet, path: servicePath + "/groups", access: collectionRight(auth.Read), handle: (*Server).listGroups},
		{op: operation.PostGroup, method: http.MethodPost, path: servicePath + "/groups", body: groupBody, access: collectionRight(auth.Write), handle: (*Server).postGroup},
		{op: operation.GetGroupConfiguration, method: http.MethodGet, path: groupPath, access: groupRight(auth.Read), handle: (*Server).getGroup},
		{op: operation.PutGroup, method: http.MethodPut, path: groupPath, body: groupBody, access: groupRight(auth.Write), handle: (*Server).putGroup},
		{op: operation.DeleteGroup, method: http.MethodDelete, path: groupPath, access: groupRight(auth.Delete), admin: true, handle: (*Server).deleteGroup},
		{op: operation.GetGroupStatus, method: http.MethodGet, path: groupPath + "/status", access: groupRight(auth.Read), handle: (*Server).groupStatus},
		{op: operation.GetCollectionAcl, method: http.MethodGet, path: collectionPath, access: collectionRight(auth.ManageAccessControl), handle: (*Server).getCollectionACL},
		{op: operation.SetCollectionAcl, method: http.MethodPut, path: collectionPath, body: schema(aclSchema), access: collectionRight(auth.ManageAccessControl), handle: (*Server).setCollectionACL},
		{op: operation.GetInformation, method: http.MethodGet, path: servicePath, access: tenantOnly, handle: (*Server).information},
		{op: operation.ListClientSessions, method: http.MethodGet, path: groupPath + "/clientsessions", access: groupRight(auth.Read), handle: (*Server).listSessions},
		{op: operation.PostClientSession, method: http.MethodPost, path: groupPath + "/clientsessions", body: schema(sessionRequestSchema), sessionFirst: true, access: groupRight(auth.Write), handle: (*Server).postSession},
		{op: operation.GetClientSession, method: http.MethodGet, path: sessionPath, access: groupRight(auth.Read), handle: (*Server).getSession},
		{op: operation.DeleteClientSession, method: http.MethodDelete, path: sessionPath, access: groupRight(auth.Delete), handle: (*Server).deleteSession},
		{op: operation.PostHeartbeatMessage, method: http.MethodPost, path: sessionPath + "/heartbeat", body: func(sf surface) string { return sf.heartbeatSchema }, sessionFirst: true, access: groupRight(auth.Write), handle: (*Server).heartbeat},
		{op: operation.PostRoleOverride, method: http.MethodPost, path: sessionPath + "/roleoverride", body: func(sf surface) string { return sf.overrideSchema }, sessionFirst: true, access: groupRight(auth.Write), admin: true, handle: (*Server).roleOverride},
		{op: operation.GetGroupAcl, method: http.MethodGet, path: groupPath + "/accesscontrol", access: groupRight(auth.ManageAccessControl), handle: (*Server).getGroupACL},
		{op: operation.SetGroupAcl, method: http.MethodPut, path: groupPath + "/accesscontrol", body: schema(aclSchema), sessionFirst: true, access: groupRight(auth.ManageAccessControl), handle: (*Server).setGroupACL},

		{op: operation.GetConfiguration, method: http.MethodGet, path: configPath, admin: true, handle: (*Server).getConfiguration},
		{op: operation.PutConfiguration, method: http.MethodPut, path: configPath, body: schema(schemas.OnPremConfiguration), admin: true, handle: (*Server).putConfiguration},
		{op: operation.GetLoggingConfiguration, method: http.MethodGet, path: configPath + "/logging", admin: true, handle: (*Server).getLogging},
		{op: operation.PutLoggingConfiguration, method: http.MethodPut, path: configPath + "/logging", body: schema(schemas.OnPremLoggingConfiguration), admin: true, handle: (*Server).putLogging},
		{op: operation.ListHealthEndpoints, method: http.MethodGet, path: endpointsPath, admin: true, handle: (*Server).listHealthEndpoints},
		{op: operation.DeleteHealthEndpoints, method: http.MethodDelete, path: endpointsPath, admin: true, handle: (*Server).deleteHealthEndpoints},
		{op: operation.PostHealthEndpoints, method: http.MethodPost, path: endpointsPath, body: schema(schemas.OnPremHealthEndpointOrList), admin: true, handle: (*Server).postHealthEndpoints},
		{op: operation.PutHealthEndpoints, method: http.MethodPut, path: endpointsPath, body: schema(schemas.OnPremHealthEndpointList), admin: true, handle: (*Server).putHealthEndpoints},
		{op: operation.GetHealthEndpoint, method: http.MethodGet, path: endpointsPath + "/:endpoint", admin: true, handle: (*Server).getHealthEndpoint},
		{op: operation.PutHealthEndpoint, method: http.MethodPut, path: endpointsPath + "/:endpoint", body: schema(schemas.OnPremHealthEndpoint), admin: true, handle: (*Server).putHealthEndpoint},
		{op: operation.DeleteHealthEndpoint, method: http.MethodDelete, path: endpointsPath + "/:endpoint", admin: true, handle: (*Server).deleteHealthEndpoint},
	}
}

func groupBody(sf surface) string { return sf.groupSchema }

// pathTemplate is a route's path split into segments, "" where a parameter
// stands.
type pathTemplate []string

func newTemplate(path string) pathTemplate {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = ""
		}
	}
	return pathTemplate(segs)
}

// canonicalPaths rewrites a request path so that its literal segments have
// the case the router knows, as the real service (ASP.NET) matches them
// case-insensitively, and drops a trailing slash; identifiers keep their
// case.
type canonicalPaths struct {
	templates []pathTemplate
}

// maxSegments bounds the segments canonical splits a path into without
// allocating; no template has as many.
const maxSegments = 24

// canonical returns the escaped path with literal segments in canonical
// case, or ok == false when no template fits (the router then answers 404).
// It runs on every request: the segments go into an array of its frame.
// (An index of the templates by their lower-cased literals was measured no
// faster: few templates have a path's number of segments, and comparing
// with those stops at the first literal that differs.)
func (p canonicalPaths) canonical(escaped string) (string, bool) {
	var buf [maxSegments]string
	segs, fits := splitSegments(escaped, buf[:0])
	if !fits {
		return escaped, false // more segments than any template
	}
	for _, t := range p.templates {
		if len(t) != len(segs) {
			continue
		}
		match := true
		for i, lit := range t {
			if lit != "" && segs[i] != lit && !strings.EqualFold(segs[i], lit) {
				match = false
				break
			}
		}
		if match {
			return p.rewritten(escaped, segs, t), true
		}
	}
	return escaped, false
}

// splitSegments splits an escaped path into its segments, as
// strings.Split(strings.Trim(escaped, "/"), "/") does, into buf; fits is
// false when there are more than maxSegments.
func splitSegments(escaped string, buf []string) (segs []string, fits bool) {
	start, end := 0, len(escaped)
	for start < end && escaped[start] == '/' {
		start++
	}
	for end > start && escaped[end-1] == '/' {
		end--
	}
	from := start
	for i := start; i <= end; i++ {
		if i < end && escaped[i] != '/' {
			continue
		}
		if len(buf) == maxSegments {
			return nil, false
		}
		buf = append(buf, escaped[from:i])
		from = i + 1
	}
	return buf, true
}

// rewritten is escaped, whose segments segs fit t, with t's literals.
func (p canonicalPaths) rewritten(escaped string, segs []string, t pathTemplate) string {
	changed := false
	for i, lit := range t {
		if lit != "" && segs[i] != lit {
			changed = true
			break
		}
	}
	// ASP.NET routing ignores a trailing slash; so does the emulator.
	if !changed && !strings.HasSuffix(escaped, "/") {
		return escaped
	}
	out := make([]string, len(segs))
	for i, lit := range t {
		out[i] = segs[i]
		if lit != "" {
			out[i] = lit
		}
	}
	return "/" + strings.Join(out, "/")
}

// rewrite gives r's path canonical literals, so the router sees them, and
// reports whether the path is one of an operation (some template fits).
func (p canonicalPaths) rewrite(r *http.Request) bool {
	escaped := r.URL.EscapedPath()
	canon, ok := p.canonical(escaped)
	if !ok || canon == escaped {
		return ok
	}
	unescaped, err := url.PathUnescape(canon)
	if err != nil {
		return true
	}
	r.URL.Path = unescaped
	r.URL.RawPath = canon
	return true
}

// apiRouter serves the operations of the emulated API for every Server of a
// process with the same revision. Nothing in it changes once built, so one
// engine and one set of path templates serve them all; building them for
// each New was most of what New cost (Gin's route tree and path joins, the
// route tables, the templates). A request finds its Server in its context
// (serverFrom): the http.Server's base context carries it, and Handler adds
// it to requests that come without.
type apiRouter struct {
	surfaces []surface
	paths    canonicalPaths
	engine   *gin.Engine
}

// apiRouters are built on first use, one per revision (source, latest).
var apiRouters = [2]func() *apiRouter{
	sync.OnceValue(func() *apiRouter { return newAPIRouter(false) }),
	sync.OnceValue(func() *apiRouter { return newAPIRouter(true) }),
}

// apiRouterFor returns the shared router of a revision (latest or source).
func apiRouterFor(latest bool) *apiRouter {
	if latest {
		return apiRouters[1]()
	}
	return apiRouters[0]()
}

func newAPIRouter(latest bool) *apiRouter {
	setGinMode()
	a := &apiRouter{surfaces: surfaces(latest), engine: newEngine()}
	a.engine.Use(withServer((*Server).recover))
	for _, sf := range a.surfaces {
		for _, rt := range routes() {
			if !sf.serves(rt.op) {
				continue
			}
			path := sf.root + rt.path
			a.paths.templates = append(a.paths.templates, newTemplate(path))
			a.engine.Handle(rt.method, path, apiHandler(sf, rt))
		}
	}
	// A path some template fits but no route of the engine matches (an
	// empty id, say) is answered as on the other engine (restEngine).
	answerUnmatched(a.engine)
	return a
}
