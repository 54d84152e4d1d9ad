package control

import (
	"context"
	"net/http"
	"net/url"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// AddVirtualClient adds a virtual client (POST /_emulator/virtual-clients):
// a client session the emulator drives itself, registering it and posting
// heartbeats on the emulator clock as vc's script says. It returns the
// client as stored, with its Id (made when vc.Id is empty), its Interval and
// Start filled in and its Progress: with a Start of now (the default) it has
// registered and posted its first heartbeat when AddVirtualClient returns.
// A bad client (unknown group or surface, Interval of zero or below, steps
// out of order, a score outside 0 to 100, a session another virtual client
// drives, ...) is a 400 *APIError, an Id in use a 409; nothing is added.
func (c *Client) AddVirtualClient(ctx context.Context, vc fixture.VirtualClient) (fixture.VirtualClient, error) {
	var added fixture.VirtualClient
	if err := c.do(ctx, call{method: http.MethodPost, path: "/virtual-clients", body: vc, into: &added}); err != nil {
		return fixture.VirtualClient{}, err
	}
	return added, nil
}

// VirtualClients lists the virtual clients in the order they were added
// (GET /_emulator/virtual-clients), each with its Progress up to now.
func (c *Client) VirtualClients(ctx context.Context) ([]fixture.VirtualClient, error) {
	var list []fixture.VirtualClient
	if err := c.do(ctx, call{method: http.MethodGet, path: "/virtual-clients", into: &list}); err != nil {
		return nil, err
	}
	return list, nil
}

// VirtualClient reads one virtual client (GET
// /_emulator/virtual-clients/{id}); an unknown id is a 404 *APIError.
func (c *Client) VirtualClient(ctx context.Context, id string) (fixture.VirtualClient, error) {
	var vc fixture.VirtualClient
	if err := c.do(ctx, call{method: http.MethodGet, path: "/virtual-clients/" + url.PathEscape(id), into: &vc}); err != nil {
		return fixture.VirtualClient{}, err
	}
	return vc, nil
}

// RemoveVirtualClient stops a virtual client (DELETE
// /_emulator/virtual-clients/{id}). Its session stays and lapses after the
// group's FailoverTimeout, as a real client's does when its process is
// killed; with leave, the client deletes its session first, as a Leave step
// would. An unknown id is a 404 *APIError.
func (c *Client) RemoveVirtualClient(ctx context.Context, id string, leave bool) error {
	var q url.Values
	if leave {
		q = url.Values{"leave": {"true"}}
	}
	return c.do(ctx, call{method: http.MethodDelete, path: "/virtual-clients/" + url.PathEscape(id), query: q})
}
