// Package tcemulator is a testcontainers-go module for the Client Failover
// API emulator: it starts the emulator's container image, waits until the
// emulator answers its health check, and hands out its base URL and a
// ready client for its control API.
//
// A test needs no knowledge of ports or of the control API's HTTP shape:
//
//	ctr, err := tcemulator.Run(ctx, tcemulator.DefaultImage, tcemulator.WithManualClock(start))
//	testcontainers.CleanupContainer(t, ctr)
//	if err != nil { t.Fatal(err) }
//	url, err := ctr.BaseURL(ctx)        // point the client under test here
//	ctl, err := ctr.Control(ctx)        // and drive the emulator from the test
//	_, err = ctl.Advance(ctx, time.Minute)
//
// The module follows testcontainers-go's conventions: Run takes the image
// and any testcontainers.ContainerCustomizer, so the module's own options
// (WithFixtures, WithManualClock, WithAuth, WithAdminToken, WithTLS,
// WithFlag) mix with testcontainers' generic ones (testcontainers.WithEnv,
// WithLogger, ...), which are applied after the module's and so may
// override them.
//
// With WithTLS the emulator serves HTTPS with a certificate the module
// generates: Container.HTTPClient and Container.CertPool trust it, with
// Go's usual verification.
//
// The image is built from this repository's Dockerfile; BuildImage builds
// it from source for tests, with no base image to pull.
package tcemulator

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	cerrdefs "github.com/containerd/errdefs"
	"net/http"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/adh-emulator/clientfailover/emulator/control"
	"github.com/adh-emulator/clientfailover/emulator/tlscert"
)

const (
	// DefaultImage is the image the repository's Dockerfile builds under
	// its documented tag (and BuildImage's usual target).
	DefaultImage = "clientfailover-emulator:dev"

	// port is where the emulator listens inside the container.
	port = "8080/tcp"

	// healthPath is the control API's health check.
	healthPath = control.Prefix + "/health"

	// fixturesDir is where WithFixtures puts fixture files in the container.
	fixturesDir = "/fixtures"

	// tlsCertFile and tlsKeyFile are where WithTLS puts the pair in the
	// container.
	tlsCertFile = "/tls/cert.pem"
	tlsKeyFile  = "/tls/key.pem"

	// Variables rather than flags for the admin token and the pair,
	// because the image's HEALTHCHECK (emulator healthcheck) reads only
	// the variables: it trusts the certificate of EMULATOR_TLS_CERT.
	adminTokenEnv = "EMULATOR_ADMIN_TOKEN"
	tlsCertEnv    = "EMULATOR_TLS_CERT"
	tlsKeyEnv     = "EMULATOR_TLS_KEY"
)

// Container is a running emulator container.
type Container struct {
	testcontainers.Container
	opts   options
	pair   *tlscert.Pair // the certificate served, nil over plain HTTP
	client *http.Client  // trusts pair
}

// BaseURL returns the URL the emulator is reachable at from the host, for
// example "http://localhost:32768" (https://… WithTLS): the root of both
// the emulated API (/api/...) and the control API (/_emulator/...).
func (c *Container) BaseURL(ctx context.Context) (string, error) {
	scheme := "http"
	if c.pair != nil {
		scheme = "https"
	}
	url, err := c.PortEndpoint(ctx, port, scheme)
	if err != nil {
		return "", fmt.Errorf("base URL: %w", err)
	}
	return url, nil
}

// HTTPClient returns an HTTP client for the emulator: WithTLS, one that
// trusts the container's certificate (and only it) with Go's usual
// verification; otherwise a plain client. The same client is returned on
// every call.
func (c *Container) HTTPClient(ctx context.Context) (*http.Client, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("HTTP client: %w", err)
	}
	return c.client, nil
}

// CertPool returns a pool trusting the container's certificate, for a
// client under test that builds its own tls.Config; nil without WithTLS.
func (c *Container) CertPool() *x509.CertPool {
	if c.pair == nil {
		return nil
	}
	return c.pair.CertPool()
}

// CertificatePEM returns the container's certificate, PEM-encoded (what
// GET /_emulator/tls/certificate answers, and what curl --cacert takes);
// nil without WithTLS.
func (c *Container) CertificatePEM() []byte {
	if c.pair == nil {
		return nil
	}
	return append([]byte(nil), c.pair.CertPEM...)
}

// Control returns a client for the emulator's control API, with the admin
// token when the container was started WithAdminToken, and trusting the
// certificate WithTLS.
func (c *Container) Control(ctx context.Context) (*control.Client, error) {
	url, err := c.BaseURL(ctx)
	if err != nil {
		return nil, fmt.Errorf("control client: %w", err)
	}
	return control.New(url, control.WithAdminToken(c.opts.adminToken), control.WithHTTPClient(c.client)), nil
}

// AdminToken returns the token the control API requires ("" when the
// container was started without WithAdminToken), for callers that speak
// to the control API on their own.
func (c *Container) AdminToken() string {
	return c.opts.adminToken
}

// Run starts an emulator container from img (for example DefaultImage)
// and waits until it answers GET /_emulator/health (over HTTPS WithTLS).
// On error the container, if one was created, is returned too, so the
// caller can terminate it: call testcontainers.CleanupContainer before
// checking err.
func Run(ctx context.Context, img string, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	settings := defaultOptions()
	for _, opt := range opts {
		if o, ok := opt.(Option); ok {
			if err := o(&settings); err != nil {
				return nil, fmt.Errorf("tcemulator option: %w", err)
			}
		}
	}

	health := wait.ForHTTP(healthPath).WithPort(port)
	client := &http.Client{}
	var pair *tlscert.Pair
	if settings.tls != nil {
		var err error
		if pair, err = generatePair(ctx, settings.tls.hosts); err != nil {
			return nil, fmt.Errorf("run tcemulator: %w", err)
		}
		settings.files = append(settings.files,
			testcontainers.ContainerFile{Reader: bytes.NewReader(pair.CertPEM), ContainerFilePath: tlsCertFile, FileMode: 0o644},
			testcontainers.ContainerFile{Reader: bytes.NewReader(pair.KeyPEM), ContainerFilePath: tlsKeyFile, FileMode: 0o644},
		)
		settings.env[tlsCertEnv] = tlsCertFile
		settings.env[tlsKeyEnv] = tlsKeyFile
		health = health.WithTLS(true, &tls.Config{RootCAs: pair.CertPool(), MinVersion: tls.VersionTLS12})
		client = tlscert.NewClient(pair.CertPool())
	}
	moduleOpts := make([]testcontainers.ContainerCustomizer, 0, 5+len(opts))
	moduleOpts = append(moduleOpts,
		testcontainers.WithExposedPorts(port),
		testcontainers.WithWaitStrategy(health),
	)
	if len(settings.flags) > 0 {
		moduleOpts = append(moduleOpts, testcontainers.WithCmd(settings.flags...))
	}
	if len(settings.env) > 0 {
		moduleOpts = append(moduleOpts, testcontainers.WithEnv(settings.env))
	}
	if len(settings.files) > 0 {
		moduleOpts = append(moduleOpts, testcontainers.WithFiles(settings.files...))
	}
	moduleOpts = append(moduleOpts, opts...)

	ctr, err := testcontainers.Run(ctx, img, moduleOpts...)
	var c *Container
	if ctr != nil {
		c = &Container{Container: ctr, opts: settings, pair: pair, client: client}
	}
	if err != nil {
		if missing := imageMissing(ctx, img); missing != nil {
			return c, fmt.Errorf("run tcemulator: %w (%w)", missing, err)
		}
		return c, fmt.Errorf("run tcemulator: %w", err)
	}
	return c, nil
}

// imageMissing returns an error saying how to build img when the engine
// does not have it, so a test that forgot to build the image learns that
// rather than a registry's error; nil when it has it or cannot tell.
func imageMissing(ctx context.Context, img string) error {
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return nil
	}
	defer provider.Close()
	if _, err := provider.Client().ImageInspect(ctx, img); err == nil || !cerrdefs.IsNotFound(err) {
		return nil
	}
	return fmt.Errorf("the container engine has no image %s: build it first, in Go with tcemulator.BuildImage(ctx, repositoryRoot, %q) "+
		"(from TestMain, as the README shows), or from the repository root with "+
		"`CGO_ENABLED=0 go build -o dist/emulator ./cmd/emulator && docker build --target prebuilt -t %s .`", img, img, img)
}

// generatePair makes the certificate of a WithTLS container: for
// tlscert.DefaultHosts, the host its ports are published on (as
// testcontainers finds it: TESTCONTAINERS_HOST_OVERRIDE, the Docker host's
// name, or localhost) and hosts.
func generatePair(ctx context.Context, hosts []string) (*tlscert.Pair, error) {
	names := append([]string(nil), hosts...)
	if p, err := testcontainers.NewDockerProvider(); err == nil {
		if h, err := p.DaemonHost(ctx); err == nil {
			names = append(names, h)
		}
		_ = p.Close()
	}
	pair, err := tlscert.Generate(names, time.Now())
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	return pair, nil
}
