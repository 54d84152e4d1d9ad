package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newTokenDirectory(t *testing.T, limit int) *Directory {
	t.Helper()
	d, err := New(&fixture.Identities{
		Clients: []fixture.Client{{Id: "app", Secret: "s", TenantId: "t"}},
		Users:   []fixture.User{{Id: "u", TenantId: "t", Tokens: []string{"fixed"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d.limit = limit
	return d
}

func mustIssue(t *testing.T, d *Directory, at time.Time) string {
	t.Helper()
	tok, _, err := d.Issue("app", "s", at)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// A token expired for more than a lifetime is forgotten when a later issue
// passes it; until then it authenticates as expired.
func TestExpiredTokensArePrunedInExpiryOrder(t *testing.T) {
	d := newTokenDirectory(t, MaxTokens)
	first := mustIssue(t, d, t0)
	second := mustIssue(t, d, t0.Add(30*time.Minute))

	mustIssue(t, d, t0.Add(2*TokenLifetime)) // first expired exactly a lifetime ago: kept
	if _, err := d.Authenticate(first, t0.Add(2*TokenLifetime)); !errors.Is(err, ErrExpiredToken) {
		t.Errorf("a lifetime after expiry: %v, want ErrExpiredToken", err)
	}
	mustIssue(t, d, t0.Add(2*TokenLifetime+time.Nanosecond))
	if _, err := d.Authenticate(first, t0.Add(2*TokenLifetime)); !errors.Is(err, ErrUnknownToken) {
		t.Errorf("just over a lifetime after expiry: %v, want ErrUnknownToken (forgotten)", err)
	}
	if _, err := d.Authenticate(second, t0.Add(2*TokenLifetime)); !errors.Is(err, ErrExpiredToken) {
		t.Errorf("the later token: %v, want ErrExpiredToken (not yet forgotten)", err)
	}
	if got := d.Tokens(); got != 3 {
		t.Errorf("Tokens() = %d, want 3 (second and the two new ones)", got)
	}
	if _, err := d.Authenticate("fixed", t0.Add(1000*TokenLifetime)); err != nil {
		t.Errorf("a fixture token: %v, want it never to expire nor be pruned", err)
	}
}

// At the bound, issuing forgets the token that expires first.
func TestTokenBoundForgetsTheTokenThatExpiresFirst(t *testing.T) {
	d := newTokenDirectory(t, 3)
	late := mustIssue(t, d, t0.Add(10*time.Minute))
	early := mustIssue(t, d, t0) // the clock was moved back
	middle := mustIssue(t, d, t0.Add(5*time.Minute))
	newest := mustIssue(t, d, t0.Add(20*time.Minute))

	if got := d.Tokens(); got != 3 {
		t.Fatalf("Tokens() = %d, want the bound, 3", got)
	}
	now := t0.Add(20 * time.Minute)
	if _, err := d.Authenticate(early, now); !errors.Is(err, ErrUnknownToken) {
		t.Errorf("the token that expires first: %v, want ErrUnknownToken", err)
	}
	for _, tok := range []string{late, middle, newest, "fixed"} {
		if _, err := d.Authenticate(tok, now); err != nil {
			t.Errorf("a token within the bound: %v", err)
		}
	}
}

// The bound holds whatever the order of expiries.
func TestTokenBoundHolds(t *testing.T) {
	d := newTokenDirectory(t, 50)
	for i := range 500 {
		mustIssue(t, d, t0.Add(time.Duration(i*7919%500)*time.Second))
		if n := d.Tokens(); n > 50 || len(d.tokens) != n+1 { // + the fixture token
			t.Fatalf("after %d issues: %d issued tokens held, %d in the map; want at most 50, and one more in the map", i+1, n, len(d.tokens))
		}
	}
}
