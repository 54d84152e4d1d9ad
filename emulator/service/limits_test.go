package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

func newService(t *testing.T, opts service.Options) (*service.Service, *clock.Clock) {
	t.Helper()
	clk := clock.New(clock.Manual, t0, nil)
	svc := service.New(store.New(), clk, opts)
	if _, _, err := svc.PostGroup(context.Background(), scope, service.GroupConfig{ID: "g", Timeout: time.Minute}, false); err != nil {
		t.Fatal(err)
	}
	return svc, clk
}

func wantKind(t *testing.T, what string, err error, kind service.Kind) *service.Error {
	t.Helper()
	var se *service.Error
	if !errors.As(err, &se) || se.Kind != kind {
		t.Fatalf("%s: %v, want a service Error of kind %d", what, err, kind)
	}
	return se
}

func TestSessionsPerGroupAreBounded(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		opts service.Options
		max  int
	}{
		{"a limit of 3", service.Options{MaxSessionsPerGroup: 3}, 3},
		{"a limit of 1", service.Options{MaxSessionsPerGroup: 1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := newService(t, tt.opts)
			for i := range tt.max {
				if _, _, err := svc.PostSession(ctx, scope, "g", fmt.Sprintf("s%d", i), nil); err != nil {
					t.Fatalf("session %d: %v", i, err)
				}
			}
			_, _, err := svc.PostSession(ctx, scope, "g", "one-too-many", nil)
			se := wantKind(t, "a session beyond the limit", err, service.Conflict)
			if !strings.Contains(se.Message, "full") {
				t.Errorf("message %q does not say the group is full", se.Message)
			}
			// The same session again is no new session: still answered.
			if _, created, err := svc.PostSession(ctx, scope, "g", "s0", nil); err != nil || created {
				t.Errorf("posting an existing session to a full group: created %v, %v; want 200", created, err)
			}
			if err := svc.DeleteSession(ctx, scope, "g", "s0"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := svc.PostSession(ctx, scope, "g", "one-too-many", nil); err != nil {
				t.Errorf("after a delete there is room again: %v", err)
			}
			list, _ := svc.ListSessions(ctx, scope, "g")
			if len(list) != tt.max {
				t.Errorf("%d sessions, want %d", len(list), tt.max)
			}
		})
	}
}

// A loaded state obeys the same bound (the default one here; filling a group
// through Post Client Session is tested with small limits above).
func TestImportBoundsSessionsPerGroup(t *testing.T) {
	sessions := func(n int) []fixture.Session {
		out := make([]fixture.Session, n)
		for i := range out {
			out[i].Id = fmt.Sprintf("s%d", i)
		}
		return out
	}
	tests := []struct {
		name     string
		opts     service.Options
		sessions int
		wantErr  string
	}{
		{"a limit of 2", service.Options{MaxSessionsPerGroup: 2}, 3, "3 sessions, more than the 2 a group may have"},
		{"at a limit of 2", service.Options{MaxSessionsPerGroup: 2}, 2, ""},
		{"the default limit", service.Options{}, service.DefaultMaxSessionsPerGroup + 1, fmt.Sprintf("more than the %d", service.DefaultMaxSessionsPerGroup)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := newService(t, tt.opts)
			doc := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "t", NamespaceId: "n", Groups: []fixture.Group{{
				Id: "g2", FailoverTimeout: "00:01:00", Sessions: sessions(tt.sessions),
			}}}}}
			err := svc.Import(doc)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Import: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Import: %v, want an error with %q", err, tt.wantErr)
			}
			if _, err := svc.GetGroup(context.Background(), scope, "g"); err != nil {
				t.Errorf("a rejected import changed the state: %v", err)
			}
		})
	}
}

func TestRoleOverrideSecondaryOnlyWhenAllowed(t *testing.T) {
	ctx := context.Background()
	period := 10 * time.Minute
	tests := []struct {
		name     string
		value    failover.Override
		allow    bool
		period   *time.Duration
		wantErr  string // "" = accepted
		wantRole failover.Role
	}{
		{"Secondary where not allowed", failover.OverrideSecondary, false, nil, "0 (Off) or 1 (Primary)", failover.Primary},
		{"Secondary where allowed", failover.OverrideSecondary, true, nil, "", failover.Secondary},
		{"Secondary for a while", failover.OverrideSecondary, true, &period, "", failover.Secondary},
		{"an unknown value where Secondary is allowed", failover.Override(3), true, nil, "2 (Secondary)", failover.Primary},
		{"Primary where Secondary is allowed", failover.OverridePrimary, true, nil, "", failover.Primary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := newService(t, service.Options{})
			if _, _, err := svc.PostSession(ctx, scope, "g", "s", nil); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Heartbeat(ctx, scope, "g", "s", failover.Heartbeat{Score: 100}); err != nil {
				t.Fatal(err)
			}
			res, err := svc.RoleOverride(ctx, scope, "g", "s", tt.value, tt.period, tt.allow)
			if tt.wantErr != "" {
				se := wantKind(t, "RoleOverride", err, service.Invalid)
				if !strings.Contains(se.Reason, tt.wantErr) {
					t.Errorf("reason %q, want it to list %q", se.Reason, tt.wantErr)
				}
			} else if err != nil {
				t.Fatalf("RoleOverride: %v", err)
			} else if res.Value != tt.value || (res.Expires != nil) != (tt.period != nil) {
				t.Errorf("answered %v expiring %v, want %v expiring: %v", res.Value, res.Expires, tt.value, tt.period != nil)
			}
			got, _ := svc.GetSession(ctx, scope, "g", "s")
			if got.Role != tt.wantRole {
				t.Errorf("the session is %v, want %v", got.Role, tt.wantRole)
			}
		})
	}
}

// A loaded state may hold what the rules allow: a Secondary override, and a
// Primary override holder that is Primary without ever posting. The rules
// run on import, so a holder written as Secondary is Primary once loaded.
func TestImportOverrides(t *testing.T) {
	ctx := context.Background()
	expires := t0.Add(time.Hour)
	hb := &fixture.Heartbeat{FailoverStatus: 100}
	last := t0
	tests := []struct {
		name     string
		sessions []fixture.Session
		wantErr  string
		primary  string
	}{
		{"a Primary override holder that never posted is Primary", []fixture.Session{
			{Id: "a", Role: 1, Override: 1},
			{Id: "b", Heartbeat: hb, LastHeartbeatReceived: &last},
		}, "", "a"},
		{"a Primary override holder written as Secondary is Primary once loaded", []fixture.Session{
			{Id: "a", Role: 1, Heartbeat: hb, LastHeartbeatReceived: &last},
			{Id: "b", Override: 1},
		}, "", "b"},
		{"a Secondary override, expiring", []fixture.Session{
			{Id: "a", Role: 1, Heartbeat: hb, LastHeartbeatReceived: &last, Override: 2, RoleOverrideExpirationTime: &expires},
			{Id: "b", Heartbeat: &fixture.Heartbeat{FailoverStatus: 50}, LastHeartbeatReceived: &last},
		}, "", ""},
		{"a lone live session is Primary once loaded", []fixture.Session{
			{Id: "a", Heartbeat: &fixture.Heartbeat{FailoverStatus: 0}, LastHeartbeatReceived: &last},
		}, "", "a"},
		{"Primary without a heartbeat or an override", []fixture.Session{{Id: "a", Role: 1}}, "never sent a heartbeat", ""},
		{"PendingPrimary without a heartbeat, even with an override", []fixture.Session{{Id: "a", Role: 2, Override: 1}}, "never sent a heartbeat", ""},
		{"an override out of range", []fixture.Session{{Id: "a", Override: 3}}, "2 (Secondary)", ""},
		{"two Primary overrides", []fixture.Session{{Id: "a", Override: 1}, {Id: "b", Override: 1}}, "more than one session holds a Primary role override", ""},
		{"Secondary overrides on several sessions", []fixture.Session{{Id: "a", Override: 2}, {Id: "b", Override: 2}, {Id: "c", Override: 1}}, "", "c"},
		{"a Secondary override in a cloud namespace", []fixture.Session{{Id: "a", Override: 2}}, "only on the on-premises service", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := service.New(store.New(), clock.New(clock.Manual, t0.Add(time.Second), nil), service.Options{})
			group := fixture.Group{Id: "g", FailoverTimeout: "00:01:00", HadPrimary: true, Sessions: tt.sessions}
			doc := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "t", NamespaceId: "n", Groups: []fixture.Group{group}}}}
			onPremises := false
			for _, s := range tt.sessions {
				onPremises = onPremises || s.Override == 2
			}
			if onPremises && !strings.Contains(tt.name, "cloud") { // the only scope with Secondary overrides
				doc = fixture.Document{OnPremises: &fixture.OnPremises{Groups: []fixture.Group{group}}}
			}
			primaryOf := func(t *testing.T, svc *service.Service) string {
				t.Helper()
				sc := scope
				if doc.OnPremises != nil {
					sc = store.OnPremises
				}
				st, err := svc.GroupStatus(ctx, sc, "g")
				if err != nil {
					t.Fatal(err)
				}
				if st.Primary == nil {
					return ""
				}
				return *st.Primary
			}
			err := svc.Import(doc)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Import: %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if got := primaryOf(t, svc); got != tt.primary {
				t.Errorf("Primary = %q, want %q", got, tt.primary)
			}
			// What was loaded exports and loads back unchanged.
			first := svc.Export(ctx)
			if err := svc.Import(first); err != nil {
				t.Fatalf("Import of the export: %v", err)
			}
			a, _ := json.Marshal(first)
			b, _ := json.Marshal(svc.Export(ctx))
			if string(a) != string(b) {
				t.Errorf("the state changed on a round trip:\n first %s\n again %s", a, b)
			}
		})
	}
}
