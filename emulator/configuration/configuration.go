// Package configuration is the on-premises Client Failover Service's own
// configuration, as its REST API under /api/v1/configuration shows it: the
// log level and the health endpoints.
//
// The emulator stores and validates the configuration exactly as the
// documentation describes it, and does nothing with it: it writes no Windows
// event log and sends nothing to any health endpoint (the real service sends
// health data to each of them every minute). Password and ClientSecret are
// write-only: the API answers them as null.
//
// A Configuration is safe for concurrent use; every method either changes
// the whole of what it was asked to or, on an error, nothing.
package configuration

import (
	"github.com/adh-emulator/clientfailover/emulator/ids"

	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// LogLevel is the severity threshold of the service's log.
type LogLevel string

// The log levels, in low to high severity order.
const (
	Verbose     LogLevel = "Verbose"
	Debug       LogLevel = "Debug"
	Information LogLevel = "Information"
	Warning     LogLevel = "Warning"
	Error       LogLevel = "Error"
	Fatal       LogLevel = "Fatal"
)

// DefaultLogLevel is the level of a newly installed service.
const DefaultLogLevel = Information

// LogLevels lists every level, low to high severity.
func LogLevels() []LogLevel { return []LogLevel{Verbose, Debug, Information, Warning, Error, Fatal} }

// ParseLogLevel reads a level's name in any case.
func ParseLogLevel(s string) (LogLevel, error) {
	for _, l := range LogLevels() {
		if strings.EqualFold(string(l), s) {
			return l, nil
		}
	}
	return "", fail(ErrInvalid, "Log level %q is not one of Verbose, Debug, Information, Warning, Error, Fatal.", s)
}

// HealthEndpoint is one OMF endpoint the service would send its health data to.
type HealthEndpoint struct {
	ID string
	// Endpoint is the endpoint's URL, an absolute http or https URL.
	Endpoint      string
	Username      *string
	Password      *string // write-only
	ClientID      *string
	ClientSecret  *string // write-only
	TokenEndpoint *string // an absolute http or https URL, or nil
	// ValidateEndpointCertificate is true unless a client turned it off.
	ValidateEndpointCertificate bool
}

// Redacted returns the endpoint as the API shows it: without its secrets.
func (e HealthEndpoint) Redacted() HealthEndpoint {
	e.Password, e.ClientSecret = nil, nil
	return e
}

// Validate checks what the documentation requires of an endpoint.
func (e HealthEndpoint) Validate() error {
	if err := checkURL("Endpoint", &e.Endpoint); err != nil {
		return err
	}
	return checkURL("TokenEndpoint", e.TokenEndpoint)
}

// checkURL accepts a well-formed absolute http or https URL (nil passes).
func checkURL(name string, s *string) error {
	if s == nil {
		return nil
	}
	u, err := url.Parse(*s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(*s, " \t\r\n") {
		return fail(ErrInvalid, "%s %q is not a well-formed http or https URL.", name, *s)
	}
	return nil
}

// Document is the whole configuration, as GET /api/v1/configuration answers
// it (with secrets) and as fixtures and the emulator state carry it.
type Document struct {
	LogLevel        LogLevel
	HealthEndpoints []HealthEndpoint
}

// Errors, wrapped by the methods' errors.
var (
	// ErrInvalid: the request breaks a documented rule (a 400).
	ErrInvalid = errors.New("invalid configuration")
	// ErrExists: a health endpoint with that Id exists (a 409).
	ErrExists = errors.New("health endpoint exists")
	// ErrNotFound: no health endpoint has that Id (a 404).
	ErrNotFound = errors.New("health endpoint not found")
)

// Refusal is a refused change: Reason says why in one sentence, and it
// wraps one of ErrInvalid, ErrExists or ErrNotFound.
type Refusal struct {
	Kind   error
	Reason string
}

// Error returns the Reason.
func (e *Refusal) Error() string { return e.Reason }

// Unwrap returns the Kind.
func (e *Refusal) Unwrap() error { return e.Kind }

func fail(kind error, format string, args ...any) error {
	return &Refusal{Kind: kind, Reason: fmt.Sprintf(format, args...)}
}

// MaxHealthEndpoints bounds the list, so a client cannot grow it without
// limit; the real service publishes no limit.
const MaxHealthEndpoints = 1000

// Configuration is the service's configuration. The zero value is not
// ready: make one with New.
type Configuration struct {
	mu        sync.Mutex // guards level and endpoints
	level     LogLevel
	endpoints []HealthEndpoint // in the order added
	newID     func() string
}

// New returns a configuration with the defaults: log level Information and
// no health endpoints. newID makes the Id of an endpoint posted without one.
func New(newID func() string) *Configuration {
	return &Configuration{level: DefaultLogLevel, newID: newID}
}

// Get returns the whole configuration, secrets included.
func (c *Configuration) Get() Document {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Document{LogLevel: c.level, HealthEndpoints: cloneAll(c.endpoints)}
}

// Set replaces the whole configuration (PUT /api/v1/configuration, a
// fixture, a reset). An empty LogLevel is the default level.
func (c *Configuration) Set(doc Document) error {
	level := doc.LogLevel
	if level == "" {
		level = DefaultLogLevel
	}
	if _, err := ParseLogLevel(string(level)); err != nil {
		return err
	}
	eps, err := c.prepare(doc.HealthEndpoints, true, nil)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.level, c.endpoints = level, eps
	return nil
}

// LogLevel returns the log level.
func (c *Configuration) LogLevel() LogLevel {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.level
}

// SetLogLevel changes the log level.
func (c *Configuration) SetLogLevel(l LogLevel) error {
	if _, err := ParseLogLevel(string(l)); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.level = l
	return nil
}

// Endpoints returns every health endpoint, in the order added.
func (c *Configuration) Endpoints() []HealthEndpoint {
	c.mu.Lock()
	defer c.mu.Unlock()
	return cloneAll(c.endpoints)
}

// Endpoint returns the health endpoint with the given Id (any case).
func (c *Configuration) Endpoint(id string) (HealthEndpoint, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i := index(c.endpoints, id); i >= 0 {
		return clone(c.endpoints[i]), nil
	}
	return HealthEndpoint{}, notFound(id)
}

// Add appends endpoints (POST: one or an array); an endpoint without an Id
// gets a new one. It fails with ErrExists, adding none, if any Id exists
// already or appears twice. It returns the endpoints as stored.
func (c *Configuration) Add(eps []HealthEndpoint) ([]HealthEndpoint, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	added, err := c.prepare(eps, false, c.endpoints)
	if err != nil {
		return nil, err
	}
	if len(c.endpoints)+len(added) > MaxHealthEndpoints {
		return nil, fail(ErrInvalid, "At most %d health endpoints can be configured.", MaxHealthEndpoints)
	}
	c.endpoints = append(c.endpoints, added...)
	return cloneAll(added), nil
}

// Replace replaces every endpoint (PUT with an array); every endpoint needs
// an Id, and no Id may appear twice.
func (c *Configuration) Replace(eps []HealthEndpoint) error {
	prepared, err := c.prepare(eps, true, nil)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endpoints = prepared
	return nil
}

// Update replaces the endpoint with the given Id (PUT …/healthEndpoints/{Id}).
// An Id in ep must name the same endpoint; an empty one takes id.
func (c *Configuration) Update(id string, ep HealthEndpoint) error {
	if ep.ID != "" && !ids.Equal(ep.ID, id) {
		return fail(ErrInvalid, "The Id in the body (%q) differs from the Id in the path (%q).", ep.ID, id)
	}
	if err := ep.Validate(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	i := index(c.endpoints, id)
	if i < 0 {
		return notFound(id)
	}
	ep.ID = c.endpoints[i].ID // stored as first written
	c.endpoints[i] = clone(ep)
	return nil
}

// Delete removes the endpoint with the given Id.
func (c *Configuration) Delete(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := index(c.endpoints, id)
	if i < 0 {
		return notFound(id)
	}
	c.endpoints = append(c.endpoints[:i:i], c.endpoints[i+1:]...)
	return nil
}

// Clear removes every endpoint.
func (c *Configuration) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endpoints = nil
}

// prepare validates eps and returns copies, Ids filled in. requireID: an
// endpoint without an Id is invalid (PUT), else it gets a new one (POST).
// existing are the endpoints eps must not collide with.
func (c *Configuration) prepare(eps []HealthEndpoint, requireID bool, existing []HealthEndpoint) ([]HealthEndpoint, error) {
	if len(eps) > MaxHealthEndpoints {
		return nil, fail(ErrInvalid, "At most %d health endpoints can be configured.", MaxHealthEndpoints)
	}
	out := make([]HealthEndpoint, 0, len(eps))
	for i, ep := range eps {
		if err := ep.Validate(); err != nil {
			var e *Refusal
			if errors.As(err, &e) {
				return nil, fail(e.Kind, "Health endpoint %d: %s.", i, strings.TrimSuffix(e.Reason, "."))
			}
			return nil, err
		}
		if ep.ID == "" {
			if requireID {
				return nil, fail(ErrInvalid, "Health endpoint %d has no Id; replacing the list needs an Id on every endpoint.", i)
			}
			ep.ID = c.newID()
		}
		if j := index(existing, ep.ID); j >= 0 {
			return nil, fail(ErrExists, "A health endpoint with Id %q exists.", existing[j].ID)
		}
		if index(out, ep.ID) >= 0 {
			return nil, fail(ErrInvalid, "Id %q appears twice in the list.", ep.ID)
		}
		out = append(out, clone(ep))
	}
	return out, nil
}

func index(eps []HealthEndpoint, id string) int {
	for i, e := range eps {
		if ids.Equal(e.ID, id) {
			return i
		}
	}
	return -1
}

func notFound(id string) error {
	return fail(ErrNotFound, "No health endpoint has Id %q.", id)
}

func clone(e HealthEndpoint) HealthEndpoint {
	for _, p := range []**string{&e.Username, &e.Password, &e.ClientID, &e.ClientSecret, &e.TokenEndpoint} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	return e
}

func cloneAll(eps []HealthEndpoint) []HealthEndpoint {
	out := make([]HealthEndpoint, len(eps))
	for i, e := range eps {
		out[i] = clone(e)
	}
	return out
}
