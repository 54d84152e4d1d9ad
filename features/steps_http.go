package features

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"github.com/adh-emulator/clientfailover/schemas"
)

// httpSteps are the raw requests and the checks of the last response, for
// the conventions every operation follows.
func (w *world) httpSteps(sc *godog.ScenarioContext) {
	const method = `(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)`
	sc.Step(`^I send `+method+` to "([^"]*)"$`, w.sendRaw)
	sc.Step(`^I send `+method+` to "([^"]*)" with the body:$`, w.sendRawBody)
	sc.Step(`^I send (POST|PUT) to "([^"]*)" with the Content-Type "([^"]*)" and the body:$`, w.sendTyped)
	sc.Step(`^I send (POST|PUT) to "([^"]*)" without a Content-Type and with the body:$`, func(method, path string, body *godog.DocString) error {
		return w.sendTyped(method, path, "", body)
	})
	sc.Step(`^I send (POST|PUT) to "([^"]*)" with a JSON body of (\d+) bytes$`, w.sendLargeBody)
	sc.Step(`^I send (POST|PUT) to "([^"]*)" with the remembered body$`, w.sendRemembered)
	sc.Step(`^I remember the response body$`, w.rememberBody)
	sc.Step(`^the response body is the remembered body$`, w.bodyIsRemembered)

	sc.Step(`^the response status is (\d+)$`, w.statusIs)
	sc.Step(`^the request fails with status (\d+)$`, w.failsWith)
	sc.Step(`^the error response (?:says|mentions) "([^"]*)"$`, w.errorSays)
	sc.Step(`^the response is a valid "([^"]*)"$`, w.isValid)
	sc.Step(`^the response body is empty$`, w.bodyIsEmpty)
	sc.Step(`^the response is a list of (\d+) items?$`, w.isListOf)
	sc.Step(`^the response header "([^"]*)" is (.+)$`, w.headerIs)
	sc.Step(`^the response property "([^"]*)" is (.+)$`, w.propertyIs)
	sc.Step(`^the response has exactly the properties ((?:"[^"]*"(?:, | and )?)+)$`, w.hasExactlyProperties)
}

func (w *world) sendRaw(method, path string) error {
	return w.send(method, w.expand(path), nil)
}

func (w *world) sendRawBody(method, path string, body *godog.DocString) error {
	return w.send(method, w.expand(path), []byte(w.expand(body.Content)))
}

// sendTyped sends a body with a Content-Type of the scenario's choosing
// ("" sends none), where every other step sends application/json.
func (w *world) sendTyped(method, path, contentType string, body *godog.DocString) error {
	header := http.Header{}
	if contentType != "" {
		header.Set("Content-Type", contentType)
	}
	path = w.expand(path)
	r, err := w.doWith(method, path, []byte(w.expand(body.Content)), header)
	return w.keep(method, path, r, err)
}

// sendLargeBody sends a valid JSON object of exactly n bytes.
func (w *world) sendLargeBody(method, path string, n int) error {
	head, tail := `{"Id":"`+w.id("Large")+`","FailoverTimeout":"00:01:00","Description":"`, `"}`
	if n < len(head)+len(tail) {
		return fmt.Errorf("a JSON body needs at least %d bytes", len(head)+len(tail))
	}
	body := head + strings.Repeat("x", n-len(head)-len(tail)) + tail
	return w.send(method, w.expand(path), []byte(body))
}

func (w *world) sendRemembered(method, path string) error {
	if w.remembered == nil {
		return fmt.Errorf("no response body was remembered")
	}
	return w.send(method, w.expand(path), w.remembered)
}

func (w *world) rememberBody() error {
	r, err := w.lastResponse()
	if err != nil {
		return err
	}
	w.remembered = bytes.Clone(r.body)
	return nil
}

func (w *world) bodyIsRemembered() error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	var want any
	if err := decodeJSON(w.remembered, &want); err != nil {
		return fmt.Errorf("the remembered body is not JSON: %w", err)
	}
	if !sameJSON(want, r.doc) {
		return fmt.Errorf("got body %s, want the remembered %s", r.body, w.remembered)
	}
	return nil
}

func (w *world) statusIs(want int) error {
	r, err := w.lastResponse()
	if err != nil {
		return err
	}
	if r.status != want {
		return fmt.Errorf("got %s, want status %d", r, want)
	}
	return nil
}

// failsWith checks the status and that the body is a complete ErrorResponse.
func (w *world) failsWith(want int) error {
	if err := w.statusIs(want); err != nil {
		return err
	}
	return w.isError()
}

// isError checks that the last response is an ErrorResponse whose
// OperationId, Error, Reason and Resolution are non-empty strings.
func (w *world) isError() error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	if err := w.cfg.schemas.Validate(schemas.ErrorResponse, r.body); err != nil {
		return fmt.Errorf("got %s, not an ErrorResponse: %w", r, err)
	}
	m := r.doc.(map[string]any) // the schema says it is an object
	for _, name := range []string{"OperationId", "Error", "Reason", "Resolution"} {
		if s, _ := m[name].(string); strings.TrimSpace(s) == "" {
			return fmt.Errorf("got %s, want a non-empty %s", r, name)
		}
	}
	return nil
}

// errorSays checks that the ErrorResponse mentions some words (ignoring
// case) in its Error, Reason or Resolution.
func (w *world) errorSays(words string) error {
	if err := w.isError(); err != nil {
		return err
	}
	m := w.last.doc.(map[string]any)
	text := fmt.Sprint(m["Error"], " ", m["Reason"], " ", m["Resolution"])
	if !strings.Contains(strings.ToLower(text), strings.ToLower(w.expand(words))) {
		return fmt.Errorf("got error %q, want it to mention %q", text, words)
	}
	return nil
}

// The response schema of each type the features name, by surface: the
// preview, /api/v1 and the on-premises service ("" where it has none).
var responseSchemas = map[string][3]string{
	"GroupConfiguration":   {schemas.GroupConfigurationResponse, schemas.V1GroupConfigurationResponse, schemas.OnPremGroupConfigurationResponse},
	"ClientSession":        {schemas.ClientSession, schemas.V1ClientSession, schemas.OnPremClientSession},
	"GroupStatus":          {schemas.GroupStatus, schemas.GroupStatus, schemas.GroupStatus},
	"IGroupStatus":         {schemas.GroupStatus, schemas.GroupStatus, schemas.GroupStatus},
	"FailoverResponse":     {schemas.FailoverResponse, schemas.FailoverResponse, schemas.FailoverResponse},
	"RoleOverrideResponse": {schemas.RoleOverrideResponse, schemas.RoleOverrideResponse, schemas.OnPremRoleOverrideResponse},
	"AccessControlList":    {schemas.AccessControlListResponse, schemas.AccessControlListResponse, ""},
	"FailoverEndpointInfo": {schemas.FailoverEndpointInfo, schemas.FailoverEndpointInfo, schemas.FailoverEndpointInfo},
	"ErrorResponse":        {schemas.ErrorResponse, schemas.ErrorResponse, schemas.ErrorResponse},
	"Configuration":        {"", "", schemas.OnPremConfigurationResponse},
	"LoggingConfiguration": {"", "", schemas.OnPremLoggingConfigurationResponse},
	"HealthEndpoint":       {"", "", schemas.OnPremHealthEndpointResponse},
}

// isValid validates the last response against the schema of a type ("T"),
// or of a list of it ("T[]"), on the surface the request was sent to.
func (w *world) isValid(typ string) error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	name, list := strings.CutSuffix(typ, "[]")
	schema := name
	if s, ok := responseSchemas[name]; ok {
		i := 0
		switch revisionOf(r.path) {
		case ga:
			i = 1
		case onprem:
			i = 2
		}
		if schema = s[i]; schema == "" {
			return fmt.Errorf("%s %s is on the %s surface, which has no %s", r.method, r.path, revisionOf(r.path).name, name)
		}
	}
	if !list {
		if err := w.cfg.schemas.Validate(schema, r.body); err != nil {
			return fmt.Errorf("got %s, not a valid %s (schema %s): %w", r, typ, schema, err)
		}
		return nil
	}
	items, ok := r.doc.([]any)
	if !ok {
		return fmt.Errorf("got %s, want a JSON array of %s", r, name)
	}
	for i, item := range items {
		if err := w.cfg.schemas.Validate(schema, item); err != nil {
			return fmt.Errorf("item %d of %s is not a valid %s (schema %s): %w", i, r, name, schema, err)
		}
	}
	return nil
}

// jsonResponse is the last response, which must have a JSON body.
func (w *world) jsonResponse() (*response, error) {
	r, err := w.lastResponse()
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(r.body)) == 0 {
		return nil, fmt.Errorf("got %s, want a JSON body", r)
	}
	if r.docErr != nil {
		return nil, fmt.Errorf("got %s, the body is not JSON: %w", r, r.docErr)
	}
	return r, nil
}

func (w *world) bodyIsEmpty() error {
	r, err := w.lastResponse()
	if err != nil {
		return err
	}
	if len(r.body) != 0 {
		return fmt.Errorf("got %s, want an empty body", r)
	}
	return nil
}

func (w *world) isListOf(n int) error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	items, ok := r.doc.([]any)
	if !ok || len(items) != n {
		return fmt.Errorf("got %s, want a list of %d items", r, n)
	}
	return nil
}

// headerIs checks a header: `"value"` exactly, or `a whole number of at
// least N`.
func (w *world) headerIs(name, want string) error {
	r, err := w.lastResponse()
	if err != nil {
		return err
	}
	got, present := r.header.Get(name), len(r.header.Values(name)) > 0
	if !present {
		return fmt.Errorf("got %s with no %s header", r, name)
	}
	if rest, ok := strings.CutPrefix(want, "a whole number of at least "); ok {
		least, err := strconv.Atoi(rest)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", rest)
		}
		n, err := strconv.Atoi(got)
		if err != nil || n < least {
			return fmt.Errorf("got %s: %s, want a whole number of at least %d", name, got, least)
		}
		return nil
	}
	exact, err := strconv.Unquote(want)
	if err != nil {
		return fmt.Errorf(`write the expected header value in double quotes, or "a whole number of at least N"`)
	}
	if got != w.expand(exact) {
		return fmt.Errorf("got %s: %q, want %q", name, got, w.expand(exact))
	}
	return nil
}

// propertyIs checks a property of the JSON body (a dotted path, with
// placeholders such as "Heartbeat.{score}") against a JSON literal with
// placeholders, or one of: a new GUID, a non-empty string, a date-time, a
// list of N items.
// listOf is propertyIs's "a list of N items".
var listOf = regexp.MustCompile(`^a list of (\d+) items?$`)

func (w *world) propertyIs(path, want string) error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	path = w.expand(path)
	got, err := lookup(r.doc, path)
	if err != nil {
		return fmt.Errorf("%w; the answer was %s", err, r)
	}
	switch want {
	case "a new GUID":
		s, _ := got.(string)
		if !guidShape.MatchString(s) {
			return fmt.Errorf("got %s %s, want a GUID", path, show(got))
		}
		if a := w.aliasOf(s); a != "" {
			return fmt.Errorf("got %s %q, the id of %q, want a new one", path, s, a)
		}
		return nil
	case "a non-empty string":
		if s, _ := got.(string); strings.TrimSpace(s) == "" {
			return fmt.Errorf("got %s %s, want a non-empty string", path, show(got))
		}
		return nil
	case "a date-time":
		s, _ := got.(string)
		if _, err := parseDateTime(s); err != nil {
			return fmt.Errorf("got %s %s, want a date-time", path, show(got))
		}
		return nil
	}
	if m := between.FindStringSubmatch(want); m != nil {
		return dateTimeBetween(path, got, m[1], m[2])
	}
	if m := listOf.FindStringSubmatch(want); m != nil {
		if items, ok := got.([]any); !ok || strconv.Itoa(len(items)) != m[1] {
			return fmt.Errorf("got %s %s, want a list of %s items", path, show(got), m[1])
		}
		return nil
	}
	expected, err := literal(w.expand(want))
	if err != nil {
		return err
	}
	if !sameJSON(expected, got) {
		return fmt.Errorf("got %s %s, want %s; the answer was %s", path, show(got), show(expected), r)
	}
	return nil
}

var between = regexp.MustCompile(`^a date-time between "([^"]*)" and "([^"]*)"$`)

// dateTimeBetween checks that a property is a date-time from one instant to
// another, both included (for clocks that tick).
func dateTimeBetween(path string, got any, from, to string) error {
	s, _ := got.(string)
	t, err := parseDateTime(s)
	if err != nil {
		return fmt.Errorf("got %s %s, want a date-time", path, show(got))
	}
	lo, err1 := parseDateTime(from)
	hi, err2 := parseDateTime(to)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("write the bounds as date-times: %q, %q", from, to)
	}
	if t.Before(lo) || t.After(hi) {
		return fmt.Errorf("got %s %s, want a date-time between %s and %s", path, s, from, to)
	}
	return nil
}

// quoted reads a list written as "a", "b" and "c".
func quoted(list string) []string {
	var out []string
	for _, m := range quotedItem.FindAllStringSubmatch(list, -1) {
		out = append(out, m[1])
	}
	return out
}

var quotedItem = regexp.MustCompile(`"([^"]*)"`)

func (w *world) hasExactlyProperties(list string) error {
	r, err := w.jsonResponse()
	if err != nil {
		return err
	}
	m, ok := r.doc.(map[string]any)
	if !ok {
		return fmt.Errorf("got %s, want a JSON object", r)
	}
	want := quoted(w.expand(list))
	for _, name := range want {
		if _, ok := m[name]; !ok {
			return fmt.Errorf("got %s, want a property %q (exactly so spelled)", r, name)
		}
	}
	if len(m) != len(want) {
		return fmt.Errorf("got properties %s, want exactly %s", keys(m), list)
	}
	return nil
}
