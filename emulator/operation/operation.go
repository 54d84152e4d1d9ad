// Package operation names the operations of the emulated Client Failover API.
//
// The names are the documented operation names without spaces. Routing, fault
// rules, the request journal, access control and the conformance features all
// use these constants, so a name is spelled in exactly one place.
package operation

import (
	"fmt"
	"strings"
)

// Name is the documented name of one operation of the emulated API, without
// spaces (for example "GetGroupConfiguration").
type Name string

// The operations of the emulated API, numbered as in the README's Operations table.
const (
	ListGroupConfigurations Name = "ListGroupConfigurations" // 1
	PostGroup               Name = "PostGroup"               // 2
	GetGroupConfiguration   Name = "GetGroupConfiguration"   // 3
	PutGroup                Name = "PutGroup"                // 4
	DeleteGroup             Name = "DeleteGroup"             // 5
	GetGroupStatus          Name = "GetGroupStatus"          // 6
	GetCollectionAcl        Name = "GetCollectionAcl"        // 7
	SetCollectionAcl        Name = "SetCollectionAcl"        // 8
	GetInformation          Name = "GetInformation"          // 9
	ListClientSessions      Name = "ListClientSessions"      // 10
	PostClientSession       Name = "PostClientSession"       // 11
	GetClientSession        Name = "GetClientSession"        // 12
	DeleteClientSession     Name = "DeleteClientSession"     // 13
	PostHeartbeatMessage    Name = "PostHeartbeatMessage"    // 14
	PostRoleOverride        Name = "PostRoleOverride"        // 15
	GetGroupAcl             Name = "GetGroupAcl"             // 16
	SetGroupAcl             Name = "SetGroupAcl"             // 17
)

// The configuration operations of the on-premises Client Failover Service.
// Its documentation gives their URLs and verbs, not names; these are the
// emulator's, in the style of the others.
const (
	GetConfiguration        Name = "GetConfiguration"        // GET /api/v1/configuration
	PutConfiguration        Name = "PutConfiguration"        // PUT /api/v1/configuration
	GetLoggingConfiguration Name = "GetLoggingConfiguration" // GET …/configuration/logging
	PutLoggingConfiguration Name = "PutLoggingConfiguration" // PUT …/configuration/logging
	ListHealthEndpoints     Name = "ListHealthEndpoints"     // GET …/configuration/healthEndpoints
	DeleteHealthEndpoints   Name = "DeleteHealthEndpoints"   // DELETE …/healthEndpoints
	PostHealthEndpoints     Name = "PostHealthEndpoints"     // POST …/healthEndpoints
	PutHealthEndpoints      Name = "PutHealthEndpoints"      // PUT …/healthEndpoints
	GetHealthEndpoint       Name = "GetHealthEndpoint"       // GET …/healthEndpoints/{Id}
	PutHealthEndpoint       Name = "PutHealthEndpoint"       // PUT …/healthEndpoints/{Id}
	DeleteHealthEndpoint    Name = "DeleteHealthEndpoint"    // DELETE …/healthEndpoints/{Id}
)

// All lists every operation: those of the README's Operations table in its order, then
// the on-premises configuration operations.
func All() []Name {
	return []Name{
		ListGroupConfigurations, PostGroup, GetGroupConfiguration, PutGroup,
		DeleteGroup, GetGroupStatus, GetCollectionAcl, SetCollectionAcl,
		GetInformation, ListClientSessions, PostClientSession, GetClientSession,
		DeleteClientSession, PostHeartbeatMessage, PostRoleOverride,
		GetGroupAcl, SetGroupAcl,
		GetConfiguration, PutConfiguration, GetLoggingConfiguration, PutLoggingConfiguration,
		ListHealthEndpoints, DeleteHealthEndpoints, PostHealthEndpoints, PutHealthEndpoints,
		GetHealthEndpoint, PutHealthEndpoint, DeleteHealthEndpoint,
	}
}

// Valid reports whether n is the name of an operation of the emulated API.
func (n Name) Valid() bool {
	for _, o := range All() {
		if o == n {
			return true
		}
	}
	return false
}

// Hint explains an invalid name for an error message: the operation a
// wrongly cased name meant, or the list of them all.
func (n Name) Hint() string {
	names := make([]string, 0, len(All()))
	for _, o := range All() {
		if strings.EqualFold(string(o), string(n)) {
			return fmt.Sprintf(" (names are case-sensitive: did you mean %s?)", o)
		}
		names = append(names, string(o))
	}
	return " (known operations: " + strings.Join(names, ", ") + ")"
}

// String returns the operation name.
func (n Name) String() string { return string(n) }
