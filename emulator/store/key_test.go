package store

import "testing"

// AppendKey appends exactly Key, so a look-up by either finds the same
// namespace, and Tx.Namespace finds a scope by any spelling of its ids.
func TestAppendKeyIsKey(t *testing.T) {
	scopes := []Scope{
		OnPremises,
		{Tenant: "t", Namespace: "n"},
		{Tenant: "Contoso", Namespace: "Plant-A"},
		{Tenant: "école", Namespace: "ÉCOLE"},
		{Tenant: "", Namespace: ""},
		{Tenant: "a\x00b", Namespace: "c"},
	}
	for _, sc := range scopes {
		if got := string(sc.AppendKey([]byte("prefix:"))); got != "prefix:"+sc.Key() {
			t.Errorf("%v: AppendKey = %q, want %q", sc, got, "prefix:"+sc.Key())
		}
	}
	st := New()
	_ = st.Update(func(tx Tx) error {
		tx.EnsureNamespace(Scope{Tenant: "Contoso", Namespace: "Plant-A"}, func(Scope) AccessControlList { return AccessControlList{} })
		return nil
	})
	st.View(func(tx Tx) {
		if tx.Namespace(Scope{Tenant: "CONTOSO", Namespace: "plant-a"}) == nil {
			t.Error("the namespace is not found by another spelling of its ids")
		}
		if tx.Namespace(Scope{Tenant: "contoso", Namespace: "plant-b"}) != nil {
			t.Error("another namespace is found")
		}
	})
}
