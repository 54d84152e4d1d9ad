package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
)

// Every control-API body is read as strictly as a fixture file: null,
// trailing data, an unknown property or a value of the wrong type is a 400
// that names the problem, and nothing changes (clock, settings, fault rules,
// state).
func TestControlBodiesAreStrict(t *testing.T) {
	tests := []struct {
		method, path, body string
		mention            string // the error names this
	}{
		{http.MethodPut, "/_emulator/clock", `null`, "null"},
		{http.MethodPut, "/_emulator/clock", `{"Now":"2030-01-01T00:00:00Z"} x`, "unexpected data after the JSON object"},
		{http.MethodPut, "/_emulator/clock", `{"Now":"2030-01-01T00:00:00Z"}{}`, "unexpected data after the JSON object"},
		{http.MethodPut, "/_emulator/clock", `{"Nw":"2030-01-01T00:00:00Z"}`, `"Nw"`},
		{http.MethodPut, "/_emulator/clock", `{"Now":20300101}`, "Now must be a string"},
		{http.MethodPut, "/_emulator/clock", `[]`, "an array"},
		{http.MethodPut, "/_emulator/clock", ``, "empty"},
		{http.MethodPost, "/_emulator/clock/advance", `null`, "null"},
		{http.MethodPost, "/_emulator/clock/advance", `{"By":"00:01:00"} x`, "unexpected data"},
		{http.MethodPost, "/_emulator/clock/advance", `{"By":"00:01:00","Bye":1}`, `"Bye"`},
		{http.MethodPost, "/_emulator/clock/advance", `{"By":60}`, "By must be a string"},
		{http.MethodPut, "/_emulator/config", `{"HeartbeatMinIntervall":"5s"}`, "HeartbeatMinIntervall"},
		{http.MethodPut, "/_emulator/config", `{"HeartbeatMinInterval":"5s"} x`, "unexpected data"},
		{http.MethodPut, "/_emulator/config", `null`, "null"},
		{http.MethodPut, "/_emulator/config", `{"Auth":true}`, "Auth must be a string"},
		{http.MethodPost, "/_emulator/faults", `null`, "null"},
		{http.MethodPost, "/_emulator/faults", `{"Action":{"Status":503}} x`, "unexpected data"},
		{http.MethodPost, "/_emulator/faults", `{"Action":{"Stauts":503}}`, `"Stauts"`},
		{http.MethodPost, "/_emulator/faults", `{"Times":"3"}`, "Times must be an integer"},
		{http.MethodPut, "/_emulator/state", `null`, "null"},
		{http.MethodPut, "/_emulator/state", `{"Namespaces":[]} x`, "unexpected data"},
		{http.MethodPut, "/_emulator/state", `{"Namespaces":[]} ]`, "unexpected data"},
		{http.MethodPut, "/_emulator/state", `{"Namespace":[]}`, `"Namespace"`},
		{http.MethodPut, "/_emulator/state", `{"Namespaces":{}}`, "Namespaces must be an array"},
		{http.MethodPut, "/_emulator/state", `{"Namespaces":[{"TenantId":"t","NamespaceId":"n","Groups":[{"Id":"x","FailoverTimeout":"00:01:00","AdditionalData":"text"}]}]}`, "AdditionalData must be a JSON object or null"},
		{http.MethodPut, "/_emulator/state", `{"Namespaces":[{"TenantId":"t","NamespaceId":"n","Groups":[{"Id":"x","FailoverTimeout":"00:01:00","AdditionalData":[1]}]}]}`, "AdditionalData must be a JSON object or null"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.body, func(t *testing.T) {
			srv := startInProcess(t, emulator.Options{})
			setupBaseState(t, srv)
			h := srv.Handler()
			before := srv.State(context.Background())
			clockBefore := handle(h, http.MethodGet, "/_emulator/clock", nil).Body.String()
			configBefore := handle(h, http.MethodGet, "/_emulator/config", nil).Body.String()

			rec := handle(h, tt.method, tt.path, []byte(tt.body))
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("got %d, want 400: %s", rec.Code, rec.Body)
			}
			if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
				t.Error(p)
			}
			if reason := reasonOf(rec.Body.Bytes()); !strings.Contains(reason, tt.mention) {
				t.Errorf("the Reason %q does not mention %q", reason, tt.mention)
			}
			if same, diff := sameState(before, srv.State(context.Background())); !same {
				t.Errorf("the state changed:\n%s", diff)
			}
			if got := handle(h, http.MethodGet, "/_emulator/clock", nil).Body.String(); got != clockBefore {
				t.Errorf("the clock changed: %s, was %s", got, clockBefore)
			}
			if got := handle(h, http.MethodGet, "/_emulator/config", nil).Body.String(); got != configBefore {
				t.Errorf("the settings changed: %s, were %s", got, configBefore)
			}
			if got := handle(h, http.MethodGet, "/_emulator/faults", nil).Body.String(); strings.TrimSpace(got) != "[]" {
				t.Errorf("fault rules: %s, want none", got)
			}
		})
	}
}

// A query parameter on a control endpoint that takes none is a 400 that
// names it.
func TestControlQueriesAreStrict(t *testing.T) {
	srv := startInProcess(t, emulator.Options{})
	for _, tt := range []struct{ method, path, body, name string }{
		{http.MethodGet, "/_emulator/clock?mode=real", "", "mode"},
		{http.MethodGet, "/_emulator/state?pretty=1", "", "pretty"},
		{http.MethodPut, "/_emulator/config?dry=1", `{"HeartbeatMinInterval":"5s"}`, "dry"},
		{http.MethodPost, "/_emulator/reset?keep=faults", "", "keep"},
		{http.MethodGet, "/_emulator/faults?id=x", "", "id"},
		{http.MethodDelete, "/_emulator/requests?status=500", "", "status"},
		{http.MethodGet, "/_emulator/events?group=g", "", "group"},
		{http.MethodGet, "/_emulator/health?x", "", "x"},
	} {
		rec := handle(srv.Handler(), tt.method, tt.path, []byte(tt.body))
		if rec.Code != http.StatusBadRequest || !strings.Contains(reasonOf(rec.Body.Bytes()), `"`+tt.name+`"`) {
			t.Errorf("%s %s: %d %s, want 400 naming %q", tt.method, tt.path, rec.Code, rec.Body, tt.name)
		}
	}
	if got := handle(srv.Handler(), http.MethodGet, "/_emulator/config", nil).Body.String(); !strings.Contains(got, `"00:00:00"`) {
		t.Errorf("a refused PUT /_emulator/config?dry=1 changed the settings: %s", got)
	}
}

// reasonOf is the Reason of an ErrorResponse body.
func reasonOf(body []byte) string {
	var e struct{ Reason string }
	_ = json.Unmarshal(body, &e)
	return e.Reason
}
