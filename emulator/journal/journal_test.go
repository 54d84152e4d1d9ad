package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/operation"
)

var start = time.Date(2025, 3, 4, 5, 6, 7, 890123456, time.UTC)

func TestRecordAndList(t *testing.T) {
	j := New(Limits{})
	for i, path := range []string{"/a", "/b", "/c"} {
		seq := j.Record(Entry{Time: start.Add(time.Duration(i) * time.Second), Method: "GET", Path: path, Status: 200})
		if seq != uint64(i+1) {
			t.Errorf("Record #%d returned Seq %d, want %d", i+1, seq, i+1)
		}
	}
	got, dropped := j.List(Filter{})
	if dropped != 0 {
		t.Errorf("dropped = %d, want 0", dropped)
	}
	var paths []string
	for i, e := range got {
		paths = append(paths, e.Path)
		if e.Seq != uint64(i+1) {
			t.Errorf("entry %d has Seq %d, want %d", i, e.Seq, i+1)
		}
	}
	if want := []string{"/a", "/b", "/c"}; !slices.Equal(paths, want) {
		t.Errorf("List paths = %v, want %v (oldest first)", paths, want)
	}
}

func TestBounded(t *testing.T) {
	j := New(Limits{Entries: 2})
	for _, path := range []string{"/1", "/2", "/3", "/4", "/5"} {
		j.Record(Entry{Path: path})
	}
	got, dropped := j.List(Filter{})
	if dropped != 3 {
		t.Errorf("dropped = %d, want 3", dropped)
	}
	if len(got) != 2 || got[0].Path != "/4" || got[1].Path != "/5" {
		t.Errorf("List = %+v, want the entries for /4 and /5", got)
	}

	j.Clear()
	got, dropped = j.List(Filter{})
	if len(got) != 0 || dropped != 0 {
		t.Errorf("after Clear: %d entries, %d dropped; want 0, 0", len(got), dropped)
	}
	if seq := j.Record(Entry{}); seq != 6 {
		t.Errorf("Seq after Clear = %d, want 6 (Seq keeps counting)", seq)
	}
}

func TestBodies(t *testing.T) {
	const maxBody = 8
	tests := []struct {
		name          string
		body          string
		wantJSON      string
		wantText      string
		wantTruncated bool
	}{
		{name: "empty", body: ""},
		{name: "JSON", body: `{"A":1}`, wantJSON: `{"A":1}`},
		{name: "JSON at the limit", body: `[1,2,34]`, wantJSON: `[1,2,34]`},
		{name: "not JSON", body: "a=1&b=2", wantText: "a=1&b=2"},
		{name: "JSON cut short", body: `{"A":123456}`, wantText: `{"A":123`, wantTruncated: true},
		// Cut short, even what is left as valid JSON must not pass for the body.
		{name: "number cut short", body: "1234567890", wantText: "12345678", wantTruncated: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := New(Limits{Entries: 10, Body: maxBody})
			j.Record(Entry{RequestBody: json.RawMessage(tt.body), RequestBodyText: "ignored"})
			got, _ := j.List(Filter{})
			e := got[0]
			if string(e.RequestBody) != tt.wantJSON {
				t.Errorf("RequestBody = %q, want %q", e.RequestBody, tt.wantJSON)
			}
			if tt.wantJSON == "" && e.RequestBody != nil {
				t.Errorf("RequestBody = %#v, want nil", e.RequestBody)
			}
			if e.RequestBodyText != tt.wantText {
				t.Errorf("RequestBodyText = %q, want %q", e.RequestBodyText, tt.wantText)
			}
			if e.BodyTruncated != tt.wantTruncated {
				t.Errorf("BodyTruncated = %v, want %v", e.BodyTruncated, tt.wantTruncated)
			}
		})
	}
}

// Record must copy the body, and List must not hand out the journal's copy.
func TestBodiesAreCopied(t *testing.T) {
	j := New(Limits{Entries: 10, Body: 100})
	buf := []byte(`{"A":1}`)
	j.Record(Entry{RequestBody: buf})
	copy(buf, `{"B":2}`)

	got, _ := j.List(Filter{})
	if string(got[0].RequestBody) != `{"A":1}` {
		t.Fatalf("the journal saw the caller change its buffer: %s", got[0].RequestBody)
	}
	copy(got[0].RequestBody, `{"C":3}`)
	again, _ := j.List(Filter{})
	if string(again[0].RequestBody) != `{"A":1}` {
		t.Errorf("the journal saw a change to a listed body: %s", again[0].RequestBody)
	}
}

func TestFilter(t *testing.T) {
	j := New(Limits{})
	entries := []Entry{
		{Method: "GET", Path: "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups", Operation: operation.ListGroupConfigurations, Status: 200},
		{Method: "POST", Path: "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups", Operation: operation.PostGroup, Status: 201},
		{Method: "GET", Path: "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups/g1/status", Operation: operation.GetGroupStatus, Status: 503},
		{Method: "PUT", Path: "/api/v1/tenants/t/namespaces/n/accesscontrol/clientfailover/groups", Operation: operation.SetCollectionAcl, Status: 0},
		{Method: "GET", Path: "/nowhere", Status: 404},
	}
	for _, e := range entries {
		j.Record(e)
	}

	tests := []struct {
		name     string
		filter   Filter
		wantSeqs []uint64
	}{
		{name: "everything", filter: Filter{}, wantSeqs: []uint64{1, 2, 3, 4, 5}},
		{name: "operation", filter: Filter{Operation: operation.PostGroup}, wantSeqs: []uint64{2}},
		{name: "method ignores case", filter: Filter{Method: "get"}, wantSeqs: []uint64{1, 3, 5}},
		{name: "status", filter: Filter{Status: 503}, wantSeqs: []uint64{3}},
		{name: "dropped", filter: Filter{Status: StatusDropped}, wantSeqs: []uint64{4}},
		{name: "exact path ignores case", filter: Filter{Path: "/NOWHERE"}, wantSeqs: []uint64{5}},
		{name: "* is one segment", filter: Filter{Path: "/api/*/tenants/*/namespaces/*/clientfailover/groups"}, wantSeqs: []uint64{1, 2}},
		{name: "** is any segments", filter: Filter{Path: "/api/**/groups"}, wantSeqs: []uint64{1, 2, 4}},
		{name: "** at the end", filter: Filter{Path: "/api/v1-preview/**"}, wantSeqs: []uint64{1, 2, 3}},
		{name: "fields combine", filter: Filter{Method: "GET", Path: "/api/**"}, wantSeqs: []uint64{1, 3}},
		{name: "no match", filter: Filter{Operation: operation.DeleteGroup}, wantSeqs: nil},
		{name: "bad pattern selects nothing", filter: Filter{Path: "/api/v*"}, wantSeqs: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := j.List(tt.filter)
			var seqs []uint64
			for _, e := range got {
				seqs = append(seqs, e.Seq)
			}
			if !slices.Equal(seqs, tt.wantSeqs) {
				t.Errorf("List(%+v) Seqs = %v, want %v", tt.filter, seqs, tt.wantSeqs)
			}
		})
	}
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		query   string
		want    Filter
		wantErr string
	}{
		{query: "", want: Filter{}},
		{query: "operation=GetGroupStatus&method=get&path=/api/**&status=503&tenant=T&namespace=N&surface=V1",
			want: Filter{Operation: operation.GetGroupStatus, Method: "get", Path: "/api/**", Status: 503, Tenant: "T", Namespace: "N", Surface: "V1"}},
		{query: "stauts=503", wantErr: `"stauts" is not a query parameter of the journal (known: operation, method, path, status, tenant, namespace, surface)`},
		{query: "status=503&other=x", wantErr: `"other" is not a query parameter`},
		{query: "limit=5", wantErr: `"limit" is not a query parameter`},
		{query: "status=503&status=404", wantErr: `"status" is given 2 times`},
		{query: "surface=cloud", wantErr: `surface "cloud" is not a surface of the emulator (preview, v1, onprem)`},
		{query: "status=0", want: Filter{Status: StatusDropped}},
		{query: "status=abc", wantErr: `status "abc" is not a whole number`},
		{query: "status=99", wantErr: "status 99 is not an HTTP status"},
		{query: "status=600", wantErr: "status 600 is not an HTTP status"},
		{query: "status=-1", wantErr: "status -1 is not an HTTP status"},
		{query: "operation=Nope", wantErr: `operation "Nope" is not an operation of the emulated API (known operations: ListGroupConfigurations,`},
		{query: "operation=getgroupstatus", wantErr: "did you mean GetGroupStatus?"},
		{query: "path=/api/v*", wantErr: `path: path pattern "/api/v*"`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseFilter(q)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseFilter(%q) error = %v, want one containing %q", tt.query, err, tt.wantErr)
				}
				if !errors.Is(err, ErrInvalidFilter) {
					t.Errorf("ParseFilter(%q) error %v does not wrap ErrInvalidFilter", tt.query, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFilter(%q): %v", tt.query, err)
			}
			if got != tt.want {
				t.Errorf("ParseFilter(%q) = %+v, want %+v", tt.query, got, tt.want)
			}
		})
	}
}

func TestEntryJSON(t *testing.T) {
	tests := []struct {
		name  string
		entry Entry
		want  string
	}{
		{
			name: "full",
			entry: Entry{
				Seq: 7, Time: start, Method: "POST",
				Path:      "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups",
				Query:     "x=1",
				Operation: operation.PostGroup, Surface: SurfacePreview, Tenant: "t", Namespace: "n", Virtual: true,
				Status: 503, Duration: 1500 * time.Microsecond, BodySize: 12,
				RequestBody: json.RawMessage(`{"Name":"g"}`), IgnoredProperties: []string{"Foo", "Trustee.Bar"}, Fault: "fault-1",
			},
			want: `{"Seq":7,"Time":"2025-03-04T05:06:07.890123456Z","Method":"POST",` +
				`"Path":"/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups","Query":"x=1",` +
				`"Operation":"PostGroup","Surface":"preview","Tenant":"t","Namespace":"n","Virtual":true,"Status":503,` +
				`"Duration":"00:00:00.0015000","DurationMs":1.5,"BodySize":12,"RequestBody":{"Name":"g"},` +
				`"RequestBodyText":null,"BodyTruncated":false,"IgnoredProperties":["Foo","Trustee.Bar"],"Fault":"fault-1"}`,
		},
		{
			name:  "dropped, not JSON, nothing else known",
			entry: Entry{Seq: 1, Time: start, Method: "GET", Path: "/x", RequestBody: json.RawMessage("plain text")},
			want: `{"Seq":1,"Time":"2025-03-04T05:06:07.890123456Z","Method":"GET","Path":"/x",` +
				`"Query":null,"Operation":null,"Surface":null,"Tenant":null,"Namespace":null,"Virtual":false,"Status":0,` +
				`"Duration":"00:00:00","DurationMs":0,"BodySize":0,"RequestBody":null,` +
				`"RequestBodyText":"plain text","BodyTruncated":false,"IgnoredProperties":[],"Fault":null}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.entry)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestEntryJSONRoundTrip(t *testing.T) {
	j := New(Limits{Entries: 10, Body: 10})
	j.Record(Entry{
		Time: start, Method: "PUT", Path: "/p", Query: "a=b", Operation: operation.PutGroup, Surface: SurfaceV1,
		Tenant: "t", Namespace: "n", Virtual: true, Status: 204, Duration: 1234567800 * time.Nanosecond, BodySize: 7,
		RequestBody: json.RawMessage(`{"A":1}`), IgnoredProperties: []string{"B"}, Fault: "f",
	})
	j.Record(Entry{Time: start, Method: "POST", Path: "/q", RequestBody: json.RawMessage(`{"Long":"body"}`)})
	want, _ := j.List(Filter{})

	data, err := json.Marshal(want)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var got []Entry
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("Unmarshal(%s): %v", data, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip through %s\ngot  %+v\nwant %+v", data, got, want)
	}
}

func TestConcurrentRecordKeepsSeqOrder(t *testing.T) {
	const writers, perWriter = 8, 100
	j := New(Limits{Entries: writers * perWriter})
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range perWriter {
				j.Record(Entry{Method: "GET", Path: "/x", RequestBody: json.RawMessage(`{}`)})
				j.List(Filter{Method: "GET"})
			}
		})
	}
	wg.Wait()

	got, _ := j.List(Filter{})
	if len(got) != writers*perWriter {
		t.Fatalf("%d entries, want %d", len(got), writers*perWriter)
	}
	for i, e := range got {
		if e.Seq != uint64(i+1) {
			t.Fatalf("entry %d has Seq %d, want %d: entries are not in Seq order", i, e.Seq, i+1)
		}
	}
}

func BenchmarkRecord(b *testing.B) {
	j := New(Limits{Entries: 1000})
	body := []byte(`{"Id":"g1","Name":"group one","FailoverTimeout":"00:01:00"}`)
	e := Entry{
		Time: start, Method: "POST", Path: "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups",
		Operation: operation.PostGroup, Tenant: "t", Namespace: "n", Status: 201, RequestBody: body,
	}
	b.ReportAllocs()
	for b.Loop() {
		j.Record(e)
	}
}

func Example() {
	j := New(Limits{})
	j.Record(Entry{Method: "GET", Path: "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups", Status: 200})
	j.Record(Entry{Method: "POST", Path: "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups", Status: 503,
		RequestBody: json.RawMessage(`{"Name":"g"}`), Fault: "fault-1"})

	q, _ := url.ParseQuery("method=post&path=/api/**/groups")
	f, err := ParseFilter(q)
	if err != nil {
		panic(err)
	}
	entries, dropped := j.List(f)
	for _, e := range entries {
		fmt.Println(e.Seq, e.Method, e.Status, e.Fault, string(e.RequestBody))
	}
	fmt.Println("dropped:", dropped)
	// Output:
	// 2 POST 503 fault-1 {"Name":"g"}
	// dropped: 0
}
