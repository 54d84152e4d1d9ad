package service

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/store"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// Session is a client session as the API shows it.
type Session struct {
	ID              string
	Name            *string
	Heartbeat       *failover.Heartbeat
	Role            failover.Role
	HeartbeatPosted bool
	Override        failover.Override
	OverrideExpires *time.Time
}

func sessionOf(s *failover.Session) Session {
	out := Session{
		ID:              s.ID,
		Name:            s.Name,
		Role:            s.Role,
		HeartbeatPosted: s.Heartbeat != nil,
		Override:        s.Override,
		OverrideExpires: cloneTime(s.OverrideExpires),
	}
	if s.Heartbeat != nil {
		hb := *s.Heartbeat
		hb.LastDataProcessedTime = cloneTime(hb.LastDataProcessedTime)
		hb.HeartbeatTime = cloneTime(hb.HeartbeatTime)
		out.Heartbeat = &hb
	}
	return out
}

// withGroup runs fn on an up-to-date group under the write lock and records
// what fn's change did to the roles.
func (s *Service) withGroup(scope store.Scope, id string, fn func(g *store.Group, now time.Time) ([]failover.Event, error)) error {
	return s.write(func(tx store.Tx, now time.Time) error {
		return s.inGroup(tx, scope, id, now, fn)
	})
}

// inGroup is withGroup for a caller that holds the write lock, at the
// instant at: a virtual client's action happens at its own instant.
func (s *Service) inGroup(tx store.Tx, scope store.Scope, id string, at time.Time, fn func(g *store.Group, at time.Time) ([]failover.Event, error)) error {
	g := tx.Namespace(scope).Group(id)
	if g == nil {
		return groupNotFound(id)
	}
	s.record(scope, g, g.Failover.AdvanceTo(at))
	evs, err := fn(g, at)
	s.record(scope, g, evs)
	return err
}

// CheckSession reports NotFound when the group, or the session when
// session != "", does not exist. Operations on a session answer 404 before
// they look at the body.
func (s *Service) CheckSession(ctx context.Context, scope store.Scope, group, session string) error {
	var err error
	s.read(func(tx store.Tx) {
		g := tx.Namespace(scope).Group(group)
		switch {
		case g == nil:
			err = groupNotFound(group)
		case session != "" && g.Failover.Session(session) == nil:
			err = sessionNotFound(g.ID, session)
		}
	})
	return err
}

// ListSessions returns a group's client sessions in creation order.
func (s *Service) ListSessions(ctx context.Context, scope store.Scope, group string) ([]Session, error) {
	var out []Session
	err := s.withGroup(scope, group, func(g *store.Group, _ time.Time) ([]failover.Event, error) {
		out = make([]Session, len(g.Failover.Sessions))
		for i, cs := range g.Failover.Sessions {
			out[i] = sessionOf(cs)
		}
		return nil, nil
	})
	return out, err
}

// GetSession returns one client session.
func (s *Service) GetSession(ctx context.Context, scope store.Scope, group, id string) (Session, error) {
	var out Session
	err := s.withGroup(scope, group, func(g *store.Group, _ time.Time) ([]failover.Event, error) {
		cs := g.Failover.Session(id)
		if cs == nil {
			return nil, sessionNotFound(g.ID, id)
		}
		out = sessionOf(cs)
		return nil, nil
	})
	return out, err
}

// PostSession adds a client session (an empty id gets a new GUID). When the
// id exists with the same Name it answers that session with created ==
// false; with another Name it is a Conflict, and so is a new session in a
// group that already has the most sessions a group may have
// (Options.MaxSessionsPerGroup).
func (s *Service) PostSession(ctx context.Context, scope store.Scope, group, id string, name *string) (out Session, created bool, err error) {
	if id == "" {
		id = s.newID()
	}
	err = s.write(func(tx store.Tx, now time.Time) error {
		out, created, err = s.postSessionLocked(tx, scope, group, id, name, now)
		return err
	})
	return out, created, err
}

// postSessionLocked is PostSession at the instant at, under the write lock,
// for a real client and a virtual one alike.
func (s *Service) postSessionLocked(tx store.Tx, scope store.Scope, group, id string, name *string, at time.Time) (out Session, created bool, err error) {
	err = s.inGroup(tx, scope, group, at, func(g *store.Group, now time.Time) ([]failover.Event, error) {
		if cs := g.Failover.Session(id); cs != nil {
			if !equalString(cs.Name, name) {
				return nil, &Error{
					Kind:       Conflict,
					Message:    "A client session with the same Id and another configuration exists.",
					Reason:     fmt.Sprintf("Client session %q of group %q has another Name.", cs.ID, g.ID),
					Resolution: "Use another session Id, or send the same Name as the existing session.",
				}
			}
			out = sessionOf(cs)
			return nil, nil
		}
		if n := len(g.Failover.Sessions); n >= s.maxSessions {
			return nil, &Error{
				Kind:       Conflict,
				Message:    "The failover group is full.",
				Reason:     fmt.Sprintf("Failover group %q has %d client sessions, the most the emulator allows in one group.", g.ID, n),
				Resolution: "Delete client sessions the group no longer needs, or use another group.",
			}
		}
		cs, evs := g.Failover.AddSession(id, name, now)
		out, created = sessionOf(cs), true
		return evs, nil
	})
	return out, created, err
}

// DeleteSession deletes a client session; the rules run at once.
func (s *Service) DeleteSession(ctx context.Context, scope store.Scope, group, id string) error {
	return s.write(func(tx store.Tx, now time.Time) error {
		return s.deleteSessionLocked(tx, scope, group, id, now)
	})
}

// deleteSessionLocked is DeleteSession at the instant at, under the write
// lock.
func (s *Service) deleteSessionLocked(tx store.Tx, scope store.Scope, group, id string, at time.Time) error {
	return s.inGroup(tx, scope, group, at, func(g *store.Group, now time.Time) ([]failover.Event, error) {
		if g.Failover.Session(id) == nil {
			return nil, sessionNotFound(g.ID, id)
		}
		return g.Failover.DeleteSession(id, now)
	})
}

// HeartbeatResult is what a heartbeat response tells the client.
type HeartbeatResult struct {
	Role                  failover.Role
	LastDataProcessedTime *time.Time
}

// Heartbeat accepts a heartbeat unless it comes sooner than the minimum
// interval after the session's previous one (TooMany, nothing changed).
func (s *Service) Heartbeat(ctx context.Context, scope store.Scope, group, id string, hb failover.Heartbeat) (HeartbeatResult, error) {
	var out HeartbeatResult
	if hb.Score < 0 || hb.Score > 100 || math.IsNaN(hb.Score) {
		return out, invalid(fmt.Sprintf("The failover score %v is outside 0 to 100.", hb.Score), "Send the percentage of healthy streams, 0 to 100.")
	}
	err := s.write(func(tx store.Tx, now time.Time) error {
		var err error
		out, err = s.heartbeatLocked(tx, scope, group, id, hb, now)
		return err
	})
	return out, err
}

// heartbeatLocked is Heartbeat at the instant at, under the write lock: the
// one path of every heartbeat, a real client's and a virtual one's, with
// the rate limit, the rules and the events. The score is checked already.
func (s *Service) heartbeatLocked(tx store.Tx, scope store.Scope, group, id string, hb failover.Heartbeat, at time.Time) (HeartbeatResult, error) {
	var out HeartbeatResult
	minInterval := s.HeartbeatMinInterval()
	err := s.inGroup(tx, scope, group, at, func(g *store.Group, now time.Time) ([]failover.Event, error) {
		cs := g.Failover.Session(id)
		if cs == nil {
			return nil, sessionNotFound(g.ID, id)
		}
		if minInterval > 0 && cs.Heartbeat != nil {
			if wait := cs.LastHeartbeat.Add(minInterval).Sub(now); wait > 0 {
				return nil, &Error{
					Kind:       TooMany,
					Message:    "Too many heartbeats.",
					Reason:     fmt.Sprintf("Client session %q sent a heartbeat %v after its previous one; the minimum interval is %v.", cs.ID, now.Sub(cs.LastHeartbeat), minInterval),
					Resolution: "Wait for the time the Retry-After header gives, then send the next heartbeat.",
					RetryAfter: wait,
				}
			}
		}
		role, ldpt, evs, err := g.Failover.Heartbeat(id, hb, now)
		if err != nil {
			return evs, fmt.Errorf("heartbeat: %w", err)
		}
		out = HeartbeatResult{Role: role, LastDataProcessedTime: ldpt} // a copy already: Heartbeat shares none of the group
		return evs, nil
	})
	return out, err
}

// OverrideResult is what a role override response tells the client.
type OverrideResult struct {
	Value   failover.Override
	Expires *time.Time
}

// RoleOverride sets (Primary, or Secondary where allowSecondary) or clears
// (Off) a session's role override. period nil means the override never
// expires. Only the on-premises surface offers Secondary: its callers pass
// allowSecondary, and for every other caller the value 2 is Invalid like any
// unknown value.
func (s *Service) RoleOverride(ctx context.Context, scope store.Scope, group, id string, value failover.Override, period *time.Duration, allowSecondary bool) (OverrideResult, error) {
	var out OverrideResult
	switch {
	case value == failover.OverrideOff || value == failover.OverridePrimary:
	case value == failover.OverrideSecondary && allowSecondary:
	case allowSecondary:
		return out, invalid(fmt.Sprintf("Role override value %d is not 0 (Off), 1 (Primary) or 2 (Secondary).", value), "Send 0, 1 or 2.")
	default:
		return out, invalid(fmt.Sprintf("Role override value %d is not 0 (Off) or 1 (Primary).", value), "Send 0 or 1.")
	}
	if period != nil && *period <= 0 {
		return out, invalid("ExpirationPeriod must be greater than zero.", "Send a positive time-span, or null for an override that never expires.")
	}
	err := s.withGroup(scope, group, func(g *store.Group, now time.Time) ([]failover.Event, error) {
		if g.Failover.Session(id) == nil {
			return nil, sessionNotFound(g.ID, id)
		}
		var expires *time.Time
		if value != failover.OverrideOff && period != nil {
			t := now.Add(*period)
			if !timefmt.InRange(t) {
				return nil, invalid(fmt.Sprintf("An override of %s from now (%s) would expire after 9999-12-31T23:59:59.9999999Z, the last instant a date-time can hold.",
					timefmt.FormatSpan(*period), timefmt.FormatDateTime(now)),
					"Send a shorter ExpirationPeriod, or null for an override that never expires.")
			}
			expires = &t
		}
		evs, err := g.Failover.SetOverride(id, value, expires, now)
		out = OverrideResult{Value: value, Expires: cloneTime(expires)}
		return evs, err
	})
	return out, err
}
