package service

import (
	"container/heap"
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/emulator/store"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
	"github.com/adh-emulator/clientfailover/emulator/virtual"
)

// Virtual clients (control-api.md, "Virtual clients"; the timeline is the
// package virtual's). AddVirtualClient documents how the service carries
// out their actions. Their state is guarded by the store's lock.

// VirtualRequest is one request a virtual client made, for the HTTP layer
// to journal as it would a real client's (Options.OnVirtual).
type VirtualRequest struct {
	// Client is the virtual client's Id.
	Client string
	// Time is the instant of the request, on the emulator clock.
	Time time.Time
	// Surface is the API the client speaks; Scope, Group and Session say
	// where it went.
	Surface virtual.Surface
	Scope   store.Scope
	Group   string
	Session string
	// Operation is PostClientSession, PostHeartbeatMessage or
	// DeleteClientSession.
	Operation operation.Name
	// SessionName is the Name a PostClientSession sent.
	SessionName *string
	// Heartbeat is what a PostHeartbeatMessage sent.
	Heartbeat *failover.Heartbeat
	// Created: the PostClientSession created the session (rather than
	// finding it as it was).
	Created bool
	// Result is what an accepted heartbeat was told.
	Result *HeartbeatResult
	// Err says why the request was refused (an *Error); nil when it
	// succeeded.
	Err error
}

// vclient is a virtual client and what it has done.
type vclient struct {
	plan    *virtual.Plan
	id      string
	surface virtual.Surface
	scope   store.Scope
	group   string
	session string
	name    *string

	seq     uint64    // the order it was added in: the order of clients due at one instant
	through time.Time // every action at or before it has been carried out
	next    time.Time // its next action, while it is in the heap
	index   int       // its place in the heap, -1 when out of it

	heartbeats    int64
	lastHeartbeat *time.Time
	lastRole      *failover.Role
	lastError     *string
}

func (c *vclient) sessionKey() string {
	return sessionKey(c.scope, c.group, c.session)
}

func sessionKey(scope store.Scope, group, session string) string {
	return scope.Key() + "\x00" + ids.Key(group) + "\x00" + ids.Key(session)
}

// virtualSet holds the virtual clients, with a min-heap of their next
// actions. Everything but nextNanos is guarded by the store's write lock.
type virtualSet struct {
	byID      map[string]*vclient // by ids.Key of the Id
	bySession map[string]*vclient // by sessionKey
	list      []*vclient          // in the order added
	due       vclientHeap
	seq       uint64
	caughtUp  time.Time    // the latest instant the clients were run up to
	rate      float64      // heartbeats per nanosecond of all clients together, at most
	nextNanos atomic.Int64 // the earliest next action as UnixNano; noDeadline when none
	sooner    chan struct{}
}

func newVirtualSet(sooner chan struct{}) *virtualSet {
	v := &virtualSet{sooner: sooner}
	v.reset(nil)
	return v
}

// reset replaces every client with list (in that order).
func (v *virtualSet) reset(list []*vclient) {
	v.byID, v.bySession = map[string]*vclient{}, map[string]*vclient{}
	v.list, v.due, v.rate = nil, nil, 0
	for _, c := range list {
		v.add(c)
	}
	v.publish()
}

func (v *virtualSet) add(c *vclient) {
	v.seq++
	c.seq, c.index = v.seq, -1
	v.byID[ids.Key(c.id)] = c
	v.bySession[c.sessionKey()] = c
	v.list = append(v.list, c)
	v.rate += 1 / float64(c.plan.Client().Interval)
	v.reschedule(c)
}

func (v *virtualSet) remove(c *vclient) {
	delete(v.byID, ids.Key(c.id))
	delete(v.bySession, c.sessionKey())
	for i, o := range v.list {
		if o == c {
			v.list = append(v.list[:i], v.list[i+1:]...)
			break
		}
	}
	v.rate = max(v.rate-1/float64(c.plan.Client().Interval), 0)
	if c.index >= 0 {
		heap.Remove(&v.due, c.index)
	}
	v.publish()
}

// reschedule puts c back in the heap at its next action after through.
func (v *virtualSet) reschedule(c *vclient) {
	next, ok := c.plan.Next(c.through)
	if !ok {
		return
	}
	c.next = next
	heap.Push(&v.due, c)
	v.publish()
}

// popDue takes out the client whose next action is earliest, if it is at or
// before now.
func (v *virtualSet) popDue(now time.Time) (*vclient, bool) {
	if len(v.due) == 0 || v.due[0].next.After(now) {
		return nil, false
	}
	return heap.Pop(&v.due).(*vclient), true
}

func (v *virtualSet) publish() {
	before := v.nextNanos.Load()
	next := noDeadline
	if len(v.due) > 0 {
		next = unixNanos(v.due[0].next)
	}
	v.nextNanos.Store(next)
	if next < before {
		select {
		case v.sooner <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

// dueBy reports, without a lock, whether some client has an action due.
func (v *virtualSet) dueBy(now time.Time) bool { return v.nextNanos.Load() <= unixNanos(now) }

// nextAction is the earliest pending action's instant, if any.
func (v *virtualSet) nextAction() (time.Time, bool) {
	n := v.nextNanos.Load()
	if n == noDeadline {
		return time.Time{}, false
	}
	return time.Unix(0, n).UTC(), true
}

// heartbeats counts the heartbeats every client would post from now (up
// to which they have acted) to to.
func (v *virtualSet) heartbeats(now, to time.Time) int64 {
	var n int64
	for _, c := range v.list {
		from := c.through
		if now.After(from) {
			from = now
		}
		n += c.plan.Heartbeats(from, to)
	}
	return n
}

// vclientHeap orders clients by their next action, then the order added.
type vclientHeap = indexedHeap[*vclient]

func (c *vclient) before(o *vclient) bool {
	if !c.next.Equal(o.next) {
		return c.next.Before(o.next)
	}
	return c.seq < o.seq
}

func (c *vclient) setIndex(i int) { c.index = i }

// tooFar reports whether catching up from caughtUp to now would take the
// clients more than virtual.MaxHeartbeatsPerMove heartbeats: a cheap bound
// first, the exact count only when the bound says it may.
func (v *virtualSet) tooFar(now time.Time) bool {
	gap := now.Sub(v.caughtUp)
	if gap <= 0 || v.rate*float64(gap) <= virtual.MaxHeartbeatsPerMove/2 {
		return false
	}
	return v.heartbeats(v.caughtUp, now) > virtual.MaxHeartbeatsPerMove
}

// rejoin has every client join again at now, as after a load of a state
// saved earlier: what falls between its last action and now does not
// happen.
func (v *virtualSet) rejoin(now time.Time) {
	v.due = nil
	for _, c := range v.list {
		if plan, err := virtual.Compile(c.plan.Client(), now); err == nil { // it compiled before
			c.plan = plan
		}
		c.through, c.index = now.Add(-time.Nanosecond), -1
		v.reschedule(c)
	}
	v.publish()
}

// runVirtual carries out every virtual action due by now, in time order:
// before each, the groups are brought up to its instant. A jump of the
// clock that MoveClock did not check (a reset, the real clock after the
// host slept) and that would take more than virtual.MaxHeartbeatsPerMove
// heartbeats makes every client join again at now instead, so that no
// catch-up runs for minutes under the lock.
func (s *Service) runVirtual(tx store.Tx, now time.Time) {
	if s.virt.tooFar(now) {
		s.virt.rejoin(now)
	}
	for {
		c, ok := s.virt.popDue(now)
		if !ok {
			break
		}
		t := c.next
		s.advanceLocked(tx, t)
		for _, a := range c.plan.At(t) {
			s.act(tx, c, a)
		}
		c.through = t
		s.virt.reschedule(c)
	}
	s.virt.publish()
	s.virt.caughtUp = now
}

// act carries out one action of c at its instant, through the path a real
// client's request takes, and reports it to Options.OnVirtual.
func (s *Service) act(tx store.Tx, c *vclient, a virtual.Action) {
	req := VirtualRequest{
		Client: c.id, Time: a.At, Surface: c.surface, Scope: c.scope, Group: c.group, Session: c.session,
	}
	switch a.Kind {
	case virtual.Register:
		req.Operation, req.SessionName = operation.PostClientSession, cloneString(c.name)
		_, req.Created, req.Err = s.postSessionLocked(tx, c.scope, c.group, c.session, c.name, a.At)
	case virtual.Leave:
		req.Operation = operation.DeleteClientSession
		req.Err = s.deleteSessionLocked(tx, c.scope, c.group, c.session, a.At)
	case virtual.Heartbeat:
		at := a.At
		hb := failover.Heartbeat{Score: a.Score, HeartbeatTime: &at}
		if c.lastRole != nil && *c.lastRole == failover.Primary {
			// A Primary has processed its data up to now.
			hb.LastDataProcessedTime = cloneTime(&at)
		}
		req.Operation, req.Heartbeat = operation.PostHeartbeatMessage, &hb
		res, err := s.heartbeatLocked(tx, c.scope, c.group, c.session, hb, a.At)
		c.heartbeats++
		c.lastHeartbeat = cloneTime(&at)
		if req.Err = err; err == nil {
			role := res.Role
			c.lastRole, req.Result = &role, &res
		}
	}
	c.lastError = nil
	if req.Err != nil {
		msg := req.Err.Error()
		c.lastError = &msg
	}
	if s.onVirtual != nil {
		s.onVirtual(req)
	}
}

// invalidVirtual is a 400 about a virtual client.
func invalidVirtual(reason string) *Error {
	return &Error{
		Kind:       Invalid,
		Message:    "The virtual client is not valid.",
		Reason:     reason,
		Resolution: "Correct the virtual client (see the README's section on virtual clients).",
	}
}

// scopeOf is where a virtual client works.
func scopeOf(c virtual.Client) store.Scope {
	if c.Surface.Cloud() {
		return store.Scope{Tenant: c.Tenant, Namespace: c.Namespace}
	}
	return store.OnPremises
}

// newVClient checks c, added at joined, against its group g (nil when it
// does not exist), puts in the defaults that depend on them (Interval,
// Start) and plans it.
func newVClient(c virtual.Client, g *store.Group, joined time.Time) (*vclient, error) {
	// Everything the group does not decide is checked first, so that the
	// error names the first problem of the body.
	probe := c
	if probe.Interval == 0 {
		probe.Interval = virtual.MinInterval
	}
	if probe.Start.IsZero() {
		probe.Start = joined
	}
	if _, err := virtual.Compile(probe, joined); err != nil {
		return nil, invalidVirtual(upperFirst(err.Error()) + ".")
	}
	scope := scopeOf(c)
	if g == nil {
		return nil, invalidVirtual(fmt.Sprintf("No failover group with Id %q exists in the %s scope.", c.Group, scope))
	}
	if c.Interval == 0 {
		c.Interval = g.Timeout() / 2
		if c.Interval < virtual.MinInterval {
			return nil, invalidVirtual(fmt.Sprintf("The FailoverTimeout of group %q, %s, makes a default Interval (half of it) shorter than the shortest allowed, %s.",
				g.ID, timefmt.FormatSpan(g.Timeout()), timefmt.FormatSpan(virtual.MinInterval)))
		}
	}
	if c.Start.IsZero() {
		c.Start = joined
	}
	if cs := g.Failover.Session(c.Session); cs != nil && !equalString(cs.Name, c.SessionName) {
		return nil, invalidVirtual(fmt.Sprintf("Client session %q of group %q exists with another Name; the virtual client would register it as Post Client Session does, which refuses that.", cs.ID, g.ID))
	}
	plan, err := virtual.Compile(c, joined)
	if err != nil {
		return nil, invalidVirtual(upperFirst(err.Error()) + ".")
	}
	return &vclient{
		plan: plan, id: c.ID, surface: c.Surface, scope: scope, group: c.Group, session: c.Session,
		name: cloneString(c.SessionName), through: plan.Joined().Add(-time.Nanosecond), index: -1,
	}, nil
}

// checkNew refuses a client whose Id or session another one has, or one
// too many; taken holds the others.
func checkNew(c *vclient, byID, bySession map[string]*vclient, count int) error {
	if other, ok := byID[ids.Key(c.id)]; ok {
		return &Error{
			Kind:       Conflict,
			Message:    "A virtual client with this Id exists.",
			Reason:     fmt.Sprintf("The Id %q is taken by virtual client %q.", c.id, other.id),
			Resolution: "Use another Id, omit it to get a new one, or remove the other client first.",
		}
	}
	if other, ok := bySession[c.sessionKey()]; ok {
		return invalidVirtual(fmt.Sprintf("Virtual client %q already drives client session %q of group %q; one session has one virtual client.", other.id, c.session, c.group))
	}
	if count >= virtual.MaxClients {
		return &Error{
			Kind:       Conflict,
			Message:    "There are too many virtual clients.",
			Reason:     fmt.Sprintf("The emulator has %d virtual clients, the most it allows.", count),
			Resolution: "Remove virtual clients that are no longer needed.",
		}
	}
	return nil
}

// AddVirtualClient adds a virtual client (control API POST
// /_emulator/virtual-clients) and returns it as stored, with its Id (a new
// one when fc has none), its Interval and Start, and its progress: the
// actions due at once (at a Start of now, registering and the first
// heartbeat) have happened when it returns. Its group must exist; a
// client with the Id of another is a Conflict; everything else wrong is
// Invalid, and nothing is added.
//
// How the service runs virtual clients:
//
//   - Defaults: the Interval is the group's FailoverTimeout / 2 at the
//     moment the client is added (a later change of the timeout does not
//     change it); the Start is that moment.
//   - Exact time: every catch-up (before any operation, on every clock
//     move, and from the real-clock watcher, which NextDue wakes for the
//     next virtual action too) carries out every action due by now in
//     time order, clients due at one instant in the order they were added.
//     Before an action at t the groups are brought up to t (every lapse and
//     expiry before t; a lapse at t itself not yet, the session being
//     live then), and the action runs at t through the code of a real
//     request (postSessionLocked, heartbeatLocked, deleteSessionLocked):
//     the rules, the events, the rate limit. So a virtual action due at
//     the instant of a real request comes before it.
//   - The rate limit refuses a virtual heartbeat as it would a real one
//     (Options.OnVirtual is told its error) and it changes nothing: an
//     Interval below the heartbeat minimum interval makes the peer lapse
//     between its accepted heartbeats.
//   - A missing group or session is answered NotFound as for a real
//     client: the client keeps its schedule (and its Progress.LastError).
//   - Fault rules never apply: virtual requests do not come through HTTP.
//   - A heartbeat reports the client's score in force and, when its last
//     heartbeat response told it Primary, its own instant as
//     LastDataProcessedTime (a Primary processes data); HeartbeatTime is
//     its instant.
//   - Moving the clock back neither undoes nor repeats what a client did:
//     it carries on from the latest instant it reached. A move that would
//     take more than virtual.MaxHeartbeatsPerMove heartbeats is refused
//     (MoveClock).
func (s *Service) AddVirtualClient(ctx context.Context, fc fixture.VirtualClient) (fixture.VirtualClient, error) {
	if fc.Progress != nil {
		return fixture.VirtualClient{}, invalidVirtual("The body has a Progress, which the emulator writes.")
	}
	c, err := virtual.FromFixture(fc)
	if err != nil {
		return fixture.VirtualClient{}, invalidVirtual(upperFirst(err.Error()) + ".")
	}
	if c.ID == "" {
		c.ID = s.newID()
	}
	var out fixture.VirtualClient
	err = s.write(func(tx store.Tx, now time.Time) error {
		vc, err := newVClient(c, tx.Namespace(scopeOf(c)).Group(c.Group), now)
		if err != nil {
			return err
		}
		if err := checkNew(vc, s.virt.byID, s.virt.bySession, len(s.virt.list)); err != nil {
			return err
		}
		s.virt.add(vc)
		s.catchUpLocked(tx, now)
		out = s.virtualView(vc)
		return nil
	})
	return out, err
}

// VirtualClients lists the virtual clients in the order they were added,
// with their progress up to now.
func (s *Service) VirtualClients(ctx context.Context) []fixture.VirtualClient {
	s.CatchUp(ctx)
	out := []fixture.VirtualClient{}
	s.read(func(store.Tx) {
		for _, c := range s.virt.list {
			out = append(out, s.virtualView(c))
		}
	})
	return out
}

// VirtualClient returns one virtual client; an unknown id is NotFound.
func (s *Service) VirtualClient(ctx context.Context, id string) (fixture.VirtualClient, error) {
	s.CatchUp(ctx)
	var out fixture.VirtualClient
	var err error
	s.read(func(store.Tx) {
		c, ok := s.virt.byID[ids.Key(id)]
		if !ok {
			err = virtualNotFound(id)
			return
		}
		out = s.virtualView(c)
	})
	return out, err
}

// RemoveVirtualClient stops a virtual client. Its session stays, as a real
// client's does when its process ends, and lapses after the group's
// FailoverTimeout, unless leave: then a client that has registered its
// session (and not left) first deletes it now, as a Leave step would. An
// unknown id is NotFound.
func (s *Service) RemoveVirtualClient(ctx context.Context, id string, leave bool) error {
	return s.write(func(tx store.Tx, now time.Time) error {
		c, ok := s.virt.byID[ids.Key(id)]
		if !ok {
			return virtualNotFound(id)
		}
		if leave && c.plan.StateAt(now).Registered {
			s.act(tx, c, virtual.Action{At: now, Kind: virtual.Leave})
		}
		s.virt.remove(c)
		return nil
	})
}

// ClearVirtualClients removes every virtual client; their sessions stay.
// Reset calls it before it moves the clock back to its start, so that no
// client acts on the way.
func (s *Service) ClearVirtualClients(ctx context.Context) {
	_ = s.store.Update(func(store.Tx) error {
		s.virt.reset(nil)
		return nil
	})
}

func virtualNotFound(id string) *Error {
	return &Error{
		Kind:       NotFound,
		Message:    "The virtual client was not found.",
		Reason:     fmt.Sprintf("No virtual client has Id %q.", id),
		Resolution: "List the virtual clients with GET /_emulator/virtual-clients.",
	}
}

// virtualView is c as the control API shows it; the caller holds the lock.
func (s *Service) virtualView(c *vclient) fixture.VirtualClient {
	fc := c.plan.Fixture()
	through := c.through
	if s.virt.caughtUp.After(through) {
		through = s.virt.caughtUp // every action up to it has happened
	}
	p := c.plan.Progress(through)
	p.Heartbeats = c.heartbeats
	p.LastHeartbeat = cloneTime(c.lastHeartbeat)
	if c.lastRole != nil {
		role := c.lastRole.String()
		p.LastRole = &role
	}
	if c.lastError != nil {
		msg := *c.lastError
		p.LastError = &msg
	}
	fc.Progress = &p
	return fc
}

// MoveClock moves the clock by calling move (the clock's Set or Advance),
// to about target, and brings the state up to the new time, every virtual
// action and every lapse at its own instant. A move that would have the
// virtual clients post more than virtual.MaxHeartbeatsPerMove heartbeats is
// Invalid and the clock stays where it is; so is one that move refuses
// (its error is returned as it is).
func (s *Service) MoveClock(ctx context.Context, target time.Time, move func() error) error {
	return s.store.Update(func(tx store.Tx) error {
		now := s.clock.Now()
		s.catchUpLocked(tx, now)
		if n := s.virt.heartbeats(now, target); n > virtual.MaxHeartbeatsPerMove {
			return &Error{
				Kind:    Invalid,
				Message: "The clock move would take too many virtual heartbeats.",
				Reason: fmt.Sprintf("Moving the clock to %s would have the virtual clients post %d heartbeats; one move may take at most %d (MaxHeartbeatsPerMove).",
					timefmt.FormatDateTime(target), n, virtual.MaxHeartbeatsPerMove),
				Resolution: "Move the clock in smaller steps, give the virtual clients a longer Interval, or remove some with DELETE /_emulator/virtual-clients/{id}.",
			}
		}
		if err := move(); err != nil {
			return err
		}
		s.catchUpLocked(tx, s.clock.Now())
		return nil
	})
}

// prepareVirtual checks the virtual clients of a state document against its
// groups and plans them for a load at now. A client with the Progress of an
// exported state carries on from its Through; one saved before now (the
// state was not loaded in between) joins again at now, like one without
// Progress: what would have happened while the state was not loaded does not
// happen, as a real client's heartbeats are lost while the service is down.
func (s *Service) prepareVirtual(list []fixture.VirtualClient, groups map[string]*store.Group, now time.Time) ([]*vclient, error) {
	if len(list) > virtual.MaxClients {
		return nil, fmt.Errorf("%d virtual clients, more than the %d allowed", len(list), virtual.MaxClients)
	}
	var out []*vclient
	byID, bySession := map[string]*vclient{}, map[string]*vclient{}
	for i, fc := range list {
		where := fmt.Sprintf("virtual client %d (%q)", i, fc.Id)
		c, err := virtual.FromFixture(fc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if c.ID == "" {
			c.ID = s.newID()
		}
		joined, through := now, now.Add(-time.Nanosecond)
		p := fc.Progress
		resumes := p != nil && !p.Through.Before(now)
		if resumes {
			through = p.Through
			switch {
			case p.Joined != nil:
				joined = *p.Joined
			case !c.Start.IsZero():
				joined = c.Start
			}
		}
		vc, err := newVClient(c, groups[sessionKey(scopeOf(c), c.Group, "")], joined)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", where, err.(*Error).Reason)
		}
		if resumes {
			vc.through = through
		}
		if p != nil {
			vc.heartbeats = p.Heartbeats
			vc.lastHeartbeat = cloneTime(p.LastHeartbeat)
			vc.lastError = cloneString(p.LastError)
			if p.LastRole != nil {
				r, ok := roleNamed(*p.LastRole)
				if !ok {
					return nil, fmt.Errorf("%s: Progress.LastRole %q is not Secondary, Primary or PendingPrimary", where, *p.LastRole)
				}
				vc.lastRole = &r
			}
		}
		if err := checkNew(vc, byID, bySession, len(out)); err != nil {
			return nil, fmt.Errorf("%s: %s", where, err.(*Error).Reason)
		}
		byID[ids.Key(vc.id)], bySession[vc.sessionKey()] = vc, vc
		out = append(out, vc)
	}
	return out, nil
}

// groupsOf indexes the groups of a prepared state by scope and group id.
func groupsOf(prepared []*preparedNamespace) map[string]*store.Group {
	out := map[string]*store.Group{}
	for _, p := range prepared {
		for _, g := range p.groups {
			out[sessionKey(p.scope, g.group.ID, "")] = g.group
		}
	}
	return out
}

// exportVirtual is every virtual client in the state document's form; the
// caller holds the lock and has caught up.
func (s *Service) exportVirtual() []fixture.VirtualClient {
	var out []fixture.VirtualClient
	for _, c := range s.virt.list {
		out = append(out, s.virtualView(c))
	}
	return out
}

func roleNamed(name string) (failover.Role, bool) {
	for _, r := range []failover.Role{failover.Secondary, failover.Primary, failover.PendingPrimary} {
		if strings.EqualFold(r.String(), name) {
			return r, true
		}
	}
	return 0, false
}

// upperFirst starts a message with a capital letter (the package virtual's
// errors start in lower case, as Go errors do).
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	c := *s
	return &c
}
