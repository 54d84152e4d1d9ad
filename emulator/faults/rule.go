// Package faults holds the emulator's fault rules: instructions to answer
// some requests to the emulated API with an error, a delay, extra headers or
// a dropped connection, so clients can be tested against a misbehaving
// service.
//
// A Rule says which requests it applies to (Match) and what happens to them
// (Action). A Set keeps rules in the order they were added; for each request
// the server asks Set.Match for the first rule that matches and fires, as
// the README's Faults section specifies. This package decides which rule fires; applying
// the action is the HTTP layer's job.
//
// Rules are read and written as JSON with PascalCase names, the shape of the
// control API's /_emulator/faults:
//
//	{"Id": "slow-status",
//	 "Match": {"Operation": "GetGroupStatus", "Path": "/api/**", "Tenant": "t1"},
//	 "Action": {"Status": 503, "Delay": "00:00:02", "Headers": {"Retry-After": "1"}},
//	 "Times": 3, "Probability": 0.5, "Seed": 7}
package faults

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/emulator/strictjson"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// MaxDelay is the longest Action.Delay a rule may ask for. Delays are real
// time and hold a request open, so a cap keeps a mistyped rule from hanging
// clients and slowing the emulator's shutdown.
const MaxDelay = 60 * time.Second

// MaxRules is the most rules a Set holds; Add refuses more. Every request
// tries the rules in order, so the bound also bounds that work.
const MaxRules = 1000

// DefaultSeed seeds the random source of a rule that has a Probability but
// no Seed, so such a rule still fires the same way on every run.
const DefaultSeed int64 = 1

// spanResolution is the finest time a time-span can show (.NET's tick).
const spanResolution = 100 * time.Nanosecond

var (
	// ErrInvalid is wrapped by every error that says a rule is malformed,
	// from Rule.Validate, Rule.UnmarshalJSON and Set.Add.
	ErrInvalid = errors.New("invalid fault rule")

	// ErrDuplicate is wrapped by Set.Add's error when the Set already holds
	// a rule with the new rule's Id.
	ErrDuplicate = errors.New("duplicate fault rule Id")

	// ErrFull is wrapped by Set.Add's error when the Set holds MaxRules
	// rules already.
	ErrFull = errors.New("too many fault rules")
)

// Match says which requests a rule applies to. An empty field matches
// anything; a request must match every field that is set.
type Match struct {
	// Operation is the operation's documented name without spaces, for
	// example operation.PostGroup. It is compared exactly.
	Operation operation.Name
	// Method is the HTTP method, compared ignoring case.
	Method string
	// Path is a glob over the request path as sent, percent-escapes
	// included (see PathPattern), compared ignoring case: an id "a/b" is
	// the one segment "a%2Fb", so it cannot slip out of ".../groups/*", and
	// a segment with a space is written "my%20group".
	Path string
	// Tenant and Namespace are identifiers, compared ignoring case as the
	// emulated API compares them (ids.Equal).
	Tenant    string
	Namespace string
}

// Action says what happens to a request a rule fires on. A rule without
// Status and without Drop applies its delay and headers and then lets the
// request be handled normally.
type Action struct {
	// Status, when not 0, answers the request with this HTTP status instead
	// of handling it: 200 to 599 (an informational 1xx is not a final
	// answer).
	Status int
	// Body is the JSON body sent with Status; nil leaves the body to the
	// server. Status 204 and 304 have no body.
	Body json.RawMessage
	// Headers are added to the response; Content-Length and
	// Transfer-Encoding are the server's to set, so a rule may not.
	Headers map[string]string
	// Delay is waited, in real time, before anything else happens.
	Delay time.Duration
	// Drop closes the connection without a response.
	Drop bool
}

// Rule is one fault rule. ID, Match, Action, Times, Probability and Seed are
// what a client writes; Fired and Remaining are kept by the Set.
type Rule struct {
	// ID names the rule in the control API; Set.Add assigns one when empty.
	// It may hold letters, digits and "-", "_", ".", "~" (it appears in URLs).
	ID     string
	Match  Match
	Action Action
	// Times, when not nil, limits the rule to its next Times firings; nil
	// keeps it firing until it is removed.
	Times *int
	// Probability, when not nil, is the chance (0 to 1) that a matching
	// request makes the rule fire; each draw comes from the rule's own
	// random source, seeded by Seed (DefaultSeed when nil).
	Probability *float64
	Seed        *int64
	// Fired counts how often the rule has fired.
	Fired int
	// Remaining is how many more times the rule will fire: Times minus
	// Fired, or nil when Times is nil.
	Remaining *int
}

// Validate reports whether a client may add r. The error, which wraps
// ErrInvalid, names every problem in words fit for an HTTP 400 response.
// Fired and Remaining are not checked: Set.Add resets them.
func (r Rule) Validate() error {
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...))
	}

	if r.ID != "" && !validID(r.ID) {
		bad("Id %q may only contain letters, digits, '-', '_', '.' and '~' (at most %d characters)", r.ID, maxIDLength)
	}

	m := r.Match
	if m.Operation != "" && !m.Operation.Valid() {
		bad("Match.Operation %q is not an operation of the emulated API%s", m.Operation, m.Operation.Hint())
	}
	if m.Method != "" && !isToken(m.Method) {
		bad("Match.Method %q is not an HTTP method", m.Method)
	}
	if _, err := CompilePathPattern(m.Path); err != nil {
		bad("Match.Path: %v", err)
	}

	a := r.Action
	switch {
	case a.Status != 0 && (a.Status < 100 || a.Status > 599):
		bad("Action.Status %d is not an HTTP status (200 to 599)", a.Status)
	case a.Status >= 100 && a.Status < 200:
		bad("Action.Status %d is informational (1xx), not an answer; use 200 to 599", a.Status)
	}
	if a.Drop && a.Status != 0 {
		bad("Action.Drop closes the connection without a response, so it cannot go with Action.Status")
	}
	if a.Body != nil {
		if a.Status == 0 {
			bad("Action.Body needs Action.Status: without a status the request is handled normally")
		}
		if !json.Valid(a.Body) {
			bad("Action.Body is not valid JSON")
		}
		if a.Status == http.StatusNoContent || a.Status == http.StatusNotModified {
			bad("Action.Body cannot go with Action.Status %d, which has no body", a.Status)
		}
	}
	if len(a.Headers) > 0 && a.Drop {
		bad("Action.Headers cannot be sent when Action.Drop closes the connection")
	}
	for name, value := range a.Headers {
		if !isToken(name) {
			bad("Action.Headers: %q is not a valid header name", name)
		}
		if strings.EqualFold(name, "Content-Length") || strings.EqualFold(name, "Transfer-Encoding") {
			bad("Action.Headers: %q is set by the server from the body; a rule cannot set it", name)
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			bad("Action.Headers: the value of %q contains a line break or NUL", name)
		}
	}
	if a.Delay < 0 {
		bad("Action.Delay %s is negative", timefmt.FormatSpan(a.Delay))
	}
	if a.Delay > MaxDelay {
		bad("Action.Delay %s is longer than the maximum, %s", timefmt.FormatSpan(a.Delay), timefmt.FormatSpan(MaxDelay))
	}

	if r.Times != nil && *r.Times < 0 {
		bad("Times %d is negative", *r.Times)
	}
	// Written so that NaN fails too.
	if p := r.Probability; p != nil && !(*p >= 0 && *p <= 1) {
		bad("Probability %v is not between 0 and 1", *p)
	}

	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
}

const maxIDLength = 100

func validID(id string) bool {
	if len(id) > maxIDLength {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == '~':
		default:
			return false
		}
	}
	return true
}

// isToken reports whether s is an HTTP token (RFC 9110), the syntax of
// methods and header names.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// ruleJSON is a Rule's wire shape. Every property is written, absent ones as
// null, like the emulated API's responses; on input null and "" mean absent.
type ruleJSON struct {
	ID          *string    `json:"Id"`
	Match       matchJSON  `json:"Match"`
	Action      actionJSON `json:"Action"`
	Times       *int       `json:"Times"`
	Probability *float64   `json:"Probability"`
	Seed        *int64     `json:"Seed"`
	Fired       int        `json:"Fired"`
	Remaining   *int       `json:"Remaining"`
}

type matchJSON struct {
	Operation *string `json:"Operation"`
	Method    *string `json:"Method"`
	Path      *string `json:"Path"`
	Tenant    *string `json:"Tenant"`
	Namespace *string `json:"Namespace"`
}

type actionJSON struct {
	Status  *int              `json:"Status"`
	Body    json.RawMessage   `json:"Body"`
	Headers map[string]string `json:"Headers"`
	Delay   *string           `json:"Delay"` // a time-span, or a Go duration on input
	Drop    bool              `json:"Drop"`
}

// MarshalJSON writes r in the control API's shape, Action.Delay as a
// time-span.
func (r Rule) MarshalJSON() ([]byte, error) {
	if p := r.Probability; p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0)) {
		// JSON has no NaN or infinity; say why rather than fail obscurely.
		return nil, fmt.Errorf("%w: Probability %v cannot be written as JSON", ErrInvalid, *p)
	}
	w := ruleJSON{
		ID: nullable(r.ID),
		Match: matchJSON{
			Operation: nullable(string(r.Match.Operation)),
			Method:    nullable(r.Match.Method),
			Path:      nullable(r.Match.Path),
			Tenant:    nullable(r.Match.Tenant),
			Namespace: nullable(r.Match.Namespace),
		},
		Action: actionJSON{
			Body:    r.Action.Body,
			Headers: r.Action.Headers,
			Drop:    r.Action.Drop,
		},
		Times:       r.Times,
		Probability: r.Probability,
		Seed:        r.Seed,
		Fired:       r.Fired,
		Remaining:   r.Remaining,
	}
	if r.Action.Status != 0 {
		w.Action.Status = &r.Action.Status
	}
	if r.Action.Delay != 0 {
		w.Action.Delay = nullable(timefmt.FormatSpan(r.Action.Delay))
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a rule in the control API's shape. Property names are
// matched ignoring case and unknown properties are rejected, so a misspelt
// property fails loudly instead of being ignored. Action.Delay may be a
// time-span or a Go duration; it is kept to the 100 ns a time-span can show.
// UnmarshalJSON checks the types of the values, not their ranges: see
// Validate. Its errors wrap ErrInvalid.
func (r *Rule) UnmarshalJSON(data []byte) error {
	var w ruleJSON
	if err := strictjson.Decode(data, &w); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}

	var delay time.Duration
	if w.Action.Delay != nil && *w.Action.Delay != "" {
		d, err := timefmt.ParseSpanOrDuration(*w.Action.Delay)
		if err != nil {
			return fmt.Errorf("%w: Action.Delay: %w", ErrInvalid, err)
		}
		// A time-span cannot show less; dropping it now keeps JSON round trips exact.
		delay = d.Truncate(spanResolution)
	}
	body := w.Action.Body
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		body = nil
	}

	*r = Rule{
		ID: deref(w.ID),
		Match: Match{
			Operation: operation.Name(deref(w.Match.Operation)),
			Method:    deref(w.Match.Method),
			Path:      deref(w.Match.Path),
			Tenant:    deref(w.Match.Tenant),
			Namespace: deref(w.Match.Namespace),
		},
		Action: Action{
			Status:  deref(w.Action.Status),
			Body:    body,
			Headers: w.Action.Headers,
			Delay:   delay,
			Drop:    w.Action.Drop,
		},
		Times:       w.Times,
		Probability: w.Probability,
		Seed:        w.Seed,
		Fired:       w.Fired,
		Remaining:   w.Remaining,
	}
	return nil
}

// nullable returns nil for "", so the property is written as null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// deref returns *p, or the zero value when p is nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
