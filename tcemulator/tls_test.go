package tcemulator_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/adh-emulator/clientfailover/tcemulator"
)

// waitHealthy waits until the image's own HEALTHCHECK (emulator
// healthcheck, run by the engine inside the container) reports the
// container with this id healthy, and fails the test when it reports
// unhealthy. It is a condition wait: only hangLimit ends it early.
func waitHealthy(t *testing.T, id string) {
	t.Helper()
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		t.Fatal(err)
	}
	defer provider.Close()
	deadline := time.Now().Add(hangLimit)
	for {
		inspected, err := provider.Client().ContainerInspect(t.Context(), id, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatalf("inspect %s: %v", id, err)
		}
		if st := inspected.Container.State; st != nil && st.Health != nil {
			switch st.Health.Status {
			case "healthy":
				return
			case "unhealthy":
				var out []string
				for _, l := range st.Health.Log {
					out = append(out, l.Output)
				}
				t.Fatalf("the container's HEALTHCHECK says unhealthy: %v", out)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the container was not healthy within %v", hangLimit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// WithTLS: the container serves HTTPS with the module's certificate; the
// module's client, pool and control client trust it with Go's default
// verification, a client that does not is refused, and the image's own
// HEALTHCHECK passes.
func TestTLS(t *testing.T) {
	ctr, ctl, base := runEmulator(t, tcemulator.WithTLS("emulator.internal"), tcemulator.WithAdminToken("s3cret"))
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("BaseURL: got %q, want an https:// URL", base)
	}
	client, err := ctr.HTTPClient(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Get(base + groups)
	if err != nil {
		t.Fatalf("GET with the module's client: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET with the module's client: got %d, want 200", resp.StatusCode)
	}
	// A client of its own, trusting CertPool, as a client under test would.
	own := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ctr.CertPool()}}}
	resp, err = own.Get(base + "/_emulator/tls/certificate")
	if err != nil {
		t.Fatalf("GET with a client trusting CertPool: %v", err)
	}
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(served, ctr.CertificatePEM()) {
		t.Errorf("/_emulator/tls/certificate: got %q, want CertificatePEM %q", served, ctr.CertificatePEM())
	}
	if _, err := http.Get(base + "/_emulator/health"); !errors.As(err, new(x509.UnknownAuthorityError)) {
		t.Errorf("GET with the system's roots only: got %v, want x509.UnknownAuthorityError", err)
	}
	if err := ctl.Health(t.Context()); err != nil {
		t.Errorf("Control: %v", err)
	}
	if _, err := ctl.Clock(t.Context()); err != nil {
		t.Errorf("Control with the admin token: %v", err)
	}
	waitHealthy(t, ctr.GetContainerID())
}

// The image run as "docker run IMAGE --tls" (no module, no variables): its
// HEALTHCHECK passes, and it serves HTTPS with a certificate that names
// localhost.
func TestImageWithTLSFlag(t *testing.T) {
	testcontainers.SkipIfProviderIsNotHealthy(t)
	ctr, err := testcontainers.Run(t.Context(), tcemulator.DefaultImage,
		testcontainers.WithLogger(log.TestLogger(t)),
		testcontainers.WithExposedPorts("8080/tcp"),
		testcontainers.WithCmd("--tls"),
		testcontainers.WithWaitStrategy(wait.ForHealthCheck().WithStartupTimeout(hangLimit)),
	)
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatalf("Run (waiting for the image's HEALTHCHECK): %v", err)
	}
	base, err := ctr.PortEndpoint(t.Context(), "8080/tcp", "https")
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is trusted yet: the handshake names the certificate served.
	_, err = http.Get(base + "/_emulator/health")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) || unknown.Cert == nil {
		t.Fatalf("GET before trusting: got %v, want x509.UnknownAuthorityError", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(unknown.Cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(base + "/_emulator/health")
	if err != nil {
		t.Fatalf("GET trusting the served certificate: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("health: got %d, want 200", resp.StatusCode)
	}
}

// The image's version label is the version the binary reports: both come
// from the same build (BuildImage's git describe).
func TestImageVersion(t *testing.T) {
	_, _, base := runEmulator(t)
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		t.Fatal(err)
	}
	defer provider.Close()
	img, err := provider.Client().ImageInspect(context.Background(), tcemulator.DefaultImage)
	if err != nil {
		t.Fatal(err)
	}
	label := img.Config.Labels["org.opencontainers.image.version"]
	var health struct{ Status, Version string }
	decode(t, must(t, base, http.StatusOK, http.MethodGet, "/_emulator/health", nil), &health)
	if label == "" || health.Version != label {
		t.Errorf("version: label %q, health %q; want the same, set by the build", label, health.Version)
	}
	if rev := img.Config.Labels["org.opencontainers.image.revision"]; rev == "" || rev == "unknown" {
		t.Errorf("revision label: got %q, want the commit", rev)
	}
}
