package emulator

import (
	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
	"github.com/adh-emulator/clientfailover/schemas"
)

// surface is one face of the emulated service: the two revisions of the
// cloud API and the on-premises Client Failover Service. Everything that
// differs between them is data here; handlers read it and are never copied.
type surface struct {
	name string // "preview", "v1" or "onprem": in the journal and the README
	// root is the path every operation of the surface is under: routes
	// are relative to it.
	root string
	// onPremises: the scope is store.OnPremises (the path names no tenant
	// or namespace), and callers authenticate with HTTP Basic as members of
	// the service's local groups instead of bearer tokens and access
	// control lists.
	onPremises bool
	ops        map[operation.Name]bool // the operations it serves

	scoreProperty    string // heartbeat: the client's failover score
	overrideProperty string // session: its role override
	scoreRequired    bool   // a heartbeat without a score is a 400
	// secondaryOverride: Post Role Override takes Value 2 (forced
	// Secondary), which only the on-premises service documents.
	secondaryOverride bool

	fields          service.Fields // optional group properties it carries
	identicalPostOK bool           // Post Group of an identical group answers 200

	groupSchema     string
	heartbeatSchema string
	overrideSchema  string
}

// scope is the scope a request to the surface works in.
func (sf surface) scope(c *gin.Context) store.Scope {
	if sf.onPremises {
		return store.OnPremises
	}
	return store.Scope{Tenant: c.Param("tenant"), Namespace: c.Param("namespace")}
}

// overrideHint is the Resolution of a bad role override Value.
func (sf surface) overrideHint() string {
	if sf.secondaryOverride {
		return "Send Value Off (0), Primary (1) or Secondary (2), by name or number."
	}
	return "Send Value Off (0) or Primary (1), by name or number."
}

// serves reports whether the surface has operation op.
func (sf surface) serves(op operation.Name) bool { return sf.ops[op] }

// Surface names, as the journal, fault rules and virtual clients spell them.
const (
	SurfacePreview = "preview"
	SurfaceV1      = "v1"
	SurfaceOnPrem  = "onprem"
)

// cloudRoot is where a cloud revision's operations live under its prefix.
const cloudRoot = "/tenants/:tenant/namespaces/:namespace"

// The surfaces the emulator serves. latest turns on the later preview
// behaviour (--api-revision latest): AccessControl and Owner on groups and the
// idempotent Post Group.
func surfaces(latest bool) []surface {
	cloudOps := opSet(
		operation.ListGroupConfigurations, operation.PostGroup, operation.GetGroupConfiguration,
		operation.PutGroup, operation.DeleteGroup, operation.GetGroupStatus,
		operation.GetCollectionAcl, operation.SetCollectionAcl, operation.GetInformation,
		operation.ListClientSessions, operation.PostClientSession, operation.GetClientSession,
		operation.DeleteClientSession, operation.PostHeartbeatMessage, operation.PostRoleOverride,
		operation.GetGroupAcl, operation.SetGroupAcl)
	preview := surface{
		name:             SurfacePreview,
		root:             "/api/v1-preview" + cloudRoot,
		ops:              cloudOps,
		scoreProperty:    "FailoverStatus",
		overrideProperty: "Override",
		groupSchema:      schemas.GroupConfiguration,
		heartbeatSchema:  schemas.FailoverHeartbeat,
		overrideSchema:   schemas.RoleOverrideConfiguration,
	}
	if latest {
		preview.fields |= service.WithAccess
		preview.identicalPostOK = true
		preview.groupSchema = schemas.GroupConfigurationLatest
	}
	ga := surface{
		name:             SurfaceV1,
		root:             "/api/v1" + cloudRoot,
		ops:              cloudOps,
		scoreProperty:    "FailoverScore",
		overrideProperty: "RoleOverride",
		scoreRequired:    true,
		fields:           service.WithAdditionalData | service.WithAccess,
		identicalPostOK:  true,
		groupSchema:      schemas.V1GroupConfiguration,
		heartbeatSchema:  schemas.V1FailoverHeartbeat,
		overrideSchema:   schemas.RoleOverrideConfiguration,
	}
	// The on-premises service: the generally available revision's bodies,
	// no access control lists, its own configuration endpoints.
	onprem := ga
	onprem.name = SurfaceOnPrem
	onprem.root = "/api/v1"
	onprem.onPremises = true
	onprem.secondaryOverride = true
	onprem.fields = service.WithAdditionalData
	onprem.groupSchema = schemas.OnPremGroupConfiguration
	onprem.overrideSchema = schemas.OnPremRoleOverrideConfiguration
	onprem.ops = opSet(
		operation.ListGroupConfigurations, operation.PostGroup, operation.GetGroupConfiguration,
		operation.PutGroup, operation.DeleteGroup, operation.GetGroupStatus, operation.GetInformation,
		operation.ListClientSessions, operation.PostClientSession, operation.GetClientSession,
		operation.DeleteClientSession, operation.PostHeartbeatMessage, operation.PostRoleOverride,
		operation.GetConfiguration, operation.PutConfiguration,
		operation.GetLoggingConfiguration, operation.PutLoggingConfiguration,
		operation.ListHealthEndpoints, operation.DeleteHealthEndpoints, operation.PostHealthEndpoints,
		operation.PutHealthEndpoints, operation.GetHealthEndpoint, operation.PutHealthEndpoint,
		operation.DeleteHealthEndpoint)
	return []surface{preview, ga, onprem}
}

func opSet(ops ...operation.Name) map[operation.Name]bool {
	m := make(map[operation.Name]bool, len(ops))
	for _, op := range ops {
		m[op] = true
	}
	return m
}
