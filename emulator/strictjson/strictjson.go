// Package strictjson reads JSON documents the strict way the emulator reads
// its own inputs (control API bodies, fixture and state documents, fault
// rules), where a typo must never pass silently: exactly one JSON object,
// every property known, every value of its declared type, nothing after it.
// Its errors say what was wrong in the control API's words (properties, not
// fields; "a string", not "string"), fit for the Reason of a 400.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Decode reads data, which must hold exactly one JSON object (white space
// around it allowed), into dst, a pointer to a struct or to a type with its
// own UnmarshalJSON. Property names match ignoring case, as encoding/json
// matches them. Each of these is an error that names the problem: an empty
// document, null or any value other than an object, JSON that does not
// parse, an unknown property, a value of the wrong type, and anything after
// the object. A property whose value is null is left as it was, as if it
// were absent. Errors returned by a type's own UnmarshalJSON are passed on.
func Decode(data []byte, dst any) error {
	start := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
	if start == len(data) {
		return errors.New("the document is empty; a JSON object is needed")
	}
	if data[start] != '{' {
		if !json.Valid(data) {
			return syntaxError(data, json.Unmarshal(data, new(any)))
		}
		return fmt.Errorf("a JSON object is needed, not %s", kindOf(data[start]))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return describe(data, err)
	}
	end := dec.InputOffset()
	if rest := bytes.TrimSpace(data[end:]); len(rest) > 0 {
		return fmt.Errorf("unexpected data after the JSON object, at byte %d: %s", end+int64(len(data[end:])-len(bytes.TrimLeft(data[end:], " \t\r\n"))), snippet(rest))
	}
	return nil
}

// describe turns a decoding error into the control API's words.
func describe(data []byte, err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return fmt.Errorf("a JSON object is needed, not %s", article(typeErr.Value))
		}
		return fmt.Errorf("%s must be %s, not %s", typeErr.Field, Describe(typeErr.Type), article(typeErr.Value))
	case errors.As(err, &syntaxErr):
		return syntaxError(data, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the document ends before its JSON object does")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown property %s", name)
	}
	return err
}

func syntaxError(data []byte, err error) error {
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Errorf("the document is not JSON: %s (at byte %d)", strings.TrimPrefix(syntaxErr.Error(), "json: "), syntaxErr.Offset)
	}
	return fmt.Errorf("the document is not JSON: %w", err)
}

// kindOf names the JSON value that starts with c.
func kindOf(c byte) string {
	switch c {
	case 'n':
		return "null"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "true or false"
	}
	return "a number"
}

// article puts an article before encoding/json's name of a JSON value
// ("string" → "a string").
func article(value string) string {
	switch {
	case value == "null", strings.HasPrefix(value, "number "):
		return value
	case value == "array", value == "object":
		return "an " + value
	case value == "bool":
		return "true or false"
	}
	return "a " + value
}

// Describe names a Go type the way the control API documents a value of it:
// "a string", "an integer", "a number", "true or false", "an object", "an
// array".
func Describe(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "a value"
}

// snippet shows the start of b, quoted, at most 40 bytes (cut at a
// character boundary).
func snippet(b []byte) string {
	const most = 40
	if len(b) <= most {
		return fmt.Sprintf("%q", b)
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", b[:cut])
}
