package timefmt

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// constantFormat is .NET's "c" format, which FormatSpan must always write.
var constantFormat = regexp.MustCompile(`^-?([1-9][0-9]*\.)?([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{7})?$`)

// FuzzParseSpan checks that ParseSpan never panics, explains every refusal
// in the house form, and that whatever it accepts survives FormatSpan and
// ParseSpan unchanged. More seeds are in testdata/fuzz/FuzzParseSpan.
func FuzzParseSpan(f *testing.F) {
	for _, s := range []string{
		"0", "1", "00:01", "0:01:00", "00:01:00", "1.02:03:04.5", "-1.02:03:04.5",
		"6:12:14:45.3448", "24:00:00", "10:20:.5", "1:10:20:.5", "0:0:0.00000005",
		"106751.23:47:16.8547758", "-106751.23:47:16.8547758", "10675199",
		"", " ", "1.2.3", "+1:00", "00:60:00", "1:2:3:4:5:6", "268435456",
		"00:00:00.12345678", "\u00a01\u3000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseSpan(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "time-span ") {
				t.Fatalf("ParseSpan(%q): error %q does not start with \"time-span \"", s, err)
			}
			return
		}
		if d%tick != 0 {
			t.Fatalf("ParseSpan(%q) = %d ns, not a whole number of 100 ns ticks", s, int64(d))
		}
		text := FormatSpan(d)
		if !constantFormat.MatchString(text) {
			t.Fatalf("FormatSpan(%d) = %q, not in .NET's constant format", int64(d), text)
		}
		back, err := ParseSpan(text)
		if err != nil {
			t.Fatalf("ParseSpan(%q) = %d ns, but ParseSpan(FormatSpan(d) = %q): %v", s, int64(d), text, err)
		}
		if back != d {
			t.Fatalf("ParseSpan(%q) = %d ns, FormatSpan = %q, which parses as %d ns", s, int64(d), text, int64(back))
		}
	})
}

// FuzzFormatSpan checks that every duration survives FormatSpan and
// ParseSpan, less what is finer than a tick.
func FuzzFormatSpan(f *testing.F) {
	for _, d := range []int64{0, 1, 99, 100, -100, 1 << 62, -1 << 63, 1<<63 - 1} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		d := time.Duration(n)
		text := FormatSpan(d)
		if !constantFormat.MatchString(text) {
			t.Fatalf("FormatSpan(%d) = %q, not in .NET's constant format", n, text)
		}
		back, err := ParseSpan(text)
		if err != nil {
			t.Fatalf("ParseSpan(FormatSpan(%d) = %q): %v", n, text, err)
		}
		if want := d.Truncate(tick); back != want {
			t.Fatalf("ParseSpan(FormatSpan(%d) = %q) = %d, want %d", n, text, int64(back), int64(want))
		}
	})
}

// FuzzParseDateTime checks that ParseDateTime never panics, explains every
// refusal in the house form, answers only instants InRange, in UTC and
// whole ticks, and that what it accepts survives FormatDateTime and
// ParseDateTime unchanged.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{
		"2019-08-24T14:15:22Z", "2019-08-24T14:15:22.1234567+02:00", "0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+00:01",
		"0000-12-31T23:59:59Z", "2019-02-29T00:00:00Z", "2019-08-24T14:15:22.5", "2019-08-24T14:15:22+0230",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDateTime(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "date-time ") {
				t.Fatalf("ParseDateTime(%q): error %q does not start with \"date-time \"", s, err)
			}
			return
		}
		if !InRange(d) || d.Location() != time.UTC || d.Nanosecond()%int(tick) != 0 {
			t.Fatalf("ParseDateTime(%q) = %v: want a whole tick in UTC, in years 1 to 9999", s, d)
		}
		text := FormatDateTime(d)
		back, err := ParseDateTime(text)
		if err != nil || !back.Equal(d) {
			t.Fatalf("ParseDateTime(%q) = %v, FormatDateTime = %q, which parses as %v, %v", s, d, text, back, err)
		}
	})
}
