package auth_test

import (
	"fmt"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/fixture"
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

// A Windows account of the on-premises surface signs in with HTTP Basic; its
// name matches in any case, domain included.
func ExampleDirectory_AuthenticateBasic() {
	dir, err := auth.New(&fixture.Identities{WindowsAccounts: []fixture.WindowsAccount{
		{Name: `PLANT\adapter-1`, Password: "secret", Groups: []string{auth.GroupUsers}},
	}})
	if err != nil {
		panic(err)
	}
	a, err := dir.AuthenticateBasic(`plant\ADAPTER-1`, "secret")
	fmt.Println(a.Name, a.Users, a.Administrators, err)
	_, err = dir.AuthenticateBasic(`PLANT\adapter-1`, "wrong")
	fmt.Println(err)
	// Output:
	// PLANT\adapter-1 true false <nil>
	// unknown user name or wrong password
}
