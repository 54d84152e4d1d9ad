// Package dashboard is the emulator's web page, served at /_emulator/ui/: a
// person running the emulator next to an adapter sees every scope, group
// and session with its role and heartbeat age, a timeline of role changes
// over emulator time, the latest requests and fault rules, and can move the
// clock, post a role override and add or clear faults.
//
// The page is plain HTML, CSS and a small script, embedded in the binary
// (no CDN, no build step). It holds no data: the script reads everything
// from the control API (and posts role overrides through the emulated API),
// so the assets are served without the admin token and the page asks for
// the token when the control API wants one. The package knows nothing of
// the emulator: it serves files.
package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// ContentSecurityPolicy is sent with every asset: the page runs only its
// own script and style and talks only to the emulator that served it.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Page is the dashboard's assets, ready to serve. Make one with New; it is
// read-only and safe for concurrent use.
type Page struct {
	files map[string]file // by name; "" is the page itself
}

type file struct {
	body        []byte
	contentType string
	etag        string
}

// Info is what the page is rendered with: static facts of the emulator,
// never its data.
type Info struct {
	// Operations are the operation names a fault rule can match, for the
	// page's fault form.
	Operations []string
}

// contentTypes of the assets, by extension.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
}

// New renders the page with info and loads the other assets.
func New(info Info) (*Page, error) {
	p := &Page{files: map[string]file{}}
	err := fs.WalkDir(assets, "assets", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := assets.ReadFile(name)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(name, "assets/")
		if rel == "index.html" {
			t, err := template.New(rel).Parse(string(body))
			if err != nil {
				return err
			}
			var b bytes.Buffer
			if err := t.Execute(&b, info); err != nil {
				return err
			}
			body, rel = b.Bytes(), ""
		}
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			return fmt.Errorf("no content type for %s", name)
		}
		sum := sha256.Sum256(body)
		p.files[rel] = file{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	return p, nil
}

// Names lists the assets besides the page ("" is the page).
func (p *Page) Names() []string {
	out := make([]string, 0, len(p.files))
	for name := range p.files {
		out = append(out, name)
	}
	return out
}

// Serve writes the asset name ("" or "index.html" for the page) and
// reports true, or reports false and writes nothing when there is no such
// asset, so the caller answers its own 404. Assets may be cached but are
// revalidated (ETag), so a new emulator version is picked up at once.
func (p *Page) Serve(w http.ResponseWriter, r *http.Request, name string) bool {
	if name == "index.html" {
		name = ""
	}
	f, ok := p.files[name]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.body)
	}
	return true
}
