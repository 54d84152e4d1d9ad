package schemas

import "fmt"

// MaxDepth is how deeply a request body may nest objects and arrays: 64,
// System.Text.Json's default maximum depth (JsonSerializerOptions.MaxDepth
// 0 means 64), the reader the real service's framework uses. The top-level
// object or array is level 1. A body nesting deeper is refused with a
// [*DecodeError] by a byte scan before it is parsed, so neither the stack nor
// the memory a body costs grows with its nesting. 64 levels are far more than
// any body of the API needs (the deepest, a v1 group's trustee, is 5).
const MaxDepth = 64

// MaxItems is how many elements one array of a request body may hold where
// the schema declares the array's items (an access control list's
// RoleTrusteeAccessControlEntries, a list of health endpoints); arrays inside
// free-form values such as AdditionalData are not counted. Every element of
// a declared array is validated against its schema, which costs about a
// kilobyte of memory per element (several when it is wrong): the limit keeps
// that cost bounded whatever the body limit, and is far above any real list.
const MaxItems = 10000

// ErrTooDeep is the Err of the [*DecodeError] for a body that nests deeper
// than [MaxDepth].
var ErrTooDeep = fmt.Errorf("nests deeper than %d levels", MaxDepth)

// tooDeep reports whether body opens more than max objects and arrays inside
// one another, outside strings. It reads each byte once and allocates
// nothing. For a malformed body the count is exact up to the first error,
// which is as far as any decoder reads, so a body that passes never makes a
// decoder go deeper than max.
func tooDeep(body []byte, max int) bool {
	depth := 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			// Skip the string: to the next quote not escaped by a backslash.
			for i++; i < len(body); i++ {
				if c := body[i]; c == '\\' {
					i++ // the escaped byte, a quote included
				} else if c == '"' {
					break
				}
			}
		case '{', '[':
			if depth++; depth > max {
				return true
			}
		case '}', ']':
			if depth > 0 {
				depth--
			}
		}
	}
	return false
}
