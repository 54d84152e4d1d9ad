package configuration

import (
	"errors"
	"fmt"
	"testing"
)

func ptr(s string) *string { return &s }

func newIDs() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("id-%d", n) }
}

func TestParseLogLevel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want LogLevel
		ok   bool
	}{
		{"Information", Information, true},
		{"verbose", Verbose, true},
		{"FATAL", Fatal, true},
		{"Warn", "", false},
		{"", "", false},
	} {
		got, err := ParseLogLevel(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseLogLevel(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseLogLevel(%q): error %v does not wrap ErrInvalid", tc.in, err)
		}
	}
}

func TestValidateEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name string
		ep   HealthEndpoint
		ok   bool
	}{
		{"https", HealthEndpoint{Endpoint: "https://omf.example/piwebapi/omf/"}, true},
		{"http with port", HealthEndpoint{Endpoint: "http://host:5590/x"}, true},
		{"relative", HealthEndpoint{Endpoint: "/omf"}, false},
		{"ftp", HealthEndpoint{Endpoint: "ftp://host/x"}, false},
		{"no host", HealthEndpoint{Endpoint: "https://"}, false},
		{"space", HealthEndpoint{Endpoint: "https://host/a b"}, false},
		{"empty", HealthEndpoint{}, false},
		{"bad token endpoint", HealthEndpoint{Endpoint: "https://h/", TokenEndpoint: ptr("token")}, false},
		{"good token endpoint", HealthEndpoint{Endpoint: "https://h/", TokenEndpoint: ptr("https://id/connect/token")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.ep.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

func TestEndpoints(t *testing.T) {
	c := New(newIDs())
	added, err := c.Add([]HealthEndpoint{{Endpoint: "https://a/"}, {ID: "PI Web API", Endpoint: "https://b/", Password: ptr("s3cret")}})
	if err != nil {
		t.Fatal(err)
	}
	if added[0].ID != "id-1" || added[1].ID != "PI Web API" {
		t.Fatalf("added ids %q, %q; want id-1 and PI Web API", added[0].ID, added[1].ID)
	}
	// A second POST with an existing Id (any case) adds nothing.
	if _, err := c.Add([]HealthEndpoint{{Endpoint: "https://c/"}, {ID: "pi web api", Endpoint: "https://d/"}}); !errors.Is(err, ErrExists) {
		t.Fatalf("Add of an existing Id: %v, want ErrExists", err)
	}
	if n := len(c.Endpoints()); n != 2 {
		t.Fatalf("%d endpoints after a refused Add, want 2", n)
	}
	got, err := c.Endpoint("PI WEB API")
	if err != nil || *got.Password != "s3cret" || got.Redacted().Password != nil {
		t.Fatalf("Endpoint = %+v, %v; want the stored secret, redacted on request", got, err)
	}
	if err := c.Update("pi web api", HealthEndpoint{Endpoint: "https://e/"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Endpoint("PI Web API"); got.ID != "PI Web API" || got.Endpoint != "https://e/" {
		t.Fatalf("after Update: %+v; want the first spelling of the Id and the new Endpoint", got)
	}
	if err := c.Update("nobody", HealthEndpoint{Endpoint: "https://e/"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Update of an unknown Id: %v, want ErrNotFound", err)
	}
	if err := c.Update("id-1", HealthEndpoint{ID: "other", Endpoint: "https://e/"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Update with another body Id: %v, want ErrInvalid", err)
	}
	if err := c.Replace([]HealthEndpoint{{Endpoint: "https://f/"}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Replace without an Id: %v, want ErrInvalid", err)
	}
	if err := c.Replace([]HealthEndpoint{{ID: "x", Endpoint: "https://f/"}, {ID: "X", Endpoint: "https://g/"}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Replace with an Id twice: %v, want ErrInvalid", err)
	}
	if n := len(c.Endpoints()); n != 2 {
		t.Fatalf("%d endpoints after refused Replaces, want 2", n)
	}
	if err := c.Delete("ID-1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete("id-1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v, want ErrNotFound", err)
	}
	c.Clear()
	if n := len(c.Endpoints()); n != 0 {
		t.Fatalf("%d endpoints after Clear, want 0", n)
	}
}

func TestSetAndDefaults(t *testing.T) {
	c := New(newIDs())
	if c.LogLevel() != Information {
		t.Fatalf("default level %q, want Information", c.LogLevel())
	}
	if err := c.Set(Document{LogLevel: "Loud"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Set with an unknown level: %v, want ErrInvalid", err)
	}
	if err := c.Set(Document{LogLevel: Debug, HealthEndpoints: []HealthEndpoint{{ID: "a", Endpoint: "https://a/"}}}); err != nil {
		t.Fatal(err)
	}
	doc := c.Get()
	if doc.LogLevel != Debug || len(doc.HealthEndpoints) != 1 {
		t.Fatalf("Get = %+v", doc)
	}
	if err := c.Set(Document{}); err != nil || c.LogLevel() != Information || len(c.Endpoints()) != 0 {
		t.Fatalf("Set of the empty document: %v, level %q, %d endpoints; want the defaults", err, c.LogLevel(), len(c.Endpoints()))
	}
	if err := c.SetLogLevel("nope"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("SetLogLevel(nope) = %v", err)
	}
}

func TestBound(t *testing.T) {
	c := New(newIDs())
	many := make([]HealthEndpoint, MaxHealthEndpoints)
	for i := range many {
		many[i] = HealthEndpoint{Endpoint: "https://h/"}
	}
	if _, err := c.Add(many); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Add([]HealthEndpoint{{Endpoint: "https://h/"}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Add beyond MaxHealthEndpoints: %v, want ErrInvalid", err)
	}
}
