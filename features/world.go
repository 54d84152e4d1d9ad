package features

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/schemas"
)

// config is what every scenario of one Run shares.
type config struct {
	opts    Options
	schemas *schemas.Validator
	base    revision // the surface the scenarios speak by default
}

// initScenario makes the world of one scenario and binds the steps to it.
func (c *config) initScenario(sc *godog.ScenarioContext) {
	w := newWorld(c)
	sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
		// Only a scenario tagged for its run and @emulator may call the
		// surfaces of the other kind (only the emulator serves both).
		own := CloudTag
		if c.base.onPremises {
			own = OnPremTag
		}
		w.mixes = hasTag(s, EmulatorTag) && hasTag(s, own)
		if hasTag(s, EmulatorTag) {
			w.emulator = true
			return ctx, w.resetEmulator()
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
		if w.emulator {
			// Leave the start state (real clock, no rate limit) to whatever
			// runs next.
			return ctx, w.resetEmulator()
		}
		w.cleanUp()
		return ctx, nil
	})
	w.httpSteps(sc)
	w.groupSteps(sc)
	w.sessionSteps(sc)
	w.clockSteps(sc)
	w.authSteps(sc)
	w.faultSteps(sc)
	w.journalSteps(sc)
	w.virtualSteps(sc)
	w.onPremSteps(sc)
}

func hasTag(s *godog.Scenario, tag string) bool {
	for _, t := range s.Tags {
		if t.Name == tag {
			return true
		}
	}
	return false
}

// revision is one surface of the API, as the suite speaks it: a published
// revision of the cloud API or the on-premises service.
type revision struct {
	name     string // "v1-preview", "v1" or "onprem"
	prefix   string // where its operations live
	score    string // the heartbeat's failover score property
	override string // the session's role override property
	// onPremises: no tenant or namespace in the paths, one scope, HTTP
	// Basic credentials.
	onPremises bool
}

var (
	preview = revision{name: "v1-preview", prefix: "/api/v1-preview", score: "FailoverStatus", override: "Override"}
	ga      = revision{name: "v1", prefix: "/api/v1", score: "FailoverScore", override: "RoleOverride"}
	onprem  = revision{name: "onprem", prefix: "/api/v1", score: "FailoverScore", override: "RoleOverride", onPremises: true}
)

// revisionOf is the surface a request path belongs to.
func revisionOf(path string) revision {
	switch {
	case isOnPremPath(path):
		return onprem
	case strings.HasPrefix(strings.ToLower(path), ga.prefix+"/"):
		return ga
	}
	return preview
}

// isOnPremPath reports whether a path is one of the on-premises service's:
// /api/v1/clientfailover… or /api/v1/configuration…, in any case.
func isOnPremPath(path string) bool {
	p := strings.ToLower(path)
	for _, root := range []string{"/api/v1/clientfailover", "/api/v1/configuration"} {
		if rest, ok := strings.CutPrefix(p, root); ok && (rest == "" || strings.ContainsAny(rest[:1], "/?")) {
			return true
		}
	}
	return false
}

// isCloudPath reports whether a path is one of the cloud surfaces'.
func isCloudPath(path string) bool {
	p := strings.ToLower(path)
	return strings.HasPrefix(p, preview.prefix+"/") || strings.HasPrefix(p, ga.prefix+"/tenants/")
}

// client is a client session a scenario named.
type client struct {
	group string   // the alias of its group
	rev   revision // the revision it speaks
}

// world is the state of one scenario.
type world struct {
	cfg      *config
	http     *http.Client
	emulator bool // the scenario is tagged @emulator
	// mixes: the scenario may call the surfaces of the other kind than its
	// run's (tagged with its run's own tag and @emulator).
	mixes bool
	base  revision // the surface steps speak unless they name another

	tenant, namespace string
	suffix            string            // makes the scenario's ids unique
	aliases           map[string]string // "A" → the id it stands for
	clients           map[string]*client
	group             string // the group named last

	last       *response
	lastBeat   string            // the client whose heartbeat answered last
	remembered []byte            // a body kept by "I remember the response body"
	notes      map[string]string // group alias → what it looked like
	created    []string          // paths of the groups requests created
	lastClient string            // the client named last
	endpoint   string            // the health endpoint named last

	// authorization, when set, replaces the Authorization header of every
	// call to the API ("" sends none): the caller a scenario chose with
	// "I call as client …". Unset, the calls carry Options.Token.
	authorization *string
	identities    identities // the clients and users the emulator knows
	stateNote     any        // the whole state, kept by "I take note of the emulator state"

	answers           []int // the statuses of the last repeated requests
	rememberedAnswers []int

	story      *storyNote // where a story was, kept by "I take note of where the story is"
	eventsNote []event    // a group's events, kept by "I take note of the events of group …"
}

func newWorld(c *config) *world {
	w := &world{
		cfg:       c,
		http:      c.httpClient(),
		base:      c.base,
		tenant:    c.opts.Tenant,
		namespace: c.opts.Namespace,
		suffix:    randomHex(4),
		aliases:   map[string]string{},
		clients:   map[string]*client{},
		notes:     map[string]string{},
		identities: identities{
			secrets: map[string]string{},
			tokens:  map[string]string{},
		},
	}
	if w.tenant == "" {
		w.tenant = "tenant-" + randomHex(6)
	}
	if w.namespace == "" {
		w.namespace = "ns-" + randomHex(6)
	}
	return w
}

// httpClient is the client of one scenario: Options.HTTPClient's
// transport (or the default one), never following redirects.
func (c *config) httpClient() *http.Client {
	h := http.Client{Timeout: 30 * time.Second}
	if c.opts.HTTPClient != nil {
		h = *c.opts.HTTPClient
		if h.Timeout == 0 {
			h.Timeout = 30 * time.Second
		}
	}
	h.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &h
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("features: no randomness: %v", err))
	}
	return hex.EncodeToString(b)
}

// id is the id an alias stands for, made on first use: the alias, "-Id" and
// a suffix unique to the scenario ("A" → "A-Id1f2e3d4c"). It has upper and
// lower case letters, so {upper:A} and {lower:A} always spell it otherwise.
func (w *world) id(alias string) string {
	if id, ok := w.aliases[alias]; ok {
		return id
	}
	id := strings.ReplaceAll(alias, " ", "-") + "-Id" + w.suffix
	w.aliases[alias] = id
	return id
}

// aliasOf is the alias an id stands for ("" when none).
func (w *world) aliasOf(id string) string {
	for a, v := range w.aliases {
		if ids.Equal(v, id) {
			return a
		}
	}
	return ""
}

// The built-in roles by the names the features use.
var roleIDs = map[string]string{
	"Tenant Administrator": auth.RoleTenantAdministrator,
	"Tenant Contributor":   auth.RoleTenantContributor,
	"Tenant Data Steward":  auth.RoleTenantDataSteward,
	"Tenant Viewer":        auth.RoleTenantViewer,
	"Tenant Member":        auth.RoleTenantMember,
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9 _:.\-]+)\}`)

// expand replaces the placeholders of a path or body:
//
//	{tenant}, {namespace}     the scenario's tenant and namespace
//	{preview}, {v1}           /api/v1-preview/tenants/{tenant}/namespaces/{namespace}, and under /api/v1
//	{api}                     the default surface's root: {preview} in the cloud run, /api/v1
//	                          on-premises (so {api}/clientfailover/groups is the groups of either)
//	{score}, {override}       the default surface's heartbeat score property (FailoverStatus,
//	                          FailoverScore on-premises) and session override property
//	                          (Override, RoleOverride on-premises)
//	{role:Tenant Member}      the id of a built-in role; another name is a
//	                          role of the scenario's own ({role:Operators})
//	{server}                  the base URL of the server under test
//	{long:257}                an id of 257 characters
//	{upper:X}, {lower:X}      X in upper or lower case
//	{A}                       the id alias A stands for
func (w *world) expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		return w.resolve(m[1 : len(m)-1])
	})
}

func (w *world) resolve(name string) string {
	switch name {
	case "tenant":
		return w.tenant
	case "namespace":
		return w.namespace
	case "preview":
		return w.scopePath(preview)
	case "v1":
		return w.scopePath(ga)
	case "api":
		return w.scopePath(w.base)
	case "score":
		return w.base.score
	case "override":
		return w.base.override
	case "server":
		return w.cfg.opts.URL
	}
	if kind, arg, ok := strings.Cut(name, ":"); ok {
		switch kind {
		case "upper":
			return strings.ToUpper(w.resolve(arg))
		case "lower":
			return strings.ToLower(w.resolve(arg))
		case "role":
			if id, ok := roleIDs[arg]; ok {
				return id
			}
			return w.id(arg) // a custom role, as the identity steps define it
		case "long":
			if n, err := strconv.Atoi(arg); err == nil && n > 0 {
				return strings.Repeat("x", n)
			}
		}
	}
	return w.id(name)
}

// Paths of the API, in a revision.

// scopePath is the root of the scenario's scope on a surface: its tenant's
// namespace, or the on-premises service.
func (w *world) scopePath(rev revision) string {
	if rev.onPremises {
		return rev.prefix
	}
	return rev.prefix + "/tenants/" + url.PathEscape(w.tenant) + "/namespaces/" + url.PathEscape(w.namespace)
}

// rev is the surface a step speaks: the cloud's /api/v1 when it says
// "through the v1 API", else the default surface.
func (w *world) rev(via string) revision {
	if via != "" {
		return ga
	}
	return w.base
}

func (w *world) servicePath(rev revision) string {
	return w.scopePath(rev) + "/clientfailover"
}

func (w *world) groupsPath(rev revision) string { return w.servicePath(rev) + "/groups" }

func (w *world) groupPath(rev revision, group string) string {
	w.group = group
	return w.groupsPath(rev) + "/" + url.PathEscape(w.id(group))
}

func (w *world) sessionsPath(rev revision, group string) string {
	return w.groupPath(rev, group) + "/clientsessions"
}

// clientOf is the client a scenario named; it must have joined a group (or
// been named with one) first.
func (w *world) clientOf(alias string) (*client, error) {
	c, ok := w.clients[alias]
	if !ok {
		return nil, fmt.Errorf("client %q has not joined a group in this scenario", alias)
	}
	return c, nil
}

// response is one answer of the server.
type response struct {
	method, path string
	status       int // 0 when no answer came
	header       http.Header
	body         []byte
	doc          any   // the body as JSON (numbers as json.Number), nil if none
	docErr       error // why the body is not JSON
	noAnswer     error // why no answer came (the connection broke), nil if one did
}

func (r *response) String() string {
	if r.noAnswer != nil {
		return fmt.Sprintf("%s %s → no answer (%v)", r.method, r.path, r.noAnswer)
	}
	body := string(r.body)
	if len(body) > 600 {
		body = body[:600] + "…"
	}
	return fmt.Sprintf("%s %s → %d %s", r.method, r.path, r.status, body)
}

// do sends a request and returns the answer; it does not make it the last
// response (checks use it to look without disturbing what a step answered).
func (w *world) do(method, path string, body []byte) (*response, error) {
	header := http.Header{}
	if body != nil {
		header.Set("Content-Type", "application/json")
	}
	return w.doWith(method, path, body, header)
}

// doWith sends a request with some headers of the caller's choosing. The
// Authorization header is the control API's admin token on /_emulator, and
// otherwise the one header gives, else the scenario's caller, else
// Options.Token. A connection that breaks before the answer is an error
// that wraps a *noAnswer.
func (w *world) doWith(method, path string, body []byte, header http.Header) (*response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, w.cfg.opts.URL+path, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if err := w.checkSurface(path); err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	authorization := w.cfg.credentials(path)
	if w.authorization != nil {
		authorization = *w.authorization
	}
	if v, ok := header["Authorization"]; ok {
		authorization = strings.Join(v, "")
	}
	for k, v := range header {
		if k != "Authorization" {
			req.Header[k] = v
		}
	}
	if path == "/_emulator" || strings.HasPrefix(path, "/_emulator/") {
		if !w.emulator {
			// Control calls change what every scenario sees; only a
			// scenario that resets the emulator around itself may make them.
			return nil, fmt.Errorf("%s %s: a scenario that uses the control API must be tagged %s", method, path, EmulatorTag)
		}
		authorization = ""
		if w.cfg.opts.AdminToken != "" {
			authorization = "Bearer " + w.cfg.opts.AdminToken
		}
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := w.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, &noAnswer{err})
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", method, path, &noAnswer{err})
	}
	r := &response{method: method, path: path, status: resp.StatusCode, header: resp.Header, body: b}
	if len(bytes.TrimSpace(b)) > 0 {
		r.docErr = decodeJSON(b, &r.doc)
	}
	return r, nil
}

// credentials is the Authorization header a call to path carries unless
// the scenario chose its caller: HTTP Basic with Options.User and
// Options.Password on the on-premises surface, else Options.Token as a
// bearer token ("" for none).
func (c *config) credentials(path string) string {
	if isOnPremPath(path) {
		if c.opts.User == "" {
			return ""
		}
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(c.opts.User+":"+c.opts.Password))
	}
	if c.opts.Token != "" {
		return "Bearer " + c.opts.Token
	}
	return ""
}

// checkSurface refuses a call to a surface of the other kind than the run's
// from a scenario not tagged to mix them: it would pass against the
// emulator and fail against the real service of the run's kind.
func (w *world) checkSurface(path string) error {
	if w.mixes {
		return nil
	}
	switch {
	case w.base.onPremises && isCloudPath(path):
		return fmt.Errorf("a scenario of the on-premises run calls a cloud surface: tag it %s (or %s and %s to mix the surfaces on purpose), or write {api}, {score} and {override} for the default surface", CloudTag, OnPremTag, EmulatorTag)
	case !w.base.onPremises && isOnPremPath(path):
		return fmt.Errorf("a scenario of the cloud run calls the on-premises surface: tag it %s (or %s and %s to mix the surfaces on purpose)", OnPremTag, CloudTag, EmulatorTag)
	}
	return nil
}

// noAnswer is a connection that broke before the whole answer came.
type noAnswer struct{ err error }

func (e *noAnswer) Error() string { return e.err.Error() }
func (e *noAnswer) Unwrap() error { return e.err }

// send sends a request and makes its answer the last response. A request
// that got no answer (a dropped connection) is a last response with status
// 0, for the steps that check what happened, rather than a failed step.
func (w *world) send(method, path string, body []byte) error {
	r, err := w.do(method, path, body)
	return w.keep(method, path, r, err)
}

// keep makes an answer, or the lack of one, the last response.
func (w *world) keep(method, path string, r *response, err error) error {
	var broken *noAnswer
	if errors.As(err, &broken) {
		w.last = &response{method: method, path: path, header: http.Header{}, noAnswer: broken.err}
		return nil
	}
	if err != nil {
		return err
	}
	w.last = r
	w.noteCreated(r)
	return nil
}

// noteCreated remembers the path of a group a request created, for cleanUp.
func (w *world) noteCreated(r *response) {
	if r.status != http.StatusCreated {
		return
	}
	id, _ := lookup(r.doc, "Id")
	s, ok := id.(string)
	if !ok {
		return
	}
	path := strings.ToLower(r.path)
	switch {
	case r.method == http.MethodPost && strings.HasSuffix(path, "/clientfailover/groups"):
		w.created = append(w.created, r.path+"/"+url.PathEscape(s))
	case r.method == http.MethodPut && strings.Contains(path, "/clientfailover/groups/"):
		w.created = append(w.created, r.path)
	}
}

// sendJSON sends v as the JSON body.
func (w *world) sendJSON(method, path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return w.send(method, path, b)
}

// expect sends a request that must answer want, for setup steps and checks;
// it does not disturb the last response.
func (w *world) expect(want int, method, path string, v any) (*response, error) {
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			return nil, err
		}
	}
	r, err := w.do(method, path, body)
	if err != nil {
		return nil, err
	}
	if r.status != want {
		return r, fmt.Errorf("got %s, want status %d", r, want)
	}
	return r, nil
}

// lastResponse is the last response, or an error when no request was sent.
func (w *world) lastResponse() (*response, error) {
	if w.last == nil {
		return nil, fmt.Errorf("no request has been sent yet")
	}
	return w.last, nil
}

// resetEmulator puts the emulator back in its start state.
func (w *world) resetEmulator() error {
	_, err := w.expect(http.StatusOK, http.MethodPost, "/_emulator/reset", nil)
	if err != nil {
		return fmt.Errorf("resetting the emulator (does the server have the control API? exclude @emulator scenarios otherwise): %w", err)
	}
	return nil
}

// cleanUp deletes, best effort, what a scenario left in a shared scope (a
// fixed tenant and namespace, or the on-premises service's one scope): the
// groups it created or named, with their clients.
func (w *world) cleanUp() {
	if !w.base.onPremises && w.cfg.opts.Tenant == "" && w.cfg.opts.Namespace == "" {
		return // a namespace of its own: nobody else will see it
	}
	paths := append([]string(nil), w.created...)
	for alias := range w.aliases {
		paths = append(paths, w.groupsPath(w.base)+"/"+url.PathEscape(w.id(alias)))
	}
	done := map[string]bool{}
	for _, path := range paths {
		if done[strings.ToLower(path)] {
			continue
		}
		done[strings.ToLower(path)] = true
		r, err := w.do(http.MethodGet, path+"/clientsessions", nil)
		if err == nil && r.status == http.StatusOK {
			if list, ok := r.doc.([]any); ok {
				for _, item := range list {
					if m, ok := item.(map[string]any); ok {
						if id, ok := m["Id"].(string); ok {
							_, _ = w.do(http.MethodDelete, path+"/clientsessions/"+url.PathEscape(id), nil)
						}
					}
				}
			}
		}
		_, _ = w.do(http.MethodDelete, path, nil)
	}
}
