package emulator_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// A state program is a list of writes, each picked and shaped by bytes: the
// first byte of a write chooses its kind, the next ones its arguments, from
// small lists of values that include the edges (years 1 and 9999, the
// longest time-spans, ids differing in case). Bytes run out as zeros.
type stateProgram struct {
	data []byte
}

func (p *stateProgram) next() int {
	if len(p.data) == 0 {
		return 0
	}
	b := p.data[0]
	p.data = p.data[1:]
	return int(b)
}

func pick[T any](p *stateProgram, list []T) T { return list[p.next()%len(list)] }

var (
	fuzzBases     = []string{previewBase, gaBase, "/api/v1-preview/tenants/T/namespaces/N/clientfailover", "/api/v1/tenants/other/namespaces/n2/clientfailover"}
	fuzzGroups    = []string{"g", "G", "h", "group-\u00e9", "GROUP-\u00c9"}
	fuzzSessions  = []string{"s1", "S1", "s2", "s3"}
	fuzzTimeouts  = []string{"00:00:01", "00:00:30", "00:10:00", "1.00:00:00", "106751.23:47:16.8547758", "00:00:00.0000001"}
	fuzzNames     = []string{`null`, `"one"`, `"two"`, `"\u2028<>&"`}
	fuzzExtra     = []string{``, `,"AdditionalData":null`, `,"AdditionalData":{"a":[1,"2",null,{"b":true}]}`, `,"AdditionalData":{}`}
	fuzzScores    = []string{"0", "50", "100", "99.5"}
	fuzzInstants  = []string{"null", `"2026-01-01T00:00:00Z"`, `"0001-01-01T00:00:00Z"`, `"9999-12-31T23:59:59.9999999Z"`, `"9999-12-31T23:59:59+23:59"`, `"0001-01-01T00:00:00-23:59"`, `"2026-06-01T12:00:00.1234567+05:30"`}
	fuzzPeriods   = []string{"null", `"00:00:01"`, `"00:10:00"`, `"3650.00:00:00"`, `"106751.23:47:16.8547758"`}
	fuzzClockNows = []string{"2026-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:00:00Z", "9000-01-01T00:00:00Z", "2026-01-01T00:00:00.123456789+01:00"}
	fuzzAdvances  = []string{"00:00:00", "00:00:01", "00:00:31", "00:15:00", "1.00:00:00", "3650.00:00:00", "106751.23:47:16.8547758"}
	fuzzACLs      = []string{
		`{"RoleTrusteeAccessControlEntries":[]}`,
		`{"RoleTrusteeAccessControlEntries":null}`,
		`{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":3,"ObjectId":"r","TenantId":"t"},"AccessType":0,"AccessRights":31},{"Trustee":{"Type":1,"ObjectId":"u","TenantId":null},"AccessType":1,"AccessRights":2}]}`,
	}
)

// write is one request of a state program.
type write struct{ method, path, body string }

// nextWrite decodes one write. kind, when 0 or more, forces the kind.
func (p *stateProgram) nextWrite(kind int) write {
	k := p.next()
	if kind >= 0 {
		k = kind
	}
	base := pick(p, fuzzBases)
	group := base + "/groups/" + pick(p, fuzzGroups)
	session := group + "/clientsessions/" + pick(p, fuzzSessions)
	score := "FailoverStatus"
	if base == gaBase || base == fuzzBases[3] {
		score = "FailoverScore"
	}
	switch k % stateWriteKinds {
	case 0:
		return write{http.MethodPost, base + "/groups", fmt.Sprintf(`{"Id":%q,"Name":%s,"FailoverTimeout":%q%s}`,
			pick(p, fuzzGroups), pick(p, fuzzNames), pick(p, fuzzTimeouts), pick(p, fuzzExtra))}
	case 1:
		return write{http.MethodPut, group, fmt.Sprintf(`{"Name":%s,"Description":%s,"FailoverTimeout":%q%s}`,
			pick(p, fuzzNames), pick(p, fuzzNames), pick(p, fuzzTimeouts), pick(p, fuzzExtra))}
	case 2:
		return write{http.MethodDelete, group, ""}
	case 3:
		return write{http.MethodPost, group + "/clientsessions", fmt.Sprintf(`{"Id":%q,"Name":%s}`, pick(p, fuzzSessions), pick(p, fuzzNames))}
	case 4:
		return write{http.MethodDelete, session, ""}
	case 5:
		return write{http.MethodPost, session + "/heartbeat", fmt.Sprintf(`{%q:%s,"LastDataProcessedTime":%s,"HeartbeatTime":%s}`,
			score, pick(p, fuzzScores), pick(p, fuzzInstants), pick(p, fuzzInstants))}
	case 6:
		return write{http.MethodPost, session + "/roleoverride", fmt.Sprintf(`{"Value":%d,"ExpirationPeriod":%s}`, p.next()%2, pick(p, fuzzPeriods))}
	case 7:
		return write{http.MethodPut, group + "/accesscontrol", pick(p, fuzzACLs)}
	case 8:
		return write{http.MethodPut, "/api/v1/tenants/t/namespaces/n/accesscontrol/clientfailover/groups", pick(p, fuzzACLs)}
	case 9:
		return write{http.MethodPut, "/_emulator/clock", fmt.Sprintf(`{"Now":%q}`, pick(p, fuzzClockNows))}
	case 10:
		return write{http.MethodPost, "/_emulator/clock/advance", fmt.Sprintf(`{"By":%q}`, pick(p, fuzzAdvances))}
	default:
		return write{http.MethodPut, "/_emulator/config", fmt.Sprintf(`{"HeartbeatMinInterval":%q}`, pick(p, []string{"00:00:00", "00:00:05"}))}
	}
}

// stateWriteKinds is the number of kinds of write nextWrite knows.
const stateWriteKinds = 12

// checkStateRoundTrip fails unless GET /_emulator/state answers a fixture
// document that PUT /_emulator/state takes back, after which GET answers the
// same bytes.
func checkStateRoundTrip(t *testing.T, h http.Handler, after write) {
	t.Helper()
	first := handle(h, http.MethodGet, "/_emulator/state", nil)
	if first.Code != http.StatusOK {
		t.Fatalf("after %s %s %s: GET /_emulator/state: %d %s", after.method, after.path, after.body, first.Code, first.Body)
	}
	if _, err := fixture.Parse(bytes.NewReader(first.Body.Bytes())); err != nil {
		t.Fatalf("after %s %s %s: GET /_emulator/state is not a fixture document: %v\n%s", after.method, after.path, after.body, err, first.Body)
	}
	if put := handle(h, http.MethodPut, "/_emulator/state", first.Body.Bytes()); put.Code != http.StatusNoContent {
		t.Fatalf("after %s %s %s: PUT /_emulator/state of what GET answered: %d %s\n%s", after.method, after.path, after.body, put.Code, put.Body, first.Body)
	}
	second := handle(h, http.MethodGet, "/_emulator/state", nil)
	if !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) {
		t.Fatalf("after %s %s %s: the state changed on a round trip:\nfirst:  %s\nsecond: %s", after.method, after.path, after.body, first.Body, second.Body)
	}
}

// FuzzStateRoundTrip drives random writes of every kind (groups, sessions,
// heartbeats, overrides, access control lists, clock moves, settings)
// through the HTTP handler. No answer is a 5xx; a refused write changes
// nothing; after every accepted one the state round-trips: GET
// /_emulator/state, PUT it back, GET again, equal. The seeds cover each
// kind of write; more are in testdata/fuzz/FuzzStateRoundTrip.
func FuzzStateRoundTrip(f *testing.F) {
	for kind := range stateWriteKinds {
		f.Add([]byte{0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 2, 3, 3, byte(kind), 0, 1, 1, 1, 1, 1, 1, 1, 1})
	}
	f.Add([]byte{9, 0, 0, 0, 3, 5, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 2, 2, 3, 6, 0, 0, 0, 1, 4, 10, 0, 0, 0, 1})
	srv := startInProcess(f, emulator.Options{ClockStart: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	h := srv.Handler()
	var mu sync.Mutex // one input at a time on the shared server
	f.Fuzz(func(t *testing.T, data []byte) {
		mu.Lock()
		defer mu.Unlock()
		mustHandle(t, h, http.MethodPost, "/_emulator/reset", "")
		p := &stateProgram{data: data}
		for range 32 {
			if len(p.data) == 0 {
				return
			}
			w := p.nextWrite(-1)
			before := handle(h, http.MethodGet, "/_emulator/state", nil)
			rec := handle(h, w.method, w.path, []byte(w.body))
			switch {
			case rec.Code >= 500:
				t.Fatalf("%s %s %s: %d %s", w.method, w.path, w.body, rec.Code, rec.Body)
			case rec.Code >= 400:
				if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
					t.Fatalf("%s %s %s: %d: %s", w.method, w.path, w.body, rec.Code, p)
				}
				if after := handle(h, http.MethodGet, "/_emulator/state", nil); !bytes.Equal(before.Body.Bytes(), after.Body.Bytes()) {
					t.Fatalf("%s %s %s: refused with %d but the state changed:\nbefore: %s\nafter:  %s", w.method, w.path, w.body, rec.Code, before.Body, after.Body)
				}
			default:
				checkStateRoundTrip(t, h, w)
			}
		}
	})
}

// Every kind of write, once accepted, leaves a state that round-trips.
func TestStateRoundTripsAfterEveryKindOfWrite(t *testing.T) {
	// Bytes after the kind: base, group, session, then the write's own
	// arguments; zero picks the first value of a list (the preview
	// revision, group g, session s1...). Group h has no sessions.
	args := map[int][]byte{
		0: {0, 0, 0, 3, 1, 2, 2}, // Post Group "group-é"
		2: {0, 2, 0},             // Delete Group h
		3: {0, 0, 0, 3, 1},       // Post Client Session s3
		5: {0, 0, 0, 2, 3, 6},    // heartbeat at the year's edges
		6: {1, 0, 0, 1, 4},       // a long override through /api/v1
		9: {0, 0, 0, 5},          // the clock set with an offset
	}
	for kind := range stateWriteKinds {
		t.Run(fmt.Sprint(kind), func(t *testing.T) {
			srv := startInProcess(t, emulator.Options{ClockStart: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
			h := srv.Handler()
			setupBaseState(t, srv)
			mustHandle(t, h, http.MethodPost, previewBase+"/groups/g/clientsessions/s2/heartbeat", `{"FailoverStatus":90,"LastDataProcessedTime":"9999-12-31T23:59:59.9999999Z"}`)
			mustHandle(t, h, http.MethodPost, previewBase+"/groups", `{"Id":"h","FailoverTimeout":"00:01:00"}`)
			w := (&stateProgram{data: append([]byte{0}, args[kind]...)}).nextWrite(kind)
			rec := handle(h, w.method, w.path, []byte(w.body))
			if rec.Code >= 300 {
				t.Fatalf("%s %s %s: %d %s, want it accepted", w.method, w.path, w.body, rec.Code, rec.Body)
			}
			checkStateRoundTrip(t, h, w)
		})
	}
}
