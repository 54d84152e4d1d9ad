package tcemulator_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/control"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/tcemulator"
)

// TestFailoverStory drives a short failover story against the container:
// a fixture, the manual clock, a lapse, a PendingPrimary, a fault rule.
func TestFailoverStory(t *testing.T) {
	_, ctl, base := runEmulator(t,
		tcemulator.WithManualClock(start),
		tcemulator.WithFixtures("testdata/fixtures/plant.json"),
	)
	ctx := t.Context()

	// The fixture was loaded and the clock is frozen at start.
	var preloaded struct{ Id, Name, FailoverTimeout string }
	decode(t, must(t, base, http.StatusOK, http.MethodGet, groups+"/preloaded", nil), &preloaded)
	if preloaded.Name != "From the fixture" || preloaded.FailoverTimeout != "00:01:00" {
		t.Errorf("fixture group: got %+v, want Name \"From the fixture\", FailoverTimeout 00:01:00", preloaded)
	}
	clk, err := ctl.Clock(ctx)
	if err != nil {
		t.Fatalf("Clock: %v", err)
	}
	if !clk.Now.Equal(start) || clk.Mode != clock.Manual {
		t.Errorf("Clock: got %v %s, want %v manual", clk.Now, clk.Mode, start)
	}

	// A group with a 30 s timeout and two sessions: a becomes Primary.
	must(t, base, http.StatusCreated, http.MethodPost, groups, map[string]any{"Id": "line-1", "FailoverTimeout": "00:00:30"})
	for _, s := range []string{"a", "b"} {
		must(t, base, http.StatusCreated, http.MethodPost, groups+"/line-1/clientsessions", map[string]any{"Id": s, "Name": "client " + s})
	}
	var role struct{ Role int }
	decode(t, must(t, base, http.StatusOK, http.MethodPost, groups+"/line-1/clientsessions/a/heartbeat", heartbeat(100)), &role)
	if role.Role != 1 {
		t.Errorf("a's first heartbeat: got role %d, want 1 (Primary)", role.Role)
	}
	must(t, base, http.StatusOK, http.MethodPost, groups+"/line-1/clientsessions/b/heartbeat", heartbeat(100))

	// a falls silent; b goes on; the clock passes a's timeout.
	if _, err := ctl.Advance(ctx, 20*time.Second); err != nil {
		t.Fatalf("Advance: %v", err)
	}
	must(t, base, http.StatusOK, http.MethodPost, groups+"/line-1/clientsessions/b/heartbeat", heartbeat(100))
	if _, err := ctl.Advance(ctx, 15*time.Second); err != nil {
		t.Fatalf("Advance: %v", err)
	}

	var status struct{ Primary, PendingPrimary *string }
	decode(t, must(t, base, http.StatusOK, http.MethodGet, groups+"/line-1/status", nil), &status)
	if status.Primary != nil || status.PendingPrimary == nil || *status.PendingPrimary != "b" {
		t.Errorf("status after a's lapse: got Primary %v PendingPrimary %v, want none and b", deref(status.Primary), deref(status.PendingPrimary))
	}
	events, _, err := ctl.Events(ctx)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	var story []string
	for _, e := range events {
		story = append(story, e.Session+":"+e.From+">"+e.To+"@"+e.Time.Sub(start).String())
	}
	if want := []string{"a:Secondary>Primary@0s", "a:Primary>Secondary@30s", "b:Secondary>PendingPrimary@30s"}; !slices.Equal(story, want) {
		t.Errorf("Events: got %v, want %v", story, want)
	}

	// A fault rule: the next status read gets 503 with Retry-After.
	once := 1
	rule, err := ctl.AddFault(ctx, faults.Rule{
		Match:  faults.Match{Operation: operation.GetGroupStatus},
		Action: faults.Action{Status: http.StatusServiceUnavailable, Headers: map[string]string{"Retry-After": "5"}},
		Times:  &once,
	})
	if err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	r := call(t, base, "", http.MethodGet, groups+"/line-1/status", nil)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") != "5" {
		t.Errorf("status read under the fault: got %d Retry-After %q, want 503 Retry-After \"5\"", r.status, r.header.Get("Retry-After"))
	}
	must(t, base, http.StatusOK, http.MethodGet, groups+"/line-1/status", nil) // the rule fired its one time
	fired, _, err := ctl.Requests(ctx, journal.Filter{Operation: operation.GetGroupStatus, Status: http.StatusServiceUnavailable})
	if err != nil {
		t.Fatalf("Requests: %v", err)
	}
	if len(fired) != 1 || fired[0].Fault != rule.ID {
		t.Errorf("journal of the 503: got %+v, want one entry with Fault %q", fired, rule.ID)
	}

	// Reset: back to the fixture, with the clock at start.
	if err := ctl.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	must(t, base, http.StatusOK, http.MethodGet, groups+"/preloaded", nil)
	must(t, base, http.StatusNotFound, http.MethodGet, groups+"/line-1", nil)
	if clk, err := ctl.Clock(ctx); err != nil || !clk.Now.Equal(start) {
		t.Errorf("Clock after Reset: got %+v, %v, want %v", clk, err, start)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestOptions starts one container per option and checks its effect.
func TestOptions(t *testing.T) {
	tests := []struct {
		name  string
		opts  []testcontainers.ContainerCustomizer
		check func(t *testing.T, ctr *tcemulator.Container, ctl *control.Client, base string)
	}{
		{
			name: "defaults",
			check: func(t *testing.T, ctr *tcemulator.Container, ctl *control.Client, base string) {
				clk, err := ctl.Clock(t.Context())
				if err != nil || clk.Mode != clock.Real || time.Since(clk.Now).Abs() > time.Minute {
					t.Errorf("Clock: got %+v, %v, want the real time", clk, err)
				}
				must(t, base, http.StatusOK, http.MethodGet, groups, nil) // no token needed
				if ctr.AdminToken() != "" {
					t.Errorf("AdminToken: got %q, want none", ctr.AdminToken())
				}
				if !strings.HasPrefix(base, "http://") {
					t.Errorf("BaseURL: got %q, want an http:// URL", base)
				}
			},
		},
		{
			name: "manual clock at the start time",
			opts: []testcontainers.ContainerCustomizer{tcemulator.WithManualClock(time.Date(2030, 1, 1, 0, 0, 0, 500, time.FixedZone("x", 3600)))},
			check: func(t *testing.T, _ *tcemulator.Container, ctl *control.Client, _ string) {
				want := time.Date(2029, 12, 31, 23, 0, 0, 500, time.UTC)
				if clk, err := ctl.Clock(t.Context()); err != nil || !clk.Now.Equal(want) || clk.Mode != clock.Manual {
					t.Errorf("Clock: got %+v, %v, want %v manual", clk, err, want)
				}
			},
		},
		{
			name: "manual clock at the container's start",
			opts: []testcontainers.ContainerCustomizer{tcemulator.WithManualClock(time.Time{})},
			check: func(t *testing.T, _ *tcemulator.Container, ctl *control.Client, _ string) {
				if clk, err := ctl.Clock(t.Context()); err != nil || clk.Mode != clock.Manual || time.Since(clk.Now).Abs() > time.Minute {
					t.Errorf("Clock: got %+v, %v, want manual near now", clk, err)
				}
			},
		},
		{
			name: "fixture folder",
			opts: []testcontainers.ContainerCustomizer{tcemulator.WithFixtures("testdata/fixture-folder")},
			check: func(t *testing.T, _ *tcemulator.Container, _ *control.Client, base string) {
				must(t, base, http.StatusOK, http.MethodGet, groups+"/first", nil)
				must(t, base, http.StatusOK, http.MethodGet, "/api/v1-preview/tenants/t2/namespaces/n2/clientfailover/groups/second", nil)
			},
		},
		{
			name: "token authorisation",
			opts: []testcontainers.ContainerCustomizer{tcemulator.WithAuth("token")},
			check: func(t *testing.T, _ *tcemulator.Container, _ *control.Client, base string) {
				if r := call(t, base, "", http.MethodGet, groups, nil); r.status != http.StatusUnauthorized {
					t.Errorf("GET without a token: got %d, want 401", r.status)
				}
			},
		},
		{
			name: "admin token",
			opts: []testcontainers.ContainerCustomizer{tcemulator.WithAdminToken("s3cret")},
			check: func(t *testing.T, ctr *tcemulator.Container, ctl *control.Client, base string) {
				if err := ctl.Health(t.Context()); err != nil {
					t.Errorf("Health through Control: %v", err)
				}
				// The health check never needs the token; the rest does.
				if err := control.New(base).Health(t.Context()); err != nil {
					t.Errorf("Health without the token: %v", err)
				}
				_, err := control.New(base).Clock(t.Context())
				var apiErr *control.APIError
				if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized {
					t.Errorf("Clock without the token: got %v, want a 401 *APIError", err)
				}
				if _, err := ctl.Clock(t.Context()); err != nil {
					t.Errorf("Clock through Control: %v", err)
				}
				// And so the image's own HEALTHCHECK passes.
				waitHealthy(t, ctr.GetContainerID())
				if ctr.AdminToken() != "s3cret" {
					t.Errorf("AdminToken: got %q, want s3cret", ctr.AdminToken())
				}
			},
		},
		{
			name: "any flag, and testcontainers' own options",
			opts: []testcontainers.ContainerCustomizer{
				tcemulator.WithFlag("heartbeat-min-interval", "5s"),
				tcemulator.WithFlag("--api-revision", "latest"),
				testcontainers.WithEnv(map[string]string{"EMULATOR_LOG_LEVEL": "debug"}),
			},
			check: func(t *testing.T, _ *tcemulator.Container, ctl *control.Client, _ string) {
				if cfg, err := ctl.Config(t.Context()); err != nil || cfg.HeartbeatMinInterval != 5*time.Second {
					t.Errorf("Config: got %+v, %v, want HeartbeatMinInterval 5s", cfg, err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctr, ctl, base := runEmulator(t, tt.opts...)
			tt.check(t, ctr, ctl, base)
		})
	}
}

// TestOptionErrors: a bad option stops Run before any container starts, so
// these need no container engine.
func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name    string
		opt     tcemulator.Option
		wantErr string
	}{
		{"fixture file missing", tcemulator.WithFixtures("testdata/no-such-file.json"), "no-such-file.json"},
		{"fixture folder without JSON", tcemulator.WithFixtures("testdata/empty-folder"), "has no *.json file"},
		{"unknown auth mode", tcemulator.WithAuth("basic"), `auth mode "basic"`},
		{"empty admin token", tcemulator.WithAdminToken(""), "admin token"},
		{"empty flag name", tcemulator.WithFlag("--", "x"), "flag name"},
		{"empty TLS host", tcemulator.WithTLS("emulator", " "), "TLS host"},
		{"flag name with =", tcemulator.WithFlag("clock=manual", ""), "flag name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctr, err := tcemulator.Run(t.Context(), tcemulator.DefaultImage, tt.opt)
			testcontainers.CleanupContainer(t, ctr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Run: got %v, want an error containing %q", err, tt.wantErr)
			}
			if ctr != nil {
				t.Errorf("Run: got a container, want none")
			}
		})
	}
}

// BenchmarkRun measures the time from Run to a ready emulator (the wait
// strategy has seen the health check answer), reporting the median:
//
//	go test -run '^$' -bench BenchmarkRun -benchtime 5x ./tcemulator
func BenchmarkRun(b *testing.B) {
	ctx := b.Context()
	var took []time.Duration
	for b.Loop() {
		began := time.Now()
		ctr, err := tcemulator.Run(ctx, tcemulator.DefaultImage, tcemulator.WithManualClock(start))
		took = append(took, time.Since(began))
		b.StopTimer()
		if terr := testcontainers.TerminateContainer(ctr); terr != nil {
			b.Errorf("Terminate: %v", terr)
		}
		if err != nil {
			b.Fatalf("Run: %v", err)
		}
		b.StartTimer()
	}
	slices.Sort(took)
	median := took[len(took)/2]
	if len(took)%2 == 0 {
		median = (took[len(took)/2-1] + took[len(took)/2]) / 2
	}
	b.ReportMetric(float64(median)/float64(time.Millisecond), "ms-median-to-ready")
	b.Logf("Run to ready over %d starts: median %v, min %v, max %v", len(took), median.Round(time.Millisecond), took[0].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond))
}
