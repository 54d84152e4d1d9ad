package schemas

import (
	"fmt"
	"strings"
)

// enumNames is a named enumeration: the "enum" of a schema and, pairwise,
// its "x-enum-names" ("enum": [0, 1], "x-enum-names": ["Off", "Primary"]).
//
// In a request, where the schema offers the name as an alternative to the
// number (an anyOf of the enumeration and a string), a name in any case is
// replaced by its value before the document is validated, as ASP.NET's
// JsonStringEnumConverter reads it: "primary" becomes 1. A string
// enumeration whose names are its values (LogLevel) gets the declared
// spelling: "warning" becomes "Warning".
type enumNames struct {
	values []any          // json.Number or string, as the schema spells them
	names  []string       // names[i] names values[i]
	byName map[string]any // by name in ASCII lower case
}

// newEnumNames reads the named enumeration of a schema object, or returns
// nil when it has no "x-enum-names".
func newEnumNames(node map[string]any) (*enumNames, error) {
	values, names, ok := enumOf(node)
	if !ok {
		return nil, nil
	}
	if len(values) != len(names) {
		return nil, fmt.Errorf("%d enum values but %d x-enum-names", len(values), len(names))
	}
	e := &enumNames{values: values, names: names, byName: make(map[string]any, len(names))}
	for i, name := range names {
		key := asciiLower(name)
		if _, dup := e.byName[key]; dup {
			return nil, fmt.Errorf("x-enum-names lists %q twice", name)
		}
		e.byName[key] = values[i]
	}
	return e, nil
}

// enumOf returns the "enum" and "x-enum-names" of a schema object.
func enumOf(node map[string]any) (values []any, names []string, ok bool) {
	values, _ = node["enum"].([]any)
	raw, isList := node["x-enum-names"].([]any)
	if values == nil || !isList {
		return nil, nil, false
	}
	for _, n := range raw {
		s, isString := n.(string)
		if !isString {
			return nil, nil, false
		}
		names = append(names, s)
	}
	return values, names, true
}

// value returns the enumeration value a name stands for, ignoring case.
func (e *enumNames) value(name string) (any, bool) {
	v, ok := e.byName[asciiLower(name)]
	return v, ok
}

// notOneOf says that v is none of the values, naming each:
// `"Maybe" is not one of 0 (Off), 1 (Primary)`.
func notOneOf(v any, values []any, names []string) string {
	parts := make([]string, len(values))
	for i, value := range values {
		switch {
		case i >= len(names):
			parts[i] = literal(value)
		case value == names[i]: // a string enumeration: the name is the value
			parts[i] = names[i]
		default:
			parts[i] = literal(value) + " (" + names[i] + ")"
		}
	}
	return literal(v) + " is not one of " + strings.Join(parts, ", ")
}

// asciiLower lowers ASCII letters only. Enum names are ASCII; matching them
// with Unicode case folding would let "ſecondary" (long s) pass, which the
// schemas' case-insensitive patterns refuse.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
