// Package clock is the emulator's sense of time: one Clock per emulator
// instance, from which every emulated instant is read (nothing else in the
// emulator calls time.Now).
//
// A clock runs in one of two modes. A Real clock follows the wall clock,
// possibly shifted by an offset, so it keeps ticking after it has been set
// or advanced. A Manual clock is frozen and moves only when told to, which
// lets tests step through failover timeouts without waiting.
//
// Time inside the emulator is only what this package says it is: the clock
// does not slow down or speed up, and moving it does not delay real-time
// things such as injected response delays (use Wall for those).
//
// A clock never leaves the instants the service's date-times can hold,
// years 1 to 9999 (timefmt.InRange): Set and Advance refuse to move it
// beyond them, so every instant the emulator stamps reads back.
package clock

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// Mode says whether a clock follows the wall clock or is frozen.
type Mode string

// The modes of a clock, as written in the control API and on the command line.
const (
	// Real follows the wall clock, shifted by an offset (zero by default).
	Real Mode = "real"
	// Manual is frozen at an instant and moves only by Set, Advance or Reset.
	Manual Mode = "manual"
)

// ParseMode reads a mode name, "real" or "manual", in any letter case.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case Real, Manual:
		return m, nil
	}
	return "", fmt.Errorf("clock mode %q: must be %q or %q", s, Real, Manual)
}

// Clock is the emulated time of one emulator instance. It is safe for
// concurrent use. Make one with New; the zero Clock is not usable.
type Clock struct {
	// Set by New and never changed.
	wall      func() time.Time
	startMode Mode
	start     time.Time // zero for a Real clock that starts on the wall clock

	mu      sync.Mutex // guards mode, frozen, offset and changed
	mode    Mode
	frozen  time.Time     // Manual: the instant Now returns
	offset  time.Duration // Real: added to the wall time
	changed chan struct{} // closed and replaced when the clock is moved

	// current is mode, frozen and offset as last published under mu, for
	// Now to read without the lock: every request reads the clock several
	// times, and moving it is rare.
	current atomic.Pointer[reading]
}

// reading is what Now needs of the clock's state.
type reading struct {
	mode   Mode
	frozen time.Time
	offset time.Duration
}

// publish makes the state Now reads the current one; c.mu must be held, or
// c not yet shared.
func (c *Clock) publish() {
	c.current.Store(&reading{mode: c.mode, frozen: c.frozen, offset: c.offset})
}

// New returns a clock in the given mode. A Manual clock is frozen at start;
// a zero start means the wall time now. A Real clock with a non-zero start
// ticks on from start (as an offset from the wall clock, so start should be
// within about 292 years of it); with a zero start it is the wall clock. An
// empty mode means Real.
//
// wall is the source of real time; nil means time.Now. Tests pass a fake.
//
// New panics if mode is neither Real, Manual nor empty, or if start is not
// zero and outside years 1 to 9999 (timefmt.InRange): values from users go
// through ParseMode and timefmt.CheckRange first.
func New(mode Mode, start time.Time, wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	switch mode {
	case "":
		mode = Real
	case Real:
	case Manual:
		if start.IsZero() {
			start = wall()
		}
	default:
		panic(fmt.Sprintf("clock.New: unknown mode %q", mode))
	}
	if !start.IsZero() && !timefmt.InRange(start) {
		panic(fmt.Sprintf("clock.New: %v", timefmt.CheckRange("start", start)))
	}
	c := &Clock{
		wall:      wall,
		startMode: mode,
		start:     start.UTC(),
		changed:   make(chan struct{}),
	}
	c.restart()
	c.publish()
	return c
}

// Now returns the emulated time, in UTC: for a Real clock the wall time plus
// the offset, for a Manual clock the instant it is frozen at.
func (c *Clock) Now() time.Time {
	r := c.current.Load()
	if r.mode == Manual {
		return r.frozen
	}
	// UTC also drops the monotonic reading, which has no place in emulated time.
	return c.wall().Add(r.offset).UTC()
}

// Mode returns the clock's current mode.
func (c *Clock) Mode() Mode {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode
}

// Set moves the clock or changes its mode, as PUT /_emulator/clock does; now
// and mode are optional (nil means not given):
//   - now only: the mode stays; a Manual clock jumps to now, a Real clock
//     ticks on from now (as an offset from the wall clock);
//   - mode Real only: back to the wall clock (offset 0);
//   - mode Manual only: frozen at the current Now;
//   - both: that mode, at that instant.
//
// Set returns the new Now. An unknown mode, an instant outside years 1 to
// 9999, or a Real clock set more than about 292 years from the wall clock,
// is an error and changes nothing.
func (c *Clock) Set(now *time.Time, mode *Mode) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	newMode := c.mode
	if mode != nil {
		m, err := ParseMode(string(*mode))
		if err != nil {
			return c.nowLocked(), fmt.Errorf("set clock: %w", err)
		}
		newMode = m
	}
	if now != nil {
		if err := timefmt.CheckRange("the instant", *now); err != nil {
			return c.nowLocked(), fmt.Errorf("set clock: %w", err)
		}
	}

	switch {
	case newMode == Manual && now != nil:
		c.frozen = now.UTC()
	case newMode == Manual:
		c.frozen = c.nowLocked() // freeze where the clock is
	case now != nil:
		offset, err := offsetFrom(c.wall(), *now)
		if err != nil {
			return c.nowLocked(), fmt.Errorf("set clock: %w", err)
		}
		c.offset = offset
	case mode != nil:
		c.offset = 0 // "Mode": "real" alone means back to the wall clock
	}
	c.mode = newMode
	c.notifyLocked()
	return c.nowLocked(), nil
}

// Advance moves the clock forward by d in either mode: a Manual clock's
// frozen instant, or a Real clock's offset. A negative d is an error; the
// clock never goes back by Advance. Moving past 9999-12-31T23:59:59.9999999Z
// is an error too, and changes nothing. Advance returns the new Now.
func (c *Clock) Advance(d time.Duration) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if d < 0 {
		return c.nowLocked(), fmt.Errorf("advance clock by %v: the clock cannot be moved back", d)
	}
	if err := timefmt.CheckRange("the new time", c.nowLocked().Add(d)); err != nil {
		return c.nowLocked(), fmt.Errorf("advance clock by %v: %w", d, err)
	}
	if c.mode == Manual {
		c.frozen = c.frozen.Add(d)
	} else {
		if c.offset > maxDuration-d {
			return c.nowLocked(), fmt.Errorf("advance clock by %v: the clock would be more than about 292 years from the wall clock", d)
		}
		c.offset += d
	}
	c.notifyLocked()
	return c.nowLocked(), nil
}

// Reset returns the clock to the mode and start given to New: a Manual clock
// to its start instant, a Real clock to the wall clock (offset 0), or, if it
// had a start, to ticking on from that start.
func (c *Clock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.restart()
	c.notifyLocked()
}

// Until reports how much wall time must pass before Now reaches t. For a
// Real clock it is t - Now, or 0 if t has passed, and true. For a Manual
// clock it is 0 and false: a manual clock never reaches t by itself.
func (c *Clock) Until(t time.Time) (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode == Manual {
		return 0, false
	}
	return max(t.Sub(c.nowLocked()), 0), true
}

// Changed returns a channel that is closed the next time the clock is Set,
// Advanced or Reset; after that, Changed returns a fresh channel. A goroutine
// that sleeps until a deadline selects on it too, and recomputes the
// deadline when the clock jumps:
//
//	for {
//		changed := c.Changed() // before reading the clock, so no move is missed
//		wait, ok := c.Until(deadline)
//		...
//	}
func (c *Clock) Changed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// Wall returns the real wall time, for measuring request durations and
// real-time delays, never for emulated time.
func (c *Clock) Wall() time.Time {
	return c.wall()
}

// maxDuration is the largest time.Duration, about 292 years.
const maxDuration = time.Duration(1<<63 - 1)

// restart puts the clock in its start mode at its start instant; c.mu must be
// held, or c not yet shared.
func (c *Clock) restart() {
	c.mode = c.startMode
	c.offset = 0
	c.frozen = time.Time{}
	switch {
	case c.mode == Manual:
		c.frozen = c.start
	case !c.start.IsZero():
		// New documents the range; out of it, start as close as we can.
		c.offset, _ = offsetFrom(c.wall(), c.start)
	}
}

// nowLocked is Now for a caller that holds c.mu.
func (c *Clock) nowLocked() time.Time {
	if c.mode == Manual {
		return c.frozen
	}
	// UTC also drops the monotonic reading, which has no place in emulated time.
	return c.wall().Add(c.offset).UTC()
}

// notifyLocked wakes the watchers of Changed; c.mu must be held.
func (c *Clock) notifyLocked() {
	c.publish()
	close(c.changed)
	c.changed = make(chan struct{})
}

// offsetFrom returns the offset that makes the wall time read as now.
func offsetFrom(wall, now time.Time) (time.Duration, error) {
	offset := now.Sub(wall)
	if !wall.Add(offset).Equal(now) { // Sub saturates at about ±292 years
		return offset, fmt.Errorf("%s is more than about 292 years from the wall clock (%s), too far for a real clock",
			now.UTC().Format(time.RFC3339Nano), wall.UTC().Format(time.RFC3339Nano))
	}
	return offset, nil
}
