package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hangLimit bounds every wait of these tests; it only turns a hang into a
// failure and is far longer than anything should take.
const hangLimit = 2 * time.Minute

// buildEmulator builds this command into a temporary folder.
func buildEmulator(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary: skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "emulator")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// readListening reads the first line of the emulator's standard output and
// returns the base URL it names; the rest of the output is drained.
func readListening(t *testing.T, stdout io.Reader) string {
	t.Helper()
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		} else {
			line <- ""
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		url, ok := strings.CutPrefix(l, "listening on ")
		if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Fatalf("first line of output: got %q, want \"listening on http://127.0.0.1:PORT\"", l)
		}
		return url
	case <-time.After(hangLimit):
		t.Fatalf("no line on standard output within %v", hangLimit)
		return ""
	}
}

// On SIGTERM the binary lets in-flight requests finish, cutting injected
// delays short so they answer, exits with status 0, and refuses new
// connections afterwards.
func TestSIGTERMFinishesInFlightRequests(t *testing.T) {
	bin := buildEmulator(t)
	cmd := exec.Command(bin, "--addr", "127.0.0.1:0")
	cmd.Env = []string{} // no EMULATOR_* variables from the environment
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	base := readListening(t, stdout)
	client := &http.Client{Timeout: hangLimit}

	// A delay of a minute (the longest a rule may ask for) on Get
	// Information: without the cut, the requests would outlast the 10 s
	// shutdown grace period.
	rep, err := client.Post(base+"/_emulator/faults", "application/json",
		strings.NewReader(`{"Id":"slow","Match":{"Operation":"GetInformation"},"Action":{"Delay":"00:01:00"}}`))
	if err != nil {
		t.Fatalf("adding the fault rule: %v", err)
	}
	rep.Body.Close()
	if rep.StatusCode != http.StatusCreated {
		t.Fatalf("adding the fault rule: got status %d, want 201", rep.StatusCode)
	}

	const inFlight = 5
	type result struct {
		status int
		body   string
		err    error
	}
	results := make(chan result, inFlight)
	for range inFlight {
		go func() {
			// One connection each, so they are truly concurrent.
			c := &http.Client{Timeout: hangLimit, Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := c.Get(base + "/api/v1-preview/tenants/t/namespaces/n/clientfailover")
			if err != nil {
				results <- result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			results <- result{status: resp.StatusCode, body: string(b), err: err}
		}()
	}
	// The rule counts a request as it starts its delay: when it has fired
	// five times, all five are in flight.
	waitForFired(t, client, base+"/_emulator/faults/slow", inFlight)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	for i := range inFlight {
		select {
		case r := <-results:
			if r.err != nil {
				t.Errorf("in-flight request %d: got error %v, want an answer", i, r.err)
			} else if r.status != http.StatusOK {
				t.Errorf("in-flight request %d: got status %d, want 200 (the delay cut short, then handled): %s", i, r.status, r.body)
			}
		case <-time.After(hangLimit):
			t.Fatalf("in-flight request %d: no answer within %v", i, hangLimit)
		}
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: got %v, want status 0\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(hangLimit):
		t.Fatalf("the process did not exit within %v of SIGTERM", hangLimit)
	}
	addr := strings.TrimPrefix(base, "http://")
	if conn, err := net.Dial("tcp", addr); err == nil {
		conn.Close()
		t.Errorf("dial %s after exit: connected, want the connection refused", addr)
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Logf("dial %s after exit: %v", addr, err)
	}
}

// waitForFired polls a fault rule until it has fired n times. It is a
// condition wait: only hangLimit ends it early.
func waitForFired(t *testing.T, client *http.Client, url string, n int) {
	t.Helper()
	deadline := time.Now().Add(hangLimit)
	for {
		resp, err := client.Get(url)
		if err != nil {
			t.Fatalf("reading the fault rule: %v", err)
		}
		var rule struct{ Fired int }
		err = json.NewDecoder(resp.Body).Decode(&rule)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("reading the fault rule: %v", err)
		}
		if rule.Fired >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fault rule fired %d times in %v, want %d", rule.Fired, hangLimit, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) string { return "" }

// run, the whole program in process, returns 0 when its context is cancelled:
// before it starts, and while it serves.
func TestRunReturnsZeroWhenCancelled(t *testing.T) {
	t.Run("cancelled before the start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var stdout, stderr syncBuffer
		if code := run(ctx, []string{"--addr", "127.0.0.1:0"}, noEnv, &stdout, &stderr); code != 0 {
			t.Fatalf("run: got exit code %d, want 0\nstderr:\n%s", code, stderr.String())
		}
		if out := stdout.String(); !strings.HasPrefix(out, "listening on http://127.0.0.1:") {
			t.Errorf("standard output: got %q, want \"listening on http://127.0.0.1:PORT\"", out)
		}
	})
	t.Run("cancelled while serving", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		pr, pw := io.Pipe()
		var stderr syncBuffer
		code := make(chan int, 1)
		go func() {
			code <- run(ctx, []string{"--addr", "127.0.0.1:0"}, noEnv, pw, &stderr)
			pw.Close()
		}()
		base := readListening(t, pr)
		resp, err := http.Get(base + "/_emulator/health")
		if err != nil {
			t.Fatalf("health: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("health: got status %d, want 200", resp.StatusCode)
		}
		cancel()
		select {
		case c := <-code:
			if c != 0 {
				t.Fatalf("run: got exit code %d, want 0\nstderr:\n%s", c, stderr.String())
			}
		case <-time.After(hangLimit):
			t.Fatalf("run did not return within %v of the cancel", hangLimit)
		}
		addr := strings.TrimPrefix(base, "http://")
		if conn, err := net.Dial("tcp", addr); err == nil {
			conn.Close()
			t.Errorf("dial %s after run returned: connected, want the connection refused", addr)
		}
	})
}
