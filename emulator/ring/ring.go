// Package ring provides a bounded, concurrency-safe buffer that keeps the
// newest values and drops the oldest once it is full.
//
// The emulator keeps its request journal and its list of failover events in
// such buffers, so a long-running emulator uses bounded memory and a reader
// can still tell, through Dropped, that older values are gone.
package ring

import "sync"

// Buffer holds at most a fixed number of values, oldest first. When it is
// full, Add overwrites the oldest value in place, so adding costs O(1) and
// never reallocates. Make one with New; a Buffer is safe for concurrent use.
type Buffer[T any] struct {
	limit int // the most values it holds, fixed at New

	mu sync.Mutex // guards the buffer's contents: items, head and dropped
	// items grows by append until it holds limit values; from then on it is
	// used as a circle whose oldest value is at head.
	items   []T
	head    int
	dropped uint64
}

// New returns an empty buffer that holds at most limit values.
// It panics if limit is less than 1, which is a programming error.
func New[T any](limit int) *Buffer[T] {
	if limit < 1 {
		panic("ring: New called with a limit below 1")
	}
	return &Buffer[T]{limit: limit}
}

// Add appends v as the newest value. When the buffer is full it first drops
// the oldest value and counts it in Dropped.
func (b *Buffer[T]) Add(v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.items) < b.limit {
		b.items = append(b.items, v)
		return
	}
	b.items[b.head] = v
	b.head = (b.head + 1) % b.limit
	b.dropped++
}

// Snapshot returns a copy of the values, oldest first. Later changes to the
// buffer do not affect the returned slice.
func (b *Buffer[T]) Snapshot() []T {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]T, 0, len(b.items))
	out = append(out, b.items[b.head:]...)
	return append(out, b.items[:b.head]...)
}

// Len returns how many values the buffer holds.
func (b *Buffer[T]) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.items)
}

// Dropped returns how many values Add has dropped because the buffer was
// full, since New or the last Clear.
func (b *Buffer[T]) Dropped() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped
}

// Clear removes every value and sets Dropped back to zero.
func (b *Buffer[T]) Clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.items) // let the garbage collector reclaim what the values point to
	b.items = b.items[:0]
	b.head = 0
	b.dropped = 0
}
