package emulator

import "runtime/debug"

// buildVersion is the emulator's version when the build sets it:
//
//	go build -ldflags "-X github.com/adh-emulator/clientfailover/emulator.buildVersion=1.2.3" ./cmd/emulator
//
// The Dockerfile and tcemulator.BuildImage do. It is not Version, the
// service version Get Information answers (which mimics the real service).
var buildVersion string

// BuildVersion is the version of this build of the emulator, as
// GET /_emulator/health, emulator --version and the image label show it:
// the one set at build time (see buildVersion), else the main module's
// version as the go command recorded it (a tag, or a pseudo-version of the
// commit built, "+dirty" for uncommitted changes), else the commit
// (vcs.revision), else "devel".
func BuildVersion() string {
	if buildVersion != "" {
		return buildVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return "devel"
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if modified == "true" {
		revision += "-dirty"
	}
	return revision
}
