package schemas

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// The formats the schemas use beyond JSON Schema's own vocabulary. See the
// package documentation for what each accepts.
const (
	formatTimeSpan         = "time-span"
	formatPositiveTimeSpan = "positive-time-span"
	formatDateTime         = "date-time"
	formatInt32            = "int32"
	formatInt64            = "int64"
	formatHTTPURL          = "http-url"
)

// formats returns a fresh map of format checkers for one compiler. A checker
// reports whether v is valid; values of a type the format does not apply to
// (a number given to "date-time") are valid, as JSON Schema requires: the
// "type" keyword rejects them.
func formats() map[string]func(any) bool {
	return map[string]func(any) bool{
		formatTimeSpan:         isTimeSpan,
		formatPositiveTimeSpan: isPositiveTimeSpan,
		formatDateTime:         isDateTime,
		formatInt32:            func(v any) bool { return isWholeNumber(v, 32) },
		formatInt64:            func(v any) bool { return isWholeNumber(v, 64) },
		formatHTTPURL:          isHTTPURL,
	}
}

func isTimeSpan(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	_, err := timefmt.ParseSpan(s)
	return err == nil
}

func isPositiveTimeSpan(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	d, err := timefmt.ParseSpan(s)
	return err == nil && d > 0
}

func isDateTime(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	_, err := timefmt.ParseDateTime(s)
	return err == nil
}

// isWholeNumber reports whether v is a number written as a whole number that
// fits a signed integer of the given size. A json.Number must be written
// without a fraction or exponent; a float64 (from json.Unmarshal without
// UseNumber, where the spelling is lost) must only be integral and in range.
func isWholeNumber(v any, bits int) bool {
	switch n := v.(type) {
	case json.Number:
		_, err := strconv.ParseInt(string(n), 10, bits)
		return err == nil
	case float64:
		limit := math.Ldexp(1, bits-1) // 2^(bits-1)
		return n == math.Trunc(n) && n >= -limit && n < limit
	default:
		return true
	}
}

// isHTTPURL reports whether v is a well-formed absolute http or https URL
// with a host, as the on-premises service requires of a health endpoint:
// no white space or other character a URI must escape (RFC 3986; letters
// beyond ASCII are allowed, as in an IRI), a percent sign only before two hex
// digits, and a port of digits only.
func isHTTPURL(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
		case c < 0x80 && !strings.ContainsRune(uriCharacters, rune(c)):
			return false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.Hostname() == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// uriCharacters are the ASCII characters a URI may hold unescaped: RFC
// 3986's unreserved and reserved characters.
const uriCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;="

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
