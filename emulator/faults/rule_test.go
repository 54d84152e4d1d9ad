package faults

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/operation"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		rule    Rule
		wantErr string // "" = valid; otherwise a part of the message
	}{
		{name: "empty rule", rule: Rule{}},
		{name: "full rule", rule: Rule{
			ID:          "my-rule_1.x~",
			Match:       Match{Operation: operation.PostGroup, Method: "post", Path: "/api/**", Tenant: "t", Namespace: "n"},
			Action:      Action{Status: 503, Body: json.RawMessage(`{"Error":"busy"}`), Headers: map[string]string{"Retry-After": "1"}, Delay: time.Second},
			Times:       ptr(3),
			Probability: ptr(0.5),
			Seed:        ptr[int64](42),
		}},
		{name: "drop", rule: Rule{Action: Action{Drop: true, Delay: time.Second}}},
		{name: "headers and delay only", rule: Rule{Action: Action{Headers: map[string]string{"X-A": "b"}, Delay: MaxDelay}}},
		{name: "times zero", rule: Rule{Times: ptr(0)}},
		{name: "probability bounds", rule: Rule{Probability: ptr(1.0)}},
		{name: "lowest status", rule: Rule{Action: Action{Status: 200}}},
		{name: "highest status", rule: Rule{Action: Action{Status: 599}}},
		{name: "204 without a body", rule: Rule{Action: Action{Status: 204}}},
		{name: "other headers", rule: Rule{Action: Action{Status: 503, Headers: map[string]string{"Retry-After": "1", "Connection": "close", "Content-Type": "text/plain"}}}},

		{name: "status 100", rule: Rule{Action: Action{Status: 100}}, wantErr: "Action.Status 100 is informational (1xx), not an answer"},
		{name: "status 101", rule: Rule{Action: Action{Status: 101}}, wantErr: "Action.Status 101 is informational"},
		{name: "status 199", rule: Rule{Action: Action{Status: 199}}, wantErr: "Action.Status 199 is informational"},
		{name: "body with 204", rule: Rule{Action: Action{Status: 204, Body: json.RawMessage(`{}`)}}, wantErr: "Action.Body cannot go with Action.Status 204, which has no body"},
		{name: "body with 304", rule: Rule{Action: Action{Status: 304, Body: json.RawMessage(`"x"`)}}, wantErr: "Action.Status 304, which has no body"},
		{name: "Content-Length header", rule: Rule{Action: Action{Status: 200, Headers: map[string]string{"content-length": "5"}}}, wantErr: `Action.Headers: "content-length" is set by the server`},
		{name: "Transfer-Encoding header", rule: Rule{Action: Action{Headers: map[string]string{"Transfer-Encoding": "chunked"}}}, wantErr: `Action.Headers: "Transfer-Encoding" is set by the server`},

		{name: "bad id", rule: Rule{ID: "a/b"}, wantErr: `Id "a/b"`},
		{name: "long id", rule: Rule{ID: strings.Repeat("a", 101)}, wantErr: "at most 100"},
		{name: "unknown operation", rule: Rule{Match: Match{Operation: "Nope"}}, wantErr: `Match.Operation "Nope" is not an operation`},
		{name: "operation wrong case", rule: Rule{Match: Match{Operation: "postgroup"}}, wantErr: "did you mean PostGroup?"},
		{name: "bad method", rule: Rule{Match: Match{Method: "GE T"}}, wantErr: "Match.Method"},
		{name: "bad path", rule: Rule{Match: Match{Path: "/api/v*"}}, wantErr: "Match.Path"},
		{name: "status too low", rule: Rule{Action: Action{Status: 99}}, wantErr: "Action.Status 99"},
		{name: "status too high", rule: Rule{Action: Action{Status: 600}}, wantErr: "Action.Status 600"},
		{name: "status negative", rule: Rule{Action: Action{Status: -1}}, wantErr: "Action.Status -1"},
		{name: "drop with status", rule: Rule{Action: Action{Drop: true, Status: 500}}, wantErr: "Action.Drop"},
		{name: "body without status", rule: Rule{Action: Action{Body: json.RawMessage(`{}`)}}, wantErr: "Action.Body needs Action.Status"},
		{name: "body not JSON", rule: Rule{Action: Action{Status: 500, Body: json.RawMessage(`{`)}}, wantErr: "Action.Body is not valid JSON"},
		{name: "headers with drop", rule: Rule{Action: Action{Drop: true, Headers: map[string]string{"A": "b"}}}, wantErr: "Action.Headers"},
		{name: "bad header name", rule: Rule{Action: Action{Headers: map[string]string{"A B": "c"}}}, wantErr: `"A B" is not a valid header name`},
		{name: "header value with newline", rule: Rule{Action: Action{Headers: map[string]string{"A": "b\r\nC: d"}}}, wantErr: "line break"},
		{name: "negative delay", rule: Rule{Action: Action{Delay: -time.Second}}, wantErr: "Action.Delay -00:00:01 is negative"},
		{name: "delay too long", rule: Rule{Action: Action{Delay: MaxDelay + time.Millisecond}}, wantErr: "longer than the maximum, 00:01:00"},
		{name: "negative times", rule: Rule{Times: ptr(-1)}, wantErr: "Times -1 is negative"},
		{name: "probability above 1", rule: Rule{Probability: ptr(1.5)}, wantErr: "Probability 1.5 is not between 0 and 1"},
		{name: "probability below 0", rule: Rule{Probability: ptr(-0.1)}, wantErr: "Probability -0.1"},
		{name: "probability NaN", rule: Rule{Probability: ptr(math.NaN())}, wantErr: "Probability NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rule.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error containing %q", tt.wantErr)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Validate() = %v, want it to wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate() = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	err := Rule{Action: Action{Status: 42}, Times: ptr(-2)}.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want an error")
	}
	for _, want := range []string{"Action.Status 42", "Times -2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %q, want it to mention %q", err, want)
		}
	}
}

func TestMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want string
	}{
		{
			name: "absent values are null",
			rule: Rule{ID: "fault-1"},
			want: `{"Id":"fault-1",` +
				`"Match":{"Operation":null,"Method":null,"Path":null,"Tenant":null,"Namespace":null},` +
				`"Action":{"Status":null,"Body":null,"Headers":null,"Delay":null,"Drop":false},` +
				`"Times":null,"Probability":null,"Seed":null,"Fired":0,"Remaining":null}`,
		},
		{
			name: "everything set",
			rule: Rule{
				ID:          "r",
				Match:       Match{Operation: operation.GetGroupStatus, Method: "GET", Path: "/api/**", Tenant: "t", Namespace: "n"},
				Action:      Action{Status: 503, Body: json.RawMessage(`{"A":1}`), Headers: map[string]string{"Retry-After": "2"}, Delay: 1500 * time.Millisecond},
				Times:       ptr(3),
				Probability: ptr(0.25),
				Seed:        ptr[int64](9),
				Fired:       1,
				Remaining:   ptr(2),
			},
			want: `{"Id":"r",` +
				`"Match":{"Operation":"GetGroupStatus","Method":"GET","Path":"/api/**","Tenant":"t","Namespace":"n"},` +
				`"Action":{"Status":503,"Body":{"A":1},"Headers":{"Retry-After":"2"},"Delay":"00:00:01.5000000","Drop":false},` +
				`"Times":3,"Probability":0.25,"Seed":9,"Fired":1,"Remaining":2}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.rule)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		json string
		want Rule
	}{
		{name: "empty object", json: `{}`, want: Rule{}},
		{
			name: "property names ignore case",
			json: `{"id":"x","MATCH":{"operation":"PostGroup","tenant":"T"},"action":{"status":500,"DELAY":"00:00:02"},"times":1}`,
			want: Rule{ID: "x", Match: Match{Operation: operation.PostGroup, Tenant: "T"}, Action: Action{Status: 500, Delay: 2 * time.Second}, Times: ptr(1)},
		},
		{
			name: "Go duration delay",
			json: `{"Action":{"Delay":"1m30s"}}`,
			want: Rule{Action: Action{Delay: 90 * time.Second}},
		},
		{
			name: "delay kept to time-span resolution",
			json: `{"Action":{"Delay":"1234ns"}}`,
			want: Rule{Action: Action{Delay: 1200 * time.Nanosecond}},
		},
		{
			name: "nulls and empty strings are absent",
			json: `{"Id":null,"Match":{"Path":"","Method":null},"Action":{"Body":null,"Delay":"","Status":null},"Times":null}`,
			want: Rule{},
		},
		{
			name: "counters are read",
			json: `{"Times":2,"Fired":1,"Remaining":1}`,
			want: Rule{Times: ptr(2), Fired: 1, Remaining: ptr(1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Rule
			if err := json.Unmarshal([]byte(tt.json), &got); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Unmarshal = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string
	}{
		{name: "unparsable delay", json: `{"Action":{"Delay":"soon"}}`, wantErr: `Action.Delay: "soon" is neither a time-span`},
		{name: "bad time-span", json: `{"Action":{"Delay":"00:99:00"}}`, wantErr: "Action.Delay: time-span"},
		{name: "delay as a number", json: `{"Action":{"Delay":5}}`, wantErr: "Action.Delay must be a string, not a number"},
		{name: "status as a string", json: `{"Action":{"Status":"500"}}`, wantErr: "Action.Status must be an integer, not a string"},
		{name: "fractional times", json: `{"Times":1.5}`, wantErr: "Times must be an integer"},
		{name: "probability as a string", json: `{"Probability":"0.5"}`, wantErr: "Probability must be a number"},
		{name: "drop as a string", json: `{"Action":{"Drop":"yes"}}`, wantErr: "Action.Drop must be true or false"},
		{name: "match as an array", json: `{"Match":[]}`, wantErr: "Match must be an object"},
		{name: "not an object", json: `[1]`, wantErr: "a JSON object is needed, not an array"},
		{name: "unknown property", json: `{"Stauts":500}`, wantErr: `unknown property "Stauts"`},
		{name: "unknown nested property", json: `{"Match":{"Tennant":"t"}}`, wantErr: `unknown property "Tennant"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Rule
			err := json.Unmarshal([]byte(tt.json), &r)
			if err == nil {
				t.Fatalf("Unmarshal(%s) succeeded, want an error containing %q", tt.json, tt.wantErr)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Unmarshal error %v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Unmarshal error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	rules := []Rule{
		{},
		{ID: "a", Action: Action{Drop: true}},
		{
			ID:          "full",
			Match:       Match{Operation: operation.SetCollectionAcl, Method: "PUT", Path: "/api/v1/**", Tenant: "t", Namespace: "n"},
			Action:      Action{Status: 429, Body: json.RawMessage(`{"Reason":"slow down"}`), Headers: map[string]string{"Retry-After": "5"}, Delay: 2*time.Second + 300*time.Nanosecond},
			Times:       ptr(4),
			Probability: ptr(0.75),
			Seed:        ptr[int64](-3),
			Fired:       2,
			Remaining:   ptr(2),
		},
	}
	for _, want := range rules {
		t.Run(want.ID, func(t *testing.T) {
			data, err := json.Marshal(want)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			var got Rule
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", data, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip through %s\ngot  %+v\nwant %+v", data, got, want)
			}
		})
	}
}

func ExampleRule_UnmarshalJSON() {
	var r Rule
	err := json.Unmarshal([]byte(`{"Match":{"Operation":"PostHeartbeatMessage"},"Action":{"Status":503,"Delay":"2s"},"Times":1}`), &r)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Match.Operation, r.Action.Status, r.Action.Delay, *r.Times)

	err = json.Unmarshal([]byte(`{"Action":{"Delay":"later"}}`), &r)
	fmt.Println(err)
	// Output:
	// PostHeartbeatMessage 503 2s 1
	// invalid fault rule: Action.Delay: "later" is neither a time-span such as 00:01:30 nor a Go duration such as 90s: time: invalid duration "later"
}
