package timefmt

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// tick is .NET's unit of time: a TimeSpan or DateTime is a count of 100 ns ticks.
const tick = 100 * time.Nanosecond

const (
	ticksPerSecond = int64(time.Second / tick)
	ticksPerDay    = 24 * 60 * 60 * ticksPerSecond

	// maxTicks is the longest time-span a time.Duration can hold:
	// 106751.23:47:16.8547758.
	maxTicks = math.MaxInt64 / int64(tick)

	// .NET's limits on the components of a time-span.
	maxDays           = 10675199
	maxHours          = 23
	maxMinutes        = 59
	maxSeconds        = 59
	maxFractionDigits = 7
	maxFraction       = 9999999

	// maxNumber is the largest number .NET's tokenizer keeps (28 bits); a
	// longer number makes the whole text out of range.
	maxNumber = 1<<28 - 1

	// maxNumbers is how many numbers a time-span has at most: d, h, m, s, f.
	maxNumbers = 5
)

// tooLong is the complaint about a time-span .NET may accept but a
// time.Duration cannot hold; it names FormatSpan(maxTicks * tick).
const tooLong = "is longer than the emulator supports (at most 106751.23:47:16.8547758)"

// ParseSpan parses text as .NET's TimeSpan.Parse does with the invariant
// culture.
//
// The text is [ws][-]{ d | [d.]hh:mm[:ss[.ff]] }[ws]: "1" is one day, "00:01"
// one minute, "1.02:03:04.5" one day, 2 h, 3 min and 4.5 s. Hours run 0 to 23,
// minutes and seconds 0 to 59; leading zeros are allowed anywhere
// ("0023:0059"). The fraction has 1 to 7 digits; more are accepted only after
// a leading zero, and then rounded to 7 ("0:0:0.00000005" is one tick), as
// .NET does.
//
// Like .NET with the invariant culture, ParseSpan also accepts the culture's
// "general" layout, which puts a colon between days and hours. So
// "1:02:03:04" is one day and 2 h 3 min 4 s, and "24:00:00", which cannot be
// hours, is read as 24 days. It also accepts .NET's compatibility layouts
// that give a fraction without seconds: "hh:mm:.ff" and "d.hh:mm:.ff".
//
// The error says in plain words what is wrong, for example
// `time-span "00:60:00": minutes must be 0 to 59`.
func ParseSpan(s string) (time.Duration, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return 0, spanError(s, "is empty")
	}
	// The numbers and separators go into arrays of this frame: a time-span
	// is parsed on every group body and fixture group, without allocating.
	var numbers [maxNumbers]number
	var seps [maxNumbers]string
	tok, reason := tokenize(text, tokens{numbers: numbers[:0], seps: seps[:0]})
	if reason != "" {
		return 0, spanError(s, reason)
	}
	if tok.start != "" && tok.start != "-" {
		return 0, spanError(s, `must start with a digit or "-"`)
	}
	if tok.end != "" {
		return 0, spanError(s, "must end with a digit")
	}

	// Try the layouts in .NET's order; the first that fits wins. If layouts
	// had the right separators but numbers out of range, report the first
	// one's complaint - unless one was too long only for the emulator: .NET
	// might have read that one, so that is the thing to say.
	complaint := ""
	for _, l := range layoutsFor(len(tok.numbers)) {
		if !slices.Equal(l.seps, tok.seps) {
			continue
		}
		ticks, reason := l.ticks(tok.numbers)
		if reason == "" {
			if tok.start == "-" {
				ticks = -ticks
			}
			return time.Duration(ticks) * tick, nil
		}
		if complaint == "" || reason == tooLong {
			complaint = reason
		}
	}
	if complaint != "" {
		return 0, spanError(s, complaint)
	}
	return 0, spanError(s, "not in a time-span form: expected [-]d or [-][d.]hh:mm[:ss[.fffffff]]")
}

// FormatSpan formats d in .NET's constant ("c") format:
// [-][d.]hh:mm:ss[.fffffff].
//
// Anything finer than a 100 ns tick is dropped (towards zero). The day part
// appears only when it is not zero, and the fraction, always seven digits,
// only when it is not zero: "00:01:00", "1.02:03:04.5000000".
func FormatSpan(d time.Duration) string {
	return string(AppendSpan(make([]byte, 0, 24), d))
}

// AppendSpan appends FormatSpan(d) to b without allocating, for renderers
// that write many time-spans.
func AppendSpan(b []byte, d time.Duration) []byte {
	ticks := int64(d / tick)
	if ticks < 0 {
		b = append(b, '-')
		ticks = -ticks // cannot overflow: |math.MinInt64 / 100| fits
	}
	days, rest := ticks/ticksPerDay, ticks%ticksPerDay
	if days != 0 {
		b = strconv.AppendInt(b, days, 10)
		b = append(b, '.')
	}
	secs, frac := rest/ticksPerSecond, rest%ticksPerSecond
	b = appendPadded(b, secs/3600, 2)
	b = append(b, ':')
	b = appendPadded(b, secs/60%60, 2)
	b = append(b, ':')
	b = appendPadded(b, secs%60, 2)
	if frac != 0 {
		b = append(b, '.')
		b = appendPadded(b, frac, 7)
	}
	return b
}

// appendPadded appends the non-negative n with at least width digits.
func appendPadded(b []byte, n int64, width int) []byte {
	var digits [20]byte
	i := len(digits)
	for n > 0 || i > len(digits)-width {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, digits[i:]...)
}

// ParseSpanOrDuration accepts a time-span ("00:01:30") or a Go duration
// ("90s", "1m30s"); the control API and the command-line flags take either.
//
// Text with a letter in it is read as a Go duration, anything else as a
// time-span. Negative values are returned as they are: callers that need a
// positive length check for themselves.
func ParseSpanOrDuration(s string) (time.Duration, error) {
	text := strings.TrimSpace(s)
	// A time-span never contains a letter and a Go duration always has a
	// unit, except "0", which both read the same.
	if !strings.ContainsFunc(text, unicode.IsLetter) {
		return ParseSpan(s)
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, fmt.Errorf("%q is neither a time-span such as 00:01:30 nor a Go duration such as 90s: %w", s, err)
	}
	return d, nil
}

func spanError(s, reason string) error {
	return fmt.Errorf("time-span %q: %s", s, reason)
}

// number is one run of digits in a time-span.
type number struct {
	value  int
	zeroes int // leading zeros: they change the value of a fraction only
}

// tokens is a time-span split the way .NET's tokenizer splits it: numbers,
// and the runs of other characters around them.
type tokens struct {
	start   string   // before the first number: "" or a sign
	numbers []number // at most maxNumbers
	seps    []string // between consecutive numbers
	end     string   // after the last number
}

// tokenize splits text into numbers and separators, appending them to tok's
// (empty) lists; a non-empty reason means the text cannot be a time-span at
// all.
func tokenize(text string, tok tokens) (tokens, string) {
	i := skip(text, 0, isNotDigit)
	tok.start = text[:i]
	if i == len(text) {
		return tok, "has no number in it"
	}
	for i < len(text) {
		if len(tok.numbers) == maxNumbers {
			return tok, "has more than 5 numbers"
		}
		j := skip(text, i, isDigit)
		n, ok := parseNumber(text[i:j])
		if !ok {
			return tok, fmt.Sprintf("the number %s has too many digits", text[i:j])
		}
		tok.numbers = append(tok.numbers, n)
		k := skip(text, j, isNotDigit)
		if k == len(text) {
			tok.end = text[j:k]
		} else {
			tok.seps = append(tok.seps, text[j:k])
		}
		i = k
	}
	return tok, ""
}

// skip returns the index of the first byte from i on that does not satisfy f.
func skip(text string, i int, f func(byte) bool) int {
	for i < len(text) && f(text[i]) {
		i++
	}
	return i
}

// Only ASCII digits count, as in .NET; any other character, a multi-byte
// UTF-8 one included, is part of a separator.
func isDigit(c byte) bool    { return '0' <= c && c <= '9' }
func isNotDigit(c byte) bool { return !isDigit(c) }

// parseNumber reads a run of ASCII digits; false means it is above maxNumber.
func parseNumber(digits string) (number, bool) {
	var n number
	for n.zeroes < len(digits) && digits[n.zeroes] == '0' {
		n.zeroes++
	}
	for _, c := range []byte(digits[n.zeroes:]) {
		n.value = n.value*10 + int(c-'0')
		if n.value > maxNumber {
			return number{}, false
		}
	}
	return n, true
}

// component is a part of a time-span that a number can stand for.
type component int

const (
	dayPart component = iota
	hourPart
	minutePart
	secondPart
	fractionPart
	componentCount
)

// layout is one way .NET reads a given count of numbers: the separators it
// expects between them, and what each number stands for.
type layout struct {
	seps  []string
	parts []component
}

// layoutsFor returns the layouts .NET tries for count numbers, in the order it
// tries them (TimeSpanParse.ProcessTerminal_* in dotnet/runtime). The
// invariant culture brings two sets of separators: the constant format's,
// with "." between days and hours, and the general format's
// (d:h:mm:ss.FFFFFFF), with ":" there. ":." is .NET's "app compat" separator
// for a fraction without seconds.
func layoutsFor(count int) []layout {
	if count < 0 || count >= len(spanLayouts) {
		return nil
	}
	return spanLayouts[count]
}

// spanLayouts are the layouts by count of numbers (see layoutsFor), made
// once: they never change.
var spanLayouts = func() (all [maxNumbers + 1][]layout) {
	for count := range all {
		all[count] = makeLayouts(count)
	}
	return all
}()

func makeLayouts(count int) []layout {
	var (
		d    = []component{dayPart}
		hm   = []component{hourPart, minutePart}
		hms  = []component{hourPart, minutePart, secondPart}
		dhm  = []component{dayPart, hourPart, minutePart}
		hmf  = []component{hourPart, minutePart, fractionPart}
		hmsf = []component{hourPart, minutePart, secondPart, fractionPart}
		dhms = []component{dayPart, hourPart, minutePart, secondPart}
		dhmf = []component{dayPart, hourPart, minutePart, fractionPart}
		all  = []component{dayPart, hourPart, minutePart, secondPart, fractionPart}
	)
	switch count {
	case 1:
		return []layout{{nil, d}}
	case 2:
		return []layout{{[]string{":"}, hm}}
	case 3:
		return []layout{
			{[]string{":", ":"}, hms},
			{[]string{".", ":"}, dhm},
			{[]string{":", ":."}, hmf},
			{[]string{":", ":"}, dhm}, // general format: "24:00:00" is 24 days
		}
	case 4:
		return []layout{
			{[]string{":", ":", "."}, hmsf},
			{[]string{".", ":", ":"}, dhms},
			{[]string{".", ":", ":."}, dhmf},
			{[]string{":", ":", ":"}, dhms}, // general format
			{[]string{":", ":", ":."}, dhmf},
		}
	case 5:
		return []layout{
			{[]string{".", ":", ":", "."}, all},
			{[]string{":", ":", ":", "."}, all}, // general format
		}
	}
	return nil
}

// ticks converts numbers read with layout l into ticks, or says which
// component is out of range.
func (l layout) ticks(numbers []number) (int64, string) {
	var v [componentCount]number
	for i, part := range l.parts {
		v[part] = numbers[i]
	}
	// Checked in .NET's order, so the complaint is about the first bad part.
	switch {
	case v[dayPart].value > maxDays:
		return 0, fmt.Sprintf("days must be 0 to %d", maxDays)
	case v[hourPart].value > maxHours:
		return 0, fmt.Sprintf("hours must be 0 to %d", maxHours)
	case v[minutePart].value > maxMinutes:
		return 0, fmt.Sprintf("minutes must be 0 to %d", maxMinutes)
	case v[secondPart].value > maxSeconds:
		return 0, fmt.Sprintf("seconds must be 0 to %d", maxSeconds)
	}
	frac, ok := fractionTicks(v[fractionPart])
	if !ok {
		return 0, "the fraction of a second has more than 7 digits"
	}
	secs := ((int64(v[dayPart].value)*24+int64(v[hourPart].value))*60+int64(v[minutePart].value))*60 + int64(v[secondPart].value)
	if secs > (maxTicks-frac)/ticksPerSecond {
		return 0, tooLong
	}
	return secs*ticksPerSecond + frac, ""
}

// fractionTicks turns the digits after the seconds into ticks, as .NET's
// TimeSpanToken.NormalizeAndValidateFraction does: up to 7 digits are
// exact; more are allowed only after a leading zero and are rounded half
// away from zero.
func fractionTicks(n number) (int64, bool) {
	if n.value == 0 {
		return 0, true
	}
	if n.zeroes == 0 && n.value > maxFraction {
		return 0, false
	}
	digits := len(strconv.Itoa(n.value)) + n.zeroes
	if digits <= maxFractionDigits {
		return int64(n.value) * pow10(maxFractionDigits-digits), true
	}
	extra := digits - maxFractionDigits
	if extra > 9 {
		return 0, true // value < 10^9, so it rounds to zero
	}
	p := pow10(extra)
	q, r := int64(n.value)/p, int64(n.value)%p
	if 2*r >= p {
		q++
	}
	return q, true
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}
