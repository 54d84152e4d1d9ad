package tcemulator

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/testcontainers/testcontainers-go"
)

// options holds the module's configuration of one container.
type options struct {
	// flags are the emulator's command-line flags, in the order given
	// (for a flag given twice, the last one wins).
	flags []string
	// env holds environment variables of the container.
	env map[string]string
	// files are copied into the container before it starts.
	files []testcontainers.ContainerFile
	// adminToken is the control API's token, "" for none.
	adminToken string
	// tls, when set, serves HTTPS with a certificate Run generates.
	tls *tlsSettings
}

// tlsSettings are WithTLS's.
type tlsSettings struct {
	hosts []string // more names for the certificate
}

func defaultOptions() options {
	return options{env: map[string]string{}}
}

// Satisfy the testcontainers.ContainerCustomizer interface.
var _ testcontainers.ContainerCustomizer = (Option)(nil)

// Option is an option of the emulator container, applied by Run.
type Option func(*options) error

// Customize is a no-op; it makes Option a testcontainers.ContainerCustomizer,
// so module options and testcontainers' options go to Run side by side.
func (o Option) Customize(*testcontainers.GenericContainerRequest) error {
	// NOOP to satisfy interface.
	return nil
}

// WithFixtures copies a fixture file, or every *.json file of a fixture
// folder (not its subfolders), into the container under /fixtures and
// starts the emulator with --fixtures pointing there. The fixtures are
// loaded at start and again at every reset. An empty folder is an error.
// Give one WithFixtures per container: with two, the last one's
// --fixtures wins.
func WithFixtures(hostPath string) Option {
	return func(o *options) error {
		info, err := os.Stat(hostPath)
		if err != nil {
			return fmt.Errorf("fixtures: %w", err)
		}
		if !info.IsDir() {
			target := path.Join(fixturesDir, filepath.Base(hostPath))
			o.files = append(o.files, fixtureFile(hostPath, target))
			o.flags = append(o.flags, "--fixtures="+target)
			return nil
		}
		files, err := filepath.Glob(filepath.Join(hostPath, "*.json"))
		if err != nil {
			return fmt.Errorf("fixtures: %w", err)
		}
		if len(files) == 0 {
			return fmt.Errorf("fixtures: folder %s has no *.json file", hostPath)
		}
		sort.Strings(files) // the emulator merges them in name order
		for _, f := range files {
			o.files = append(o.files, fixtureFile(f, path.Join(fixturesDir, filepath.Base(f))))
		}
		o.flags = append(o.flags, "--fixtures="+fixturesDir)
		return nil
	}
}

// fixtureFile is a file the emulator's non-root user can read.
func fixtureFile(hostPath, containerPath string) testcontainers.ContainerFile {
	return testcontainers.ContainerFile{HostFilePath: hostPath, ContainerFilePath: containerPath, FileMode: 0o644}
}

// WithManualClock starts the emulator with a frozen clock showing start; it
// then moves only through the control API (Container.Control, then
// control.Client.Advance or SetClock). A zero start freezes the clock at
// the container's start time.
func WithManualClock(start time.Time) Option {
	return func(o *options) error {
		o.flags = append(o.flags, "--clock=manual")
		if !start.IsZero() {
			o.flags = append(o.flags, "--clock-start="+start.UTC().Format(time.RFC3339Nano))
		}
		return nil
	}
}

// WithAuth sets how callers of the emulated API are authorised: "none"
// (the default: every caller is a tenant administrator) or "token" (bearer
// tokens are required and access control lists are enforced).
func WithAuth(mode string) Option {
	return func(o *options) error {
		switch mode {
		case "none", "token":
			o.flags = append(o.flags, "--auth="+mode)
			return nil
		}
		return fmt.Errorf("auth mode %q: want none or token", mode)
	}
}

// WithTLS serves HTTPS. Run generates a certificate on the host for
// localhost, 127.0.0.1, ::1, the host the container's ports are published
// on and hosts (names other containers dial it by, such as a network
// alias), copies the pair into the container (the key is world-readable
// there: it is a throwaway test key) and starts the emulator with it, so the
// module knows the certificate up front. Container.BaseURL then answers
// https://…, and Container.HTTPClient, CertPool and Control trust the
// certificate; the wait strategy and the image's HEALTHCHECK check the
// health over HTTPS.
func WithTLS(hosts ...string) Option {
	return func(o *options) error {
		for _, h := range hosts {
			if strings.TrimSpace(h) == "" {
				return errors.New("TLS host: empty")
			}
		}
		o.tls = &tlsSettings{hosts: hosts}
		return nil
	}
}

// WithAdminToken makes the control API require Authorization: Bearer
// token (the health check needs none). Container.Control sends it.
func WithAdminToken(token string) Option {
	return func(o *options) error {
		if token == "" {
			return errors.New("admin token: empty")
		}
		o.adminToken = token
		o.env[adminTokenEnv] = token
		return nil
	}
}

// WithFlag passes any other flag of the emulator, for example
// WithFlag("heartbeat-min-interval", "5s") or WithFlag("api-revision",
// "latest"); the name may be given with or without its leading dashes.
// Flags are passed in the order given, and the last of a repeated flag
// wins.
func WithFlag(name, value string) Option {
	return func(o *options) error {
		name = strings.TrimLeft(name, "-")
		if name == "" || strings.ContainsAny(name, "= \t") {
			return fmt.Errorf("flag name %q: want a flag name such as heartbeat-min-interval", name)
		}
		o.flags = append(o.flags, "--"+name+"="+value)
		return nil
	}
}
