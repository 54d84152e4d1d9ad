package control

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/adh-emulator/clientfailover/emulator/journal"
)

// Requests lists the calls to the emulated API that f selects, oldest
// first (GET /_emulator/requests), and how many entries the bounded
// journal has dropped for room since it was last cleared. The zero Filter
// selects every entry; f.Status journal.StatusDropped selects the requests
// whose connection a fault rule dropped.
func (c *Client) Requests(ctx context.Context, f journal.Filter) ([]journal.Entry, uint64, error) {
	q := url.Values{}
	if f.Operation != "" {
		q.Set("operation", string(f.Operation))
	}
	if f.Method != "" {
		q.Set("method", f.Method)
	}
	if f.Path != "" {
		q.Set("path", f.Path)
	}
	switch {
	case f.Status == journal.StatusDropped:
		q.Set("status", "0") // the control API's name for dropped connections
	case f.Status != 0:
		q.Set("status", strconv.Itoa(f.Status))
	}
	var body struct {
		Requests []journal.Entry
		Dropped  uint64
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/requests", query: q, into: &body}); err != nil {
		return nil, 0, err
	}
	if body.Requests == nil {
		body.Requests = []journal.Entry{}
	}
	return body.Requests, body.Dropped, nil
}

// ClearRequests empties the request journal (DELETE /_emulator/requests).
// Entry numbers (Seq) go on from where they were.
func (c *Client) ClearRequests(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/requests"})
}
