package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/ids"
)

// Event is one failover role change, as GET /_emulator/events lists it and
// GET /_emulator/events/stream sends it.
type Event struct {
	// Seq numbers the changes from 1 in the order the emulator recorded
	// them (time order). It goes on across resets, so it never names two
	// changes of one emulator process.
	Seq uint64
	// Time is when the change happened on the emulator clock; a change
	// caused by a lapse is dated at the lapse instant.
	Time time.Time
	// OnPremises marks a change in the on-premises scope, which has no
	// tenant or namespace (both are "" then).
	OnPremises bool
	// Tenant, Namespace, Group and Session say whose role changed.
	Tenant    string
	Namespace string
	Group     string
	Session   string
	// From and To are the roles before and after: "Secondary", "Primary"
	// or "PendingPrimary".
	From string
	To   string
	// Rule is the rule of the failover model that made the change:
	// "Override", "OverrideExpired", "OnlyClient", "FirstPrimary",
	// "NoPrimary", "WeakPrimary", "HandOver", "Lapsed" or "SessionDeleted".
	Rule string
}

// eventList is the body of GET /_emulator/events.
type eventList struct {
	Events  []Event
	Dropped uint64
	LastSeq uint64
}

// Events lists the failover role changes, oldest first (GET
// /_emulator/events), and how many older events were dropped for room.
func (c *Client) Events(ctx context.Context) ([]Event, uint64, error) {
	var body eventList
	if err := c.do(ctx, call{method: http.MethodGet, path: "/events", into: &body}); err != nil {
		return nil, 0, err
	}
	if body.Events == nil {
		body.Events = []Event{}
	}
	return body.Events, body.Dropped, nil
}

// LastSeq is the Seq of the newest role change the emulator has recorded
// (0 before the first): pass it to Stream or to WaitAfter to see
// only what happens next.
func (c *Client) LastSeq(ctx context.Context) (uint64, error) {
	var body eventList
	// No event is after the largest Seq: the answer is the number alone.
	q := url.Values{"after": {strconv.FormatUint(^uint64(0), 10)}}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/events", query: q, into: &body}); err != nil {
		return 0, err
	}
	return body.LastSeq, nil
}

// ErrStreamEnded is why a stream or a WaitFor ended when the emulator
// closed the connection (it stopped, or the connection broke) rather than
// the caller's context ending.
var ErrStreamEnded = errors.New("the event stream ended")

// Stream delivers the role changes with Seq > after as they happen (GET
// /_emulator/events/stream): first the ones the emulator still has, then
// each new one, in Seq order. Pass 0 for all retained changes, or LastSeq
// for only the ones to come.
//
// The channel is closed when ctx ends or the emulator closes the stream
// (it stopped); an error is returned only when the stream cannot be opened
// (an *APIError for a refusal, such as a missing admin token). A reader
// slower than the changes loses nothing: when the emulator cuts the stream
// off ("overflow") Stream reconnects after the last Seq it delivered. A
// Client whose http.Client has a Timeout cuts streams at that timeout.
func (c *Client) Stream(ctx context.Context, after uint64) (<-chan Event, error) {
	s, err := c.stream(ctx, after)
	if err != nil {
		return nil, err
	}
	return s.out, nil
}

// eventStream is one open stream; err says why out was closed.
type eventStream struct {
	out chan Event
	err error // set before out is closed
}

func (c *Client) stream(ctx context.Context, after uint64) (*eventStream, error) {
	resp, err := c.openStream(ctx, after)
	if err != nil {
		return nil, err
	}
	s := &eventStream{out: make(chan Event)}
	go func() {
		defer close(s.out)
		for {
			var overflow bool
			after, overflow, s.err = s.read(ctx, resp, after)
			resp.Body.Close()
			if !overflow {
				return
			}
			if resp, s.err = c.openStream(ctx, after); s.err != nil {
				return
			}
		}
	}()
	return s, nil
}

// openStream starts GET /_emulator/events/stream?after=N.
func (c *Client) openStream(ctx context.Context, after uint64) (*http.Response, error) {
	path := Prefix + "/events/stream"
	u := c.base + path + "?after=" + strconv.FormatUint(after, 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("control: GET %s: %w", path, err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("control: GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, newAPIError(http.MethodGet, path, resp)
	}
	return resp, nil
}

// maxEventLine bounds one line of the stream (a role change is a few
// hundred bytes).
const maxEventLine = 1 << 20

// read delivers the role messages of one connection until it ends. It
// returns the last Seq delivered, whether the emulator cut the stream off
// for a slow reader (reconnect), and otherwise why it ended.
func (s *eventStream) read(ctx context.Context, resp *http.Response, after uint64) (uint64, bool, error) {
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 4096), maxEventLine)
	var kind string
	var data []string
	for sc.Scan() {
		line := sc.Text()
		if line != "" {
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "event":
				kind = value
			case "data":
				data = append(data, value)
			}
			continue
		}
		// A blank line ends a message.
		switch kind {
		case "role":
			var e Event
			if err := json.Unmarshal([]byte(strings.Join(data, "\n")), &e); err != nil {
				return after, false, fmt.Errorf("control: event stream: a role message is not an event: %w", err)
			}
			select {
			case s.out <- e:
				after = e.Seq
			case <-ctx.Done():
				return after, false, ctx.Err()
			}
		case "overflow":
			return after, true, nil
		}
		kind, data = "", data[:0]
	}
	if err := ctx.Err(); err != nil {
		return after, false, err
	}
	if err := sc.Err(); err != nil {
		return after, false, fmt.Errorf("control: event stream: %w: %w", ErrStreamEnded, err)
	}
	return after, false, fmt.Errorf("control: event stream: %w", ErrStreamEnded)
}

// WaitOption changes what WaitFor considers.
type WaitOption func(*waitOptions)

type waitOptions struct {
	after    uint64
	hasAfter bool
}

// WaitAfter makes WaitFor consider the role changes with Seq > seq, also those
// that happened before it was called (WaitAfter(0): every retained change),
// instead of only those from the moment it is called. Take seq from
// LastSeq, or an Event's Seq, before doing what should cause the change,
// and nothing can slip between the two.
func WaitAfter(seq uint64) WaitOption {
	return func(o *waitOptions) { o.after, o.hasAfter = seq, true }
}

// WaitFor blocks until a role change for which match returns true, and
// returns it; it reads the event stream, so a test on the real clock waits
// for a failover without polling. It considers the changes recorded from
// the moment it is called (it reads LastSeq first), or those after a Seq
// with WaitAfter. It returns an error wrapping ctx.Err() when ctx ends first,
// ErrStreamEnded when the emulator stopped, or the *APIError of a refused
// stream.
func (c *Client) WaitFor(ctx context.Context, match func(Event) bool, opts ...WaitOption) (Event, error) {
	var o waitOptions
	for _, opt := range opts {
		opt(&o)
	}
	if !o.hasAfter {
		last, err := c.LastSeq(ctx)
		if err != nil {
			return Event{}, fmt.Errorf("control: wait for a role change: %w", err)
		}
		o.after = last
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := c.stream(ctx, o.after)
	if err != nil {
		return Event{}, fmt.Errorf("control: wait for a role change: %w", err)
	}
	for e := range s.out {
		if match(e) {
			return e, nil
		}
	}
	return Event{}, fmt.Errorf("control: wait for a role change: %w", s.err)
}

// WaitForRole is WaitFor for the change of session in group (in any scope)
// to role ("Primary", "PendingPrimary" or "Secondary"). Ids are compared as
// the emulator compares them (ids.Equal: case does not matter).
func (c *Client) WaitForRole(ctx context.Context, group, session, role string, opts ...WaitOption) (Event, error) {
	return c.WaitFor(ctx, func(e Event) bool {
		return ids.Equal(e.Group, group) && ids.Equal(e.Session, session) && e.To == role
	}, opts...)
}
