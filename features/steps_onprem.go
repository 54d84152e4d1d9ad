package features

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cucumber/godog"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// onPremSteps are the steps of what only the on-premises service has: HTTP
// Basic credentials of Windows accounts and its local groups, and its own
// configuration (the log level and the health endpoints); and the emulator's
// strict reading of bodies, which every surface has.
func (w *world) onPremSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the emulator requires Basic credentials and knows these Windows accounts:$`, w.knowAccounts)
	sc.Step(`^the emulator also knows these Windows accounts:$`, w.knowAccounts)
	sc.Step(`^I call as Windows account "([^"]*)"$`, w.callAsAccount)
	sc.Step(`^I call as Windows account "([^"]*)" with the password "([^"]*)"$`, func(name, password string) error {
		return w.callWith(basic(name, password))
	})
	sc.Step(`^I call without credentials$`, func() error { return w.callWith("") })
	sc.Step(`^the request is refused for want of Basic credentials$`, w.refusedForBasic)

	sc.Step(`^I get the configuration$`, func() error { return w.send(http.MethodGet, configPath, nil) })
	sc.Step(`^I put the configuration:$`, func(body *godog.DocString) error {
		return w.send(http.MethodPut, configPath, []byte(w.expand(body.Content)))
	})
	sc.Step(`^I get the logging configuration$`, func() error { return w.send(http.MethodGet, loggingPath, nil) })
	sc.Step(`^I set the log level to "([^"]*)"$`, func(level string) error {
		return w.sendJSON(http.MethodPut, loggingPath, map[string]any{"LogLevel": level})
	})
	sc.Step(`^the log level is "([^"]*)"$`, w.logLevelIs)

	sc.Step(`^a health endpoint "([^"]*)"$`, w.haveEndpoint)
	sc.Step(`^the health endpoints `+aliases+`$`, w.haveEndpoints)
	sc.Step(`^I add health endpoints with the body:$`, func(body *godog.DocString) error {
		return w.send(http.MethodPost, endpointsPath, []byte(w.expand(body.Content)))
	})
	sc.Step(`^I replace the health endpoints with:$`, func(body *godog.DocString) error {
		return w.send(http.MethodPut, endpointsPath, []byte(w.expand(body.Content)))
	})
	sc.Step(`^I list the health endpoints$`, func() error { return w.send(http.MethodGet, endpointsPath, nil) })
	sc.Step(`^I delete every health endpoint$`, func() error { return w.send(http.MethodDelete, endpointsPath, nil) })
	sc.Step(`^I get health endpoint "([^"]*)"$`, func(e string) error { return w.send(http.MethodGet, w.endpointPath(e), nil) })
	sc.Step(`^I put health endpoint "([^"]*)" with the body:$`, func(e string, body *godog.DocString) error {
		return w.send(http.MethodPut, w.endpointPath(e), []byte(w.expand(body.Content)))
	})
	sc.Step(`^I delete health endpoint "([^"]*)"$`, func(e string) error { return w.send(http.MethodDelete, w.endpointPath(e), nil) })
	sc.Step(`^the response lists the health endpoints `+aliases+`$`, func(list string) error {
		return w.responseListsIDs("health endpoints", list)
	})
	sc.Step(`^the health endpoints are `+aliases+`$`, w.endpointsAre)
	sc.Step(`^there are no health endpoints$`, func() error { return w.endpointsAre("") })

	sc.Step(`^the emulator reads request bodies strictly$`, func() error {
		_, err := w.expect(http.StatusOK, http.MethodPut, "/_emulator/config", map[string]any{"StrictBodies": true})
		return err
	})
}

// The on-premises service's configuration paths.
const (
	configPath    = "/api/v1/configuration"
	loggingPath   = configPath + "/logging"
	endpointsPath = configPath + "/healthEndpoints"
)

// basic is the Authorization header of HTTP Basic credentials (RFC 7617).
func basic(name, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(name+":"+password))
}

// knowAccounts gives the emulator the Windows accounts of a table (Name,
// Password, and Groups: comma-separated local groups, e.g.
// AVEVAFailoverUsers), keeping the identities given before, and turns token
// authorisation on, under which the on-premises surface wants Basic
// credentials. Names are Windows account names as written: PLANT\operator
// (in a Gherkin table a backslash stands for itself, except before \, | and
// n). The whole state is replaced, so this comes before any data.
func (w *world) knowAccounts(table *godog.Table) error {
	rows, err := tableRows(table, "Name", "Password", "Groups")
	if err != nil {
		return err
	}
	ids := &w.identities
	if ids.passwords == nil {
		ids.passwords = map[string]string{}
	}
	for _, row := range rows {
		if row["Name"] == "" {
			return fmt.Errorf("every Windows account needs a Name")
		}
		var groups []string
		for _, g := range strings.Split(row["Groups"], ",") {
			if g = strings.TrimSpace(g); g != "" {
				groups = append(groups, g)
			}
		}
		ids.passwords[row["Name"]] = row["Password"]
		ids.doc.WindowsAccounts = append(ids.doc.WindowsAccounts, fixture.WindowsAccount{
			Name: row["Name"], Password: row["Password"], Groups: groups})
	}
	return w.requireTokens()
}

// requireTokens replaces the emulator's state with no data and the
// scenario's identities, and turns token authorisation on.
func (w *world) requireTokens() error {
	state := map[string]any{"Namespaces": []any{}, "Identities": w.identities.doc}
	if _, err := w.expect(http.StatusNoContent, http.MethodPut, "/_emulator/state", state); err != nil {
		return fmt.Errorf("giving the emulator its identities: %w", err)
	}
	if _, err := w.expect(http.StatusOK, http.MethodPut, "/_emulator/config", map[string]any{"Auth": "token"}); err != nil {
		return fmt.Errorf("turning token authorisation on: %w", err)
	}
	return nil
}

// callAsAccount sends a known account's name and password on every later
// call to the API.
func (w *world) callAsAccount(name string) error {
	password, ok := w.identities.passwords[name]
	if !ok {
		return fmt.Errorf("the Windows account %q is not one the emulator was given in this scenario", name)
	}
	return w.callWith(basic(name, password))
}

// localChallenges are the on-premises service's challenges, in order.
var localChallenges = []string{`Basic realm="Client Failover Service"`, "Negotiate"}

// refusedForBasic checks a 401 ErrorResponse with the service's Basic and
// Negotiate challenges.
func (w *world) refusedForBasic() error {
	if err := w.failsWith(http.StatusUnauthorized); err != nil {
		return err
	}
	if got := w.last.header.Values("WWW-Authenticate"); !slices.Equal(got, localChallenges) {
		return fmt.Errorf("got WWW-Authenticate %q, want %q; the answer was %s", got, localChallenges, w.last)
	}
	return nil
}

func (w *world) logLevelIs(level string) error { return w.readsString(loggingPath, "LogLevel", level) }

// endpointPath is the path of a health endpoint; it becomes the endpoint
// named last.
func (w *world) endpointPath(alias string) string {
	w.endpoint = alias
	return endpointsPath + "/" + url.PathEscape(w.id(alias))
}

// endpointURL is the OMF URL a setup step gives an endpoint.
func (w *world) endpointURL(alias string) string {
	return "https://" + strings.ToLower(strings.ReplaceAll(alias, " ", "-")) + ".example:5460/omf"
}

func (w *world) haveEndpoint(alias string) error {
	body := map[string]any{"Id": w.id(alias), "Endpoint": w.endpointURL(alias)}
	if _, err := w.expect(http.StatusCreated, http.MethodPost, endpointsPath, body); err != nil {
		return fmt.Errorf("adding health endpoint %q: %w", alias, err)
	}
	w.endpoint = alias
	return nil
}

func (w *world) haveEndpoints(list string) error {
	for _, e := range quoted(list) {
		if err := w.haveEndpoint(e); err != nil {
			return err
		}
	}
	return nil
}

// endpointsAre lists the health endpoints and checks that they are exactly
// these, in the order added.
func (w *world) endpointsAre(list string) error {
	r, err := w.expect(http.StatusOK, http.MethodGet, endpointsPath, nil)
	if err != nil {
		return err
	}
	got, err := listedIDs(r)
	if err != nil {
		return err
	}
	want := []string{}
	for _, alias := range quoted(list) {
		want = append(want, w.id(alias))
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("got health endpoints %q, want %q", got, want)
	}
	return nil
}

// configOperation is the request of an on-premises configuration operation,
// by the emulator's name for it ("Put Logging Configuration"), that would
// succeed for an administrator: on the health endpoint named last, and
// adding a new one where the operation adds.
func (w *world) configOperation(name string) (method, path string, body any, err error) {
	needEndpoint := func() (string, error) {
		if w.endpoint == "" {
			return "", fmt.Errorf("operation %q needs a health endpoint named before", name)
		}
		return w.endpointPath(w.endpoint), nil
	}
	newcomer := map[string]any{"Id": w.id("Newcomer endpoint"), "Endpoint": w.endpointURL("Newcomer endpoint")}
	switch name {
	case "Get Configuration":
		return http.MethodGet, configPath, nil, nil
	case "Put Configuration":
		return http.MethodPut, configPath, map[string]any{"Logging": map[string]any{"LogLevel": "Debug"}, "HealthEndpoints": []any{newcomer}}, nil
	case "Get Logging Configuration":
		return http.MethodGet, loggingPath, nil, nil
	case "Put Logging Configuration":
		return http.MethodPut, loggingPath, map[string]any{"LogLevel": "Warning"}, nil
	case "List Health Endpoints":
		return http.MethodGet, endpointsPath, nil, nil
	case "Delete Health Endpoints":
		return http.MethodDelete, endpointsPath, nil, nil
	case "Post Health Endpoints":
		return http.MethodPost, endpointsPath, newcomer, nil
	case "Put Health Endpoints":
		return http.MethodPut, endpointsPath, []any{newcomer}, nil
	case "Get Health Endpoint":
		path, err = needEndpoint()
		return http.MethodGet, path, nil, err
	case "Put Health Endpoint":
		path, err = needEndpoint()
		return http.MethodPut, path, map[string]any{"Endpoint": "https://moved.example:5460/omf"}, err
	case "Delete Health Endpoint":
		path, err = needEndpoint()
		return http.MethodDelete, path, nil, err
	}
	return "", "", nil, errUnknownOperation
}
