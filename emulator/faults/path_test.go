package faults

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator/ids"
)

func TestPathPatternMatch(t *testing.T) {
	tests := []struct {
		pattern string
		path    string
		want    bool
	}{
		{"", "/anything/at/all", true},
		{"", "/", true},
		{"/", "/", true},
		{"/", "/a", false},
		{"/api/v1/tenants", "/api/v1/tenants", true},
		{"/api/v1/tenants", "/API/V1/Tenants", true},
		{"/api/v1/tenants", "/api/v1/tenant", false},
		{"/api/v1/tenants", "/api/v1/tenants/t1", false},
		{"/api/v1/tenants/t1", "/api/v1/tenants", false},
		{"api/v1", "/api/v1/", true},
		{"/api/v1/", "api/v1", true},
		{"/api/*/tenants", "/api/v1-preview/tenants", true},
		{"/api/*/tenants", "/api/tenants", false},
		{"/api/*/tenants", "/api/a/b/tenants", false},
		{"/api/*/tenants", "/api//tenants", false},
		{"/api/*", "/api/v1", true},
		{"/api/*", "/api", false},
		{"/**", "/", true},
		{"/**", "/a/b/c", true},
		{"/api/**", "/api", true},
		{"/api/**", "/api/a/b/c", true},
		{"/api/**", "/apis/a", false},
		{"/api/**/groups", "/api/groups", true},
		{"/api/**/groups", "/api/v1/tenants/t/namespaces/n/groups", true},
		{"/api/**/groups", "/api/v1/groups/g1", false},
		{"/api/**/groups/*", "/api/v1/groups/g1", true},
		{"/**/status", "/a/status/b/status", true},
		{"/**/**/x", "/a/b/x", true},
		{"/a/**/b/**/c", "/a/1/b/2/3/c", true},
		{"/a/**/b/**/c", "/a/1/c/2/b", false},
		// Segments compare as ids do (ids.Equal), not by Unicode folding.
		{"/tenants/contoso", "/tenants/CONTOSO", true},
		{"/tenants/contoso", "/tenants/contoſo", false},
		{"/tenants/k", "/tenants/\u212a", false},
		{"/tenants/école", "/tenants/ÉCOLE", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.path, func(t *testing.T) {
			p, err := CompilePathPattern(tt.pattern)
			if err != nil {
				t.Fatalf("CompilePathPattern(%q) error: %v", tt.pattern, err)
			}
			if got := p.Match(tt.path); got != tt.want {
				t.Errorf("CompilePathPattern(%q).Match(%q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
			}
		})
	}
}

func TestCompilePathPatternErrors(t *testing.T) {
	for _, pattern := range []string{"/api/v*", "/*a/b", "/a/***", "/a/b**"} {
		t.Run(pattern, func(t *testing.T) {
			_, err := CompilePathPattern(pattern)
			if err == nil {
				t.Fatalf("CompilePathPattern(%q) succeeded, want an error", pattern)
			}
			if !strings.Contains(err.Error(), "whole segments") {
				t.Errorf("error %q does not say what was wrong", err)
			}
		})
	}
}

func TestPathPatternString(t *testing.T) {
	p, err := CompilePathPattern("/API/**")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.String(), "/API/**"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestPathPatternMatchDoesNotAllocate(t *testing.T) {
	p, err := CompilePathPattern("/api/**/namespaces/*/groups")
	if err != nil {
		t.Fatal(err)
	}
	path := "/API/v1-preview/tenants/t1/namespaces/n1/groups"
	if n := testing.AllocsPerRun(100, func() { p.Match(path) }); n != 0 {
		t.Errorf("Match allocates %v times, want 0", n)
	}
}

func ExamplePathPattern() {
	p, err := CompilePathPattern("/api/*/tenants/**")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Match("/api/v1-preview/tenants/T1/namespaces/N1/groups"))
	fmt.Println(p.Match("/api/tenants/T1"))
	// Output:
	// true
	// false
}

// TestPathPatternAgainstReference compares Match with a plain recursive
// matcher on every pattern and path built from a few segments.
func TestPathPatternAgainstReference(t *testing.T) {
	patterns := combinations([]string{"a", "B", "*", "**"}, 4)
	paths := combinations([]string{"a", "b", "A"}, 5)
	for _, pattern := range patterns {
		p, err := CompilePathPattern("/" + strings.Join(pattern, "/"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			want := referenceMatch(pattern, path)
			if got := p.Match("/" + strings.Join(path, "/")); got != want {
				t.Errorf("%q.Match(%q) = %v, want %v", p, "/"+strings.Join(path, "/"), got, want)
			}
		}
	}
}

// combinations returns every sequence of up to n of the given segments.
func combinations(segs []string, n int) [][]string {
	all := [][]string{{}}
	last := [][]string{{}}
	for range n {
		var next [][]string
		for _, prefix := range last {
			for _, s := range segs {
				next = append(next, append(slices.Clone(prefix), s))
			}
		}
		all = append(all, next...)
		last = next
	}
	return all
}

func referenceMatch(pattern, path []string) bool {
	if len(pattern) == 0 {
		return len(path) == 0
	}
	switch pattern[0] {
	case "**":
		for i := 0; i <= len(path); i++ {
			if referenceMatch(pattern[1:], path[i:]) {
				return true
			}
		}
		return false
	case "*":
		return len(path) > 0 && path[0] != "" && referenceMatch(pattern[1:], path[1:])
	default:
		return len(path) > 0 && ids.Equal(pattern[0], path[0]) && referenceMatch(pattern[1:], path[1:])
	}
}
