package control_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
)

func TestHeartbeatMinInterval(t *testing.T) {
	c, srv := newClient(t, emulator.Options{HeartbeatMinInterval: 5 * time.Second})
	ctx := t.Context()

	got, err := c.Config(ctx)
	if err != nil {
		t.Fatalf("Config: %v", err)
	}
	if got.HeartbeatMinInterval != 5*time.Second {
		t.Errorf("Config: got %v, want the start value 5s", got.HeartbeatMinInterval)
	}

	tests := []struct {
		name       string
		set        time.Duration
		want       time.Duration
		wantStatus int
	}{
		{"off", 0, 0, 0},
		{"whole seconds", 2 * time.Second, 2 * time.Second, 0},
		{"fraction", 1500 * time.Millisecond, 1500 * time.Millisecond, 0},
		{"hours", 25 * time.Hour, 25 * time.Hour, 0},
		{"negative", -time.Second, 25 * time.Hour, http.StatusBadRequest}, // unchanged
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := c.SetHeartbeatMinInterval(t.Context(), tt.set)
			if status := statusOf(err); status != tt.wantStatus {
				t.Fatalf("SetHeartbeatMinInterval(%v): got status %d (%v), want %d", tt.set, status, err, tt.wantStatus)
			}
			if err == nil && set.HeartbeatMinInterval != tt.want {
				t.Errorf("SetHeartbeatMinInterval(%v): got %v, want %v", tt.set, set.HeartbeatMinInterval, tt.want)
			}
			read, err := c.Config(t.Context())
			if err != nil || read.HeartbeatMinInterval != tt.want {
				t.Errorf("Config afterwards: got %v, %v, want %v", read.HeartbeatMinInterval, err, tt.want)
			}
		})
	}

	// The setting takes effect: a second heartbeat within the interval is 429.
	if _, err := c.SetHeartbeatMinInterval(ctx, 10*time.Second); err != nil {
		t.Fatalf("SetHeartbeatMinInterval: %v", err)
	}
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", map[string]any{"Id": "g1", "FailoverTimeout": "00:00:30"})
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups/g1/clientsessions", map[string]any{"Id": "a", "Name": "a"})
	mustAPI(t, srv, http.StatusOK, http.MethodPost, api+"/groups/g1/clientsessions/a/heartbeat", heartbeat(100))
	mustAPI(t, srv, http.StatusTooManyRequests, http.MethodPost, api+"/groups/g1/clientsessions/a/heartbeat", heartbeat(100))
}

// SetAuth turns token authorisation on and off at run time; Reset restores
// the start mode.
func TestSetAuth(t *testing.T) {
	c, srv := newClient(t, emulator.Options{})
	ctx := t.Context()
	if got, err := c.Config(ctx); err != nil || got.Auth != "none" {
		t.Fatalf("Config: %+v, %v; want Auth none", got, err)
	}
	tests := []struct {
		mode       string
		wantStatus int // of SetAuth (0 = success)
		wantAPI    int // of an unauthenticated List Group Configurations
	}{
		{"token", 0, http.StatusUnauthorized},
		{"none", 0, http.StatusOK},
		{"sometimes", http.StatusBadRequest, http.StatusOK}, // refused, unchanged
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			got, err := c.SetAuth(ctx, tt.mode)
			if status := statusOf(err); status != tt.wantStatus {
				t.Fatalf("SetAuth(%q): status %d (%v), want %d", tt.mode, status, err, tt.wantStatus)
			}
			if err == nil && got.Auth != tt.mode {
				t.Errorf("SetAuth(%q) answered Auth %q", tt.mode, got.Auth)
			}
			mustAPI(t, srv, tt.wantAPI, http.MethodGet, api+"/groups", nil)
		})
	}
	if _, err := c.SetAuth(ctx, "token"); err != nil {
		t.Fatal(err)
	}
	if err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	mustAPI(t, srv, http.StatusOK, http.MethodGet, api+"/groups", nil)
}
