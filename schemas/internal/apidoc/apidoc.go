// Package apidoc builds schemas/openapi.json, the OpenAPI 3.1 document of the
// emulated Client Failover API, from one table of operations.
//
// The document lists every operation once per surface that serves it:
//
//   - preview (revision v1-preview), under
//     /api/v1-preview/tenants/{tenantId}/namespaces/{namespaceId}, with
//     operationIds equal to the operation names (ListGroupConfigurations);
//   - v1 (the generally available revision), under
//     /api/v1/tenants/{tenantId}/namespaces/{namespaceId}, with operationIds
//     prefixed "v1-" (v1-ListGroupConfigurations), since OpenAPI requires
//     operationIds to be unique;
//   - onprem (the on-premises Client Failover Service), under /api/v1 with no
//     tenant or namespace, with the v1 bodies (groups without AccessControl
//     and Owner), HTTP Basic authentication, no access control list
//     operations, operationIds prefixed "onprem-", and the configuration
//     operations of its own (operation.GetConfiguration, ...).
//
// The collection's access control list is listed under both cloud prefixes
// (every preview revision of the reference documents it under
// /api/v1-preview too); both paths serve the same list. Every operation
// carries "x-operation-name" (the plain name), "x-revisions" (the revision
// whose bodies it uses) and "x-surfaces" (the surface it belongs to).
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

// The names of the surfaces, as in x-surfaces.
const (
	SurfacePreview = "preview"
	SurfaceV1      = "v1"
	SurfaceOnPrem  = "onprem"
)

// ConfigurationOperations lists the operations of the on-premises
// configuration, in the order of the document.
func ConfigurationOperations() []operation.Name {
	return []operation.Name{
		operation.GetConfiguration, operation.PutConfiguration, operation.GetLoggingConfiguration, operation.PutLoggingConfiguration,
		operation.ListHealthEndpoints, operation.DeleteHealthEndpoints, operation.PostHealthEndpoints, operation.PutHealthEndpoints,
		operation.GetHealthEndpoint, operation.PutHealthEndpoint, operation.DeleteHealthEndpoint,
	}
}

// surface is one set of paths the emulator serves.
type surface struct {
	name       string            // as in x-surfaces
	revision   string            // the revision whose bodies it uses, as in x-revisions
	prefix     string            // the path prefix of its operations
	scoped     bool              // paths carry a tenant and a namespace
	onPrem     bool              // the on-premises service: Basic auth, its own 401 and 403, configuration
	idPrefix   string            // prepended to operation names to make operationIds
	schemas    map[string]string // body kind -> schema name, where it differs
	postGroup  string            // what its Post Group 200 means
	conflict   string            // what its Post Group 409 means
	groupNotes string            // added to the group operations' descriptions
	extra      []answer          // added to every operation's answers
}

var surfaces = []surface{
	{
		name:     SurfacePreview,
		revision: "v1-preview",
		prefix:   "/api/v1-preview",
		scoped:   true,
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
		name:     SurfaceV1,
		revision: "v1",
		prefix:   "/api/v1",
		scoped:   true,
		idPrefix: "v1-",
		schemas: map[string]string{
			"group":         "v1/GroupConfiguration",
			"groupResponse": "v1/GroupConfigurationResponse",
			"session":       "v1/ClientSession",
			"heartbeat":     "v1/FailoverHeartbeat",
		},
		postGroup: "A group with the same Id and the same configuration exists.",
		conflict:  "A failover group with the same ID and another configuration exists.",
		extra:     []answer{unavailable},
	},
	{
		name:     SurfaceOnPrem,
		revision: "v1",
		prefix:   "/api/v1",
		onPrem:   true,
		idPrefix: "onprem-",
		schemas: map[string]string{
			"group":                     "onprem/GroupConfiguration",
			"groupResponse":             "onprem/GroupConfigurationResponse",
			"session":                   "onprem/ClientSession",
			"heartbeat":                 "v1/FailoverHeartbeat",
			"RoleOverrideConfiguration": "onprem/RoleOverrideConfiguration",
			"RoleOverrideResponse":      "onprem/RoleOverrideResponse",
		},
		postGroup: "A group with the same Id and the same configuration exists.",
		conflict:  "A failover group with the same ID and another configuration exists.",
	},
}

// schemaFor returns the schema name of a body kind on a surface. Kinds not
// in the surface's table are schema names themselves.
func (sf surface) schemaFor(kind string) string {
	if name, ok := sf.schemas[kind]; ok {
		return name
	}
	return kind
}

// serves reports whether the surface has operation o.
func (sf surface) serves(o op) bool {
	switch {
	case o.onPremOnly:
		return sf.onPrem
	case o.cloudOnly:
		return !sf.onPrem
	}
	return true
}

// path is where o lives on the surface.
func (sf surface) path(o op) string {
	if sf.scoped {
		return sf.prefix + scopePath + o.path
	}
	// The on-premises documentation spells the sessions segment
	// "clientSessions"; paths match in any case either way.
	return sf.prefix + strings.Replace(o.path, "/clientsessions", "/clientSessions", 1)
}

// op is one operation of the API.
type op struct {
	name        operation.Name
	method      string
	path        string // after the surface's prefix (and scope): "/clientfailover/groups"
	cloudOnly   bool   // access control lists: not on the on-premises service
	onPremOnly  bool   // the on-premises configuration
	tag         string
	summary     string
	description string
	onPremNote  string // added to the description on the on-premises surface
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
	// depends on the surface.
	postGroup200, postGroup409 bool
}

// Answers that many operations share.
var (
	badRequest   = answer{status: http.StatusBadRequest, description: "Request is not valid. See the response body for additional details.", body: "ErrorResponse"}
	unauthorized = answer{status: http.StatusUnauthorized, description: "The bearer token is missing or not valid (only when the emulator runs with --auth token).", body: "ErrorResponse", headers: []string{"WWW-Authenticate"}}
	forbidden    = answer{status: http.StatusForbidden, description: "Request is not authorized.", body: "ErrorResponse"}
	tooLarge     = answer{status: http.StatusRequestEntityTooLarge, description: "The request body is too large.", body: "ErrorResponse"}
	unavailable  = answer{status: http.StatusServiceUnavailable, description: "Service unavailable. The emulator answers it only through a fault rule (see /_emulator/faults).", body: "ErrorResponse"}

	// The on-premises service's own 401 and 403.
	unauthorizedBasic = answer{status: http.StatusUnauthorized,
		description: "The Basic credentials are missing or wrong (only when the emulator runs with --auth token). Kerberos (Negotiate) is not emulated.",
		body:        "ErrorResponse", headers: []string{"WWW-Authenticate"}}
	forbiddenOnPrem = answer{status: http.StatusForbidden,
		description: "The account is in neither local group AVEVAFailoverUsers nor AVEVAFailoverAdministrators, or the operation needs AVEVAFailoverAdministrators.",
		body:        "ErrorResponse"}
)

func notFound(what string) answer {
	return answer{status: http.StatusNotFound, description: what + " was not found.", body: "ErrorResponse"}
}

const (
	groups        = "Client Failover Groups"
	acl           = "Collection Access Control"
	sessions      = "Client Sessions"
	info          = "Information"
	configuration = "Configuration"
)

// operations lists the 17 operations of the README's Operations table, in its order, and
// the on-premises configuration.
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
		name: operation.GetCollectionAcl, method: http.MethodGet, path: collectionPath, cloudOnly: true, tag: acl,
		summary: "Get Collection Acl", description: "Gets the access control list for the collection of failover groups. " + collectionNote,
		answers: []answer{
			{status: http.StatusOK, description: "The access control list for the collection.", body: "AccessControlListResponse"},
			badRequest, unauthorized, forbidden,
		},
	},
	{
		name: operation.SetCollectionAcl, method: http.MethodPut, path: collectionPath, cloudOnly: true, tag: acl,
		summary: "Set Collection Acl", description: "Updates the access control list for the collection of failover groups. " + collectionNote,
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
		onPremNote: "On the on-premises service Value may also be 2 (Secondary): it forces the session to be a Secondary.",
		request:    "RoleOverrideConfiguration", requestDoc: "The override and how long it lasts (null: until ended).",
		answers: []answer{
			{status: http.StatusOK, description: "The override now in force.", body: "RoleOverrideResponse"},
			badRequest, unauthorized, forbidden, notFound("The failover group or the client session"), tooLarge,
		},
	},
	{
		name: operation.GetGroupAcl, method: http.MethodGet, path: "/clientfailover/groups/{groupId}/accesscontrol", cloudOnly: true, tag: groups,
		summary: "Get Group Acl", description: "Gets the access control list of a failover group.",
		answers: []answer{
			{status: http.StatusOK, description: "The access control list of the group.", body: "AccessControlListResponse"},
			badRequest, unauthorized, forbidden, notFound("A failover group with the specified ID"),
		},
	},
	{
		name: operation.SetGroupAcl, method: http.MethodPut, path: "/clientfailover/groups/{groupId}/accesscontrol", cloudOnly: true, tag: groups,
		summary: "Set Group Acl", description: "Updates the access control list of a failover group.",
		request: "AccessControlList", requestDoc: "The new access control list.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The access control list was updated."},
			badRequest, unauthorized, forbidden, notFound("A failover group with the specified ID"), tooLarge,
		},
	},

	// The on-premises configuration.
	{
		name: operation.GetConfiguration, method: http.MethodGet, path: "/configuration", onPremOnly: true, tag: configuration,
		summary: "Get Configuration", description: "Gets the whole configuration of the service: its logging and its health endpoints.",
		answers: []answer{
			{status: http.StatusOK, description: "The configuration.", body: "onprem/ConfigurationResponse"},
			unauthorized, forbidden,
		},
	},
	{
		name: operation.PutConfiguration, method: http.MethodPut, path: "/configuration", onPremOnly: true, tag: configuration,
		summary: "Put Configuration", description: "Replaces the whole configuration: logging and health endpoints.",
		request: "onprem/Configuration", requestDoc: "The new configuration; a missing or null member means its default.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The configuration was replaced."},
			badRequest, unauthorized, forbidden, tooLarge,
		},
	},
	{
		name: operation.GetLoggingConfiguration, method: http.MethodGet, path: "/configuration/logging", onPremOnly: true, tag: configuration,
		summary: "Get Logging Configuration", description: "Gets the logging level of the service (default Information).",
		answers: []answer{
			{status: http.StatusOK, description: "The logging configuration.", body: "onprem/LoggingConfigurationResponse"},
			unauthorized, forbidden,
		},
	},
	{
		name: operation.PutLoggingConfiguration, method: http.MethodPut, path: "/configuration/logging", onPremOnly: true, tag: configuration,
		summary: "Put Logging Configuration", description: "Sets the logging level of the service.",
		request: "onprem/LoggingConfiguration", requestDoc: "The logging level, by name in any case.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The logging level was set."},
			badRequest, unauthorized, forbidden, tooLarge,
		},
	},
	{
		name: operation.ListHealthEndpoints, method: http.MethodGet, path: "/configuration/healthEndpoints", onPremOnly: true, tag: configuration,
		summary: "List Health Endpoints", description: "Gets every configured health endpoint. Password and ClientSecret are answered as null.",
		answers: []answer{
			{status: http.StatusOK, description: "The health endpoints.", body: "onprem/HealthEndpointResponse", list: true},
			unauthorized, forbidden,
		},
	},
	{
		name: operation.DeleteHealthEndpoints, method: http.MethodDelete, path: "/configuration/healthEndpoints", onPremOnly: true, tag: configuration,
		summary: "Delete Health Endpoints", description: "Deletes every configured health endpoint.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The health endpoints were deleted."},
			unauthorized, forbidden,
		},
	},
	{
		name: operation.PostHealthEndpoints, method: http.MethodPost, path: "/configuration/healthEndpoints", onPremOnly: true, tag: configuration,
		summary: "Post Health Endpoints", description: "Adds one health endpoint or an array of them. A missing Id gets a new GUID. Nothing is added if any Id exists.",
		request: "onprem/HealthEndpointOrList", requestDoc: "One health endpoint, or an array of them.",
		answers: []answer{
			{status: http.StatusCreated, description: "The health endpoints were added; the answer lists them in the order sent.", body: "onprem/HealthEndpointResponse", list: true},
			badRequest, unauthorized, forbidden,
			{status: http.StatusConflict, description: "A health endpoint with one of the Ids exists; nothing was added.", body: "ErrorResponse"},
			tooLarge,
		},
	},
	{
		name: operation.PutHealthEndpoints, method: http.MethodPut, path: "/configuration/healthEndpoints", onPremOnly: true, tag: configuration,
		summary: "Put Health Endpoints", description: "Replaces every health endpoint. Every endpoint needs an Id (the documentation: \"required for PUT\"); an Id given twice is a 400.",
		request: "onprem/HealthEndpointList", requestDoc: "The new health endpoints: an array.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The health endpoints were replaced."},
			badRequest, unauthorized, forbidden, tooLarge,
		},
	},
	{
		name: operation.GetHealthEndpoint, method: http.MethodGet, path: "/configuration/healthEndpoints/{id}", onPremOnly: true, tag: configuration,
		summary: "Get Health Endpoint", description: "Gets a health endpoint by Id. Password and ClientSecret are answered as null.",
		answers: []answer{
			{status: http.StatusOK, description: "The health endpoint.", body: "onprem/HealthEndpointResponse"},
			badRequest, unauthorized, forbidden, notFound("A health endpoint with the specified Id"),
		},
	},
	{
		name: operation.PutHealthEndpoint, method: http.MethodPut, path: "/configuration/healthEndpoints/{id}", onPremOnly: true, tag: configuration,
		summary: "Put Health Endpoint", description: "Updates the health endpoint with the specified Id (the documentation: \"Updates health endpoint with the specified Id\"; an unknown Id is a 404).",
		request: "onprem/HealthEndpoint", requestDoc: "The health endpoint; its Id, if given, must be the one in the path.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The health endpoint was updated."},
			badRequest, unauthorized, forbidden, notFound("A health endpoint with the specified Id"), tooLarge,
		},
	},
	{
		name: operation.DeleteHealthEndpoint, method: http.MethodDelete, path: "/configuration/healthEndpoints/{id}", onPremOnly: true, tag: configuration,
		summary: "Delete Health Endpoint", description: "Deletes the health endpoint with the specified Id.",
		answers: []answer{
			{status: http.StatusNoContent, description: "The health endpoint was deleted."},
			badRequest, unauthorized, forbidden, notFound("A health endpoint with the specified Id"),
		},
	},
}

// scopePath is the part of every cloud path after the surface prefix.
const scopePath = "/tenants/{tenantId}/namespaces/{namespaceId}"

// collectionPath is where the collection's access control list lives, after
// the scope: both cloud prefixes serve it.
const collectionPath = "/accesscontrol/clientfailover/groups"

// collectionNote tells readers that both prefixes serve one list.
const collectionNote = "Listed under /api/v1-preview and /api/v1, as the reference documents it; both paths serve the same list."

// Build returns the OpenAPI document, indented, ending in a newline.
func Build() ([]byte, error) {
	paths := object{}
	for _, sf := range surfaces {
		for _, o := range operations {
			if sf.serves(o) {
				paths.addOperation(sf.path(o), o.method, o.build(sf))
			}
		}
	}
	doc := object{
		{"openapi", "3.1.0"},
		{"jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema"},
		{"info", object{
			{"title", "AVEVA Client Failover API (emulator)"},
			{"version", "1.0.0"},
			{"description", "The Client Failover API as the emulator serves it, on three surfaces: " +
				"AVEVA Data Hub's v1-preview revision (/api/v1-preview/tenants/...), its generally available v1 revision (/api/v1/tenants/...), " +
				"and the on-premises Client Failover Service (/api/v1/clientfailover/... and /api/v1/configuration/..., HTTP Basic authentication, no access control lists). " +
				"operationIds are the documented operation names without spaces; the v1 copies are prefixed \"v1-\" and the on-premises copies \"onprem-\" " +
				"(the on-premises configuration operations keep their plain names). " +
				"Every operation carries x-operation-name (the plain name), x-revisions (the revision whose bodies it uses) and x-surfaces (preview, v1 or onprem). " +
				"Property names in requests are matched case-insensitively, and enum values may be given by name in any case (\"Primary\", \"denied\"); " +
				"answers use the names shown here and numbers for enums."},
		}},
		{"servers", []any{object{{"url", "http://127.0.0.1:8080"}, {"description", "The emulator's default address; it serves every surface."}}}},
		// A token, or none: the emulator asks for one only with --auth token.
		// The on-premises operations say Basic instead.
		{"security", []any{object{{"oauth2", []any{}}}, object{}}},
		{"tags", []any{
			object{{"name", groups}, {"description", "API for Client Failover Groups."}},
			object{{"name", acl}, {"description", "API for collection access control."}},
			object{{"name", sessions}, {"description", "Clients joining a group, heartbeats and role overrides."}},
			object{{"name", info}, {"description", "About the failover endpoint."}},
			object{{"name", configuration}, {"description", "The on-premises service's logging and health endpoints."}},
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

// build returns the OpenAPI operation object of o on surface sf.
func (o op) build(sf surface) object {
	var params []any
	if sf.scoped {
		params = append(params, ref("#/components/parameters/tenantId"), ref("#/components/parameters/namespaceId"))
	}
	for _, p := range []string{"groupId", "sessionId", "id"} {
		if strings.Contains(o.path, "{"+p+"}") {
			params = append(params, ref("#/components/parameters/"+p))
		}
	}
	if o.query {
		params = append(params, ref("#/components/parameters/skip"), ref("#/components/parameters/count"))
	}
	description := o.description
	if sf.groupNotes != "" && (o.request == "group" || hasBody(o.answers, "groupResponse")) {
		description += " " + sf.groupNotes
	}
	if sf.onPrem && o.onPremNote != "" {
		description += " " + o.onPremNote
	}
	id := sf.idPrefix + string(o.name)
	if o.onPremOnly {
		id = string(o.name)
	}
	out := object{
		{"operationId", id},
		{"x-operation-name", string(o.name)},
		{"x-revisions", []string{sf.revision}},
		{"x-surfaces", []string{sf.name}},
		{"tags", []string{o.tag}},
		{"summary", o.summary},
		{"description", description},
	}
	if len(params) > 0 {
		out = append(out, member{"parameters", params})
	}
	if sf.onPrem {
		out = append(out, member{"security", []any{object{{"basic", []any{}}}, object{}}})
	}
	if o.request != "" {
		out = append(out, member{"requestBody", object{
			{"description", o.requestDoc},
			{"required", true},
			{"content", jsonContent(schemaRef(sf.schemaFor(o.request)))},
		}})
	}
	responses := object{}
	for _, a := range append(o.answers[:len(o.answers):len(o.answers)], sf.extra...) {
		if sf.onPrem {
			// A 400 comes of a bad id or body; on-premises Get Information
			// has neither (no tenant or namespace in its path).
			if a.status == http.StatusBadRequest && len(params) == 0 && o.request == "" {
				continue
			}
			switch a.status {
			case http.StatusUnauthorized:
				a = unauthorizedBasic
			case http.StatusForbidden:
				a = forbiddenOnPrem
			}
		}
		responses = append(responses, member{strconv.Itoa(a.status), a.build(sf)})
	}
	return append(out, member{"responses", responses})
}

func (a answer) build(sf surface) object {
	description := a.description
	switch {
	case a.postGroup200:
		description = sf.postGroup
	case a.postGroup409:
		description = sf.conflict
	}
	out := object{{"description", description}}
	if len(a.headers) > 0 {
		headers := object{}
		for _, h := range a.headers {
			component := h
			if h == "WWW-Authenticate" && sf.onPrem {
				component = "WWW-Authenticate-Basic"
			}
			headers = append(headers, member{h, ref("#/components/headers/" + component)})
		}
		out = append(out, member{"headers", headers})
	}
	if a.body != "" {
		schema := schemaRef(sf.schemaFor(a.body))
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
			{"id", pathParam("id", "The Id of the health endpoint.")},
			{"skip", queryParam("skip", "The number of items to skip.")},
			{"count", queryParam("count", "The number of items to return.")},
		}},
		{"headers", object{
			{"Total-Count", object{{"description", "Total number of failover groups."}, {"schema", object{{"type", "integer"}}}}},
			{"Retry-After", object{{"description", "Whole seconds (at least 1) to wait before the next heartbeat."}, {"schema", object{{"type", "integer"}, {"minimum", 1}}}}},
			{"WWW-Authenticate", object{{"description", "The authentication scheme the server expects (Bearer)."}, {"schema", object{{"type", "string"}}}}},
			{"WWW-Authenticate-Basic", object{{"description", "The authentication schemes the on-premises service offers: Basic realm=\"Client Failover Service\", and Negotiate."}, {"schema", object{{"type", "string"}}}}},
		}},
		{"securitySchemes", object{
			{"oauth2", object{
				{"type", "oauth2"},
				{"description", "A bearer token from the identity server's client-credentials grant. Required only when the emulator runs with --auth token."},
				{"flows", object{{"clientCredentials", object{{"tokenUrl", "/identity/connect/token"}, {"scopes", object{}}}}}},
			}},
			{"basic", object{
				{"type", "http"},
				{"scheme", "basic"},
				{"description", "The on-premises service: HTTP Basic credentials of a Windows account in AVEVAFailoverUsers or AVEVAFailoverAdministrators (the fixtures' WindowsAccounts). Required only when the emulator runs with --auth token."},
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
