package emulator_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/faults"
)

// Fault globs and the journal's path filter match the path as sent: an id
// with an escaped "/" is one segment, so it cannot slip out of
// ".../groups/*", and the journal shows the path escaped.
func TestFaultGlobsMatchTheEscapedPath(t *testing.T) {
	srv := startInProcess(t, emulator.Options{})
	h := srv.Handler()
	mustHandle(t, h, http.MethodPost, "/_emulator/faults", `{"Match":{"Path":"`+previewBase+`/groups/*"},"Action":{"Status":503}}`)
	if rec := handle(h, http.MethodGet, previewBase+"/groups/a%2Fb", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET group a%%2Fb: %d, want the fault's 503", rec.Code)
	}
	if rec := handle(h, http.MethodGet, previewBase+"/groups/a%2Fb/status", nil); rec.Code == http.StatusServiceUnavailable {
		t.Errorf("GET the status of group a%%2Fb: the fault for .../groups/* fired")
	}
	l := listJournal(t, h, "?path="+previewBase+"/groups/*")
	if len(l.Requests) != 1 || l.Requests[0].Path != previewBase+"/groups/a%2Fb" || l.Requests[0].Fault == "" {
		t.Errorf("journal filtered by .../groups/*: %+v, want the one request, its path escaped, with the fault", l.Requests)
	}
}

// Fault actions that would make broken HTTP are refused with 400.
func TestFaultActionsThatBreakHTTPAreRefused(t *testing.T) {
	srv := startInProcess(t, emulator.Options{})
	for _, rule := range []string{
		`{"Action":{"Status":101}}`,
		`{"Action":{"Status":100}}`,
		`{"Action":{"Status":200,"Headers":{"Content-Length":"5"}}}`,
		`{"Action":{"Headers":{"transfer-encoding":"chunked"}}}`,
		`{"Action":{"Status":204,"Body":{"a":1}}}`,
		`{"Action":{"Status":304,"Body":"x"}}`,
	} {
		rec := handle(srv.Handler(), http.MethodPost, "/_emulator/faults", []byte(rule))
		if rec.Code != http.StatusBadRequest {
			t.Errorf("POST rule %s: %d, want 400", rule, rec.Code)
		}
	}
	if rec := handle(srv.Handler(), http.MethodGet, "/_emulator/faults", nil); strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Errorf("rules after refusals: %s, want none", rec.Body)
	}
}

// The control API holds at most faults.MaxRules rules.
func TestFaultRulesAreBounded(t *testing.T) {
	srv := startInProcess(t, emulator.Options{})
	h := srv.Handler()
	for i := range faults.MaxRules {
		mustHandle(t, h, http.MethodPost, "/_emulator/faults", fmt.Sprintf(`{"Id":"r%d","Match":{"Tenant":"none"}}`, i))
	}
	rec := handle(h, http.MethodPost, "/_emulator/faults", []byte(`{"Match":{"Tenant":"none"}}`))
	if rec.Code != http.StatusBadRequest || !strings.Contains(reasonOf(rec.Body.Bytes()), fmt.Sprint(faults.MaxRules)) {
		t.Errorf("rule %d: %d %s, want 400 naming the bound", faults.MaxRules+1, rec.Code, rec.Body)
	}
}
