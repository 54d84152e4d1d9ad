package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
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

// buildEmulator returns this command built into a temporary folder: the
// binary of the whole test run (built once) or, given go build flags, one
// of its own.
func buildEmulator(t *testing.T, flags ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary: skipped with -short")
	}
	if len(flags) == 0 {
		bin, err := sharedBinary()
		if err != nil {
			t.Fatal(err)
		}
		return bin
	}
	bin := filepath.Join(t.TempDir(), "emulator")
	if err := goBuild(bin, flags...); err != nil {
		t.Fatal(err)
	}
	return bin
}

// sharedBinary builds the binary the tests share, once; TestMain removes
// its folder.
var sharedBinary = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(sharedDir, "emulator")
	return bin, goBuild(bin)
})

// sharedDir holds the shared binary (made by TestMain).
var sharedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "emulator-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sharedDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func goBuild(bin string, flags ...string) error {
	args := append(append([]string{"build", "-o", bin}, flags...), ".")
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	return nil
}

// readListening reads the first line of the emulator's standard output and
// returns the base URL it names (http or https on 127.0.0.1); the rest of
// the output is drained.
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
		if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") && !strings.HasPrefix(url, "https://127.0.0.1:") {
			t.Fatalf("first line of output: got %q, want \"listening on http(s)://127.0.0.1:PORT\"", l)
		}
		return url
	case <-time.After(hangLimit):
		t.Fatalf("no line on standard output within %v", hangLimit)
		return ""
	}
}

// process is a running emulator binary.
type process struct {
	cmd    *exec.Cmd
	base   string      // the URL of its first line
	stderr *syncBuffer // its logs
	exited chan error  // its Wait, once
}

// startProcess runs bin with args and only the variables of env, and
// reads its first line; the process is killed when the test ends, if it
// still runs.
func startProcess(t *testing.T, bin string, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...), stderr: &syncBuffer{}, exited: make(chan error, 1)}
	p.cmd.Env = env // no EMULATOR_* variables from the environment
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	p.base = readListening(t, stdout)
	return p
}

// stop sends SIGTERM and returns the exit status.
func (p *process) stop(t *testing.T) int {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	return p.wait(t)
}

// wait returns the exit status once the process has exited.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(hangLimit):
		t.Fatalf("the process did not exit within %v", hangLimit)
		return -1
	}
}

// waitForLog waits until the process has logged text. It is a condition
// wait: only hangLimit ends it early.
func (p *process) waitForLog(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(hangLimit)
	for !strings.Contains(p.stderr.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("the process did not log %q within %v:\n%s", text, hangLimit, p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// On SIGTERM the binary lets in-flight requests finish, cutting injected
// delays short so they answer, exits with status 0, and refuses new
// connections afterwards.
func TestSIGTERMFinishesInFlightRequests(t *testing.T) {
	bin := buildEmulator(t)
	p := startProcess(t, bin, []string{}, "--addr", "127.0.0.1:0")
	base := p.base
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

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
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
	if code := p.wait(t); code != 0 {
		t.Errorf("exit status %d, want 0\nstderr:\n%s", code, p.stderr.String())
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

// groupBody is the body the slow uploads send, in two parts.
const groupBody = `{"Id":"slow","FailoverTimeout":"00:01:00"}`

// startSlowUpload sends the headers of a Post Group and the first part of
// its body over a raw connection, and returns once the handler is reading
// the body (the server answered 100 Continue): the request is in flight.
func startSlowUpload(t *testing.T, base string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(hangLimit)); err != nil {
		t.Fatal(err)
	}
	_, err = fmt.Fprintf(conn, "POST /api/v1-preview/tenants/t/namespaces/n/clientfailover/groups HTTP/1.1\r\nHost: x\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", len(groupBody))
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("got %v (%v), want 100 Continue", resp, err)
	}
	if _, err := io.WriteString(conn, groupBody[:10]); err != nil {
		t.Fatal(err)
	}
	return conn, r
}

// The shutdown cases, each with the process's exit status: 0 in all.
func TestShutdownCases(t *testing.T) {
	bin := buildEmulator(t)

	t.Run("idle", func(t *testing.T) {
		p := startProcess(t, bin, []string{}, "--addr", "127.0.0.1:0")
		if code := p.stop(t); code != 0 {
			t.Errorf("exit status %d, want 0\nstderr:\n%s", code, p.stderr.String())
		}
		t.Logf("idle: exit status %d", p.cmd.ProcessState.ExitCode())
	})

	t.Run("a slow upload that finishes within the grace period", func(t *testing.T) {
		p := startProcess(t, bin, []string{}, "--addr", "127.0.0.1:0")
		conn, r := startSlowUpload(t, p.base)
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		p.waitForLog(t, "shutting down")
		if _, err := io.WriteString(conn, groupBody[10:]); err != nil {
			t.Fatalf("sending the rest of the body: %v", err)
		}
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("the finished upload got no answer: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Errorf("the finished upload: got status %d, want 201", resp.StatusCode)
		}
		if code := p.wait(t); code != 0 {
			t.Errorf("exit status %d, want 0\nstderr:\n%s", code, p.stderr.String())
		}
		t.Logf("in-flight request finishing: status %d, exit status %d", resp.StatusCode, p.cmd.ProcessState.ExitCode())
	})

	t.Run("a slow upload cut off at the grace period", func(t *testing.T) {
		// The grace period through its variable, short so the test is quick.
		p := startProcess(t, bin, []string{"EMULATOR_SHUTDOWN_GRACE=200ms"}, "--addr", "127.0.0.1:0")
		_, r := startSlowUpload(t, p.base)
		if code := p.stop(t); code != 0 {
			t.Errorf("exit status %d, want 0 (a cut-off is a clean stop)\nstderr:\n%s", code, p.stderr.String())
		}
		if resp, err := http.ReadResponse(r, nil); err == nil {
			t.Errorf("the unfinished upload got an answer: %d", resp.StatusCode)
		}
		if !strings.Contains(p.stderr.String(), "grace period is over") {
			t.Errorf("the log does not say requests were cut off:\n%s", p.stderr.String())
		}
		t.Logf("slow upload cut off: exit status %d", p.cmd.ProcessState.ExitCode())
	})

	t.Run("a second signal during the grace period kills", func(t *testing.T) {
		p := startProcess(t, bin, []string{}, "--addr", "127.0.0.1:0")
		startSlowUpload(t, p.base)
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		p.waitForLog(t, "shutting down")
		p.stop(t)
		if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
			t.Errorf("the process ended with %v, want killed by the second SIGTERM", p.cmd.ProcessState)
		}
		t.Logf("second signal: %v", p.cmd.ProcessState)
	})
}
