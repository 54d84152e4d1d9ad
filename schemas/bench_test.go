package schemas_test

import (
	"encoding/json"
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
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := schemas.New(); err != nil {
			b.Fatal(err)
		}
	}
}
