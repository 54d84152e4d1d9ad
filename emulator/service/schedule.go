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
	return string(r.appendKey(nil))
}

// appendKey appends key() to b, for look-ups that allocate nothing.
func (r groupRef) appendKey(b []byte) []byte {
	b = r.scope.AppendKey(b)
	b = append(b, 0)
	return append(b, ids.Key(r.group)...)
}

// schedule knows when each group next needs the failover rules applied
// without a request: a min-heap of deadlines with exactly one entry per
// scheduled group, found by the group's key. A group's deadline usually moves
// later (a heartbeat), and then its entry is simply left to fire early and
// reschedule, so a heartbeat costs no heap work; an earlier deadline moves
// the entry up. A deleted group's entry is removed with it, so nothing of a
// group outlives it here: the schedule holds at most one entry per existing
// group.
//
// Everything but nextNanos is guarded by the store's write lock.
type schedule struct {
	entries   deadlineHeap
	byKey     map[string]*deadline // group key → its entry in entries
	nextNanos atomic.Int64         // earliest deadline as UnixNano; MaxInt64 when none
	sooner    chan struct{}        // signalled when the earliest deadline moves earlier
}

func newSchedule(sooner chan struct{}) *schedule {
	s := &schedule{byKey: map[string]*deadline{}, sooner: sooner}
	s.nextNanos.Store(noDeadline)
	return s
}

const noDeadline = int64(^uint64(0) >> 1)

// reset forgets every deadline (the state was replaced).
func (s *schedule) reset() {
	s.entries = nil
	clear(s.byKey)
	s.publish()
}

// size is the number of entries, one per scheduled group.
func (s *schedule) size() int { return len(s.entries) }

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
	var buf [192]byte // every write reschedules its group: look it up without allocating
	if d, ok := s.byKey[string(ref.appendKey(buf[:0]))]; ok {
		if !at.Before(d.at) {
			return // it fires early and the group is rescheduled then
		}
		d.at = at
		heap.Fix(&s.entries, d.index)
	} else {
		key := ref.key()
		d := &deadline{at: at, ref: ref, key: key}
		s.byKey[key] = d
		heap.Push(&s.entries, d)
	}
	before := s.nextNanos.Load()
	s.publish()
	if s.nextNanos.Load() < before {
		select {
		case s.sooner <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

// remove forgets ref's deadline (the group was deleted).
func (s *schedule) remove(ref groupRef) {
	key := ref.key()
	d, ok := s.byKey[key]
	if !ok {
		return
	}
	heap.Remove(&s.entries, d.index)
	delete(s.byKey, key)
	s.publish()
}

// popDue removes and returns a group whose deadline is at or before now.
func (s *schedule) popDue(now time.Time) (groupRef, bool) {
	if len(s.entries) == 0 || s.entries[0].at.After(now) {
		return groupRef{}, false
	}
	d := heap.Pop(&s.entries).(*deadline)
	delete(s.byKey, d.key)
	s.publish()
	return d.ref, true
}

func (s *schedule) publish() {
	if len(s.entries) == 0 {
		s.nextNanos.Store(noDeadline)
		return
	}
	s.nextNanos.Store(unixNanos(s.entries[0].at))
}

// deadline is a group's entry in the schedule.
type deadline struct {
	at    time.Time
	ref   groupRef
	key   string
	index int // its position in the heap, kept by the heap
}

// deadlineHeap is a min-heap of deadlines for container/heap.
type deadlineHeap = indexedHeap[*deadline]

func (d *deadline) before(o *deadline) bool { return d.at.Before(o.at) }
func (d *deadline) setIndex(i int)          { d.index = i }
