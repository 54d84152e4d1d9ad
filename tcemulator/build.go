package tcemulator

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// BuildImage builds the emulator's image from the Go module at moduleDir
// (the repository root, holding go.mod and the Dockerfile) and tags it
// image, for example DefaultImage. It is how this repository's tests get
// an image of the current source.
//
// It does what the Dockerfile documents for its "prebuilt" target, so no
// base image is pulled: it compiles ./cmd/emulator with the go command on
// PATH (CGO_ENABLED=0, GOOS=linux, the host's GOARCH) into a temporary
// build context holding only the Dockerfile and dist/emulator, and asks
// the container engine testcontainers uses to build the target "prebuilt"
// from it. The version (git describe --tags --always --dirty of moduleDir,
// "dev" outside a git checkout) goes into the binary (emulator --version,
// GET /_emulator/health) and the image's version label, and the commit
// into its revision label. An image the tag named before and that nothing else uses is
// removed. On failure the error holds the compiler's or the engine's log.
func BuildImage(ctx context.Context, moduleDir, image string) error {
	repo, tag := splitImage(image)
	if repo == "" {
		return fmt.Errorf("build image: %q is not an image name", image)
	}
	dir, err := os.MkdirTemp("", "tcemulator-build-")
	if err != nil {
		return fmt.Errorf("build image: %w", err)
	}
	defer os.RemoveAll(dir)

	version, revision := gitVersion(ctx, moduleDir)
	if err := compile(ctx, moduleDir, filepath.Join(dir, "dist", "emulator"), version); err != nil {
		return fmt.Errorf("build image: %w", err)
	}
	dockerfile, err := os.ReadFile(filepath.Join(moduleDir, "Dockerfile"))
	if err != nil {
		return fmt.Errorf("build image: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), dockerfile, 0o644); err != nil {
		return fmt.Errorf("build image: %w", err)
	}

	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return fmt.Errorf("build image: %w", err)
	}
	defer provider.Close()
	var buildLog bytes.Buffer
	req := testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context:        dir,
		Repo:           repo,
		Tag:            tag,
		KeepImage:      true,
		BuildLogWriter: &buildLog,
		BuildArgs:      map[string]*string{"VERSION": &version, "REVISION": &revision},
		BuildOptionsModifier: func(o *client.ImageBuildOptions) {
			o.Target = "prebuilt"
		},
	}}
	previous := imageID(ctx, provider, image)
	if _, err := provider.BuildImage(ctx, &req); err != nil {
		return fmt.Errorf("build image %s: %w\n%s", image, err, buildLog.Bytes())
	}
	// A rebuild from changed source moves the tag and leaves the previous
	// image untagged: remove it, unless something still uses it.
	if previous != "" && previous != imageID(ctx, provider, image) {
		_, _ = provider.Client().ImageRemove(ctx, previous, client.ImageRemoveOptions{PruneChildren: true})
	}
	return nil
}

// imageID is the ID of the image ref names, "" when there is none.
func imageID(ctx context.Context, p *testcontainers.DockerProvider, ref string) string {
	img, err := p.Client().ImageInspect(ctx, ref)
	if err != nil {
		return ""
	}
	return img.ID
}

// versionVar is the variable of the emulator's build version (see
// emulator.BuildVersion).
const versionVar = "github.com/adh-emulator/clientfailover/emulator.buildVersion"

// gitVersion is the version and commit of the checkout at dir: "dev" and
// "unknown" when git cannot say.
func gitVersion(ctx context.Context, dir string) (version, revision string) {
	git := func(args ...string) string {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	version, revision = git("describe", "--tags", "--always", "--dirty"), git("rev-parse", "HEAD")
	if version == "" {
		version = "dev"
	}
	if revision == "" {
		revision = "unknown"
	}
	return version, revision
}

// compile builds the emulator's static linux binary at out, with version
// built in.
func compile(ctx context.Context, moduleDir, out, version string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w -X "+versionVar+"="+version, "-o", out, "./cmd/emulator")
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/emulator: %w\n%s", err, output)
	}
	return nil
}

// splitImage splits "repo:tag" (the repo may hold a registry with a port);
// a missing tag is "latest".
func splitImage(image string) (repo, tag string) {
	slash := strings.LastIndex(image, "/")
	if colon := strings.LastIndex(image, ":"); colon > slash {
		return image[:colon], image[colon+1:]
	}
	return image, "latest"
}
