package faults

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/emulator/operation"
)

// Request is what Set.Match needs to know about one request to the
// emulated API.
type Request struct {
	Operation operation.Name // "" when the request matched no operation
	Method    string
	Path      string // the URL path as sent (URL.EscapedPath), without the query
	Tenant    string
	Namespace string
}

// Set is an ordered list of fault rules. It is safe for concurrent use and
// must not be copied; the zero Set is empty and ready to use.
type Set struct {
	mu sync.Mutex // guards the rules: the list, each rule's firing state, and lastID
	// rules are in the order added, the order Match tries them in.
	rules []*activeRule
	// lastID numbers the Ids Add makes up: "fault-1", "fault-2"...
	lastID int

	// live counts the rules that can still fire. It changes only under mu
	// but Match reads it without, so requests to an emulator without
	// faults, the usual case, pay one atomic load.
	live atomic.Int64
}

// activeRule is a rule in a Set, ready to be matched.
type activeRule struct {
	rule Rule        // the Set's own deep copy; rule.Fired counts firings
	path PathPattern // rule.Match.Path, compiled at Add
	rng  *rand.Rand  // draws for rule.Probability; nil without one
}

// NewSet returns an empty Set.
func NewSet() *Set { return &Set{} }

// Add validates r and appends it to the set, giving it an Id when it has
// none. It returns the rule as stored: Fired 0 and Remaining equal to Times,
// whatever r said. Its errors wrap ErrInvalid, ErrDuplicate, or ErrFull when
// the set holds MaxRules rules.
func (s *Set) Add(r Rule) (Rule, error) {
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	path, err := CompilePathPattern(r.Match.Path)
	if err != nil { // Validate has checked the pattern; this is a safety net.
		return Rule{}, fmt.Errorf("%w: Match.Path: %w", ErrInvalid, err)
	}
	ar := &activeRule{rule: clone(r), path: path}
	ar.rule.Fired = 0
	ar.rule.Remaining = nil
	if r.Probability != nil {
		seed := DefaultSeed
		if r.Seed != nil {
			seed = *r.Seed
		}
		ar.rng = rand.New(rand.NewPCG(uint64(seed), 0))
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.rules) >= MaxRules {
		return Rule{}, fmt.Errorf("%w: the set holds %d rules, the most it may (MaxRules); remove some first", ErrFull, MaxRules)
	}
	if ar.rule.ID == "" {
		ar.rule.ID = s.newID()
	} else if s.index(ar.rule.ID) >= 0 {
		return Rule{}, fmt.Errorf("%w %q", ErrDuplicate, ar.rule.ID)
	}
	s.rules = append(s.rules, ar)
	if !ar.spent() {
		s.live.Add(1)
	}
	return ar.snapshot(), nil
}

// List returns copies of the rules in the order they were added.
func (s *Set) List() []Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Rule, len(s.rules))
	for i, ar := range s.rules {
		out[i] = ar.snapshot()
	}
	return out
}

// Get returns a copy of the rule with the given Id.
func (s *Set) Get(id string) (Rule, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.index(id)
	if i < 0 {
		return Rule{}, false
	}
	return s.rules[i].snapshot(), true
}

// Remove deletes the rule with the given Id and reports whether there was one.
func (s *Set) Remove(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.index(id)
	if i < 0 {
		return false
	}
	if !s.rules[i].spent() {
		s.live.Add(-1)
	}
	s.rules = slices.Delete(s.rules, i, i+1)
	return true
}

// Clear removes every rule and starts made-up Ids again from "fault-1".
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = nil
	s.lastID = 0
	s.live.Store(0)
}

// Match returns the first rule, in the order added, that matches req and
// fires, and counts the firing. A rule with a Probability fires on a
// matching request only when its random draw says so; a rule whose Times are
// used up no longer matches, though it stays listed with Remaining 0. The
// returned rule is a copy as it was right after firing.
func (s *Set) Match(req Request) (Rule, bool) {
	if s.live.Load() == 0 {
		return Rule{}, false
	}
	var (
		buf [16]string
		// path is req.Path split into segments by the first rule that looks
		// at it: once for all rules, and not at all when the cheaper fields
		// rule every rule out.
		path []string
	)

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ar := range s.rules {
		if ar.spent() || !ar.matchesFields(req) {
			continue
		}
		if ar.rule.Match.Path != "" {
			if path == nil {
				path = splitPath(req.Path, buf[:0])
			}
			if !ar.path.matchSegments(path) {
				continue
			}
		}
		if !ar.draw() {
			continue
		}
		ar.rule.Fired++
		if ar.spent() {
			s.live.Add(-1)
		}
		return ar.snapshot(), true
	}
	return Rule{}, false
}

// index returns the position of the rule with the given Id, or -1.
// The caller holds s.mu.
func (s *Set) index(id string) int {
	return slices.IndexFunc(s.rules, func(ar *activeRule) bool { return ar.rule.ID == id })
}

// newID makes up an Id no rule has. The caller holds s.mu.
func (s *Set) newID() string {
	for {
		s.lastID++
		id := fmt.Sprintf("fault-%d", s.lastID)
		if s.index(id) < 0 {
			return id
		}
	}
}

// spent reports whether the rule has fired all its Times.
func (ar *activeRule) spent() bool {
	return ar.rule.Times != nil && ar.rule.Fired >= *ar.rule.Times
}

// matchesFields reports whether req satisfies every field of the rule's
// Match but the path, which Match checks last as it costs the most.
func (ar *activeRule) matchesFields(req Request) bool {
	m := &ar.rule.Match
	return (m.Operation == "" || m.Operation == req.Operation) &&
		(m.Method == "" || strings.EqualFold(m.Method, req.Method)) && // an HTTP token: ASCII
		(m.Tenant == "" || ids.Equal(m.Tenant, req.Tenant)) &&
		(m.Namespace == "" || ids.Equal(m.Namespace, req.Namespace))
}

// draw decides whether a matching request makes the rule fire.
func (ar *activeRule) draw() bool {
	if ar.rng == nil {
		return true
	}
	return ar.rng.Float64() < *ar.rule.Probability
}

// snapshot returns a copy of the rule that shares nothing with the Set,
// with Remaining worked out.
func (ar *activeRule) snapshot() Rule {
	r := clone(ar.rule)
	if r.Times != nil {
		r.Remaining = ptr(max(*r.Times-r.Fired, 0))
	}
	return r
}

// clone returns a deep copy of r, so that neither copy sees changes made
// through the other.
func clone(r Rule) Rule {
	r.Action.Body = slices.Clone(r.Action.Body)
	r.Action.Headers = maps.Clone(r.Action.Headers)
	r.Times = clonePtr(r.Times)
	r.Probability = clonePtr(r.Probability)
	r.Seed = clonePtr(r.Seed)
	r.Remaining = clonePtr(r.Remaining)
	return r
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	return ptr(*p)
}

func ptr[T any](v T) *T { return &v }
