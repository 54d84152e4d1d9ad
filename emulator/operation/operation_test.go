package operation_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator/operation"
)

func TestValidAndHint(t *testing.T) {
	tests := []struct {
		name    operation.Name
		valid   bool
		hintHas string
	}{
		{operation.PostGroup, true, ""},
		{"postgroup", false, "did you mean PostGroup?"},
		{"Nothing", false, "known operations: ListGroupConfigurations"},
	}
	for _, tt := range tests {
		if got := tt.name.Valid(); got != tt.valid {
			t.Errorf("%q.Valid() = %v, want %v", tt.name, got, tt.valid)
		}
		if tt.hintHas != "" && !strings.Contains(tt.name.Hint(), tt.hintHas) {
			t.Errorf("%q.Hint() = %q, want it to contain %q", tt.name, tt.name.Hint(), tt.hintHas)
		}
	}
	if len(operation.All()) != 28 {
		t.Errorf("All() has %d operations, want 28 (17 of the API, 11 of the on-premises configuration)", len(operation.All()))
	}
}

func ExampleName_Hint() {
	fmt.Println(operation.Name("postHeartbeatMessage").Hint())
	// Output: (names are case-sensitive: did you mean PostHeartbeatMessage?)
}
