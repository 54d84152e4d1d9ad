package control

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// Config holds the emulator's run-time settings (GET /_emulator/config).
type Config struct {
	// HeartbeatMinInterval is the heartbeat rate limit: a heartbeat sooner
	// than this after the same session's previous one gets 429. 0 is off.
	HeartbeatMinInterval time.Duration
	// Auth is how callers of the emulated API are authorised: "none" or
	// "token".
	Auth string
	// StrictBodies refuses unknown request-body properties (400) and
	// bodies that are not Content-Type JSON (415).
	StrictBodies bool
}

// configJSON is a Config's wire shape: durations as time-spans.
type configJSON struct {
	HeartbeatMinInterval string
	Auth                 string
	StrictBodies         bool
}

func (w configJSON) config(method string) (Config, error) {
	d, err := timefmt.ParseSpanOrDuration(w.HeartbeatMinInterval)
	if err != nil {
		return Config{}, fmt.Errorf("control: %s %s/config: HeartbeatMinInterval: %w", method, Prefix, err)
	}
	return Config{HeartbeatMinInterval: d, Auth: w.Auth, StrictBodies: w.StrictBodies}, nil
}

// Config reads the run-time settings (GET /_emulator/config).
func (c *Client) Config(ctx context.Context) (Config, error) {
	var w configJSON
	if err := c.do(ctx, call{method: http.MethodGet, path: "/config", into: &w}); err != nil {
		return Config{}, err
	}
	return w.config(http.MethodGet)
}

// SetHeartbeatMinInterval sets the heartbeat rate limit (PUT
// /_emulator/config) and returns the settings after the change; 0 turns
// it off and a negative d is refused with a 400 *APIError. Reset restores
// the value the emulator started with.
func (c *Client) SetHeartbeatMinInterval(ctx context.Context, d time.Duration) (Config, error) {
	return c.putConfig(ctx, struct{ HeartbeatMinInterval string }{d.String()})
}

// SetAuth switches authorisation at run time (PUT /_emulator/config):
// "token" requires bearer tokens and enforces access control lists, "none"
// lets every caller act as a tenant administrator. Reset restores the mode
// the emulator started with.
func (c *Client) SetAuth(ctx context.Context, mode string) (Config, error) {
	return c.putConfig(ctx, struct{ Auth string }{mode})
}

// SetStrictBodies turns strict bodies on or off (PUT /_emulator/config):
// on, an unknown request-body property is a 400 naming it and a body that
// is not Content-Type JSON a 415, where the service ignores both. Reset
// restores the setting the emulator started with.
func (c *Client) SetStrictBodies(ctx context.Context, on bool) (Config, error) {
	return c.putConfig(ctx, struct{ StrictBodies bool }{on})
}

func (c *Client) putConfig(ctx context.Context, body any) (Config, error) {
	var w configJSON
	if err := c.do(ctx, call{method: http.MethodPut, path: "/config", body: body, into: &w}); err != nil {
		return Config{}, err
	}
	return w.config(http.MethodPut)
}
