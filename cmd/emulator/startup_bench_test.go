package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

// The baseline program: a plain net/http server that prints the same first
// line and answers the same health check; given a file, it first reads it
// and parses it as JSON, as the emulator reads its fixtures. It is built
// from this source in a temporary module, so it is measured as a whole
// process like the emulator.
const baselineSource = `package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) > 1 {
		data, err := os.ReadFile(os.Args[1])
		if err != nil {
			os.Exit(1)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			os.Exit(1)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	http.HandleFunc("/_emulator/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte("{\"Status\":\"ok\"}"))
	})
	http.Serve(ln, nil)
}
`

// buildBinaries builds the emulator and the baseline program once.
func buildBinaries(b *testing.B) (emulatorBin, baselineBin string) {
	b.Helper()
	dir := b.TempDir()
	emulatorBin = filepath.Join(dir, "emulator")
	if out, err := exec.Command("go", "build", "-o", emulatorBin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	src := filepath.Join(dir, "baseline")
	if err := os.MkdirAll(src, 0o755); err != nil {
		b.Fatal(err)
	}
	for name, text := range map[string]string{"main.go": baselineSource, "go.mod": "module baseline\n\ngo 1.26\n"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	baselineBin = filepath.Join(dir, "baseline-server")
	cmd := exec.Command("go", "build", "-o", baselineBin, ".")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the baseline: %v\n%s", err, out)
	}
	return emulatorBin, baselineBin
}

// program is a binary to start, with its arguments.
type program struct {
	name string
	bin  string
	args []string
}

// programs builds the emulator and the baseline and says how to start each.
func programs(b *testing.B) []program {
	emulatorBin, baselineBin := buildBinaries(b)
	return []program{
		{"emulator", emulatorBin, []string{"--addr", "127.0.0.1:0", "--log-level", "error"}},
		{"baseline", baselineBin, nil},
	}
}

// startReady starts bin and returns once its health check answers 200.
func startReady(b *testing.B, bin string, args ...string) *exec.Cmd {
	b.Helper()
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("%s: no first line: %v", bin, err)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		resp, err := http.Get(url + "/_emulator/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd
			}
		}
		time.Sleep(time.Millisecond)
	}
	b.Fatalf("%s never became ready", bin)
	return nil
}

func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// BenchmarkStartup: from exec to a ready health check, for the emulator and
// for the baseline program.
//
//	go test -run '^$' -bench Startup -benchtime 20x ./cmd/emulator/
func BenchmarkStartup(b *testing.B) {
	for _, c := range programs(b) {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				stop(startReady(b, c.bin, c.args...))
			}
		})
	}
}

// BenchmarkStartupFixture: from exec to a ready health check with a fixture
// of 100,000 groups, for the emulator and for the baseline program reading
// and parsing the same file.
//
//	go test -run '^$' -bench StartupFixture -benchtime 5x ./cmd/emulator/
func BenchmarkStartupFixture(b *testing.B) {
	const groups = 100_000
	ns := fixture.Namespace{TenantId: "bench", NamespaceId: "ns"}
	for i := range groups {
		name := fmt.Sprintf("group %d", i)
		ns.Groups = append(ns.Groups, fixture.Group{Id: fmt.Sprintf("g%d", i), Name: &name, FailoverTimeout: "00:00:30"})
	}
	data, err := json.Marshal(fixture.Document{Namespaces: []fixture.Namespace{ns}})
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "fixture.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		b.Fatal(err)
	}
	for _, c := range programs(b) {
		if c.name == "emulator" {
			c.args = append(c.args, "--fixtures", file)
		} else {
			c.args = append(c.args, file)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				stop(startReady(b, c.bin, c.args...))
			}
		})
	}
}

// BenchmarkIdleMemory reports the resident set of an idle emulator and of
// the baseline program, read from /proc (Linux).
func BenchmarkIdleMemory(b *testing.B) {
	for _, c := range programs(b) {
		b.Run(c.name, func(b *testing.B) {
			var rss int
			for b.Loop() {
				cmd := startReady(b, c.bin, c.args...)
				time.Sleep(200 * time.Millisecond) // let start-up garbage settle
				rss = residentKiB(b, cmd.Process.Pid)
				stop(cmd)
			}
			b.ReportMetric(float64(rss), "RSS-KiB")
		})
	}
}

func residentKiB(b *testing.B, pid int) int {
	b.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Skipf("no /proc here: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return n
		}
	}
	b.Fatal("VmRSS not found")
	return 0
}
