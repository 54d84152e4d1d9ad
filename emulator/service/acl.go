package service

import (
	"context"
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/store"
)

// Access rights, bit flags shared across the service.
const (
	RightNone                int64 = 0
	RightRead                int64 = 1
	RightWrite               int64 = 2
	RightDelete              int64 = 4
	RightManageAccessControl int64 = 8
	RightShare               int64 = 16
	RightAll                       = RightRead | RightWrite | RightDelete | RightManageAccessControl | RightShare
)

// Trustee types and access types of access control entries.
const (
	TrusteeUser   = 1
	TrusteeClient = 2
	TrusteeRole   = 3

	AccessAllowed = 0
	AccessDenied  = 1
)

// The fixed ids of the built-in roles every tenant has. The real service
// gives each tenant its own ids; the emulator documents fixed ones so tests
// and fixtures can name them.
const (
	RoleTenantAdministrator = "00000000-0000-0000-0000-00000000000a"
	RoleTenantContributor   = "00000000-0000-0000-0000-00000000000c"
	RoleTenantDataSteward   = "00000000-0000-0000-0000-00000000000d"
	RoleTenantViewer        = "00000000-0000-0000-0000-00000000000e"
	RoleTenantMember        = "00000000-0000-0000-0000-00000000000f"
)

// DefaultCollectionACL is the collection list a namespace starts with: Tenant
// Administrator all rights, Tenant Contributor Read and Write, Tenant Member
// Read, each a Role trustee of the namespace's tenant.
func DefaultCollectionACL(scope store.Scope) store.AccessControlList {
	role := func(id string, rights int64) store.AccessControlEntry {
		objectID, tenantID := id, scope.Tenant
		return store.AccessControlEntry{
			Trustee:      &store.Trustee{Type: TrusteeRole, ObjectID: &objectID, TenantID: &tenantID},
			AccessType:   AccessAllowed,
			AccessRights: rights,
		}
	}
	return store.AccessControlList{Entries: []store.AccessControlEntry{
		role(RoleTenantAdministrator, RightAll),
		role(RoleTenantContributor, RightRead|RightWrite),
		role(RoleTenantMember, RightRead),
	}}
}

// ValidateACL checks what a JSON Schema also checks at the HTTP edge, so that
// fixtures and state documents meet the same rules.
func ValidateACL(l store.AccessControlList) error {
	for i, e := range l.Entries {
		if e.Trustee != nil && (e.Trustee.Type < TrusteeUser || e.Trustee.Type > TrusteeRole) {
			return invalid(fmt.Sprintf("Entry %d: Trustee.Type %d is not a TrusteeType (1 User, 2 Client, 3 Role).", i, e.Trustee.Type),
				"Use 1, 2 or 3.")
		}
		if e.AccessType != AccessAllowed && e.AccessType != AccessDenied {
			return invalid(fmt.Sprintf("Entry %d: AccessType %d is not an AccessType (0 Allowed, 1 Denied).", i, e.AccessType),
				"Use 0 or 1.")
		}
		if e.AccessRights < 0 {
			return invalid(fmt.Sprintf("Entry %d: AccessRights %d is negative.", i, e.AccessRights),
				"Use a sum of the rights flags: Read 1, Write 2, Delete 4, ManageAccessControl 8, Share 16.")
		}
	}
	return nil
}

// CollectionACL returns the namespace's collection list (the default one for
// a namespace nothing was written to).
func (s *Service) CollectionACL(ctx context.Context, scope store.Scope) store.AccessControlList {
	var out store.AccessControlList
	s.read(func(tx store.Tx) {
		if ns := tx.Namespace(scope); ns != nil {
			out = ns.CollectionACL
			return
		}
		out = s.defaultACL(scope)
	})
	return out
}

// SetCollectionACL replaces the namespace's collection list.
func (s *Service) SetCollectionACL(ctx context.Context, scope store.Scope, l store.AccessControlList) error {
	if err := ValidateACL(l); err != nil {
		return err
	}
	return s.write(func(tx store.Tx, _ time.Time) error {
		tx.EnsureNamespace(scope, s.defaultACL).CollectionACL = l
		return nil
	})
}

// GroupACL returns a group's own access control list.
func (s *Service) GroupACL(ctx context.Context, scope store.Scope, id string) (store.AccessControlList, error) {
	var out store.AccessControlList
	var err error
	s.read(func(tx store.Tx) {
		g := tx.Namespace(scope).Group(id)
		if g == nil {
			err = groupNotFound(id)
			return
		}
		out = g.ACL
	})
	return out, err
}

// SetGroupACL replaces a group's own access control list.
func (s *Service) SetGroupACL(ctx context.Context, scope store.Scope, id string, l store.AccessControlList) error {
	if err := ValidateACL(l); err != nil {
		return err
	}
	return s.write(func(tx store.Tx, _ time.Time) error {
		g := tx.Namespace(scope).Group(id)
		if g == nil {
			return groupNotFound(id)
		}
		g.ACL = l
		return nil
	})
}
