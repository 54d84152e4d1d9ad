package ring

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

func TestBuffer(t *testing.T) {
	tests := []struct {
		name        string
		limit       int
		add         []int
		want        []int
		wantDropped uint64
	}{
		{name: "empty", limit: 3, add: nil, want: []int{}, wantDropped: 0},
		{name: "under capacity", limit: 3, add: []int{1, 2}, want: []int{1, 2}, wantDropped: 0},
		{name: "exactly full", limit: 3, add: []int{1, 2, 3}, want: []int{1, 2, 3}, wantDropped: 0},
		{name: "one over", limit: 3, add: []int{1, 2, 3, 4}, want: []int{2, 3, 4}, wantDropped: 1},
		{name: "wrapped twice", limit: 3, add: []int{1, 2, 3, 4, 5, 6, 7}, want: []int{5, 6, 7}, wantDropped: 4},
		{name: "capacity one", limit: 1, add: []int{1, 2, 3}, want: []int{3}, wantDropped: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New[int](tt.limit)
			for _, v := range tt.add {
				b.Add(v)
			}
			if got := b.Snapshot(); !slices.Equal(got, tt.want) {
				t.Errorf("Snapshot() = %v, want %v", got, tt.want)
			}
			if got := b.Len(); got != len(tt.want) {
				t.Errorf("Len() = %d, want %d", got, len(tt.want))
			}
			if got := b.Dropped(); got != tt.wantDropped {
				t.Errorf("Dropped() = %d, want %d", got, tt.wantDropped)
			}
		})
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	b := New[int](2)
	b.Add(1)
	snap := b.Snapshot()
	snap[0] = 99
	b.Add(2)
	b.Add(3)
	if got, want := b.Snapshot(), []int{2, 3}; !slices.Equal(got, want) {
		t.Errorf("Snapshot() = %v, want %v", got, want)
	}
	if snap[0] != 99 {
		t.Errorf("earlier snapshot changed to %v", snap)
	}
}

func TestClear(t *testing.T) {
	b := New[int](2)
	for v := range 5 {
		b.Add(v)
	}
	b.Clear()
	if got := b.Len(); got != 0 {
		t.Errorf("Len() after Clear = %d, want 0", got)
	}
	if got := b.Dropped(); got != 0 {
		t.Errorf("Dropped() after Clear = %d, want 0", got)
	}
	b.Add(7)
	b.Add(8)
	b.Add(9)
	if got, want := b.Snapshot(), []int{8, 9}; !slices.Equal(got, want) {
		t.Errorf("Snapshot() after Clear and refill = %v, want %v", got, want)
	}
}

func TestNewPanicsOnBadMax(t *testing.T) {
	for _, limit := range []int{0, -1} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d) did not panic", limit)
				}
			}()
			New[int](limit)
		})
	}
}

func TestConcurrentAdd(t *testing.T) {
	const writers, perWriter, limit = 8, 1000, 100
	b := New[int](limit)
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for v := range perWriter {
				b.Add(v)
				_ = b.Snapshot()
			}
		})
	}
	wg.Wait()
	if got := b.Len(); got != limit {
		t.Errorf("Len() = %d, want %d", got, limit)
	}
	if got, want := b.Dropped(), uint64(writers*perWriter-limit); got != want {
		t.Errorf("Dropped() = %d, want %d", got, want)
	}
}

// Once full, Add must not allocate: it overwrites the oldest value.
func TestAddDoesNotAllocateWhenFull(t *testing.T) {
	b := New[int](16)
	for v := range 16 {
		b.Add(v)
	}
	if n := testing.AllocsPerRun(100, func() { b.Add(1) }); n != 0 {
		t.Errorf("Add on a full buffer allocates %v times, want 0", n)
	}
}

func BenchmarkAddFull(b *testing.B) {
	buf := New[int](1024)
	for v := range 1024 {
		buf.Add(v)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf.Add(i)
	}
}

func Example() {
	b := New[string](2)
	b.Add("first")
	b.Add("second")
	b.Add("third") // the buffer is full, so "first" is dropped
	fmt.Println(b.Snapshot(), b.Dropped())
	// Output: [second third] 1
}
