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
// (WithFixtures, WithManualClock, WithAuth, WithAdminToken, WithFlag) mix
// with testcontainers' generic ones (testcontainers.WithEnv, WithLogger,
// ...), which are applied after the module's and so may override them.
//
// The image is built from this repository's Dockerfile; BuildImage builds
// it from source for tests, with no base image to pull.
package tcemulator

import (
	"context"
	"fmt"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/adh-emulator/clientfailover/emulator/control"
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

	// adminTokenEnv carries the admin token. The variable rather than the
	// flag, because the image's HEALTHCHECK (emulator healthcheck) reads
	// only the variable.
	adminTokenEnv = "EMULATOR_ADMIN_TOKEN"
)

// Container is a running emulator container.
type Container struct {
	testcontainers.Container
	opts options
}

// BaseURL returns the URL the emulator is reachable at from the host, for
// example "http://localhost:32768": the root of both the emulated API
// (/api/...) and the control API (/_emulator/...).
func (c *Container) BaseURL(ctx context.Context) (string, error) {
	url, err := c.PortEndpoint(ctx, port, "http")
	if err != nil {
		return "", fmt.Errorf("base URL: %w", err)
	}
	return url, nil
}

// Control returns a client for the emulator's control API, with the admin
// token when the container was started WithAdminToken.
func (c *Container) Control(ctx context.Context) (*control.Client, error) {
	url, err := c.BaseURL(ctx)
	if err != nil {
		return nil, fmt.Errorf("control client: %w", err)
	}
	return control.New(url, control.WithAdminToken(c.opts.adminToken)), nil
}

// AdminToken returns the token the control API requires ("" when the
// container was started without WithAdminToken), for callers that speak
// to the control API on their own.
func (c *Container) AdminToken() string {
	return c.opts.adminToken
}

// Run starts an emulator container from img (for example DefaultImage)
// and waits until it answers GET /_emulator/health. On error the
// container, if one was created, is returned too, so the caller can
// terminate it: call testcontainers.CleanupContainer before checking err.
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
	if settings.adminToken != "" {
		health = health.WithHeaders(map[string]string{"Authorization": "Bearer " + settings.adminToken})
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
		c = &Container{Container: ctr, opts: settings}
	}
	if err != nil {
		return c, fmt.Errorf("run tcemulator: %w", err)
	}
	return c, nil
}
