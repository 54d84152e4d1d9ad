package faults

import (
	"fmt"
	"strings"

	"github.com/adh-emulator/clientfailover/emulator/ids"
)

// PathPattern is a compiled path glob, as used by Match.Path and by the
// request journal's path filter, so a pattern means the same in both places.
// Both match it against the path as the client sent it, percent-escapes
// included (URL.EscapedPath): an id with a "/" in it is one segment
// ("a%2Fb"), and a pattern writes a segment the way it is escaped.
//
// A pattern is a slash-separated list of segments. The segment "*" matches
// any one non-empty path segment, "**" matches any number of segments (zero
// included), and any other segment matches itself, ignoring case as ids
// are matched (ids.Equal: a segment is often an id). A "*"
// inside a longer segment is an error. Leading and trailing slashes are
// ignored on both the pattern and the path, so "/a/b/" matches "a/b".
//
// An empty pattern, like the zero PathPattern, matches every path; the
// pattern "/" matches only the root.
type PathPattern struct {
	source string
	// The pattern is kept cut at its "**" segments: head must match the
	// first segments of the path, tail the last ones, and each block of
	// middle some run of segments in between, in order. Matching both ends
	// and then taking the leftmost place for each middle block never needs
	// to backtrack.
	head   []segment
	middle [][]segment
	tail   []segment
	// anyDepth is set when the pattern has a "**"; without one, head alone
	// must match the whole path.
	anyDepth bool
	// minSegments is the fewest segments a matching path has.
	minSegments int
}

// segment is one segment of a pattern other than "**".
type segment struct {
	wildcard bool   // "*": any one non-empty segment
	text     string // otherwise: this text, as ids.Equal compares
}

func (s segment) matches(seg string) bool {
	if s.wildcard {
		return seg != ""
	}
	return ids.Equal(seg, s.text)
}

// CompilePathPattern parses a path glob. See PathPattern for the syntax.
func CompilePathPattern(pattern string) (PathPattern, error) {
	if pattern == "" {
		return PathPattern{}, nil
	}
	p := PathPattern{source: pattern}
	trimmed := trimSlashes(pattern)
	if trimmed == "" {
		return p, nil // "/": the root only
	}
	// Split into blocks at each "**": the first block is head, the last
	// (when there was a "**") tail, the others middle.
	blocks := [][]segment{nil}
	for text := range strings.SplitSeq(trimmed, "/") {
		last := len(blocks) - 1
		switch {
		case text == "**":
			blocks = append(blocks, nil)
			continue
		case text == "*":
			blocks[last] = append(blocks[last], segment{wildcard: true})
		case strings.Contains(text, "*"):
			return PathPattern{}, fmt.Errorf("path pattern %q: segment %q: \"*\" and \"**\" must be whole segments", pattern, text)
		default:
			blocks[last] = append(blocks[last], segment{text: text})
		}
		p.minSegments++
	}
	p.head = blocks[0]
	if len(blocks) > 1 {
		p.anyDepth = true
		p.tail = blocks[len(blocks)-1]
		for _, b := range blocks[1 : len(blocks)-1] {
			if len(b) > 0 { // "**/**" leaves an empty block between
				p.middle = append(p.middle, b)
			}
		}
	}
	return p, nil
}

// String returns the pattern as it was written.
func (p PathPattern) String() string { return p.source }

// Match reports whether path matches the pattern. It does not allocate for
// paths of up to 16 segments.
func (p PathPattern) Match(path string) bool {
	var buf [16]string
	return p.matchSegments(splitPath(path, buf[:0]))
}

// matchSegments is Match for a path already split by splitPath, which lets
// a Set split a request's path once for all its rules.
func (p PathPattern) matchSegments(segs []string) bool {
	switch {
	case p.source == "":
		return true
	case !p.anyDepth:
		return len(segs) == len(p.head) && matchAll(p.head, segs)
	case len(segs) < p.minSegments:
		return false
	}
	tailStart := len(segs) - len(p.tail)
	if !matchAll(p.tail, segs[tailStart:]) || !matchAll(p.head, segs[:len(p.head)]) {
		return false
	}
	rest := segs[len(p.head):tailStart]
	for _, block := range p.middle {
		i := findBlock(block, rest)
		if i < 0 {
			return false
		}
		rest = rest[i+len(block):]
	}
	return true
}

// matchAll reports whether each pattern segment matches the path segment
// at the same place; the caller makes the lengths equal.
func matchAll(pattern []segment, segs []string) bool {
	for i, s := range pattern {
		if !s.matches(segs[i]) {
			return false
		}
	}
	return true
}

// findBlock returns where the first run of segs that block matches starts,
// or -1.
func findBlock(block []segment, segs []string) int {
	for i := 0; i+len(block) <= len(segs); i++ {
		if matchAll(block, segs[i:i+len(block)]) {
			return i
		}
	}
	return -1
}

// splitPath appends the segments of path to buf and returns it. Leading and
// trailing slashes are ignored, so "/" has no segments.
func splitPath(path string, buf []string) []string {
	path = trimSlashes(path)
	if path == "" {
		return buf
	}
	for {
		i := strings.IndexByte(path, '/')
		if i < 0 {
			return append(buf, path)
		}
		buf = append(buf, path[:i])
		path = path[i+1:]
	}
}

// trimSlashes removes one leading and one trailing slash.
func trimSlashes(s string) string {
	s = strings.TrimPrefix(s, "/")
	return strings.TrimSuffix(s, "/")
}
