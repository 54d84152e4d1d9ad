package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/journal"
)

// listing is the body of GET /_emulator/requests.
type listing struct {
	Requests []journal.Entry
	Dropped  uint64
	Next     *uint64
}

func listJournal(t *testing.T, h http.Handler, query string) listing {
	t.Helper()
	rec := handle(h, http.MethodGet, "/_emulator/requests"+query, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /_emulator/requests%s: %d %s", query, rec.Code, rec.Body)
	}
	var l listing
	if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil {
		t.Fatalf("GET /_emulator/requests%s: %v: %s", query, err, rec.Body)
	}
	return l
}

// A request that fails authentication is journaled with the size of its
// body, never the body: an anonymous caller cannot fill the journal.
func TestJournalKeepsOnlyTheSizeOfAnUnauthenticatedBody(t *testing.T) {
	srv := startInProcess(t, emulator.Options{Auth: emulator.AuthToken})
	body := `{"Id":"g","FailoverTimeout":"00:01:00","Name":"` + strings.Repeat("x", 1000) + `"}`
	if rec := handle(srv.Handler(), http.MethodPost, gaBase+"/groups", []byte(body)); rec.Code != http.StatusUnauthorized {
		t.Fatalf("POST without a token: %d, want 401", rec.Code)
	}
	l := listJournal(t, srv.Handler(), "")
	if len(l.Requests) != 1 {
		t.Fatalf("%d entries, want 1", len(l.Requests))
	}
	e := l.Requests[0]
	if e.RequestBody != nil || e.RequestBodyText != "" || e.BodySize != len(body) || e.Status != http.StatusUnauthorized || e.Surface != journal.SurfaceV1 {
		t.Errorf("entry = %+v, want status 401, surface v1, no body, BodySize %d", e, len(body))
	}
}

// Journaled requests carry their surface and body size; the listing has
// Next for paging, null on the last page.
func TestJournalListingShape(t *testing.T) {
	srv := startInProcess(t, emulator.Options{})
	h := srv.Handler()
	body := `{"Id":"g","FailoverTimeout":"00:01:00"}`
	mustHandle(t, h, http.MethodPost, previewBase+"/groups", body)
	mustHandle(t, h, http.MethodGet, gaBase+"/groups/g", "")
	handle(h, http.MethodGet, "/nowhere", nil)

	l := listJournal(t, h, "")
	if len(l.Requests) != 3 || l.Next != nil || l.Dropped != 0 {
		t.Fatalf("listing = %+v, want 3 entries, Next null", l)
	}
	for i, want := range []struct {
		surface string
		size    int
	}{{journal.SurfacePreview, len(body)}, {journal.SurfaceV1, 0}, {"", 0}} {
		if e := l.Requests[i]; e.Surface != want.surface || e.BodySize != want.size {
			t.Errorf("entry %d: Surface %q BodySize %d, want %q, %d", i+1, e.Surface, e.BodySize, want.surface, want.size)
		}
	}
	l = listJournal(t, h, "?limit=2")
	if len(l.Requests) != 2 || l.Next == nil || *l.Next != 2 {
		t.Fatalf("limit=2: %d entries, Next %v; want 2 and Next 2", len(l.Requests), l.Next)
	}
	l = listJournal(t, h, "?limit=2&after=2")
	if len(l.Requests) != 1 || l.Requests[0].Seq != 3 || l.Next != nil {
		t.Fatalf("limit=2&after=2: %+v, want entry 3 and Next null", l)
	}
	rec := handle(h, http.MethodGet, "/_emulator/requests/count?surface=v1&tenant=T", nil)
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"Count":1}` {
		t.Errorf("count: %d %s, want {\"Count\":1}", rec.Code, rec.Body)
	}
}

// An unknown query parameter of the journal is a 400 that names it, not a
// filter that silently selects everything.
func TestJournalRefusesUnknownQueryParameters(t *testing.T) {
	srv := startInProcess(t, emulator.Options{})
	for _, path := range []string{
		"/_emulator/requests?stauts=503",
		"/_emulator/requests/count?stauts=503",
		"/_emulator/requests/count?limit=5",
		"/_emulator/requests?limit=0",
		"/_emulator/requests?after=x",
	} {
		rec := handle(srv.Handler(), http.MethodGet, path, nil)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", path, rec.Code)
			continue
		}
		if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
			t.Errorf("GET %s: %s", path, p)
		}
		name := path[strings.Index(path, "?")+1 : strings.Index(path, "=")]
		if !strings.Contains(rec.Body.String(), name) {
			t.Errorf("GET %s: the error does not name %q: %s", path, name, rec.Body)
		}
	}
}

// Options.JournalBytes bounds the journal in bytes: older entries go first.
func TestJournalBytesOption(t *testing.T) {
	const bound = 16 << 10
	srv := startInProcess(t, emulator.Options{JournalBytes: bound})
	body := []byte(`{"Name":"` + strings.Repeat("x", 2000) + `"}`)
	for range 20 {
		handle(srv.Handler(), http.MethodPost, previewBase+"/groups", body)
	}
	l := listJournal(t, srv.Handler(), "")
	held := 0
	for _, e := range l.Requests {
		held += e.Size()
	}
	if held > bound || l.Dropped == 0 || len(l.Requests)+int(l.Dropped) != 20 || l.Requests[len(l.Requests)-1].Seq != 20 {
		t.Errorf("the journal holds %d entries of %d bytes in all and dropped %d; want at most %d bytes, the newest kept, 20 in all", len(l.Requests), held, l.Dropped, bound)
	}
}
