package service

// heapItem is an element of an indexedHeap: it knows whether it comes
// before another, and keeps its own place in the heap.
type heapItem[T any] interface {
	before(T) bool
	setIndex(int)
}

// indexedHeap is a min-heap for container/heap whose items keep their place
// in it, so that heap.Fix and heap.Remove can find them: the schedule's
// group deadlines and the virtual clients' next actions.
type indexedHeap[T heapItem[T]] []T

// Len, Less, Swap, Push and Pop implement heap.Interface.

func (h indexedHeap[T]) Len() int           { return len(h) }
func (h indexedHeap[T]) Less(i, j int) bool { return h[i].before(h[j]) }
func (h indexedHeap[T]) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].setIndex(i)
	h[j].setIndex(j)
}

func (h *indexedHeap[T]) Push(x any) {
	item := x.(T)
	item.setIndex(len(*h))
	*h = append(*h, item)
}

func (h *indexedHeap[T]) Pop() any {
	old := *h
	n := len(old) - 1
	item := old[n]
	var zero T
	old[n] = zero
	*h = old[:n]
	item.setIndex(-1)
	return item
}
