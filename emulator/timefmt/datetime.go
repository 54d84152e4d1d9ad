package timefmt

import (
	"fmt"
	"time"
)

// dateTimeForm is how error messages describe the accepted date-time text.
const dateTimeForm = "expected yyyy-MM-ddTHH:mm:ss[.fffffff][Z|±hh:mm], e.g. 2019-08-24T14:15:22Z"

// MinDateTime returns the first instant a .NET DateTime holds,
// 0001-01-01T00:00:00Z.
func MinDateTime() time.Time { return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC) }

// EndDateTime returns the instant just after the last one a .NET DateTime
// holds: 10000-01-01T00:00:00Z. The last tick, 9999-12-31T23:59:59.9999999Z,
// is 100 ns before it.
func EndDateTime() time.Time { return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }

// InRange reports whether t is an instant the service's date-times can hold:
// from MinDateTime up to, not including, EndDateTime (years 1 to 9999 in
// UTC). The emulator keeps every instant it stores and shows in this range,
// so every date-time it writes reads back.
func InRange(t time.Time) bool {
	return !t.Before(MinDateTime()) && t.Before(EndDateTime())
}

// CheckRange returns nil when t is InRange, else an error that names what
// it is (a property, "the clock") and says which instants are allowed.
func CheckRange(what string, t time.Time) error {
	where := "after the last"
	switch {
	case InRange(t):
		return nil
	case t.Before(MinDateTime()):
		where = "before the first"
	}
	return fmt.Errorf("%s %s is %s instant a date-time can hold (date-times run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z)",
		what, t.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"), where)
}

// ParseDateTime parses an ISO 8601 / RFC 3339 date-time as the service
// accepts it: yyyy-MM-ddTHH:mm:ss, an optional fraction of a second, and an
// optional offset ("Z", "z", "±hh:mm", "±hhmm" or "±hh"). Text without an
// offset is UTC. The fraction may have any number of digits; those after the
// seventh (finer than a 100 ns tick) are dropped. The result is in UTC, and
// InRange: an instant outside years 1 to 9999 once the offset is applied
// ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00") is an error, as
// a .NET DateTime cannot hold it.
//
// This is the grammar of the ISO 8601 reader in the service's JSON library
// (Newtonsoft.Json's DateTimeParser); surrounding whitespace is not allowed.
func ParseDateTime(s string) (time.Time, error) {
	r := dateReader{s: s}
	year := r.digits(4)
	r.expect('-')
	month := r.digits(2)
	r.expect('-')
	day := r.digits(2)
	r.expect('T')
	hour := r.digits(2)
	r.expect(':')
	minute := r.digits(2)
	r.expect(':')
	second := r.digits(2)
	if r.failed {
		return time.Time{}, dateTimeError(s, dateTimeForm)
	}
	ticks, ok := r.fraction()
	if !ok {
		return time.Time{}, dateTimeError(s, "a '.' must be followed by digits")
	}
	offset, ok := r.offset()
	if !ok || r.i != len(s) {
		return time.Time{}, dateTimeError(s, dateTimeForm)
	}

	switch {
	case year < 1:
		return time.Time{}, dateTimeError(s, "year must be 0001 to 9999")
	case month < 1 || month > 12:
		return time.Time{}, dateTimeError(s, "month must be 01 to 12")
	case day < 1 || day > daysIn(year, time.Month(month)):
		return time.Time{}, dateTimeError(s, fmt.Sprintf("day must be 01 to %02d in %04d-%02d", daysIn(year, time.Month(month)), year, month))
	case hour > 23:
		return time.Time{}, dateTimeError(s, "hour must be 00 to 23")
	case minute > 59:
		return time.Time{}, dateTimeError(s, "minute must be 00 to 59")
	case second > 59:
		return time.Time{}, dateTimeError(s, "second must be 00 to 59")
	case offset.Abs() >= 24*time.Hour:
		return time.Time{}, dateTimeError(s, "the offset must be less than 24 hours")
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, int(time.Duration(ticks)*tick), time.UTC).Add(-offset)
	switch {
	case t.Before(MinDateTime()):
		return time.Time{}, dateTimeError(s, "with its offset it is before 0001-01-01T00:00:00Z, the first instant a date-time can hold")
	case !t.Before(EndDateTime()):
		return time.Time{}, dateTimeError(s, "with its offset it is after 9999-12-31T23:59:59.9999999Z, the last instant a date-time can hold")
	}
	return t, nil
}

// FormatDateTime formats t in UTC as RFC 3339 with a 'Z' and up to seven
// fraction digits, trailing zeros trimmed: 2019-08-24T14:15:22Z,
// 2019-08-24T14:15:22.5Z. Anything finer than a 100 ns tick is dropped.
func FormatDateTime(t time.Time) string {
	return string(AppendDateTime(make([]byte, 0, len(dateTimeLayout)), t))
}

// AppendDateTime appends FormatDateTime(t) to b, for renderers that write
// the text straight into their buffer. The text needs no JSON escaping.
func AppendDateTime(b []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(b, dateTimeLayout)
}

// dateTimeLayout: ".9999999" prints at most 7 digits, truncating, and trims
// zeros.
const dateTimeLayout = "2006-01-02T15:04:05.9999999Z"

func dateTimeError(s, reason string) error {
	return fmt.Errorf("date-time %q: %s", s, reason)
}

func daysIn(year int, month time.Month) int {
	// Day 0 of the next month is the last day of this one.
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateReader reads a date-time from left to right.
// After a mismatch it sets failed and reads nothing more, so a caller checks
// once after a run of reads.
type dateReader struct {
	s      string
	i      int // the next byte to read
	failed bool
}

// digits reads exactly n ASCII digits as a number.
func (r *dateReader) digits(n int) int {
	if r.failed || r.i+n > len(r.s) {
		r.failed = true
		return 0
	}
	v := 0
	for _, c := range []byte(r.s[r.i : r.i+n]) {
		if !isDigit(c) {
			r.failed = true
			return 0
		}
		v = v*10 + int(c-'0')
	}
	r.i += n
	return v
}

// expect reads c, which must be next.
func (r *dateReader) expect(c byte) {
	if !r.char(c) {
		r.failed = true
	}
}

// char reads c if it is next.
func (r *dateReader) char(c byte) bool {
	if !r.failed && r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// fraction reads an optional '.' and the digits after it as ticks; false
// means a '.' with no digit after it.
func (r *dateReader) fraction() (int64, bool) {
	if !r.char('.') {
		return 0, true
	}
	start := r.i
	r.i = skip(r.s, r.i, isDigit)
	digits := r.s[start:r.i]
	if digits == "" {
		return 0, false
	}
	var ticks int64
	for k := range maxFractionDigits {
		ticks *= 10
		if k < len(digits) {
			ticks += int64(digits[k] - '0')
		}
	}
	return ticks, true
}

// offset reads an optional UTC offset: "Z", "z", "±hh:mm", "±hhmm" or "±hh".
func (r *dateReader) offset() (time.Duration, bool) {
	if r.i == len(r.s) || r.char('Z') || r.char('z') {
		return 0, true
	}
	sign := time.Duration(1)
	switch {
	case r.char('+'):
	case r.char('-'):
		sign = -1
	default:
		return 0, false
	}
	hh := r.digits(2)
	mm := 0
	if r.i < len(r.s) {
		r.char(':') // the colon is optional
		mm = r.digits(2)
	}
	if r.failed || mm > 59 {
		return 0, false
	}
	return sign * (time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute), true
}
