package clock_test

import (
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
)

// A fixed wall clock keeps the examples' output the same on every run.
func fixedWall() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }

func ExampleNew() {
	start := time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC)
	frozen := clock.New(clock.Manual, start, nil)
	fmt.Println(frozen.Mode(), frozen.Now())

	ticking := clock.New(clock.Real, time.Time{}, fixedWall)
	fmt.Println(ticking.Mode(), ticking.Now())
	// Output:
	// manual 2019-08-24 14:15:22 +0000 UTC
	// real 2026-01-01 12:00:00 +0000 UTC
}

func ExampleParseMode() {
	for _, s := range []string{"manual", "Real", "fast"} {
		m, err := clock.ParseMode(s)
		fmt.Printf("%q %v\n", m, err)
	}
	// Output:
	// "manual" <nil>
	// "real" <nil>
	// "" clock mode "fast": must be "real" or "manual"
}

func ExampleClock_Set() {
	c := clock.New(clock.Real, time.Time{}, fixedWall)

	// {"Mode": "manual"}: freeze where the clock is.
	manualMode := clock.Manual
	now, _ := c.Set(nil, &manualMode)
	fmt.Println(c.Mode(), now)

	// {"Now": ...}: jump there, keeping the mode.
	at := time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC)
	now, _ = c.Set(&at, nil)
	fmt.Println(c.Mode(), now)

	// {"Mode": "real"}: back to the wall clock.
	realMode := clock.Real
	now, _ = c.Set(nil, &realMode)
	fmt.Println(c.Mode(), now)
	// Output:
	// manual 2026-01-01 12:00:00 +0000 UTC
	// manual 2019-08-24 14:15:22 +0000 UTC
	// real 2026-01-01 12:00:00 +0000 UTC
}

func ExampleClock_Advance() {
	c := clock.New(clock.Manual, time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC), nil)
	now, _ := c.Advance(90 * time.Second)
	fmt.Println(now)
	_, err := c.Advance(-time.Second)
	fmt.Println(err)
	// Output:
	// 2019-08-24 14:16:52 +0000 UTC
	// advance clock by -1s: the clock cannot be moved back
}

func ExampleClock_Reset() {
	start := time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC)
	c := clock.New(clock.Manual, start, nil)
	c.Advance(time.Hour)
	c.Reset()
	fmt.Println(c.Now())
	// Output:
	// 2019-08-24 14:15:22 +0000 UTC
}

func ExampleClock_Until() {
	deadline := time.Date(2026, 1, 1, 12, 5, 0, 0, time.UTC)

	ticking := clock.New(clock.Real, time.Time{}, fixedWall)
	fmt.Println(ticking.Until(deadline))

	frozen := clock.New(clock.Manual, time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), nil)
	fmt.Println(frozen.Until(deadline))
	// Output:
	// 5m0s true
	// 0s false
}

// A watcher that acts at a deadline of emulated time: it sleeps in wall time
// while the clock is real, and looks again whenever the clock is moved.
func ExampleClock_Changed() {
	start := time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC)
	c := clock.New(clock.Manual, start, nil)
	deadline := start.Add(time.Minute)

	sleeping := make(chan struct{}) // lets the example move the clock once the watcher sleeps
	done := make(chan struct{})
	go func() {
		defer close(done)
		for first := true; ; first = false {
			changed := c.Changed() // before reading the clock, so no move is missed
			if !c.Now().Before(deadline) {
				fmt.Println("deadline reached at", c.Now())
				return
			}
			var timer <-chan time.Time // nil, never ready, while the clock is manual
			if wait, ticking := c.Until(deadline); ticking {
				timer = time.After(wait)
			}
			if first {
				close(sleeping)
			}
			select {
			case <-changed:
			case <-timer:
			}
		}
	}()

	<-sleeping
	c.Advance(time.Minute)
	<-done
	// Output:
	// deadline reached at 2019-08-24 14:16:22 +0000 UTC
}
