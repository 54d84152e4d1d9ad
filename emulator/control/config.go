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
}

// configJSON is a Config's wire shape: durations as time-spans.
type configJSON struct {
	HeartbeatMinInterval string
}

func (w configJSON) config(method string) (Config, error) {
	d, err := timefmt.ParseSpanOrDuration(w.HeartbeatMinInterval)
	if err != nil {
		return Config{}, fmt.Errorf("control: %s %s/config: HeartbeatMinInterval: %w", method, Prefix, err)
	}
	return Config{HeartbeatMinInterval: d}, nil
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
	body := struct{ HeartbeatMinInterval string }{d.String()}
	var w configJSON
	if err := c.do(ctx, call{method: http.MethodPut, path: "/config", body: body, into: &w}); err != nil {
		return Config{}, err
	}
	return w.config(http.MethodPut)
}
