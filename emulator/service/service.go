// Package service is the emulated Client Failover service as Go methods: the
// API's rules for groups, client sessions, heartbeats and access control
// lists, independent of HTTP.
//
// It reads the time only from its clock, keeps the state in a store, and
// leaves the failover rules to the failover package. Before any operation it
// brings every group whose sessions lapsed or whose override expired up to the
// present, so outcomes depend on writes and their times, never on reads. It
// also runs the virtual clients, peers the emulator drives itself: each of
// their requests at its own instant, interleaved with the lapses (see
// AddVirtualClient).
package service

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// DefaultMaxEvents bounds the failover event list; the oldest are dropped first.
const DefaultMaxEvents = 10000

// DefaultMaxSessionsPerGroup bounds the client sessions of one group: Post
// Client Session beyond it is a Conflict (409) saying the group is full. The
// real service's limit is not published; this one keeps a group's memory and
// the cost of evaluating it bounded (a catch-up over every session of a full
// group lapsing at its own instant takes milliseconds).
const DefaultMaxSessionsPerGroup = 10000

// Event is one role change of a client session.
type Event struct {
	// Seq numbers the events from 1 in the order recorded (time order);
	// it goes on across resets and new states (see LastSeq).
	Seq  uint64
	Time time.Time
	// OnPremises marks an event of the on-premises scope, which has no
	// tenant or namespace.
	OnPremises bool
	Tenant     string
	Namespace  string
	Group      string
	Session    string
	From       failover.Role
	To         failover.Role
	Rule       failover.Rule
}

// Service is the emulated service over one store and one clock.
type Service struct {
	store  *store.Store
	clock  *clock.Clock
	events *eventLog
	sched  *schedule   // guarded by the store's lock (but for its atomic next deadline)
	virt   *virtualSet // likewise
	sooner chan struct{}

	onVirtual func(VirtualRequest)

	minInterval atomic.Int64 // heartbeat rate limit, a time.Duration
	maxSessions int
	defaultACL  func(store.Scope) store.AccessControlList
	newID       func() string
}

// Options configures a Service; the zero value of each field has a default.
type Options struct {
	// MaxEvents bounds the event list (default DefaultMaxEvents).
	MaxEvents int
	// MaxSessionsPerGroup bounds the client sessions of one group (default
	// DefaultMaxSessionsPerGroup).
	MaxSessionsPerGroup int
	// DefaultCollectionACL is the collection list a namespace starts with
	// (default DefaultCollectionACL).
	DefaultCollectionACL func(store.Scope) store.AccessControlList
	// NewID makes new group and session ids (default random GUIDs).
	NewID func() string
	// OnVirtual, when set, is told every request a virtual client makes,
	// at its instant, so the HTTP layer can journal it. It runs under the
	// store's write lock: it must not call the Service.
	OnVirtual func(VirtualRequest)
}

// New returns a service over st that reads the time from clk.
func New(st *store.Store, clk *clock.Clock, opts Options) *Service {
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = DefaultMaxEvents
	}
	if opts.MaxSessionsPerGroup <= 0 {
		opts.MaxSessionsPerGroup = DefaultMaxSessionsPerGroup
	}
	if opts.DefaultCollectionACL == nil {
		opts.DefaultCollectionACL = DefaultCollectionACL
	}
	if opts.NewID == nil {
		opts.NewID = uuid.NewString
	}
	sooner := make(chan struct{}, 1)
	cloudACL := opts.DefaultCollectionACL
	return &Service{
		store:       st,
		clock:       clk,
		events:      newEventLog(opts.MaxEvents),
		sched:       newSchedule(sooner),
		virt:        newVirtualSet(sooner),
		onVirtual:   opts.OnVirtual,
		sooner:      sooner,
		maxSessions: opts.MaxSessionsPerGroup,
		defaultACL: func(sc store.Scope) store.AccessControlList {
			if sc.IsOnPremises() {
				return store.AccessControlList{} // no access control lists there
			}
			return cloudACL(sc)
		},
		newID: opts.NewID,
	}
}

// Clock is the clock the service reads.
func (s *Service) Clock() *clock.Clock { return s.clock }

// HeartbeatMinInterval is the minimum time between two accepted heartbeats of
// one session; 0 means no limit.
func (s *Service) HeartbeatMinInterval() time.Duration {
	return time.Duration(s.minInterval.Load())
}

// SetHeartbeatMinInterval changes the heartbeat rate limit; 0 turns it off.
func (s *Service) SetHeartbeatMinInterval(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("heartbeat minimum interval %v: must not be negative", d)
	}
	s.minInterval.Store(int64(d))
	return nil
}

// Events lists the recorded role changes, oldest first, and how many older
// ones were dropped to keep the list bounded. Call CatchUp first to include
// lapses that are due but not yet applied.
func (s *Service) Events() ([]Event, uint64) {
	evs := s.events.Snapshot()
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	return evs, s.events.Dropped()
}

// CatchUp applies every lapse and override expiry that happened up to now,
// and carries out every virtual client's action due by now, each at its own
// instant. It is cheap when nothing is due, so it runs before every request.
func (s *Service) CatchUp(context.Context) {
	now := s.clock.Now()
	if !s.sched.dueBy(now) && !s.virt.dueBy(now) {
		return
	}
	_ = s.store.Update(func(tx store.Tx) error {
		s.catchUpLocked(tx, s.clock.Now())
		return nil
	})
}

// Sooner is signalled when the earliest pending deadline moves earlier, so
// a watcher sleeping until NextDue can look again.
func (s *Service) Sooner() <-chan struct{} { return s.sooner }

// NextDue is the earliest instant at which some group has a lapse or expiry
// pending or a virtual client has an action due, for a watcher that sleeps
// until then; false when none is.
func (s *Service) NextDue() (time.Time, bool) {
	next, ok := s.sched.next()
	if v, vok := s.virt.nextAction(); vok && (!ok || v.Before(next)) {
		next, ok = v, true
	}
	return next, ok
}

// catchUpLocked carries out the virtual clients' actions due by now, each
// at its instant after the groups were brought up to it, and then advances
// every due group to now; the caller holds the write lock.
func (s *Service) catchUpLocked(tx store.Tx, now time.Time) {
	s.runVirtual(tx, now)
	s.advanceLocked(tx, now)
}

// advanceLocked advances every due group to now; the caller holds the write
// lock.
func (s *Service) advanceLocked(tx store.Tx, now time.Time) {
	// A group whose next deadline is now itself (a session lapses only after
	// the instant of its deadline) is put back only after the loop, or the
	// loop would pop it forever.
	var later []*store.Group
	var laterScopes []store.Scope
	var evs []Event // of every group, recorded together in time order
	for {
		ref, ok := s.sched.popDue(now)
		if !ok {
			break
		}
		g := tx.Namespace(ref.scope).Group(ref.group)
		if g == nil {
			continue
		}
		evs = appendEvents(evs, ref.scope, g, g.Failover.AdvanceTo(now))
		later = append(later, g)
		laterScopes = append(laterScopes, ref.scope)
	}
	s.events.AddAll(evs)
	for i, g := range later {
		s.reschedule(laterScopes[i], g)
	}
}

// record keeps events and reschedules the group after its state changed.
func (s *Service) record(scope store.Scope, g *store.Group, evs []failover.Event) {
	s.addEvents(scope, g, evs)
	s.reschedule(scope, g)
}

func (s *Service) addEvents(scope store.Scope, g *store.Group, evs []failover.Event) {
	s.events.AddAll(appendEvents(nil, scope, g, evs))
}

func appendEvents(out []Event, scope store.Scope, g *store.Group, evs []failover.Event) []Event {
	for _, e := range evs {
		out = append(out, Event{
			Time: e.Time, OnPremises: scope.IsOnPremises(), Tenant: scope.Tenant, Namespace: scope.Namespace, Group: g.ID,
			Session: e.Session, From: e.From, To: e.To, Rule: e.Rule,
		})
	}
	return out
}

func (s *Service) reschedule(scope store.Scope, g *store.Group) {
	if at, ok := g.Failover.NextDeadline(); ok {
		s.sched.schedule(groupRef{scope: scope, group: g.ID}, at)
	}
}

// write runs fn under the write lock after catching up to the present; fn
// gets the time the operation happens at.
func (s *Service) write(fn func(tx store.Tx, now time.Time) error) error {
	return s.store.Update(func(tx store.Tx) error {
		now := s.clock.Now()
		s.catchUpLocked(tx, now)
		return fn(tx, now)
	})
}

// read runs fn under the read lock; callers have caught up already.
func (s *Service) read(fn func(tx store.Tx)) {
	s.store.View(fn)
}

// cloneRaw copies a JSON value so stored state never aliases a request body.
func cloneRaw(m json.RawMessage) json.RawMessage {
	if m == nil {
		return nil
	}
	return append(json.RawMessage(nil), m...)
}
