package emulator_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// Instants outside years 1 to 9999 (after the offset is applied) are
// refused with 400 wherever they can come in, and change nothing; so
// GET /_emulator/state always answers a fixture document.
func TestDatesOutsideYears1To9999AreRefused(t *testing.T) {
	lastHour := time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		method, path string
		body         string
	}{
		{"heartbeat LastDataProcessedTime past year 9999 by its offset", http.MethodPost, previewBase + "/groups/g/clientsessions/s1/heartbeat",
			`{"FailoverStatus":100,"LastDataProcessedTime":"9999-12-31T23:59:59-23:59"}`},
		{"heartbeat HeartbeatTime before year 1 by its offset", http.MethodPost, gaBase + "/groups/g/clientsessions/s1/heartbeat",
			`{"FailoverScore":100,"HeartbeatTime":"0001-01-01T00:00:00+00:01"}`},
		{"clock set past year 9999 by an offset", http.MethodPut, "/_emulator/clock", `{"Now":"9999-12-31T23:59:59-23:59"}`},
		{"clock set before year 1 by an offset", http.MethodPut, "/_emulator/clock", `{"Now":"0001-01-01T00:00:00+01:00","Mode":"manual"}`},
		{"clock advanced past year 9999", http.MethodPost, "/_emulator/clock/advance", `{"By":"01:00:00"}`},
		{"clock advanced far past year 9999", http.MethodPost, "/_emulator/clock/advance", `{"By":"106751.23:47:16.8547758"}`},
		{"role override expiring after year 9999", http.MethodPost, previewBase + "/groups/g/clientsessions/s1/roleoverride",
			`{"Value":1,"ExpirationPeriod":"1.00:00:00"}`},
		{"state with a heartbeat received after year 9999", http.MethodPut, "/_emulator/state",
			`{"Namespaces":[{"TenantId":"t","NamespaceId":"n","Groups":[{"Id":"g","Name":null,"Description":null,"FailoverTimeout":"00:00:30",
			"Sessions":[{"Id":"s1","Name":null,"Role":0,"Override":0,"Heartbeat":{"FailoverStatus":1,"LastDataProcessedTime":null,"HeartbeatTime":null},"LastHeartbeatReceived":"9999-12-31T23:59:59-23:59"}]}]}]}`},
		{"state with a session created before year 1", http.MethodPut, "/_emulator/state",
			`{"Namespaces":[{"TenantId":"t","NamespaceId":"n","Groups":[{"Id":"g","Name":null,"Description":null,"FailoverTimeout":"00:00:30",
			"Sessions":[{"Id":"s1","Name":null,"Role":0,"Override":0,"Created":"0000-06-01T00:00:00Z"}]}]}]}`},
		{"state with a group's LastDataProcessedTime in year 0", http.MethodPut, "/_emulator/state",
			`{"Namespaces":[{"TenantId":"t","NamespaceId":"n","Groups":[{"Id":"g","Name":null,"Description":null,"FailoverTimeout":"00:00:30","LastDataProcessedTime":"0000-12-31T23:59:59Z"}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startInProcess(t, emulator.Options{ClockStart: lastHour})
			setupBaseState(t, srv)
			ctx := context.Background()
			before := srv.State(ctx)
			now := srv.Clock().Now()

			rec := handle(srv.Handler(), tt.method, tt.path, []byte(tt.body))
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("%s %s: got %d, want 400: %s", tt.method, tt.path, rec.Code, rec.Body)
			}
			if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
				t.Error(p)
			}
			if same, diff := sameState(before, srv.State(ctx)); !same {
				t.Errorf("the refused request changed the state:\n%s", diff)
			}
			if got := srv.Clock().Now(); !got.Equal(now) {
				t.Errorf("the clock moved from %v to %v", now, got)
			}
			st := handle(srv.Handler(), http.MethodGet, "/_emulator/state", nil)
			if st.Code != http.StatusOK {
				t.Fatalf("GET /_emulator/state: %d %s", st.Code, st.Body)
			}
			if _, err := fixture.Parse(bytes.NewReader(st.Body.Bytes())); err != nil {
				t.Errorf("GET /_emulator/state is not a fixture document: %v\n%s", err, st.Body)
			}
		})
	}
}

// The last tick of year 9999 is a date-time like any other.
func TestTheLastTickOfYear9999IsAccepted(t *testing.T) {
	srv := startInProcess(t, emulator.Options{ClockStart: time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)})
	setupBaseState(t, srv)
	h := srv.Handler()
	mustHandle(t, h, http.MethodPost, previewBase+"/groups/g/clientsessions/s1/heartbeat",
		`{"FailoverStatus":100,"LastDataProcessedTime":"9999-12-31T23:59:59.9999999Z","HeartbeatTime":"9999-12-31T22:59:59.9999999-01:00"}`)
	mustHandle(t, h, http.MethodPost, previewBase+"/groups/g/clientsessions/s1/roleoverride", `{"Value":1,"ExpirationPeriod":"00:59:59.9999999"}`)
	mustHandle(t, h, http.MethodPut, "/_emulator/clock", `{"Now":"9999-12-31T23:59:59.9999999Z"}`)
	st := mustHandle(t, h, http.MethodGet, "/_emulator/state", "")
	mustHandle(t, h, http.MethodPut, "/_emulator/state", st.Body.String())
	if again := mustHandle(t, h, http.MethodGet, "/_emulator/state", ""); again.Body.String() != st.Body.String() {
		t.Errorf("the state changed on a round trip:\n%s\n%s", st.Body, again.Body)
	}
}

// A clock start outside years 1 to 9999 is an error of New.
func TestClockStartOutsideYears1To9999(t *testing.T) {
	for _, at := range []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)} {
		if srv, err := emulator.New(emulator.Options{NoListener: true, ClockStart: at}); err == nil {
			srv.Close()
			t.Errorf("New with ClockStart %v: no error", at)
		}
	}
}
