package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// shape says how to put the property names of one JSON value into the
// spelling its schema declares. A nil *shape means a free-form value (a
// string, or an object such as AdditionalData that declares no properties):
// it is kept exactly as sent.
type shape struct {
	// exact and folded find a declared property by its exact name and by
	// its name in lower case. Both are nil when the value is not an object
	// with declared properties.
	exact  map[string]*property
	folded map[string]*property
	// items is the shape of the elements of an array value.
	items *shape
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
	m := &shape{items: mergeShapes(a.items, b.items)}
	for _, from := range []*shape{a, b} {
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
		refBase, refPtr, err := resolveRef(base, ref)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", loc, err)
		}
		if _, ok := b.docs[refBase]; !ok {
			return nil, fmt.Errorf("schema %s: $ref %q: no embedded schema has $id %s", loc, ref, refBase)
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
	if s.exact == nil && s.items == nil {
		b.memo[loc] = nil
		return nil, nil
	}
	return s, nil
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

// canonicalizer reads one JSON document token by token and builds it as
// map[string]any, []any, string, json.Number, bool and nil values, renaming
// the properties of declared objects to their declared spelling and
// dropping the properties those objects do not declare.
//
// A property sent twice, in the same or in different case, keeps the value
// that comes last, as System.Text.Json (ASP.NET's serializer) does.
type canonicalizer struct {
	dec *json.Decoder
	// changed records whether the canonical document differs from the one
	// sent (a renamed, dropped or repeated property); when it does not, the
	// body can be unmarshalled as it is.
	changed bool
	// tokens counts the tokens read, to tell an empty body from one that
	// ends too early.
	tokens int
}

// errTrailingData is returned when something follows the JSON document.
var errTrailingData = errors.New("unexpected data after the JSON value")

// canonicalize parses body as one JSON value of the given shape.
//
// The fast path decodes the body in one pass and renames properties in the
// tree; the token-by-token reader runs only where the fast path cannot
// decide: on a syntax error (its messages are the ones callers see) or when
// two properties of one object differ only in case (whose value wins
// depends on their order, which a map has lost).
func canonicalize(body []byte, s *shape) (doc any, changed bool, err error) {
	if doc, changed, ok := canonicalizeFast(body, s); ok {
		return doc, changed, nil
	}
	return canonicalizeTokens(body, s)
}

func canonicalizeFast(body []byte, s *shape) (doc any, changed bool, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, false, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false, false
	}
	return renameTree(doc, s)
}

// renameTree puts a decoded value's property names into their declared
// spelling; ok is false when two names of one object fold to the same
// property.
func renameTree(v any, s *shape) (out any, changed bool, ok bool) {
	switch v := v.(type) {
	case map[string]any:
		if !s.declaresProperties() {
			return v, false, true // free-form: kept as sent
		}
		m := make(map[string]any, len(v))
		for key, val := range v {
			p, declared := s.lookup(key)
			if !declared {
				changed = true
				continue
			}
			if _, taken := m[p.name]; taken {
				return nil, false, false
			}
			child, childChanged, childOK := renameTree(val, p.shape)
			if !childOK {
				return nil, false, false
			}
			m[p.name] = child
			changed = changed || childChanged || p.name != key
		}
		return m, changed, true
	case []any:
		var items *shape
		if s != nil {
			items = s.items
		}
		for i, item := range v {
			child, childChanged, childOK := renameTree(item, items)
			if !childOK {
				return nil, false, false
			}
			v[i] = child
			changed = changed || childChanged
		}
		return v, changed, true
	}
	return v, false, true
}

// canonicalizeTokens is the token-by-token reader (see canonicalizer).
func canonicalizeTokens(body []byte, s *shape) (doc any, changed bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	c := canonicalizer{dec: dec}
	doc, err = c.value(s)
	if err != nil {
		if err == io.EOF && c.tokens > 0 {
			err = io.ErrUnexpectedEOF // the document started but did not end
		}
		return nil, false, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false, errTrailingData
	}
	return doc, c.changed, nil
}

func (c *canonicalizer) value(s *shape) (any, error) {
	tok, err := c.dec.Token()
	if err != nil {
		return nil, err
	}
	c.tokens++
	switch tok {
	case json.Delim('{'):
		return c.object(s)
	case json.Delim('['):
		return c.array(s)
	}
	// A string, json.Number, bool or nil. The decoder itself refuses a
	// closing delimiter where a value must start.
	return tok, nil
}

func (c *canonicalizer) object(s *shape) (map[string]any, error) {
	m := map[string]any{}
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // the decoder only returns strings as keys
		name, child, keep := key, (*shape)(nil), true
		if s.declaresProperties() {
			p, ok := s.lookup(key)
			if ok {
				name, child = p.name, p.shape
			}
			keep = ok
		}
		v, err := c.value(child)
		if err != nil {
			return nil, err
		}
		if !keep {
			c.changed = true
			continue
		}
		if _, repeated := m[name]; repeated || name != key {
			c.changed = true
		}
		m[name] = v
	}
	if _, err := c.dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	return m, nil
}

func (c *canonicalizer) array(s *shape) ([]any, error) {
	var items *shape
	if s != nil {
		items = s.items
	}
	a := []any{}
	for c.dec.More() {
		v, err := c.value(items)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	if _, err := c.dec.Token(); err != nil { // the closing ']'
		return nil, err
	}
	return a, nil
}
