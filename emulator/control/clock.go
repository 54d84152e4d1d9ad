package control

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
)

// Clock is the emulator clock as the control API shows it.
type Clock struct {
	// Now is the emulator's current time.
	Now time.Time
	// Mode is clock.Real (the wall clock, maybe shifted) or clock.Manual
	// (frozen, moved only through the control API).
	Mode clock.Mode
}

// clockJSON is a Clock's wire shape.
type clockJSON struct {
	Now  string
	Mode string
}

func (w clockJSON) clock(method, path string) (Clock, error) {
	now, err := time.Parse(time.RFC3339Nano, w.Now)
	if err != nil {
		return Clock{}, fmt.Errorf("control: %s %s: Now: %w", method, path, err)
	}
	return Clock{Now: now, Mode: clock.Mode(w.Mode)}, nil
}

// Clock reads the emulator clock (GET /_emulator/clock).
func (c *Client) Clock(ctx context.Context) (Clock, error) {
	var w clockJSON
	if err := c.do(ctx, call{method: http.MethodGet, path: "/clock", into: &w}); err != nil {
		return Clock{}, err
	}
	return w.clock(http.MethodGet, Prefix+"/clock")
}

// SetClock moves the clock or changes its mode (PUT /_emulator/clock) and
// returns the clock after the change. now nil keeps the time, mode ""
// keeps the mode:
//   - now only: a manual clock jumps to now; a real clock ticks on from now;
//   - mode clock.Real only: back to the wall clock;
//   - mode clock.Manual only: frozen where the clock is;
//   - both: that mode at that instant.
//
// Moving the clock runs the failover evaluation at once, so lapses up to
// the new time have happened when SetClock returns. An instant outside
// years 1 to 9999 is refused with a 400 *APIError and the clock stays.
func (c *Client) SetClock(ctx context.Context, now *time.Time, mode clock.Mode) (Clock, error) {
	var body struct {
		Now  *string `json:",omitempty"`
		Mode *string `json:",omitempty"`
	}
	if now != nil {
		s := now.Format(time.RFC3339Nano)
		body.Now = &s
	}
	if mode != "" {
		s := string(mode)
		body.Mode = &s
	}
	var w clockJSON
	if err := c.do(ctx, call{method: http.MethodPut, path: "/clock", body: body, into: &w}); err != nil {
		return Clock{}, err
	}
	return w.clock(http.MethodPut, Prefix+"/clock")
}

// Freeze stops the clock at at: it becomes a manual clock showing at until
// moved with Advance or SetClock.
func (c *Client) Freeze(ctx context.Context, at time.Time) (Clock, error) {
	return c.SetClock(ctx, &at, clock.Manual)
}

// Advance moves the clock forward by d (POST /_emulator/clock/advance),
// in either mode, and returns the new clock. A negative d, or one that
// would take the clock past 9999-12-31T23:59:59.9999999Z, is refused with a
// 400 *APIError. Like SetClock, it runs the failover evaluation at once.
func (c *Client) Advance(ctx context.Context, d time.Duration) (Clock, error) {
	// A Go duration is exact to the nanosecond; a time-span stops at 100 ns.
	body := struct{ By string }{By: d.String()}
	var w clockJSON
	if err := c.do(ctx, call{method: http.MethodPost, path: "/clock/advance", body: body, into: &w}); err != nil {
		return Clock{}, err
	}
	return w.clock(http.MethodPost, Prefix+"/clock/advance")
}
