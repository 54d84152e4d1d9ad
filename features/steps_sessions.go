package features

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cucumber/godog"
)

// The roles and override values as the API numbers them.
var (
	roles     = map[string]int{"Secondary": 0, "Primary": 1, "PendingPrimary": 2}
	roleNames = map[int]string{0: "Secondary", 1: "Primary", 2: "PendingPrimary"}
)

const role = `(Primary|PendingPrimary|Secondary)`

// sessionSteps are the steps about clients: their sessions, heartbeats and
// role overrides.
func (w *world) sessionSteps(sc *godog.ScenarioContext) {
	sc.Step(`^client "([^"]*)" has joined group "([^"]*)"`+viaV1+`$`, w.haveJoined)
	sc.Step(`^clients `+aliases+` have joined group "([^"]*)"$`, w.haveAllJoined)
	sc.Step(`^client "([^"]*)" joins group "([^"]*)"`+viaV1+`$`, w.join)
	sc.Step(`^client "([^"]*)" joins group "([^"]*)" with the name "([^"]*)"$`, w.joinNamed)
	sc.Step(`^client "([^"]*)" joins group "([^"]*)" with the body:$`, w.joinWithBody)
	sc.Step(`^a client without an Id joins group "([^"]*)"$`, w.joinWithoutID)
	sc.Step(`^I get client "([^"]*)"`+viaV1+`$`, w.getClient)
	sc.Step(`^I delete client "([^"]*)"$`, w.deleteClient)
	sc.Step(`^I list the clients of group "([^"]*)"`+viaV1+`$`, w.listClients)
	sc.Step(`^the response lists the clients `+aliases+`$`, w.responseListsClients)
	sc.Step(`^the response lists no clients$`, func() error { return w.responseListsClients("") })
	sc.Step(`^client "([^"]*)" (?:is|is still|stays) `+role+`$`, w.clientIs)

	sc.Step(`^client "([^"]*)" sends a heartbeat with score (\S+)$`, func(c, score string) error { return w.sendHeartbeat(c, score, "") })
	sc.Step(`^client "([^"]*)" sends a heartbeat with score (\S+) and last data processed at "([^"]*)"$`, w.sendHeartbeat)
	sc.Step(`^client "([^"]*)" sends a heartbeat with the body:$`, w.sendHeartbeatBody)
	sc.Step(`^client "([^"]*)" has sent a heartbeat with score (\S+)$`, w.haveSentHeartbeat)
	sc.Step(`^the heartbeat response tells "([^"]*)" it is `+role+`$`, w.heartbeatTells)
	sc.Step(`^the heartbeat response carries (no last data processed time|last data processed time "[^"]*")$`, w.heartbeatCarries)

	sc.Step(`^an operator forces client "([^"]*)" to Primary$`, func(c string) error { return w.override(c, 1, nil) })
	sc.Step(`^an operator forces client "([^"]*)" to Primary for "([^"]*)"$`, func(c, period string) error { return w.override(c, 1, period) })
	// Forced Secondary is the on-premises service's: sent by name, as its
	// documentation does.
	sc.Step(`^an operator forces client "([^"]*)" to Secondary$`, func(c string) error { return w.override(c, "Secondary", nil) })
	sc.Step(`^an operator forces client "([^"]*)" to Secondary for "([^"]*)"$`, func(c, period string) error { return w.override(c, "Secondary", period) })
	sc.Step(`^an operator turns off the override of client "([^"]*)"$`, func(c string) error { return w.override(c, 0, nil) })
	sc.Step(`^an operator sends the role override of client "([^"]*)":$`, w.overrideWithBody)
	sc.Step(`^client "([^"]*)" has (no override|an override to (?:Primary|Secondary) that never expires|an override to (?:Primary|Secondary) until "[^"]*")$`, w.clientHasOverride)
}

func (w *world) joinBody(c string) map[string]any {
	return map[string]any{"Id": w.id(c)}
}

// register remembers the group a client joined and the revision it speaks.
func (w *world) register(c, group string, r revision) {
	w.clients[c] = &client{group: group, rev: r}
	w.group = group
	w.lastClient = c
}

func (w *world) haveJoined(c, group, via string) error {
	w.register(c, group, w.rev(via))
	_, err := w.expect(http.StatusCreated, http.MethodPost, w.sessionsPath(w.rev(via), group), w.joinBody(c))
	if err != nil {
		return fmt.Errorf("client %q joining group %q: %w", c, group, err)
	}
	return nil
}

func (w *world) haveAllJoined(list, group string) error {
	for _, c := range quoted(list) {
		if err := w.haveJoined(c, group, ""); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) join(c, group, via string) error {
	w.register(c, group, w.rev(via))
	return w.sendJSON(http.MethodPost, w.sessionsPath(w.rev(via), group), w.joinBody(c))
}

func (w *world) joinNamed(c, group, name string) error {
	w.register(c, group, w.base)
	b := w.joinBody(c)
	b["Name"] = name
	return w.sendJSON(http.MethodPost, w.sessionsPath(w.base, group), b)
}

func (w *world) joinWithBody(c, group string, body *godog.DocString) error {
	w.register(c, group, w.base)
	return w.send(http.MethodPost, w.sessionsPath(w.base, group), []byte(w.expand(body.Content)))
}

func (w *world) joinWithoutID(group string) error {
	return w.sendJSON(http.MethodPost, w.sessionsPath(w.base, group), map[string]any{})
}

// clientPath is the path of a client's session, in the revision a step
// names or else the one the client speaks.
func (w *world) clientPath(c, via string) (string, revision, error) {
	cl, err := w.clientOf(c)
	if err != nil {
		return "", w.base, err
	}
	r := cl.rev
	if via != "" {
		r = ga
	}
	return w.sessionsPath(r, cl.group) + "/" + url.PathEscape(w.id(c)), r, nil
}

func (w *world) getClient(c, via string) error {
	path, _, err := w.clientPath(c, via)
	if err != nil {
		return err
	}
	return w.send(http.MethodGet, path, nil)
}

func (w *world) deleteClient(c string) error {
	path, _, err := w.clientPath(c, "")
	if err != nil {
		return err
	}
	return w.send(http.MethodDelete, path, nil)
}

func (w *world) listClients(group, via string) error {
	return w.send(http.MethodGet, w.sessionsPath(w.rev(via), group), nil)
}

// responseListsClients checks the list holds exactly these clients, in any
// order (the documents promise no order).
func (w *world) responseListsClients(list string) error { return w.responseListsIDs("clients", list) }

// clientIs reads a client's session and checks its role.
func (w *world) clientIs(c, want string) error {
	path, _, err := w.clientPath(c, "")
	if err != nil {
		return err
	}
	r, err := w.expect(http.StatusOK, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	got, err := lookup(r.doc, "Role")
	if err != nil {
		return err
	}
	if n, ok := number(got); !ok || int(n) != roles[want] {
		return fmt.Errorf("client %q has Role %s (%s), want %d (%s)", c, show(got), roleName(got), roles[want], want)
	}
	return nil
}

func roleName(v any) string {
	if n, ok := number(v); ok {
		if name, ok := roleNames[int(n)]; ok {
			return name
		}
	}
	return "no role"
}

// sendHeartbeat sends a heartbeat of client c in the revision it speaks,
// with the client's own clock as HeartbeatTime, and makes the answer the last
// response.
func (w *world) sendHeartbeat(c, score, processed string) error {
	n, err := literal(score)
	if err != nil {
		return err
	}
	_, r, err := w.clientPath(c, "")
	if err != nil {
		return err
	}
	body := map[string]any{r.score: n, "HeartbeatTime": time.Now().UTC().Format(time.RFC3339Nano)}
	if processed != "" {
		body["LastDataProcessedTime"] = processed
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return w.postHeartbeat(c, b)
}

func (w *world) sendHeartbeatBody(c string, body *godog.DocString) error {
	return w.postHeartbeat(c, []byte(w.expand(body.Content)))
}

func (w *world) postHeartbeat(c string, body []byte) error {
	path, _, err := w.clientPath(c, "")
	if err != nil {
		return err
	}
	w.lastBeat = c
	return w.send(http.MethodPost, path+"/heartbeat", body)
}

// haveSentHeartbeat is sendHeartbeat for a story's setup: it must succeed.
func (w *world) haveSentHeartbeat(c, score string) error {
	if err := w.sendHeartbeat(c, score, ""); err != nil {
		return err
	}
	if w.last.status != http.StatusOK {
		return fmt.Errorf("heartbeat of client %q: got %s, want status 200", c, w.last)
	}
	return nil
}

// heartbeatResponse is the last response, which must be a FailoverResponse
// to a heartbeat of client c.
func (w *world) heartbeatResponse(c string) (*response, error) {
	if w.lastBeat != c {
		return nil, fmt.Errorf("the last heartbeat was sent by client %q, not %q", w.lastBeat, c)
	}
	r, err := w.lastResponse()
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, fmt.Errorf("got %s, want a heartbeat response (200)", r)
	}
	if err := w.isValid("FailoverResponse"); err != nil {
		return nil, err
	}
	return r, nil
}

func (w *world) heartbeatTells(c, want string) error {
	r, err := w.heartbeatResponse(c)
	if err != nil {
		return err
	}
	got, _ := lookup(r.doc, "Role")
	if n, ok := number(got); !ok || int(n) != roles[want] {
		return fmt.Errorf("the heartbeat response tells client %q Role %s (%s), want %d (%s)", c, show(got), roleName(got), roles[want], want)
	}
	return nil
}

func (w *world) heartbeatCarries(text string) error {
	r, err := w.heartbeatResponse(w.lastBeat)
	if err != nil {
		return err
	}
	got, _ := lookup(r.doc, "LastDataProcessedTime")
	var want any
	if q := quoted(text); len(q) > 0 {
		want = q[0]
	}
	if !sameJSON(want, got) {
		return fmt.Errorf("the heartbeat response carries LastDataProcessedTime %s, want %s", show(got), show(want))
	}
	return nil
}

// override posts a role override: value 1 Primary, 0 Off, or a name;
// period nil (never expires) or a time-span.
func (w *world) override(c string, value, period any) error {
	path, _, err := w.clientPath(c, "")
	if err != nil {
		return err
	}
	return w.sendJSON(http.MethodPost, path+"/roleoverride", map[string]any{"Value": value, "ExpirationPeriod": period})
}

func (w *world) overrideWithBody(c string, body *godog.DocString) error {
	path, _, err := w.clientPath(c, "")
	if err != nil {
		return err
	}
	return w.send(http.MethodPost, path+"/roleoverride", []byte(w.expand(body.Content)))
}

// clientHasOverride reads a client's session and checks its override and
// when it expires.
func (w *world) clientHasOverride(c, text string) error {
	path, r, err := w.clientPath(c, "")
	if err != nil {
		return err
	}
	resp, err := w.expect(http.StatusOK, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	value, expires := 1, any(nil)
	switch {
	case text == "no override":
		value = 0
	case strings.Contains(text, "to Secondary"):
		value = 2
	}
	if strings.Contains(text, "until") {
		expires = quoted(text)[0]
	}
	got, err := lookup(resp.doc, r.override)
	if err != nil {
		return err
	}
	if n, ok := number(got); !ok || int(n) != value {
		return fmt.Errorf("client %q has %s %s, want %d; the session was %s", c, r.override, show(got), value, resp.body)
	}
	gotExpires, err := lookup(resp.doc, "RoleOverrideExpirationTime")
	if err != nil {
		return err
	}
	if !sameJSON(expires, gotExpires) {
		return fmt.Errorf("client %q has RoleOverrideExpirationTime %s, want %s", c, show(gotExpires), show(expires))
	}
	return nil
}
