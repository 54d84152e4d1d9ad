// Package timefmt reads and writes the .NET text forms of time-spans and
// date-times that the emulated service speaks.
//
// Time-spans are .NET TimeSpan text. ParseSpan accepts what .NET's
// TimeSpan.Parse accepts with the invariant culture, quirks included, and
// FormatSpan answers in .NET's constant ("c") format,
// [-][d.]hh:mm:ss[.fffffff]. Date-times are ISO 8601 text read the way the
// service's JSON reader reads them (ParseDateTime) and written in UTC with a
// 'Z' (FormatDateTime).
//
// .NET counts time in ticks of 100 ns, so both directions drop anything finer.
//
// What this package does not reproduce:
//   - Time-spans longer than a time.Duration can hold (106751.23:47:16.8547758,
//     about 292 years) are rejected, although .NET accepts up to 10675199 days.
//   - Error texts are the emulator's own plain words, not .NET's exception
//     messages.
//   - Date-times the service's JSON reader would pass on to DateTime.Parse
//     (culture-specific forms such as "08/24/2019") are rejected.
package timefmt
