package control

import (
	"context"
	"net/http"
	"net/url"

	"github.com/adh-emulator/clientfailover/emulator/faults"
)

// AddFault adds a fault rule after the existing ones (POST
// /_emulator/faults) and returns it as the emulator keeps it, with its Id
// (assigned when rule.ID is empty). An invalid rule is refused with a 400
// *APIError, a rule whose Id is taken with a 409.
func (c *Client) AddFault(ctx context.Context, rule faults.Rule) (faults.Rule, error) {
	var added faults.Rule
	if err := c.do(ctx, call{method: http.MethodPost, path: "/faults", body: rule, into: &added}); err != nil {
		return faults.Rule{}, err
	}
	return added, nil
}

// Faults lists the fault rules in the order they apply (GET
// /_emulator/faults), with how often each has fired and how many firings
// remain.
func (c *Client) Faults(ctx context.Context) ([]faults.Rule, error) {
	var rules []faults.Rule
	if err := c.do(ctx, call{method: http.MethodGet, path: "/faults", into: &rules}); err != nil {
		return nil, err
	}
	return rules, nil
}

// Fault reads one fault rule (GET /_emulator/faults/{id}); an unknown id is
// a 404 *APIError.
func (c *Client) Fault(ctx context.Context, id string) (faults.Rule, error) {
	var rule faults.Rule
	if err := c.do(ctx, call{method: http.MethodGet, path: "/faults/" + url.PathEscape(id), into: &rule}); err != nil {
		return faults.Rule{}, err
	}
	return rule, nil
}

// RemoveFault removes one fault rule (DELETE /_emulator/faults/{id}); an
// unknown id is a 404 *APIError.
func (c *Client) RemoveFault(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/faults/" + url.PathEscape(id)})
}

// ClearFaults removes every fault rule (DELETE /_emulator/faults).
func (c *Client) ClearFaults(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/faults"})
}
