package features

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"github.com/adh-emulator/clientfailover/emulator/ids"
)

// The failover timeout of groups a scenario does not give one.
const defaultTimeout = "00:00:30"

const (
	viaV1   = `( through the v1 API)?` // a step's optional revision
	aliases = `((?:"[^"]*"(?:, | and )?)+)`
)

// groupSteps are the steps about failover groups, their status, the
// collection's access control list and the service information.
func (w *world) groupSteps(sc *godog.ScenarioContext) {
	sc.Step(`^a failover group "([^"]*)"`+viaV1+`$`, func(g, via string) error { return w.haveGroup(g, defaultTimeout, via) })
	sc.Step(`^a failover group "([^"]*)" with a failover timeout of "([^"]*)"`+viaV1+`$`, w.haveGroup)
	sc.Step(`^the failover groups `+aliases+`$`, w.haveGroups)
	sc.Step(`^a failover group "([^"]*)" in (tenant|namespace) "([^"]*)"$`, w.haveGroupElsewhere)

	sc.Step(`^I create group "([^"]*)"`+viaV1+`$`, func(g, via string) error { return w.createGroup(g, defaultTimeout, via) })
	sc.Step(`^I create group "([^"]*)" with a failover timeout of "([^"]*)"`+viaV1+`$`, w.createGroup)
	sc.Step(`^I create group "([^"]*)" named "([^"]*)" with a failover timeout of "([^"]*)"`+viaV1+`$`, w.createNamedGroup)
	sc.Step(`^I create a group without an Id with a failover timeout of "([^"]*)"$`, w.createGroupWithoutID)
	sc.Step(`^I create a group with the body:$`, w.createGroupWithBody)
	sc.Step(`^I put group "([^"]*)"`+viaV1+`$`, func(g, via string) error { return w.putGroup(g, defaultTimeout, via) })
	sc.Step(`^I put group "([^"]*)" with a failover timeout of "([^"]*)"`+viaV1+`$`, w.putGroup)
	sc.Step(`^I put group "([^"]*)" with the body:$`, w.putGroupWithBody)
	sc.Step(`^I get group "([^"]*)"`+viaV1+`$`, w.getGroup)
	sc.Step(`^I get group "([^"]*)" in (tenant|namespace) "([^"]*)"$`, w.getGroupElsewhere)
	sc.Step(`^I delete group "([^"]*)"`+viaV1+`$`, w.deleteGroup)
	sc.Step(`^I list the groups`+viaV1+`$`, w.listGroups)
	sc.Step(`^I list the groups with "([^"]*)"$`, w.listGroupsWith)
	sc.Step(`^I list the groups in (tenant|namespace) "([^"]*)"$`, w.listGroupsElsewhere)
	sc.Step(`^I change the failover timeout of group "([^"]*)" to "([^"]*)"$`, w.changeTimeout)
	sc.Step(`^I get the status of group "([^"]*)"`+viaV1+`$`, w.getStatus)

	sc.Step(`^the response is group "([^"]*)" with a failover timeout of "([^"]*)"$`, w.responseIsGroup)
	sc.Step(`^the response lists the groups `+aliases+`$`, w.responseListsGroups)
	sc.Step(`^the response lists no groups$`, func() error { return w.responseListsGroups("") })
	sc.Step(`^group "([^"]*)" (?:still )?exists$`, w.groupExists)
	sc.Step(`^group "([^"]*)" does not exist$`, w.groupDoesNotExist)
	sc.Step(`^group "([^"]*)" has a failover timeout of "([^"]*)"$`, w.groupHasTimeout)
	sc.Step(`^the namespace has (\d+) groups?$`, w.namespaceHasGroups)
	sc.Step(`^I take note of group "([^"]*)"$`, w.noteGroup)
	sc.Step(`^group "([^"]*)" is unchanged$`, w.groupUnchanged)
	sc.Step(`^paging through the groups (\d+) at a time lists every group once, in the order of listing them all$`, w.pageThroughGroups)

	sc.Step(`^the (?:group status|status of group "([^"]*)") shows (no primary|"[^"]*" as primary) and (no pending primary|"[^"]*" as pending primary)$`, w.statusShowsRoles)
	sc.Step(`^the (?:group status|status of group "([^"]*)") shows (no last data processed time|last data processed time "[^"]*")$`, w.statusShowsTime)

	sc.Step(`^I get the collection access control list$`, w.getCollectionACL)
	sc.Step(`^I set the collection access control list to:$`, w.setCollectionACL)
	sc.Step(`^the response lists the access control entries:$`, w.responseListsEntries)
	sc.Step(`^the collection access control list is:$`, w.collectionACLIs)

	sc.Step(`^I get the service information`+viaV1+`$`, w.getInformation)
}

func groupBody(id, timeout string) map[string]any {
	b := map[string]any{"FailoverTimeout": timeout}
	if id != "" {
		b["Id"] = id
	}
	return b
}

func (w *world) haveGroup(group, timeout, via string) error {
	_, err := w.expect(http.StatusCreated, http.MethodPost, w.groupsPath(w.rev(via)), groupBody(w.id(group), timeout))
	if err != nil {
		return fmt.Errorf("creating group %q: %w", group, err)
	}
	w.group = group
	return nil
}

func (w *world) haveGroups(list string) error {
	for _, g := range quoted(list) {
		if err := w.haveGroup(g, defaultTimeout, ""); err != nil {
			return err
		}
	}
	return nil
}

// elsewhere runs fn with the scenario's tenant or namespace replaced by the
// one an alias names (on the cloud surfaces only: the on-premises service
// has neither).
func (w *world) elsewhere(kind, name string, fn func() error) error {
	if w.base.onPremises {
		return fmt.Errorf("the on-premises service has no %ss: tag the scenario %s", kind, CloudTag)
	}
	saved := &w.namespace
	if kind == "tenant" {
		saved = &w.tenant
	}
	old := *saved
	*saved = w.id(name)
	defer func() { *saved = old }()
	return fn()
}

func (w *world) haveGroupElsewhere(group, kind, name string) error {
	return w.elsewhere(kind, name, func() error { return w.haveGroup(group, defaultTimeout, "") })
}

func (w *world) createGroup(group, timeout, via string) error {
	return w.sendJSON(http.MethodPost, w.groupsPath(w.rev(via)), groupBody(w.id(group), timeout))
}

func (w *world) createNamedGroup(group, name, timeout, via string) error {
	b := groupBody(w.id(group), timeout)
	b["Name"] = name
	return w.sendJSON(http.MethodPost, w.groupsPath(w.rev(via)), b)
}

func (w *world) createGroupWithoutID(timeout string) error {
	return w.sendJSON(http.MethodPost, w.groupsPath(w.base), groupBody("", timeout))
}

func (w *world) createGroupWithBody(body *godog.DocString) error {
	return w.send(http.MethodPost, w.groupsPath(w.base), []byte(w.expand(body.Content)))
}

func (w *world) putGroup(group, timeout, via string) error {
	return w.sendJSON(http.MethodPut, w.groupPath(w.rev(via), group), groupBody(w.id(group), timeout))
}

func (w *world) putGroupWithBody(group string, body *godog.DocString) error {
	return w.send(http.MethodPut, w.groupPath(w.base, group), []byte(w.expand(body.Content)))
}

func (w *world) getGroup(group, via string) error {
	return w.send(http.MethodGet, w.groupPath(w.rev(via), group), nil)
}

func (w *world) getGroupElsewhere(group, kind, name string) error {
	return w.elsewhere(kind, name, func() error { return w.getGroup(group, "") })
}

func (w *world) deleteGroup(group, via string) error {
	return w.send(http.MethodDelete, w.groupPath(w.rev(via), group), nil)
}

func (w *world) listGroups(via string) error {
	return w.send(http.MethodGet, w.groupsPath(w.rev(via)), nil)
}

func (w *world) listGroupsWith(query string) error {
	return w.send(http.MethodGet, w.groupsPath(w.base)+"?"+w.expand(query), nil)
}

func (w *world) listGroupsElsewhere(kind, name string) error {
	return w.elsewhere(kind, name, func() error { return w.listGroups("") })
}

// changeTimeout replaces the group with the same configuration and a new
// FailoverTimeout.
func (w *world) changeTimeout(group, timeout string) error {
	path := w.groupPath(w.base, group)
	r, err := w.expect(http.StatusOK, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	body, ok := r.doc.(map[string]any)
	if !ok {
		return fmt.Errorf("got %s, want a group", r)
	}
	body["FailoverTimeout"] = timeout
	if _, err := w.expect(http.StatusOK, http.MethodPut, path, body); err != nil {
		return fmt.Errorf("changing the failover timeout of group %q: %w", group, err)
	}
	return nil
}

func (w *world) getStatus(group, via string) error {
	return w.send(http.MethodGet, w.groupPath(w.rev(via), group)+"/status", nil)
}

func (w *world) responseIsGroup(group, timeout string) error {
	if err := w.propertyIs("Id", strconv.Quote(w.id(group))); err != nil {
		return err
	}
	return w.propertyIs("FailoverTimeout", strconv.Quote(timeout))
}

// listedIDs reads the Id of every item of a list response.
func listedIDs(r *response) ([]string, error) {
	items, ok := r.doc.([]any)
	if !ok {
		return nil, fmt.Errorf("got %s, want a JSON array", r)
	}
	ids := make([]string, len(items))
	for i, item := range items {
		m, _ := item.(map[string]any)
		id, ok := m["Id"].(string)
		if !ok {
			return nil, fmt.Errorf("item %d of %s has no string Id", i, r)
		}
		ids[i] = id
	}
	return ids, nil
}

// responseListsGroups checks that the list holds exactly these groups, in
// any order (the documents promise no order).
func (w *world) responseListsGroups(list string) error { return w.responseListsIDs("groups", list) }

// responseListsIDs checks that the listed items have exactly the ids of
// these aliases, in any order.
func (w *world) responseListsIDs(what, list string) error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	got, err := listedIDs(r)
	if err != nil {
		return err
	}
	var want []string
	for _, alias := range quoted(list) {
		want = append(want, w.id(alias))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("got %s %q, want %q", what, got, want)
	}
	return nil
}

func (w *world) groupExists(group string) error {
	_, err := w.expect(http.StatusOK, http.MethodGet, w.groupPath(w.base, group), nil)
	return err
}

func (w *world) groupDoesNotExist(group string) error {
	_, err := w.expect(http.StatusNotFound, http.MethodGet, w.groupPath(w.base, group), nil)
	return err
}

func (w *world) groupHasTimeout(group, timeout string) error {
	return w.readsString(w.groupPath(w.base, group), "FailoverTimeout", timeout)
}

// readsString reads path (it must answer 200) and checks that a string
// property of the answer is want.
func (w *world) readsString(path, property, want string) error {
	r, err := w.expect(http.StatusOK, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	if got, _ := lookup(r.doc, property); got != want {
		return fmt.Errorf("got %s %s, want %q", property, show(got), want)
	}
	return nil
}

func (w *world) namespaceHasGroups(n int) error {
	r, err := w.expect(http.StatusOK, http.MethodGet, w.groupsPath(w.base)+"?count=1000", nil)
	if err != nil {
		return err
	}
	ids, err := listedIDs(r)
	if err != nil {
		return err
	}
	if len(ids) != n || r.header.Get("Total-Count") != strconv.Itoa(n) {
		return fmt.Errorf("got %d groups %q and Total-Count %q, want %d", len(ids), ids, r.header.Get("Total-Count"), n)
	}
	return nil
}

// snapshot is what a group looks like through the API: its configuration,
// its status and its client sessions.
func (w *world) snapshot(group string) (string, error) {
	path := w.groupPath(w.base, group)
	var parts []string
	for _, p := range []string{path, path + "/status", path + "/clientsessions"} {
		r, err := w.do(http.MethodGet, p, nil)
		if err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%d %s", r.status, r.body))
	}
	return strings.Join(parts, "\n"), nil
}

func (w *world) noteGroup(group string) error {
	s, err := w.snapshot(group)
	w.notes[group] = s
	return err
}

func (w *world) groupUnchanged(group string) error {
	before, ok := w.notes[group]
	if !ok {
		return fmt.Errorf("take note of group %q first", group)
	}
	after, err := w.snapshot(group)
	if err != nil {
		return err
	}
	if after != before {
		return fmt.Errorf("group %q changed:\nbefore:\n%s\nafter:\n%s", group, before, after)
	}
	return nil
}

// pageThroughGroups lists all groups, then page by page, and compares.
func (w *world) pageThroughGroups(size int) error {
	all, err := w.expect(http.StatusOK, http.MethodGet, w.groupsPath(w.base)+"?count=1000", nil)
	if err != nil {
		return err
	}
	want, err := listedIDs(all)
	if err != nil {
		return err
	}
	var got []string
	for skip := 0; skip <= len(want); skip += size {
		r, err := w.expect(http.StatusOK, http.MethodGet, fmt.Sprintf("%s?skip=%d&count=%d", w.groupsPath(w.base), skip, size), nil)
		if err != nil {
			return err
		}
		page, err := listedIDs(r)
		if err != nil {
			return err
		}
		got = append(got, page...)
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("pages of %d listed %q, want %q", size, got, want)
	}
	return nil
}

// roleHolder reads `no primary` / `"S1" as primary` as the expected id (nil
// for none).
func (w *world) roleHolder(text string) any {
	if strings.HasPrefix(text, "no ") {
		return nil
	}
	return w.id(quoted(text)[0])
}

func (w *world) status(group string) (*response, error) {
	if group == "" {
		group = w.group
	}
	if group == "" {
		return nil, fmt.Errorf("no group has been named yet")
	}
	return w.expect(http.StatusOK, http.MethodGet, w.groupPath(w.base, group)+"/status", nil)
}

func (w *world) statusShowsRoles(group, primary, pending string) error {
	r, err := w.status(group)
	if err != nil {
		return err
	}
	return w.statusHolds(r, primary, pending)
}

// statusHolds checks a group status answer names these holders of the
// roles ("no primary", "\"S1\" as primary", ...).
func (w *world) statusHolds(r *response, primary, pending string) error {
	for _, check := range []struct {
		name string
		want any
	}{{"Primary", w.roleHolder(primary)}, {"PendingPrimary", w.roleHolder(pending)}} {
		got, err := lookup(r.doc, check.name)
		if err != nil {
			return err
		}
		if !sameIDs(check.want, got) {
			return fmt.Errorf("got %s %s (%s), want %s (%s); the status was %s",
				check.name, show(got), w.describe(got), show(check.want), w.describe(check.want), r.body)
		}
	}
	return nil
}

// sameIDs compares ids ignoring case, as the service matches them.
func sameIDs(want, got any) bool {
	ws, wok := want.(string)
	gs, gok := got.(string)
	if !wok || !gok {
		return want == nil && got == nil
	}
	return ids.Equal(ws, gs)
}

// describe names the alias of an id, for messages.
func (w *world) describe(id any) string {
	s, ok := id.(string)
	if !ok {
		return "none"
	}
	if a := w.aliasOf(s); a != "" {
		return "client " + strconv.Quote(a)
	}
	return "unknown"
}

func (w *world) statusShowsTime(group, text string) error {
	r, err := w.status(group)
	if err != nil {
		return err
	}
	got, err := lookup(r.doc, "LastDataProcessedTime")
	if err != nil {
		return err
	}
	var want any
	if q := quoted(text); len(q) > 0 {
		want = q[0]
	}
	if !sameJSON(want, got) {
		return fmt.Errorf("got LastDataProcessedTime %s, want %s; the status was %s", show(got), show(want), r.body)
	}
	return nil
}

func (w *world) collectionACLPath() string {
	return w.scopePath(ga) + "/accesscontrol/clientfailover/groups"
}

func (w *world) getCollectionACL() error {
	return w.send(http.MethodGet, w.collectionACLPath(), nil)
}

// The names of the enumerations in access control tables.
var (
	trusteeTypes = map[string]int{"User": 1, "Client": 2, "Role": 3}
	accessTypes  = map[string]int{"Allowed": 0, "Denied": 1}
)

// entries reads an access control table with the columns Type, ObjectId,
// TenantId, AccessType and AccessRights into JSON entries. Enumerations are
// named or numbered; "null" is null; placeholders are expanded.
func (w *world) entries(table *godog.Table) ([]any, error) {
	if len(table.Rows) == 0 {
		return nil, fmt.Errorf("the table needs a header row")
	}
	var head []string
	for _, c := range table.Rows[0].Cells {
		head = append(head, c.Value)
	}
	out := []any{}
	for _, row := range table.Rows[1:] {
		trustee := map[string]any{}
		entry := map[string]any{"Trustee": trustee}
		for i, c := range row.Cells {
			v := w.expand(c.Value)
			switch head[i] {
			case "Type":
				trustee["Type"] = enum(v, trusteeTypes)
			case "ObjectId", "TenantId":
				if v == "null" {
					trustee[head[i]] = nil
				} else {
					trustee[head[i]] = v
				}
			case "AccessType":
				entry["AccessType"] = enum(v, accessTypes)
			case "AccessRights":
				entry["AccessRights"] = json.Number(v)
			default:
				return nil, fmt.Errorf("unknown column %q (want Type, ObjectId, TenantId, AccessType, AccessRights)", head[i])
			}
		}
		out = append(out, entry)
	}
	return out, nil
}

// enum is a named value's number, or the text as a JSON value.
func enum(v string, names map[string]int) any {
	if n, ok := names[v]; ok {
		return json.Number(strconv.Itoa(n))
	}
	if lit, err := literal(v); err == nil {
		return lit
	}
	return v
}

func (w *world) setCollectionACL(table *godog.Table) error {
	entries, err := w.entries(table)
	if err != nil {
		return err
	}
	return w.sendJSON(http.MethodPut, w.collectionACLPath(), map[string]any{"RoleTrusteeAccessControlEntries": entries})
}

func (w *world) entriesAre(r *response, table *godog.Table) error {
	want, err := w.entries(table)
	if err != nil {
		return err
	}
	got, err := lookup(r.doc, "RoleTrusteeAccessControlEntries")
	if err != nil {
		return err
	}
	// Round-trip the expectation so numbers compare as json.Number.
	b, _ := json.Marshal(want)
	var expected any
	if err := decodeJSON(b, &expected); err != nil {
		return err
	}
	if !sameJSON(expected, got) {
		return fmt.Errorf("got entries %s, want %s", show(got), b)
	}
	return nil
}

func (w *world) responseListsEntries(table *godog.Table) error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	return w.entriesAre(r, table)
}

func (w *world) collectionACLIs(table *godog.Table) error {
	r, err := w.expect(http.StatusOK, http.MethodGet, w.collectionACLPath(), nil)
	if err != nil {
		return err
	}
	return w.entriesAre(r, table)
}

func (w *world) getInformation(via string) error {
	return w.send(http.MethodGet, w.servicePath(w.rev(via)), nil)
}
