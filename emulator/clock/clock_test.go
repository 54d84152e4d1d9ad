package clock

import (
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	wall0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)     // where the fake wall clock starts
	start = time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC) // where manual clocks start
)

// fakeWall is a wall clock that moves only when a test says so.
type fakeWall struct {
	mu  sync.Mutex
	now time.Time // guarded by mu
}

func newFakeWall() *fakeWall { return &fakeWall{now: wall0} }

func (w *fakeWall) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *fakeWall) Add(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func ptr[T any](v T) *T { return &v }

// newClock returns a clock in mode on a fake wall clock; a Manual clock starts at start.
func newClock(t *testing.T, mode Mode) (*Clock, *fakeWall) {
	t.Helper()
	w := newFakeWall()
	s := time.Time{}
	if mode == Manual {
		s = start
	}
	return New(mode, s, w.Now), w
}

// checkClock fails the test unless c reads want in mode wantMode now and,
// after a minute of wall time, wantLater (which shows whether it ticks).
func checkClock(t *testing.T, c *Clock, w *fakeWall, want time.Time, wantMode Mode, wantLater time.Time) {
	t.Helper()
	if got := c.Now(); !got.Equal(want) {
		t.Errorf("Now() = %v, want %v", got, want)
	}
	if got := c.Mode(); got != wantMode {
		t.Errorf("Mode() = %q, want %q", got, wantMode)
	}
	w.Add(time.Minute)
	if got := c.Now(); !got.Equal(wantLater) {
		t.Errorf("a minute later, Now() = %v, want %v", got, wantLater)
	}
}

// The first and last instants the service's date-times hold.
var (
	year1    = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	lastTick = time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)
)

func TestSet(t *testing.T) {
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) // too far for an offset
	tests := []struct {
		name      string
		mode      Mode
		before    func(*Clock) // moves the clock before Set, if not nil
		now       *time.Time
		setMode   *Mode
		want      time.Time
		wantMode  Mode
		wantLater time.Time // a minute of wall time after Set
		wantErr   string
	}{
		{name: "real, now only: ticks on from now", mode: Real,
			now: ptr(start), want: start, wantMode: Real, wantLater: start.Add(time.Minute)},
		{name: "real, mode real only: back to the wall clock", mode: Real,
			before:  func(c *Clock) { c.Advance(time.Hour) },
			setMode: ptr(Real), want: wall0, wantMode: Real, wantLater: wall0.Add(time.Minute)},
		{name: "real, mode manual only: frozen where it is", mode: Real,
			before:  func(c *Clock) { c.Advance(time.Hour) },
			setMode: ptr(Manual), want: wall0.Add(time.Hour), wantMode: Manual, wantLater: wall0.Add(time.Hour)},
		{name: "real, manual at now", mode: Real,
			now: ptr(start), setMode: ptr(Manual), want: start, wantMode: Manual, wantLater: start},
		{name: "real, real at now", mode: Real,
			now: ptr(start), setMode: ptr(Real), want: start, wantMode: Real, wantLater: start.Add(time.Minute)},
		{name: "real, nothing given", mode: Real,
			want: wall0, wantMode: Real, wantLater: wall0.Add(time.Minute)},
		{name: "real, mode in capitals", mode: Real,
			setMode: ptr(Mode("MANUAL")), want: wall0, wantMode: Manual, wantLater: wall0},
		{name: "real, now in another zone is kept as the same instant", mode: Real,
			now:  ptr(start.In(time.FixedZone("", 2*60*60))),
			want: start, wantMode: Real, wantLater: start.Add(time.Minute)},

		{name: "manual, now only: jumps there", mode: Manual,
			now: ptr(start.Add(time.Hour)), want: start.Add(time.Hour), wantMode: Manual, wantLater: start.Add(time.Hour)},
		{name: "manual, now only, back in time", mode: Manual,
			now: ptr(start.Add(-time.Hour)), want: start.Add(-time.Hour), wantMode: Manual, wantLater: start.Add(-time.Hour)},
		{name: "manual, mode real only: back to the wall clock", mode: Manual,
			setMode: ptr(Real), want: wall0, wantMode: Real, wantLater: wall0.Add(time.Minute)},
		{name: "manual, mode manual only: stays frozen", mode: Manual,
			setMode: ptr(Manual), want: start, wantMode: Manual, wantLater: start},
		{name: "manual, real at now: ticks on from now", mode: Manual,
			now: ptr(start), setMode: ptr(Real), want: start, wantMode: Real, wantLater: start.Add(time.Minute)},
		{name: "manual, manual at now", mode: Manual,
			now: ptr(start.Add(2 * time.Hour)), setMode: ptr(Manual), want: start.Add(2 * time.Hour), wantMode: Manual, wantLater: start.Add(2 * time.Hour)},
		{name: "manual, nothing given", mode: Manual,
			want: start, wantMode: Manual, wantLater: start},
		{name: "manual, far future needs no offset", mode: Manual,
			now: ptr(far), want: far, wantMode: Manual, wantLater: far},

		{name: "real, unknown mode: error, nothing changes", mode: Real,
			now: ptr(start), setMode: ptr(Mode("fast")),
			want: wall0, wantMode: Real, wantLater: wall0.Add(time.Minute),
			wantErr: `set clock: clock mode "fast": must be "real" or "manual"`},
		{name: "manual, unknown mode: error, nothing changes", mode: Manual,
			now: ptr(wall0), setMode: ptr(Mode("")),
			want: start, wantMode: Manual, wantLater: start,
			wantErr: `set clock: clock mode "": must be "real" or "manual"`},
		{name: "real, too far for an offset: error, nothing changes", mode: Real,
			now: ptr(far), want: wall0, wantMode: Real, wantLater: wall0.Add(time.Minute),
			wantErr: "set clock: 9999-01-01T00:00:00Z is more than about 292 years from the wall clock"},
		{name: "manual, the last tick of year 9999", mode: Manual,
			now: ptr(lastTick), want: lastTick, wantMode: Manual, wantLater: lastTick},
		{name: "manual, the first instant of year 1", mode: Manual,
			now: ptr(year1), want: year1, wantMode: Manual, wantLater: year1},
		{name: "manual, past year 9999: error, nothing changes", mode: Manual,
			now: ptr(lastTick.Add(100 * time.Nanosecond)), want: start, wantMode: Manual, wantLater: start,
			wantErr: "set clock: the instant 10000-01-01T00:00:00Z is after the last instant a date-time can hold"},
		{name: "manual, past year 9999 by an offset: error, nothing changes", mode: Manual,
			now: ptr(time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("", -(23*3600+59*60)))), want: start, wantMode: Manual, wantLater: start,
			wantErr: "set clock: the instant 10000-01-01T23:58:59Z is after the last instant"},
		{name: "manual, before year 1: error, nothing changes", mode: Manual,
			now: ptr(year1.Add(-time.Nanosecond)), setMode: ptr(Manual), want: start, wantMode: Manual, wantLater: start,
			wantErr: "set clock: the instant 0000-12-31T23:59:59.999999999Z is before the first instant a date-time can hold"},
		{name: "manual to real, too far for an offset: error, nothing changes", mode: Manual,
			now: ptr(far), setMode: ptr(Real), want: start, wantMode: Manual, wantLater: start,
			wantErr: "set clock: 9999-01-01T00:00:00Z is more than about 292 years from the wall clock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, w := newClock(t, tt.mode)
			if tt.before != nil {
				tt.before(c)
			}
			got, err := c.Set(tt.now, tt.setMode)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Set: unexpected error: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Set: no error, want one starting %q", tt.wantErr)
			case tt.wantErr != "" && !strings.HasPrefix(err.Error(), tt.wantErr):
				t.Fatalf("Set: error %q, want it to start with %q", err, tt.wantErr)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Set returned %v, want %v", got, tt.want)
			}
			checkClock(t, c, w, tt.want, tt.wantMode, tt.wantLater)
		})
	}
}

func TestAdvance(t *testing.T) {
	tests := []struct {
		name      string
		mode      Mode
		before    func(*Clock)
		by        time.Duration
		want      time.Time
		wantLater time.Time
		wantErr   string
	}{
		{name: "real: adds to the offset", mode: Real,
			by: 90 * time.Second, want: wall0.Add(90 * time.Second), wantLater: wall0.Add(150 * time.Second)},
		{name: "real, after Set: adds to that offset", mode: Real,
			before: func(c *Clock) { c.Set(&start, nil) },
			by:     time.Hour, want: start.Add(time.Hour), wantLater: start.Add(61 * time.Minute)},
		{name: "real: zero is allowed", mode: Real,
			by: 0, want: wall0, wantLater: wall0.Add(time.Minute)},
		{name: "real: negative is an error", mode: Real,
			by: -time.Second, want: wall0, wantLater: wall0.Add(time.Minute),
			wantErr: "advance clock by -1s: the clock cannot be moved back"},
		{name: "real: beyond the largest offset is an error", mode: Real,
			before: func(c *Clock) { c.Advance(maxDuration) },
			by:     time.Nanosecond, want: wall0.Add(maxDuration), wantLater: wall0.Add(maxDuration).Add(time.Minute),
			wantErr: "advance clock by 1ns: the clock would be more than about 292 years from the wall clock"},
		{name: "manual: moves the frozen instant", mode: Manual,
			by: 90 * time.Second, want: start.Add(90 * time.Second), wantLater: start.Add(90 * time.Second)},
		{name: "manual: twice adds up", mode: Manual,
			before: func(c *Clock) { c.Advance(time.Hour) },
			by:     time.Hour, want: start.Add(2 * time.Hour), wantLater: start.Add(2 * time.Hour)},
		{name: "manual: zero is allowed", mode: Manual,
			by: 0, want: start, wantLater: start},
		{name: "manual: negative is an error", mode: Manual,
			by: -90 * time.Second, want: start, wantLater: start,
			wantErr: "advance clock by -1m30s: the clock cannot be moved back"},
		{name: "manual: to the last tick of year 9999", mode: Manual,
			before: func(c *Clock) { c.Set(ptr(lastTick.Add(-time.Hour)), nil) },
			by:     time.Hour, want: lastTick, wantLater: lastTick},
		{name: "manual: past year 9999 is an error", mode: Manual,
			before: func(c *Clock) { c.Set(ptr(lastTick), nil) },
			by:     100 * time.Nanosecond, want: lastTick, wantLater: lastTick,
			wantErr: "advance clock by 100ns: the new time 10000-01-01T00:00:00Z is after the last instant a date-time can hold (date-times run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z)"},
		{name: "manual: far past year 9999 is an error", mode: Manual,
			before: func(c *Clock) { c.Set(ptr(time.Date(9800, 1, 1, 0, 0, 0, 0, time.UTC)), nil) },
			by:     maxDuration, want: time.Date(9800, 1, 1, 0, 0, 0, 0, time.UTC), wantLater: time.Date(9800, 1, 1, 0, 0, 0, 0, time.UTC),
			wantErr: "advance clock by 2562047h47m16.854775807s: the new time 10092-"},
		{name: "manual: far beyond a real clock's range is fine", mode: Manual,
			before: func(c *Clock) { c.Advance(maxDuration) },
			by:     maxDuration, want: start.Add(maxDuration).Add(maxDuration), wantLater: start.Add(maxDuration).Add(maxDuration)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, w := newClock(t, tt.mode)
			if tt.before != nil {
				tt.before(c)
			}
			got, err := c.Advance(tt.by)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Advance: unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)):
				t.Fatalf("Advance: error %v, want one starting %q", err, tt.wantErr)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Advance returned %v, want %v", got, tt.want)
			}
			checkClock(t, c, w, tt.want, tt.mode, tt.wantLater)
		})
	}
}

func TestReset(t *testing.T) {
	tests := []struct {
		name      string
		mode      Mode
		start     time.Time
		want      time.Time // right after Reset, a minute after New
		wantLater time.Time
	}{
		{name: "real: back to the wall clock", mode: Real,
			want: wall0.Add(time.Minute), wantLater: wall0.Add(2 * time.Minute)},
		{name: "real with a start: ticks on from the start again", mode: Real, start: start,
			want: start, wantLater: start.Add(time.Minute)},
		{name: "manual: frozen at the start again", mode: Manual, start: start,
			want: start, wantLater: start},
		{name: "manual without a start: frozen at the wall time of New", mode: Manual,
			want: wall0, wantLater: wall0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newFakeWall()
			c := New(tt.mode, tt.start, w.Now)
			w.Add(time.Minute)
			if _, err := c.Set(ptr(start.Add(-time.Hour)), ptr(Manual)); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Set(nil, ptr(Real)); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Advance(time.Hour); err != nil {
				t.Fatal(err)
			}
			c.Reset()
			checkClock(t, c, w, tt.want, tt.mode, tt.wantLater)
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name      string
		mode      Mode
		start     time.Time
		want      time.Time
		wantMode  Mode
		wantLater time.Time
	}{
		{"real", Real, time.Time{}, wall0, Real, wall0.Add(time.Minute)},
		{"empty mode means real", "", time.Time{}, wall0, Real, wall0.Add(time.Minute)},
		{"real with a start", Real, start, start, Real, start.Add(time.Minute)},
		{"manual", Manual, start, start, Manual, start},
		{"manual without a start: frozen at the wall time", Manual, time.Time{}, wall0, Manual, wall0},
		{"manual, start in another zone", Manual, start.In(time.FixedZone("", -3*60*60)), start, Manual, start},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newFakeWall()
			c := New(tt.mode, tt.start, w.Now)
			checkClock(t, c, w, tt.want, tt.wantMode, tt.wantLater)
		})
	}
}

func TestNewPanicsOnUnknownMode(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(\"fast\", ...) did not panic")
		}
	}()
	New("fast", time.Time{}, nil)
}

func TestNewPanicsOnAStartOutsideYears1To9999(t *testing.T) {
	for _, at := range []time.Time{year1.Add(-time.Nanosecond), lastTick.Add(100 * time.Nanosecond)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(Manual, %v, ...) did not panic", at)
				}
			}()
			New(Manual, at, nil)
		}()
	}
}

func TestNowIsUTC(t *testing.T) {
	zone := time.FixedZone("UTC+2", 2*60*60)
	c := New(Real, time.Time{}, func() time.Time { return wall0.In(zone) })
	if got := c.Now(); got.Location() != time.UTC || !got.Equal(wall0) {
		t.Errorf("Now() = %v, want %v in UTC", got, wall0)
	}
	if got := c.Wall(); got.Location() != zone {
		t.Errorf("Wall() = %v, want the wall clock's own reading", got)
	}
}

func TestNilWallIsTheSystemClock(t *testing.T) {
	c := New(Real, time.Time{}, nil)
	before := c.Wall()
	now := c.Now()
	after := c.Wall()
	if now.Before(before) || now.After(after) {
		t.Errorf("Now() = %v, want between %v and %v", now, before, after)
	}
}

func TestUntil(t *testing.T) {
	tests := []struct {
		name   string
		mode   Mode
		before func(*Clock)
		t      time.Time
		want   time.Duration
		wantOK bool
	}{
		{"real, ahead", Real, nil, wall0.Add(5 * time.Minute), 5 * time.Minute, true},
		{"real, now", Real, nil, wall0, 0, true},
		{"real, passed", Real, nil, wall0.Add(-time.Hour), 0, true},
		{"real, after Advance", Real, func(c *Clock) { c.Advance(2 * time.Minute) }, wall0.Add(5 * time.Minute), 3 * time.Minute, true},
		{"real, after Set", Real, func(c *Clock) { c.Set(&start, nil) }, start.Add(time.Second), time.Second, true},
		{"manual, ahead", Manual, nil, start.Add(time.Hour), 0, false},
		{"manual, passed", Manual, nil, start.Add(-time.Hour), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newClock(t, tt.mode)
			if tt.before != nil {
				tt.before(c)
			}
			got, ok := c.Until(tt.t)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Until(%v) = %v, %v, want %v, %v", tt.t, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	tests := []struct {
		in      string
		want    Mode
		wantErr bool
	}{
		{"real", Real, false},
		{"manual", Manual, false},
		{"Manual", Manual, false},
		{" REAL ", Real, false},
		{"", "", true},
		{"fast", "", true},
		{"manual-ish", "", true},
	}
	for _, tt := range tests {
		got, err := ParseMode(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseMode(%q) = %q, %v, want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestChanged(t *testing.T) {
	tests := []struct {
		name       string
		move       func(*Clock)
		wantClosed bool
	}{
		{"Set now", func(c *Clock) { c.Set(&start, nil) }, true},
		{"Set mode", func(c *Clock) { c.Set(nil, ptr(Manual)) }, true},
		{"Set nothing", func(c *Clock) { c.Set(nil, nil) }, true},
		{"Advance", func(c *Clock) { c.Advance(time.Second) }, true},
		{"Advance by zero", func(c *Clock) { c.Advance(0) }, true},
		{"Reset", func(c *Clock) { c.Reset() }, true},
		{"Set that fails", func(c *Clock) { c.Set(nil, ptr(Mode("fast"))) }, false},
		{"Advance that fails", func(c *Clock) { c.Advance(-time.Second) }, false},
		{"reads", func(c *Clock) { c.Now(); c.Mode(); c.Until(start); c.Wall(); c.Changed() }, false},
		{"wall time passing", func(*Clock) {}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, w := newClock(t, Real)
			ch := c.Changed()
			if isClosed(ch) {
				t.Fatal("Changed() is closed before any move")
			}
			w.Add(time.Hour)
			tt.move(c)
			if got := isClosed(ch); got != tt.wantClosed {
				t.Fatalf("Changed() closed = %v, want %v", got, tt.wantClosed)
			}
			next := c.Changed()
			if tt.wantClosed && (next == ch || isClosed(next)) {
				t.Error("after a move, Changed() did not return a fresh open channel")
			}
			if !tt.wantClosed && next != ch {
				t.Error("without a move, Changed() returned a different channel")
			}
		})
	}
}

// A watcher blocked until a far deadline wakes when the clock jumps.
func TestChangedWakesAWatcher(t *testing.T) {
	c, _ := newClock(t, Manual)
	deadline := start.Add(time.Hour)
	woke := make(chan time.Time)
	ready := make(chan struct{})
	go func() {
		changed := c.Changed()
		close(ready)
		for c.Now().Before(deadline) {
			<-changed // a manual clock never gets there by itself
			changed = c.Changed()
		}
		woke <- c.Now()
	}()
	<-ready
	if _, err := c.Advance(30 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Set(ptr(deadline), nil); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-woke:
		if got.Before(deadline) {
			t.Errorf("watcher woke at %v, before the deadline %v", got, deadline)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watcher did not wake after the clock passed its deadline")
	}
}

// Run with -race: every method at once, from many goroutines.
func TestConcurrentUse(t *testing.T) {
	c, w := newClock(t, Manual)
	const goroutines, rounds = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range rounds {
				switch (g + i) % 8 {
				case 0:
					c.Advance(time.Second)
				case 1:
					c.Set(ptr(start), nil)
				case 2:
					c.Set(nil, ptr(Real))
				case 3:
					c.Set(nil, ptr(Manual))
				case 4:
					c.Until(start.Add(time.Hour))
				case 5:
					<-c.Changed() // wait for any move; other goroutines keep moving it
				case 6:
					c.Reset()
				case 7:
					w.Add(time.Millisecond)
				}
				c.Now()
				c.Mode()
				c.Wall()
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	// Keep moving the clock until everyone is done, so no goroutine waits
	// on Changed forever.
	for {
		select {
		case <-done:
			return
		default:
			c.Advance(0)
			time.Sleep(time.Millisecond)
		}
	}
}

// With Advance alone, a manual clock adds up exactly, however the calls interleave.
func TestConcurrentAdvanceAddsUp(t *testing.T) {
	c, _ := newClock(t, Manual)
	const goroutines, rounds = 8, 500
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range rounds {
				if _, err := c.Advance(time.Second); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got, want := c.Now(), start.Add(goroutines*rounds*time.Second); !got.Equal(want) {
		t.Errorf("Now() = %v, want %v", got, want)
	}
}
