package ids_test

import (
	"testing"

	"github.com/adh-emulator/clientfailover/emulator/ids"
)

func TestKey(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"identical", "contoso", "contoso", true},
		{"ASCII case", "Contoso", "cONTOSO", true},
		{"GUID in either case", "0f8fad5b-d9cb-469f-a165-70867728950e", "0F8FAD5B-D9CB-469F-A165-70867728950E", true},
		{"empty", "", "", true},
		{"empty and not", "", "a", false},
		{"long s is not s", "contoſo", "contoso", false},
		{"long s is not S", "contoſo", "CONTOSO", false},
		{"dotless i is not i", "ıd", "id", false},
		{"dotless i is not I", "ıd", "ID", false},
		{"dotted capital I is not i", "İd", "id", false},
		{"Kelvin sign is not k", "\u212aey", "key", false},
		{"Kelvin sign is itself", "\u212aey", "\u212aEY", true},
		{"Latin-1 letters", "école", "ÉCOLE", true},
		{"Greek sigma and final sigma", "σς", "ΣΣ", true},
		{"Cyrillic", "москва", "МОСКВА", true},
		{"Deseret (outside the BMP)", "\U00010428", "\U00010400", true},
		{"no multi-character mapping", "straße", "STRASSE", false},
		{"sharp s and capital sharp s", "ß", "ẞ", false}, // ß has no simple upper case
		{"titlecase digraph", "ǆ", "Ǆ", true},
		{"titlecase digraph's title form", "ǅ", "Ǆ", true},
		{"different lengths", "ab", "abc", false},
		{"invalid bytes match themselves", "a\xffb", "A\xffB", true},
		{"invalid bytes differ", "a\xff", "a\xfe", false},
		{"invalid byte is not the replacement character", "\xff", "\ufffd", false},
		{"invalid byte is not ASCII", "\xc1", "A", false},
		{"truncated sequence", "\xe2\x82", "\xe2\x82", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := ids.Key(tt.a), ids.Key(tt.b)
			if got := ka == kb; got != tt.same {
				t.Errorf("Key(%q) = %q, Key(%q) = %q: equal %v, want %v", tt.a, ka, tt.b, kb, got, tt.same)
			}
			if got := ids.Equal(tt.a, tt.b); got != tt.same {
				t.Errorf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.same)
			}
			if got := ids.Equal(tt.b, tt.a); got != tt.same {
				t.Errorf("Equal(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.same)
			}
		})
	}
}

func TestKeyDoesNotAllocateForLowerCaseASCII(t *testing.T) {
	id := "0f8fad5b-d9cb-469f-a165-70867728950e"
	if n := testing.AllocsPerRun(100, func() { _ = ids.Key(id) }); n != 0 {
		t.Errorf("Key(%q) allocates %v times, want 0", id, n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = ids.Equal("Contoso-Ünïcode", "contoso-üNÏCODE") }); n != 0 {
		t.Errorf("Equal allocates %v times, want 0", n)
	}
}

// FuzzEqual checks that Equal is the equality of keys, and that a key is
// its own key (so a key may be stored and compared again).
func FuzzEqual(f *testing.F) {
	for _, s := range [][2]string{
		{"contoso", "CONTOSO"}, {"contoſo", "contoso"}, {"\u212a", "k"}, {"a\xff", "A\xff"},
		{"σς", "ΣΣ"}, {"ǅ", "ǆ"}, {"\xe2\x82A", "\xe2\x82a"}, {"", "x"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, kb := ids.Key(a), ids.Key(b)
		if got, want := ids.Equal(a, b), ka == kb; got != want {
			t.Fatalf("Equal(%q, %q) = %v, but Key gives %q and %q", a, b, got, ka, kb)
		}
		if !ids.Equal(a, a) || !ids.Equal(a, ka) {
			t.Fatalf("Equal(%q, itself or its key %q) = false", a, ka)
		}
		if kk := ids.Key(ka); kk != ka {
			t.Fatalf("Key(Key(%q)) = %q, want %q", a, kk, ka)
		}
	})
}
