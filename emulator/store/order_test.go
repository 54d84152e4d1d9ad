package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The Fenwick-tree order pages exactly like a plain slice with deletions,
// through compactions.
func TestOrderPagesLikeASlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var o order
	var want []*Group
	next := 0
	for step := range 5000 {
		if len(want) == 0 || rng.IntN(3) > 0 {
			g := &Group{ID: fmt.Sprint(next)}
			next++
			o.add(g)
			want = append(want, g)
		} else {
			i := rng.IntN(len(want))
			o.remove(want[i])
			want = append(want[:i], want[i+1:]...)
		}
		if o.live != len(want) {
			t.Fatalf("step %d: live = %d, want %d", step, o.live, len(want))
		}
		skip, count := rng.IntN(len(want)+2), rng.IntN(12)
		got := o.page(skip, count)
		end := min(skip+count, len(want))
		var exp []*Group
		if skip < len(want) {
			exp = want[skip:end]
		}
		if len(got) != len(exp) {
			t.Fatalf("step %d: page(%d, %d) has %d groups, want %d", step, skip, count, len(got), len(exp))
		}
		for i := range got {
			if got[i] != exp[i] {
				t.Fatalf("step %d: page(%d, %d)[%d] = %s, want %s", step, skip, count, i, got[i].ID, exp[i].ID)
			}
		}
	}
}

func TestNamespacePutKeepsPlace(t *testing.T) {
	n := &Namespace{groups: map[string]*Group{}}
	for _, id := range []string{"a", "B", "c"} {
		n.Put(&Group{ID: id})
	}
	n.Put(&Group{ID: "b", Name: new(string)}) // replaces "B" (ids ignore case)
	var ids []string
	for _, g := range n.Groups() {
		ids = append(ids, g.ID)
	}
	if fmt.Sprint(ids) != "[a b c]" || n.Count() != 3 {
		t.Fatalf("groups = %v (count %d), want [a b c]", ids, n.Count())
	}
	if !n.Delete("A") || n.Delete("a") || n.Group("C") == nil {
		t.Fatal("Delete and Group must ignore case")
	}
}
