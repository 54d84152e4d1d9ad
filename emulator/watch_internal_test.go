package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/failover"
)

// On the real clock a silent primary is replaced when its timeout passes,
// with no request arriving: the watcher applies the lapse by itself.
func TestWatcherReplacesSilentPrimaryOnRealClock(t *testing.T) {
	srv, err := New(Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	base := "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups"
	do := func(method, path, body string) {
		t.Helper()
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
		if rec.Code >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
	}
	do(http.MethodPost, base, `{"Id":"g","FailoverTimeout":"00:00:00.2"}`)
	do(http.MethodPost, base+"/g/clientsessions", `{"Id":"s1"}`)
	do(http.MethodPost, base+"/g/clientsessions/s1/heartbeat", `{"FailoverStatus":100}`)

	// Events() reads what was recorded without catching up itself, so only
	// the watcher can have recorded the lapse.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		events, _ := srv.svc.Events()
		for _, e := range events {
			if e.Rule == failover.RuleLapsed && e.Session == "s1" {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the silent primary's lapse was never recorded")
}
