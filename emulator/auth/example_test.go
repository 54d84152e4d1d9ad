package auth_test

import (
	"fmt"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// A Denied entry beats an Allowed one; rights of matching entries add up.
func ExamplePrincipal_Allows() {
	operators := "ops"
	mallory := "mallory"
	acl := store.AccessControlList{Entries: []store.AccessControlEntry{
		{Trustee: &store.Trustee{Type: auth.TrusteeRole, ObjectID: &operators}, AccessType: auth.Allowed, AccessRights: auth.Read | auth.Write},
		{Trustee: &store.Trustee{Type: auth.TrusteeUser, ObjectID: &mallory}, AccessType: auth.Denied, AccessRights: auth.Write},
	}}
	alice := auth.Principal{Type: auth.TrusteeUser, ID: "alice", Tenant: "t", Roles: []string{"ops"}}
	eve := auth.Principal{Type: auth.TrusteeUser, ID: "mallory", Tenant: "t", Roles: []string{"ops"}}
	fmt.Println(alice.Allows(acl, auth.Write), eve.Allows(acl, auth.Write), eve.Allows(acl, auth.Read))
	// Output: true false true
}
