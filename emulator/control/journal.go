package control

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/adh-emulator/clientfailover/emulator/journal"
)

// RequestsOption shapes a Requests call: which page of the journal it reads.
type RequestsOption func(*requestsPage)

type requestsPage struct {
	after uint64
	limit int
}

// After makes Requests list only the entries whose Seq is greater than
// seq: the entries recorded since a Seq a test has seen, or the next page
// after a page's last entry.
func After(seq uint64) RequestsOption {
	return func(p *requestsPage) { p.after = seq }
}

// Limit makes Requests list at most n entries, one page: call again with
// After(the last entry's Seq) for the next, until a page comes back shorter
// than n. An n below 1 is no limit.
func Limit(n int) RequestsOption {
	return func(p *requestsPage) { p.limit = n }
}

// requestsPageSize is how many entries Requests asks for at a time when
// it lists them all.
const requestsPageSize = 500

// Requests lists the calls to the emulated API that f selects, oldest
// first (GET /_emulator/requests), and how many entries the bounded
// journal has dropped for room since it was last cleared. The zero Filter
// selects every entry; f.Status journal.StatusDropped selects the requests
// whose connection a fault rule dropped. Without Limit it reads every
// selected entry, page by page; with Limit, one page (see After).
func (c *Client) Requests(ctx context.Context, f journal.Filter, opts ...RequestsOption) ([]journal.Entry, uint64, error) {
	var p requestsPage
	for _, opt := range opts {
		opt(&p)
	}
	if p.limit > 0 {
		page, err := c.requestsPage(ctx, f, p.after, p.limit)
		return page.Entries, page.Dropped, err
	}
	all := []journal.Entry{}
	after := p.after
	for {
		page, err := c.requestsPage(ctx, f, after, requestsPageSize)
		if err != nil {
			return nil, 0, err
		}
		all = append(all, page.Entries...)
		if page.Next == 0 {
			return all, page.Dropped, nil
		}
		after = page.Next
	}
}

// requestsPage reads one page of the journal.
func (c *Client) requestsPage(ctx context.Context, f journal.Filter, after uint64, limit int) (journal.Page, error) {
	q := filterQuery(f)
	if after > 0 {
		q.Set("after", strconv.FormatUint(after, 10))
	}
	q.Set("limit", strconv.Itoa(limit))
	var body struct {
		Requests []journal.Entry
		Dropped  uint64
		Next     *uint64
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/requests", query: q, into: &body}); err != nil {
		return journal.Page{}, err
	}
	page := journal.Page{Entries: body.Requests, Dropped: body.Dropped}
	if page.Entries == nil {
		page.Entries = []journal.Entry{}
	}
	if body.Next != nil {
		page.Next = *body.Next
	}
	return page, nil
}

// CountRequests counts the calls to the emulated API that f selects (GET
// /_emulator/requests/count), without listing them: a test's "was it
// called exactly N times" check.
func (c *Client) CountRequests(ctx context.Context, f journal.Filter) (int, error) {
	var body struct{ Count int }
	if err := c.do(ctx, call{method: http.MethodGet, path: "/requests/count", query: filterQuery(f), into: &body}); err != nil {
		return 0, err
	}
	return body.Count, nil
}

// filterQuery is f as the journal's query parameters.
func filterQuery(f journal.Filter) url.Values {
	q := url.Values{}
	set := func(key, value string) {
		if value != "" {
			q.Set(key, value)
		}
	}
	set("operation", string(f.Operation))
	set("method", f.Method)
	set("path", f.Path)
	set("tenant", f.Tenant)
	set("namespace", f.Namespace)
	set("surface", f.Surface)
	switch {
	case f.Status == journal.StatusDropped:
		q.Set("status", "0") // the control API's name for dropped connections
	case f.Status != 0:
		q.Set("status", strconv.Itoa(f.Status))
	}
	return q
}

// ClearRequests empties the request journal (DELETE /_emulator/requests).
// Entry numbers (Seq) go on from where they were.
func (c *Client) ClearRequests(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/requests"})
}
