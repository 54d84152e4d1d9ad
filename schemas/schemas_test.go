package schemas_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/schemas"
)

// newValidator compiles the schemas or stops the test.
func newValidator(t testing.TB) *schemas.Validator {
	t.Helper()
	v, err := schemas.New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

// readSchema returns the raw embedded schema with the given name.
func readSchema(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := fs.ReadFile(schemas.FS(), name+".json")
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s.json is not a JSON object: %v", name, err)
	}
	return doc
}

func TestNamesAreTheEmbeddedSchemas(t *testing.T) {
	var embedded []string
	err := fs.WalkDir(schemas.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && path != "openapi.json" {
			embedded = append(embedded, strings.TrimSuffix(path, ".json"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	names := schemas.Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() is not sorted: %q", names)
	}
	slices.Sort(embedded)
	if !slices.Equal(names, embedded) {
		t.Errorf("Names() = %q\nembedded schema files = %q", names, embedded)
	}
}

func TestEverySchemaDeclaresItsIDAndDraft(t *testing.T) {
	for _, name := range schemas.Names() {
		t.Run(name, func(t *testing.T) {
			doc := readSchema(t, name)
			if got, want := doc["$id"], schemas.ID(name); got != want {
				t.Errorf("$id = %v, want %s", got, want)
			}
			if got, want := doc["$schema"], "https://json-schema.org/draft/2020-12/schema"; got != want {
				t.Errorf("$schema = %v, want %s", got, want)
			}
			if doc["title"] == nil || doc["description"] == nil {
				t.Errorf("title and description are required for readers of the schema")
			}
		})
	}
}

func TestEverySchemaCompiles(t *testing.T) {
	v := newValidator(t)
	for _, name := range schemas.Names() {
		// New compiled every schema; each is known to the Validator.
		err := v.Validate(name, json.RawMessage(`"probe"`))
		if errors.Is(err, schemas.ErrUnknownSchema) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestResponseSchemasRequireEveryProperty(t *testing.T) {
	// A response schema must catch a missing property: every property it
	// (or the request schema it extends) declares is required.
	responses := []string{
		schemas.GroupConfigurationResponse, schemas.GroupConfigurationLatestResponse, schemas.V1GroupConfigurationResponse,
		schemas.GroupStatus, schemas.ErrorResponse, schemas.FailoverEndpointInfo,
		schemas.AccessControlListResponse, schemas.AccessControlEntryResponse, schemas.TrusteeResponse,
		schemas.ClientSession, schemas.V1ClientSession,
		schemas.FailoverHeartbeatResponse, schemas.V1FailoverHeartbeatResponse,
		schemas.FailoverResponse, schemas.RoleOverrideResponse,
		schemas.OnPremGroupConfigurationResponse,
		schemas.OnPremRoleOverrideResponse, schemas.OnPremClientSession, schemas.OnPremHealthEndpointResponse,
		schemas.OnPremLoggingConfigurationResponse, schemas.OnPremConfigurationResponse,
	}
	for _, name := range responses {
		t.Run(name, func(t *testing.T) {
			declared := declaredProperties(t, name)
			doc := readSchema(t, name)
			var required []string
			for _, r := range doc["required"].([]any) {
				required = append(required, r.(string))
			}
			for _, p := range declared {
				if p == "AdditionalParameters" && name == schemas.ErrorResponse {
					continue // documented as optional: "may be added"
				}
				if !slices.Contains(required, p) {
					t.Errorf("property %s is declared but not required", p)
				}
			}
		})
	}
}

// declaredProperties lists the properties a schema declares itself or
// through the schemas its allOf refers to.
func declaredProperties(t *testing.T, name string) []string {
	doc := readSchema(t, name)
	var names []string
	props, _ := doc["properties"].(map[string]any)
	for p := range props {
		names = append(names, p)
	}
	all, _ := doc["allOf"].([]any)
	for _, member := range all {
		ref := member.(map[string]any)["$ref"].(string)
		target := strings.TrimSuffix(resolveName(name, ref), ".json")
		names = append(names, declaredProperties(t, target)...)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// resolveName resolves a relative $ref between schema files.
func resolveName(from, ref string) string {
	dir := ""
	if i := strings.LastIndexByte(from, '/'); i >= 0 {
		dir = from[:i+1]
	}
	for strings.HasPrefix(ref, "../") {
		ref = ref[3:]
		dir = dir[:strings.LastIndexByte(strings.TrimSuffix(dir, "/"), '/')+1]
	}
	return dir + ref
}

func TestUnknownSchema(t *testing.T) {
	v := newValidator(t)
	ignored, decodeErr := v.Decode("NoSuchThing", []byte(`{"Foo":1}`), nil)
	if ignored != nil {
		t.Errorf("Decode of an unknown schema: ignored = %q, want nil", ignored)
	}
	for _, err := range []error{
		decodeErr,
		v.Validate("NoSuchThing", []byte(`{}`)),
	} {
		if !errors.Is(err, schemas.ErrUnknownSchema) {
			t.Errorf("error = %v, want ErrUnknownSchema", err)
		}
	}
}

func TestDefaultIsSharedAndWorks(t *testing.T) {
	a, err := schemas.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	b, err := schemas.Default()
	if err != nil || a != b {
		t.Fatalf("Default returned %p and %p (%v): want one Validator per process", a, b, err)
	}
	if c := newValidator(t); c == a {
		t.Error("New returned the shared Validator; it must compile one of its own")
	}
}

func TestDefaultConcurrently(t *testing.T) {
	// Many goroutines get the shared Validator and use it at once (run with
	// -race): it has no state that changes.
	done := make(chan error)
	for i := range 8 {
		go func() {
			v, err := schemas.Default()
			if err == nil {
				body := `{"Value":"primary","ExpirationPeriod":"00:0` + string(rune('0'+i)) + `:00","Extra":1}`
				var ignored []string
				ignored, err = v.Decode(schemas.RoleOverrideConfiguration, []byte(body), nil)
				if err == nil && (len(ignored) != 1 || ignored[0] != "Extra") {
					err = errors.New("ignored " + strings.Join(ignored, ","))
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
