package control_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/control"
)

func TestClockSteps(t *testing.T) {
	c, _ := newClient(t, emulator.Options{})
	later := start.Add(48 * time.Hour)
	elsewhere := time.Date(2030, 6, 7, 8, 9, 10, 123456789, time.FixedZone("UTC+2", 2*3600))

	// The steps run in order on one emulator; each sees the clock the
	// previous one left.
	steps := []struct {
		name     string
		do       func(context.Context) (control.Clock, error)
		wantNow  time.Time
		wantMode clock.Mode
		approx   bool // a real clock: Now within a few seconds of wantNow
	}{
		{"read the start", c.Clock, start, clock.Manual, false},
		{"advance 90s", func(ctx context.Context) (control.Clock, error) { return c.Advance(ctx, 90*time.Second) }, start.Add(90 * time.Second), clock.Manual, false},
		{"advance by nanoseconds", func(ctx context.Context) (control.Clock, error) { return c.Advance(ctx, 1500) }, start.Add(90*time.Second + 1500), clock.Manual, false},
		{"advance 0", func(ctx context.Context) (control.Clock, error) { return c.Advance(ctx, 0) }, start.Add(90*time.Second + 1500), clock.Manual, false},
		{"set Now, keep the mode", func(ctx context.Context) (control.Clock, error) { return c.SetClock(ctx, &later, "") }, later, clock.Manual, false},
		{"freeze elsewhere", func(ctx context.Context) (control.Clock, error) { return c.Freeze(ctx, elsewhere) }, elsewhere, clock.Manual, false},
		{"nothing to change", func(ctx context.Context) (control.Clock, error) { return c.SetClock(ctx, nil, "") }, elsewhere, clock.Manual, false},
		{"back to real time", func(ctx context.Context) (control.Clock, error) { return c.SetClock(ctx, nil, clock.Real) }, time.Now(), clock.Real, true},
		{"real clock moved to Now", func(ctx context.Context) (control.Clock, error) { return c.SetClock(ctx, &later, "") }, later, clock.Real, true},
		{"real clock advanced", func(ctx context.Context) (control.Clock, error) { return c.Advance(ctx, time.Hour) }, later.Add(time.Hour), clock.Real, true},
		{"freeze where it is", func(ctx context.Context) (control.Clock, error) { return c.SetClock(ctx, nil, clock.Manual) }, later.Add(time.Hour), clock.Manual, true},
	}
	for _, s := range steps {
		got, err := s.do(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		ok := got.Now.Equal(s.wantNow)
		if s.approx {
			ok = got.Now.Sub(s.wantNow).Abs() < 5*time.Second
		}
		if !ok || got.Mode != s.wantMode {
			t.Errorf("%s: got %v %s, want %v %s", s.name, got.Now, got.Mode, s.wantNow, s.wantMode)
		}
		read, err := c.Clock(t.Context())
		if err != nil {
			t.Fatalf("%s: Clock: %v", s.name, err)
		}
		if read.Mode != got.Mode || read.Now.Before(got.Now) {
			t.Errorf("%s: Clock afterwards: got %v %s, want %v %s or later", s.name, read.Now, read.Mode, got.Now, got.Mode)
		}
	}
}

func TestClockRefusals(t *testing.T) {
	c, _ := newClient(t, emulator.Options{})
	tests := []struct {
		name string
		do   func(context.Context) (control.Clock, error)
	}{
		{"advance backwards", func(ctx context.Context) (control.Clock, error) { return c.Advance(ctx, -time.Second) }},
		{"unknown mode", func(ctx context.Context) (control.Clock, error) { return c.SetClock(ctx, nil, "sideways") }},
		{"real clock too far away", func(ctx context.Context) (control.Clock, error) {
			far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
			return c.SetClock(ctx, &far, clock.Real)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.do(t.Context())
			if status := statusOf(err); status != http.StatusBadRequest {
				t.Fatalf("got %+v, status %d (err %v), want a 400 *APIError", got, status, err)
			}
			now, err := c.Clock(t.Context())
			if err != nil {
				t.Fatalf("Clock: %v", err)
			}
			if !now.Now.Equal(start) || now.Mode != clock.Manual {
				t.Errorf("Clock after a refusal: got %v %s, want it unchanged at %v manual", now.Now, now.Mode, start)
			}
		})
	}
}
