// Package schemas holds the JSON Schemas (draft 2020-12) and the OpenAPI 3.1
// document of the emulated Client Failover API, and validates request and
// response bodies against them.
//
// # Files
//
// Every type has one schema file whose $id is
// https://schemas.adh-emulator.dev/<path>, where <path> is the file's path in
// this package (for example v1/FailoverHeartbeat.json). The files are
// embedded; [FS] serves them and [OpenAPI] returns openapi.json, which refers
// to the schemas by their $id.
//
//   - The root folder holds the v1-preview revision (the source documents plus
//     the later operations) and every type the revisions share.
//   - latest/ holds the group of the preview's optional "latest" behaviour
//     (AccessControl and Owner on groups).
//   - v1/ holds what the generally available revision (/api/v1) changes:
//     AdditionalData on groups, FailoverScore in heartbeats, RoleOverride in
//     sessions.
//   - onprem/ holds what the on-premises Client Failover Service has of its
//     own: groups with AdditionalData but no access control, the role
//     override with Secondary (2), its configuration (logging and health
//     endpoints). Its heartbeats are the v1 ones.
//
// A schema is named by its path without ".json" (for example
// "v1/FailoverHeartbeat"); the constants below spell every name.
//
// # Requests and responses
//
// A request schema (GroupConfiguration, FailoverHeartbeat, ...) describes
// what a client may send: absent properties get the framework's defaults, so
// few properties are required. A response schema (the ...Response variants,
// and the types that only appear in answers) requires every property, because
// the emulator always writes every property, nullable ones as null. Unknown
// properties are allowed everywhere, as the real service ignores them.
//
// Enumerations (RoleOverrideValue, TrusteeType, AccessType, Role, and the
// on-premises RoleOverrideValue and LogLevel) carry their names in
// "x-enum-names", pairwise with "enum". Answers carry the number. In a
// request an enumeration is "<file>#/$defs/request": an anyOf of the number
// and the name as a string in any case, as ASP.NET's JsonStringEnumConverter
// reads it ({"Value": "Primary"}, {"Type": "role"}); LogLevel is names only.
//
// # Formats
//
// The schemas use these formats, asserted by a [Validator]:
//
//   - "time-span": a .NET TimeSpan text, as timefmt.ParseSpan accepts it.
//   - "positive-time-span": a time-span greater than zero (FailoverTimeout).
//     The "> 0" rule lives here, in the format, so a Decode of a group
//     already rejects a zero or negative FailoverTimeout. Other time-spans
//     (RoleOverrideConfiguration.ExpirationPeriod) use "time-span"; any
//     range rule for them is the caller's.
//   - "date-time": a date and time as timefmt.ParseDateTime accepts it.
//   - "int32", "int64": a JSON number written as a whole number that fits
//     the .NET type (so 1.0 and 1e3 are refused, as System.Text.Json does).
//   - "http-url": a well-formed absolute http or https URL with a host (a
//     health endpoint's Endpoint and TokenEndpoint): no white space or
//     other character a URI must escape.
//
// # Decoding requests
//
// [Validator.Decode] reads a request body as ASP.NET would: property names
// match in any case and are rewritten to the declared spelling at every
// depth; a property given twice (in any case) keeps its last value; enum
// names become numbers; unknown properties are dropped, and Decode returns
// their paths ("Trustee.Bar") so that a caller can report them. What is
// wrong is reported by a [*DecodeError] whose Reason is one sentence, such as
//
//	property "Trustee.Type": "Team" is not one of 1 (User), 2 (Client), 3 (Role)
//
// Two limits keep the cost of a hostile body bounded by a small multiple of
// its size, whatever the body limit: [MaxDepth] (64 levels of nesting,
// checked by a byte scan before anything is decoded) and [MaxItems] (10,000
// elements in one array the schema declares).
//
// # Sharing
//
// Compiling the schemas costs milliseconds; [Default] does it once per
// process and every caller shares the result, which never changes. [New]
// compiles a Validator of one's own.
//
// # The OpenAPI document
//
// openapi.json lists every operation once per surface that serves it. The
// v1-preview copies have the documented operation names as operationIds
// ("PostHeartbeatMessage"); the /api/v1 copies are prefixed "v1-"
// ("v1-PostHeartbeatMessage") and the on-premises copies "onprem-", because
// operationIds must be unique; the on-premises configuration operations
// (GetConfiguration, ...) keep their plain names. Every operation also
// carries "x-operation-name" (the plain name), "x-revisions" and
// "x-surfaces" ("preview", "v1" or "onprem"). The document is generated from
// the table in internal/apidoc: run "go generate ./schemas" after changing
// it.
package schemas

import (
	"embed"
	"io/fs"
)

//go:generate go run ./internal/genopenapi -o openapi.json

//go:embed *.json v1/*.json latest/*.json onprem/*.json
var files embed.FS

// openAPIFile is the name of the OpenAPI document among the embedded files.
const openAPIFile = "openapi.json"

// BaseURL is the prefix of every schema's $id: the $id of the schema named
// "v1/FailoverHeartbeat" is BaseURL + "v1/FailoverHeartbeat.json".
const BaseURL = "https://schemas.adh-emulator.dev/"

// Names of the schemas, as accepted by [Validator.Decode] and
// [Validator.Validate].
const (
	// GroupConfiguration is a group in a Post Group or Put Group request
	// (v1-preview): FailoverTimeout is required and must be greater than zero.
	GroupConfiguration = "GroupConfiguration"
	// GroupConfigurationResponse is a group as answered under v1-preview.
	GroupConfigurationResponse = "GroupConfigurationResponse"
	// GroupConfigurationLatest is a group request under v1-preview with the
	// "latest" behaviour: GroupConfiguration plus AccessControl and Owner.
	GroupConfigurationLatest = "latest/GroupConfiguration"
	// GroupConfigurationLatestResponse is a group as answered under
	// v1-preview with the "latest" behaviour.
	GroupConfigurationLatestResponse = "latest/GroupConfigurationResponse"
	// V1GroupConfiguration is a group request under /api/v1: the latest
	// preview group plus AdditionalData.
	V1GroupConfiguration = "v1/GroupConfiguration"
	// V1GroupConfigurationResponse is a group as answered under /api/v1.
	V1GroupConfigurationResponse = "v1/GroupConfigurationResponse"

	// GroupStatus is the answer of Get Group Status (IGroupStatus).
	GroupStatus = "GroupStatus"
	// ErrorResponse is the body of every error answer.
	ErrorResponse = "ErrorResponse"
	// FailoverEndpointInfo is the answer of Get Information.
	FailoverEndpointInfo = "FailoverEndpointInfo"

	// AccessControlList is an access control list in a Set Collection Acl or
	// Set Group Acl request.
	AccessControlList = "AccessControlList"
	// AccessControlListResponse is an access control list as answered.
	AccessControlListResponse = "AccessControlListResponse"
	// AccessControlEntry is one entry of an AccessControlList request.
	AccessControlEntry = "AccessControlEntry"
	// AccessControlEntryResponse is one entry of an answered list.
	AccessControlEntryResponse = "AccessControlEntryResponse"
	// Trustee is the identity an entry applies to, in a request.
	Trustee = "Trustee"
	// TrusteeResponse is a trustee as answered.
	TrusteeResponse = "TrusteeResponse"
	// TrusteeType is the enumeration 1 User, 2 Client, 3 Role.
	TrusteeType = "TrusteeType"
	// AccessType is the enumeration 0 Allowed, 1 Denied.
	AccessType = "AccessType"

	// ClientSessionRequest is the body of Post Client Session ({Id, Name}).
	ClientSessionRequest = "ClientSessionRequest"
	// ClientSession is a session as answered under v1-preview.
	ClientSession = "ClientSession"
	// V1ClientSession is a session as answered under /api/v1 (RoleOverride
	// instead of Override, FailoverScore in its heartbeat).
	V1ClientSession = "v1/ClientSession"
	// Role is the enumeration 0 Secondary, 1 Primary, 2 PendingPrimary.
	Role = "Role"

	// FailoverHeartbeat is the body of Post Heartbeat Message under
	// v1-preview: FailoverStatus is optional (missing counts as 0).
	FailoverHeartbeat = "FailoverHeartbeat"
	// FailoverHeartbeatResponse is a stored heartbeat inside a ClientSession.
	FailoverHeartbeatResponse = "FailoverHeartbeatResponse"
	// V1FailoverHeartbeat is the body of Post Heartbeat Message under
	// /api/v1: FailoverScore is required.
	V1FailoverHeartbeat = "v1/FailoverHeartbeat"
	// V1FailoverHeartbeatResponse is a stored heartbeat inside a
	// V1ClientSession.
	V1FailoverHeartbeatResponse = "v1/FailoverHeartbeatResponse"
	// FailoverResponse is the answer of Post Heartbeat Message.
	FailoverResponse = "FailoverResponse"

	// RoleOverrideConfiguration is the body of Post Role Override.
	RoleOverrideConfiguration = "RoleOverrideConfiguration"
	// RoleOverrideResponse is the answer of Post Role Override.
	RoleOverrideResponse = "RoleOverrideResponse"
	// RoleOverrideValue is the enumeration 0 Off, 1 Primary. Its
	// "$defs/request" accepts the name too (see the package documentation).
	RoleOverrideValue = "RoleOverrideValue"
)

// Names of the schemas of the on-premises Client Failover Service (the
// /api/v1/clientfailover and /api/v1/configuration paths). Its heartbeats use
// the /api/v1 schemas (V1FailoverHeartbeat); these are what differs or is its
// own.
const (
	// OnPremGroupConfiguration is a group request: the source documents'
	// group plus AdditionalData (no AccessControl or Owner: the service has
	// no access control lists).
	OnPremGroupConfiguration = "onprem/GroupConfiguration"
	// OnPremGroupConfigurationResponse is a group as answered.
	OnPremGroupConfigurationResponse = "onprem/GroupConfigurationResponse"

	// OnPremRoleOverrideConfiguration is the body of Post Role Override:
	// Value 0 Off, 1 Primary or 2 Secondary (number or name),
	// ExpirationPeriod a time-span or null.
	OnPremRoleOverrideConfiguration = "onprem/RoleOverrideConfiguration"
	// OnPremRoleOverrideResponse is the answer of Post Role Override.
	OnPremRoleOverrideResponse = "onprem/RoleOverrideResponse"
	// OnPremRoleOverrideValue is the enumeration 0 Off, 1 Primary,
	// 2 Secondary.
	OnPremRoleOverrideValue = "onprem/RoleOverrideValue"
	// OnPremClientSession is a session as answered: the /api/v1 session
	// whose RoleOverride may also be 2 (Secondary).
	OnPremClientSession = "onprem/ClientSession"

	// OnPremHealthEndpoint is one health endpoint in a request: Endpoint
	// (required) and TokenEndpoint are absolute http or https URLs.
	OnPremHealthEndpoint = "onprem/HealthEndpoint"
	// OnPremHealthEndpointList is an array of health endpoints (the body of
	// Put Health Endpoints).
	OnPremHealthEndpointList = "onprem/HealthEndpointList"
	// OnPremHealthEndpointOrList is one health endpoint or an array of them
	// (the body of Post Health Endpoints).
	OnPremHealthEndpointOrList = "onprem/HealthEndpointOrList"
	// OnPremHealthEndpointResponse is a health endpoint as answered: every
	// property, Password and ClientSecret null (write-only).
	OnPremHealthEndpointResponse = "onprem/HealthEndpointResponse"

	// OnPremLogLevel is the enumeration of logging levels: Verbose, Debug,
	// Information, Warning, Error, Fatal (names, not numbers).
	OnPremLogLevel = "onprem/LogLevel"
	// OnPremLoggingConfiguration is the body of Put Logging Configuration:
	// {"LogLevel": name in any case}, required.
	OnPremLoggingConfiguration = "onprem/LoggingConfiguration"
	// OnPremLoggingConfigurationResponse is the logging configuration as
	// answered.
	OnPremLoggingConfigurationResponse = "onprem/LoggingConfigurationResponse"

	// OnPremConfiguration is the body of Put Configuration: Logging and
	// HealthEndpoints.
	OnPremConfiguration = "onprem/Configuration"
	// OnPremConfigurationResponse is the whole configuration as answered.
	OnPremConfigurationResponse = "onprem/ConfigurationResponse"
)

// Names returns the name of every embedded schema, sorted.
func Names() []string {
	return []string{
		AccessControlEntry,
		AccessControlEntryResponse,
		AccessControlList,
		AccessControlListResponse,
		AccessType,
		ClientSession,
		ClientSessionRequest,
		ErrorResponse,
		FailoverEndpointInfo,
		FailoverHeartbeat,
		FailoverHeartbeatResponse,
		FailoverResponse,
		GroupConfiguration,
		GroupConfigurationResponse,
		GroupStatus,
		Role,
		RoleOverrideConfiguration,
		RoleOverrideResponse,
		RoleOverrideValue,
		Trustee,
		TrusteeResponse,
		TrusteeType,
		GroupConfigurationLatest,
		GroupConfigurationLatestResponse,
		OnPremClientSession,
		OnPremConfiguration,
		OnPremConfigurationResponse,
		OnPremGroupConfiguration,
		OnPremGroupConfigurationResponse,
		OnPremHealthEndpoint,
		OnPremHealthEndpointList,
		OnPremHealthEndpointOrList,
		OnPremHealthEndpointResponse,
		OnPremLogLevel,
		OnPremLoggingConfiguration,
		OnPremLoggingConfigurationResponse,
		OnPremRoleOverrideConfiguration,
		OnPremRoleOverrideResponse,
		OnPremRoleOverrideValue,
		V1ClientSession,
		V1FailoverHeartbeat,
		V1FailoverHeartbeatResponse,
		V1GroupConfiguration,
		V1GroupConfigurationResponse,
	}
}

// ID returns the $id of the schema with the given name.
func ID(name string) string { return BaseURL + name + ".json" }

// OpenAPI returns the OpenAPI 3.1 document of the emulated API. Its $refs are
// the $ids of the embedded schemas. Each call returns a fresh copy.
func OpenAPI() []byte {
	b, err := files.ReadFile(openAPIFile)
	if err != nil {
		// The file is embedded at build time; it cannot be missing.
		panic("schemas: " + err.Error())
	}
	return b
}

// FS returns every embedded file: the schemas (at their path without the
// base URL, e.g. "v1/FailoverHeartbeat.json") and openapi.json.
func FS() fs.FS { return files }
