package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestCanonicalPaths(t *testing.T) {
	p := canonicalPaths{templates: []pathTemplate{
		newTemplate("/api/v1-preview/tenants/:tenant/namespaces/:namespace/clientfailover/groups/:group"),
		newTemplate("/api/v1-preview/tenants/:tenant/namespaces/:namespace/clientfailover/groups/:group/status"),
	}}
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/G", "/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/G", true},
		{"/API/V1-Preview/Tenants/T/Namespaces/N/ClientFailover/Groups/G", "/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/G", true},
		// A group called "Status" keeps its case: it stands where an id stands.
		{"/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/Status", "/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/Status", true},
		{"/api/v1-preview/Tenants/T/namespaces/N/clientfailover/groups/Status/STATUS", "/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/Status/status", true},
		{"/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/G/", "/api/v1-preview/tenants/T/namespaces/N/clientfailover/groups/G", true},
		{"/api/v1-preview/tenants/T/namespaces/N/other/groups/G", "/api/v1-preview/tenants/T/namespaces/N/other/groups/G", false},
	}
	for _, tt := range tests {
		got, ok := p.canonical(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("canonical(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAppendValue(t *testing.T) {
	name := "a\"b\\c\n\u2028<>&é"
	d := 90 * time.Second
	when := time.Date(2026, 1, 2, 3, 4, 5, 500_000_000, time.UTC)
	tests := []struct {
		in   any
		want string
	}{
		{object{{"A", nil}, {"B", (*string)(nil)}, {"C", &name}}, `{"A":null,"B":null,"C":"a\"b\\c\n\u2028<>&é"}`},
		{object{{"T", &d}, {"W", when}, {"P", (*time.Time)(nil)}}, `{"T":"00:01:30","W":"2026-01-02T03:04:05.5Z","P":null}`},
		{[]object{{{"N", 1.5}}, {{"I", int64(-3)}, {"B", true}}}, `[{"N":1.5},{"I":-3,"B":true}]`},
		{object{{"R", json.RawMessage(nil)}, {"S", json.RawMessage(`{"x":1}`)}}, `{"R":null,"S":{"x":1}}`},
	}
	for _, tt := range tests {
		got, err := appendValue(nil, tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("appendValue = %s, %v; want %s", got, err, tt.want)
		}
	}
}

// FuzzAppendString holds the hand-written JSON string writer to
// encoding/json: the same string must come back.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\"back\\slash", "ctl\x00\x1f\t\r\n", "bad\xffutf8", "\u2028\u2029", "é漢字🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("appendString(%q) = %s: not JSON: %v", s, b, err)
		}
		want, _ := json.Marshal(s)
		var wantBack string
		_ = json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Fatalf("appendString(%q) reads back as %q; encoding/json gives %q", s, back, wantBack)
		}
	})
}

func TestDisplayAddr(t *testing.T) {
	tests := []struct{ requested, got, want string }{
		{"0.0.0.0:8080", "[::]:8080", "0.0.0.0:8080"},
		{":8080", "[::]:8080", "0.0.0.0:8080"},
		{"[::]:0", "[::]:41000", "[::]:41000"},
		{"127.0.0.1:0", "127.0.0.1:41000", "127.0.0.1:41000"},
	}
	for _, tt := range tests {
		got, _ := net.ResolveTCPAddr("tcp", tt.got)
		if s := displayAddr(tt.requested, got); s != tt.want {
			t.Errorf("displayAddr(%q, %s) = %q, want %q", tt.requested, tt.got, s, tt.want)
		}
	}
}

// failingJSON cannot be written as JSON.
type failingJSON struct{}

func (failingJSON) MarshalJSON() ([]byte, error) { return nil, errors.New("cannot write this") }

// A body that cannot be encoded is a 500 ErrorResponse, never the status the
// handler asked for with an error inside.
func TestRenderOfABodyThatCannotBeWrittenIsA500(t *testing.T) {
	for _, body := range []any{failingJSON{}, object{{"State", failingJSON{}}}} {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		render(c, response{status: http.StatusOK, body: body})
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("render of %#v: status %d, want 500", body, rec.Code)
		}
		var e struct{ Error, Reason string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" || !strings.Contains(e.Reason, "cannot write this") {
			t.Errorf("render of %#v: body %s, want an ErrorResponse giving the reason", body, rec.Body)
		}
	}
}

// BenchmarkAppendString: the strings of a List page are mostly plain ASCII.
func BenchmarkAppendString(b *testing.B) {
	for _, s := range []string{"group 12345", "a longer description of a failover group, plain ASCII", "é漢字🙂 and \"quotes\""} {
		b.Run(fmt.Sprintf("len=%d", len(s)), func(b *testing.B) {
			buf := make([]byte, 0, 256)
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				buf = appendString(buf[:0], s)
			}
		})
	}
}

// TestPlainPrefix holds the word-at-a-time test to the byte table, for
// every byte value at every position of a word, among plain neighbours.
func TestPlainPrefix(t *testing.T) {
	for _, fill := range []byte{'a', ' ', '~', 0x7f} {
		for pos := range 8 {
			for c := range 256 {
				w := []byte(strings.Repeat(string(fill), 8))
				w[pos] = byte(c)
				want := 0
				for want < len(w) && plainByte[w[want]] {
					want++
				}
				if got := plainPrefix(string(w)); got != want {
					t.Fatalf("plainPrefix(%q) = %d, want %d", w, got, want)
				}
			}
		}
	}
}
