package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Validator checks JSON documents against the embedded schemas. Nothing in
// it changes after [New] returns, so one Validator serves any number of
// goroutines: [Default] is the one every caller in a process can share.
type Validator struct {
	entries map[string]*entry // by schema name
	docs    map[string]any    // raw schema documents by $id, to explain errors
}

// entry is one compiled schema.
type entry struct {
	name   string
	schema *jsonschema.Schema
	shape  *shape // how to canonicalize property names; nil if free-form
}

// defaultValidator compiles the schemas once per process, on first use.
var defaultValidator = sync.OnceValues(New)

// Default returns the process-wide Validator, compiled on the first call and
// shared by every later one: compiling the schemas is most of what an
// emulator costs to start, and a Validator holds no state that changes, so
// one is enough for every server in a process (and is safe to use from many
// goroutines). The error, if any, is New's, and the same on every call.
func Default() (*Validator, error) { return defaultValidator() }

// New compiles every embedded schema into a Validator of its own. The
// formats the schemas use (see the package documentation) are registered on
// this Validator's compiler only, and asserted. No schema is fetched from
// outside the embedded files. Most callers want [Default], which compiles
// once per process; New is for a caller that must not share.
//
// The compiled schemas are read-only after New returns: jsonschema/v5's
// Schema.Validate only reads the compiled tree ("thread safe validation" in
// its documentation; its validate method writes no field of a Schema), and
// the format checkers are pure functions.
func New() (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.Formats = formats()
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("%s is not an embedded schema", s)
	}

	v := &Validator{entries: map[string]*entry{}, docs: map[string]any{}}
	for _, name := range Names() {
		data, err := fs.ReadFile(files, name+".json")
		if err != nil {
			return nil, fmt.Errorf("schemas: reading %s: %w", name, err)
		}
		var doc any
		if err := decodeJSON(data, &doc); err != nil {
			return nil, fmt.Errorf("schemas: parsing %s.json: %w", name, err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id != ID(name) {
			return nil, fmt.Errorf("schemas: %s.json has $id %q, want %q", name, id, ID(name))
		}
		v.docs[id] = doc
		if err := c.AddResource(id, bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("schemas: adding %s: %w", name, err)
		}
	}

	shapes := shapeBuilder{docs: v.docs, memo: map[string]*shape{}}
	for _, name := range Names() {
		compiled, err := c.Compile(ID(name))
		if err != nil {
			return nil, fmt.Errorf("schemas: compiling %s: %w", name, err)
		}
		s, err := shapes.build(ID(name), "")
		if err != nil {
			return nil, fmt.Errorf("schemas: reading the properties of %s: %w", name, err)
		}
		v.entries[name] = &entry{name: name, schema: compiled, shape: s}
	}
	return v, nil
}

// Decode reads a request body as the named schema describes it and, if dst
// is not nil, unmarshals it into dst with encoding/json. A dst of type
// *map[string]any (for an object), *[]any (for an array) or *any receives
// the canonical tree itself (strings, json.Number, bool, nil, []any and
// map[string]any values), which saves a second parse.
//
// It refuses a body nesting deeper than [MaxDepth] before parsing it, parses
// the body as JSON (numbers kept exact), refuses a body whose top level is
// not what the schema describes (an object, an array, or either), and then
// puts the document into its canonical form:
//
//   - every property name, at any depth (following $ref into nested objects
//     and array items), is renamed to the spelling the schema declares,
//     ignoring case as ASP.NET does ("failoverTimeout" becomes
//     "FailoverTimeout");
//   - a property given twice, in the same or in different case, keeps its
//     last value, as System.Text.Json does;
//   - properties a schema does not declare are dropped, as ASP.NET ignores
//     them, and listed in ignored; free-form objects (AdditionalData) are
//     kept as sent and never listed;
//   - an enum given by name, in any case, where the schema offers names
//     ("Primary", "off", "Denied"), becomes its number (or, for a string
//     enumeration such as LogLevel, its declared spelling), as ASP.NET's
//     JsonStringEnumConverter reads it; a name that is not one of the
//     values is a *DecodeError listing them.
//
// The canonical document, which carries numbers for enums, is validated
// against the schema and then unmarshalled into dst.
//
// ignored lists the paths of the dropped properties in document order, each
// once, such as "Foo", "Trustee.Bar" and
// "RoleTrusteeAccessControlEntries[1].Baz" (a dropped property's own
// contents are not listed); it is nil when nothing was dropped. It is
// returned with a *DecodeError too when the body was read before the error
// was found, so a caller can report both.
//
// A body that is malformed or breaks the schema gives a *DecodeError, whose
// Reason says what was wrong. Any other error (an unknown schema name, a dst
// of the wrong type) is the caller's mistake.
func (v *Validator) Decode(schema string, body []byte, dst any) (ignored []string, err error) {
	e, err := v.entry(schema)
	if err != nil {
		return nil, err
	}
	doc, result, err := canonicalize(body, e.shape)
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			return nil, de
		}
		return nil, syntaxError("the request body", err)
	}
	ignored = result.ignored
	if len(result.problems) > 0 {
		problems := sortedProblems(result.problems)
		return ignored, &DecodeError{Reason: problems[0], Problems: problems}
	}
	if de := wrongRootType(doc, e.shape); de != nil {
		return ignored, de
	}
	if err := v.validate(e, doc); err != nil {
		return ignored, err
	}
	if dst == nil {
		return ignored, nil
	}
	switch d := dst.(type) {
	case *any:
		*d = doc // the canonical tree itself: no second parse
		return ignored, nil
	case *map[string]any:
		if obj, isObject := doc.(map[string]any); isObject {
			*d = obj
			return ignored, nil
		}
	case *[]any:
		if list, isArray := doc.([]any); isArray {
			*d = list
			return ignored, nil
		}
	}
	canonical := body
	if result.changed {
		if canonical, err = json.Marshal(doc); err != nil {
			return ignored, fmt.Errorf("schemas: encoding the canonical %s: %w", schema, err)
		}
	}
	if err := json.Unmarshal(canonical, dst); err != nil {
		return ignored, fmt.Errorf("schemas: unmarshalling a %s into %T: %w", schema, dst, err)
	}
	return ignored, nil
}

// Validate checks a document against the named schema exactly as it is (no
// renaming): it is meant for the emulator's answers, in tests. doc is JSON
// text ([]byte or json.RawMessage) or any value encoding/json can marshal,
// such as the result of json.Unmarshal. A document that breaks the schema
// gives a *DecodeError.
func (v *Validator) Validate(schema string, doc any) error {
	e, err := v.entry(schema)
	if err != nil {
		return err
	}
	var text []byte
	switch d := doc.(type) {
	case []byte:
		text = d
	case json.RawMessage:
		text = d
	default:
		if text, err = json.Marshal(doc); err != nil {
			return fmt.Errorf("schemas: encoding a %T to validate: %w", doc, err)
		}
	}
	var parsed any
	if tooDeep(text, MaxDepth) {
		return syntaxError("the body", ErrTooDeep)
	}
	if err := decodeJSON(text, &parsed); err != nil {
		return syntaxError("the body", err)
	}
	return v.validate(e, parsed)
}

// validate checks a parsed document against one compiled schema.
func (v *Validator) validate(e *entry, doc any) error {
	err := e.schema.Validate(doc)
	var ve *jsonschema.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return explainer{docs: v.docs, doc: doc}.explain(ve)
	default:
		return fmt.Errorf("schemas: validating a %s: %w", e.name, err)
	}
}

func (v *Validator) entry(schema string) (*entry, error) {
	e, ok := v.entries[schema]
	if !ok {
		e, ok = v.entries[strings.TrimSuffix(schema, ".json")]
	}
	if !ok {
		return nil, fmt.Errorf("schemas: %q: %w", schema, ErrUnknownSchema)
	}
	return e, nil
}

// decodeJSON parses exactly one JSON value, keeping numbers as json.Number.
func decodeJSON(data []byte, dst *any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailingData
	}
	return nil
}
