package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Validator checks JSON documents against the embedded schemas. It is
// compiled once by [New] and is safe for concurrent use.
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

// New compiles every embedded schema. The formats the schemas use (see the
// package documentation) are registered on this Validator's compiler only,
// and asserted. No schema is fetched from outside the embedded files.
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
// *map[string]any or *any receives the canonical tree itself (strings, json.Number,
// bool, nil, []any and map[string]any values), which saves a second parse.
//
// It parses body as JSON (numbers kept exact), refuses a body that is not a
// JSON object where the schema describes an object, and then puts the document into its canonical form: every
// property name, at any depth (following $ref into nested objects and array
// items), is renamed to the spelling the schema declares, ignoring case as
// ASP.NET does ("failoverTimeout" becomes "FailoverTimeout"). A property
// given twice, in the same or in different case, keeps its last value, as
// System.Text.Json does. Properties a schema does not declare are dropped,
// as ASP.NET ignores them; free-form objects (AdditionalData) are kept as
// sent. The canonical document is validated against the schema and then
// unmarshalled into dst.
//
// A body that is malformed or breaks the schema gives a *DecodeError, whose
// Reason says what was wrong. Any other error (an unknown schema name, a dst
// of the wrong type) is the caller's mistake.
func (v *Validator) Decode(schema string, body []byte, dst any) error {
	e, err := v.entry(schema)
	if err != nil {
		return err
	}
	doc, changed, err := canonicalize(body, e.shape)
	if err != nil {
		return syntaxError("the request body", err)
	}
	if _, ok := doc.(map[string]any); !ok && e.shape.declaresProperties() {
		return wrongRootType(doc)
	}
	if err := v.validate(e, doc); err != nil {
		return err
	}
	if dst == nil {
		return nil
	}
	if m, ok := dst.(*map[string]any); ok {
		if obj, isObject := doc.(map[string]any); isObject {
			*m = obj // the canonical tree itself: no second parse
			return nil
		}
	}
	if a, ok := dst.(*any); ok {
		*a = doc // the canonical tree, whatever its root
		return nil
	}
	canonical := body
	if changed {
		if canonical, err = json.Marshal(doc); err != nil {
			return fmt.Errorf("schemas: encoding the canonical %s: %w", schema, err)
		}
	}
	if err := json.Unmarshal(canonical, dst); err != nil {
		return fmt.Errorf("schemas: unmarshalling a %s into %T: %w", schema, dst, err)
	}
	return nil
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
