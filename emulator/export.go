package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// export writes the whole state to file (Options.ExportOnExit), in the
// fixture format, readable by the owner only: it holds the identities'
// secrets.
func (s *Server) export(ctx context.Context, file string) error {
	b, err := json.MarshalIndent(s.State(ctx), "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the state: %w", err)
	}
	if err := writeFileAtomic(file, append(b, '\n'), 0o600); err != nil {
		return err
	}
	s.log.Info("state exported", "file", file, "bytes", len(b)+1)
	return nil
}

// writeFileAtomic writes data to file through a temporary file in the same
// folder and a rename, so a reader sees the old content or the whole new
// one, never a part; the file gets mode perm.
func writeFileAtomic(file string, data []byte, perm os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
