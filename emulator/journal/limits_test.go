package journal

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func seqs(entries []Entry) []uint64 {
	out := []uint64{}
	for _, e := range entries {
		out = append(out, e.Seq)
	}
	return out
}

// The journal holds at most Limits.Bytes: the oldest entries go first, and
// the drop count says how many went.
func TestBoundedInBytes(t *testing.T) {
	body := json.RawMessage(`"` + strings.Repeat("x", 998) + `"`) // 1,000 bytes
	per := (&Entry{Path: "/p", RequestBody: body}).Size()
	j := New(Limits{Bytes: 3 * per})
	for range 5 {
		j.Record(Entry{Path: "/p", RequestBody: body})
	}
	got, dropped := j.List(Filter{})
	if want := []uint64{3, 4, 5}; !slices.Equal(seqs(got), want) || dropped != 2 {
		t.Errorf("after 5 entries of %d bytes in a journal of %d: Seqs %v dropped %d, want %v dropped 2", per, 3*per, seqs(got), dropped, want)
	}
	// A bigger entry pushes out as many old ones as it needs.
	big := json.RawMessage(`"` + strings.Repeat("y", 1998) + `"`)
	j.Record(Entry{Path: "/p", RequestBody: big})
	got, dropped = j.List(Filter{})
	if want := []uint64{5, 6}; !slices.Equal(seqs(got), want) || dropped != 4 {
		t.Errorf("after a 2,000-byte entry: Seqs %v dropped %d, want %v dropped 4", seqs(got), dropped, want)
	}
	if j.bytes > 3*per {
		t.Errorf("the journal holds %d bytes, over its bound %d", j.bytes, 3*per)
	}
	j.Clear()
	if j.bytes != 0 || j.count != 0 {
		t.Errorf("after Clear: %d bytes in %d entries", j.bytes, j.count)
	}
}

func TestLimits(t *testing.T) {
	if got := New(Limits{}).Limits(); got != (Limits{Entries: DefaultMaxEntries, Body: DefaultMaxBody, Bytes: DefaultMaxBytes}) {
		t.Errorf("defaults = %+v", got)
	}
	if got := New(Limits{Body: 1 << 20, Bytes: 1 << 10}).Limits(); got.Body != 1<<10 {
		t.Errorf("Body %d over Bytes %d: want it cut to Bytes", got.Body, got.Bytes)
	}
}

// Ignored property names count against the bytes and are kept up to the
// body limit.
func TestIgnoredPropertiesAreBounded(t *testing.T) {
	j := New(Limits{Body: 10})
	j.Record(Entry{IgnoredProperties: []string{"Aaaa", "Bbbb", "Cccc"}})
	got, _ := j.List(Filter{})
	if want := []string{"Aaaa", "Bbbb"}; !slices.Equal(got[0].IgnoredProperties, want) {
		t.Errorf("IgnoredProperties = %q, want %q (10 bytes of names)", got[0].IgnoredProperties, want)
	}
}

func TestListPage(t *testing.T) {
	j := New(Limits{Entries: 6})
	for i := range 8 { // Seqs 1 to 8; 1 and 2 are dropped
		method := "GET"
		if i%2 == 1 {
			method = "POST"
		}
		j.Record(Entry{Method: method, Path: "/x"})
	}
	tests := []struct {
		name      string
		filter    Filter
		after     uint64
		limit     int
		wantSeqs  []uint64
		wantNext  uint64
		wantCount int
	}{
		{name: "all", wantSeqs: []uint64{3, 4, 5, 6, 7, 8}, wantCount: 6},
		{name: "first page", limit: 4, wantSeqs: []uint64{3, 4, 5, 6}, wantNext: 6},
		{name: "next page", after: 6, limit: 4, wantSeqs: []uint64{7, 8}},
		{name: "page that ends exactly", after: 4, limit: 4, wantSeqs: []uint64{5, 6, 7, 8}},
		{name: "after a dropped Seq", after: 1, limit: 2, wantSeqs: []uint64{3, 4}, wantNext: 4},
		{name: "after the last", after: 8, wantSeqs: []uint64{}},
		{name: "far after the last", after: 1 << 60, wantSeqs: []uint64{}},
		{name: "filtered pages", filter: Filter{Method: "POST"}, limit: 2, wantSeqs: []uint64{4, 6}, wantNext: 6, wantCount: 3},
		{name: "filtered, next page", filter: Filter{Method: "POST"}, after: 6, limit: 2, wantSeqs: []uint64{8}, wantCount: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := j.ListPage(tt.filter, tt.after, tt.limit)
			if !slices.Equal(seqs(p.Entries), tt.wantSeqs) || p.Next != tt.wantNext || p.Dropped != 2 {
				t.Errorf("ListPage(%+v, %d, %d) = Seqs %v Next %d Dropped %d, want %v, %d, 2", tt.filter, tt.after, tt.limit, seqs(p.Entries), p.Next, p.Dropped, tt.wantSeqs, tt.wantNext)
			}
			if tt.wantCount != 0 {
				if got := j.Count(tt.filter); got != tt.wantCount {
					t.Errorf("Count(%+v) = %d, want %d", tt.filter, got, tt.wantCount)
				}
			}
		})
	}
	if n := j.Count(Filter{Path: "/x*"}); n != 0 {
		t.Errorf("Count with a bad pattern = %d, want 0", n)
	}
}

// View hands out the journal's own bodies (no copy); ListPage copies.
func TestViewSharesBodies(t *testing.T) {
	j := New(Limits{})
	j.Record(Entry{RequestBody: json.RawMessage(`{"A":1}`)})
	v, l := j.View(Filter{}, 0, 0), j.ListPage(Filter{}, 0, 0)
	if &v.Entries[0].RequestBody[0] != &j.entries[0].RequestBody[0] {
		t.Error("View copied the body")
	}
	if &l.Entries[0].RequestBody[0] == &j.entries[0].RequestBody[0] {
		t.Error("ListPage shares the body")
	}
}

func TestFilterByTenantNamespaceSurface(t *testing.T) {
	j := New(Limits{})
	j.Record(Entry{Tenant: "contoso", Namespace: "prod", Surface: SurfacePreview})
	j.Record(Entry{Tenant: "CONTOSO", Namespace: "Prod", Surface: SurfaceV1})
	j.Record(Entry{Tenant: "conto\u017fo", Namespace: "prod", Surface: SurfaceV1})
	j.Record(Entry{Surface: SurfaceOnPrem})
	j.Record(Entry{})
	tests := []struct {
		filter Filter
		want   []uint64
	}{
		{Filter{Tenant: "Contoso"}, []uint64{1, 2}},
		{Filter{Tenant: "conto\u017fo"}, []uint64{3}},
		{Filter{Namespace: "PROD"}, []uint64{1, 2, 3}},
		{Filter{Tenant: "contoso", Namespace: "prod", Surface: "V1"}, []uint64{2}},
		{Filter{Surface: SurfaceOnPrem}, []uint64{4}},
	}
	for _, tt := range tests {
		if got, _ := j.List(tt.filter); !slices.Equal(seqs(got), tt.want) {
			t.Errorf("List(%+v) = %v, want %v", tt.filter, seqs(got), tt.want)
		}
		if got := j.Count(tt.filter); got != len(tt.want) {
			t.Errorf("Count(%+v) = %d, want %d", tt.filter, got, len(tt.want))
		}
	}
}

func TestParseListQuery(t *testing.T) {
	tests := []struct {
		query     string
		want      Filter
		wantAfter uint64
		wantLimit int
		wantErr   string
	}{
		{query: ""},
		{query: "after=5&limit=10&status=201", want: Filter{Status: 201}, wantAfter: 5, wantLimit: 10},
		{query: "after=0", wantAfter: 0},
		{query: "limit=0", wantErr: `limit "0" is not a whole number of 1 or more`},
		{query: "limit=-1", wantErr: `limit "-1"`},
		{query: "limit=ten", wantErr: `limit "ten"`},
		{query: "after=-1", wantErr: `after "-1" is not a Seq`},
		{query: "after=1&after=2", wantErr: `"after" is given 2 times`},
		{query: "Limit=5", wantErr: `"Limit" is not a query parameter of the journal (known: operation, method, path, status, tenant, namespace, surface, after, limit)`},
		{query: "stauts=503", wantErr: `"stauts" is not a query parameter`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			f, after, limit, err := ParseListQuery(q)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseListQuery(%q) error = %v, want one containing %q", tt.query, err, tt.wantErr)
				}
				return
			}
			if err != nil || f != tt.want || after != tt.wantAfter || limit != tt.wantLimit {
				t.Errorf("ParseListQuery(%q) = %+v, %d, %d, %v; want %+v, %d, %d", tt.query, f, after, limit, err, tt.want, tt.wantAfter, tt.wantLimit)
			}
		})
	}
}
