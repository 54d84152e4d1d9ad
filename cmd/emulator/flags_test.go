package main

import (
	"io"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
)

// Every flag reads its EMULATOR_ variable; a flag on the command line wins.
func TestFlagsAndEnvironment(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(emulator.Options) bool
		wantErr bool
	}{
		{"defaults", nil, nil, func(o emulator.Options) bool {
			return o.Addr == defaultAddr && o.Clock == clock.Real && o.Auth == emulator.AuthNone && o.HeartbeatMinInterval == 0 && o.MaxBodyBytes == emulator.DefaultMaxBodyBytes
		}, false},
		{"variables", nil, map[string]string{
			"EMULATOR_ADDR": "0.0.0.0:9000", "EMULATOR_CLOCK": "manual", "EMULATOR_CLOCK_START": "2026-01-01T00:00:00Z",
			"EMULATOR_AUTH": "token", "EMULATOR_HEARTBEAT_MIN_INTERVAL": "00:00:05", "EMULATOR_ADMIN_TOKEN": "adm",
			"EMULATOR_FIXTURES": "f.json", "EMULATOR_API_REVISION": "latest", "EMULATOR_MAX_BODY_BYTES": "2048",
		}, func(o emulator.Options) bool {
			return o.Addr == "0.0.0.0:9000" && o.Clock == clock.Manual && o.ClockStart.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) &&
				o.Auth == emulator.AuthToken && o.HeartbeatMinInterval == 5*time.Second && o.AdminToken == "adm" &&
				o.Fixtures == "f.json" && o.APIRevision == "latest" && o.MaxBodyBytes == 2048
		}, false},
		{"a flag wins over its variable", []string{"--clock", "real", "--heartbeat-min-interval", "90s"},
			map[string]string{"EMULATOR_CLOCK": "manual", "EMULATOR_HEARTBEAT_MIN_INTERVAL": "00:00:05"},
			func(o emulator.Options) bool {
				return o.Clock == clock.Real && o.HeartbeatMinInterval == 90*time.Second
			}, false},
		{"bad clock", []string{"--clock", "fast"}, nil, nil, true},
		{"bad clock start", []string{"--clock-start", "yesterday"}, nil, nil, true},
		{"bad auth", []string{"--auth", "maybe"}, nil, nil, true},
		{"bad interval", []string{"--heartbeat-min-interval", "soon"}, nil, nil, true},
		{"bad log level", []string{"--log-level", "loud"}, nil, nil, true},
		{"bad log format", []string{"--log-format", "xml"}, nil, nil, true},
		{"bad body limit", nil, map[string]string{"EMULATOR_MAX_BODY_BYTES": "lots"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c config
			fs := newFlags(&c, func(k string) string { return tt.env[k] }, io.Discard)
			err := fs.Parse(tt.args)
			var opts emulator.Options
			if err == nil {
				opts, err = c.options(io.Discard)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want an error: %v", err, tt.wantErr)
			}
			if err == nil && !tt.check(opts) {
				t.Errorf("options = %+v", opts)
			}
		})
	}
}
