package timefmt_test

import (
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

func ExampleParseSpan() {
	for _, s := range []string{"00:01:00", "0:01:00", "00:01", "1", "1.02:03:04.5", "24:00:00", "00:60:00"} {
		d, err := timefmt.ParseSpan(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s = %v\n", s, d)
	}
	// Output:
	// 00:01:00 = 1m0s
	// 0:01:00 = 1m0s
	// 00:01 = 1m0s
	// 1 = 24h0m0s
	// 1.02:03:04.5 = 26h3m4.5s
	// 24:00:00 = 576h0m0s
	// time-span "00:60:00": minutes must be 0 to 59
}

func ExampleFormatSpan() {
	fmt.Println(timefmt.FormatSpan(time.Minute))
	fmt.Println(timefmt.FormatSpan(26*time.Hour + 3*time.Minute + 4*time.Second))
	fmt.Println(timefmt.FormatSpan(26*time.Hour + 3*time.Minute + 4500*time.Millisecond))
	fmt.Println(timefmt.FormatSpan(-90 * time.Second))
	// Output:
	// 00:01:00
	// 1.02:03:04
	// 1.02:03:04.5000000
	// -00:01:30
}

func ExampleParseSpanOrDuration() {
	for _, s := range []string{"00:01:30", "90s", "1m30s", "1x"} {
		d, err := timefmt.ParseSpanOrDuration(s)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(d)
	}
	// Output:
	// 1m30s
	// 1m30s
	// 1m30s
	// error: "1x" is neither a time-span such as 00:01:30 nor a Go duration such as 90s: time: unknown unit "x" in duration "1x"
}

func ExampleParseDateTime() {
	for _, s := range []string{"2019-08-24T14:15:22Z", "2019-08-24T16:15:22.5+02:00", "2019-08-24T14:15:22", "2019-02-29T00:00:00Z"} {
		t, err := timefmt.ParseDateTime(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(t)
	}
	// Output:
	// 2019-08-24 14:15:22 +0000 UTC
	// 2019-08-24 14:15:22.5 +0000 UTC
	// 2019-08-24 14:15:22 +0000 UTC
	// date-time "2019-02-29T00:00:00Z": day must be 01 to 28 in 2019-02
}

func ExampleFormatDateTime() {
	t := time.Date(2019, 8, 24, 16, 15, 22, 0, time.FixedZone("CEST", 2*60*60))
	fmt.Println(timefmt.FormatDateTime(t))
	fmt.Println(timefmt.FormatDateTime(t.Add(500 * time.Millisecond)))
	fmt.Println(timefmt.FormatDateTime(t.Add(123456789 * time.Nanosecond)))
	// Output:
	// 2019-08-24T14:15:22Z
	// 2019-08-24T14:15:22.5Z
	// 2019-08-24T14:15:22.1234567Z
}
