package timefmt

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

const day = 24 * time.Hour

// span builds a duration from .NET's components, to keep the tables readable.
func span(d, h, m, s int, ticks int64) time.Duration {
	return time.Duration(d)*day + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(ticks)*tick
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		// The forms of the documentation.
		{"0", 0},
		{"1", day},
		{"14", 14 * day},
		{"00:01", time.Minute},
		{"0:10", 10 * time.Minute},
		{"10:0", 10 * time.Hour},
		{"0:01:00", time.Minute},
		{"00:01:00", time.Minute},
		{"1:2:3", span(0, 1, 2, 3, 0)},
		{"23:0:0", 23 * time.Hour},
		{"0:59:0", 59 * time.Minute},
		{"0:0:59", 59 * time.Second},
		{"10:20:0", span(0, 10, 20, 0, 0)},
		{"0.12:00", 12 * time.Hour},
		{"10.12:00", span(10, 12, 0, 0, 0)},
		{"6.12:14:45", span(6, 12, 14, 45, 0)},
		{"0:0:0.250", 250 * time.Millisecond},
		{"1.02:03:04.5", span(1, 2, 3, 4, 5_000_000)},
		{"10.20:30:40.50", span(10, 20, 30, 40, 5_000_000)},
		{"99.23:59:59.9999999", span(99, 23, 59, 59, 9_999_999)},
		{"0023:0059:0059.0099", span(0, 23, 59, 59, 99_000)},
		{"1.02:03:04.5000000", span(1, 2, 3, 4, 5_000_000)},

		// Sign and surrounding white space.
		{"-1", -day},
		{"-00:01:30", -90 * time.Second},
		{"-1.02:03:04.5", -span(1, 2, 3, 4, 5_000_000)},
		{"-0", 0},
		{"  00:01:00\t\n", time.Minute},
		{"\u00a0\u30001\u2003", day},

		// The invariant culture's general format: a colon after the days.
		{"6:12:14:45", span(6, 12, 14, 45, 0)},
		{"6:12:14:45.3448", span(6, 12, 14, 45, 3_448_000)},
		{"24:00:00", 24 * day},
		{"24:0:0", 24 * day},
		{"25:00:00", 25 * day},
		{"-24:00:00", -24 * day},

		// .NET's "app compat" layouts: a fraction without seconds.
		{"10:20:.5", span(0, 10, 20, 0, 5_000_000)},
		{"1.10:20:.5", span(1, 10, 20, 0, 5_000_000)},
		{"1:10:20:.5", span(1, 10, 20, 0, 5_000_000)},

		// Fractions: more than 7 digits only after a leading zero, rounded.
		{"0:0:0.0000001", 100 * time.Nanosecond},
		{"0:0:0.00000005", 100 * time.Nanosecond},
		{"0:0:0.00000004", 0},
		{"0:0:0.09999999", 100 * time.Millisecond},
		{"0:0:0.000000000000000000001", 0},
		{"0:0:0.0000000000", 0},

		// The longest time-spans a time.Duration holds.
		{"106751.23:47:16.8547758", time.Duration(maxTicks) * tick},
		{"-106751.23:47:16.8547758", -time.Duration(maxTicks) * tick},
		{"106751", 106751 * day},
	}
	for _, tt := range tests {
		got, err := ParseSpan(tt.in)
		if err != nil {
			t.Errorf("ParseSpan(%q): unexpected error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSpan(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseSpanErrors(t *testing.T) {
	tests := []struct {
		in     string
		reason string // the text after `time-span "in": `
	}{
		{"", "is empty"},
		{" \t ", "is empty"},
		{"abc", "has no number in it"},
		{"-", "has no number in it"},
		{"١", "has no number in it"}, // an Arabic-Indic digit is not a digit to .NET
		{"1.2.3", "not in a time-span form"},
		{"10.12", "not in a time-span form"},
		{"00:00:00,5", "not in a time-span form"},
		{"1 00:00:00", "not in a time-span form"},
		{"0x10", "not in a time-span form"},
		{"1:2:3:4:5", "not in a time-span form"},
		{"1:2:3.4.5", "not in a time-span form"},
		{"1:2:3:4:5:6", "has more than 5 numbers"},
		{"+1:00", `must start with a digit or "-"`},
		{":10", `must start with a digit or "-"`},
		{".123", `must start with a digit or "-"`},
		{"- 1", `must start with a digit or "-"`},
		{"--1", `must start with a digit or "-"`},
		{"10:", "must end with a digit"},
		{"10.", "must end with a digit"},
		{"1h", "must end with a digit"},
		{"00:60:00", "minutes must be 0 to 59"},
		{"0:60:0", "minutes must be 0 to 59"},
		{"0:0:60", "seconds must be 0 to 59"},
		{"24:00", "hours must be 0 to 23"},
		{"6:34:14:45", "hours must be 0 to 23"},
		{"1.24:00:00", "hours must be 0 to 23"},
		{"00:00:00.12345678", "the fraction of a second has more than 7 digits"},
		{"268435456", "the number 268435456 has too many digits"},
		{"10675200", "days must be 0 to 10675199"},
		{"10675199", "is longer than the emulator supports (at most 106751.23:47:16.8547758)"},
		{"106752", "is longer than the emulator supports"},
		{"106751.23:47:16.8547759", "is longer than the emulator supports"},
		{"-106751.23:47:16.8547759", "is longer than the emulator supports"},
	}
	for _, tt := range tests {
		got, err := ParseSpan(tt.in)
		if err == nil {
			t.Errorf("ParseSpan(%q) = %v, want an error", tt.in, got)
			continue
		}
		want := "time-span " + strconv.Quote(tt.in) + ": " + tt.reason
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseSpan(%q): error %q, want it to start with %q", tt.in, err, want)
		}
	}
}

func TestFormatSpan(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "00:00:00"},
		{time.Minute, "00:01:00"},
		{90 * time.Second, "00:01:30"},
		{-90 * time.Second, "-00:01:30"},
		{span(1, 2, 3, 4, 0), "1.02:03:04"},
		{span(1, 2, 3, 4, 5_000_000), "1.02:03:04.5000000"},
		{-span(1, 2, 3, 4, 5_000_000), "-1.02:03:04.5000000"},
		{100 * day, "100.00:00:00"},
		{24 * time.Hour, "1.00:00:00"},
		{23*time.Hour + 59*time.Minute + 59*time.Second, "23:59:59"},
		{100 * time.Nanosecond, "00:00:00.0000001"},
		{150 * time.Nanosecond, "00:00:00.0000001"}, // finer than a tick is dropped
		{99 * time.Nanosecond, "00:00:00"},
		{-99 * time.Nanosecond, "00:00:00"}, // no "-" for what rounds to zero
		{-150 * time.Nanosecond, "-00:00:00.0000001"},
		{math.MaxInt64, "106751.23:47:16.8547758"},
		{math.MinInt64, "-106751.23:47:16.8547758"},
	}
	for _, tt := range tests {
		if got := FormatSpan(tt.in); got != tt.want {
			t.Errorf("FormatSpan(%d) = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestParseSpanOrDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"00:01:30", 90 * time.Second},
		{"90s", 90 * time.Second},
		{"1m30s", 90 * time.Second},
		{" 1m30s ", 90 * time.Second},
		{"1.5h", 90 * time.Minute},
		{"250ms", 250 * time.Millisecond},
		{"3µs", 3 * time.Microsecond},
		{"-5s", -5 * time.Second},
		{"0", 0},
		{"1", day}, // a bare number is a time-span: days
	}
	for _, tt := range tests {
		got, err := ParseSpanOrDuration(tt.in)
		if err != nil {
			t.Errorf("ParseSpanOrDuration(%q): unexpected error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSpanOrDuration(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseSpanOrDurationErrors(t *testing.T) {
	tests := []struct {
		in         string
		wantPrefix string
		wrapped    bool // the error wraps time.ParseDuration's
	}{
		{"", `time-span "": is empty`, false},
		{"00:60:00", `time-span "00:60:00": minutes must be 0 to 59`, false},
		{"1x", `"1x" is neither a time-span such as 00:01:30 nor a Go duration such as 90s: `, true},
		{"abc", `"abc" is neither a time-span`, true},
		{"1:30m", `"1:30m" is neither a time-span`, true},
	}
	for _, tt := range tests {
		_, err := ParseSpanOrDuration(tt.in)
		if err == nil {
			t.Errorf("ParseSpanOrDuration(%q): no error, want one", tt.in)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.wantPrefix) {
			t.Errorf("ParseSpanOrDuration(%q): error %q, want it to start with %q", tt.in, err, tt.wantPrefix)
		}
		if got := errors.Unwrap(err) != nil; got != tt.wrapped {
			t.Errorf("ParseSpanOrDuration(%q): wraps an error = %v, want %v", tt.in, got, tt.wrapped)
		}
	}
}

// Every duration survives FormatSpan and ParseSpan, less what is finer than a tick.
func TestFormatSpanRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{
		0, 1, 99, 100, 101, -1, -100, -101, time.Second, -time.Second,
		span(1, 2, 3, 4, 5), span(12345, 23, 59, 59, 9_999_999),
		math.MaxInt64, math.MinInt64, math.MinInt64 + 1,
	} {
		text := FormatSpan(d)
		got, err := ParseSpan(text)
		if err != nil {
			t.Errorf("ParseSpan(FormatSpan(%d) = %q): %v", int64(d), text, err)
			continue
		}
		if want := d.Truncate(tick); got != want {
			t.Errorf("ParseSpan(FormatSpan(%d) = %q) = %d, want %d", int64(d), text, int64(got), int64(want))
		}
	}
}

// TestParseSpanMatchesDotNet replays the Parse cases of .NET's own tests
// (dotnet/runtime, System.Runtime.Tests/System/TimeSpanTests.cs,
// Parse_Valid_TestData and Parse_Invalid_TestData), negated too, as .NET does.
func TestParseSpanMatchesDotNet(t *testing.T) {
	const (
		valid   = iota // .NET accepts it, and so does ParseSpan
		tooLong        // .NET accepts it, but it does not fit a time.Duration
		invalid        // .NET rejects it
	)
	tests := []struct {
		in   string
		want time.Duration
		kind int
	}{
		{"       12:24:02", span(0, 12, 24, 2, 0), valid},
		{"12:24:02      ", span(0, 12, 24, 2, 0), valid},
		{"     12:24:02      ", span(0, 12, 24, 2, 0), valid},
		{"0", 0, valid},
		{"12:24", span(0, 12, 24, 0, 0), valid},
		{"12:24:02", span(0, 12, 24, 2, 0), valid},
		{"12.03:04", span(12, 3, 4, 0, 0), valid},
		{"12:24:02.01", span(0, 12, 24, 2, 100_000), valid},
		{"1:1:1.0", span(0, 1, 1, 1, 0), valid},
		{"1:1:1.0000000", span(0, 1, 1, 1, 0), valid},
		{"1:1:1.1", span(0, 1, 1, 1, 1_000_000), valid},
		{"1:1:1.01", span(0, 1, 1, 1, 100_000), valid},
		{"1:1:1.001", span(0, 1, 1, 1, 10_000), valid},
		{"1:1:1.0001", 36610001000 * tick, valid},
		{"1:1:1.00001", 36610000100 * tick, valid},
		{"1:1:1.000001", 36610000010 * tick, valid},
		{"1:1:1.0000001", 36610000001 * tick, valid},
		{"1.12:24:02", span(1, 12, 24, 2, 0), valid},
		{"1:12:24:02", span(1, 12, 24, 2, 0), valid},
		{"01.23:45:.67", span(1, 23, 45, 0, 6_700_000), valid},
		{"1.12:24:02.999", span(1, 12, 24, 2, 9_990_000), valid},
		{"1:1:.1", 36601000000 * tick, valid},
		{"1:1:.01", 36600100000 * tick, valid},
		{"1:1:.001", 36600010000 * tick, valid},
		{"1:1:.0001", 36600001000 * tick, valid},
		{"1:1:.00001", 36600000100 * tick, valid},
		{"1:1:.000001", 36600000010 * tick, valid},
		{"1:1:.0000001", 36600000001 * tick, valid},
		{"00:00:59", span(0, 0, 0, 59, 0), valid},
		{"00:59:00", span(0, 0, 59, 0, 0), valid},
		{"23:00:00", span(0, 23, 0, 0, 0), valid},
		{"24:00:00", span(24, 0, 0, 0, 0), valid},

		{"10675199", 0, tooLong},
		{"10675199:00:00", 0, tooLong},
		{"10675199:02:00:00", 0, tooLong},
		{"10675199:02:48:00", 0, tooLong},
		{"10675199:02:48:05", 0, tooLong},
		{"10675199:02:48:05.4775", 0, tooLong},

		{"", 0, invalid},
		{"-", 0, invalid},
		{"garbage", 0, invalid},
		{"12/12/12", 0, invalid},
		{"00:", 0, invalid},
		{"00:00:-01", 0, invalid},
		{"\x0012:34:56", 0, invalid},
		{"1\x002:34:56", 0, invalid},
		{"12\x00:34:56", 0, invalid},
		{"00:00::00", 0, invalid},
		{"00:00:00:", 0, invalid},
		{"00:00:00:00:00:00:00:00", 0, invalid},
		{"1:1:1.99999999", 0, invalid},
		{"2147483647", 0, invalid},
		{"2147483648", 0, invalid},
		{"10675200", 0, invalid},
		{"10675200:00:00", 0, invalid},
		{"10675199:03:00:00", 0, invalid},
		{"10675199:02:49:00", 0, invalid},
		{"10675199:02:48:06", 0, invalid},
		{"-10675199:02:48:06", 0, invalid},
		{"10675199:02:48:05.4776", 0, invalid},
		{"-10675199:02:48:05.4776", 0, invalid},
		{"00:00:60", 0, invalid},
		{"00:60:00", 0, invalid},
		{"24:00", 0, invalid},
	}
	check := func(in string, want time.Duration, kind int) {
		t.Helper()
		got, err := ParseSpan(in)
		switch {
		case kind == valid && err != nil:
			t.Errorf("ParseSpan(%q): unexpected error: %v", in, err)
		case kind == valid && got != want:
			t.Errorf("ParseSpan(%q) = %d ticks, want %d", in, int64(got/tick), int64(want/tick))
		case kind == tooLong && (err == nil || !strings.Contains(err.Error(), "longer than the emulator supports")):
			t.Errorf("ParseSpan(%q) = %v, %v; want a too-long error", in, got, err)
		case kind == invalid && err == nil:
			t.Errorf("ParseSpan(%q) = %v, want an error", in, got)
		}
	}
	for _, tt := range tests {
		check(tt.in, tt.want, tt.kind)
		if tt.kind != invalid && !strings.HasPrefix(tt.in, " ") {
			check("-"+tt.in, -tt.want, tt.kind)
		}
	}
}

func TestTooLongNamesTheLongestSpan(t *testing.T) {
	longest := FormatSpan(time.Duration(maxTicks) * tick)
	if !strings.Contains(tooLong, "(at most "+longest+")") {
		t.Errorf("tooLong = %q, want it to name %s", tooLong, longest)
	}
}
