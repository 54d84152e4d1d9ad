package control_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/operation"
)

// The client decodes the control API's answers into the emulator's own
// types; these tests check that those types survive a trip through their
// JSON, so the client sees what the emulator keeps.

func TestJournalEntryJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		entry journal.Entry
	}{
		{"empty", journal.Entry{Time: start}},
		{"full JSON body", journal.Entry{
			Seq: 42, Time: start.Add(1500 * time.Microsecond), Method: "POST", Path: api + "/groups", Query: "a=1&b=2",
			Operation: operation.PostGroup, Tenant: "t1", Namespace: "n1", Status: 201, Duration: 1234500 * time.Nanosecond,
			RequestBody: json.RawMessage(`{"Id":"g1","FailoverTimeout":"00:00:30"}`), Fault: "slow",
		}},
		{"text body", journal.Entry{Seq: 1, Time: start, Method: "PUT", Path: "/x", Status: 400, RequestBodyText: "not json"}},
		{"truncated body", journal.Entry{Seq: 2, Time: start, Method: "PUT", Path: "/x", Status: 413, RequestBodyText: `{"Id":"g`, BodyTruncated: true}},
		{"dropped", journal.Entry{Seq: 3, Time: start, Method: "GET", Path: "/y", Status: 0, Fault: "cut"}},
		{"long duration", journal.Entry{Time: start, Duration: 36*time.Hour + 7*time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.entry)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			var got journal.Entry
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if !got.Time.Equal(tt.entry.Time) {
				t.Errorf("Time: got %v, want %v", got.Time, tt.entry.Time)
			}
			got.Time, tt.entry.Time = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.entry) {
				t.Errorf("round trip through %s:\n got %+v\nwant %+v", b, got, tt.entry)
			}
		})
	}
}

func TestFaultRuleJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		rule faults.Rule
	}{
		{"empty", faults.Rule{}},
		{"as added", faults.Rule{
			ID:     "busy",
			Match:  faults.Match{Operation: operation.GetGroupStatus, Method: "GET", Path: "/api/**", Tenant: "t1", Namespace: "n1"},
			Action: faults.Action{Status: 503, Body: json.RawMessage(`{"Error":"busy"}`), Headers: map[string]string{"Retry-After": "2"}, Delay: 1500 * time.Millisecond},
			Times:  ptr(3), Probability: ptr(0.25), Seed: ptr(int64(-9)),
		}},
		{"as listed", faults.Rule{ID: "cut", Action: faults.Action{Drop: true}, Times: ptr(2), Fired: 1, Remaining: ptr(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.rule)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			var got faults.Rule
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if !reflect.DeepEqual(got, tt.rule) {
				t.Errorf("round trip through %s:\n got %+v\nwant %+v", b, got, tt.rule)
			}
		})
	}
}
