package control_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/faults"
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/operation"
)

func TestRequests(t *testing.T) {
	c, srv := newClient(t, emulator.Options{})
	ctx := t.Context()

	group := map[string]any{"Id": "g1", "FailoverTimeout": "00:00:30"}
	mustAPI(t, srv, http.StatusCreated, http.MethodPost, api+"/groups", group)
	mustAPI(t, srv, http.StatusOK, http.MethodGet, api+"/groups/g1", nil)
	mustAPI(t, srv, http.StatusNotFound, http.MethodGet, api+"/groups/missing", nil)
	if _, err := c.AddFault(ctx, faults.Rule{ID: "cut", Match: faults.Match{Operation: operation.GetInformation}, Action: faults.Action{Drop: true}}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	if _, _, _, err := tryAPI(ctx, srv, http.MethodGet, api, nil); err == nil {
		t.Fatalf("GET %s: the connection was not dropped", api)
	}

	all, dropped, err := c.Requests(ctx, journal.Filter{})
	if err != nil {
		t.Fatalf("Requests: %v", err)
	}
	if len(all) != 4 || dropped != 0 {
		t.Fatalf("Requests: got %d entries (dropped %d), want 4 (0)", len(all), dropped)
	}
	post := all[0]
	wantBody, _ := json.Marshal(group)
	if post.Seq != 1 || post.Method != http.MethodPost || post.Path != api+"/groups" || post.Operation != operation.PostGroup ||
		post.Tenant != "t1" || post.Namespace != "n1" || post.Status != http.StatusCreated || !post.Time.Equal(start) ||
		string(post.RequestBody) != string(wantBody) || post.Fault != "" {
		t.Errorf("Requests[0]: got %+v, want Seq 1, POST %s/groups, PostGroup, t1/n1, 201 at %v with body %s", post, api, start, wantBody)
	}
	if last := all[3]; last.Status != 0 || last.Fault != "cut" {
		t.Errorf("Requests[3]: got status %d fault %q, want the dropped request (0, cut)", last.Status, last.Fault)
	}

	tests := []struct {
		name    string
		filter  journal.Filter
		wantSeq []uint64
	}{
		{"operation", journal.Filter{Operation: operation.PostGroup}, []uint64{1}},
		{"method", journal.Filter{Method: "get"}, []uint64{2, 3, 4}},
		{"path glob", journal.Filter{Path: api + "/groups/*"}, []uint64{2, 3}},
		{"status", journal.Filter{Status: http.StatusNotFound}, []uint64{3}},
		{"dropped", journal.Filter{Status: journal.StatusDropped}, []uint64{4}},
		{"every field", journal.Filter{Operation: operation.GetGroupConfiguration, Method: "GET", Path: "/api/**", Status: 200}, []uint64{2}},
		{"nothing matches", journal.Filter{Operation: operation.DeleteGroup}, []uint64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := c.Requests(t.Context(), tt.filter)
			if err != nil {
				t.Fatalf("Requests(%+v): %v", tt.filter, err)
			}
			if seqs := entrySeqs(got); !slices.Equal(seqs, tt.wantSeq) {
				t.Errorf("Requests(%+v): got Seq %v, want %v", tt.filter, seqs, tt.wantSeq)
			}
		})
	}

	if _, _, err := c.Requests(ctx, journal.Filter{Operation: "postgroup"}); statusOf(err) != http.StatusBadRequest {
		t.Errorf("Requests with an unknown operation: got %v, want a 400 *APIError", err)
	}

	if err := c.ClearRequests(ctx); err != nil {
		t.Fatalf("ClearRequests: %v", err)
	}
	if got, _, err := c.Requests(ctx, journal.Filter{}); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Requests after ClearRequests: got %v, %v, want an empty list", got, err)
	}
	mustAPI(t, srv, http.StatusOK, http.MethodGet, api+"/groups/g1", nil)
	if got, _, err := c.Requests(ctx, journal.Filter{}); err != nil || !slices.Equal(entrySeqs(got), []uint64{5}) {
		t.Errorf("Requests after a new call: got Seq %v, %v, want [5] (Seq goes on across a clear)", entrySeqs(got), err)
	}
}

func entrySeqs(entries []journal.Entry) []uint64 {
	seqs := make([]uint64, len(entries))
	for i, e := range entries {
		seqs[i] = e.Seq
	}
	return seqs
}
