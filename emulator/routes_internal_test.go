package emulator

import (
	"slices"
	"strings"
	"testing"
)

// checkSplit fails when splitSegments splits path otherwise than
// strings.Split(strings.Trim(path, "/"), "/"), or says it fits when that
// has more than maxSegments segments.
func checkSplit(t *testing.T, path string) {
	t.Helper()
	var buf [maxSegments]string
	got, fits := splitSegments(path, buf[:0])
	want := strings.Split(strings.Trim(path, "/"), "/")
	if fits != (len(want) <= maxSegments) || fits && !slices.Equal(got, want) {
		t.Errorf("splitSegments(%q) = %q, %v; strings.Split: %q", path, got, fits, want)
	}
}

func TestSplitSegments(t *testing.T) {
	for _, path := range []string{
		"/api/v1/clientfailover/groups/G",
		"//api//v1/clientfailover/groups/G//",
		"/api/v1/tenants//namespaces//clientfailover",
		"", "/", "//", "a", "a/", "/a/b%2Fc/",
		strings.Repeat("/a", maxSegments),
		strings.Repeat("/a", maxSegments+1),
	} {
		checkSplit(t, path)
	}
}

func FuzzSplitSegments(f *testing.F) {
	f.Add("/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/G/status/")
	f.Add("//a///b/")
	f.Fuzz(func(t *testing.T, path string) { checkSplit(t, path) })
}

// BenchmarkCanonicalPath: finding the template of a heartbeat's path, the
// longest, among the emulator's own.
func BenchmarkCanonicalPath(b *testing.B) {
	p := apiRouterFor(false).paths
	const path = "/api/v1/tenants/bench/namespaces/ns/clientfailover/groups/hb/clientsessions/s7/heartbeat"
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := p.canonical(path); !ok {
			b.Fatal("no template")
		}
	}
}
