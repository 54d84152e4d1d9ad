// Package apidoc builds schemas/openapi.json, the OpenAPI 3.1 document of the
// emulated Client Failover API, from one table of operations.
//
// The document lists every operation of api-surface.md twice, once per
// revision:
//
//   - v1-preview, under /api/v1-preview/tenants/{tenantId}/namespaces/{namespaceId}/clientfailover,
//     with operationIds equal to the operation names (ListGroupConfigurations);
//   - v1, under /api/v1/tenants/{tenantId}/namespaces/{namespaceId}/clientfailover,
//     with operationIds prefixed "v1-" (v1-ListGroupConfigurations), since
//     OpenAPI requires operationIds to be unique.
//
// The two operations of the collection's access control list live at one
// path, /api/v1/tenants/{tenantId}/namespaces/{namespaceId}/accesscontrol/clientfailover/groups,
// for both revisions; they appear once, under their plain names. Every
// operation carries "x-operation-name" (the plain name) and "x-revisions".
//
// Bodies refer to the embedded JSON Schemas by their $id.
//
// Run "go generate ./schemas" after changing the table; a test in package
// schemas fails while openapi.json differs from what Build returns.
package apidoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/adh-emulator/clientfailover/emulator/operation"
)

// schemaBase is the prefix of every schema's $id; see package schemas.
const schemaBase = "https://schemas.adh-emulator.dev/"

// revision is one published revision of the API.
type revision struct {
	name       string            // "v1-preview" or "v1"
	prefix     string            // the path prefix of its operations
	idPrefix   string            // prepended to operation names to make operationIds
	schemas    map[string]string // body kind -> schema name, where it differs
	postGroup  string            // what its Post Group 200 means
	conflict   string            // what its Post Group 409 means
	groupNotes string            // added to the group operations' descriptions
}

var revisions = []revision{
	{
		name:   "v1-preview",
		prefix: "/api/v1-preview",
		schemas: map[string]string{
			"group":         "GroupConfiguration",
			"groupResponse": "GroupConfigurationResponse",
			"session":       "ClientSession",
			"heartbeat":     "FailoverHeartbeat",
		},
		postGroup: "Only with the later preview behaviour (the emulator's \"latest\" option): a group with the same Id and the same configuration exists.",
		conflict:  "A failover group with the same ID already exists (with the later preview behaviour: only when its configuration differs).",
		groupNotes: "With the later preview behaviour (the emulator's \"latest\" option) groups also carry AccessControl and Owner: " +
			"the request is " + schemaBase + "latest/GroupConfiguration.json and the answer " + schemaBase + "latest/GroupConfigurationResponse.json.",
	},
	{
		name:     "v1",
		prefix:   "/api/v1",
		idPrefix: "v1-",
		schemas: map[string]string{
			"group":         "v1/GroupConfiguration",
			"groupResponse": "v1/GroupConfigurationResponse",
			"session":       "v1/ClientSession",
			"heartbeat":     "v1/FailoverHeartbeat",
		},
		postGroup: "A group with the same Id and the same configuration exists.",
		conflict:  "A failover group with the same ID and another configuration exists.",
	},
}

func revisionNames() []string {
	names := make([]string, len(revisions))
	for i, r := range revisions {
		names[i] = r.name
	}
	return names
}

// schemaFor returns the schema name of a body kind in a revision. Kinds not
// in the revision's table are schema names themselves.
func (r revision) schemaFor(kind string) string {
	if name, ok := r.schemas[kind]; ok {
		return name
	}
	return kind
}

// op is one operation of the API.
type op struct {
	name        operation.Name
	method      string
	path        string // after "{prefix}/tenants/{tenantId}/namespaces/{namespaceId}"
	collection  bool   // the collection ACL: one absolute path for every revision
	tag         string
	summary     string
	description string
	query       bool   // takes skip and count
	request     string // body kind, "" for none
	requestDoc  string
	answers     []answer
}

// answer is one documented status of an operation.
type answer struct {
	status      int
	description string
	body        string // body kind; "" for none
	list        bool   // the body is an array of body
	headers     []string
	// postGroup200 and postGroup409 mark the answers whose description
	// depends on the revision.
	postGroup200, postGroup409 bool
}

// Answers that many operations share.
var (
	badRequest   = answer{status: http.StatusBadRequest, description: "Request is not valid. See the response body for additional details.", body: "ErrorResponse"}
	unauthorized = answer{status: http.StatusUnauthorized, description: "The bearer token is missing or not valid (only when the emulator runs with --auth token).", body: "ErrorResponse", headers: []string{"WWW-Authenticate"}}
	forbidden    = answer{status: http.StatusForbidden, description: "Request is not authorized.", body: "ErrorResponse"}
	tooLarge     = answer{status: http.StatusRequestEntityTooLarge, description: "The request body is too large.", body: "ErrorResponse"}
)

func notFound(what string) answer {
	return answer{status: http.StatusNotFound, description: what + " was not found.", body: "ErrorResponse"}
}

const (
	groups   = "Client Failover Groups"
	acl      = "Collection Access Control"
	sessions = "Client Sessions"
	info     = "Information"
)

// operations lists the 17 operations of api-surface.md, in its order.
var operations = []op{
	{
		name: operation.ListGroupConfigurations, method: http.MethodGet, path: "/clientfailover/groups", tag: groups,
		summary: "List Group Configurations", description: "Returns the list of failover groups.", query: true,
		answers: []answer{
			{status: http.StatusOK, description: "A list of failover groups.", body: "groupResponse", list: true, headers: []string{"Total-Count"}},
			badRequest, unauthorized, forbidden,
		},
	},
	{
		name: operation.PostGroup, method: http.MethodPost, path: "/clientfailover/groups", tag: groups,
		summary: "Post Group", description: "Creates a new failover group.",
		request: "group", requestDoc: "The failover group configuration being added.",
		answers: []answer{
			{status: http.StatusOK, body: "groupResponse", postGroup200: true},
			{status: http.StatusCreated, description: "The failover group was created.", body: "groupResponse"},
			badRequest, unauthorized, forbidden,
			{status: http.StatusConflict, body: "ErrorResponse", postGroup409: true},
			tooLarge,
		},
	},
	{
		name: operation.GetGroupConfiguration, method: http.MethodGet, path: "/clientfailover/groups/{groupId}", tag: groups,
		summary: "Get Group Configuration", description: "Gets a failover group by ID.",
		answers: []answer{
			{status: http.StatusOK, description: "Failover group with the specified ID.", body: "groupResponse"},
			badRequest, unauthorized, forbidden, notFound("A failover group with the specified ID"),
		},
	},
	{
		name: operation.PutGroup, method: http.MethodPut, path: "/clientfailover/groups/{groupId}", tag: groups,
		summary: "Put Group", description: "Creates or updates a failover group.",
		request: "group", requestDoc: "The configuration of the failover group being updated.",
		answers: []answer{
			{status: http.StatusOK, description: "The failover group was updated.", body: "groupResponse"},
			{status: http.StatusCreated, description: "The failover group was created.", body: "groupResponse"},
			badRequest, unauthorized, forbidden, tooLarge,
		},
	},
	{
		name: operation.DeleteGroup, method: http.MethodDelete, path: "/clientfailover/groups/{groupId}", tag: groups,
		summary: "Delete Group", description: "Deletes a failover group and its client sessions.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The failover group was deleted."},
			badRequest, unauthorized,
			{status: http.StatusForbidden, description: "Request is not authorized (no body)."},
			notFound("A failover group with the specified ID"),
			{status: http.StatusConflict, description: "The failover group has live client sessions.", body: "ErrorResponse"},
		},
	},
	{
		name: operation.GetGroupStatus, method: http.MethodGet, path: "/clientfailover/groups/{groupId}/status", tag: groups,
		summary: "Get Group Status", description: "Gets the failover status of a group: which sessions are Primary and PendingPrimary.",
		answers: []answer{
			{status: http.StatusOK, description: "The failover status of the group.", body: "GroupStatus"},
			badRequest, unauthorized, forbidden, notFound("A failover group with the specified ID"),
		},
	},
	{
		name: operation.GetCollectionAcl, method: http.MethodGet, collection: true, tag: acl,
		summary: "Get Collection Acl", description: "Gets the access control list for the collection of failover groups.",
		answers: []answer{
			{status: http.StatusOK, description: "The access control list for the collection.", body: "AccessControlListResponse"},
			badRequest, unauthorized, forbidden,
		},
	},
	{
		name: operation.SetCollectionAcl, method: http.MethodPut, collection: true, tag: acl,
		summary: "Set Collection Acl", description: "Updates the access control list for the collection of failover groups.",
		request: "AccessControlList", requestDoc: "The new access control list.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The access control list was updated."},
			badRequest, unauthorized, forbidden, tooLarge,
		},
	},
	{
		name: operation.GetInformation, method: http.MethodGet, path: "/clientfailover", tag: info,
		summary: "Get Information", description: "Gets the version of the failover endpoint.",
		answers: []answer{
			{status: http.StatusOK, description: "Information about the failover endpoint.", body: "FailoverEndpointInfo"},
			badRequest, unauthorized, forbidden,
		},
	},
	{
		name: operation.ListClientSessions, method: http.MethodGet, path: "/clientfailover/groups/{groupId}/clientsessions", tag: sessions,
		summary: "List Client Sessions", description: "Returns the client sessions of a failover group.",
		answers: []answer{
			{status: http.StatusOK, description: "The client sessions of the group.", body: "session", list: true},
			badRequest, unauthorized, forbidden, notFound("A failover group with the specified ID"),
		},
	},
	{
		name: operation.PostClientSession, method: http.MethodPost, path: "/clientfailover/groups/{groupId}/clientsessions", tag: sessions,
		summary: "Post Client Session", description: "Adds a client session to a failover group. A missing Id gets a new GUID.",
		request: "ClientSessionRequest", requestDoc: "The Id and Name of the client session.",
		answers: []answer{
			{status: http.StatusOK, description: "A client session with the same Id and the same configuration exists.", body: "session"},
			{status: http.StatusCreated, description: "The client session was created.", body: "session"},
			badRequest, unauthorized, forbidden, notFound("A failover group with the specified ID"),
			{status: http.StatusConflict, description: "A client session with the same Id and another configuration exists.", body: "ErrorResponse"},
			tooLarge,
		},
	},
	{
		name: operation.GetClientSession, method: http.MethodGet, path: "/clientfailover/groups/{groupId}/clientsessions/{sessionId}", tag: sessions,
		summary: "Get Client Session", description: "Gets a client session by ID.",
		answers: []answer{
			{status: http.StatusOK, description: "The client session.", body: "session"},
			badRequest, unauthorized, forbidden, notFound("The failover group or the client session"),
		},
	},
	{
		name: operation.DeleteClientSession, method: http.MethodDelete, path: "/clientfailover/groups/{groupId}/clientsessions/{sessionId}", tag: sessions,
		summary: "Delete Client Session", description: "Deletes a client session.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The client session was deleted."},
			badRequest, unauthorized, forbidden, notFound("The failover group or the client session"),
		},
	},
	{
		name: operation.PostHeartbeatMessage, method: http.MethodPost, path: "/clientfailover/groups/{groupId}/clientsessions/{sessionId}/heartbeat", tag: sessions,
		summary: "Post Heartbeat Message", description: "Reports that a client is alive and how healthy it is; answers the role the client must take.",
		request: "heartbeat", requestDoc: "The heartbeat.",
		answers: []answer{
			{status: http.StatusOK, description: "The session's role after this heartbeat, and the group's LastDataProcessedTime.", body: "FailoverResponse"},
			badRequest, unauthorized, forbidden, notFound("The failover group or the client session"), tooLarge,
			{status: http.StatusTooManyRequests, description: "The heartbeat came sooner than the minimum interval after the session's previous one; nothing changed.", body: "ErrorResponse", headers: []string{"Retry-After"}},
		},
	},
	{
		name: operation.PostRoleOverride, method: http.MethodPost, path: "/clientfailover/groups/{groupId}/clientsessions/{sessionId}/roleoverride", tag: sessions,
		summary: "Post Role Override", description: "Forces a client session to be the Primary, or ends such an override.",
		request: "RoleOverrideConfiguration", requestDoc: "The override and how long it lasts (null: until ended).",
		answers: []answer{
			{status: http.StatusOK, description: "The override now in force.", body: "RoleOverrideResponse"},
			badRequest, unauthorized, forbidden, notFound("The failover group or the client session"), tooLarge,
		},
	},
	{
		name: operation.GetGroupAcl, method: http.MethodGet, path: "/clientfailover/groups/{groupId}/accesscontrol", tag: groups,
		summary: "Get Group Acl", description: "Gets the access control list of a failover group.",
		answers: []answer{
			{status: http.StatusOK, description: "The access control list of the group.", body: "AccessControlListResponse"},
			badRequest, unauthorized, forbidden, notFound("A failover group with the specified ID"),
		},
	},
	{
		name: operation.SetGroupAcl, method: http.MethodPut, path: "/clientfailover/groups/{groupId}/accesscontrol", tag: groups,
		summary: "Set Group Acl", description: "Updates the access control list of a failover group.",
		request: "AccessControlList", requestDoc: "The new access control list.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The access control list was updated."},
			badRequest, unauthorized, forbidden, notFound("A failover group with the specified ID"), tooLarge,
		},
	},
}

// scopePath is the part of every path after the revision prefix.
const scopePath = "/tenants/{tenantId}/namespaces/{namespaceId}"

// collectionPath is where the collection's access control list lives, for
// every revision.
const collectionPath = "/api/v1" + scopePath + "/accesscontrol/clientfailover/groups"

// Build returns the OpenAPI document, indented, ending in a newline.
func Build() ([]byte, error) {
	paths := object{}
	for i, r := range revisions {
		for _, o := range operations {
			switch {
			case !o.collection:
				paths.addOperation(r.prefix+scopePath+o.path, o.method, o.build(r, r.idPrefix, []string{r.name}))
			case i == 0: // one path for every revision, listed with the first
				paths.addOperation(collectionPath, o.method, o.build(r, "", revisionNames()))
			}
		}
	}
	doc := object{
		{"openapi", "3.1.0"},
		{"jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema"},
		{"info", object{
			{"title", "AVEVA Data Hub Client Failover API (emulator)"},
			{"version", "1.0.0"},
			{"description", "The Client Failover API of AVEVA Data Hub as the emulator serves it, in two revisions: " +
				"v1-preview (/api/v1-preview/...) and the generally available v1 (/api/v1/...). " +
				"operationIds are the documented operation names without spaces; the v1 copies are prefixed \"v1-\". " +
				"The collection access control list has one path for both revisions. " +
				"Every operation carries x-operation-name (the plain name) and x-revisions. " +
				"Property names in requests are matched case-insensitively; answers use the names shown here."},
		}},
		{"servers", []any{object{{"url", "http://127.0.0.1:8080"}, {"description", "The emulator's default address."}}}},
		// A token, or none: the emulator asks for one only with --auth token.
		{"security", []any{object{{"oauth2", []any{}}}, object{}}},
		{"tags", []any{
			object{{"name", groups}, {"description", "API for Client Failover Groups."}},
			object{{"name", acl}, {"description", "API for collection access control."}},
			object{{"name", sessions}, {"description", "Clients joining a group, heartbeats and role overrides."}},
			object{{"name", info}, {"description", "About the failover endpoint."}},
		}},
		{"paths", paths},
		{"components", components()},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("apidoc: encoding the document: %w", err)
	}
	return buf.Bytes(), nil
}

// build returns the OpenAPI operation object of o in revision r.
func (o op) build(r revision, idPrefix string, revs []string) object {
	var params []any
	params = append(params, ref("#/components/parameters/tenantId"), ref("#/components/parameters/namespaceId"))
	for _, p := range []string{"groupId", "sessionId"} {
		if strings.Contains(o.path, "{"+p+"}") {
			params = append(params, ref("#/components/parameters/"+p))
		}
	}
	if o.query {
		params = append(params, ref("#/components/parameters/skip"), ref("#/components/parameters/count"))
	}
	description := o.description
	if r.groupNotes != "" && (o.request == "group" || hasBody(o.answers, "groupResponse")) {
		description += " " + r.groupNotes
	}
	out := object{
		{"operationId", idPrefix + string(o.name)},
		{"x-operation-name", string(o.name)},
		{"x-revisions", revs},
		{"tags", []string{o.tag}},
		{"summary", o.summary},
		{"description", description},
		{"parameters", params},
	}
	if o.request != "" {
		out = append(out, member{"requestBody", object{
			{"description", o.requestDoc},
			{"required", true},
			{"content", jsonContent(schemaRef(r.schemaFor(o.request)))},
		}})
	}
	responses := object{}
	for _, a := range o.answers {
		responses = append(responses, member{strconv.Itoa(a.status), a.build(r)})
	}
	return append(out, member{"responses", responses})
}

func (a answer) build(r revision) object {
	description := a.description
	switch {
	case a.postGroup200:
		description = r.postGroup
	case a.postGroup409:
		description = r.conflict
	}
	out := object{{"description", description}}
	if len(a.headers) > 0 {
		headers := object{}
		for _, h := range a.headers {
			headers = append(headers, member{h, ref("#/components/headers/" + h)})
		}
		out = append(out, member{"headers", headers})
	}
	if a.body != "" {
		schema := schemaRef(r.schemaFor(a.body))
		if a.list {
			schema = object{{"type", "array"}, {"items", schema}}
		}
		out = append(out, member{"content", jsonContent(schema)})
	}
	return out
}

func hasBody(answers []answer, kind string) bool {
	for _, a := range answers {
		if a.body == kind {
			return true
		}
	}
	return false
}

func components() object {
	pathParam := func(name, description string) object {
		return object{{"name", name}, {"in", "path"}, {"required", true}, {"description", description}, {"schema", object{{"type", "string"}}}}
	}
	queryParam := func(name, description string) object {
		return object{{"name", name}, {"in", "query"}, {"required", false}, {"description", description}, {"schema", object{{"type", "integer"}, {"format", "int32"}}}}
	}
	return object{
		{"parameters", object{
			{"tenantId", pathParam("tenantId", "The tenant identifier.")},
			{"namespaceId", pathParam("namespaceId", "The namespace identifier.")},
			{"groupId", pathParam("groupId", "The ID of the failover group.")},
			{"sessionId", pathParam("sessionId", "The ID of the client session.")},
			{"skip", queryParam("skip", "The number of items to skip.")},
			{"count", queryParam("count", "The number of items to return.")},
		}},
		{"headers", object{
			{"Total-Count", object{{"description", "Total number of failover groups."}, {"schema", object{{"type", "integer"}}}}},
			{"Retry-After", object{{"description", "Whole seconds (at least 1) to wait before the next heartbeat."}, {"schema", object{{"type", "integer"}, {"minimum", 1}}}}},
			{"WWW-Authenticate", object{{"description", "The authentication scheme the server expects (Bearer)."}, {"schema", object{{"type", "string"}}}}},
		}},
		{"securitySchemes", object{
			{"oauth2", object{
				{"type", "oauth2"},
				{"description", "A bearer token from the identity server's client-credentials grant. Required only when the emulator runs with --auth token."},
				{"flows", object{{"clientCredentials", object{{"tokenUrl", "/identity/connect/token"}, {"scopes", object{}}}}}},
			}},
		}},
	}
}

func ref(target string) object { return object{{"$ref", target}} }

// schemaRef refers to an embedded schema by its $id.
func schemaRef(name string) object { return ref(schemaBase + name + ".json") }

func jsonContent(schema object) object {
	return object{{"application/json", object{{"schema", schema}}}}
}

// object is a JSON object that keeps its members in order, so that the
// generated document reads top-down like the API description.
type object []member

type member struct {
	name  string
	value any
}

// addOperation adds an operation to a path item, creating the path item.
func (o *object) addOperation(path, method string, operation object) {
	key := map[string]string{http.MethodGet: "get", http.MethodPost: "post", http.MethodPut: "put", http.MethodDelete: "delete"}[method]
	for i := range *o {
		if (*o)[i].name == path {
			item := (*o)[i].value.(object)
			(*o)[i].value = append(item, member{key, operation})
			return
		}
	}
	*o = append(*o, member{path, object{{key, operation}}})
}

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		name, err := json.Marshal(m.name)
		if err != nil {
			return nil, err
		}
		buf.Write(name)
		buf.WriteByte(':')
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(m.value); err != nil {
			return nil, fmt.Errorf("member %q: %w", m.name, err)
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
