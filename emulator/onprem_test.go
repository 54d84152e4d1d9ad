package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
)

const onprem = "/api/v1/clientfailover"

// The on-premises surface is its own scope of the same state: a group made
// there is not seen by any tenant, a tenant's group of the same Id is
// another group, and both fail over with the same engine.
func TestOnPremisesIsItsOwnScope(t *testing.T) {
	srv := newServer(t) // group g in tenant t, namespace n, with s1 Primary
	for _, r := range []struct {
		method, path, body string
		want               int
	}{
		{http.MethodGet, onprem + "/groups/g", "", http.StatusNotFound},
		{http.MethodPost, onprem + "/groups", `{"Id":"g","FailoverTimeout":"00:01:00"}`, http.StatusCreated},
		{http.MethodPost, "/api/v1/ClientFailover/Groups/G/clientSessions/", `{"Id":"adapter-1"}`, http.StatusCreated},
		{http.MethodPost, onprem + "/groups/g/clientsessions/adapter-1/heartbeat", `{"FailoverScore":100}`, http.StatusOK},
		{http.MethodGet, onprem, "", http.StatusOK},
		{http.MethodGet, onprem + "/groups/g/accesscontrol", "", http.StatusNotFound},
		{http.MethodGet, "/api/v1/accesscontrol/clientfailover/groups", "", http.StatusNotFound},
	} {
		if rec := serve(srv, r.method, r.path, r.body); rec.Code != r.want {
			t.Fatalf("%s %s: %d %s, want %d", r.method, r.path, rec.Code, rec.Body, r.want)
		}
	}
	var status struct{ Primary *string }
	rec := serve(srv, http.MethodGet, onprem+"/groups/g/status", "")
	if err := json.Unmarshal(rec.Body.Bytes(), &status); err != nil || status.Primary == nil || *status.Primary != "adapter-1" {
		t.Fatalf("on-premises status: %s, want adapter-1 Primary", rec.Body)
	}
	rec = serve(srv, http.MethodGet, preview+"/groups/g/status", "")
	if err := json.Unmarshal(rec.Body.Bytes(), &status); err != nil || status.Primary == nil || *status.Primary != "s1" {
		t.Fatalf("cloud status: %s, want s1 Primary (untouched)", rec.Body)
	}
	rec = serve(srv, http.MethodGet, preview+"/groups", "")
	var list []struct{ Id string }
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list) != 1 {
		t.Fatalf("tenant's groups: %s, want only its own", rec.Body)
	}
	doc := srv.State(context.Background())
	if doc.OnPremises == nil || len(doc.OnPremises.Groups) != 1 || len(doc.Namespaces) != 1 {
		t.Fatalf("state: on-premises %+v, %d namespaces; want one group in each", doc.OnPremises, len(doc.Namespaces))
	}
	if g := doc.OnPremises.Groups[0]; g.AccessControl != nil || g.Owner != nil {
		t.Errorf("an on-premises group carries AccessControl or Owner: %+v", g)
	}
	// The state round-trips through a new emulator.
	other, err := emulator.New(emulator.Options{NoListener: true, Clock: clock.Manual})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.SetState(doc); err != nil {
		t.Fatal(err)
	}
	if got := other.State(context.Background()); !jsonEqual(doc, got) {
		t.Errorf("state after a round trip differs:\n got %+v\nwant %+v", got.OnPremises, doc.OnPremises)
	}
}
