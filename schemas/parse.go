package schemas

import (
	"encoding/json"
	"unicode/utf8"
)

// parseCanonical is the quickest way to the canonical tree: one pass over
// the body that parses it and canonicalises it at once, building the same
// values encoding/json builds (map[string]any, []any, string, json.Number,
// bool, nil) without its reflection and scanner, and taking declared
// property names from the schema rather than allocating them.
//
// It decides only the plain cases and returns errFallback for anything
// else, for the encoding/json paths to decide exactly as before: a syntax
// error (their messages are the ones callers see), a string with a \u
// escape or bytes that are not UTF-8 (encoding/json's replacements), a
// property given twice in one object (which value wins depends on the
// order), more than one dropped property (their order), an array over
// MaxItems, trailing data.
func parseCanonical(body []byte, s *shape) (doc any, result canonical, err error) {
	p := parser{data: body}
	p.skipSpace()
	doc, ok := p.value(s)
	if !ok {
		return nil, canonical{}, errFallback
	}
	if p.skipSpace(); p.i != len(p.data) {
		return nil, canonical{}, errFallback
	}
	return doc, p.canonical, nil
}

// parser is one run of parseCanonical.
type parser struct {
	canonicalizer
	data []byte
	i    int
}

func (p *parser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses the value at p.i, of shape s; ok is false to fall back.
func (p *parser) value(s *shape) (v any, ok bool) {
	if p.i >= len(p.data) {
		return nil, false
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(s)
	case c == '[':
		return p.array(s)
	case c == '"':
		str, ok := p.string()
		if !ok {
			return nil, false
		}
		if s != nil && s.enum != nil {
			return p.enumValue(str, s), true
		}
		return str, true
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, false
}

func (p *parser) literal(word string) bool {
	if len(p.data)-p.i < len(word) || string(p.data[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// object parses an object; a declared one gets its names canonicalised and
// its undeclared properties dropped, a free-form one is kept as sent.
func (p *parser) object(s *shape) (any, bool) {
	p.i++ // '{'
	declared := s.declaresProperties()
	m := map[string]any{}
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		p.skipSpace()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, false
		}
		key, prop, ok := p.key(s, declared)
		if !ok {
			return nil, false
		}
		if p.skipSpace(); p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.skipSpace()
		switch {
		case !declared: // free-form: kept as sent
			if _, repeated := m[key]; repeated {
				return nil, false
			}
			v, ok := p.value(nil)
			if !ok {
				return nil, false
			}
			m[key] = v
		case prop == nil: // not declared: dropped
			if p.drop(key); p.drops > 1 {
				return nil, false
			}
			if _, ok := p.value(nil); !ok {
				return nil, false
			}
		default:
			if _, repeated := m[prop.name]; repeated {
				return nil, false
			}
			if prop.name != key {
				p.changed = true
			}
			p.push(prop.name)
			v, ok := p.value(prop.shape)
			p.pop()
			if !ok {
				return nil, false
			}
			m[prop.name] = v
		}
		if done, ok := p.separator('}'); !ok || done {
			return m, ok
		}
	}
}

// separator reads what follows a member or an element: a ',' (another one
// comes) or closing (done); ok is false for anything else.
func (p *parser) separator(closing byte) (done, ok bool) {
	p.skipSpace()
	if p.i >= len(p.data) {
		return false, false
	}
	switch p.data[p.i] {
	case ',':
		p.i++
		return false, true
	case closing:
		p.i++
		return true, true
	}
	return false, false
}

// key parses a property name. For a declared object it returns the
// property it names (nil when it names none) and, when the name is spelled
// as declared, the schema's own string for it, so no string is allocated.
func (p *parser) key(s *shape, declared bool) (string, *property, bool) {
	raw, escaped, ok := p.stringBytes()
	if !ok {
		return "", nil, false
	}
	if !declared {
		return p.text(raw, escaped), nil, true
	}
	if !escaped {
		if prop, ok := s.exact[string(raw)]; ok { // no allocation: a map look-up
			return prop.name, prop, true
		}
	}
	key := p.text(raw, escaped)
	prop, _ := s.lookup(key)
	return key, prop, true
}

func (p *parser) array(s *shape) (any, bool) {
	p.i++ // '['
	items := s.itemShape()
	a := []any{}
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return a, true
	}
	for {
		if items != nil && len(a) == MaxItems {
			return nil, false // too long: the other paths say so
		}
		p.skipSpace()
		p.pushIndex(len(a))
		v, ok := p.value(items)
		p.pop()
		if !ok {
			return nil, false
		}
		a = append(a, v)
		if done, ok := p.separator(']'); !ok || done {
			return a, ok
		}
	}
}

func (p *parser) string() (string, bool) {
	raw, escaped, ok := p.stringBytes()
	if !ok {
		return "", false
	}
	return p.text(raw, escaped), true
}

// stringBytes reads a string at p.i (a '"'), returning its raw contents
// and whether they hold escapes. It refuses (ok false) what only the other
// paths decide: control characters, bytes that are not UTF-8, a \u escape
// or an unknown one.
func (p *parser) stringBytes() (raw []byte, escaped, ok bool) {
	p.i++ // '"'
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			raw = p.data[start:p.i]
			p.i++
			return raw, escaped, true
		case c == '\\':
			if p.i+1 >= len(p.data) {
				return nil, false, false
			}
			switch p.data[p.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			default:
				return nil, false, false // \u and the invalid ones
			}
			escaped = true
			p.i += 2
		case c < 0x20:
			return nil, false, false
		case c < utf8.RuneSelf:
			p.i++
		default:
			r, size := utf8.DecodeRune(p.data[p.i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false, false
			}
			p.i += size
		}
	}
	return nil, false, false
}

// text is the string raw stands for (its escapes are the simple ones).
func (p *parser) text(raw []byte, escaped bool) string {
	if !escaped {
		return string(raw)
	}
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		default: // '"', '\\', '/'
			c = raw[i]
		}
		b = append(b, c)
	}
	return string(b)
}

// number reads a number as JSON writes them, kept exact as a json.Number.
func (p *parser) number() (any, bool) {
	start := p.i
	d := p.data
	if d[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(d) && d[p.i] == '0':
		p.i++
	case p.i < len(d) && '1' <= d[p.i] && d[p.i] <= '9':
		p.digits()
	default:
		return nil, false
	}
	if p.i < len(d) && d[p.i] == '.' {
		p.i++
		if !p.digits() {
			return nil, false
		}
	}
	if p.i < len(d) && (d[p.i] == 'e' || d[p.i] == 'E') {
		p.i++
		if p.i < len(d) && (d[p.i] == '+' || d[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return nil, false
		}
	}
	return json.Number(d[start:p.i]), true
}

// digits skips one or more digits; false when there is none.
func (p *parser) digits() bool {
	start := p.i
	for p.i < len(p.data) && '0' <= p.data[p.i] && p.data[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}
