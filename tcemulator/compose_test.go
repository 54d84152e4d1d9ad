package tcemulator_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/adh-emulator/clientfailover/tcemulator"
)

// composeCommand finds the Compose tool: the docker plugin or the
// standalone docker-compose.
func composeCommand() ([]string, bool) {
	if exec.Command("docker", "compose", "version").Run() == nil {
		return []string{"docker", "compose"}, true
	}
	if _, err := exec.LookPath("docker-compose"); err == nil {
		return []string{"docker-compose"}, true
	}
	return nil, false
}

// The repository's compose.yaml comes up healthy and answers: what a test
// suite in any language relies on.
func TestComposeFileComesUpHealthy(t *testing.T) {
	testcontainers.SkipIfProviderIsNotHealthy(t)
	compose, ok := composeCommand()
	if !ok {
		if os.Getenv("CI") != "" {
			t.Fatal("the Compose tool is missing: .ci/run installs docker-compose")
		}
		t.Skip("no Compose tool (docker compose or docker-compose): apt-get install docker-compose")
	}
	port := freePort(t)
	project := fmt.Sprintf("tcemulator-compose-%s", port)
	env := append(os.Environ(), "EMULATOR_PORT="+port, "EMULATOR_IMAGE="+tcemulator.DefaultImage, "COMPOSE_PROJECT_NAME="+project)
	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, compose[0], append(append(compose[1:], "-f", "../compose.yaml"), args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("up", "-d"); err != nil {
		t.Fatalf("compose up: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := run("down", "--timeout", "5"); err != nil {
			t.Errorf("compose down: %v\n%s", err, out)
		}
	})
	id, err := run("ps", "-q", "emulator")
	if err != nil {
		t.Fatalf("compose ps: %v\n%s", err, id)
	}
	waitHealthy(t, strings.TrimSpace(id))
	resp, err := http.Get("http://127.0.0.1:" + port + "/api/v1/tenants/t/namespaces/n/clientfailover")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Get Information through the composed port: %s", resp.Status)
	}
}

// hangLimit bounds waits on the engine; it only turns a hang into a failure.
const hangLimit = 2 * time.Minute

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
