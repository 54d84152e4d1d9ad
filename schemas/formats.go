package schemas

import (
	"encoding/json"
	"math"
	"strconv"

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
