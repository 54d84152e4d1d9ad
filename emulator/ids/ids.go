// Package ids decides when two identifiers are the same identifier: tenant,
// namespace, group, session, client, user, role and account ids, and the
// names of Windows accounts. The service matches them ignoring case, and
// every place in the emulator that compares or keys by an id uses this
// package, so an id that one part of the emulator takes for another is taken
// for it everywhere (the store, authorisation, fault rules, the journal).
//
// The folding mirrors .NET's StringComparison.OrdinalIgnoreCase, which the
// real service (ASP.NET) uses for ids: each character is replaced by its
// simple (one-to-one) upper-case mapping, with no locale and no
// normalisation. In detail:
//
//   - ASCII letters match either case.
//   - Other characters match through their Unicode simple upper-case
//     mapping, so "ÉCOLE" and "école" are one id, and so are "Σ", "σ" and
//     "ς".
//   - Except that no non-ASCII character matches an ASCII one: LATIN SMALL
//     LETTER DOTLESS I (U+0131, "ı") and LATIN SMALL LETTER LONG S (U+017F,
//     "ſ"), the only two whose upper case is ASCII, keep themselves, as .NET
//     keeps them (its ordinal casing table disables exactly these two). So
//     "contoſo" and "contoso" are two different ids, everywhere. The
//     KELVIN SIGN (U+212A) is upper case already and so differs from "k",
//     unlike under Unicode case folding (strings.EqualFold).
//   - Multi-character mappings do not apply: "straße" and "STRASSE" differ.
//   - Bytes that are not valid UTF-8 match only themselves.
//
// The mapping tables are Go's (package unicode), which may be of another
// Unicode version than the real service's runtime; characters whose casing
// changed between versions could compare differently.
package ids

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Key returns the comparison key of id: two ids are the same id exactly when
// their keys are equal, so maps of ids are keyed by Key. The key is for
// comparing only; show the id as it was written. Key does not allocate for an
// id of ASCII characters without upper-case letters (a GUID in lower case).
func Key(id string) string {
	i := 0
	for i < len(id) {
		c := id[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			break
		}
		i++
	}
	if i == len(id) {
		return id
	}
	var b strings.Builder
	b.Grow(len(id))
	b.WriteString(id[:i])
	for i < len(id) {
		c := id[i]
		if c < utf8.RuneSelf {
			b.WriteByte(lowerASCII(c))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(id[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(c) // not UTF-8: the byte as it is
		} else {
			b.WriteRune(fold(r))
		}
		i += size
	}
	return b.String()
}

// Equal reports whether a and b are the same id: Key(a) == Key(b), without
// building the keys.
func Equal(a, b string) bool {
	if a == b {
		return true
	}
	for a != "" && b != "" {
		ca, cb := a[0], b[0]
		if ca < utf8.RuneSelf && cb < utf8.RuneSelf {
			if lowerASCII(ca) != lowerASCII(cb) {
				return false
			}
			a, b = a[1:], b[1:]
			continue
		}
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		badA, badB := ra == utf8.RuneError && na == 1, rb == utf8.RuneError && nb == 1
		switch {
		case badA || badB:
			if !badA || !badB || ca != cb {
				return false
			}
		case ca < utf8.RuneSelf || cb < utf8.RuneSelf:
			return false // ASCII never matches anything else
		case fold(ra) != fold(rb):
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b == ""
}

// fold is the key of a non-ASCII character: its simple upper case, unless
// that is ASCII (ı and ſ), when it keeps itself as .NET's ordinal casing does.
func fold(r rune) rune {
	if u := unicode.ToUpper(r); u >= utf8.RuneSelf {
		return u
	}
	return r
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
