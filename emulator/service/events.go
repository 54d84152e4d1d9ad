package service

import (
	"sort"
	"sync"

	"github.com/adh-emulator/clientfailover/emulator/ring"
)

// DefaultSubscriberBuffer is how many deliveries a subscription holds for a
// reader that has not taken them yet; one more and the subscription ends
// with Overflowed true (the service never waits for a reader).
const DefaultSubscriberBuffer = 1024

// Delivery is what a Subscription receives: a role change, or word that the
// event list was cleared (a reset or a new state), after which Seq numbers
// go on from where they were.
type Delivery struct {
	// Event is the role change; zero when Cleared.
	Event Event
	// Cleared says the event list was emptied; Event is zero.
	Cleared bool
}

// Subscription receives every role change recorded after it began, in Seq
// order, until it is closed or falls more than its buffer behind. Make one
// with Service.Subscribe or Service.SubscribeAfter.
type Subscription struct {
	c   chan Delivery
	log *eventLog
	// overflowed is set (under log.mu) before c is closed because the
	// reader fell behind.
	overflowed bool
}

// C delivers the role changes; it is closed when the subscription ends
// (Close, or an overflow: see Overflowed).
func (sub *Subscription) C() <-chan Delivery { return sub.c }

// Overflowed reports, once C is closed, whether it was closed because the
// reader fell more than its buffer behind. The reader should start again
// after the Seq of the last event it got (SubscribeAfter); the events it
// missed are still in the bounded list unless it fell very far behind.
func (sub *Subscription) Overflowed() bool {
	sub.log.mu.Lock()
	defer sub.log.mu.Unlock()
	return sub.overflowed
}

// Close ends the subscription; C is closed if it was not already. Close may
// be called more than once.
func (sub *Subscription) Close() {
	sub.log.mu.Lock()
	defer sub.log.mu.Unlock()
	if _, ok := sub.log.subs[sub]; ok {
		delete(sub.log.subs, sub)
		close(sub.c)
	}
}

// eventLog is the bounded list of role changes with their sequence numbers
// and live subscribers. Add never blocks: a subscriber that is full is cut
// off (its Subscription reports Overflowed).
type eventLog struct {
	ring *ring.Buffer[Event]

	mu   sync.Mutex // orders Add against Subscribe and Clear; guards seq and subs
	seq  uint64     // the Seq of the newest event ever recorded; survives Clear
	subs map[*Subscription]struct{}
}

func newEventLog(limit int) *eventLog {
	return &eventLog{ring: ring.New[Event](limit), subs: map[*Subscription]struct{}{}}
}

// AddAll records evs in time order (a stable sort: the order within one
// instant is kept), numbering them, and hands them to every subscriber.
// One clock move can bring lapses of several groups; sorting the batch keeps
// Seq order and time order the same.
func (l *eventLog) AddAll(evs []Event) {
	if len(evs) == 0 {
		return
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range evs {
		l.seq++
		e.Seq = l.seq
		l.ring.Add(e)
		l.deliverLocked(Delivery{Event: e})
	}
}

// deliverLocked offers d to every subscriber, cutting off those that are full.
func (l *eventLog) deliverLocked(d Delivery) {
	for sub := range l.subs {
		select {
		case sub.c <- d:
		default:
			sub.overflowed = true
			delete(l.subs, sub)
			close(sub.c)
		}
	}
}

// Snapshot is the retained events, oldest (lowest Seq) first.
func (l *eventLog) Snapshot() []Event { return l.ring.Snapshot() }

// Dropped is how many events were dropped for room since the last Clear.
func (l *eventLog) Dropped() uint64 { return l.ring.Dropped() }

// LastSeq is the Seq of the newest event ever recorded (0 before the first).
func (l *eventLog) LastSeq() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// Clear empties the list (Seq numbers go on) and tells every subscriber.
func (l *eventLog) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring.Clear()
	l.deliverLocked(Delivery{Cleared: true})
}

// subscribe registers a subscription; with replay it also returns the
// retained events with Seq > after, taken atomically with the registration
// so nothing is missed or delivered twice, and the LastSeq at that instant.
func (l *eventLog) subscribe(after uint64, replay bool, buffer int) ([]Event, *Subscription, uint64) {
	if buffer <= 0 {
		buffer = DefaultSubscriberBuffer
	}
	sub := &Subscription{c: make(chan Delivery, buffer), log: l}
	l.mu.Lock()
	defer l.mu.Unlock()
	var backlog []Event
	if replay {
		all := l.ring.Snapshot()
		i := sort.Search(len(all), func(i int) bool { return all[i].Seq > after })
		backlog = all[i:]
	}
	l.subs[sub] = struct{}{}
	return backlog, sub, l.seq
}

// LastSeq is the Seq of the newest role change ever recorded, 0 before the
// first. Seq numbers count from 1 and go on across resets and new states,
// so a Seq never names two events.
func (s *Service) LastSeq() uint64 { return s.events.LastSeq() }

// Subscribe starts a subscription to the role changes recorded from now on,
// and returns the LastSeq at the instant it began (every event it delivers
// is newer). buffer bounds what it holds for a slow reader (0 =
// DefaultSubscriberBuffer). Close it when done.
func (s *Service) Subscribe(buffer int) (sub *Subscription, last uint64) {
	_, sub, last = s.events.subscribe(0, false, buffer)
	return sub, last
}

// SubscribeAfter is Subscribe that first returns the retained role changes
// with Seq > after (all of them for 0), oldest first, so a reader that lost
// its connection resumes without a gap or a repeat: the backlog and the
// subscription are taken at one instant. Events dropped from the bounded
// list are not in the backlog. Every later event is delivered, whatever
// its Seq (after may come from an emulator that has since restarted).
func (s *Service) SubscribeAfter(after uint64, buffer int) (backlog []Event, sub *Subscription, last uint64) {
	return s.events.subscribe(after, true, buffer)
}
