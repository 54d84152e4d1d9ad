package schemas

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// decodeJSONPaths is canonicalisation as it was before parseCanonical:
// encoding/json's tree, then the token reader.
func decodeJSONPaths(body []byte, s *shape) (any, canonical, error) {
	doc, result, err := canonicalizeFast(body, s)
	if err == errFallback {
		return canonicalizeTokens(body, s)
	}
	return doc, result, err
}

// checkParseCanonical fails when parseCanonical decides body differently
// from the encoding/json paths (falling back is always allowed).
func checkParseCanonical(t *testing.T, schema string, body []byte) (decided bool) {
	t.Helper()
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := v.entry(schema)
	if err != nil {
		t.Fatal(err)
	}
	if tooDeep(body, MaxDepth) {
		return false
	}
	got, gotResult, gotErr := parseCanonical(body, e.shape)
	if gotErr == errFallback {
		return false
	}
	want, wantResult, wantErr := decodeJSONPaths(body, e.shape)
	sortProblems := func(c *canonical) {
		slices.SortFunc(c.problems, func(a, b pathProblem) int { return strings.Compare(a.path, b.path) })
	}
	sortProblems(&gotResult)
	sortProblems(&wantResult)
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotResult, wantResult) || (gotErr == nil) != (wantErr == nil) {
		t.Errorf("%s %s:\n parseCanonical %#v %+v %v\n encoding/json  %#v %+v %v", schema, body, got, gotResult, gotErr, want, wantResult, wantErr)
	}
	return true
}

// parseCanonical builds exactly the tree the encoding/json paths build,
// with the same renames, drops, enum values and problems, or falls back.
func TestParseCanonicalMatchesEncodingJSON(t *testing.T) {
	for _, c := range []struct {
		schema, body string
		decided      bool // parseCanonical decides it (else it falls back)
	}{
		{FailoverHeartbeat, `{"FailoverStatus":100,"LastDataProcessedTime":"2024-01-02T03:04:05.1234567Z","HeartbeatTime":null}`, true},
		{V1FailoverHeartbeat, ` { "failoverScore" : -1.5e+3 , "lastDataProcessedTime" : "x" } `, true},
		{V1FailoverHeartbeat, `{"FailoverScore":0,"Extra":{"a":[1,2,{"b":null}]}}`, true},
		{V1FailoverHeartbeat, `{"FailoverScore":0,"Extra":1,"More":2}`, false}, // two drops: their order
		{V1FailoverHeartbeat, `{"FailoverScore":0,"failoverScore":1}`, false},  // repeated
		{V1FailoverHeartbeat, `{"FailoverScore":0,"FailoverScore":1}`, false},
		{GroupConfiguration, `{"id":"a\"b\\c\/d\n\t\r\b\f","Name":"Línea ∑","FailoverTimeout":"00:01:00"}`, true},
		{GroupConfiguration, `{"Id":"\u0041"}`, false},
		{GroupConfiguration, "{\"Id\":\"a\xffb\"}", false},
		{GroupConfiguration, "{\"Id\":\"a\x01b\"}", false},
		{GroupConfiguration, `{"Id":"a"} x`, false},
		{GroupConfiguration, `{"Id":"a",}`, false},
		{GroupConfiguration, `{"Id":01}`, false},
		{GroupConfiguration, `{"Id":1.}`, false},
		{GroupConfiguration, `{"Id":-}`, false},
		{GroupConfiguration, `{"Id":tru}`, false},
		{GroupConfiguration, `{"Id":truex}`, false},
		{GroupConfiguration, `[1,2,true,false,null,"s",{},[]]`, true},
		{GroupConfiguration, ``, false},
		{GroupConfiguration, `"just a string"`, true},
		{RoleOverrideConfiguration, `{"value":"primary","ExpirationPeriod":"00:30:00"}`, true},
		{RoleOverrideConfiguration, `{"Value":"Sideways"}`, true},
		{AccessControlList, `{"roleTrusteeAccessControlEntries":[{"trustee":{"type":"client","objectId":"x"},"accessType":"denied","accessRights":3},{"Trustee":{"Type":9}}]}`, true},
		{AccessControlList, `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":"Nobody"},"Bogus":1}]}`, true},
		{V1GroupConfiguration, `{"FailoverTimeout":"1","AdditionalData":{"a":1,"a":2}}`, false},
		{V1GroupConfiguration, `{"FailoverTimeout":"1","AdditionalData":{"Id":"kept","id":"as sent"}}`, true},
		{OnPremHealthEndpointOrList, `[{"endpoint":"http://a","ID":"x"},{"Endpoint":"https://b"}]`, true},
		{OnPremConfiguration, `{"logging":{"logLevel":"WARNING"},"healthEndpoints":[]}`, true},
	} {
		if decided := checkParseCanonical(t, c.schema, []byte(c.body)); decided != c.decided {
			t.Errorf("%s %s: parseCanonical decided %v, want %v", c.schema, c.body, decided, c.decided)
		}
	}
}

// The lists that are too long are left to the other paths.
func TestParseCanonicalLeavesLongListsToTheOtherPaths(t *testing.T) {
	body := `{"RoleTrusteeAccessControlEntries":[` + strings.Repeat(`{},`, MaxItems) + `{}]}`
	if checkParseCanonical(t, AccessControlList, []byte(body)) {
		t.Error("parseCanonical decided a list over MaxItems")
	}
}

func FuzzParseCanonical(f *testing.F) {
	names := Names()
	for _, seed := range []struct{ schema, body string }{
		{V1FailoverHeartbeat, `{"failoverScore":1e2,"LastDataProcessedTime":"2024-01-02T03:04:05Z"}`},
		{GroupConfiguration, `{"id":"g","failoverTimeout":"00:01:00","Colour":1}`},
		{AccessControlList, `{"RoleTrusteeAccessControlEntries":[{"Trustee":{"Type":"client","X":1},"AccessType":"Denied","Y":2}]}`},
		{V1GroupConfiguration, `{"FailoverTimeout":"1","AdditionalData":{"a":[[[{}]]]},"Owner":{"Type":"Role"}}`},
		{OnPremRoleOverrideConfiguration, `{"Value":"Secondary","ExpirationPeriod":"08:00:00"}`},
	} {
		f.Add(uint8(slices.Index(names, seed.schema)), []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		checkParseCanonical(t, names[int(which)%len(names)], body)
	})
}
