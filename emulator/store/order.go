package store

// order keeps the groups of a namespace in creation order and finds the k-th
// live one in O(log n), so List Group Configurations pages through 100,000
// groups without sorting or copying them. Deleted slots stay as tombstones
// (nil) until they outnumber the live ones, then the slice is compacted.
type order struct {
	slots []*Group
	tree  []int // Fenwick tree over slots: 1 where the slot is live
	live  int
}

// add appends g and records its slot in g.slot.
func (o *order) add(g *Group) {
	o.slots = append(o.slots, g)
	o.tree = append(o.tree, 0)
	i := len(o.slots) // 1-based Fenwick index of the new slot
	// A new Fenwick node covers the range (i - lowbit(i), i]: sum it from the
	// nodes below it, then add the new slot's own 1.
	sum := 1
	for j := i - 1; j > i-(i&-i); j -= j & -j {
		sum += o.tree[j-1]
	}
	o.tree[i-1] = sum
	g.slot = i - 1
	o.live++
}

// remove tombstones g's slot.
func (o *order) remove(g *Group) {
	if g.slot < 0 || g.slot >= len(o.slots) || o.slots[g.slot] != g {
		return
	}
	o.slots[g.slot] = nil
	for i := g.slot + 1; i <= len(o.tree); i += i & -i {
		o.tree[i-1]--
	}
	g.slot = -1
	o.live--
	if len(o.slots) > 64 && o.live < len(o.slots)/2 {
		o.compact()
	}
}

// compact drops tombstones and rebuilds the tree.
func (o *order) compact() {
	groups := make([]*Group, 0, o.live)
	for _, g := range o.slots {
		if g != nil {
			groups = append(groups, g)
		}
	}
	*o = order{}
	for _, g := range groups {
		o.add(g)
	}
}

// page returns up to count live groups after skipping skip of them.
func (o *order) page(skip, count int) []*Group {
	if skip >= o.live || count <= 0 {
		return nil
	}
	if count > o.live-skip {
		count = o.live - skip
	}
	out := make([]*Group, count)
	for i := range out {
		// One O(log n) search per item keeps a page cheap even where
		// tombstones cluster.
		out[i] = o.slots[o.find(skip+i+1)]
	}
	return out
}

// find returns the 0-based slot of the k-th (1-based) live group.
func (o *order) find(k int) int {
	pos := 0
	step := 1
	for step*2 <= len(o.tree) {
		step *= 2
	}
	for ; step > 0; step /= 2 {
		if next := pos + step; next <= len(o.tree) && o.tree[next-1] < k {
			pos = next
			k -= o.tree[next-1]
		}
	}
	return pos
}
