package schemas_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/adh-emulator/clientfailover/schemas"
)

// benchmarkDecode decodes body as schema into a map of raw values, as the
// HTTP layer does.
func benchmarkDecode(b *testing.B, schema, body string) {
	v := newValidator(b)
	data := []byte(body)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var fields map[string]json.RawMessage
		if _, err := v.Decode(schema, data, &fields); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeGroup(b *testing.B) {
	b.Run("canonical", func(b *testing.B) {
		benchmarkDecode(b, schemas.GroupConfiguration, `{"Id":"line-1","Name":"Line 1","Description":"Packaging line adapters","FailoverTimeout":"00:01:00"}`)
	})
	b.Run("camelCase", func(b *testing.B) {
		benchmarkDecode(b, schemas.GroupConfiguration, `{"id":"line-1","name":"Line 1","description":"Packaging line adapters","failoverTimeout":"00:01:00"}`)
	})
	b.Run("v1 with access control", func(b *testing.B) {
		benchmarkDecode(b, schemas.V1GroupConfiguration, `{"id":"line-1","failoverTimeout":"00:01:00","additionalData":{"site":"north"},"owner":{"type":1,"objectId":"u1"},"accessControl":{"roleTrusteeAccessControlEntries":[{"trustee":{"type":3,"objectId":"r1"},"accessType":0,"accessRights":31},{"trustee":{"type":3,"objectId":"r2"},"accessType":0,"accessRights":3}]}}`)
	})
}

func BenchmarkDecodeHeartbeat(b *testing.B) {
	b.Run("canonical", func(b *testing.B) {
		benchmarkDecode(b, schemas.FailoverHeartbeat, `{"FailoverStatus":100,"LastDataProcessedTime":"2024-01-02T03:04:05.1234567Z","HeartbeatTime":"2024-01-02T03:04:06Z"}`)
	})
	b.Run("camelCase", func(b *testing.B) {
		benchmarkDecode(b, schemas.FailoverHeartbeat, `{"failoverStatus":100,"lastDataProcessedTime":"2024-01-02T03:04:05.1234567Z","heartbeatTime":"2024-01-02T03:04:06Z"}`)
	})
	b.Run("v1 score only", func(b *testing.B) {
		benchmarkDecode(b, schemas.V1FailoverHeartbeat, `{"FailoverScore":100}`)
	})
	b.Run("v1 tree", func(b *testing.B) { // what the emulator asks for
		v := newValidator(b)
		data := []byte(`{"FailoverScore": 87, "LastDataProcessedTime": "2026-01-01T00:00:00Z"}`)
		b.ReportAllocs()
		for b.Loop() {
			var tree any
			if _, err := v.Decode(schemas.V1FailoverHeartbeat, data, &tree); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNew compares compiling the schemas (New, what every emulator.New
// paid before) with getting the process-wide Validator (Default).
func BenchmarkNew(b *testing.B) {
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := schemas.New(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("shared", func(b *testing.B) {
		if _, err := schemas.Default(); err != nil { // compiled once, outside the loop
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := schemas.Default(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeHostile decodes the bodies of the hostile-input findings:
// their cost must stay a small multiple of their size.
func BenchmarkDecodeHostile(b *testing.B) {
	v := newValidator(b)
	for _, tt := range []struct {
		name string
		body []byte
	}{
		{"1 MiB of [", bytes.Repeat([]byte("["), 1<<20)},
		{"1 MiB of list entries", []byte(`{"RoleTrusteeAccessControlEntries":[` + strings.TrimSuffix(strings.Repeat("0,", 1<<19), ",") + `]}`)},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tt.body)))
			for b.Loop() {
				if _, err := v.Decode(schemas.AccessControlList, tt.body, nil); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
