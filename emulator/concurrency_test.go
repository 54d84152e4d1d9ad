package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
)

// Sizes of the concurrency test: workers run at once, each making iterations
// requests per phase.
const (
	concWorkers    = 16
	concIterations = 150
	concOwners     = 4 // workers of the second phase that own groups
	concOwned      = 4 // groups each owner writes
	concShared     = 6 // groups every worker may write or delete
	concSessions   = 4 // session ids used in each shared group
)

// concOp is one kind of request of the concurrency test: it returns the
// method, path and body to send and the statuses the answer may have.
type concOp struct {
	name  string
	reset bool // a reset or other whole-state change: first phase only
	make  func(r *rand.Rand, w *concWorker) (method, path, body string, want []int)
	// after, when set, sees each answer (a fault rule's Id, say).
	after func(w *concWorker, rep reply)
	// check, when set, says what is wrong with an answer, or "".
	check func(rep reply) string
}

// concWorker is one goroutine's own state.
type concWorker struct {
	id     int
	faults []string // Ids of the fault rules it added
}

func sharedGroup(r *rand.Rand) string { return "shared-" + strconv.Itoa(r.IntN(concShared)) }
func sessionID(r *rand.Rand) string   { return "s" + strconv.Itoa(r.IntN(concSessions)) }

// concOps is the mix of operations. Fault rules only ever match Get
// Information, with a 4xx status, so no other answer is disturbed.
var concOps = []concOp{
	{name: "PutGroup", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		body := fmt.Sprintf(`{"Name":"n%d","FailoverTimeout":"00:00:%02d"}`, r.IntN(100), 20+r.IntN(40))
		return http.MethodPut, previewBase + "/groups/" + sharedGroup(r), body, []int{200, 201}
	}},
	{name: "PostGroup", make: func(r *rand.Rand, w *concWorker) (string, string, string, []int) {
		id := sharedGroup(r)
		if r.IntN(2) == 0 {
			id = fmt.Sprintf("p-%d-%d", w.id, r.IntN(1000))
		}
		return http.MethodPost, gaBase + "/groups", fmt.Sprintf(`{"Id":%q,"FailoverTimeout":"00:00:30"}`, id), []int{200, 201, 409}
	}},
	{name: "DeleteGroup", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodDelete, previewBase + "/groups/" + sharedGroup(r), "", []int{204, 404, 409}
	}},
	{name: "PostClientSession", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		s := sessionID(r)
		return http.MethodPost, previewBase + "/groups/" + sharedGroup(r) + "/clientsessions",
			fmt.Sprintf(`{"Id":%q,"Name":"name of %s"}`, s, s), []int{200, 201, 404}
	}},
	{name: "PostHeartbeatMessage", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		path := previewBase + "/groups/" + sharedGroup(r) + "/clientsessions/" + sessionID(r) + "/heartbeat"
		body := fmt.Sprintf(`{"FailoverStatus":%d,"LastDataProcessedTime":"2026-01-01T00:00:%02dZ"}`, r.IntN(101), r.IntN(60))
		if r.IntN(3) == 0 {
			path = gaBase + "/groups/" + sharedGroup(r) + "/clientsessions/" + sessionID(r) + "/heartbeat"
			body = fmt.Sprintf(`{"FailoverScore":%g}`, r.Float64()*100)
		}
		return http.MethodPost, path, body, []int{200, 404}
	}},
	{name: "PostRoleOverride", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		body := `{"Value":0}`
		switch r.IntN(3) {
		case 1:
			body = `{"Value":1,"ExpirationPeriod":null}`
		case 2:
			body = fmt.Sprintf(`{"Value":1,"ExpirationPeriod":"00:00:%02d"}`, 1+r.IntN(59))
		}
		return http.MethodPost, previewBase + "/groups/" + sharedGroup(r) + "/clientsessions/" + sessionID(r) + "/roleoverride", body, []int{200, 404}
	}},
	{name: "DeleteClientSession", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodDelete, previewBase + "/groups/" + sharedGroup(r) + "/clientsessions/" + sessionID(r), "", []int{204, 404}
	}},
	{name: "GetGroupStatus", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodGet, previewBase + "/groups/" + sharedGroup(r) + "/status", "", []int{200, 404}
	}},
	{name: "ListClientSessions", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodGet, gaBase + "/groups/" + sharedGroup(r) + "/clientsessions", "", []int{200, 404}
	}, check: func(rep reply) string {
		if rep.status != http.StatusOK {
			return ""
		}
		primary, pending, err := sessionRoles(rep.body)
		switch {
		case err != nil:
			return err.Error()
		case len(primary) > 1 || len(pending) > 1:
			return fmt.Sprintf("got Primary sessions %v and PendingPrimary sessions %v, want at most one of each", primary, pending)
		}
		return ""
	}},
	{name: "ListGroupConfigurations", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodGet, fmt.Sprintf("%s/groups?skip=%d&count=%d", previewBase, r.IntN(10), 1+r.IntN(10)), "", []int{200}
	}},
	{name: "GetInformation", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodGet, previewBase, "", []int{200, http.StatusTeapot}
	}},
	{name: "AdvanceClock", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodPost, "/_emulator/clock/advance", fmt.Sprintf(`{"By":"00:00:%02d"}`, r.IntN(4)), []int{200}
	}},
	{name: "AddFault", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		body := `{"Match":{"Operation":"GetInformation"},"Action":{"Status":418},"Times":2}`
		if r.IntN(2) == 0 {
			body = `{"Match":{"Operation":"GetInformation"},"Action":{"Headers":{"X-Fault":"yes"}},"Probability":0.5}`
		}
		return http.MethodPost, "/_emulator/faults", body, []int{201}
	}, after: func(w *concWorker, rep reply) {
		var rule struct{ Id string }
		if json.Unmarshal(rep.body, &rule) == nil && rule.Id != "" {
			w.faults = append(w.faults, rule.Id)
		}
	}},
	{name: "RemoveFault", make: func(r *rand.Rand, w *concWorker) (string, string, string, []int) {
		id := "none"
		if len(w.faults) > 0 {
			i := r.IntN(len(w.faults))
			id = w.faults[i]
			w.faults = slices.Delete(w.faults, i, i+1)
		}
		// Another worker's reset may have removed it already.
		return http.MethodDelete, "/_emulator/faults/" + id, "", []int{204, 404}
	}},
	{name: "ReadJournal", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodGet, "/_emulator/requests?operation=PostHeartbeatMessage", "", []int{200}
	}},
	{name: "ReadState", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodGet, "/_emulator/state", "", []int{200}
	}},
	{name: "ReadEvents", make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodGet, "/_emulator/events", "", []int{200}
	}},
	{name: "Reset", reset: true, make: func(r *rand.Rand, _ *concWorker) (string, string, string, []int) {
		return http.MethodPost, "/_emulator/reset", "", []int{200}
	}},
}

// Many goroutines of mixed operations against one emulator (run it with
// -race): no answer is ever a 5xx or other than documented, and afterwards
// the failover state is consistent, paging is consistent, and no write was
// lost.
//
// The first phase includes resets; the second has none, and in it some
// workers own groups that nobody else writes or deletes, so each owned group
// must end with the Name its owner wrote last.
func TestConcurrentMixedOperations(t *testing.T) {
	srv := startListening(t, emulator.Options{Clock: clock.Manual, JournalSize: 500})
	c := newAPIClient(t, srv, concWorkers)
	seed := rand.Uint64()
	t.Logf("seed %d", seed)

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var failures atomic.Int32
	fail := func(format string, args ...any) {
		t.Errorf(format, args...)
		if failures.Add(1) >= 20 {
			cancel() // enough to see what is wrong
		}
	}
	send := func(w *concWorker, op concOp, r *rand.Rand) {
		method, path, body, want := op.make(r, w)
		rep, err := c.do(ctx, method, path, body)
		if err != nil {
			if ctx.Err() == nil {
				fail("worker %d: %s %s: %v", w.id, method, path, err)
			}
			return
		}
		if rep.status >= 500 || !slices.Contains(want, rep.status) {
			fail("worker %d: %s %s %s: got status %d, want one of %v: %s", w.id, op.name, method, path, rep.status, want, rep.body)
			return
		}
		if op.check != nil {
			if problem := op.check(rep); problem != "" {
				fail("worker %d: %s %s %s: %s", w.id, op.name, method, path, problem)
			}
		}
		if op.after != nil {
			op.after(w, rep)
		}
	}
	var withReset, withoutReset []concOp
	for _, op := range concOps {
		withReset = append(withReset, op)
		if !op.reset {
			withoutReset = append(withoutReset, op)
		}
	}

	// Phase 1: everything, resets included.
	var wg sync.WaitGroup
	for i := range concWorkers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(i)))
			w := &concWorker{id: i}
			for range concIterations {
				if ctx.Err() != nil {
					return
				}
				send(w, withReset[r.IntN(len(withReset))], r)
			}
		})
	}
	wg.Wait()

	// Phase 2: no resets; owners write their groups between other work.
	lastName := make([]map[string]string, concOwners) // per owner: group → Name last written
	for i := range concWorkers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(concWorkers+i)))
			w := &concWorker{id: i}
			if i < concOwners {
				lastName[i] = map[string]string{}
			}
			for it := range concIterations {
				if ctx.Err() != nil {
					return
				}
				if i < concOwners && it%2 == 0 {
					g := fmt.Sprintf("own-%d-%d", i, r.IntN(concOwned))
					name := fmt.Sprintf("w%d-i%d", i, it)
					rep, err := c.do(ctx, http.MethodPut, previewBase+"/groups/"+g, fmt.Sprintf(`{"Name":%q,"FailoverTimeout":"00:01:00"}`, name))
					switch {
					case err != nil:
						fail("owner %d: PUT %s: %v", i, g, err)
					case rep.status != 200 && rep.status != 201:
						fail("owner %d: PUT %s: got status %d, want 200 or 201: %s", i, g, rep.status, rep.body)
					default:
						lastName[i][g] = name
					}
					continue
				}
				send(w, withoutReset[r.IntN(len(withoutReset))], r)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	// Nothing runs now and the clock is manual: every read sees one moment.
	groups := listAllGroups(t, c, 3)
	for owner, names := range lastName {
		for g, want := range names {
			rep := c.must(t, http.MethodGet, previewBase+"/groups/"+g, "", 200)
			var got struct{ Name *string }
			if err := json.Unmarshal(rep.body, &got); err != nil {
				t.Fatalf("GET group %s: %v: %s", g, err, rep.body)
			}
			if got.Name == nil || *got.Name != want {
				t.Errorf("owner %d's group %s: got Name %v, want %q (its last write)", owner, g, printable(got.Name), want)
			}
			if !slices.Contains(groups, g) {
				t.Errorf("owner %d's group %s: missing from List Group Configurations %v", owner, g, groups)
			}
		}
	}
	withPrimary := 0
	for _, g := range groups {
		if checkGroupRoles(t, c, g) {
			withPrimary++
		}
	}
	t.Logf("after the run: %d groups, %d of them with a Primary", len(groups), withPrimary)
}

func printable(s *string) string {
	if s == nil {
		return "null"
	}
	return strconv.Quote(*s)
}

// listAllGroups pages through List Group Configurations count at a time and
// checks that every page reports the same Total-Count, which equals the
// number of groups listed, and that no group is listed twice.
func listAllGroups(t *testing.T, c *apiClient, count int) []string {
	t.Helper()
	var ids []string
	total := -1
	for skip := 0; ; skip += count {
		rep := c.must(t, http.MethodGet, fmt.Sprintf("%s/groups?skip=%d&count=%d", previewBase, skip, count), "", 200)
		n, err := strconv.Atoi(rep.header.Get("Total-Count"))
		if err != nil {
			t.Fatalf("skip %d: Total-Count %q is not a number", skip, rep.header.Get("Total-Count"))
		}
		if total >= 0 && n != total {
			t.Errorf("skip %d: got Total-Count %d, want %d as on the first page", skip, n, total)
		}
		total = n
		var page []struct{ Id string }
		if err := json.Unmarshal(rep.body, &page); err != nil {
			t.Fatalf("skip %d: %v: %s", skip, err, rep.body)
		}
		if len(page) > count {
			t.Errorf("skip %d: got %d groups, want at most %d", skip, len(page), count)
		}
		for _, g := range page {
			if slices.Contains(ids, g.Id) {
				t.Errorf("group %s listed twice", g.Id)
			}
			ids = append(ids, g.Id)
		}
		if len(page) < count {
			break
		}
	}
	if len(ids) != total {
		t.Errorf("paging listed %d groups, want Total-Count = %d", len(ids), total)
	}
	return ids
}

// checkGroupRoles checks that group g has at most one Primary and at most
// one PendingPrimary session, and that Get Group Status names them. It
// reports whether the group has a Primary.
func checkGroupRoles(t *testing.T, c *apiClient, g string) bool {
	t.Helper()
	rep := c.must(t, http.MethodGet, previewBase+"/groups/"+g+"/clientsessions", "", 200)
	primary, pending, err := sessionRoles(rep.body)
	if err != nil {
		t.Fatalf("group %s: %v", g, err)
	}
	if len(primary) > 1 || len(pending) > 1 {
		t.Errorf("group %s: got Primary sessions %v and PendingPrimary sessions %v, want at most one of each", g, primary, pending)
	}
	rep = c.must(t, http.MethodGet, previewBase+"/groups/"+g+"/status", "", 200)
	var status struct{ Primary, PendingPrimary *string }
	if err := json.Unmarshal(rep.body, &status); err != nil {
		t.Fatalf("group %s: status: %v: %s", g, err, rep.body)
	}
	if got, want := derefAll(status.Primary), primary; !slices.Equal(got, want) {
		t.Errorf("group %s: Get Group Status says Primary %v, the sessions say %v", g, got, want)
	}
	if got, want := derefAll(status.PendingPrimary), pending; !slices.Equal(got, want) {
		t.Errorf("group %s: Get Group Status says PendingPrimary %v, the sessions say %v", g, got, want)
	}
	return len(primary) > 0
}

// sessionRoles reads a List Client Sessions answer: the Ids of its Primary
// and of its PendingPrimary sessions.
func sessionRoles(body []byte) (primary, pending []string, err error) {
	var sessions []struct {
		Id   string
		Role int
	}
	if err := json.Unmarshal(body, &sessions); err != nil {
		return nil, nil, fmt.Errorf("sessions: %v: %s", err, body)
	}
	for _, s := range sessions {
		switch s.Role {
		case 1:
			primary = append(primary, s.Id)
		case 2:
			pending = append(pending, s.Id)
		}
	}
	return primary, pending, nil
}

// derefAll is nil for nil, else a one-element list.
func derefAll(s *string) []string {
	if s == nil {
		return nil
	}
	return []string{*s}
}
