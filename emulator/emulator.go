// Package emulator is an in-memory emulator of the AVEVA Data Hub Client
// Failover API (failover groups, client sessions and heartbeats, access
// control), for contract tests.
//
// New returns a running Server: the emulated API under /api/v1-preview and
// /api/v1, and the emulator's own control API under /_emulator (clock,
// faults, request journal, events listed and streamed, state, reset,
// virtual clients: scripted peers the emulator drives itself on its clock),
// with a dashboard at /_emulator/ui/. Time comes from one controllable clock
// per server; nothing else reads the time.
//
// With Options.TLS every surface and the control API are served over HTTPS
// (HTTP/1.1), with a certificate generated at start or the caller's own;
// Server.Client trusts it. A generated certificate's validity is the one
// thing that starts from the wall time rather than the server's clock: TLS
// clients check it against theirs.
//
// New puts Gin, a process-wide setting of that library, in release mode
// unless GIN_MODE is set.
//
// What it does not reproduce: the real service's identity server beyond the
// client-credentials grant, its rate limits other than the heartbeat minimum
// interval, persistence across restarts, and the exact text of the real
// service's error messages (the emulator's say what was wrong in its own
// words, in the same ErrorResponse shape).
package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/configuration"
	"github.com/adh-emulator/clientfailover/emulator/dashboard"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
	"github.com/adh-emulator/clientfailover/emulator/tlscert"
	"github.com/adh-emulator/clientfailover/schemas"
)

// Defaults of Options.
const (
	DefaultAddr          = "127.0.0.1:0"
	DefaultMaxBodyBytes  = 1 << 20 // 1 MiB: a larger body gets 413
	DefaultShutdownGrace = 10 * time.Second
	// DefaultReadHeaderTimeout is how long a client may take to send its
	// request headers.
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultMaxCount is the largest count List Group Configurations takes.
	DefaultMaxCount = 1000
	// MaxIDLength is the longest tenant, namespace, group or session id, in
	// characters.
	MaxIDLength = 256
)

// Options configures a Server. The zero value is usable: an in-memory
// emulator on a free loopback port, real clock, no authentication.
type Options struct {
	// Addr is where to listen (default DefaultAddr; port 0 picks a free port).
	Addr string
	// NoListener serves only through Handler(): nothing listens, URL is "".
	NoListener bool
	// Fixtures is a fixture file or folder loaded at start and at every reset.
	Fixtures string
	// Clock is the clock's start mode (default real).
	Clock clock.Mode
	// ClockStart is where a manual clock starts (default: the wall time at start).
	ClockStart time.Time
	// Auth is how callers of the emulated API are authorised (default
	// AuthNone: every caller is a tenant administrator).
	Auth AuthMode
	// AdminToken, when set, is required as a bearer token on the control API.
	AdminToken string
	// APIRevision "latest" turns on the later preview behaviour: groups carry
	// AccessControl and Owner, and posting an identical group answers 200.
	// "" or "source" keeps the source documents' behaviour.
	APIRevision string
	// HeartbeatMinInterval is the heartbeat rate limit (0 = off).
	HeartbeatMinInterval time.Duration
	// StrictBodies refuses what the service ignores: a request body property
	// its operation does not have (400 naming it), and a body whose
	// Content-Type is not JSON (415). Changeable through /_emulator/config.
	StrictBodies bool
	// MaxBodyBytes bounds request bodies (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// JournalSize bounds the request journal in entries (default
	// journal.DefaultMaxEntries).
	JournalSize int
	// JournalBytes bounds the request journal in bytes of its entries:
	// bodies, paths, queries, ignored property names and
	// journal.EntryOverhead each (default journal.DefaultMaxBytes, 32 MiB).
	// The oldest entries are forgotten first.
	JournalBytes int
	// ShutdownGrace is how long Close lets in-flight requests finish
	// (default DefaultShutdownGrace); the connections of requests still
	// unfinished then are closed.
	ShutdownGrace time.Duration
	// ReadHeaderTimeout disconnects a client that has not sent its headers
	// in time (default DefaultReadHeaderTimeout).
	ReadHeaderTimeout time.Duration
	// Logger receives structured logs (default: discard), net/http's own
	// complaints (such as TLS handshake errors) among them.
	Logger *slog.Logger
	// TLS, when set, serves HTTPS instead of HTTP on Addr; nil serves plain
	// HTTP. Not with NoListener.
	TLS *TLSOptions
	// PublicURL, when set, is the base URL clients reach the server at (for
	// example behind a proxy, "https://emulator.example:8443"): the issuer
	// and token endpoint of the OpenID discovery document are under it.
	// Empty: they are under the scheme and Host header of each request.
	PublicURL string
	// ExportOnExit, when set, is a file the whole state (State, identities
	// and secrets included) is written to when the server stops (Close or
	// Shutdown), after the last request: atomically (a temporary file in
	// the same folder, then a rename) and readable by the owner only
	// (mode 0600). Start again with Fixtures set to it to carry on.
	ExportOnExit string

	// EventStreamBuffer bounds the role changes an event stream holds for
	// a slow client (default DefaultEventStreamBuffer).
	EventStreamBuffer int
	// EventStreamKeepAlive is how often an idle event stream sends a
	// comment line (default DefaultEventStreamKeepAlive).
	EventStreamKeepAlive time.Duration
}

// AuthMode is how callers of the emulated API are authorised.
type AuthMode string

// The authorisation modes.
const (
	AuthNone  AuthMode = "none"  // every caller is a tenant administrator
	AuthToken AuthMode = "token" // bearer tokens required, access control lists enforced
)

// ParseAuthMode reads "none" or "token".
func ParseAuthMode(s string) (AuthMode, error) {
	switch m := AuthMode(s); m {
	case AuthNone, AuthToken:
		return m, nil
	}
	return "", fmt.Errorf("auth mode %q: want none or token", s)
}

// Server is one running emulator.
type Server struct {
	opts     Options
	log      *slog.Logger
	clock    *clock.Clock
	svc      *service.Service
	faults   *faults.Set
	journal  *journal.Journal
	schemas  *schemas.Validator
	fixtures *fixture.Document // the start state, loaded once

	authMode   atomic.Pointer[AuthMode]           // --auth, changeable through /_emulator/config
	strict     atomic.Bool                        // --strict-bodies, changeable through /_emulator/config
	stateMu    sync.Mutex                         // serialises SetState, so data and identities change together
	directory  atomic.Pointer[auth.Directory]     // identities and tokens; replaced with the state
	identities atomic.Pointer[fixture.Identities] // as loaded, for State
	handler    http.Handler
	surfaces   []surface
	config     *configuration.Configuration // the on-premises service's configuration
	page       *dashboard.Page              // the dashboard's assets

	http     *http.Server
	listener net.Listener
	url      string
	tls      *tlscert.Pair // the certificate served; nil over plain HTTP
	client   *http.Client  // trusts tls; made on first use by Client
	clientMu sync.Mutex    // guards client
	version  string        // BuildVersion, for the health check

	stopping  chan struct{} // closed by Close: cuts injected delays short
	stopOnce  sync.Once
	watchStop context.CancelFunc
	watchDone chan struct{}
	serveErr  chan error
}

// New starts an emulator with opts.
func New(opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = DefaultShutdownGrace
	}
	if opts.ReadHeaderTimeout <= 0 {
		opts.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if opts.JournalSize <= 0 {
		opts.JournalSize = journal.DefaultMaxEntries
	}
	if opts.Auth == "" {
		opts.Auth = AuthNone
	}
	if opts.Clock == "" {
		opts.Clock = clock.Real
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	switch opts.APIRevision {
	case "", "source", "latest":
	default:
		return nil, fmt.Errorf("API revision %q: want source or latest", opts.APIRevision)
	}
	if !opts.ClockStart.IsZero() {
		if err := timefmt.CheckRange("clock start", opts.ClockStart); err != nil {
			return nil, err
		}
	}
	publicURL, err := checkPublicURL(opts.PublicURL)
	if err != nil {
		return nil, err
	}
	opts.PublicURL = publicURL
	if err := checkExportFolder(opts.ExportOnExit); err != nil {
		return nil, err
	}
	var pair *tlscert.Pair
	if opts.TLS != nil {
		if opts.NoListener {
			return nil, errors.New("TLS needs a listener: NoListener serves only through Handler")
		}
		if pair, err = opts.TLS.pair(opts.Addr); err != nil {
			return nil, err
		}
	}
	validator, err := schemas.Default()
	if err != nil {
		return nil, fmt.Errorf("schemas: %w", err)
	}
	s := &Server{
		opts:     opts,
		log:      opts.Logger,
		clock:    clock.New(opts.Clock, opts.ClockStart, nil),
		faults:   faults.NewSet(),
		journal:  journal.New(journal.Limits{Entries: opts.JournalSize, Body: journal.DefaultMaxBody, Bytes: opts.JournalBytes}),
		schemas:  validator,
		surfaces: apiRouterFor(opts.APIRevision == "latest").surfaces,
		config:   configuration.New(uuid.NewString),
		stopping: make(chan struct{}),
		serveErr: make(chan error, 1),
		tls:      pair,
		version:  BuildVersion(),
	}
	s.svc = service.New(store.New(), s.clock, service.Options{OnVirtual: s.recordVirtual})
	s.authMode.Store(&opts.Auth)
	s.strict.Store(opts.StrictBodies)
	if err := s.svc.SetHeartbeatMinInterval(opts.HeartbeatMinInterval); err != nil {
		return nil, err
	}
	if opts.Fixtures != "" {
		doc, err := fixture.Load(opts.Fixtures)
		if err != nil {
			return nil, err
		}
		s.fixtures = doc
	}
	if err := s.loadFixtures(); err != nil {
		return nil, err
	}
	if s.page, err = dashboardPage(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s.handler = s.newHandler()
	if opts.Auth == AuthToken && opts.AdminToken == "" {
		s.log.Warn("the control API is open: any caller that reaches it can switch authorisation off (PUT /_emulator/config) and replace identities (PUT /_emulator/state); set an admin token (--admin-token) to lock it")
	}

	ctx, cancel := context.WithCancel(context.Background())
	s.watchStop, s.watchDone = cancel, make(chan struct{})
	go s.watch(ctx)

	if opts.NoListener {
		return s, nil
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		s.abort()
		return nil, fmt.Errorf("listen: %w", err)
	}
	s.listener = ln
	scheme := "http"
	if pair != nil {
		scheme = "https"
		if err := s.writeCertOut(); err != nil {
			_ = ln.Close()
			s.abort()
			return nil, err
		}
	}
	s.url = scheme + "://" + displayAddr(opts.Addr, ln.Addr())
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
		// Requests carry their Server, which the shared API engine needs,
		// from the connection's context: nothing to add per request.
		BaseContext: func(net.Listener) context.Context {
			return context.WithValue(context.Background(), serverKey{}, s)
		},
	}
	if pair != nil {
		ln = tls.NewListener(ln, s.tlsConfig())
	}
	go func() { s.serveErr <- s.http.Serve(ln) }()
	return s, nil
}

// checkPublicURL checks Options.PublicURL and drops a trailing slash.
func checkPublicURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("public URL %q: want an absolute http or https URL without query, fragment or user, such as https://emulator.example:8443", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// checkExportFolder fails at start, rather than at exit, when the folder
// of Options.ExportOnExit does not exist.
func checkExportFolder(file string) error {
	if file == "" {
		return nil
	}
	dir := filepath.Dir(file)
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("export on exit: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("export on exit: %s is not a folder", dir)
	}
	return nil
}

// displayAddr is the address to show for a listener: the one it got, but
// with the requested host when that was a wildcard ("0.0.0.0:8080" rather
// than "[::]:8080").
func displayAddr(requested string, got net.Addr) string {
	host, _, err := net.SplitHostPort(requested)
	_, port, err2 := net.SplitHostPort(got.String())
	if err != nil || err2 != nil {
		return got.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		if host == "" {
			host = "0.0.0.0"
		}
		return net.JoinHostPort(host, port)
	}
	return got.String()
}

// MaxHeaderBytes bounds request headers; larger ones get 431.
const MaxHeaderBytes = 64 << 10

// Timeouts of the http.Server besides ReadHeaderTimeout.
const (
	readTimeout  = 30 * time.Second
	writeTimeout = faults.MaxDelay + 30*time.Second // room for the longest injected delay
	idleTimeout  = 120 * time.Second
)

// loadFixtures puts the start state in place (empty without fixtures).
func (s *Server) loadFixtures() error {
	doc := fixture.Document{}
	if s.fixtures != nil {
		doc = *s.fixtures
	}
	if err := s.SetState(doc); err != nil {
		return fmt.Errorf("fixtures %s: %w", s.opts.Fixtures, err)
	}
	return nil
}

// Handler serves the emulated API and the control API; with NoListener it
// is the only way in.
func (s *Server) Handler() http.Handler { return s.handler }

// URL is the base URL the server listens on ("" with NoListener).
func (s *Server) URL() string { return s.url }

// Addr is the address the server listens on (nil with NoListener).
func (s *Server) Addr() net.Addr {
	if s.listener == nil {
		return nil
	}
	return s.listener.Addr()
}

// Clock is the server's clock.
func (s *Server) Clock() *clock.Clock { return s.clock }

// Close stops accepting, lets in-flight requests finish within the grace
// period (injected delays are cut short), closes the connections of the
// requests still unfinished then, stops the server and, with
// ExportOnExit, writes the state. A stop that had to cut requests off is
// still a clean stop: the error is nil unless serving or the export failed.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownGrace)
	defer cancel()
	return s.Shutdown(ctx)
}

// Shutdown is Close with the caller's deadline in place of the grace
// period.
func (s *Server) Shutdown(ctx context.Context) error {
	var err error
	s.stopOnce.Do(func() {
		err = s.stop(ctx)
		if s.opts.ExportOnExit != "" {
			if exportErr := s.export(context.WithoutCancel(ctx), s.opts.ExportOnExit); exportErr != nil {
				err = errors.Join(err, fmt.Errorf("export on exit: %w", exportErr))
			}
		}
	})
	return err
}

// abort stops a server New could not finish making (no export).
func (s *Server) abort() {
	s.stopOnce.Do(func() { _ = s.stop(context.Background()) })
}

// stop ends serving: in-flight requests get until ctx ends, then their
// connections are closed.
func (s *Server) stop(ctx context.Context) error {
	close(s.stopping)
	var err error
	if s.http != nil {
		if shutdownErr := s.http.Shutdown(ctx); shutdownErr != nil {
			if ctx.Err() == nil {
				err = shutdownErr
			}
			// The grace period is over: cut off what is still running
			// (a slow upload, a client that never reads its answer).
			s.log.Warn("shutdown: the grace period is over; closing the connections of unfinished requests")
			_ = s.http.Close()
		}
		if serveErr := <-s.serveErr; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
			err = serveErr
		}
	}
	s.clientMu.Lock()
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
	s.clientMu.Unlock()
	s.watchStop()
	<-s.watchDone
	return err
}

// watch applies lapses and expiries on the real clock when they are due,
// so a silent primary is replaced on time even if no request arrives.
func (s *Server) watch(ctx context.Context) {
	defer close(s.watchDone)
	for {
		changed := s.clock.Changed()
		var wake <-chan time.Time
		var timer *time.Timer
		if at, ok := s.svc.NextDue(); ok {
			if d, moves := s.clock.Until(at); moves {
				// A lapse takes effect just after its instant.
				timer = time.NewTimer(d + time.Millisecond)
				wake = timer.C
			}
		}
		poll := time.NewTimer(time.Second) // new deadlines come from requests
		select {
		case <-ctx.Done():
		case <-changed:
		case <-s.svc.Sooner():
		case <-wake:
		case <-poll.C:
		}
		poll.Stop()
		if timer != nil {
			timer.Stop()
		}
		if ctx.Err() != nil {
			return
		}
		s.svc.CatchUp(ctx)
	}
}

func (s *Server) newHandler() http.Handler {
	// Both engines are built once per process and shared by every server
	// in it (building them was most of what New cost): the operations of
	// the emulated API, by revision (apiRouterFor), and the rest, the
	// control API, the identity endpoints and every path that is no
	// operation (restEngine). Their handlers find this server in the
	// request's context.
	api := apiRouterFor(s.opts.APIRevision == "latest")
	rest := restEngine()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(serverKey{}) != s { // served through Handler, not s.http
			r = r.WithContext(context.WithValue(r.Context(), serverKey{}, s))
		}
		if !api.paths.rewrite(r) {
			rest.ServeHTTP(w, r)
			return
		}
		api.engine.ServeHTTP(w, r)
	})
}

// restEngine is the process's engine for everything but the operations of
// the emulated API: the control API, the identity endpoints, and the
// answers to paths and methods that are none of them.
var restEngine = sync.OnceValue(func() *gin.Engine {
	setGinMode()
	e := newEngine()
	e.Use(withServer((*Server).recover))
	controlRoutes(e.Group("/_emulator"))
	identityRoutes(e)
	answerUnmatched(e)
	return e
})

// answerUnmatched makes e answer a path or a method it has no route for
// as the emulator does (404 or 405 with an ErrorResponse, journaled).
func answerUnmatched(e *gin.Engine) {
	e.NoRoute(withServer(func(s *Server, c *gin.Context) { s.serveUnmatched(c, http.StatusNotFound) }))
	e.NoMethod(withServer(func(s *Server, c *gin.Context) { s.serveUnmatched(c, http.StatusMethodNotAllowed) }))
}

// withServer makes a handler of a shared engine out of a method: it runs f
// for the Server the request was sent to.
func withServer(f func(*Server, *gin.Context)) gin.HandlerFunc {
	return func(c *gin.Context) { f(serverFrom(c), c) }
}

// setGinMode puts Gin in release mode unless GIN_MODE is set: Gin's debug
// mode prints every route to standard output, whose first line must be the
// "listening on" line. The mode is Gin's process-wide setting, so a
// GIN_MODE the user chose wins.
func setGinMode() {
	if os.Getenv("GIN_MODE") == "" {
		gin.SetMode(gin.ReleaseMode)
	}
}

// newEngine returns a Gin engine configured as the emulator's engines are.
func newEngine() *gin.Engine {
	e := gin.New()
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.HandleMethodNotAllowed = true
	e.UseRawPath = true
	e.UnescapePathValues = true
	return e
}

// serverKey is the context key under which a request to one of the shared
// engines carries the Server it was sent to.
type serverKey struct{}

// serverFrom is the Server a request to one of the shared engines was sent
// to.
func serverFrom(c *gin.Context) *Server {
	return c.Request.Context().Value(serverKey{}).(*Server)
}

// State returns the whole emulated state in the fixture format.
func (s *Server) State(ctx context.Context) fixture.Document {
	doc := s.svc.Export(ctx)
	doc.Identities = s.identities.Load()
	doc.OnPremises.Configuration = configToFixture(s.config.Get())
	return doc
}

// SetState replaces the whole emulated state (as PUT /_emulator/state does),
// identities included; an invalid document changes nothing.
func (s *Server) SetState(doc fixture.Document) error {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	dir, err := auth.New(doc.Identities)
	if err != nil {
		return fmt.Errorf("identities: %w", err)
	}
	cfg := configFromFixture(doc.OnPremises)
	if err := configuration.New(nil).Set(cfg); err != nil { // checked before anything changes
		return fmt.Errorf("on-premises configuration: %w", err)
	}
	if err := s.svc.Import(doc); err != nil {
		return err
	}
	if err := s.config.Set(cfg); err != nil {
		return fmt.Errorf("on-premises configuration: %w", err) // checked above: cannot happen
	}
	s.directory.Store(dir)
	s.identities.Store(doc.Identities)
	return nil
}

// configFromFixture reads the on-premises configuration of a state
// document (the defaults when it has none).
func configFromFixture(op *fixture.OnPremises) configuration.Document {
	var doc configuration.Document
	if op == nil || op.Configuration == nil {
		return doc
	}
	if l := op.Configuration.Logging; l != nil {
		doc.LogLevel = configuration.LogLevel(l.LogLevel)
	}
	for _, e := range op.Configuration.HealthEndpoints {
		validate := true
		if e.ValidateEndpointCertificate != nil {
			validate = *e.ValidateEndpointCertificate
		}
		doc.HealthEndpoints = append(doc.HealthEndpoints, configuration.HealthEndpoint{
			ID: e.Id, Endpoint: e.Endpoint, Username: e.Username, Password: e.Password,
			ClientID: e.ClientId, ClientSecret: e.ClientSecret, TokenEndpoint: e.TokenEndpoint,
			ValidateEndpointCertificate: validate,
		})
	}
	return doc
}

func configToFixture(doc configuration.Document) *fixture.Configuration {
	out := &fixture.Configuration{
		Logging:         &fixture.Logging{LogLevel: string(doc.LogLevel)},
		HealthEndpoints: []fixture.HealthEndpoint{},
	}
	for _, e := range doc.HealthEndpoints {
		validate := e.ValidateEndpointCertificate
		out.HealthEndpoints = append(out.HealthEndpoints, fixture.HealthEndpoint{
			Id: e.ID, Endpoint: e.Endpoint, Username: e.Username, Password: e.Password,
			ClientId: e.ClientID, ClientSecret: e.ClientSecret, TokenEndpoint: e.TokenEndpoint,
			ValidateEndpointCertificate: &validate,
		})
	}
	return out
}
