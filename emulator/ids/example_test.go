package ids_test

import (
	"fmt"

	"github.com/adh-emulator/clientfailover/emulator/ids"
)

// Ids match ignoring case as .NET's OrdinalIgnoreCase matches them: the
// long s is not an s, so "contoſo" is another tenant than "contoso".
func ExampleEqual() {
	fmt.Println(ids.Equal("Contoso", "CONTOSO"))
	fmt.Println(ids.Equal("contoſo", "contoso"))
	fmt.Println(ids.Equal("école", "ÉCOLE"))
	// Output:
	// true
	// false
	// true
}

// Maps of ids are keyed by Key.
func ExampleKey() {
	groups := map[string]string{}
	groups[ids.Key("Group-1")] = "first written as Group-1"
	fmt.Println(groups[ids.Key("GROUP-1")])
	// Output: first written as Group-1
}
