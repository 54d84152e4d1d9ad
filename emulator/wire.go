package emulator

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/failover"
	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/store"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// The wire shapes of the API's types. Responses always carry every property
// of their type, nullable ones as null; a revision decides the names.

// group renders g; pointers into g avoid boxing each string.
func (sf surface) group(g *service.GroupConfig) object { return sf.appendGroup(nil, g) }

// appendGroup appends g's members to o.
func (sf surface) appendGroup(o object, g *service.GroupConfig) object {
	o = append(o,
		member{"Id", &g.ID},
		member{"Name", g.Name},
		member{"Description", g.Description},
		member{"FailoverTimeout", &g.Timeout},
	)
	if sf.fields&service.WithAdditionalData != 0 {
		o = append(o, member{"AdditionalData", g.AdditionalData})
	}
	if sf.fields&service.WithAccess != 0 {
		o = append(o, member{"AccessControl", aclObject(g.ACL)}, member{"Owner", trusteeObject(g.Owner)})
	}
	return o
}

func (sf surface) session(s service.Session) object {
	return object{
		{"Id", s.ID},
		{"Name", s.Name},
		{"Heartbeat", sf.heartbeat(s.Heartbeat)},
		{"Role", int(s.Role)},
		{"HeartbeatPosted", s.HeartbeatPosted},
		{sf.overrideProperty, int(s.Override)},
		{"RoleOverrideExpirationTime", s.OverrideExpires},
		{"AdditionalData", nil},
	}
}

func (sf surface) heartbeat(hb *failover.Heartbeat) any {
	if hb == nil {
		return nil
	}
	return object{
		{sf.scoreProperty, hb.Score},
		{"LastDataProcessedTime", hb.LastDataProcessedTime},
		{"HeartbeatTime", hb.HeartbeatTime},
	}
}

func statusObject(s service.Status) object {
	return object{
		{"Primary", s.Primary},
		{"PendingPrimary", s.PendingPrimary},
		{"LastDataProcessedTime", s.LastDataProcessedTime},
	}
}

func aclObject(l store.AccessControlList) object {
	var entries any // null when the list was written as null
	if l.Entries != nil {
		list := make([]object, len(l.Entries))
		for i, e := range l.Entries {
			list[i] = object{
				{"Trustee", trusteeObject(e.Trustee)},
				{"AccessType", e.AccessType},
				{"AccessRights", e.AccessRights},
			}
		}
		entries = list
	}
	return object{{"RoleTrusteeAccessControlEntries", entries}}
}

func trusteeObject(t *store.Trustee) any {
	if t == nil {
		return nil
	}
	return object{{"Type", t.Type}, {"ObjectId", t.ObjectID}, {"TenantId", t.TenantID}}
}

// Request bodies arrive validated by their JSON Schema with canonical
// property names, as the decoded tree (strings, json.Number, bool, nil,
// []any, map[string]any); these read it.

type fields map[string]any

// json is the whole body again, with canonical property names.
func (f fields) json() json.RawMessage {
	b, _ := json.Marshal(map[string]any(f)) // cannot fail: the tree came from JSON
	return b
}

// str reads a string property; absent and null are nil.
func (f fields) str(name string) (*string, error) {
	switch v := f[name].(type) {
	case nil:
		return nil, nil
	case string:
		return &v, nil
	}
	return nil, fmt.Errorf("property %q must be a string", name)
}

// span reads a time-span property; absent and null are nil.
func (f fields) span(name string) (*time.Duration, error) {
	s, err := f.str(name)
	if err != nil || s == nil {
		return nil, err
	}
	d, err := timefmt.ParseSpan(*s)
	if err != nil {
		return nil, fmt.Errorf("property %q: %w", name, err)
	}
	return &d, nil
}

// number reads a numeric property; absent is nil.
func (f fields) number(name string) (*float64, error) {
	v, ok := f[name]
	if !ok {
		return nil, nil
	}
	if n, isNumber := v.(json.Number); isNumber {
		if x, err := n.Float64(); err == nil {
			return &x, nil
		}
	}
	return nil, fmt.Errorf("property %q must be a number", name)
}

// raw reads a property as JSON; absent and null are nil.
func (f fields) raw(name string) json.RawMessage {
	v, ok := f[name]
	if !ok || v == nil {
		return nil
	}
	b, _ := json.Marshal(v) // cannot fail: the tree came from JSON
	return b
}

// wireACL is an AccessControlList as JSON.
type wireACL struct {
	RoleTrusteeAccessControlEntries []struct {
		Trustee *struct {
			Type     int
			ObjectId *string
			TenantId *string
		}
		AccessType   int
		AccessRights int64
	}
}

func decodeACL(raw json.RawMessage) (store.AccessControlList, error) {
	var w wireACL
	if err := json.Unmarshal(raw, &w); err != nil {
		return store.AccessControlList{}, fmt.Errorf("access control list: %w", err)
	}
	var l store.AccessControlList
	if w.RoleTrusteeAccessControlEntries != nil {
		l.Entries = make([]store.AccessControlEntry, len(w.RoleTrusteeAccessControlEntries))
		for i, e := range w.RoleTrusteeAccessControlEntries {
			l.Entries[i] = store.AccessControlEntry{AccessType: e.AccessType, AccessRights: e.AccessRights}
			if e.Trustee != nil {
				l.Entries[i].Trustee = &store.Trustee{Type: e.Trustee.Type, ObjectID: e.Trustee.ObjectId, TenantID: e.Trustee.TenantId}
			}
		}
	}
	return l, nil
}

func decodeTrustee(raw json.RawMessage) (*store.Trustee, error) {
	if raw == nil {
		return nil, nil
	}
	var t struct {
		Type     int
		ObjectId *string
		TenantId *string
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("trustee: %w", err)
	}
	return &store.Trustee{Type: t.Type, ObjectID: t.ObjectId, TenantID: t.TenantId}, nil
}

// groupConfig reads a GroupConfiguration body in sf's shape.
func (sf surface) groupConfig(f fields) (service.GroupConfig, error) {
	var c service.GroupConfig
	var err error
	id, err := f.str("Id")
	if err != nil {
		return c, err
	}
	if id != nil {
		c.ID = *id
	}
	if c.Name, err = f.str("Name"); err != nil {
		return c, err
	}
	if c.Description, err = f.str("Description"); err != nil {
		return c, err
	}
	timeout, err := f.span("FailoverTimeout")
	if err != nil {
		return c, err
	}
	if timeout == nil {
		return c, fmt.Errorf("property \"FailoverTimeout\" is required and must not be null")
	}
	c.Timeout = *timeout
	c.Fields = sf.fields
	if sf.fields&service.WithAdditionalData != 0 {
		c.AdditionalData = f.raw("AdditionalData")
	}
	if sf.fields&service.WithAccess != 0 {
		if raw := f.raw("AccessControl"); raw != nil {
			if c.ACL, err = decodeACL(raw); err != nil {
				return c, err
			}
		}
		if c.Owner, err = decodeTrustee(f.raw("Owner")); err != nil {
			return c, err
		}
	}
	return c, nil
}

// heartbeat reads a FailoverHeartbeat body in sf's shape: a missing score
// counts as 0 unless the revision requires it.
//
// It is on every heartbeat's path, so it reads the values where they are
// rather than through number and dateTime, which allocate for each pointer
// they return; it answers what they would.
func (sf surface) heartbeatBody(f fields) (failover.Heartbeat, error) {
	var hb failover.Heartbeat
	switch v, ok := f[sf.scoreProperty]; {
	case !ok && sf.scoreRequired:
		return hb, fmt.Errorf("property %q is required", sf.scoreProperty)
	case ok:
		n, isNumber := v.(json.Number)
		x, err := n.Float64()
		if !isNumber || err != nil {
			return hb, fmt.Errorf("property %q must be a number", sf.scoreProperty)
		}
		hb.Score = x
	}
	var err error
	if hb.LastDataProcessedTime, err = f.dateTimeInPlace("LastDataProcessedTime"); err != nil {
		return hb, err
	}
	if hb.HeartbeatTime, err = f.dateTimeInPlace("HeartbeatTime"); err != nil {
		return hb, err
	}
	return hb, nil
}

// dateTimeInPlace is dateTime with one allocation (the time) instead of
// two.
func (f fields) dateTimeInPlace(name string) (*time.Time, error) {
	switch v := f[name].(type) {
	case nil:
		return nil, nil
	case string:
		t, err := timefmt.ParseDateTime(v)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", name, err)
		}
		return &t, nil
	}
	return nil, fmt.Errorf("property %q must be a string", name)
}
