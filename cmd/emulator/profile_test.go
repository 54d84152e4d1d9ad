package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// A binary built with -tags cpuprofile writes a CPU profile (pprof's
// gzipped protocol buffer) of its run to the file CPUPROFILE names, closed
// on a clean stop; a release build ignores CPUPROFILE.
func TestCPUProfileBuild(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags []string
		want  bool
	}{
		{"-tags cpuprofile", []string{"-tags", "cpuprofile"}, true},
		{"release build", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := buildEmulator(t, tc.flags...)
			path := filepath.Join(t.TempDir(), "cpu.pprof")
			p := startProcess(t, bin, []string{"CPUPROFILE=" + path}, "--addr", "127.0.0.1:0")
			for range 50 {
				call(t, http.MethodGet, p.base+"/_emulator/health", "")
			}
			if code := p.stop(t); code != 0 {
				t.Fatalf("exit status %d, want 0:\n%s", code, p.stderr.String())
			}
			data, err := os.ReadFile(path)
			if !tc.want {
				if err == nil {
					t.Errorf("a release build wrote %s (%d bytes)", path, len(data))
				}
				return
			}
			if err != nil {
				t.Fatalf("no profile: %v", err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("the profile is not gzipped: %v", err)
			}
			if raw, err := io.ReadAll(zr); err != nil || len(raw) == 0 {
				t.Errorf("the profile does not decompress to a protocol buffer: %d bytes, %v", len(raw), err)
			}
		})
	}
}
