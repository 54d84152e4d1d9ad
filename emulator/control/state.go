package control

import (
	"context"
	"net/http"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// State returns the emulator's whole state (GET /_emulator/state) in the
// format of a fixture file: every namespace with its groups, their
// sessions and failover state, and the identities.
func (c *Client) State(ctx context.Context) (fixture.Document, error) {
	var doc fixture.Document
	if err := c.do(ctx, call{method: http.MethodGet, path: "/state", into: &doc}); err != nil {
		return fixture.Document{}, err
	}
	return doc, nil
}

// SetState replaces the emulator's whole state with doc (PUT
// /_emulator/state). A document the emulator cannot load is refused with a
// 400 *APIError and changes nothing. SetState also clears the failover
// events; fault rules, the journal, the clock and the settings are not
// part of the state and stay as they are.
func (c *Client) SetState(ctx context.Context, doc fixture.Document) error {
	return c.do(ctx, call{method: http.MethodPut, path: "/state", body: doc})
}
