package emulator

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/schemas"
)

// The control API is one table: controlRoutes serves it and
// controlOpenAPI describes it (GET /_emulator/openapi-control.json), so the
// routes and their document cannot drift apart.

// controlRoute is one endpoint of the control API.
type controlRoute struct {
	method, path string // path relative to ControlPrefix, in Gin's syntax (":id", "*file")
	summary      string
	// query lists the query parameters the endpoint reads; with none, any
	// query is a 400 naming it (a typo never passes silently).
	query []queryParam
	body  string // what the request body is; "" for none
	// answers are its statuses; a 401 is added for the admin token.
	answers []controlAnswer
	public  bool // never needs the admin token: it reveals nothing
	// handle answers with a response value; raw writes its own answer (a
	// stream, a PEM file, the dashboard's files).
	handle func(*Server, *gin.Context) response
	raw    func(*Server, *gin.Context)
}

type queryParam struct{ name, doc string }

type controlAnswer struct {
	status      int
	doc         string
	contentType string // "" is application/json; "-" is no body
}

func answerOK(doc string) controlAnswer { return controlAnswer{status: http.StatusOK, doc: doc} }
func answerNoContent(doc string) controlAnswer {
	return controlAnswer{status: http.StatusNoContent, doc: doc, contentType: "-"}
}
func answerBad(doc string) controlAnswer {
	return controlAnswer{status: http.StatusBadRequest, doc: doc}
}

var (
	badBody    = answerBad("The body is not the documented JSON object (unknown property, wrong type, null, trailing data), or a value is not valid; the Reason names it.")
	badQuery   = answerBad("An unknown query parameter, or a bad value of a known one; the Reason names it.")
	tooLarge   = controlAnswer{status: http.StatusRequestEntityTooLarge, doc: "The body is larger than 64 MiB."}
	clockMoved = answerBad("The move is not valid: a negative or unparsable time, beyond years 1-9999, or it would take more virtual heartbeats than virtual.MaxHeartbeatsPerMove; the clock does not move.")
	afterParam = queryParam{"after", "Only what came after this Seq."}
)

// controlAPI is the table of the control API, in the order of the README.
func controlAPI() []controlRoute {
	journalFilters := []queryParam{
		{"operation", "An operation name, e.g. PostHeartbeatMessage."},
		{"method", "An HTTP method, in any case."},
		{"path", "A glob over the path as sent: * one segment, ** any number."},
		{"status", "An HTTP status; 0 for dropped connections."},
		{"tenant", "A tenant id, matched as ids are."},
		{"namespace", "A namespace id, matched as ids are."},
		{"surface", "preview, v1 or onprem."},
	}
	return []controlRoute{
		{method: http.MethodGet, path: "/health", summary: "Health check: the emulator is ready", public: true,
			answers: []controlAnswer{answerOK(`{"Status":"ok","Version":…}`), badQuery},
			handle: func(s *Server, _ *gin.Context) response {
				return response{status: http.StatusOK, body: object{{"Status", "ok"}, {"Version", s.version}}}
			}},
		{method: http.MethodGet, path: "/tls/certificate", summary: "The certificate being served, PEM (public, like the certificate itself)", public: true,
			answers: []controlAnswer{{status: http.StatusOK, doc: "The certificate.", contentType: "application/x-pem-file"}, {status: http.StatusNotFound, doc: "The emulator serves plain HTTP."}},
			raw:     (*Server).tlsCertificate},
		{method: http.MethodGet, path: "/openapi.json", summary: "The OpenAPI document of the emulated API (every surface)",
			answers: []controlAnswer{answerOK("The OpenAPI 3.1 document."), badQuery},
			handle:  (*Server).emulatedOpenAPI},
		{method: http.MethodGet, path: "/openapi-control.json", summary: "This document: the OpenAPI document of the control API",
			answers: []controlAnswer{answerOK("The OpenAPI 3.1 document."), badQuery},
			handle:  (*Server).controlOpenAPIDocument},
		{method: http.MethodGet, path: "/clock", summary: "The emulator clock",
			answers: []controlAnswer{answerOK(`{"Now": RFC 3339, "Mode": "real" | "manual"}`), badQuery},
			handle:  (*Server).getClock},
		{method: http.MethodPut, path: "/clock", summary: "Freeze or move the clock, or go back to real time",
			body:    `{"Now"?: RFC 3339, "Mode"?: "real" | "manual"}: with only Now a manual clock jumps and a real one keeps ticking from there.`,
			answers: []controlAnswer{answerOK("The clock after the change."), clockMoved, tooLarge},
			handle:  (*Server).putClock},
		{method: http.MethodPost, path: "/clock/advance", summary: "Move the clock forward (manual or real)",
			body:    `{"By": a time-span such as "00:01:30", or a Go duration such as "90s"}`,
			answers: []controlAnswer{answerOK("The clock after the move."), clockMoved, tooLarge},
			handle:  (*Server).advanceClock},
		{method: http.MethodGet, path: "/faults", summary: "The fault rules, in the order added, each with Fired and Remaining",
			answers: []controlAnswer{answerOK("A list of fault rules."), badQuery},
			handle:  (*Server).listFaults},
		{method: http.MethodPost, path: "/faults", summary: "Add a fault rule",
			body:    `A fault rule: {"Id"?, "Match": {"Operation"?, "Method"?, "Path"?, "Tenant"?, "Namespace"?}, "Action": {"Status"?, "Body"?, "Headers"?, "Delay"?, "Drop"?}, "Times"?, "Probability"?, "Seed"?}`,
			answers: []controlAnswer{{status: http.StatusCreated, doc: "The rule as stored, with its Id."}, answerBad("The rule is not valid, or faults.MaxRules rules exist already."), {status: http.StatusConflict, doc: "A rule with this Id exists."}, tooLarge},
			handle:  (*Server).addFault},
		{method: http.MethodDelete, path: "/faults", summary: "Remove every fault rule",
			answers: []controlAnswer{answerNoContent("Removed."), badQuery},
			handle:  (*Server).clearFaults},
		{method: http.MethodGet, path: "/faults/:id", summary: "One fault rule",
			answers: []controlAnswer{answerOK("The rule."), badQuery, {status: http.StatusNotFound, doc: "No rule has this Id."}},
			handle:  (*Server).getFault},
		{method: http.MethodDelete, path: "/faults/:id", summary: "Remove one fault rule",
			answers: []controlAnswer{answerNoContent("Removed."), badQuery, {status: http.StatusNotFound, doc: "No rule has this Id."}},
			handle:  (*Server).removeFault},
		{method: http.MethodGet, path: "/requests", summary: "The request journal: every call to the emulated API, oldest first, paged",
			query: append(append([]queryParam(nil), journalFilters...),
				queryParam{"after", "Only entries after this Seq (the Next of the previous page)."},
				queryParam{"limit", "At most this many entries."}),
			answers: []controlAnswer{answerOK(`{"Requests": [...], "Dropped": N, "Next": Seq or null}`), badQuery},
			handle:  (*Server).listRequests},
		{method: http.MethodGet, path: "/requests/count", summary: "How many journal entries match the filters", query: journalFilters,
			answers: []controlAnswer{answerOK(`{"Count": N}`), badQuery},
			handle:  (*Server).countRequests},
		{method: http.MethodDelete, path: "/requests", summary: "Clear the request journal",
			answers: []controlAnswer{answerNoContent("Cleared."), badQuery},
			handle:  (*Server).clearRequests},
		{method: http.MethodGet, path: "/events", summary: "Failover role changes, oldest first", query: []queryParam{afterParam},
			answers: []controlAnswer{answerOK(`{"Events": [{"Seq", "Time", "OnPremises", "Tenant", "Namespace", "Group", "Session", "From", "To", "Rule"}], "Dropped": N, "LastSeq": N}`), badQuery},
			handle:  (*Server).listEvents},
		{method: http.MethodGet, path: "/events/stream", summary: "Role changes as they happen: Server-Sent Events (resume with Last-Event-ID)", query: []queryParam{afterParam},
			answers: []controlAnswer{{status: http.StatusOK, doc: `One "role" message per change, id: its Seq; "overflow" when the client fell behind, "reset" when the list was cleared.`, contentType: "text/event-stream"}, badQuery},
			raw:     (*Server).streamEvents},
		{method: http.MethodGet, path: "/virtual-clients", summary: "The virtual clients, with their progress",
			answers: []controlAnswer{answerOK("A list of virtual clients."), badQuery},
			handle:  (*Server).listVirtualClients},
		{method: http.MethodPost, path: "/virtual-clients", summary: "Add a virtual client",
			body:    `{"Id"?, "Surface"?: "preview" | "v1" | "onprem", "Tenant", "Namespace", "Group", "Session": {"Id", "Name"?}, "Interval"?, "Start"?, "Script": [{"At", "Score" | "Silent" | "Resume" | "Leave"}]}`,
			answers: []controlAnswer{{status: http.StatusCreated, doc: "The virtual client as stored, with its Id, Interval, Start and Progress."}, answerBad("The client is not valid (the Reason names the problem); nothing is created."), {status: http.StatusConflict, doc: "A virtual client with this Id exists."}, tooLarge},
			handle:  (*Server).addVirtualClient},
		{method: http.MethodGet, path: "/virtual-clients/:id", summary: "One virtual client",
			answers: []controlAnswer{answerOK("The virtual client."), badQuery, {status: http.StatusNotFound, doc: "No virtual client has this Id."}},
			handle:  (*Server).getVirtualClient},
		{method: http.MethodDelete, path: "/virtual-clients/:id", summary: "Stop a virtual client; its session stays (and lapses) unless leave=true",
			query:   []queryParam{{"leave", "true: delete its session too."}},
			answers: []controlAnswer{answerNoContent("Stopped."), badQuery, {status: http.StatusNotFound, doc: "No virtual client has this Id."}},
			handle:  (*Server).removeVirtualClient},
		{method: http.MethodGet, path: "/config", summary: "The run-time settings",
			answers: []controlAnswer{answerOK(`{"HeartbeatMinInterval": time-span, "Auth": "none" | "token", "StrictBodies": bool}`), badQuery},
			handle:  (*Server).getConfig},
		{method: http.MethodPut, path: "/config", summary: "Change run-time settings (name only what changes)",
			body:    `{"HeartbeatMinInterval"?: time-span or Go duration, "Auth"?: "none" | "token", "StrictBodies"?: bool}`,
			answers: []controlAnswer{answerOK("The settings after the change."), badBody, tooLarge},
			handle:  (*Server).putConfig},
		{method: http.MethodPost, path: "/reset", summary: "Back to the start state: data, faults, journal, events, virtual clients, settings and clock",
			answers: []controlAnswer{answerOK(`{"Status": "reset"}`), badQuery},
			handle:  (*Server).reset},
		{method: http.MethodGet, path: "/state", summary: "The whole emulated state, in the fixture format (secrets left out without an admin token)",
			answers: []controlAnswer{answerOK("A fixture document."), badQuery},
			handle:  (*Server).getState},
		{method: http.MethodPut, path: "/state", summary: "Replace the whole emulated state",
			body:    "A fixture document, read as strictly as a fixture file.",
			answers: []controlAnswer{answerNoContent("Replaced."), answerBad("The document is not valid; nothing changed."), tooLarge},
			handle:  (*Server).putState},
		{method: http.MethodGet, path: "/ui", summary: "The dashboard (redirects to /ui/)", public: true,
			answers: []controlAnswer{{status: http.StatusMovedPermanently, doc: "To ui/.", contentType: "-"}},
			raw:     (*Server).dashboardRedirect},
		{method: http.MethodGet, path: "/ui/*file", summary: "The dashboard's page and files (they hold no data; the page asks for the admin token)", public: true,
			answers: []controlAnswer{{status: http.StatusOK, doc: "The page or one of its files.", contentType: "text/html"}, {status: http.StatusNotFound, doc: "No such file."}},
			raw:     (*Server).dashboardFile},
	}
}

// controlRoutes serves the control API's table under g.
func controlRoutes(g *gin.RouterGroup) {
	g.Use(withServer((*Server).adminOnly))
	for _, rt := range controlAPI() {
		g.Handle(rt.method, rt.path, func(c *gin.Context) {
			s := serverFrom(c)
			if rt.raw != nil {
				rt.raw(s, c)
				return
			}
			if rt.query == nil {
				if bad := noQuery(c); bad != nil {
					render(c, *bad)
					return
				}
			}
			render(c, rt.handle(s, c))
		})
	}
}

// publicControl is the set of control routes (full Gin paths) that never
// need the admin token.
var publicControl = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, rt := range controlAPI() {
		if rt.public {
			m[ControlPrefix+rt.path] = true
		}
	}
	return m
})

// isPublicControl reports whether a route never needs the admin token.
func isPublicControl(route string) bool { return publicControl()[route] }

func (s *Server) emulatedOpenAPI(*gin.Context) response {
	return response{status: http.StatusOK, body: json.RawMessage(schemas.OpenAPI())}
}

func (s *Server) controlOpenAPIDocument(*gin.Context) response {
	return response{status: http.StatusOK, body: controlOpenAPI(s.version)}
}

// controlOpenAPI is the OpenAPI 3.1 document of the control API, made from
// its table.
func controlOpenAPI(version string) map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range controlAPI() {
		path, params := openAPIPath(rt.path)
		for _, q := range rt.query {
			params = append(params, map[string]any{"name": q.name, "in": "query", "required": false, "description": q.doc, "schema": map[string]any{"type": "string"}})
		}
		op := map[string]any{
			"operationId": operationID(rt.method, rt.path),
			"summary":     rt.summary,
			"responses":   answersOf(rt),
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.body != "" {
			op["requestBody"] = map[string]any{"required": true, "description": rt.body,
				"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
		}
		if rt.public {
			op["security"] = []any{}
		}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(rt.method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Client Failover emulator: control API",
			"version":     version,
			"description": "The emulator's own API under /_emulator: clock, faults, request journal, events, virtual clients, settings, state. Bodies are strict: an unknown property or query parameter is a 400 naming it. Errors are ErrorResponses.",
		},
		"servers": []any{map[string]any{"url": ControlPrefix}},
		"paths":   paths,
		"components": map[string]any{"securitySchemes": map[string]any{"adminToken": map[string]any{
			"type": "http", "scheme": "bearer",
			"description": "Required only when the emulator was started with --admin-token.",
		}}},
		"security": []any{map[string]any{"adminToken": []any{}}},
	}
}

// openAPIPath turns a Gin path into an OpenAPI one and its path parameters.
func openAPIPath(path string) (string, []any) {
	var params []any
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if len(seg) > 1 && (seg[0] == ':' || seg[0] == '*') {
			name := seg[1:]
			segs[i] = "{" + name + "}"
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
	}
	return strings.Join(segs, "/"), params
}

// operationID names an endpoint: its method and its path's words.
func operationID(method, path string) string {
	id := strings.ToLower(method)
	for _, seg := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '-' || r == '.' }) {
		seg = strings.TrimLeft(seg, ":*")
		if seg != "" {
			id += strings.ToUpper(seg[:1]) + seg[1:]
		}
	}
	return id
}

func answersOf(rt controlRoute) map[string]any {
	answers := append([]controlAnswer(nil), rt.answers...)
	if !rt.public {
		answers = append(answers, controlAnswer{status: http.StatusUnauthorized, doc: "The emulator has an admin token and the request did not send it."})
	}
	sort.SliceStable(answers, func(i, j int) bool { return answers[i].status < answers[j].status })
	out := map[string]any{}
	for _, a := range answers {
		r := map[string]any{"description": a.doc}
		switch a.contentType {
		case "-":
		case "":
			r["content"] = map[string]any{"application/json": map[string]any{}}
		default:
			r["content"] = map[string]any{a.contentType: map[string]any{}}
		}
		out[strconv.Itoa(a.status)] = r
	}
	return out
}
