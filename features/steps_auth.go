package features

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// identities are the clients and users a scenario gave the emulator, by
// alias: their ids are the aliases' ids ({reader}), so access control
// tables name them as placeholders.
type identities struct {
	doc       fixture.Identities
	secrets   map[string]string // client alias → secret
	tokens    map[string]string // user alias → its first fixed token
	passwords map[string]string // Windows account name → password
}

// authSteps are the steps about tokens and access control lists enforced
// (the emulator's token authorisation, so only for @emulator scenarios).
func (w *world) authSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the emulator requires tokens and knows these (clients|users):$`, w.knowIdentities)
	sc.Step(`^the emulator also knows these (clients|users):$`, w.knowIdentities)

	sc.Step(`^I call as client "([^"]*)"$`, func(c string) error { return w.callAsClient(c, "Bearer") })
	sc.Step(`^I call as client "([^"]*)" with the scheme written "([^"]*)"$`, w.callAsClient)
	sc.Step(`^I call as user "([^"]*)"$`, w.callAsUser)
	sc.Step(`^I call without a token$`, func() error { return w.callWith("") })
	sc.Step(`^I call with the token "([^"]*)"$`, func(t string) error { return w.callWith("Bearer " + w.expand(t)) })
	sc.Step(`^I call with the Authorization header "([^"]*)"$`, func(h string) error { return w.callWith(w.expand(h)) })

	sc.Step(`^client "([^"]*)" asks for a token with the secret "([^"]*)"( in HTTP Basic)?$`, w.askForToken)
	sc.Step(`^I ask for a token with the form "([^"]*)"$`, w.askForTokenWithForm)
	sc.Step(`^the request is refused for want of a valid token$`, w.refusedForToken)

	sc.Step(`^I send a valid "([^"]*)" request$`, w.sendOperation)
	sc.Step(`^I take note of the emulator state$`, w.noteState)
	sc.Step(`^the emulator state is unchanged$`, w.stateUnchanged)

	sc.Step(`^the collection access control list has been set to:$`, w.haveSetCollectionACL)
	sc.Step(`^I get the access control list of group "([^"]*)"$`, w.getGroupACL)
	sc.Step(`^I set the access control list of group "([^"]*)" to:$`, w.setGroupACL)
	sc.Step(`^the access control list of group "([^"]*)" has been set to:$`, w.haveSetGroupACL)
	sc.Step(`^the access control list of group "([^"]*)" is:$`, w.groupACLIs)
	sc.Step(`^the response property "([^"]*)" lists the access control entries:$`, w.propertyListsEntries)
}

// knowIdentities gives the emulator the clients or users of a table (Id,
// and optionally Secret, Roles, Tenant, Token), keeping those given before,
// and turns token authorisation on. Roles are comma-separated names: a
// built-in role, or any other name, which becomes a role of the client's
// tenant with the id {role:Name}. Tenant is an alias of a tenant ("" = the
// scenario's). The whole state is replaced, so this comes before any data.
func (w *world) knowIdentities(kind string, table *godog.Table) error {
	rows, err := tableRows(table, "Id", "Secret", "Roles", "Tenant", "Token")
	if err != nil {
		return err
	}
	ids := &w.identities
	for _, row := range rows {
		alias := row["Id"]
		if alias == "" {
			return fmt.Errorf("every identity needs an Id")
		}
		tenant := w.tenant
		if t := row["Tenant"]; t != "" {
			tenant = w.id(t)
		}
		var roles []string
		for _, name := range strings.Split(row["Roles"], ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			roles = append(roles, name)
			if _, builtIn := roleIDs[name]; !builtIn && !ids.hasRole(name) {
				ids.doc.Roles = append(ids.doc.Roles, fixture.Role{Id: w.id(name), TenantId: tenant, Name: name})
			}
		}
		var tokens []string
		if t := row["Token"]; t != "" {
			tokens = []string{w.expand(t)}
			ids.tokens[alias] = tokens[0]
		}
		if kind == "clients" {
			ids.secrets[alias] = row["Secret"]
			ids.doc.Clients = append(ids.doc.Clients, fixture.Client{
				Id: w.id(alias), Secret: row["Secret"], TenantId: tenant, Roles: roles, Tokens: tokens})
		} else {
			ids.doc.Users = append(ids.doc.Users, fixture.User{
				Id: w.id(alias), TenantId: tenant, Roles: roles, Tokens: tokens})
		}
	}
	return w.requireTokens()
}

func (ids *identities) hasRole(name string) bool {
	for _, r := range ids.doc.Roles {
		if r.Name == name {
			return true
		}
	}
	return false
}

// tableRows reads a table with a header row into maps by column name,
// cells trimmed; it refuses columns it does not know.
func tableRows(table *godog.Table, known ...string) ([]map[string]string, error) {
	if len(table.Rows) == 0 {
		return nil, fmt.Errorf("the table needs a header row")
	}
	var head []string
	for _, c := range table.Rows[0].Cells {
		if !containsString(known, c.Value) {
			return nil, fmt.Errorf("unknown column %q (want some of %s)", c.Value, strings.Join(known, ", "))
		}
		head = append(head, c.Value)
	}
	var out []map[string]string
	for _, row := range table.Rows[1:] {
		m := map[string]string{}
		for i, c := range row.Cells {
			m[head[i]] = strings.TrimSpace(c.Value)
		}
		out = append(out, m)
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (w *world) callWith(authorization string) error {
	w.authorization = &authorization
	return nil
}

// callAsClient gets a token for a known client at the token endpoint and
// sends it on every later call to the API, after the scheme as written.
func (w *world) callAsClient(alias, scheme string) error {
	secret, ok := w.identities.secrets[alias]
	if !ok {
		return fmt.Errorf("client %q is not one the emulator was given in this scenario", alias)
	}
	r, err := w.tokenRequest(clientCredentials(w.id(alias), secret), "")
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return fmt.Errorf("getting a token for client %q: got %s, want status 200", alias, r)
	}
	token, _ := lookup(r.doc, "access_token")
	s, ok := token.(string)
	if !ok || s == "" {
		return fmt.Errorf("getting a token for client %q: got %s, want an access_token", alias, r)
	}
	return w.callWith(scheme + " " + s)
}

// callAsUser sends a known user's fixed token on every later call.
func (w *world) callAsUser(alias string) error {
	token, ok := w.identities.tokens[alias]
	if !ok {
		return fmt.Errorf("user %q has no fixed token in this scenario (give it a Token column)", alias)
	}
	return w.callWith("Bearer " + token)
}

func clientCredentials(id, secret string) string {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}.Encode()
}

const tokenPath = "/identity/connect/token"

// tokenRequest posts a form to the token endpoint, with an Authorization
// header of its own (none when "").
func (w *world) tokenRequest(form, authorization string) (*response, error) {
	header := http.Header{
		"Content-Type":  {"application/x-www-form-urlencoded"},
		"Authorization": {authorization},
	}
	return w.doWith(http.MethodPost, tokenPath, []byte(form), header)
}

func (w *world) askForToken(alias, secret, basic string) error {
	if basic == "" {
		r, err := w.tokenRequest(clientCredentials(w.id(alias), secret), "")
		return w.keep(http.MethodPost, tokenPath, r, err)
	}
	req, _ := http.NewRequest(http.MethodPost, "/", nil)
	req.SetBasicAuth(url.QueryEscape(w.id(alias)), url.QueryEscape(secret)) // RFC 6749 section 2.3.1
	r, err := w.tokenRequest("grant_type=client_credentials", req.Header.Get("Authorization"))
	return w.keep(http.MethodPost, tokenPath, r, err)
}

func (w *world) askForTokenWithForm(form string) error {
	r, err := w.tokenRequest(w.expand(form), "")
	return w.keep(http.MethodPost, tokenPath, r, err)
}

// refusedForToken checks a 401 ErrorResponse with a Bearer challenge.
func (w *world) refusedForToken() error {
	if err := w.failsWith(http.StatusUnauthorized); err != nil {
		return err
	}
	challenge := w.last.header.Get("WWW-Authenticate")
	scheme, _, _ := strings.Cut(strings.TrimSpace(challenge), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return fmt.Errorf("got WWW-Authenticate %q, want a Bearer challenge; the answer was %s", challenge, w.last)
	}
	return nil
}

// errUnknownOperation: no operation has the name a step gave.
var errUnknownOperation = errors.New("unknown operation")

// sendOperation sends a request of an operation, by its documented name,
// that would succeed for a caller with every right: on the group named last
// and the client named last, and creating a new group or client where the
// operation creates one; on the default surface. The on-premises
// configuration operations are configOperation's.
func (w *world) sendOperation(name string) error {
	needGroup := func() (string, error) {
		if w.group == "" {
			return "", fmt.Errorf("operation %q needs a group named before", name)
		}
		return w.groupPath(w.base, w.group), nil
	}
	needClient := func() (string, error) {
		if w.lastClient == "" {
			return "", fmt.Errorf("operation %q needs a client named before", name)
		}
		path, _, err := w.clientPath(w.lastClient, "")
		return path, err
	}
	everything := map[string]any{"RoleTrusteeAccessControlEntries": []any{map[string]any{
		"Trustee":    map[string]any{"Type": trusteeTypes["Role"], "ObjectId": roleIDs["Tenant Member"], "TenantId": w.tenant},
		"AccessType": accessTypes["Allowed"], "AccessRights": 31,
	}}}
	var (
		method, path string
		body         any
		err          error
	)
	switch name {
	case "List Group Configurations":
		method, path = http.MethodGet, w.groupsPath(w.base)
	case "Post Group":
		method, path, body = http.MethodPost, w.groupsPath(w.base), groupBody(w.id("Newcomer group"), defaultTimeout)
	case "Get Group Configuration":
		method = http.MethodGet
		path, err = needGroup()
	case "Put Group":
		method = http.MethodPut
		path, err = needGroup()
		body = groupBody(w.id(w.group), "00:07:00")
	case "Delete Group":
		method = http.MethodDelete
		path, err = needGroup()
	case "Get Group Status":
		method = http.MethodGet
		path, err = needGroup()
		path += "/status"
	case "Get Collection Acl":
		method, path = http.MethodGet, w.collectionACLPath()
	case "Set Collection Acl":
		method, path, body = http.MethodPut, w.collectionACLPath(), everything
	case "Get Information":
		method, path = http.MethodGet, w.servicePath(w.base)
	case "List Client Sessions":
		method = http.MethodGet
		path, err = needGroup()
		path += "/clientsessions"
	case "Post Client Session":
		method, body = http.MethodPost, map[string]any{"Id": w.id("Newcomer client")}
		path, err = needGroup()
		path += "/clientsessions"
	case "Get Client Session":
		method = http.MethodGet
		path, err = needClient()
	case "Delete Client Session":
		method = http.MethodDelete
		path, err = needClient()
	case "Post Heartbeat Message":
		method, body = http.MethodPost, map[string]any{w.base.score: 100}
		path, err = needClient()
		path += "/heartbeat"
	case "Post Role Override":
		method, body = http.MethodPost, map[string]any{"Value": 1, "ExpirationPeriod": nil}
		path, err = needClient()
		path += "/roleoverride"
	case "Get Group Acl":
		method = http.MethodGet
		path, err = needGroup()
		path += "/accesscontrol"
	case "Set Group Acl":
		method, body = http.MethodPut, everything
		path, err = needGroup()
		path += "/accesscontrol"
	default:
		method, path, body, err = w.configOperation(name)
		if errors.Is(err, errUnknownOperation) {
			return fmt.Errorf("unknown operation %q (use the documented name, e.g. \"Get Group Status\")", name)
		}
	}
	if err != nil {
		return err
	}
	if w.base.onPremises && strings.Contains(name, "Acl") {
		return fmt.Errorf("operation %q is not one of the on-premises service's: tag the scenario %s", name, CloudTag)
	}
	if body == nil {
		return w.send(method, path, nil)
	}
	return w.sendJSON(method, path, body)
}

// The whole state, through the control API: what no caller of the API can
// change without it showing.

func (w *world) state() (any, error) {
	r, err := w.expect(http.StatusOK, http.MethodGet, "/_emulator/state", nil)
	if err != nil {
		return nil, err
	}
	return r.doc, nil
}

func (w *world) noteState() error {
	s, err := w.state()
	w.stateNote = s
	return err
}

func (w *world) stateUnchanged() error {
	if w.stateNote == nil {
		return fmt.Errorf("take note of the emulator state first")
	}
	after, err := w.state()
	if err != nil {
		return err
	}
	if !sameJSON(w.stateNote, after) {
		return fmt.Errorf("the emulator state changed:\nbefore: %s\nafter:  %s", show(w.stateNote), show(after))
	}
	return nil
}

// Access control lists, set as setup (they must succeed) or read.

func (w *world) haveSetCollectionACL(table *godog.Table) error {
	if err := w.setCollectionACL(table); err != nil {
		return err
	}
	return w.statusIs(http.StatusNoContent)
}

func (w *world) groupACLPath(group string) string {
	return w.groupPath(w.base, group) + "/accesscontrol"
}

func (w *world) getGroupACL(group string) error {
	return w.send(http.MethodGet, w.groupACLPath(group), nil)
}

func (w *world) setGroupACL(group string, table *godog.Table) error {
	entries, err := w.entries(table)
	if err != nil {
		return err
	}
	return w.sendJSON(http.MethodPut, w.groupACLPath(group), map[string]any{"RoleTrusteeAccessControlEntries": entries})
}

func (w *world) haveSetGroupACL(group string, table *godog.Table) error {
	if err := w.setGroupACL(group, table); err != nil {
		return err
	}
	return w.statusIs(http.StatusNoContent)
}

func (w *world) groupACLIs(group string, table *godog.Table) error {
	r, err := w.expect(http.StatusOK, http.MethodGet, w.groupACLPath(group), nil)
	if err != nil {
		return err
	}
	return w.entriesAre(r, table)
}

// propertyListsEntries checks an access control list inside the body, e.g.
// a v1 group's "AccessControl".
func (w *world) propertyListsEntries(path string, table *godog.Table) error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	acl, err := lookup(r.doc, path)
	if err != nil {
		return fmt.Errorf("%w; the answer was %s", err, r)
	}
	inner := *r
	inner.doc = acl
	return w.entriesAre(&inner, table)
}
