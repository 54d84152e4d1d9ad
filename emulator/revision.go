package emulator

import (
	"github.com/adh-emulator/clientfailover/emulator/journal"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/schemas"
)

// revision is one published revision of the API. Everything that differs
// between revisions is data here; handlers read it and are never copied.
type revision struct {
	name    string // as in the README
	surface string // as in the journal (journal.SurfacePreview...)
	prefix  string // where its operations live

	scoreProperty    string // heartbeat: the client's failover score
	overrideProperty string // session: its role override
	scoreRequired    bool   // a heartbeat without a score is a 400

	fields          service.Fields // optional group properties it carries
	identicalPostOK bool           // Post Group of an identical group answers 200

	groupSchema     string
	heartbeatSchema string
}

// The revisions the emulator serves. latest turns on the later preview
// behaviour (--api-revision latest): AccessControl and Owner on groups and the
// idempotent Post Group.
func revisions(latest bool) []revision {
	preview := revision{
		name:             "v1-preview",
		surface:          journal.SurfacePreview,
		prefix:           "/api/v1-preview",
		scoreProperty:    "FailoverStatus",
		overrideProperty: "Override",
		groupSchema:      schemas.GroupConfiguration,
		heartbeatSchema:  schemas.FailoverHeartbeat,
	}
	if latest {
		preview.fields |= service.WithAccess
		preview.identicalPostOK = true
		preview.groupSchema = schemas.GroupConfigurationLatest
	}
	ga := revision{
		name:             "v1",
		surface:          journal.SurfaceV1,
		prefix:           "/api/v1",
		scoreProperty:    "FailoverScore",
		overrideProperty: "RoleOverride",
		scoreRequired:    true,
		fields:           service.WithAdditionalData | service.WithAccess,
		identicalPostOK:  true,
		groupSchema:      schemas.V1GroupConfiguration,
		heartbeatSchema:  schemas.V1FailoverHeartbeat,
	}
	return []revision{preview, ga}
}
