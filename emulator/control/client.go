// Package control is a Go client for the emulator's control API, the
// endpoints under /_emulator that tests use to drive the emulator itself:
// its clock, fault rules, request journal, failover events, run-time
// settings, reset, whole state and virtual clients (the README's Control
// API section).
//
// A Client talks to one emulator, in-process or in a container, over HTTP:
//
//	c := control.New(srv.URL())
//	if _, err := c.Freeze(ctx, start); err != nil { ... }
//	if _, err := c.Advance(ctx, 90*time.Second); err != nil { ... }
//	events, _, err := c.Events(ctx)
//
// On the real clock a test waits for a role change without polling:
// WaitFor and WaitForRole read the live event stream (Stream).
//
//	e, err := c.WaitForRole(ctx, "g1", "b", "PendingPrimary")
//
// The client reuses the emulator's own types for what the control API
// carries (faults.Rule, journal.Entry and journal.Filter, fixture.Document,
// fixture.VirtualClient, clock.Mode), so a test reads exactly what the emulator keeps. An answer
// other than 2xx becomes an *APIError carrying the ErrorResponse; failures
// to reach the emulator are returned wrapped, as they come from net/http.
//
// The package covers the control API only; the emulated Client Failover API
// is called with any HTTP client (or the client under test).
package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Prefix is the path under which the emulator serves its control API.
const Prefix = "/_emulator"

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 1 << 20

// Client calls one emulator's control API. It is safe for concurrent use.
// Make one with New.
type Client struct {
	base  string // the emulator's base URL, without a trailing slash
	http  *http.Client
	token string // the admin token; "" sends no Authorization header
}

// Option configures a Client made by New.
type Option func(*Client)

// WithHTTPClient makes the Client send its requests through h instead of a
// default http.Client. Use it for timeouts, proxies or an in-process
// transport.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http = h
		}
	}
}

// WithAdminToken sends Authorization: Bearer token on every request, as an
// emulator started with --admin-token requires.
func WithAdminToken(token string) Option {
	return func(c *Client) { c.token = token }
}

// New returns a Client for the emulator at baseURL, the root the emulator
// serves at (for example "http://127.0.0.1:8080"), without the /_emulator
// prefix.
func New(baseURL string, opts ...Option) *Client {
	c := &Client{
		base: strings.TrimRight(baseURL, "/"),
		http: &http.Client{},
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// BaseURL is the emulator's base URL the Client was made with, without a
// trailing slash.
func (c *Client) BaseURL() string { return c.base }

// APIError is an answer of the control API with a status other than 2xx.
// Its fields come from the ErrorResponse body when there is one.
type APIError struct {
	// Method and Path are the request's HTTP method and URL path.
	Method string
	Path   string
	// Status is the HTTP status code.
	Status int
	// Message is the ErrorResponse's Error property: what went wrong.
	Message string
	// Reason and Resolution are the ErrorResponse's explanation and advice.
	Reason     string
	Resolution string
	// OperationId identifies the failed call in the emulator's logs.
	OperationId string
	// Body is the answer's body as received (at most 1 MiB), for answers
	// that are not an ErrorResponse.
	Body []byte
}

// Error formats the status and the ErrorResponse on one line.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "control: %s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	for _, part := range []string{e.Message, e.Reason} {
		if part != "" {
			b.WriteString(": ")
			b.WriteString(part)
		}
	}
	if e.Message == "" && e.Reason == "" && len(e.Body) > 0 {
		fmt.Fprintf(&b, ": %.200s", bytes.TrimSpace(e.Body))
	}
	return b.String()
}

// errorResponse is the emulator's ErrorResponse body.
type errorResponse struct {
	OperationId string
	Error       string
	Reason      string
	Resolution  string
}

// call is one request to the control API.
type call struct {
	method string
	path   string     // under Prefix, e.g. "/clock"
	query  url.Values // nil for none
	body   any        // marshalled as JSON; nil sends no body
	// into receives the decoded answer: nil ignores it, *[]byte takes it raw.
	into any
}

// do sends cl and decodes a 2xx answer into cl.into, or returns an error:
// an *APIError for another status, a wrapped transport or decoding error
// otherwise.
func (c *Client) do(ctx context.Context, cl call) error {
	path := Prefix + cl.path
	u := c.base + path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var body io.Reader
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return fmt.Errorf("control: %s %s: encode body: %w", cl.method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return fmt.Errorf("control: %s %s: %w", cl.method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("control: %s %s: %w", cl.method, path, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(cl.method, path, resp)
	}
	switch into := cl.into.(type) {
	case nil:
		// Drain, so the connection can be reused.
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	case *[]byte:
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return fmt.Errorf("control: %s %s: read answer: %w", cl.method, path, err)
		}
		*into = b
		return nil
	default:
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			return fmt.Errorf("control: %s %s: decode answer: %w", cl.method, path, err)
		}
		return nil
	}
}

// newAPIError reads an error answer. A body that is not an ErrorResponse
// is kept in Body only.
func newAPIError(method, path string, resp *http.Response) *APIError {
	e := &APIError{Method: method, Path: path, Status: resp.StatusCode}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e.Body = b
	var er errorResponse
	if json.Unmarshal(b, &er) == nil {
		e.Message, e.Reason, e.Resolution, e.OperationId = er.Error, er.Reason, er.Resolution, er.OperationId
	}
	return e
}

// Health reports whether the emulator answers its health check
// (GET /_emulator/health): nil once it is ready.
func (c *Client) Health(ctx context.Context) error {
	var body struct{ Status string }
	if err := c.do(ctx, call{method: http.MethodGet, path: "/health", into: &body}); err != nil {
		return err
	}
	if body.Status != "ok" {
		return fmt.Errorf("control: GET %s/health: status %q, want \"ok\"", Prefix, body.Status)
	}
	return nil
}

// OpenAPI returns the OpenAPI document of the emulated API the emulator
// serves (GET /_emulator/openapi.json), as JSON bytes.
func (c *Client) OpenAPI(ctx context.Context) ([]byte, error) {
	return c.document(ctx, "/openapi.json")
}

// ControlOpenAPI returns the OpenAPI 3.1 document of the control API itself
// (GET /_emulator/openapi-control.json), made from the same table as its
// routes.
func (c *Client) ControlOpenAPI(ctx context.Context) ([]byte, error) {
	return c.document(ctx, "/openapi-control.json")
}

// document reads a JSON document of the control API as it is.
func (c *Client) document(ctx context.Context, path string) ([]byte, error) {
	var doc []byte
	if err := c.do(ctx, call{method: http.MethodGet, path: path, into: &doc}); err != nil {
		return nil, err
	}
	if !json.Valid(doc) {
		return nil, errors.New("control: GET " + Prefix + path + ": the answer is not JSON")
	}
	return doc, nil
}

// Reset returns the emulator to its start state (POST /_emulator/reset):
// data, fault rules, journal and events cleared, fixtures reloaded, clock
// and settings back to how the emulator started.
func (c *Client) Reset(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodPost, path: "/reset"})
}
