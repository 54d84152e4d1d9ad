package tcemulator

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// Environment variables of testcontainers that PrepareTestEnv may set.
const (
	ryukDisabledEnv = "TESTCONTAINERS_RYUK_DISABLED"
	hostOverrideEnv = "TESTCONTAINERS_HOST_OVERRIDE"
)

// PrepareTestEnv readies this process to start emulator containers in
// tests, and reports whether a container engine answers: nil when one
// does, an error saying why not otherwise (tests then skip). Call it from
// TestMain, before anything else uses testcontainers, which reads its
// settings once per process. Variables already set are left alone:
//
//   - TESTCONTAINERS_RYUK_DISABLED is set to true: the reaper's image may
//     not be pullable, and tests terminate their own containers with
//     testcontainers.CleanupContainer;
//   - TESTCONTAINERS_HOST_OVERRIDE is set to localhost when the engine is
//     reached through a local socket and its default bridge network is
//     attached to this machine. Inside a container, testcontainers
//     otherwise looks for published ports at the bridge's gateway or the
//     default route, which is wrong when the engine runs in this same
//     container (as in some CI sandboxes).
func PrepareTestEnv(ctx context.Context) (err error) {
	if _, set := os.LookupEnv(ryukDisabledEnv); !set {
		if err := os.Setenv(ryukDisabledEnv, "true"); err != nil {
			return fmt.Errorf("prepare test environment: %w", err)
		}
	}
	defer func() {
		// testcontainers panics when it finds no engine configuration at all.
		if r := recover(); r != nil {
			err = fmt.Errorf("no container engine: %v", r)
		}
	}()
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return fmt.Errorf("no container engine: %w", err)
	}
	defer provider.Close()
	if err := provider.Health(ctx); err != nil {
		return fmt.Errorf("no container engine answers: %w", err)
	}
	if _, set := os.LookupEnv(hostOverrideEnv); !set && engineOnThisMachine(ctx, provider) {
		if err := os.Setenv(hostOverrideEnv, "localhost"); err != nil {
			return fmt.Errorf("prepare test environment: %w", err)
		}
	}
	return nil
}

// engineOnThisMachine reports whether the engine is reached through a local
// socket and has its default bridge network on one of this machine's
// interfaces, so that the ports it publishes are on localhost.
func engineOnThisMachine(ctx context.Context, p *testcontainers.DockerProvider) bool {
	daemon, err := url.Parse(p.Client().DaemonHost())
	if err != nil || daemon.Scheme != "unix" {
		return false
	}
	inspected, err := p.Client().NetworkInspect(ctx, testcontainers.Bridge, client.NetworkInspectOptions{})
	if err != nil {
		return false
	}
	bridge := inspected.Network
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, cfg := range bridge.IPAM.Config {
		if !cfg.Subnet.IsValid() {
			continue
		}
		for _, a := range addrs {
			ipNet, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(ipNet.IP)
			if ok && cfg.Subnet.Contains(ip.Unmap()) {
				return true
			}
		}
	}
	return false
}
