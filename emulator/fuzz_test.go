package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// bodyTarget is an operation that takes a request body.
type bodyTarget struct {
	name, method, path string
}

// bodyTargets are every operation with a body, in both revisions where both
// serve it. The fuzzers pick one with target % len(bodyTargets).
var bodyTargets = []bodyTarget{
	{"PostGroup v1-preview", http.MethodPost, previewBase + "/groups"},
	{"PostGroup v1", http.MethodPost, gaBase + "/groups"},
	{"PutGroup v1-preview existing", http.MethodPut, previewBase + "/groups/g"},
	{"PutGroup v1 new", http.MethodPut, gaBase + "/groups/h"},
	{"SetCollectionAcl", http.MethodPut, collectionACLPath},
	{"SetGroupAcl v1-preview", http.MethodPut, previewBase + "/groups/g/accesscontrol"},
	{"SetGroupAcl v1", http.MethodPut, gaBase + "/groups/g/accesscontrol"},
	{"PostClientSession v1-preview", http.MethodPost, previewBase + "/groups/g/clientsessions"},
	{"PostClientSession v1", http.MethodPost, gaBase + "/groups/g/clientsessions"},
	{"PostHeartbeatMessage v1-preview", http.MethodPost, previewBase + "/groups/g/clientsessions/s2/heartbeat"},
	{"PostHeartbeatMessage v1", http.MethodPost, gaBase + "/groups/g/clientsessions/s1/heartbeat"},
	{"PostRoleOverride v1-preview", http.MethodPost, previewBase + "/groups/g/clientsessions/s2/roleoverride"},
	{"PostRoleOverride v1", http.MethodPost, gaBase + "/groups/g/clientsessions/s1/roleoverride"},
}

// requestBodySeeds are the f.Add seeds of FuzzRequestBodies: for each
// target, bodies that pass and bodies that fail in the ways clients get
// wrong. More are in testdata/fuzz/FuzzRequestBodies.
var requestBodySeeds = []struct {
	target uint8
	body   string
}{
	{0, `{"Id":"x","Name":"X","Description":null,"FailoverTimeout":"00:01:00"}`},
	{0, `{"id":"G","failoverTimeout":"0:01:00"}`},
	{0, `{"FailoverTimeout":"1.02:03:04.5"}`},
	{0, `{"Id":"x","FailoverTimeout":"-00:00:01"}`},
	{0, `{"Id":"x","FailoverTimeout":"10675199.02:48:05.4775807"}`},
	{1, `{"Id":"y","FailoverTimeout":"00:00:30","AdditionalData":{"a":[1,2]},"AccessControl":{"RoleTrusteeAccessControlEntries":[]},"Owner":{"Type":1,"ObjectId":"u"}}`},
	{1, `{"Id":"y","FailoverTimeout":"00:00:30","Owner":{"Type":7}}`},
	{2, `{"Name":"renamed","FailoverTimeout":"00:00:45"}`},
	{2, `{"Id":"other","FailoverTimeout":"00:00:45"}`},
	{3, `{"FailoverTimeout":"00:00:01","AdditionalData":null}`},
	{4, `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":3,"ObjectId":"r","TenantId":"t"},"AccessType":0,"AccessRights":31}]}`},
	{4, `{"RoleTrusteeAccessControlEntries":null}`},
	{4, `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":3},"AccessType":2,"AccessRights":1}]}`},
	{5, `{"RoleTrusteeAccessControlEntries":[{"Trustee":null,"AccessType":1,"AccessRights":9223372036854775807}]}`},
	{6, `{"roleTrusteeAccessControlEntries":[{"trustee":{"type":2,"objectId":"c"},"accessType":0,"accessRights":3}]}`},
	{7, `{"Id":"s3","Name":"three"}`},
	{7, `{"Id":"s1","Name":"not one"}`},
	{8, `{"Name":null}`},
	{9, `{"FailoverStatus":50,"LastDataProcessedTime":"2026-01-01T00:00:00Z","HeartbeatTime":"2026-01-01T00:00:00.1234567Z"}`},
	{9, `{"FailoverStatus":100.5}`},
	{9, `{"FailoverStatus":1e400}`},
	{10, `{"FailoverScore":0}`},
	{10, `{"HeartbeatTime":"2026-01-01T00:00:00Z"}`},
	{11, `{"Value":1,"ExpirationPeriod":"00:10:00"}`},
	{11, `{"Value":1,"ExpirationPeriod":"106751.23:47:16.8547758"}`},
	{11, `{"Value":1.5}`},
	{12, `{"Value":0,"ExpirationPeriod":null}`},
	{12, `{"Value":1e300}`},
	{0, ``},
	{0, `null`},
	{0, `[]`},
	{0, `{"Id":`},
	{0, "{\"Id\":\"\xff\",\"FailoverTimeout\":\"00:01:00\"}"},
}

// FuzzRequestBodies sends arbitrary bytes as the body of every operation that
// takes one. Whatever the body, the answer is never a 5xx; a 4xx carries an
// ErrorResponse with OperationId, Error, Reason and Resolution, and changes
// nothing; a 2xx leaves a state that GET /_emulator/state can write and
// fixture.Parse can read back.
func FuzzRequestBodies(f *testing.F) {
	for _, s := range requestBodySeeds {
		f.Add(s.target, []byte(s.body))
	}
	srv := startInProcess(f, emulator.Options{})
	base := setupBaseState(f, srv)
	ctx := context.Background()
	var mu sync.Mutex // one input at a time on the shared server

	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		if err := srv.SetState(base); err != nil {
			t.Fatalf("SetState(base): %v", err)
		}
		tgt := bodyTargets[int(target)%len(bodyTargets)]
		before := srv.State(ctx)

		rec := handle(srv.Handler(), tgt.method, tgt.path, body)

		switch {
		case rec.Code >= 500:
			t.Fatalf("%s with body %q: got status %d, want below 500: %s", tgt.name, body, rec.Code, rec.Body)
		case rec.Code >= 400:
			if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
				t.Errorf("%s with body %q: status %d: %s", tgt.name, body, rec.Code, p)
			}
			if same, diff := sameState(before, srv.State(ctx)); !same {
				t.Errorf("%s with body %q: status %d changed the state:\n%s", tgt.name, body, rec.Code, diff)
			}
		case rec.Code >= 200 && rec.Code < 300:
			if rec.Code != http.StatusNoContent && !json.Valid(rec.Body.Bytes()) {
				t.Errorf("%s with body %q: status %d with a body that is not JSON: %q", tgt.name, body, rec.Code, rec.Body)
			}
			st := handle(srv.Handler(), http.MethodGet, "/_emulator/state", nil)
			if st.Code != http.StatusOK {
				t.Fatalf("%s with body %q: then GET /_emulator/state: got status %d, want 200: %s", tgt.name, body, st.Code, st.Body)
			}
			if _, err := fixture.Parse(bytes.NewReader(st.Body.Bytes())); err != nil {
				t.Errorf("%s with body %q: then GET /_emulator/state is not a fixture document: %v\n%s", tgt.name, body, err, st.Body)
			}
		default:
			t.Errorf("%s with body %q: got status %d, want 2xx or 4xx", tgt.name, body, rec.Code)
		}
	})
}

// Query parameter presence bits of FuzzQueryParameters.
const (
	withSkip  = 1 << 0
	withCount = 1 << 1
)

// FuzzQueryParameters sends arbitrary skip and count to List Group
// Configurations. The answer is 200 when both are whole numbers of 0 or more
// (surrounding white space allowed) and count is at most
// emulator.DefaultMaxCount, else 400; never a 5xx. A 200 carries
// Total-Count, the number of groups, and the page of groups from skip, at
// most count of them.
func FuzzQueryParameters(f *testing.F) {
	for _, s := range []struct {
		present     uint8
		skip, count string
	}{
		{0, "", ""},
		{withSkip | withCount, "0", "100"},
		{withSkip | withCount, "2", "3"},
		{withSkip | withCount, "6", "1000"},
		{withSkip | withCount, "7", "0"},
		{withSkip, "9223372036854775807", ""},
		{withCount, "", "1001"},
		{withSkip | withCount, "-1", "1"},
		{withSkip | withCount, " 1 ", "+2"},
		{withSkip | withCount, "1.5", "1e3"},
		{withSkip | withCount, "", ""},
		{withSkip | withCount, "0x10", "99999999999999999999"},
		{withSkip | withCount, "1&count=5", "\x00"},
		{withCount, "", "\u00a05"},
	} {
		f.Add(s.present, s.skip, s.count)
	}
	const groups = 7
	srv := startInProcess(f, emulator.Options{})
	doc := fixture.Document{Namespaces: []fixture.Namespace{{TenantId: "t", NamespaceId: "n"}}}
	var want []string
	for i := range groups {
		id := "g" + strconv.Itoa(i)
		want = append(want, id)
		doc.Namespaces[0].Groups = append(doc.Namespaces[0].Groups, fixture.Group{Id: id, FailoverTimeout: "00:00:30"})
	}
	if err := srv.SetState(doc); err != nil {
		f.Fatalf("SetState: %v", err)
	}

	f.Fuzz(func(t *testing.T, present uint8, skip, count string) {
		q := url.Values{}
		if present&withSkip != 0 {
			q.Set("skip", skip)
		}
		if present&withCount != 0 {
			q.Set("count", count)
		}
		path := previewBase + "/groups?" + q.Encode()
		rec := handle(srv.Handler(), http.MethodGet, path, nil)

		wantSkip, skipOK := 0, true
		if present&withSkip != 0 {
			wantSkip, skipOK = wholeNumber(skip)
		}
		wantCount, countOK := 100, true
		if present&withCount != 0 {
			wantCount, countOK = wholeNumber(count)
			countOK = countOK && wantCount <= emulator.DefaultMaxCount
		}
		valid := skipOK && countOK

		switch {
		case rec.Code >= 500:
			t.Fatalf("GET %s: got status %d, want below 500: %s", path, rec.Code, rec.Body)
		case rec.Code == http.StatusBadRequest:
			if valid {
				t.Errorf("GET %s: got 400, want 200 (skip %q and count %q are valid): %s", path, skip, count, rec.Body)
			}
			if p := errorResponseProblem(rec.Body.Bytes()); p != "" {
				t.Errorf("GET %s: %s", path, p)
			}
		case rec.Code == http.StatusOK:
			if !valid {
				t.Errorf("GET %s: got 200, want 400 (skip %q, count %q)", path, skip, count)
				return
			}
			if got := rec.Header().Get("Total-Count"); got != strconv.Itoa(groups) {
				t.Errorf("GET %s: got Total-Count %q, want %d", path, got, groups)
			}
			var page []struct{ Id string }
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
				t.Fatalf("GET %s: body is not a list of groups: %v: %s", path, err, rec.Body)
			}
			if len(page) > wantCount {
				t.Errorf("GET %s: got %d groups, want at most count = %d", path, len(page), wantCount)
			}
			from := min(wantSkip, groups)
			to := from + min(wantCount, groups-from)
			var got []string
			for _, g := range page {
				got = append(got, g.Id)
			}
			if strings.Join(got, ",") != strings.Join(want[from:to], ",") {
				t.Errorf("GET %s: got groups %v, want %v", path, got, want[from:to])
			}
		default:
			t.Errorf("GET %s: got status %d, want 200 or 400: %s", path, rec.Code, rec.Body)
		}
	})
}

// wholeNumber reads a non-negative whole number, white space around it
// allowed, as the documented rule for skip and count says.
func wholeNumber(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n >= 0
}
