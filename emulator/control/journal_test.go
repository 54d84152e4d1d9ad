package control_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/control"
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

func TestRequestsPagingAndCount(t *testing.T) {
	c, srv := newClient(t, emulator.Options{JournalSize: 8})
	ctx := t.Context()
	const gaAPI = "/api/v1/tenants/T1/namespaces/n1/clientfailover"
	for i := range 10 { // Seqs 1 to 10; the journal keeps 3 to 10
		path := api + "/groups/missing"
		if i%2 == 1 {
			path = gaAPI + "/groups/missing"
		}
		mustAPI(t, srv, http.StatusNotFound, http.MethodGet, path, nil)
	}

	page, dropped, err := c.Requests(ctx, journal.Filter{}, control.Limit(3))
	if err != nil || !slices.Equal(entrySeqs(page), []uint64{3, 4, 5}) || dropped != 2 {
		t.Fatalf("first page: %v, dropped %d, %v; want [3 4 5], 2", entrySeqs(page), dropped, err)
	}
	page, _, err = c.Requests(ctx, journal.Filter{}, control.After(5), control.Limit(3))
	if err != nil || !slices.Equal(entrySeqs(page), []uint64{6, 7, 8}) {
		t.Fatalf("second page: %v, %v; want [6 7 8]", entrySeqs(page), err)
	}
	all, _, err := c.Requests(ctx, journal.Filter{Surface: journal.SurfaceV1}, control.After(4))
	if err != nil || !slices.Equal(entrySeqs(all), []uint64{6, 8, 10}) {
		t.Fatalf("v1 after 4: %v, %v; want [6 8 10]", entrySeqs(all), err)
	}
	if all[0].Surface != journal.SurfaceV1 || all[0].Tenant != "T1" {
		t.Errorf("entry %d: Surface %q Tenant %q, want v1, T1", all[0].Seq, all[0].Surface, all[0].Tenant)
	}

	tests := []struct {
		filter journal.Filter
		want   int
	}{
		{journal.Filter{}, 8},
		{journal.Filter{Tenant: "t1"}, 8},
		{journal.Filter{Tenant: "t1", Surface: journal.SurfacePreview}, 4},
		{journal.Filter{Namespace: "other"}, 0},
		{journal.Filter{Status: http.StatusNotFound, Operation: operation.GetGroupConfiguration}, 8},
	}
	for _, tt := range tests {
		if n, err := c.CountRequests(ctx, tt.filter); err != nil || n != tt.want {
			t.Errorf("CountRequests(%+v) = %d, %v; want %d", tt.filter, n, err, tt.want)
		}
	}
	if _, err := c.CountRequests(ctx, journal.Filter{Surface: "cloud"}); statusOf(err) != http.StatusBadRequest {
		t.Errorf("CountRequests with an unknown surface: %v, want a 400 *APIError", err)
	}
}
