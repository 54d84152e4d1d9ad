package schemas_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/schemas"
)

// depth is how deeply a JSON text nests objects and arrays outside strings,
// counted independently of the package's own scan.
func depth(text []byte) int {
	d, max, inString, escaped := 0, 0, false, false
	for _, c := range text {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			d++
			max = maxInt(max, d)
		case (c == '}' || c == ']') && d > 0:
			d--
		}
	}
	return max
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// treeDepth is how deeply a decoded value nests.
func treeDepth(v any) int {
	switch v := v.(type) {
	case map[string]any:
		d := 0
		for _, child := range v {
			d = maxInt(d, treeDepth(child))
		}
		return d + 1
	case []any:
		d := 0
		for _, child := range v {
			d = maxInt(d, treeDepth(child))
		}
		return d + 1
	}
	return 0
}

// FuzzDecode decodes arbitrary bytes as every schema. Whatever the body,
// Decode does not panic and answers nil or a *DecodeError; a body nesting
// deeper than MaxDepth is refused for it; what it accepts nests at most
// MaxDepth deep, validates as it is against the schema (names canonical,
// enum names replaced by numbers), and lists each ignored property once.
// Seeds beyond these are in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	names := schemas.Names()
	for _, seed := range []struct {
		schema string
		body   string
	}{
		{schemas.GroupConfiguration, `{"id":"g","failoverTimeout":"00:01:00","Colour":1}`},
		{schemas.V1GroupConfiguration, `{"FailoverTimeout":"1","AdditionalData":{"a":[[[{}]]]},"Owner":{"Type":"Role"}}`},
		{schemas.AccessControlList, `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":"client","X":1},"AccessType":"Denied","Y":2}]}`},
		{schemas.RoleOverrideConfiguration, `{"Value":"off","value":"Primary"}`},
		{schemas.OnPremRoleOverrideConfiguration, `{"Value":"Secondary","ExpirationPeriod":"08:00:00"}`},
		{schemas.OnPremHealthEndpointOrList, `[{"Endpoint":"http://a","Id":"x"},{"endpoint":"https://b"}]`},
		{schemas.OnPremConfiguration, `{"Logging":{"LogLevel":"warning"},"HealthEndpoints":[]}`},
		{schemas.V1GroupConfiguration, `{"FailoverTimeout":"1","AdditionalData":` + strings.Repeat("[", 63) + strings.Repeat("]", 63) + `}`},
		{schemas.V1GroupConfiguration, `{"FailoverTimeout":"1","AdditionalData":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}`},
		{schemas.GroupConfiguration, strings.Repeat("[", 10000)},
		{schemas.GroupConfiguration, strings.Repeat(`{"a":`, 2000)},
		{schemas.GroupConfiguration, `{"Id":"` + strings.Repeat(`[\"`, 100) + `","FailoverTimeout":"1"}`},
	} {
		f.Add(uint8(slices.Index(names, seed.schema)), []byte(seed.body))
	}
	v := newValidator(f)
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		schema := names[int(which)%len(names)]
		var doc any
		ignored, err := v.Decode(schema, body, &doc)
		deep := depth(body) > schemas.MaxDepth
		if err != nil {
			var de *schemas.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("%s %q: error %v (%T), want a *DecodeError", schema, body, err, err)
			}
			if deep && !errors.Is(err, schemas.ErrTooDeep) {
				t.Fatalf("%s %q nests %d deep: error %v, want ErrTooDeep", schema, body, depth(body), err)
			}
			return
		}
		if deep {
			t.Fatalf("%s %q nests %d deep and was accepted", schema, body, depth(body))
		}
		if d := treeDepth(doc); d > schemas.MaxDepth {
			t.Fatalf("%s %q: the decoded document nests %d deep", schema, body, d)
		}
		canonical, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("%s %q: encoding the canonical document: %v", schema, body, err)
		}
		if err := v.Validate(schema, canonical); err != nil {
			t.Fatalf("%s %q: the canonical document %s does not validate: %v", schema, body, canonical, err)
		}
		seen := map[string]bool{}
		for _, p := range ignored {
			if seen[p] {
				t.Fatalf("%s %q: ignored %q lists %q twice", schema, body, ignored, p)
			}
			seen[p] = true
		}
	})
}
