package failover

import (
	"errors"
	"fmt"
	"time"
)

// Role is the failover role of a client session. The values are the ones the
// API sends on the wire.
type Role int

// The roles of a client session.
const (
	Secondary      Role = 0 // neither Primary nor PendingPrimary
	Primary        Role = 1 // the session that sends the data
	PendingPrimary Role = 2 // chosen to become Primary on its next heartbeat after being told
)

// String returns the role's name as the API spells it.
func (r Role) String() string {
	switch r {
	case Secondary:
		return "Secondary"
	case Primary:
		return "Primary"
	case PendingPrimary:
		return "PendingPrimary"
	default:
		return fmt.Sprintf("Role(%d)", int(r))
	}
}

// Override is the role override of a client session. The values are the
// ones the API sends on the wire.
type Override int

// The role override values.
const (
	OverrideOff     Override = 0 // the rules decide the session's role
	OverridePrimary Override = 1 // the session is forced to Primary (rule 1)
	// OverrideSecondary forces the session to Secondary (rule 1). Only the
	// on-premises surface offers it; the caller decides who may set it.
	OverrideSecondary Override = 2
)

// String returns the override's name as the API spells it.
func (o Override) String() string {
	switch o {
	case OverrideOff:
		return "Off"
	case OverridePrimary:
		return "Primary"
	case OverrideSecondary:
		return "Secondary"
	default:
		return fmt.Sprintf("Override(%d)", int(o))
	}
}

// Rule names the rule that caused an [Event].
type Rule string

// The rules named in events.
const (
	RuleOverride        Rule = "Override"        // rule 1: an override in force
	RuleOverrideExpired Rule = "OverrideExpired" // an override expired (not a role change)
	RuleOnlyClient      Rule = "OnlyClient"      // rule 2: the group's only session
	RuleFirstPrimary    Rule = "FirstPrimary"    // rule 3
	RuleNoPrimary       Rule = "NoPrimary"       // rule 4: a PendingPrimary chosen
	RuleWeakPrimary     Rule = "WeakPrimary"     // rule 5
	RuleHandOver        Rule = "HandOver"        // rule 6: a PendingPrimary became Primary
	RuleLapsed          Rule = "Lapsed"          // a Primary or PendingPrimary that is not live became Secondary
	RuleSessionDeleted  Rule = "SessionDeleted"  // a session holding a role was deleted
)

// Heartbeat is what a client reports in a heartbeat message.
type Heartbeat struct {
	// Score is the client's failover score: the percentage (0 to 100) of
	// its data streams that are healthy.
	Score float64
	// LastDataProcessedTime is the time of the latest data the client
	// processed; nil when the client sent none.
	LastDataProcessedTime *time.Time
	// HeartbeatTime is the client's own clock when it sent the heartbeat.
	// It is kept and shown, never used for timing: client clocks drift.
	HeartbeatTime *time.Time
}

func (h Heartbeat) clone() Heartbeat {
	h.LastDataProcessedTime = cloneTime(h.LastDataProcessedTime)
	h.HeartbeatTime = cloneTime(h.HeartbeatTime)
	return h
}

// Session is one client session of a group.
type Session struct {
	// ID identifies the session, stored as first written. Look-ups ignore
	// case.
	ID string
	// Name is the session's name, or nil.
	Name *string
	// Created is the emulator-clock time at which the session was added.
	Created time.Time
	// Role is the session's role as of the group's last evaluation.
	Role Role
	// Heartbeat is the latest accepted heartbeat, nil when the session has
	// never posted one.
	Heartbeat *Heartbeat
	// LastHeartbeat is the emulator-clock time at which Heartbeat was
	// accepted; zero when there is none.
	LastHeartbeat time.Time
	// Override is the session's role override. An override that has
	// expired reads Off once the group has been advanced past its
	// expiration.
	Override Override
	// OverrideExpires is when the override expires; nil means never (and
	// is always nil when Override is Off).
	OverrideExpires *time.Time
	// ToldPending records that a heartbeat response has told the session
	// it is PendingPrimary, so its next heartbeat completes the hand-over.
	// It is cleared whenever the session stops being PendingPrimary.
	ToldPending bool
}

// Posted reports whether the session has posted a heartbeat.
func (s *Session) Posted() bool { return s.Heartbeat != nil }

// expiry is the instant at which the session's override expires, if it holds
// one that can expire.
func (s *Session) expiry() (time.Time, bool) {
	if s.Override == OverrideOff || s.OverrideExpires == nil {
		return time.Time{}, false
	}
	return *s.OverrideExpires, true
}

func (s *Session) clone() *Session {
	c := *s
	c.Name = cloneString(s.Name)
	if s.Heartbeat != nil {
		hb := s.Heartbeat.clone()
		c.Heartbeat = &hb
	}
	c.OverrideExpires = cloneTime(s.OverrideExpires)
	return &c
}

// Event records one role change of a session, or the expiry of its override
// (then From and To are equal).
type Event struct {
	Time     time.Time // when it happened, on the emulator clock
	Session  string    // the session's ID
	From, To Role
	Rule     Rule // the rule that caused it
}

// String formats the event for logs and test failures.
func (e Event) String() string {
	return fmt.Sprintf("%s %s: %v -> %v (%s)", e.Time.Format(time.RFC3339Nano), e.Session, e.From, e.To, e.Rule)
}

// ErrNoSession is returned (wrapped) when a method names a session the group
// does not have.
var ErrNoSession = errors.New("no such session")

// ErrInvalidOverride is returned (wrapped) by [Group.SetOverride] for a value
// other than OverrideOff, OverridePrimary and OverrideSecondary.
var ErrInvalidOverride = errors.New("invalid override value")

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	c := *s
	return &c
}
