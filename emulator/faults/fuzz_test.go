package faults

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator/operation"
)

// FuzzRuleJSON feeds arbitrary bytes to Rule.UnmarshalJSON. Nothing may
// panic; a rule that decodes must survive a JSON round trip unchanged, and a
// valid one must be usable in a Set. The seed corpus is in
// testdata/fuzz/FuzzRuleJSON.
func FuzzRuleJSON(f *testing.F) {
	f.Add([]byte(`{"Match":{"Operation":"GetGroupStatus"},"Action":{"Status":503}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Rule
		if err := json.Unmarshal(data, &r); err != nil {
			return
		}
		first, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal of a decoded rule: %v", err)
		}
		var again Rule
		if err := json.Unmarshal(first, &again); err != nil {
			t.Fatalf("Unmarshal(%s) of a marshalled rule: %v", first, err)
		}
		second, err := json.Marshal(again)
		if err != nil {
			t.Fatalf("Marshal after a round trip: %v", err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the rule:\n%s\n%s", first, second)
		}

		if r.Validate() != nil {
			return
		}
		s := NewSet()
		added, err := s.Add(r)
		if err != nil {
			t.Fatalf("Add of a valid rule: %v", err)
		}
		s.Match(Request{
			Operation: operation.GetGroupStatus,
			Method:    "GET",
			Path:      "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups/g/status",
			Tenant:    "t",
			Namespace: "n",
		})
		if _, ok := s.Get(added.ID); !ok {
			t.Fatalf("Get(%q) found nothing after Add", added.ID)
		}
	})
}
