package timefmt

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseDateTime(t *testing.T) {
	base := time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2019-08-24T14:15:22Z", base},
		{"2019-08-24T14:15:22z", base},
		{"2019-08-24T14:15:22", base}, // no offset: UTC
		{"2019-08-24T14:15:22.5Z", base.Add(500 * time.Millisecond)},
		{"2019-08-24T14:15:22.1234567Z", base.Add(123456700 * time.Nanosecond)},
		{"2019-08-24T14:15:22.123456789Z", base.Add(123456700 * time.Nanosecond)}, // beyond a tick: dropped
		{"2019-08-24T14:15:22.00000009Z", base},
		{"2019-08-24T14:15:22.1234567", base.Add(123456700 * time.Nanosecond)},
		{"2019-08-24T16:15:22+02:00", base},
		{"2019-08-24T12:15:22-02:00", base},
		{"2019-08-24T16:45:22+0230", base},
		{"2019-08-24T16:15:22+02", base},
		{"2019-08-24T14:15:22+00:00", base},
		{"2019-08-24T14:15:22-00:00", base},
		{"2019-08-24T00:30:00+01:00", time.Date(2019, 8, 23, 23, 30, 0, 0, time.UTC)},
		{"2020-02-29T00:00:00Z", time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"0001-01-01T00:00:00Z", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"9999-12-31T23:59:59.9999999Z", time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)},
		{"9999-12-31T23:59:59.99999999Z", time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)}, // beyond a tick: dropped
		{"9999-12-31T23:59:59+23:59", time.Date(9999, 12, 31, 0, 0, 59, 0, time.UTC)},
		{"0001-01-01T00:00:00-23:59", time.Date(1, 1, 1, 23, 59, 0, 0, time.UTC)},
		{"0001-01-01T01:00:00+01:00", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"9999-12-31T22:59:59.9999999-01:00", time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseDateTime(tt.in)
		if err != nil {
			t.Errorf("ParseDateTime(%q): unexpected error: %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDateTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseDateTimeErrors(t *testing.T) {
	const form = "expected yyyy-MM-ddTHH:mm:ss[.fffffff][Z|±hh:mm]"
	tests := []struct {
		in     string
		reason string // the text after `date-time "in": `
	}{
		{"", form},
		{"2019-08-24", form},
		{"2019-08-24 14:15:22Z", form},
		{"2019-08-24t14:15:22Z", form},
		{"2019-08-24T14:15Z", form},
		{"2019-8-24T14:15:22Z", form},
		{" 2019-08-24T14:15:22Z", form},
		{"2019-08-24T14:15:22Z ", form},
		{"2019-08-24T14:15:22Zjunk", form},
		{"2019-08-24T14:15:22+2:00", form},
		{"2019-08-24T14:15:22+02:", form},
		{"2019-08-24T14:15:22+02:60", form},
		{"2019-08-24T14:15:22 +02:00", form},
		{"2019-08-24T14:15:22.Z", "a '.' must be followed by digits"},
		{"0000-01-01T00:00:00Z", "year must be 0001 to 9999"},
		{"2019-13-01T00:00:00Z", "month must be 01 to 12"},
		{"2019-00-01T00:00:00Z", "month must be 01 to 12"},
		{"2019-02-29T00:00:00Z", "day must be 01 to 28 in 2019-02"},
		{"2019-04-31T00:00:00Z", "day must be 01 to 30 in 2019-04"},
		{"2019-04-00T00:00:00Z", "day must be 01 to 30 in 2019-04"},
		{"2019-08-24T24:00:00Z", "hour must be 00 to 23"},
		{"2019-08-24T14:60:00Z", "minute must be 00 to 59"},
		{"2019-08-24T14:15:60Z", "second must be 00 to 59"},
		{"2019-08-24T14:15:22+24:00", "the offset must be less than 24 hours"},
		// Inside years 1 to 9999 as written, outside once the offset applies.
		{"9999-12-31T23:59:59-23:59", "with its offset it is after 9999-12-31T23:59:59.9999999Z, the last instant a date-time can hold"},
		{"9999-12-31T23:00:00-01:00", "with its offset it is after 9999-12-31T23:59:59.9999999Z, the last instant a date-time can hold"},
		{"0001-01-01T00:00:00+01:00", "with its offset it is before 0001-01-01T00:00:00Z, the first instant a date-time can hold"},
		{"0001-01-01T00:59:59.9999999+01", "with its offset it is before 0001-01-01T00:00:00Z, the first instant a date-time can hold"},
	}
	for _, tt := range tests {
		got, err := ParseDateTime(tt.in)
		if err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an error", tt.in, got)
			continue
		}
		want := "date-time " + strconv.Quote(tt.in) + ": " + tt.reason
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseDateTime(%q): error %q, want it to start with %q", tt.in, err, want)
		}
	}
}

func TestFormatDateTime(t *testing.T) {
	base := time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC)
	tests := []struct {
		in   time.Time
		want string
	}{
		{base, "2019-08-24T14:15:22Z"},
		{base.Add(500 * time.Millisecond), "2019-08-24T14:15:22.5Z"},
		{base.Add(123456789 * time.Nanosecond), "2019-08-24T14:15:22.1234567Z"},
		{base.Add(100 * time.Nanosecond), "2019-08-24T14:15:22.0000001Z"},
		{base.Add(99 * time.Nanosecond), "2019-08-24T14:15:22Z"},
		{base.In(time.FixedZone("", 2*60*60)), "2019-08-24T14:15:22Z"},
		{time.Date(2019, 8, 24, 0, 30, 0, 0, time.FixedZone("", 60*60)), "2019-08-23T23:30:00Z"},
	}
	for _, tt := range tests {
		if got := FormatDateTime(tt.in); got != tt.want {
			t.Errorf("FormatDateTime(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(AppendDateTime([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendDateTime(x, %v) = %q, want %q", tt.in, got, "x"+tt.want)
		}
	}
}

// What FormatDateTime writes, ParseDateTime reads back, less what is finer than a tick.
func TestFormatDateTimeRoundTrip(t *testing.T) {
	for _, in := range []time.Time{
		time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC),
		time.Date(2019, 8, 24, 14, 15, 22, 123456789, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 18, 59, 59, 999999999, time.FixedZone("", -5*60*60+30)),
	} {
		text := FormatDateTime(in)
		got, err := ParseDateTime(text)
		if err != nil {
			t.Errorf("ParseDateTime(FormatDateTime(%v) = %q): %v", in, text, err)
			continue
		}
		if want := in.Truncate(tick); !got.Equal(want) {
			t.Errorf("ParseDateTime(FormatDateTime(%v) = %q) = %v, want %v", in, text, got, want)
		}
	}
}

func TestInRange(t *testing.T) {
	tests := []struct {
		t       time.Time
		want    bool
		wantErr string
	}{
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), true, ""},
		{time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), true, ""},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600)), true, ""},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond), false, "the clock 0000-12-31T23:59:59.999999999Z is before the first instant"},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false, "the clock 10000-01-01T00:00:00Z is after the last instant"},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("", -(23*3600+59*60))), false, "the clock 10000-01-01T23:58:59Z is after the last instant"},
		{time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), false, "before the first"},
	}
	for _, tt := range tests {
		if got := InRange(tt.t); got != tt.want {
			t.Errorf("InRange(%v) = %v, want %v", tt.t, got, tt.want)
		}
		err := CheckRange("the clock", tt.t)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckRange(%v) = %v, want nil", tt.t, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("CheckRange(%v) = %v, want an error containing %q", tt.t, err, tt.wantErr)
		}
	}
}
