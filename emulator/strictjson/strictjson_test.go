package strictjson_test

import (
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator/strictjson"
)

type inner struct {
	Name *string
	Size int
}

type doc struct {
	Now   *string
	Count int
	Ratio float64
	On    bool
	Inner *inner
	List  []inner
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string // "" = accepted
	}{
		{"an object", `{"Now":"2026-01-01T00:00:00Z","Count":3}`, ""},
		{"white space around", " \n\t{}\r\n ", ""},
		{"names in any case", `{"now":"x","COUNT":1}`, ""},
		{"a null property is absent", `{"Now":null,"Inner":null}`, ""},
		{"nested objects", `{"Inner":{"Name":"n","Size":2},"List":[{"Size":1}]}`, ""},

		{"empty", ``, "the document is empty; a JSON object is needed"},
		{"only white space", "  \n", "the document is empty"},
		{"null", `null`, "a JSON object is needed, not null"},
		{"null with white space", ` null `, "a JSON object is needed, not null"},
		{"an array", `[]`, "a JSON object is needed, not an array"},
		{"a string", `"x"`, "a JSON object is needed, not a string"},
		{"a number", `5`, "a JSON object is needed, not a number"},
		{"true", `true`, "a JSON object is needed, not true or false"},
		{"trailing data", `{} x`, `unexpected data after the JSON object, at byte 3: "x"`},
		{"a second object", `{}{}`, `unexpected data after the JSON object, at byte 2: "{}"`},
		{"a closing bracket after", `{} ]`, `unexpected data after the JSON object, at byte 3: "]"`},
		{"long trailing data is cut", `{} ` + strings.Repeat("é", 40), `"` + strings.Repeat("é", 20) + `"…`},
		{"not JSON", `not json`, "the document is not JSON: invalid character 'o' in literal null (expecting 'u') (at byte 2)"},
		{"broken object", `{"Now":}`, "the document is not JSON: invalid character '}' looking for beginning of value (at byte 8)"},
		{"cut short", `{"Now":"x"`, "the document ends before its JSON object does"},
		{"unknown property", `{"Nw":"x"}`, `unknown property "Nw"`},
		{"unknown nested property", `{"Inner":{"Nmae":"x"}}`, `unknown property "Nmae"`},
		{"string for an integer", `{"Count":"3"}`, "Count must be an integer, not a string"},
		{"fraction for an integer", `{"Count":1.5}`, "Count must be an integer, not number 1.5"},
		{"number for a string", `{"Now":5}`, "Now must be a string, not a number"},
		{"string for a bool", `{"On":"yes"}`, "On must be true or false, not a string"},
		{"array for an object", `{"Inner":[]}`, "Inner must be an object, not an array"},
		{"object for an array", `{"List":{}}`, "List must be an array, not an object"},
		{"nested wrong type", `{"List":[{"Size":"big"}]}`, "List.Size must be an integer, not a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := strictjson.Decode([]byte(tt.in), &d)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Decode(%q) = %v, want it accepted", tt.in, err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Decode(%q) accepted, want an error containing %q", tt.in, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("Decode(%q) = %q, want it to contain %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

// FuzzDecode checks that Decode never panics and accepts only what is one
// JSON object.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"Now":"x"}`, `null`, `{} x`, `{"Count":"3"}`, `{"Inner":{"Name":null}}`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		if err := strictjson.Decode(data, &d); err != nil {
			if err.Error() == "" {
				t.Fatalf("Decode(%q): an empty error", data)
			}
			return
		}
		var m map[string]any
		if err := strictjson.Decode(data, &m); err != nil {
			t.Fatalf("Decode(%q) into a struct but not into a map: %v", data, err)
		}
	})
}
