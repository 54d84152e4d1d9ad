package service

import (
	"container/heap"
	"math"
	"sync/atomic"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// groupRef names a group across namespaces.
type groupRef struct {
	scope store.Scope
	group string
}

func (r groupRef) key() string {
	return r.scope.Key() + "\x00" + ids.Key(r.group)
}

// schedule knows when each group next needs the failover rules applied
// without a request: a min-heap of deadlines, at most one valid entry per
// group. A group's deadline usually moves later (a heartbeat), and then the
// old entry is simply left to fire early and reschedule, so a heartbeat costs
// no heap work; only an earlier deadline pushes a new entry.
//
// Everything but nextNanos is guarded by the store's write lock.
type schedule struct {
	entries   deadlineHeap
	scheduled map[string]time.Time // group key → deadline of its valid entry
	nextNanos atomic.Int64         // earliest deadline as UnixNano; MaxInt64 when none
	sooner    chan struct{}        // signalled when the earliest deadline moves earlier
}

func newSchedule(sooner chan struct{}) *schedule {
	s := &schedule{scheduled: map[string]time.Time{}, sooner: sooner}
	s.nextNanos.Store(noDeadline)
	return s
}

const noDeadline = int64(^uint64(0) >> 1)

// reset forgets every deadline (the state was replaced).
func (s *schedule) reset() {
	s.entries = nil
	clear(s.scheduled)
	s.publish()
}

// dueBy reports, without a lock, whether some deadline has been reached.
func (s *schedule) dueBy(now time.Time) bool {
	return s.nextNanos.Load() <= unixNanos(now)
}

// The instants whose UnixNano is defined (years 1678 to 2262).
var (
	firstNano = time.Unix(0, math.MinInt64)
	lastNano  = time.Unix(0, noDeadline-1)
)

// unixNanos is t.UnixNano saturated to the instants it can hold, below
// noDeadline: UnixNano is undefined outside them, yet a clock may stand there
// and a centuries-long FailoverTimeout or override period puts deadlines
// there. Saturation keeps the order dueBy needs (a deadline at or before now
// stays at or before it); popDue compares the times themselves.
func unixNanos(t time.Time) int64 {
	switch {
	case t.Before(firstNano):
		return math.MinInt64
	case t.After(lastNano):
		return noDeadline - 1
	}
	return t.UnixNano()
}

// next is the earliest deadline, if any.
func (s *schedule) next() (time.Time, bool) {
	n := s.nextNanos.Load()
	if n == noDeadline {
		return time.Time{}, false
	}
	return time.Unix(0, n).UTC(), true
}

// schedule makes sure ref is looked at no later than at.
func (s *schedule) schedule(ref groupRef, at time.Time) {
	key := ref.key()
	if cur, ok := s.scheduled[key]; ok && !at.Before(cur) {
		return
	}
	s.scheduled[key] = at
	heap.Push(&s.entries, deadline{at: at, ref: ref, key: key})
	before := s.nextNanos.Load()
	s.publish()
	if s.nextNanos.Load() < before {
		select {
		case s.sooner <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

// popDue removes and returns a group whose deadline is at or before now.
func (s *schedule) popDue(now time.Time) (groupRef, bool) {
	for len(s.entries) > 0 && !s.entries[0].at.After(now) {
		d := heap.Pop(&s.entries).(deadline)
		if cur, ok := s.scheduled[d.key]; !ok || !cur.Equal(d.at) {
			continue // superseded by an earlier entry that already fired
		}
		delete(s.scheduled, d.key)
		s.publish()
		return d.ref, true
	}
	s.publish()
	return groupRef{}, false
}

func (s *schedule) publish() {
	if len(s.entries) == 0 {
		s.nextNanos.Store(noDeadline)
		return
	}
	s.nextNanos.Store(unixNanos(s.entries[0].at))
}

type deadline struct {
	at  time.Time
	ref groupRef
	key string
}

// deadlineHeap is a min-heap of deadlines for container/heap.
type deadlineHeap []deadline

// Len, Less, Swap, Push and Pop implement heap.Interface.

func (h deadlineHeap) Len() int           { return len(h) }
func (h deadlineHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h deadlineHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *deadlineHeap) Push(x any)        { *h = append(*h, x.(deadline)) }
func (h *deadlineHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	*h = old[:len(old)-1]
	return d
}
