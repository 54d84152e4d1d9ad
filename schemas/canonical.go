package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// shape says how to put one JSON value of a request into its canonical form:
// the spelling its schema declares for property names, and numbers for enum
// names. A nil *shape means a free-form value (a string, or an object such
// as AdditionalData that declares no properties): it is kept exactly as sent.
type shape struct {
	// exact and folded find a declared property by its exact name and by
	// its name in lower case. Both are nil when the value is not an object
	// with declared properties.
	exact  map[string]*property
	folded map[string]*property
	// items is the shape of the elements of an array value.
	items *shape
	// enum, when not nil, turns a string naming one of the values of an
	// enumeration into that value (see enumNames).
	enum *enumNames
}

// property is one declared property of an object.
type property struct {
	name  string // as the schema spells it
	shape *shape // of its value
}

// lookup finds the declared property a key names, ignoring case as ASP.NET
// does. ok is false for a property the schema does not declare.
func (s *shape) lookup(key string) (p *property, ok bool) {
	if p, ok := s.exact[key]; ok {
		return p, true
	}
	p, ok = s.folded[strings.ToLower(key)]
	return p, ok
}

// declaresProperties reports whether an object of this shape has declared
// properties, and so has its names canonicalized and its unknown properties
// dropped.
func (s *shape) declaresProperties() bool { return s != nil && s.exact != nil }

// allowsArray reports whether the value may be an array with a shape of its
// own (a schema with "items").
func (s *shape) allowsArray() bool { return s != nil && s.items != nil }

// itemShape is the shape of the elements of an array of this shape.
func (s *shape) itemShape() *shape {
	if s == nil {
		return nil
	}
	return s.items
}

// add declares a property, merging it with an earlier declaration of the
// same name (a response variant that narrows a request property, or two
// allOf members that both declare it).
func (s *shape) add(name string, child *shape) {
	if s.exact == nil {
		s.exact = map[string]*property{}
		s.folded = map[string]*property{}
	}
	if p, ok := s.exact[name]; ok {
		p.shape = mergeShapes(p.shape, child)
		return
	}
	p := &property{name: name, shape: child}
	s.exact[name] = p
	s.folded[strings.ToLower(name)] = p
}

// mergeShapes returns a shape that declares what a and b declare. It never
// modifies a or b, which may be shared.
func mergeShapes(a, b *shape) *shape {
	switch {
	case a == nil:
		return b
	case b == nil || a == b:
		return a
	}
	m := &shape{items: mergeShapes(a.items, b.items), enum: a.enum}
	if m.enum == nil {
		m.enum = b.enum
	}
	for _, from := range []*shape{a, b} {
		if from.exact != nil && m.exact == nil {
			m.exact = map[string]*property{}
			m.folded = map[string]*property{}
		}
		for name, p := range from.exact {
			m.add(name, p.shape)
		}
	}
	return m
}

// shapeBuilder derives shapes from the raw schema documents, following
// $ref, allOf, anyOf and oneOf into nested objects and array items.
type shapeBuilder struct {
	docs map[string]any    // raw schema documents by $id
	memo map[string]*shape // by absolute location "url#pointer"
}

// build returns the shape of the schema at ptr (a JSON pointer) in the
// document whose $id is base.
func (b *shapeBuilder) build(base, ptr string) (*shape, error) {
	loc := base + "#" + ptr
	if s, ok := b.memo[loc]; ok {
		return s, nil
	}
	node, err := resolvePointer(b.docs[base], ptr)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", loc, err)
	}
	m, ok := node.(map[string]any)
	if !ok {
		return nil, nil // a boolean schema: free-form
	}
	s := &shape{}
	b.memo[loc] = s // before recursing, so a cycle ends here

	if ref, ok := m["$ref"].(string); ok {
		refBase, refPtr, err := b.resolve(base, ref, loc)
		if err != nil {
			return nil, err
		}
		target, err := b.build(refBase, refPtr)
		if err != nil {
			return nil, err
		}
		*s = *mergeShapes(s, target)
	}
	for _, keyword := range []string{"allOf", "anyOf", "oneOf"} {
		members, _ := m[keyword].([]any)
		for i := range members {
			member, err := b.build(base, ptr+"/"+keyword+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			*s = *mergeShapes(s, member)
		}
	}
	if members, ok := m["anyOf"].([]any); ok {
		named, err := b.namedAlternatives(base, ptr, members)
		if err != nil {
			return nil, err
		}
		if named != nil {
			s.enum = named
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		if s.exact == nil { // declared, even if it lists nothing
			s.exact = map[string]*property{}
			s.folded = map[string]*property{}
		}
		for name := range props {
			child, err := b.build(base, ptr+"/properties/"+escapePointer(name))
			if err != nil {
				return nil, err
			}
			s.add(name, child)
		}
	}
	if _, ok := m["items"]; ok {
		items, err := b.build(base, ptr+"/items")
		if err != nil {
			return nil, err
		}
		s.items = mergeShapes(s.items, items)
	}
	if s.exact == nil && s.items == nil && s.enum == nil {
		b.memo[loc] = nil
		return nil, nil
	}
	return s, nil
}

// resolve resolves a $ref found at loc and checks that it names an embedded
// document.
func (b *shapeBuilder) resolve(base, ref, loc string) (docURL, ptr string, err error) {
	docURL, ptr, err = resolveRef(base, ref)
	if err != nil {
		return "", "", fmt.Errorf("schema %s: %w", loc, err)
	}
	if _, ok := b.docs[docURL]; !ok {
		return "", "", fmt.Errorf("schema %s: $ref %q: no embedded schema has $id %s", loc, ref, docURL)
	}
	return docURL, ptr, nil
}

// namedAlternatives recognises the schema of a request-side enumeration: an
// anyOf whose members are a named enumeration (an "enum" with
// "x-enum-names", possibly behind $ref) and a string (the name). It returns
// the names of that enumeration, or nil when the anyOf is something else.
func (b *shapeBuilder) namedAlternatives(base, ptr string, members []any) (*enumNames, error) {
	var named *enumNames
	byName := false
	for i := range members {
		memberBase, node, err := b.follow(base, ptr+"/anyOf/"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		if e, err := newEnumNames(node); err != nil {
			return nil, fmt.Errorf("schema %s#%s: %w", memberBase, ptr, err)
		} else if e != nil {
			named = e
			continue
		}
		if node["type"] == "string" && node["enum"] == nil {
			byName = true
		}
	}
	if !byName {
		return nil, nil
	}
	return named, nil
}

// follow returns the schema object at base#ptr, following a chain of $ref
// (at most a few: the schemas use one).
func (b *shapeBuilder) follow(base, ptr string) (string, map[string]any, error) {
	for range 8 {
		loc := base + "#" + ptr
		node, err := resolvePointer(b.docs[base], ptr)
		if err != nil {
			return "", nil, fmt.Errorf("schema %s: %w", loc, err)
		}
		m, _ := node.(map[string]any)
		ref, ok := m["$ref"].(string)
		if !ok {
			return base, m, nil
		}
		if base, ptr, err = b.resolve(base, ref, loc); err != nil {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("schema %s#%s: too many $ref in a row", base, ptr)
}

// resolveRef resolves a $ref against the $id of the document it is in and
// splits the result into a document URL and a JSON pointer.
func resolveRef(base, ref string) (docURL, ptr string, err error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", "", fmt.Errorf("$ref %q: %w", ref, err)
	}
	abs := b.ResolveReference(r)
	ptr = abs.Fragment
	abs.Fragment = ""
	return abs.String(), ptr, nil
}

// resolvePointer returns the value a JSON pointer ("" or "/a/0/b") names.
func resolvePointer(doc any, ptr string) (any, error) {
	if ptr == "" {
		return doc, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("JSON pointer %q does not start with /", ptr)
	}
	v := doc
	for _, token := range strings.Split(ptr[1:], "/") {
		token = unescapePointer(token)
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[token]
			if !ok {
				return nil, fmt.Errorf("JSON pointer %q: no member %q", ptr, token)
			}
			v = next
		case []any:
			i, err := strconv.Atoi(token)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("JSON pointer %q: no element %q", ptr, token)
			}
			v = c[i]
		default:
			return nil, fmt.Errorf("JSON pointer %q: %q is inside a scalar", ptr, token)
		}
	}
	return v, nil
}

var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

func escapePointer(token string) string   { return pointerEscaper.Replace(token) }
func unescapePointer(token string) string { return pointerUnescaper.Replace(token) }

// errTrailingData is returned when something follows the JSON document.
var errTrailingData = errors.New("unexpected data after the JSON value")

// canonical is what canonicalisation found besides the document.
type canonical struct {
	// changed records whether the canonical document differs from the one
	// sent (a renamed, dropped or repeated property, an enum name); when
	// it does not, the body can be unmarshalled as it is.
	changed bool
	// ignored lists the paths of the dropped properties in document order,
	// each once.
	ignored []string
	// problems are the enum names that name no value, by path.
	problems []pathProblem
}

// pathProblem is one problem found while canonicalising, with the path of
// the value it is about (to sort by).
type pathProblem struct{ path, sentence string }

// canonicalizer puts one document into its canonical form. It keeps the
// path of the value it is at, to name dropped properties and bad names.
type canonicalizer struct {
	canonical
	path  []step
	seen  map[string]struct{} // ignored paths already listed; nil until needed
	drops int                 // properties dropped (a repeated one counts each time)
	// tooLong is set, and canonicalisation stops, when a declared array
	// holds more than MaxItems elements.
	tooLong *DecodeError
}

// checkLength records a declared array of n elements that is too long.
func (c *canonicalizer) checkLength(n int) bool {
	if n <= MaxItems {
		return true
	}
	subject := "the request body"
	if path := c.here(); path != "" {
		subject = "property " + strconv.Quote(path)
	}
	c.tooLong = newDecodeError(nil, "%s has more than %d entries, the most a list in a request body may hold", subject, MaxItems)
	return false
}

// step is one step of a path: a property name or an array index.
type step struct {
	name  string
	index int
	isIdx bool
}

func (c *canonicalizer) push(name string) { c.path = append(c.path, step{name: name}) }
func (c *canonicalizer) pushIndex(i int)  { c.path = append(c.path, step{index: i, isIdx: true}) }
func (c *canonicalizer) pop()             { c.path = c.path[:len(c.path)-1] }

// here is the path of the current value, as the explainer writes paths:
// "RoleTrusteeAccessControlEntries[1].Trustee.Type" ("" at the top).
func (c *canonicalizer) here() string {
	var b strings.Builder
	for _, s := range c.path {
		if s.isIdx {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}

// child is the path of the property name of the current object.
func (c *canonicalizer) child(name string) string {
	if p := c.here(); p != "" {
		return p + "." + name
	}
	return name
}

// drop records that the property key of the current object was dropped.
func (c *canonicalizer) drop(key string) {
	c.changed = true
	c.drops++
	p := c.child(key)
	if c.seen == nil {
		c.seen = map[string]struct{}{}
	}
	if _, dup := c.seen[p]; dup {
		return
	}
	c.seen[p] = struct{}{}
	c.ignored = append(c.ignored, p)
}

// enumValue returns the value a string stands for where s is a named
// enumeration, or the string itself (recording a problem) when it names
// none of the values.
func (c *canonicalizer) enumValue(v string, s *shape) any {
	value, ok := s.enum.value(v)
	if !ok {
		path := c.here()
		subject := "the request body: "
		if path != "" {
			subject = "property " + strconv.Quote(path) + ": "
		}
		c.problems = append(c.problems, pathProblem{path, subject + notOneOf(v, s.enum.values, s.enum.names)})
		return v
	}
	if value != v {
		c.changed = true
	}
	return value
}

// canonicalize parses body as one JSON value of the given shape.
//
// A body nesting deeper than MaxDepth is refused first (ErrTooDeep). The
// plain cases are then parsed and canonicalised in one pass
// (parseCanonical); what it leaves goes to the fast path, which decodes the
// body with encoding/json and canonicalises the tree, and the token-by-token
// reader runs only where that cannot decide either: on a
// syntax error (its messages are the ones callers see), when two properties
// of one object differ only in case (whose value wins depends on their
// order, which a map has lost), or when more than one property was dropped
// (their document order, also lost).
func canonicalize(body []byte, s *shape) (doc any, result canonical, err error) {
	if tooDeep(body, MaxDepth) {
		return nil, canonical{}, ErrTooDeep
	}
	if doc, result, err = parseCanonical(body, s); err != errFallback {
		return doc, result, err
	}
	if doc, result, err = canonicalizeFast(body, s); err != errFallback {
		return doc, result, err
	}
	return canonicalizeTokens(body, s)
}

// errFallback tells canonicalize that the fast path cannot decide.
var errFallback = errors.New("the token-by-token reader must decide")

func canonicalizeFast(body []byte, s *shape) (doc any, result canonical, err error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, canonical{}, errFallback
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, canonical{}, errFallback
	}
	var c canonicalizer
	doc, ok := c.tree(doc, s)
	switch {
	case c.tooLong != nil:
		return nil, canonical{}, c.tooLong
	case !ok:
		return nil, canonical{}, errFallback
	}
	return doc, c.canonical, nil
}

// tree canonicalises a decoded value; ok is false when the fast path cannot
// decide (see canonicalize).
func (c *canonicalizer) tree(v any, s *shape) (out any, ok bool) {
	switch v := v.(type) {
	case map[string]any:
		if !s.declaresProperties() {
			return v, true // free-form: kept as sent
		}
		if spelledAsDeclared(v, s) { // the usual case: no new map
			for key, val := range v {
				c.push(key)
				child, ok := c.tree(val, s.exact[key].shape)
				c.pop()
				if !ok {
					return nil, false
				}
				v[key] = child // an existing key: allowed while ranging
			}
			return v, true
		}
		m := make(map[string]any, len(v))
		for key, val := range v {
			p, declared := s.lookup(key)
			if !declared {
				if c.drop(key); c.drops > 1 {
					return nil, false
				}
				continue
			}
			if _, taken := m[p.name]; taken {
				return nil, false
			}
			c.push(p.name)
			child, ok := c.tree(val, p.shape)
			c.pop()
			if !ok {
				return nil, false
			}
			m[p.name] = child
			if p.name != key {
				c.changed = true
			}
		}
		return m, true
	case []any:
		items := s.itemShape()
		if items != nil && !c.checkLength(len(v)) {
			return nil, false
		}
		for i, item := range v {
			c.pushIndex(i)
			child, ok := c.tree(item, items)
			c.pop()
			if !ok {
				return nil, false
			}
			v[i] = child
		}
		return v, true
	case string:
		if s != nil && s.enum != nil {
			return c.enumValue(v, s), true
		}
	}
	return v, true
}

// spelledAsDeclared reports whether every key of m is a declared property
// spelled as declared.
func spelledAsDeclared(m map[string]any, s *shape) bool {
	for key := range m {
		if _, ok := s.exact[key]; !ok {
			return false
		}
	}
	return true
}

// tokenReader reads one JSON document token by token and builds it as
// map[string]any, []any, string, json.Number, bool and nil values, renaming
// the properties of declared objects to their declared spelling, skipping
// (without building) the properties those objects do not declare, and
// replacing enum names by their values.
//
// A property sent twice, in the same or in different case, keeps the value
// that comes last, as System.Text.Json (ASP.NET's serializer) does.
type tokenReader struct {
	canonicalizer
	dec *json.Decoder
	// tokens counts the tokens read, to tell an empty body from one that
	// ends too early.
	tokens int
}

// canonicalizeTokens is the token-by-token reader (see tokenReader).
func canonicalizeTokens(body []byte, s *shape) (doc any, result canonical, err error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	r := tokenReader{dec: dec}
	doc, err = r.value(s)
	if err != nil {
		if err == io.EOF && r.tokens > 0 {
			err = io.ErrUnexpectedEOF // the document started but did not end
		}
		return nil, canonical{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, canonical{}, errTrailingData
	}
	return doc, r.canonical, nil
}

func (r *tokenReader) value(s *shape) (any, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return nil, err
	}
	r.tokens++
	switch tok {
	case json.Delim('{'):
		return r.object(s)
	case json.Delim('['):
		return r.array(s)
	}
	if str, ok := tok.(string); ok && s != nil && s.enum != nil {
		return r.enumValue(str, s), nil
	}
	// A string, json.Number, bool or nil. The decoder itself refuses a
	// closing delimiter where a value must start.
	return tok, nil
}

// discard reads a JSON value and keeps nothing of it: the decoder checks
// its syntax and hands over the bytes, which are not copied.
type discard struct{}

// UnmarshalJSON does nothing.
func (*discard) UnmarshalJSON([]byte) error { return nil }

func (r *tokenReader) object(s *shape) (map[string]any, error) {
	m := map[string]any{}
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // the decoder only returns strings as keys
		if !s.declaresProperties() {
			v, err := r.value(nil) // free-form: kept as sent
			if err != nil {
				return nil, err
			}
			m[key] = v
			continue
		}
		p, declared := s.lookup(key)
		if !declared {
			r.drop(key)
			if err := r.dec.Decode(&discard{}); err != nil {
				return nil, err
			}
			r.tokens++
			continue
		}
		if _, repeated := m[p.name]; repeated {
			// The last value wins, and only it is checked: forget the
			// problems of the value it replaces.
			r.forget(r.child(p.name))
			r.changed = true
		} else if p.name != key {
			r.changed = true
		}
		r.push(p.name)
		v, err := r.value(p.shape)
		r.pop()
		if err != nil {
			return nil, err
		}
		m[p.name] = v
	}
	if _, err := r.dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	return m, nil
}

func (r *tokenReader) array(s *shape) ([]any, error) {
	items := s.itemShape()
	a := []any{}
	for i := 0; r.dec.More(); i++ {
		if items != nil && !r.checkLength(i+1) {
			return nil, r.tooLong
		}
		r.pushIndex(i)
		v, err := r.value(items)
		r.pop()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	if _, err := r.dec.Token(); err != nil { // the closing ']'
		return nil, err
	}
	return a, nil
}

// forget drops the problems found at path and inside it.
func (c *canonicalizer) forget(path string) {
	c.problems = slices.DeleteFunc(c.problems, func(p pathProblem) bool {
		rest, inside := strings.CutPrefix(p.path, path)
		return inside && (rest == "" || rest[0] == '.' || rest[0] == '[')
	})
}

// sortedProblems returns the problems' sentences ordered by path.
func sortedProblems(problems []pathProblem) []string {
	slices.SortStableFunc(problems, func(a, b pathProblem) int { return strings.Compare(a.path, b.path) })
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = p.sentence
	}
	return out
}
