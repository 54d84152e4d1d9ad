package service

import (
	"context"
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// DefaultCollectionACL is the collection list a namespace starts with: Tenant
// Administrator all rights, Tenant Contributor Read and Write, Tenant Member
// Read, each a Role trustee of the namespace's tenant.
func DefaultCollectionACL(scope store.Scope) store.AccessControlList {
	role := func(id string, rights int64) store.AccessControlEntry {
		objectID, tenantID := id, scope.Tenant
		return store.AccessControlEntry{
			Trustee:      &store.Trustee{Type: auth.TrusteeRole, ObjectID: &objectID, TenantID: &tenantID},
			AccessType:   auth.Allowed,
			AccessRights: rights,
		}
	}
	return store.AccessControlList{Entries: []store.AccessControlEntry{
		role(auth.RoleTenantAdministrator, auth.All),
		role(auth.RoleTenantContributor, auth.Read|auth.Write),
		role(auth.RoleTenantMember, auth.Read),
	}}
}

// ValidateACL checks what a JSON Schema also checks at the HTTP edge, so that
// fixtures and state documents meet the same rules.
func ValidateACL(l store.AccessControlList) error {
	for i, e := range l.Entries {
		if e.Trustee != nil && (e.Trustee.Type < auth.TrusteeUser || e.Trustee.Type > auth.TrusteeRole) {
			return invalid(fmt.Sprintf("Entry %d: Trustee.Type %d is not a TrusteeType (1 User, 2 Client, 3 Role).", i, e.Trustee.Type),
				"Use 1, 2 or 3.")
		}
		if e.AccessType != auth.Allowed && e.AccessType != auth.Denied {
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
	err := s.readGroup(scope, id, func(g *store.Group) { out = g.ACL })
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

// Access returns the lists that govern an operation: the namespace's
// collection list, and the group's own list (nil when group is "" or does
// not exist).
func (s *Service) Access(ctx context.Context, scope store.Scope, group string) (collection store.AccessControlList, own *store.AccessControlList) {
	s.read(func(tx store.Tx) {
		ns := tx.Namespace(scope)
		if ns == nil {
			collection = s.defaultACL(scope)
			return
		}
		collection = ns.CollectionACL
		if g := ns.Group(group); group != "" && g != nil {
			acl := g.ACL
			own = &acl
		}
	})
	return collection, own
}
