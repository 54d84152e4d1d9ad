package schemas

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// ErrUnknownSchema is returned (wrapped) for a schema name that is not one
// of [Names].
var ErrUnknownSchema = errors.New("unknown schema")

// DecodeError reports a body that is not what its schema describes:
// malformed JSON, a value of the wrong type at the top level, or a value that
// breaks a rule of the schema. It is the client's fault (a 400 answer).
type DecodeError struct {
	// Reason is one readable sentence naming the property and what was
	// wrong, fit for the Reason of an ErrorResponse. For example:
	// property "FailoverTimeout": "abc" is not a valid time-span.
	Reason string
	// Problems lists every problem found, one sentence each, ordered by
	// property path. Reason is the first of them.
	Problems []string
	// Err is the underlying error: a *json.SyntaxError, io.EOF (an empty
	// body), io.ErrUnexpectedEOF (a truncated one), [ErrTooDeep] or a
	// *jsonschema.ValidationError; nil for a top level of the wrong type and
	// for an enum name that names no value.
	Err error
}

// Error returns the Reason.
func (e *DecodeError) Error() string { return e.Reason }

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// newDecodeError returns a DecodeError for a single problem.
func newDecodeError(err error, format string, args ...any) *DecodeError {
	reason := fmt.Sprintf(format, args...)
	return &DecodeError{Reason: reason, Problems: []string{reason}, Err: err}
}

// syntaxError turns an error of the JSON decoder into a DecodeError.
func syntaxError(subject string, err error) *DecodeError {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, ErrTooDeep):
		return newDecodeError(err, "%s %v", subject, err)
	case errors.Is(err, io.EOF):
		return newDecodeError(err, "%s is empty", subject)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newDecodeError(err, "%s is not valid JSON: it ends too early", subject)
	case errors.As(err, &se):
		msg := strings.TrimPrefix(se.Error(), "json: ")
		return newDecodeError(err, "%s is not valid JSON: %s (at byte %d)", subject, msg, se.Offset)
	default:
		return newDecodeError(err, "%s is not valid JSON: %v", subject, err)
	}
}

// wrongRootType returns the DecodeError for a body whose top level is not
// what its shape describes (an object, an array or either), or nil. A shape
// that describes neither (a free-form or scalar schema) is left to the
// schema.
func wrongRootType(doc any, s *shape) *DecodeError {
	object, array := s.declaresProperties(), s.allowsArray()
	_, isObject := doc.(map[string]any)
	_, isArray := doc.([]any)
	switch {
	case object && array && !isObject && !isArray:
		return newDecodeError(nil, "the request body must be a JSON object or array, not %s", describe(doc))
	case object && !array && !isObject:
		return newDecodeError(nil, "the request body must be a JSON object, not %s", describe(doc))
	case array && !object && !isArray:
		return newDecodeError(nil, "the request body must be a JSON array, not %s", describe(doc))
	}
	return nil
}

// fault is one failed keyword, before it is put into words.
type fault struct {
	instance string         // JSON pointer to the value that is wrong
	keyword  string         // the keyword that failed: "type", "enum", ...
	schema   map[string]any // the raw schema object holding the keyword
	types    []string       // for "type": the types that would have done
	message  string         // the library's own words, the fallback
	// missing marks a required property that is absent; instance is
	// where it would be.
	missing bool
}

// explainer puts the validation errors of one document into sentences.
type explainer struct {
	docs map[string]any // raw schema documents by $id
	doc  any            // the document that was validated
}

// explain flattens a validation error into its deepest, most specific
// causes and returns a DecodeError describing them.
func (x explainer) explain(ve *jsonschema.ValidationError) *DecodeError {
	faults := x.collect(ve)
	type problem struct{ path, sentence string }
	var problems []problem
	seen := map[string]bool{}
	for _, f := range faults {
		p := problem{path: x.path(f.instance), sentence: x.sentence(f)}
		if !seen[p.sentence] {
			seen[p.sentence] = true
			problems = append(problems, p)
		}
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].path < problems[j].path })
	e := &DecodeError{Err: ve}
	for _, p := range problems {
		e.Problems = append(e.Problems, p.sentence)
	}
	if len(e.Problems) == 0 { // cannot happen: a failed validation has a leaf
		e.Problems = []string{"the body " + ve.Message}
	}
	e.Reason = e.Problems[0]
	return e
}

// collect returns the leaves of a validation error tree. Of the alternatives
// of an anyOf (a nullable reference: {"anyOf": [{"$ref": ...}, {"type":
// "null"}]}) it keeps those that got past the type check, so that an invalid
// Trustee is reported by what is wrong inside it rather than by "must be
// null"; when every alternative failed on its type, it reports one type
// fault listing every type that would have done.
func (x explainer) collect(ve *jsonschema.ValidationError) []fault {
	keyword := lastToken(ve.KeywordLocation)
	if (keyword == "anyOf" || keyword == "oneOf") && len(ve.Causes) > 0 {
		return x.alternatives(ve)
	}
	if len(ve.Causes) == 0 {
		return x.leaf(ve)
	}
	var faults []fault
	for _, cause := range ve.Causes {
		faults = append(faults, x.collect(cause)...)
	}
	return faults
}

func (x explainer) alternatives(ve *jsonschema.ValidationError) []fault {
	var specific, types []fault
	for _, cause := range ve.Causes {
		faults := x.collect(cause)
		if onlyTypeFaults(faults, ve.InstanceLocation) {
			types = append(types, faults...)
		} else {
			specific = append(specific, faults...)
		}
	}
	if len(specific) > 0 {
		return specific
	}
	combined := fault{instance: ve.InstanceLocation, keyword: "type"}
	for _, f := range types {
		for _, t := range f.types {
			if !contains(combined.types, t) {
				combined.types = append(combined.types, t)
			}
		}
	}
	return []fault{combined}
}

func onlyTypeFaults(faults []fault, instance string) bool {
	for _, f := range faults {
		if f.keyword != "type" || f.instance != instance {
			return false
		}
	}
	return len(faults) > 0
}

// leaf turns one failed keyword into faults: one per missing property for
// "required", one otherwise.
func (x explainer) leaf(ve *jsonschema.ValidationError) []fault {
	f := fault{
		instance: ve.InstanceLocation,
		keyword:  lastToken(ve.KeywordLocation),
		message:  ve.Message,
	}
	if base, ptr, ok := strings.Cut(ve.AbsoluteKeywordLocation, "#"); ok {
		parent := ptr[:strings.LastIndexByte(ptr, '/')+1]
		parent = strings.TrimSuffix(parent, "/")
		if node, err := resolvePointer(x.docs[base], parent); err == nil {
			f.schema, _ = node.(map[string]any)
		}
	}
	switch f.keyword {
	case "type":
		f.types = schemaTypes(f.schema["type"])
	case "required":
		obj, _ := x.value(f.instance).(map[string]any)
		var faults []fault
		for _, name := range asStrings(f.schema["required"]) {
			if _, ok := obj[name]; !ok {
				faults = append(faults, fault{instance: f.instance + "/" + escapePointer(name), keyword: "required", missing: true})
			}
		}
		if len(faults) > 0 {
			return faults
		}
	}
	return []fault{f}
}

// sentence puts one fault into words.
func (x explainer) sentence(f fault) string {
	p := x.path(f.instance)
	if p == "" {
		// "the body must be an object, not an array"
		fragment := x.fragment(f)
		if strings.HasPrefix(fragment, "must ") {
			return "the body " + fragment
		}
		return "the body: " + fragment
	}
	subject := "property " + strconv.Quote(p)
	if f.missing {
		return subject + " is required"
	}
	return subject + ": " + x.fragment(f)
}

// fragment says what is wrong with the value of one fault.
func (x explainer) fragment(f fault) string {
	v := x.value(f.instance)
	switch f.keyword {
	case "type":
		return fmt.Sprintf("must be %s, not %s", typeList(f.types), describeAgainst(v, f.types))
	case "enum":
		if values, names, ok := enumOf(f.schema); ok {
			return notOneOf(v, values, names)
		}
		values, _ := f.schema["enum"].([]any)
		return "must be one of " + literals(values, ", ")
	case "const":
		return "must be " + literal(f.schema["const"])
	case "format":
		return formatFragment(f.schema["format"], v)
	case "minimum", "maximum":
		min, hasMin := f.schema["minimum"]
		max, hasMax := f.schema["maximum"]
		switch {
		case hasMin && hasMax:
			return fmt.Sprintf("must be between %s and %s", literal(min), literal(max))
		case f.keyword == "minimum":
			return "must be at least " + literal(min)
		default:
			return "must be at most " + literal(max)
		}
	case "exclusiveMinimum":
		return "must be greater than " + literal(f.schema["exclusiveMinimum"])
	case "exclusiveMaximum":
		return "must be less than " + literal(f.schema["exclusiveMaximum"])
	case "pattern":
		return fmt.Sprintf("%s does not match the pattern %s", literal(v), f.schema["pattern"])
	case "minLength":
		return fmt.Sprintf("must be at least %s characters long", literal(f.schema["minLength"]))
	case "maxLength":
		return fmt.Sprintf("must be at most %s characters long", literal(f.schema["maxLength"]))
	default:
		return f.message
	}
}

// formatFragment says why a string is not of its format.
func formatFragment(format, v any) string {
	switch format {
	case formatPositiveTimeSpan:
		if s, ok := v.(string); ok {
			if _, err := timefmt.ParseSpan(s); err == nil {
				return literal(v) + " is not greater than zero"
			}
		}
		return literal(v) + " is not a valid time-span"
	case formatHTTPURL:
		return literal(v) + " is not a well-formed absolute http or https URL"
	case formatInt32:
		return "must be a whole number that fits in 32 bits, not " + literal(v)
	case formatInt64:
		return "must be a whole number that fits in 64 bits, not " + literal(v)
	default:
		return fmt.Sprintf("%s is not a valid %v", literal(v), format)
	}
}

// value returns the part of the document a JSON pointer names, or nil.
func (x explainer) value(ptr string) any {
	v, err := resolvePointer(x.doc, ptr)
	if err != nil {
		return nil
	}
	return v
}

// path turns a JSON pointer into the property path used in sentences:
// "/RoleTrusteeAccessControlEntries/0/Trustee/Type" becomes
// "RoleTrusteeAccessControlEntries[0].Trustee.Type".
func (x explainer) path(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	v := x.doc
	for _, token := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		token = unescapePointer(token)
		switch c := v.(type) {
		case []any:
			b.WriteString("[" + token + "]")
			if i, err := strconv.Atoi(token); err == nil && i >= 0 && i < len(c) {
				v = c[i]
			} else {
				v = nil
			}
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(token)
			m, _ := v.(map[string]any)
			v = m[token]
		}
	}
	return b.String()
}

// lastToken returns the last token of a JSON pointer.
func lastToken(ptr string) string {
	return unescapePointer(ptr[strings.LastIndexByte(ptr, '/')+1:])
}

// schemaTypes reads the "type" keyword: a string or an array of strings.
func schemaTypes(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	return asStrings(v)
}

func asStrings(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, item := range items {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}

// typeList names JSON types with their articles: "a string or null".
func typeList(types []string) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = withArticle(t)
	}
	switch len(names) {
	case 0:
		return "something else"
	case 1:
		return names[0]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	}
}

func withArticle(jsonType string) string {
	switch jsonType {
	case "null":
		return "null"
	case "integer", "object", "array":
		return "an " + jsonType
	default:
		return "a " + jsonType
	}
}

// describe names the JSON type of a value: "an array", "null".
func describe(v any) string { return withArticle(jsonType(v)) }

// describeAgainst names the type of a value that failed a type check; a
// number that is not whole, where a whole number was wanted, is shown.
func describeAgainst(v any, expected []string) string {
	if n, ok := v.(json.Number); ok && contains(expected, "integer") {
		if r, ok := new(big.Rat).SetString(string(n)); ok && !r.IsInt() {
			return string(n)
		}
	}
	if f, ok := v.(float64); ok && contains(expected, "integer") && f != math.Trunc(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return describe(v)
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64, float32, int, int64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// literal writes a value as JSON text; strings are quoted.
func literal(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func literals(values []any, sep string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = literal(v)
	}
	return strings.Join(parts, sep)
}
