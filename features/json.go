package features

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// decodeJSON parses exactly one JSON value, numbers kept as json.Number.
func decodeJSON(b []byte, dst *any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}

// lookup finds a property by a dotted path: names of object members (exact
// case) and indexes of array items, e.g. "RoleTrusteeAccessControlEntries.0.Trustee.Type".
func lookup(doc any, path string) (any, error) {
	cur := doc
	if path == "" {
		return cur, nil
	}
	for _, part := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[part]
			if !ok {
				return nil, fmt.Errorf("the body has no property %q (at %q); it has %s", part, path, keys(v))
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil, fmt.Errorf("%q is not an index of a list of %d items (at %q)", part, len(v), path)
			}
			cur = v[i]
		default:
			return nil, fmt.Errorf("cannot look up %q in %s (at %q)", part, show(cur), path)
		}
	}
	return cur, nil
}

func keys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, strconv.Quote(k))
	}
	if len(ks) == 0 {
		return "no properties"
	}
	slices.Sort(ks)
	return strings.Join(ks, ", ")
}

// show renders a JSON value for failure messages.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// sameJSON reports whether two JSON values mean the same: numbers by value,
// date-times by instant (the service may write more fraction digits),
// everything else exactly.
func sameJSON(want, got any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return false
		}
		a, okA := new(big.Rat).SetString(w.String())
		b, okB := new(big.Rat).SetString(g.String())
		return okA && okB && a.Cmp(b) == 0
	case string:
		g, ok := got.(string)
		if !ok {
			return false
		}
		if w == g {
			return true
		}
		tw, errW := parseDateTime(w)
		tg, errG := parseDateTime(g)
		return errW == nil && errG == nil && tw.Equal(tg)
	case bool:
		g, ok := got.(bool)
		return ok && w == g
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !sameJSON(w[i], g[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, v := range w {
			gv, ok := g[k]
			if !ok || !sameJSON(v, gv) {
				return false
			}
		}
		return true
	}
	return false
}

var dateTimeShape = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// parseDateTime reads an ISO 8601 date-time with an offset.
func parseDateTime(s string) (time.Time, error) {
	if !dateTimeShape.MatchString(s) {
		return time.Time{}, fmt.Errorf("%q is not a date-time", s)
	}
	return time.Parse(time.RFC3339Nano, s)
}

// literal reads a JSON literal written in a step ("text", 3, null, true).
func literal(s string) (any, error) {
	var v any
	if err := decodeJSON([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("%s is not a JSON value (write strings in double quotes): %w", s, err)
	}
	return v, nil
}

// number reads a JSON number as a float64.
func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

var guidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
