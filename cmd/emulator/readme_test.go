package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The README's shell blocks work when pasted whole: each ```sh block runs,
// as written, in a fresh bash with errexit and pipefail, in a copy of the
// repository, and must exit 0 (a curl that cannot connect fails it). A
// block preceded by an HTML comment "<!-- not run here: REASON -->" is
// left out, saying why. What a block starts in the background is stopped
// when it ends.
func TestREADMEShellBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's shell blocks (go run, curl): skipped with -short")
	}
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the README's blocks need it", tool)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := shellBlocks(string(readme))
	if len(blocks) == 0 {
		t.Fatal("the README has no sh blocks")
	}
	repo := copyRepository(t)
	for _, b := range blocks {
		t.Run(fmt.Sprintf("line %d", b.line), func(t *testing.T) {
			if b.skip != "" {
				t.Skipf("not run here: %s", b.skip)
			}
			for _, port := range b.ports {
				waitPortFree(t, port)
			}
			out, err := runBlock(t, repo, b.text)
			if err != nil {
				t.Fatalf("the block at README line %d failed: %v\n--- block\n%s\n--- output\n%s", b.line, err, b.text, out)
			}
			t.Logf("output:\n%s", out)
		})
	}
}

// shellBlock is one ```sh block of the README.
type shellBlock struct {
	line  int    // where its text starts
	text  string // as written
	skip  string // why it is not run here, "" when it is
	ports []string
}

var (
	notRun   = regexp.MustCompile(`<!--\s*not run here:\s*(.*?)\s*-->`)
	portUsed = regexp.MustCompile(`(?:127\.0\.0\.1|localhost|0\.0\.0\.0):(\d{2,5})\b`)
)

// shellBlocks finds the README's sh blocks and the note before each.
func shellBlocks(readme string) []shellBlock {
	var out []shellBlock
	sc := bufio.NewScanner(strings.NewReader(readme))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var (
		inBlock  bool
		cur      shellBlock
		lastNote string
		lineNo   int
	)
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		switch {
		case !inBlock && strings.TrimSpace(line) == "```sh":
			inBlock = true
			cur = shellBlock{line: lineNo + 1, skip: lastNote}
		case inBlock && strings.TrimSpace(line) == "```":
			inBlock = false
			seen := map[string]bool{}
			for _, m := range portUsed.FindAllStringSubmatch(cur.text, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					cur.ports = append(cur.ports, m[1])
				}
			}
			out = append(out, cur)
			lastNote = ""
		case inBlock:
			cur.text += line + "\n"
		default:
			if m := notRun.FindStringSubmatch(line); m != nil {
				lastNote = m[1]
			} else if strings.TrimSpace(line) != "" {
				lastNote = ""
			}
		}
	}
	return out
}

// copyRepository copies the files git tracks (and the working tree's
// changes to them) into a temporary folder, so blocks may write files.
func copyRepository(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	list, err := exec.Command("git", "-C", root, "ls-files", "-co", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("git ls-files: %v (the README test copies the repository's files)", err)
	}
	dst := t.TempDir()
	for _, name := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		src := filepath.Join(root, name)
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or not a plain file
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// runBlock runs a block with bash in its own process group and stops the
// whole group when the block ends.
func runBlock(t *testing.T, dir, text string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", text)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A file, not a pipe: what the block leaves running in the background
	// inherits it, and Wait would otherwise wait for that to close it.
	out, err := os.CreateTemp(t.TempDir(), "output")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	err = cmd.Start()
	if err == nil {
		err = cmd.Wait()
		// The block is over: stop what it left running (a background
		// emulator), politely first.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		time.Sleep(200 * time.Millisecond)
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("timed out: %w", err)
	}
	printed, _ := os.ReadFile(out.Name())
	return string(printed), err
}

// waitPortFree waits until nothing listens on a loopback port a block uses.
func waitPortFree(t *testing.T, port string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 200*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("port %s, which the block uses, is taken by another program", port)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
