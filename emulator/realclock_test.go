package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
)

// The failover story works on the real clock too: a silent primary is
// replaced after FailoverTimeout of wall time. Nothing here asserts a
// timing; the test waits (with a generous limit) for states to be reached.
func TestFailoverStoryOnTheRealClock(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a real FailoverTimeout: skipped with -short")
	}
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	group := srv.URL() + "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups/g"
	send := func(method, url, body string) map[string]any {
		t.Helper()
		code, text := post(method, url, body)
		if code >= 300 {
			t.Fatalf("%s %s: %d %s", method, url, code, text)
		}
		var v map[string]any
		_ = json.Unmarshal([]byte(text), &v)
		return v
	}
	heartbeat := func(id string) map[string]any {
		return send(http.MethodPost, group+"/clientsessions/"+id+"/heartbeat", `{"FailoverStatus":100}`)
	}
	send(http.MethodPut, group, `{"FailoverTimeout":"00:00:02"}`)
	send(http.MethodPost, group+"/clientsessions", `{"Id":"a"}`)
	send(http.MethodPost, group+"/clientsessions", `{"Id":"b"}`)
	if role := heartbeat("a")["Role"]; role != 1.0 {
		t.Fatalf("a: role %v, want Primary (1)", role)
	}
	// a goes silent; b keeps sending well within the timeout until the
	// emulator tells it that it is PendingPrimary.
	deadline := time.Now().Add(30 * time.Second)
	for heartbeat("b")["Role"] != 2.0 {
		if time.Now().After(deadline) {
			t.Fatal("b was never told it is PendingPrimary after a went silent")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if role := heartbeat("b")["Role"]; role != 1.0 {
		t.Fatalf("b after being told: role %v, want Primary (1)", role)
	}
	// a comes back with an equal score: it stays Secondary.
	if role := heartbeat("a")["Role"]; role != 0.0 {
		t.Fatalf("a back: role %v, want Secondary (0)", role)
	}
	// An operator forces a to Primary.
	send(http.MethodPost, group+"/clientsessions/a/roleoverride", `{"Value":1,"ExpirationPeriod":"00:10:00"}`)
	status := send(http.MethodGet, group+"/status", "")
	if status["Primary"] != "a" {
		t.Fatalf("after the override: status %v, want a as Primary", status)
	}
	events := send(http.MethodGet, srv.URL()+"/_emulator/events", "")["Events"].([]any)
	var rules []string
	for _, e := range events {
		rules = append(rules, e.(map[string]any)["Rule"].(string))
	}
	if got := strings.Join(rules, " "); got != "FirstPrimary Lapsed NoPrimary HandOver Override Override" {
		t.Errorf("rules of the events: %s", got)
	}
}
