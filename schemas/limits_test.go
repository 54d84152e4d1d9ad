package schemas_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/schemas"
)

// nested returns a value nesting depth levels of arrays (or of objects,
// {"A": ...}) around inner.
func nested(depth int, objects bool, inner string) string {
	open, close := "[", "]"
	if objects {
		open, close = `{"A":`, "}"
	}
	return strings.Repeat(open, depth) + inner + strings.Repeat(close, depth)
}

func TestDecodeNestingLimit(t *testing.T) {
	v := newValidator(t)
	tooDeep := fmt.Sprintf("the request body nests deeper than %d levels", schemas.MaxDepth)
	tests := []struct {
		name string
		body string
		ok   bool // else the depth error
	}{
		// AdditionalData is free-form: the body itself is level 1, the
		// AdditionalData object level 2, so 62 more levels fit.
		{"64 levels of arrays", `{"FailoverTimeout":"1","AdditionalData":{"A":` + nested(62, false, "1") + `}}`, true},
		{"65 levels of arrays", `{"FailoverTimeout":"1","AdditionalData":{"A":` + nested(63, false, "1") + `}}`, false},
		{"64 levels of objects", `{"FailoverTimeout":"1","AdditionalData":` + nested(62, true, "{}") + `}`, true},
		{"65 levels of objects", `{"FailoverTimeout":"1","AdditionalData":` + nested(63, true, "{}") + `}`, false},
		{"65 levels, empty innermost", `{"FailoverTimeout":"1","AdditionalData":{"A":` + nested(63, false, "") + `}}`, false},
		{"brackets in strings do not count", `{"FailoverTimeout":"1","AdditionalData":{"A":"` + strings.Repeat("[{", 100) + `"}}`, true},
		{"escaped quotes do not end a string", `{"FailoverTimeout":"1","AdditionalData":{"A":"\"` + strings.Repeat("[", 100) + `\\\"","B":[]}}`, true},
		{"an escaped backslash ends before the quote", `{"FailoverTimeout":"1","AdditionalData":{"A":"\\","B":` + nested(63, false, "") + `}}`, false},
		{"brackets in keys do not count", `{"FailoverTimeout":"1","AdditionalData":{"` + strings.Repeat("[", 100) + `":1}}`, true},
		{"wide is not deep", `{"FailoverTimeout":"1","AdditionalData":{"A":[` + strings.Repeat("[[]],", 1000) + `[]]}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Decode(schemas.V1GroupConfiguration, []byte(tt.body), nil)
			if tt.ok {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				return
			}
			var de *schemas.DecodeError
			if !errors.As(err, &de) || de.Reason != tooDeep || !errors.Is(err, schemas.ErrTooDeep) {
				t.Fatalf("Decode error = %v, want a *DecodeError %q wrapping ErrTooDeep", err, tooDeep)
			}
		})
	}
}

func TestDecodeNestingLimitBeforeSyntax(t *testing.T) {
	// A malformed body that nests too deep is refused for its depth; one
	// that does not is refused for its syntax, as before.
	v := newValidator(t)
	for _, tt := range []struct{ body, reason string }{
		{strings.Repeat("[", 65), "the request body nests deeper than 64 levels"},
		{strings.Repeat("[", 64), "the request body is not valid JSON: it ends too early"},
		{`{"a":` + strings.Repeat("{", 64) + "]", "the request body nests deeper than 64 levels"},
	} {
		_, err := v.Decode(schemas.GroupConfiguration, []byte(tt.body), nil)
		if err == nil || err.Error() != tt.reason {
			t.Errorf("Decode(%.20s...) = %v, want %s", tt.body, err, tt.reason)
		}
	}
}

func TestValidateNestingLimit(t *testing.T) {
	v := newValidator(t)
	err := v.Validate(schemas.ErrorResponse, []byte(nested(65, false, "")))
	if !errors.Is(err, schemas.ErrTooDeep) || err.Error() != "the body nests deeper than 64 levels" {
		t.Errorf("Validate = %v, want the depth error", err)
	}
}

// allocatedBy returns the bytes of heap f allocates, from the runtime's
// counters (no timing).
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestDeepNestingCostsNoMemory(t *testing.T) {
	// A megabyte of "[" used to cost 42 MB of heap and 270 MB of stack (4
	// MB of it overflowed the goroutine stack and killed the process); now
	// the byte scan refuses it before anything is decoded.
	v := newValidator(t)
	for _, size := range []int{1 << 20, 4 << 20} {
		for _, unit := range []string{"[", `{"a":`, `{"AdditionalData":[`} {
			body := bytes.Repeat([]byte(unit), size/len(unit))
			var err error
			n := allocatedBy(func() { _, err = v.Decode(schemas.V1GroupConfiguration, body, nil) })
			if !errors.Is(err, schemas.ErrTooDeep) {
				t.Errorf("%d bytes of %q: error %v, want ErrTooDeep", len(body), unit, err)
			}
			if n > 64<<10 {
				t.Errorf("%d bytes of %q: %d bytes allocated, want at most 64 KiB", len(body), unit, n)
			}
		}
	}
}

func TestDecodeItemLimit(t *testing.T) {
	v := newValidator(t)
	list := func(n int, item string) []byte {
		items := strings.TrimSuffix(strings.Repeat(item+",", n), ",")
		return []byte(`{"RoleTrusteeAccessControlEntries":[` + items + `]}`)
	}
	if _, err := v.Decode(schemas.AccessControlList, list(schemas.MaxItems, `{"AccessRights":1}`), nil); err != nil {
		t.Errorf("%d entries: %v", schemas.MaxItems, err)
	}
	want := `property "RoleTrusteeAccessControlEntries" has more than 10000 entries, the most a list in a request body may hold`
	long := list(schemas.MaxItems+1, `{"AccessRights":1}`)
	for _, body := range [][]byte{
		long,
		list(schemas.MaxItems+1, `0`),
		long[:len(long)-5], // malformed: the token reader counts too
		list(schemas.MaxItems+1, `{"A":1,"B":2}`), // properties dropped: the token reader too
	} {
		_, err := v.Decode(schemas.AccessControlList, body, nil)
		if err == nil || err.Error() != want {
			t.Errorf("Decode(%.40s...) = %v, want %s", body, err, want)
		}
	}
	// Arrays in free-form values are not counted.
	big := `{"FailoverTimeout":"1","AdditionalData":{"A":[` + strings.TrimSuffix(strings.Repeat("0,", schemas.MaxItems+1), ",") + `]}}`
	if _, err := v.Decode(schemas.V1GroupConfiguration, []byte(big), nil); err != nil {
		t.Errorf("a long list in AdditionalData: %v", err)
	}
	// A root array is a declared array too.
	root := "[" + strings.TrimSuffix(strings.Repeat(`{"Endpoint":"http://a"},`, schemas.MaxItems+1), ",") + "]"
	if _, err := v.Decode(schemas.OnPremHealthEndpointList, []byte(root), nil); err == nil ||
		err.Error() != "the request body has more than 10000 entries, the most a list in a request body may hold" {
		t.Errorf("a long root array: %v", err)
	}
}

func TestWideBodiesCostAFewTimesTheirSize(t *testing.T) {
	// A megabyte of list entries that are all wrong used to allocate 2 GB
	// (one validation error per entry, then one sentence per error); the
	// item limit stops it once the list is read.
	v := newValidator(t)
	const limit = 100 // bytes allocated per byte of body
	for _, item := range []string{"0", "{}", `{"AccessType":9}`, `{"Trustee":{"Type":"Team"}}`} {
		n := (1<<20)/(len(item)+1) + 1
		body := []byte(`{"RoleTrusteeAccessControlEntries":[` + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + `]}`)
		var err error
		allocated := allocatedBy(func() { _, err = v.Decode(schemas.AccessControlList, body, nil) })
		var de *schemas.DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%d entries %s: error %v, want a *DecodeError", n, item, err)
		}
		if allocated > limit*uint64(len(body)) {
			t.Errorf("%d entries %s (%d bytes): %d bytes allocated, want at most %d times the body", n, item, len(body), allocated, limit)
		}
	}
}
