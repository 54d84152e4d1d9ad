// Package journal keeps the request journal: a record of every call to the
// emulated API, which tests read through the control API
// (GET /_emulator/requests) to check what a client actually sent.
//
// The journal is bounded: it keeps the newest entries and counts the ones
// it dropped, and it keeps at most a set number of bytes of each request
// body. Recording is on every request's path, so Record only copies; the
// work of presenting bodies as JSON or text happens when entries are listed.
package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/emulator/ring"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// The limits New uses when given 0 or less.
const (
	// DefaultMaxEntries is how many entries a journal keeps by default.
	DefaultMaxEntries = 10000
	// DefaultMaxBody is how many bytes of each request body a journal keeps
	// by default (64 KiB).
	DefaultMaxBody = 64 << 10
)

// Entry is one call to the emulated API.
type Entry struct {
	// Seq numbers the entries of a journal from 1, in the order recorded.
	// It keeps counting across Clear, so a reader can tell new entries
	// from ones it has seen.
	Seq uint64
	// Time is when the request arrived, on the emulator's clock.
	Time time.Time
	// Method, Path and Query are the request's HTTP method, URL path and
	// raw query (without "?").
	Method string
	Path   string
	Query  string
	// Operation is the operation the request was routed to, "" when none.
	Operation operation.Name
	// Tenant and Namespace are taken from the path, "" when it has none.
	Tenant    string
	Namespace string
	// Status is the HTTP status answered, 0 when the connection was
	// dropped without a response.
	Status int
	// Duration is how long the request took to handle.
	Duration time.Duration
	// RequestBody is the request body when it is JSON; nil when the body
	// was empty or is in RequestBodyText. Given to Record, it holds the
	// body as received, whatever its content: List sorts it out.
	RequestBody json.RawMessage
	// RequestBodyText is the request body when it is not JSON, or was cut
	// short and so is no longer whole JSON.
	RequestBodyText string
	// BodyTruncated says the body was longer than the journal keeps and
	// only its beginning is recorded.
	BodyTruncated bool
	// Fault is the Id of the fault rule that fired on the request, "" when
	// none did.
	Fault string
	// Virtual marks a request made by one of the emulator's virtual
	// clients rather than received over HTTP: it went through the same
	// rules, at the instant in Time, but no fault rule applied to it.
	Virtual bool
}

// Journal is a bounded record of requests, newest last. It is safe for
// concurrent use; make one with New.
type Journal struct {
	maxBody int

	// mu guards lastSeq. Record also holds it while adding to entries, so
	// entries are stored in Seq order, and List while reading entries, so
	// the entries and the drop count it returns agree.
	mu      sync.Mutex
	lastSeq uint64
	entries *ring.Buffer[Entry]
}

// New returns an empty journal that keeps at most maxEntries entries and
// maxBody bytes of each request body. A value of 0 or less selects
// DefaultMaxEntries or DefaultMaxBody.
func New(maxEntries, maxBody int) *Journal {
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	return &Journal{maxBody: maxBody, entries: ring.New[Entry](maxEntries)}
}

// Record adds e to the journal, dropping the oldest entry when the journal
// is full, and returns the Seq it gave e. It copies at most the journal's
// body limit of e.RequestBody, marking e.BodyTruncated when it cut the body
// short, and ignores e.Seq and e.RequestBodyText.
func (j *Journal) Record(e Entry) uint64 {
	body := e.RequestBody
	if len(body) > j.maxBody {
		body = body[:j.maxBody]
		e.BodyTruncated = true
	}
	e.RequestBody = nil
	if len(body) > 0 {
		// The caller may reuse its buffer; the journal keeps its own copy.
		e.RequestBody = bytes.Clone(body)
	}
	e.RequestBodyText = ""

	j.mu.Lock()
	defer j.mu.Unlock()
	j.lastSeq++
	e.Seq = j.lastSeq
	j.entries.Add(e)
	return e.Seq
}

// List returns the entries f selects, oldest first, and how many entries
// the journal has dropped for room since it was made or last cleared. The
// entries share nothing with the journal. A Filter whose Path is not a
// valid pattern selects nothing (ParseFilter reports such patterns).
func (j *Journal) List(f Filter) (entries []Entry, dropped uint64) {
	j.mu.Lock()
	all := j.entries.Snapshot()
	dropped = j.entries.Dropped()
	j.mu.Unlock()

	path, err := faults.CompilePathPattern(f.Path)
	if err != nil {
		return []Entry{}, dropped
	}
	entries = all[:0] // filter in place: all is already a copy
	for _, e := range all {
		if f.matches(e, path) {
			presentBody(&e)
			entries = append(entries, e)
		}
	}
	// Let the entries filtered out be garbage collected.
	clear(all[len(entries):])
	return entries, dropped
}

// Clear removes every entry and sets the drop count to zero. Seq goes on
// counting from where it was.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries.Clear()
}

// presentBody puts a recorded body where Entry documents it: in RequestBody
// when it is whole JSON, in RequestBodyText otherwise. The body bytes are
// copied so the caller may change them.
func presentBody(e *Entry) {
	body := e.RequestBody
	switch {
	case len(body) == 0:
		e.RequestBody = nil
	case !e.BodyTruncated && json.Valid(body):
		e.RequestBody = slices.Clone(body)
	default:
		e.RequestBody = nil
		e.RequestBodyText = string(body)
	}
}

// ErrInvalidFilter is wrapped by ParseFilter's errors.
var ErrInvalidFilter = errors.New("invalid request filter")

// StatusDropped is the Filter.Status that selects the requests whose
// connection was dropped, which are recorded with Status 0.
const StatusDropped = -1

// Filter selects journal entries. An empty field selects everything; an
// entry must match every field that is set.
type Filter struct {
	// Operation selects entries of this operation.
	Operation operation.Name
	// Method selects entries with this HTTP method, ignoring case.
	Method string
	// Path is a glob over the request path, ignoring case: "*" matches one
	// segment and "**" any number (see faults.PathPattern).
	Path string
	// Status, when not 0, selects entries with this HTTP status;
	// StatusDropped selects dropped connections.
	Status int
}

// ParseFilter reads a Filter from the query of GET /_emulator/requests:
// the keys operation, method, path and status (status=0 selects dropped
// connections). Other keys are ignored. The error, which wraps
// ErrInvalidFilter, says what was wrong, fit for an HTTP 400 response.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{
		Operation: operation.Name(q.Get("operation")),
		Method:    q.Get("method"),
		Path:      q.Get("path"),
	}
	if f.Operation != "" && !f.Operation.Valid() {
		return Filter{}, fmt.Errorf("%w: operation %q is not an operation of the emulated API%s",
			ErrInvalidFilter, f.Operation, f.Operation.Hint())
	}
	if _, err := faults.CompilePathPattern(f.Path); err != nil {
		return Filter{}, fmt.Errorf("%w: path: %w", ErrInvalidFilter, err)
	}
	if text := q.Get("status"); text != "" {
		status, err := strconv.Atoi(text)
		switch {
		case err != nil:
			return Filter{}, fmt.Errorf("%w: status %q is not a whole number", ErrInvalidFilter, text)
		case status == 0:
			f.Status = StatusDropped
		case status < 100 || status > 599:
			return Filter{}, fmt.Errorf("%w: status %d is not an HTTP status (100 to 599, or 0 for dropped connections)", ErrInvalidFilter, status)
		default:
			f.Status = status
		}
	}
	return f, nil
}

// matches reports whether e satisfies f, whose Path is compiled as path.
func (f Filter) matches(e Entry, path faults.PathPattern) bool {
	switch {
	case f.Operation != "" && f.Operation != e.Operation:
		return false
	case f.Method != "" && !strings.EqualFold(f.Method, e.Method):
		return false
	case f.Status == StatusDropped && e.Status != 0:
		return false
	case f.Status > 0 && f.Status != e.Status:
		return false
	}
	return path.Match(e.Path)
}

// entryJSON is an Entry's wire shape. Every property is written, absent
// ones as null.
type entryJSON struct {
	Seq             uint64          `json:"Seq"`
	Time            string          `json:"Time"` // RFC 3339 with fractional seconds
	Method          string          `json:"Method"`
	Path            string          `json:"Path"`
	Query           *string         `json:"Query"`
	Operation       *string         `json:"Operation"`
	Tenant          *string         `json:"Tenant"`
	Namespace       *string         `json:"Namespace"`
	Status          int             `json:"Status"`
	Duration        string          `json:"Duration"` // a time-span
	DurationMs      float64         `json:"DurationMs"`
	RequestBody     json.RawMessage `json:"RequestBody"`
	RequestBodyText *string         `json:"RequestBodyText"`
	BodyTruncated   bool            `json:"BodyTruncated"`
	Fault           *string         `json:"Fault"`
	Virtual         bool            `json:"Virtual"`
}

// MarshalJSON writes e in the control API's shape: Time in RFC 3339 with
// nanoseconds, Duration both as a time-span and as DurationMs, a float
// number of milliseconds, and empty strings as null. A RequestBody that is
// not JSON is written as RequestBodyText.
func (e Entry) MarshalJSON() ([]byte, error) {
	presentBody(&e) // for entries made by hand rather than listed
	return json.Marshal(entryJSON{
		Seq:             e.Seq,
		Time:            e.Time.Format(time.RFC3339Nano),
		Method:          e.Method,
		Path:            e.Path,
		Query:           nullable(e.Query),
		Operation:       nullable(string(e.Operation)),
		Tenant:          nullable(e.Tenant),
		Namespace:       nullable(e.Namespace),
		Status:          e.Status,
		Duration:        timefmt.FormatSpan(e.Duration),
		DurationMs:      float64(e.Duration) / float64(time.Millisecond),
		RequestBody:     e.RequestBody,
		RequestBodyText: nullable(e.RequestBodyText),
		BodyTruncated:   e.BodyTruncated,
		Fault:           nullable(e.Fault),
		Virtual:         e.Virtual,
	})
}

// UnmarshalJSON reads an entry written by MarshalJSON, so Go clients of the
// control API can decode the journal into Entry values.
func (e *Entry) UnmarshalJSON(data []byte) error {
	var w entryJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("journal entry: %w", err)
	}
	var t time.Time
	if w.Time != "" {
		var err error
		if t, err = time.Parse(time.RFC3339Nano, w.Time); err != nil {
			return fmt.Errorf("journal entry: Time: %w", err)
		}
	}
	d := time.Duration(w.DurationMs * float64(time.Millisecond))
	if w.Duration != "" {
		var err error
		if d, err = timefmt.ParseSpanOrDuration(w.Duration); err != nil {
			return fmt.Errorf("journal entry: Duration: %w", err)
		}
	}
	body := w.RequestBody
	if bytes.Equal(body, []byte("null")) {
		body = nil
	}
	*e = Entry{
		Seq:             w.Seq,
		Time:            t,
		Method:          w.Method,
		Path:            w.Path,
		Query:           deref(w.Query),
		Operation:       operation.Name(deref(w.Operation)),
		Tenant:          deref(w.Tenant),
		Namespace:       deref(w.Namespace),
		Status:          w.Status,
		Duration:        d,
		RequestBody:     body,
		RequestBodyText: deref(w.RequestBodyText),
		BodyTruncated:   w.BodyTruncated,
		Fault:           deref(w.Fault),
		Virtual:         w.Virtual,
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

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
