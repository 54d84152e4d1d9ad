// Package journal keeps the request journal: a record of every call to the
// emulated API, which tests read through the control API
// (GET /_emulator/requests) to check what a client actually sent.
//
// The journal is bounded three ways: in entries, in bytes of each request
// body, and in bytes of all the entries together (bodies, paths, queries and
// ignored property names, plus a fixed amount per entry). Past a bound it
// forgets its oldest entries and counts them as dropped, so a reader can tell
// that older entries are gone. Recording is on every request's path, so
// Record only copies; the work of presenting bodies as JSON or text happens
// when entries are listed. Listing is by pages (ListPage: entries after a
// Seq, at most a number of them), so no listing needs to hold more than a
// page, and Count counts without listing.
package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// The limits New uses for a field of Limits that is 0 or less.
const (
	// DefaultMaxEntries is how many entries a journal keeps by default.
	DefaultMaxEntries = 10000
	// DefaultMaxBody is how many bytes of each request body a journal keeps
	// by default (64 KiB).
	DefaultMaxBody = 64 << 10
	// DefaultMaxBytes is how many bytes all the entries of a journal may
	// hold together by default (32 MiB): their bodies, paths, queries and
	// ignored property names, and EntryOverhead for each.
	DefaultMaxBytes = 32 << 20
)

// EntryOverhead is what each entry counts against Limits.Bytes besides its
// variable-length parts: about what the rest of an Entry takes in memory.
const EntryOverhead = 256

// Limits bound a journal. A field of 0 or less selects its default.
type Limits struct {
	// Entries is the most entries kept (default DefaultMaxEntries).
	Entries int
	// Body is the most bytes kept of one request body (default
	// DefaultMaxBody); the rest is cut off and the entry marked
	// BodyTruncated. It is never more than Bytes.
	Body int
	// Bytes is the most bytes all entries hold together (default
	// DefaultMaxBytes); see Entry.Size.
	Bytes int
}

// Surfaces the journal knows, for Entry.Surface and Filter.Surface.
const (
	SurfacePreview = "preview" // /api/v1-preview
	SurfaceV1      = "v1"      // /api/v1
	SurfaceOnPrem  = "onprem"  // /api/v1/clientfailover (on-premises)
)

// Entry is one call to the emulated API.
type Entry struct {
	// Seq numbers the entries of a journal from 1, in the order recorded.
	// It keeps counting across Clear, so a reader can tell new entries
	// from ones it has seen.
	Seq uint64
	// Time is when the request arrived, on the emulator's clock.
	Time time.Time
	// Method, Path and Query are the request's HTTP method, URL path as
	// sent (percent-escapes kept, so "a%2Fb" stays one segment) and raw
	// query (without "?").
	Method string
	Path   string
	Query  string
	// Operation is the operation the request was routed to, "" when none.
	Operation operation.Name
	// Surface is the surface the request came through: SurfacePreview,
	// SurfaceV1 or SurfaceOnPrem; "" for a path that is no operation.
	Surface string
	// Tenant and Namespace are taken from the path, "" when it has none.
	Tenant    string
	Namespace string
	// Virtual says the request was made by one of the emulator's virtual
	// clients rather than by a caller from outside.
	Virtual bool
	// Status is the HTTP status answered, 0 when the connection was
	// dropped without a response.
	Status int
	// Duration is how long the request took to handle.
	Duration time.Duration
	// BodySize is the size of the request body in bytes, as received; for
	// a body too large to read, its Content-Length, or when it has none
	// the bytes read before giving up. It is kept when the body is not: a
	// request that failed authentication (401) is journaled without its
	// body.
	BodySize int
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
	// IgnoredProperties lists the request-body properties that the
	// operation's schema does not declare and that were ignored, as paths
	// in document order ("Foo", "Trustee.Bar"); nil when none. The journal
	// keeps at most Limits.Body bytes of them.
	IgnoredProperties []string
	// Fault is the Id of the fault rule that fired on the request, "" when
	// none did.
	Fault string
}

// Size is what e counts against Limits.Bytes: its body, path, query and
// ignored property names, and EntryOverhead.
func (e *Entry) Size() int {
	n := EntryOverhead + len(e.RequestBody) + len(e.RequestBodyText) + len(e.Path) + len(e.Query)
	for _, p := range e.IgnoredProperties {
		n += len(p)
	}
	return n
}

// Journal is a bounded record of requests, newest last. It is safe for
// concurrent use; make one with New.
type Journal struct {
	limits Limits

	// mu guards everything below. Record holds it while adding, so entries
	// are stored in Seq order, and listings while reading, so the entries
	// and the drop count they return agree.
	mu sync.Mutex
	// entries is a circle of len(entries) slots, holding count entries
	// from head, oldest first, with Seqs lastSeq-count+1 to lastSeq. It
	// grows by doubling up to limits.Entries slots.
	entries []Entry
	head    int
	count   int
	bytes   int // the Size of the entries held
	lastSeq uint64
	dropped uint64
}

// New returns an empty journal bounded by l.
func New(l Limits) *Journal {
	if l.Entries <= 0 {
		l.Entries = DefaultMaxEntries
	}
	if l.Body <= 0 {
		l.Body = DefaultMaxBody
	}
	if l.Bytes <= 0 {
		l.Bytes = DefaultMaxBytes
	}
	l.Body = min(l.Body, l.Bytes)
	return &Journal{limits: l}
}

// Limits returns the journal's bounds, defaults filled in.
func (j *Journal) Limits() Limits { return j.limits }

// Record adds e to the journal, dropping the oldest entries when the journal
// would hold too many or too many bytes, and returns the Seq it gave e. It
// copies at most the journal's body limit of e.RequestBody, marking
// e.BodyTruncated when it cut the body short, and keeps e.BodySize as given.
// It ignores e.Seq and e.RequestBodyText.
func (j *Journal) Record(e Entry) uint64 {
	body := e.RequestBody
	if len(body) > j.limits.Body {
		body = body[:j.limits.Body]
		e.BodyTruncated = true
	}
	e.RequestBody = nil
	if len(body) > 0 {
		// The caller may reuse its buffer; the journal keeps its own copy.
		e.RequestBody = bytes.Clone(body)
	}
	e.RequestBodyText = ""
	e.IgnoredProperties = boundedNames(e.IgnoredProperties, j.limits.Body)
	// A path or query is bounded by the server's header limit, not by this
	// journal's; cut what would not fit in the journal at all.
	if room := j.limits.Bytes - EntryOverhead - len(e.RequestBody); len(e.Path)+len(e.Query) > room {
		room = max(room, 0)
		e.Path = e.Path[:min(len(e.Path), room)]
		e.Query = e.Query[:min(len(e.Query), room-len(e.Path))]
	}
	size := e.Size()

	j.mu.Lock()
	defer j.mu.Unlock()
	for j.count > 0 && (j.count == j.limits.Entries || j.bytes+size > j.limits.Bytes) {
		j.dropOldest()
	}
	if j.count == len(j.entries) {
		j.grow()
	}
	j.lastSeq++
	e.Seq = j.lastSeq
	j.entries[(j.head+j.count)%len(j.entries)] = e
	j.count++
	j.bytes += size
	return e.Seq
}

// boundedNames returns names, or as many of the first of them as fit in
// limit bytes.
func boundedNames(names []string, limit int) []string {
	if len(names) == 0 {
		return nil
	}
	total := 0
	for i, n := range names {
		if total += len(n); total > limit {
			return slices.Clone(names[:i])
		}
	}
	return slices.Clone(names)
}

// dropOldest forgets the oldest entry; the caller holds mu.
func (j *Journal) dropOldest() {
	j.bytes -= j.entries[j.head].Size()
	j.entries[j.head] = Entry{} // let its body be collected
	j.head = (j.head + 1) % len(j.entries)
	j.count--
	j.dropped++
}

// grow makes room for more entries, up to limits.Entries; the caller holds
// mu and the circle is full.
func (j *Journal) grow() {
	n := min(max(2*len(j.entries), 16), j.limits.Entries)
	grown := make([]Entry, n)
	for i := range j.count {
		grown[i] = j.entries[(j.head+i)%len(j.entries)]
	}
	j.entries, j.head = grown, 0
}

// Page is one page of a listing: the entries selected, oldest first, how
// many entries the journal has dropped for room since it was made or last
// cleared, and where the next page starts.
type Page struct {
	Entries []Entry
	Dropped uint64
	// Next is the Seq to pass as after for the next page: the Seq of the
	// page's last entry when more selected entries follow it, else 0.
	Next uint64
}

// List returns every entry f selects, oldest first, and how many entries
// the journal has dropped for room since it was made or last cleared. The
// entries share nothing with the journal. A Filter whose Path is not a
// valid pattern selects nothing (ParseFilter reports such patterns).
func (j *Journal) List(f Filter) (entries []Entry, dropped uint64) {
	p := j.ListPage(f, 0, 0)
	return p.Entries, p.Dropped
}

// ListPage returns the entries f selects whose Seq is greater than after,
// oldest first, at most limit of them (0 or less: all). The entries share
// nothing with the journal.
func (j *Journal) ListPage(f Filter, after uint64, limit int) Page {
	p := j.View(f, after, limit)
	for i := range p.Entries {
		p.Entries[i].RequestBody = slices.Clone(p.Entries[i].RequestBody)
		p.Entries[i].IgnoredProperties = slices.Clone(p.Entries[i].IgnoredProperties)
	}
	return p
}

// View is ListPage without the copying: the entries' RequestBody and
// IgnoredProperties are the journal's own, which it never changes, and the
// caller must not change either. It serves a listing that writes the
// entries out one by one, so a page costs the journal no second copy of its
// bodies.
func (j *Journal) View(f Filter, after uint64, limit int) Page {
	path, err := faults.CompilePathPattern(f.Path)
	if err != nil {
		j.mu.Lock()
		defer j.mu.Unlock()
		return Page{Entries: []Entry{}, Dropped: j.dropped}
	}
	p := Page{Entries: []Entry{}}
	j.mu.Lock()
	p.Dropped = j.dropped
	for i := j.firstAfter(after); i < j.count; i++ {
		e := &j.entries[(j.head+i)%len(j.entries)]
		if !f.matches(e, path) {
			continue
		}
		if limit > 0 && len(p.Entries) == limit {
			p.Next = p.Entries[len(p.Entries)-1].Seq
			break
		}
		p.Entries = append(p.Entries, *e)
	}
	j.mu.Unlock()
	for i := range p.Entries { // outside the lock: it reads every body
		presentBody(&p.Entries[i])
	}
	return p
}

// Count returns how many entries f selects. A Filter whose Path is not a
// valid pattern selects nothing.
func (j *Journal) Count(f Filter) int {
	path, err := faults.CompilePathPattern(f.Path)
	if err != nil {
		return 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for i := range j.count {
		if f.matches(&j.entries[(j.head+i)%len(j.entries)], path) {
			n++
		}
	}
	return n
}

// firstAfter is the position of the first entry with a Seq greater than
// after; the caller holds mu. Seqs are consecutive, so no search is needed.
func (j *Journal) firstAfter(after uint64) int {
	first := j.lastSeq - uint64(j.count) + 1 // the Seq at position 0
	if after < first {
		return 0
	}
	return int(min(after-first+1, uint64(j.count)))
}

// Clear removes every entry and sets the drop count to zero. Seq goes on
// counting from where it was.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.head, j.count, j.bytes, j.dropped = nil, 0, 0, 0, 0
}

// presentBody puts a recorded body where Entry documents it: in RequestBody
// when it is whole JSON, in RequestBodyText otherwise. RequestBody still
// shares the recorded bytes.
func presentBody(e *Entry) {
	body := e.RequestBody
	switch {
	case len(body) == 0:
		e.RequestBody = nil
	case !e.BodyTruncated && json.Valid(body):
	default:
		e.RequestBody = nil
		e.RequestBodyText = string(body)
	}
}

// ErrInvalidFilter is wrapped by the errors of ParseFilter and
// ParseListQuery.
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
	// Tenant and Namespace select entries of this tenant and namespace,
	// compared as ids are (ids.Equal).
	Tenant    string
	Namespace string
	// Surface selects entries that came through this surface
	// (SurfacePreview, SurfaceV1 or SurfaceOnPrem), ignoring case.
	Surface string
}

// filterKeys are the query keys ParseFilter reads, in the order its errors
// list them.
var filterKeys = []string{"operation", "method", "path", "status", "tenant", "namespace", "surface"}

// surfaces are the values of Filter.Surface.
var surfaces = []string{SurfacePreview, SurfaceV1, SurfaceOnPrem}

// ParseFilter reads a Filter from the query of
// GET /_emulator/requests/count: the keys operation, method, path, status
// (status=0 selects dropped connections), tenant, namespace and surface,
// each at most once. Any other key is an error that names it, so a typo
// never selects everything. The error, which wraps ErrInvalidFilter, says
// what was wrong, fit for an HTTP 400 response.
func ParseFilter(q url.Values) (Filter, error) {
	if err := checkKeys(q, filterKeys); err != nil {
		return Filter{}, err
	}
	f := Filter{
		Operation: operation.Name(q.Get("operation")),
		Method:    q.Get("method"),
		Path:      q.Get("path"),
		Tenant:    q.Get("tenant"),
		Namespace: q.Get("namespace"),
		Surface:   q.Get("surface"),
	}
	if f.Operation != "" && !f.Operation.Valid() {
		return Filter{}, fmt.Errorf("%w: operation %q is not an operation of the emulated API%s",
			ErrInvalidFilter, f.Operation, f.Operation.Hint())
	}
	if _, err := faults.CompilePathPattern(f.Path); err != nil {
		return Filter{}, fmt.Errorf("%w: path: %w", ErrInvalidFilter, err)
	}
	if f.Surface != "" && !slices.ContainsFunc(surfaces, func(s string) bool { return strings.EqualFold(s, f.Surface) }) {
		return Filter{}, fmt.Errorf("%w: surface %q is not a surface of the emulator (%s)", ErrInvalidFilter, f.Surface, strings.Join(surfaces, ", "))
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

// ParseListQuery reads the query of GET /_emulator/requests: a Filter's
// keys (see ParseFilter), after (list the entries whose Seq is greater) and
// limit (at most this many entries, 1 or more; absent: all). Any other key
// is an error that names it.
func ParseListQuery(q url.Values) (f Filter, after uint64, limit int, err error) {
	if err := checkKeys(q, append(slices.Clone(filterKeys), "after", "limit")); err != nil {
		return Filter{}, 0, 0, err
	}
	if text, ok := q["after"]; ok {
		if after, err = strconv.ParseUint(text[0], 10, 64); err != nil {
			return Filter{}, 0, 0, fmt.Errorf("%w: after %q is not a Seq (a whole number of 0 or more)", ErrInvalidFilter, text[0])
		}
	}
	if text, ok := q["limit"]; ok {
		n, err := strconv.Atoi(text[0])
		if err != nil || n < 1 {
			return Filter{}, 0, 0, fmt.Errorf("%w: limit %q is not a whole number of 1 or more", ErrInvalidFilter, text[0])
		}
		limit = n
	}
	rest := url.Values{}
	for k, v := range q {
		if k != "after" && k != "limit" {
			rest[k] = v
		}
	}
	f, err = ParseFilter(rest)
	return f, after, limit, err
}

// checkKeys reports a key of q that is not one of known, or one given more
// than once.
func checkKeys(q url.Values, known []string) error {
	keys := slices.Sorted(maps.Keys(q))
	for _, k := range keys {
		if !slices.Contains(known, k) {
			return fmt.Errorf("%w: %q is not a query parameter of the journal (known: %s)", ErrInvalidFilter, k, strings.Join(known, ", "))
		}
		if len(q[k]) > 1 {
			return fmt.Errorf("%w: %q is given %d times; give it once", ErrInvalidFilter, k, len(q[k]))
		}
	}
	return nil
}

// matches reports whether e satisfies f, whose Path is compiled as path.
func (f Filter) matches(e *Entry, path faults.PathPattern) bool {
	switch {
	case f.Operation != "" && f.Operation != e.Operation:
		return false
	case f.Method != "" && !strings.EqualFold(f.Method, e.Method):
		return false
	case f.Status == StatusDropped && e.Status != 0:
		return false
	case f.Status > 0 && f.Status != e.Status:
		return false
	case f.Tenant != "" && !ids.Equal(f.Tenant, e.Tenant):
		return false
	case f.Namespace != "" && !ids.Equal(f.Namespace, e.Namespace):
		return false
	case f.Surface != "" && !ids.Equal(f.Surface, e.Surface):
		return false
	}
	return path.Match(e.Path)
}

// entryJSON is an Entry's wire shape. Every property is written, absent
// ones as null.
type entryJSON struct {
	Seq               uint64          `json:"Seq"`
	Time              string          `json:"Time"` // RFC 3339 with fractional seconds
	Method            string          `json:"Method"`
	Path              string          `json:"Path"`
	Query             *string         `json:"Query"`
	Operation         *string         `json:"Operation"`
	Surface           *string         `json:"Surface"`
	Tenant            *string         `json:"Tenant"`
	Namespace         *string         `json:"Namespace"`
	Virtual           bool            `json:"Virtual"`
	Status            int             `json:"Status"`
	Duration          string          `json:"Duration"` // a time-span
	DurationMs        float64         `json:"DurationMs"`
	BodySize          int             `json:"BodySize"`
	RequestBody       json.RawMessage `json:"RequestBody"`
	RequestBodyText   *string         `json:"RequestBodyText"`
	BodyTruncated     bool            `json:"BodyTruncated"`
	IgnoredProperties []string        `json:"IgnoredProperties"` // [] when none
	Fault             *string         `json:"Fault"`
}

// MarshalJSON writes e in the control API's shape: Time in RFC 3339 with
// nanoseconds, Duration both as a time-span and as DurationMs, a float
// number of milliseconds, and empty strings as null. A RequestBody that is
// not JSON is written as RequestBodyText.
func (e Entry) MarshalJSON() ([]byte, error) {
	presentBody(&e) // for entries made by hand rather than listed
	ignored := e.IgnoredProperties
	if ignored == nil {
		ignored = []string{}
	}
	return json.Marshal(entryJSON{
		Seq:               e.Seq,
		Time:              e.Time.Format(time.RFC3339Nano),
		Method:            e.Method,
		Path:              e.Path,
		Query:             nullable(e.Query),
		Operation:         nullable(string(e.Operation)),
		Surface:           nullable(e.Surface),
		Tenant:            nullable(e.Tenant),
		Namespace:         nullable(e.Namespace),
		Virtual:           e.Virtual,
		Status:            e.Status,
		Duration:          timefmt.FormatSpan(e.Duration),
		DurationMs:        float64(e.Duration) / float64(time.Millisecond),
		BodySize:          e.BodySize,
		RequestBody:       e.RequestBody,
		RequestBodyText:   nullable(e.RequestBodyText),
		BodyTruncated:     e.BodyTruncated,
		IgnoredProperties: ignored,
		Fault:             nullable(e.Fault),
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
	var ignored []string
	if len(w.IgnoredProperties) > 0 {
		ignored = w.IgnoredProperties
	}
	*e = Entry{
		Seq:               w.Seq,
		Time:              t,
		Method:            w.Method,
		Path:              w.Path,
		Query:             deref(w.Query),
		Operation:         operation.Name(deref(w.Operation)),
		Surface:           deref(w.Surface),
		Tenant:            deref(w.Tenant),
		Namespace:         deref(w.Namespace),
		Virtual:           w.Virtual,
		Status:            w.Status,
		Duration:          d,
		BodySize:          w.BodySize,
		RequestBody:       body,
		RequestBodyText:   deref(w.RequestBodyText),
		BodyTruncated:     w.BodyTruncated,
		IgnoredProperties: ignored,
		Fault:             deref(w.Fault),
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
