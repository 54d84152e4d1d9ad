package control_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/control"
)

func TestHealth(t *testing.T) {
	tests := []struct {
		name        string
		serverToken string
		clientToken string
		wantStatus  int // of Health; 0: no error
		wantClock   int // of Clock; 0: no error
	}{
		{name: "no admin token", wantStatus: 0},
		{name: "admin token sent", serverToken: "s3cret", clientToken: "s3cret", wantStatus: 0},
		// The health check never needs the admin token; the rest of the
		// control API does.
		{name: "admin token missing", serverToken: "s3cret", wantStatus: 0, wantClock: http.StatusUnauthorized},
		{name: "admin token wrong", serverToken: "s3cret", clientToken: "guess", wantStatus: 0, wantClock: http.StatusUnauthorized},
		{name: "token sent to an open emulator", clientToken: "unneeded", wantStatus: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startEmulator(t, emulator.Options{AdminToken: tt.serverToken})
			c := control.New(srv.URL(), control.WithAdminToken(tt.clientToken))
			err := c.Health(t.Context())
			if got := statusOf(err); got != tt.wantStatus {
				t.Fatalf("Health: got status %d (err %v), want %d", got, err, tt.wantStatus)
			}
			_, err = c.Clock(t.Context())
			if got := statusOf(err); got != tt.wantClock {
				t.Fatalf("Clock: got status %d (err %v), want %d", got, err, tt.wantClock)
			}
		})
	}
}

// statusOf is the status of an *APIError, 0 for nil, -1 for other errors.
func statusOf(err error) int {
	if err == nil {
		return 0
	}
	var apiErr *control.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return -1
}

func TestBaseURLTrailingSlash(t *testing.T) {
	srv := startEmulator(t, emulator.Options{})
	for _, base := range []string{srv.URL(), srv.URL() + "/", srv.URL() + "//"} {
		c := control.New(base)
		if got := c.BaseURL(); got != srv.URL() {
			t.Errorf("New(%q).BaseURL(): got %q, want %q", base, got, srv.URL())
		}
		if err := c.Health(t.Context()); err != nil {
			t.Errorf("New(%q).Health: %v", base, err)
		}
	}
}

func TestAPIErrorCarriesTheErrorResponse(t *testing.T) {
	c, _ := newClient(t, emulator.Options{})
	err := c.RemoveFault(t.Context(), "no-such-rule")

	var apiErr *control.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("RemoveFault: got %T %v, want an *APIError", err, err)
	}
	checks := []struct {
		field string
		ok    bool
	}{
		{"Status 404", apiErr.Status == http.StatusNotFound},
		{"Method DELETE", apiErr.Method == http.MethodDelete},
		{"Path /_emulator/faults/no-such-rule", apiErr.Path == "/_emulator/faults/no-such-rule"},
		{"Message", apiErr.Message == "The fault rule was not found."},
		{"Reason names the id", strings.Contains(apiErr.Reason, "no-such-rule")},
		{"Resolution", apiErr.Resolution != ""},
		{"OperationId", apiErr.OperationId != ""},
		{"Body", json.Valid(apiErr.Body)},
		{"Error() has the status", strings.Contains(err.Error(), "404 Not Found")},
		{"Error() has the message", strings.Contains(err.Error(), "The fault rule was not found.")},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("APIError %s: got %#v", c.field, apiErr)
		}
	}
}

func TestAPIErrorWithoutErrorResponse(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		wantInErr string
	}{
		{name: "plain text", status: http.StatusBadGateway, body: "upstream gone\n", wantInErr: "502 Bad Gateway: upstream gone"},
		{name: "no body", status: http.StatusForbidden, body: "", wantInErr: "403 Forbidden"},
		{name: "other JSON", status: http.StatusTeapot, body: `{"x":1}`, wantInErr: `418 I'm a teapot: {"x":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(proxy.Close)

			_, err := control.New(proxy.URL).Clock(t.Context())
			var apiErr *control.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("Clock: got %T %v, want an *APIError", err, err)
			}
			if apiErr.Status != tt.status || string(apiErr.Body) != tt.body || apiErr.Message != "" {
				t.Errorf("APIError: got %#v, want Status %d, Body %q, no Message", apiErr, tt.status, tt.body)
			}
			if !strings.HasSuffix(err.Error(), tt.wantInErr) {
				t.Errorf("Error(): got %q, want it to end with %q", err.Error(), tt.wantInErr)
			}
		})
	}
}

func TestTransportErrorsAreWrapped(t *testing.T) {
	srv := startEmulator(t, emulator.Options{})
	base := srv.URL()
	srv.Close() // nothing listens there any more

	err := control.New(base).Health(t.Context())
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		t.Fatalf("Health on a closed emulator: got %T %v, want a wrapped *url.Error", err, err)
	}
	var apiErr *control.APIError
	if errors.As(err, &apiErr) {
		t.Errorf("Health on a closed emulator: got an *APIError %v", apiErr)
	}
}

func TestContextIsPassed(t *testing.T) {
	c, _ := newClient(t, emulator.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.Health(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Health with a cancelled context: got %v, want context.Canceled", err)
	}
}

// handlerTransport serves requests in-process through a handler.
type handlerTransport struct {
	h     http.Handler
	calls atomic.Int64
}

func (t *handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.calls.Add(1)
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func TestWithHTTPClientServesInProcess(t *testing.T) {
	srv := startEmulator(t, emulator.Options{NoListener: true})
	tr := &handlerTransport{h: srv.Handler()}
	c := control.New("http://emulator.invalid", control.WithHTTPClient(&http.Client{Transport: tr}))

	if err := c.Health(t.Context()); err != nil {
		t.Fatalf("Health: %v", err)
	}
	if _, err := c.Advance(t.Context(), 1); err != nil {
		t.Fatalf("Advance: %v", err)
	}
	if got := tr.calls.Load(); got != 2 {
		t.Errorf("requests through the given client: got %d, want 2", got)
	}
	// A nil client keeps the default.
	if err := control.New(startEmulator(t, emulator.Options{}).URL(), control.WithHTTPClient(nil)).Health(t.Context()); err != nil {
		t.Errorf("Health with WithHTTPClient(nil): %v", err)
	}
}

func TestOpenAPI(t *testing.T) {
	c, _ := newClient(t, emulator.Options{})
	for _, tc := range []struct {
		name     string
		get      func(context.Context) ([]byte, error)
		wantPath string
	}{
		{"OpenAPI", c.OpenAPI, "/api/v1/clientfailover/groups"},
		{"ControlOpenAPI", c.ControlOpenAPI, "/clock/advance"},
	} {
		doc, err := tc.get(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var top struct {
			OpenAPI string `json:"openapi"`
			Paths   map[string]json.RawMessage
		}
		if err := json.Unmarshal(doc, &top); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if _, ok := top.Paths[tc.wantPath]; !strings.HasPrefix(top.OpenAPI, "3.") || !ok {
			t.Errorf("%s: got openapi %q with %d paths, want a 3.x document with %s", tc.name, top.OpenAPI, len(top.Paths), tc.wantPath)
		}
	}
}
