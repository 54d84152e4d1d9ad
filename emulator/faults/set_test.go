package faults

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/operation"
)

// statusRequest is a Get Group Status request as the server would describe it.
var statusRequest = Request{
	Operation: operation.GetGroupStatus,
	Method:    "GET",
	Path:      "/api/v1-preview/tenants/T1/namespaces/N1/clientfailover/groups/g1/status",
	Tenant:    "T1",
	Namespace: "N1",
}

// Tenants and namespaces match as ids do everywhere in the emulator
// (ids.Equal): a long s is not an s.
func TestMatchTenantAsAnID(t *testing.T) {
	req := Request{Method: "GET", Path: "/x", Tenant: "contoso", Namespace: "ns"}
	tests := []struct {
		match Match
		want  bool
	}{
		{Match{Tenant: "CONTOSO"}, true},
		{Match{Tenant: "conto\u017fo"}, false},
		{Match{Namespace: "NS"}, true},
		{Match{Namespace: "n\u017f"}, false},
	}
	for _, tt := range tests {
		s := NewSet()
		mustAdd(t, s, Rule{Match: tt.match})
		if _, got := s.Match(req); got != tt.want {
			t.Errorf("rule %+v on tenant %q, namespace %q: fired %v, want %v", tt.match, req.Tenant, req.Namespace, got, tt.want)
		}
	}
}

func TestMatchFields(t *testing.T) {
	tests := []struct {
		name  string
		match Match
		want  bool
	}{
		{name: "empty match", match: Match{}, want: true},
		{name: "operation", match: Match{Operation: operation.GetGroupStatus}, want: true},
		{name: "other operation", match: Match{Operation: operation.GetGroupConfiguration}, want: false},
		{name: "method", match: Match{Method: "GET"}, want: true},
		{name: "method ignores case", match: Match{Method: "get"}, want: true},
		{name: "other method", match: Match{Method: "POST"}, want: false},
		{name: "tenant ignores case", match: Match{Tenant: "t1"}, want: true},
		{name: "other tenant", match: Match{Tenant: "T2"}, want: false},
		{name: "namespace ignores case", match: Match{Namespace: "n1"}, want: true},
		{name: "other namespace", match: Match{Namespace: "N2"}, want: false},
		{name: "exact path ignores case", match: Match{Path: "/API/V1-PREVIEW/tenants/t1/namespaces/n1/clientfailover/groups/G1/status"}, want: true},
		{name: "path with *", match: Match{Path: "/api/*/tenants/*/namespaces/*/clientfailover/groups/*/status"}, want: true},
		{name: "path with **", match: Match{Path: "/api/**/status"}, want: true},
		{name: "* is one segment", match: Match{Path: "/api/*/status"}, want: false},
		{name: "other path", match: Match{Path: "/api/**/sessions"}, want: false},
		{name: "every field", match: Match{Operation: operation.GetGroupStatus, Method: "get", Path: "/api/**", Tenant: "t1", Namespace: "n1"}, want: true},
		{name: "every field but one", match: Match{Operation: operation.GetGroupStatus, Method: "get", Path: "/api/**", Tenant: "t1", Namespace: "n2"}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSet()
			if _, err := s.Add(Rule{Match: tt.match, Action: Action{Status: 500}}); err != nil {
				t.Fatalf("Add: %v", err)
			}
			if _, got := s.Match(statusRequest); got != tt.want {
				t.Errorf("Match(%+v) with rule %+v = %v, want %v", statusRequest, tt.match, got, tt.want)
			}
		})
	}
}

func TestMatchOrderAndCounters(t *testing.T) {
	s := NewSet()
	mustAdd(t, s, Rule{ID: "other", Match: Match{Operation: operation.PostGroup}, Action: Action{Status: 400}})
	mustAdd(t, s, Rule{ID: "twice", Action: Action{Status: 503}, Times: ptr(2)})
	mustAdd(t, s, Rule{ID: "always", Action: Action{Status: 500}})

	var fired []string
	for range 4 {
		r, ok := s.Match(statusRequest)
		if !ok {
			t.Fatal("Match found no rule")
		}
		fired = append(fired, r.ID)
	}
	if want := []string{"twice", "twice", "always", "always"}; !reflect.DeepEqual(fired, want) {
		t.Errorf("rules fired %v, want %v", fired, want)
	}

	twice, ok := s.Get("twice")
	if !ok {
		t.Fatal(`Get("twice") found nothing`)
	}
	if twice.Fired != 2 || twice.Remaining == nil || *twice.Remaining != 0 {
		t.Errorf(`spent rule has Fired %d, Remaining %v; want 2, 0`, twice.Fired, fmtPtr(twice.Remaining))
	}
	always, _ := s.Get("always")
	if always.Fired != 2 || always.Remaining != nil {
		t.Errorf("rule without Times has Fired %d, Remaining %v; want 2, null", always.Fired, fmtPtr(always.Remaining))
	}
}

func TestMatchReturnsRuleAsFired(t *testing.T) {
	s := NewSet()
	mustAdd(t, s, Rule{Action: Action{Status: 503}, Times: ptr(3)})
	r, ok := s.Match(statusRequest)
	if !ok {
		t.Fatal("Match found no rule")
	}
	if r.Fired != 1 || r.Remaining == nil || *r.Remaining != 2 {
		t.Errorf("fired rule has Fired %d, Remaining %v; want 1, 2", r.Fired, fmtPtr(r.Remaining))
	}
}

func TestSetAdd(t *testing.T) {
	s := NewSet()
	first := mustAdd(t, s, Rule{})
	if first.ID != "fault-1" {
		t.Errorf("first made-up Id = %q, want fault-1", first.ID)
	}
	mustAdd(t, s, Rule{ID: "fault-2"})
	third := mustAdd(t, s, Rule{})
	if third.ID != "fault-3" {
		t.Errorf("made-up Id = %q, want fault-3 (fault-2 is taken)", third.ID)
	}

	_, err := s.Add(Rule{ID: "fault-1"})
	if !errors.Is(err, ErrDuplicate) {
		t.Errorf("Add with a taken Id: error %v, want ErrDuplicate", err)
	}
	_, err = s.Add(Rule{Times: ptr(-1)})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("Add of an invalid rule: error %v, want ErrInvalid", err)
	}

	counted := mustAdd(t, s, Rule{Times: ptr(5), Fired: 3, Remaining: ptr(2)})
	if counted.Fired != 0 || *counted.Remaining != 5 {
		t.Errorf("Add kept the client's counters: Fired %d, Remaining %d; want 0, 5", counted.Fired, *counted.Remaining)
	}

	var ids []string
	for _, r := range s.List() {
		ids = append(ids, r.ID)
	}
	if want := []string{"fault-1", "fault-2", "fault-3", "fault-4"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("List() Ids = %v, want %v", ids, want)
	}
}

func TestSetRemoveAndClear(t *testing.T) {
	s := NewSet()
	mustAdd(t, s, Rule{ID: "a", Action: Action{Status: 500}})
	mustAdd(t, s, Rule{ID: "b", Action: Action{Status: 501}})

	if !s.Remove("a") {
		t.Error(`Remove("a") = false, want true`)
	}
	if s.Remove("a") {
		t.Error(`second Remove("a") = true, want false`)
	}
	if _, ok := s.Get("a"); ok {
		t.Error(`Get("a") found a removed rule`)
	}
	if r, _ := s.Match(statusRequest); r.ID != "b" {
		t.Errorf("after Remove, rule %q fired, want b", r.ID)
	}

	s.Clear()
	if got := s.List(); len(got) != 0 {
		t.Errorf("List() after Clear = %v, want none", got)
	}
	if _, ok := s.Match(statusRequest); ok {
		t.Error("Match fired a rule after Clear")
	}
	if r := mustAdd(t, s, Rule{}); r.ID != "fault-1" {
		t.Errorf("first made-up Id after Clear = %q, want fault-1", r.ID)
	}
}

// The Set must not share memory with what callers pass in or get back.
func TestSetCopies(t *testing.T) {
	s := NewSet()
	in := Rule{ID: "r", Action: Action{Status: 500, Headers: map[string]string{"A": "1"}}, Times: ptr(2)}
	mustAdd(t, s, in)
	in.Action.Headers["A"] = "changed"
	*in.Times = 100

	out, _ := s.Get("r")
	if out.Action.Headers["A"] != "1" || *out.Times != 2 {
		t.Fatalf("the Set saw changes to the rule passed to Add: %+v", out)
	}
	out.Action.Headers["A"] = "changed"
	*out.Remaining = 100
	again, _ := s.Get("r")
	if again.Action.Headers["A"] != "1" || *again.Remaining != 2 {
		t.Errorf("the Set saw changes to a rule it returned: %+v", again)
	}
}

func TestTimesExactUnderConcurrency(t *testing.T) {
	const goroutines, times = 100, 10
	s := NewSet()
	mustAdd(t, s, Rule{ID: "limited", Action: Action{Status: 503}, Times: ptr(times)})

	var (
		wg    sync.WaitGroup
		mu    sync.Mutex // guards fired
		fired int
	)
	start := make(chan struct{})
	for range goroutines {
		wg.Go(func() {
			<-start
			if _, ok := s.Match(statusRequest); ok {
				mu.Lock()
				fired++
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()

	if fired != times {
		t.Errorf("rule fired %d times across %d goroutines, want %d", fired, goroutines, times)
	}
	r, _ := s.Get("limited")
	if r.Fired != times || *r.Remaining != 0 {
		t.Errorf("rule has Fired %d, Remaining %d; want %d, 0", r.Fired, *r.Remaining, times)
	}
}

func TestProbability(t *testing.T) {
	pattern := func(seed *int64) string {
		s := NewSet()
		mustAdd(t, s, Rule{Action: Action{Status: 500}, Probability: ptr(0.5), Seed: seed})
		b := make([]byte, 64)
		for i := range b {
			b[i] = '.'
			if _, ok := s.Match(statusRequest); ok {
				b[i] = 'X'
			}
		}
		return string(b)
	}

	tests := []struct {
		name       string
		seedA      *int64
		seedB      *int64
		wantEqual  bool
		wantReason string
	}{
		{name: "same seed", seedA: ptr[int64](7), seedB: ptr[int64](7), wantEqual: true, wantReason: "the same seed must fire the same way"},
		{name: "default seed", seedA: nil, seedB: ptr(DefaultSeed), wantEqual: true, wantReason: "no Seed must mean DefaultSeed"},
		{name: "other seed", seedA: ptr[int64](7), seedB: ptr[int64](8), wantEqual: false, wantReason: "different seeds should fire differently"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := pattern(tt.seedA), pattern(tt.seedB)
			if (a == b) != tt.wantEqual {
				t.Errorf("%s:\n%s\n%s", tt.wantReason, a, b)
			}
		})
	}

	for _, tt := range []struct {
		p    float64
		want int
	}{{0, 0}, {1, 100}} {
		s := NewSet()
		mustAdd(t, s, Rule{Probability: ptr(tt.p)})
		n := 0
		for range 100 {
			if _, ok := s.Match(statusRequest); ok {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("Probability %v fired %d of 100 times, want %d", tt.p, n, tt.want)
		}
	}
}

// A rule that matches but loses its draw lets the next rule fire.
func TestProbabilityFallsThrough(t *testing.T) {
	s := NewSet()
	mustAdd(t, s, Rule{ID: "never", Probability: ptr(0.0)})
	mustAdd(t, s, Rule{ID: "next"})
	if r, _ := s.Match(statusRequest); r.ID != "next" {
		t.Errorf("rule %q fired, want next", r.ID)
	}
}

func TestMatchEmptySetDoesNotAllocate(t *testing.T) {
	s := NewSet()
	mustAdd(t, s, Rule{Match: Match{Tenant: "other"}})
	if n := testing.AllocsPerRun(100, func() { s.Match(statusRequest) }); n != 0 {
		t.Errorf("Match without a firing rule allocates %v times, want 0", n)
	}
}

func BenchmarkMatchTenInactive(b *testing.B) {
	tests := []struct {
		name string
		rule func(i int) Rule
	}{
		// The usual case: rules aimed at other operations.
		{"other operations", func(i int) Rule {
			others := slices.DeleteFunc(operation.All(), func(n operation.Name) bool {
				return n == statusRequest.Operation
			})
			return Rule{Match: Match{Operation: others[i], Tenant: "T1"}}
		}},
		// The costliest way not to match: every field but the path glob
		// matches, one of them only when case is ignored, and the glob fails
		// late.
		{"same operation other path", func(i int) Rule {
			return Rule{Match: Match{
				Operation: operation.GetGroupStatus,
				Method:    "GET",
				Tenant:    "t1",
				Path:      fmt.Sprintf("/api/**/groups/g%d/status", i+2),
			}}
		}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			s := NewSet()
			for i := range 10 {
				if _, err := s.Add(tt.rule(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := s.Match(statusRequest); ok {
					b.Fatal("a rule fired")
				}
			}
		})
	}
}

func BenchmarkMatchEmpty(b *testing.B) {
	s := NewSet()
	b.ReportAllocs()
	for b.Loop() {
		s.Match(statusRequest)
	}
}

func ExampleSet() {
	s := NewSet()
	_, err := s.Add(Rule{
		Match:  Match{Operation: operation.PostHeartbeatMessage},
		Action: Action{Status: 503, Delay: 2 * time.Second},
		Times:  ptr(1),
	})
	if err != nil {
		panic(err)
	}

	heartbeat := Request{Operation: operation.PostHeartbeatMessage, Method: "POST"}
	r, ok := s.Match(heartbeat)
	fmt.Println(ok, r.ID, r.Action.Status, r.Action.Delay, *r.Remaining)
	_, ok = s.Match(heartbeat) // Times is used up
	fmt.Println(ok)
	// Output:
	// true fault-1 503 2s 0
	// false
}

func mustAdd(t *testing.T, s *Set, r Rule) Rule {
	t.Helper()
	added, err := s.Add(r)
	if err != nil {
		t.Fatalf("Add(%+v): %v", r, err)
	}
	return added
}

func fmtPtr(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

// A set holds at most MaxRules rules; removing one makes room again.
func TestSetIsBounded(t *testing.T) {
	s := NewSet()
	for range MaxRules {
		mustAdd(t, s, Rule{})
	}
	_, err := s.Add(Rule{})
	if !errors.Is(err, ErrFull) || !strings.Contains(err.Error(), "1000 rules") {
		t.Fatalf("Add beyond MaxRules: %v, want ErrFull naming the bound", err)
	}
	if n := len(s.List()); n != MaxRules {
		t.Errorf("%d rules after a refused Add, want %d", n, MaxRules)
	}
	if !s.Remove("fault-1") {
		t.Fatal("Remove(fault-1) found nothing")
	}
	mustAdd(t, s, Rule{})
}

// Paths are matched as sent: an escaped "/" in an id keeps it one segment.
func TestMatchEscapedPath(t *testing.T) {
	s := NewSet()
	mustAdd(t, s, Rule{Match: Match{Path: "/api/v1/tenants/t/namespaces/n/clientfailover/groups/*"}})
	for _, tt := range []struct {
		path string
		want bool
	}{
		{"/api/v1/tenants/t/namespaces/n/clientfailover/groups/a%2Fb", true},
		{"/api/v1/tenants/t/namespaces/n/clientfailover/groups/a%2fb", true},
		{"/api/v1/tenants/t/namespaces/n/clientfailover/groups/a/b", false},
	} {
		if _, got := s.Match(Request{Method: "GET", Path: tt.path}); got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}
