# Container image of the Client Failover API emulator: one static binary on an
# empty base image, run as a non-root user, listening on 0.0.0.0:8080.
#
# Two ways to build it, both from the repository root:
#
#   From source (the default target; pulls golang:1.26, so it needs a registry):
#
#     docker build -t clientfailover-emulator:dev .
#
#   From a binary built beforehand (target "prebuilt"; pulls no image at all):
#
#     CGO_ENABLED=0 go build -trimpath -o dist/emulator \
#       -ldflags="-s -w -X github.com/adh-emulator/clientfailover/emulator.buildVersion=$VERSION" ./cmd/emulator
#     docker build --target prebuilt --build-arg VERSION=$VERSION -t clientfailover-emulator:dev .
#
#   (tcemulator.BuildImage does this, with VERSION from git describe.)
#
# Stage order matters. BuildKit builds only the stages a target needs, but the
# legacy builder (a docker CLI without buildx, or DOCKER_BUILDKIT=0) builds
# every stage from the top of the file down to the target. So "prebuilt" comes
# first and never needs golang:1.26; the price is that the legacy builder runs
# the "prebuilt" stage on its way to the default target too, so under the
# legacy builder the default target also needs dist/emulator to exist (build
# it as above first, or use BuildKit).
#
# Fixtures are not baked in: mount or copy a fixture file or folder, e.g.
#
#   docker run --rm -p 8080:8080 -v "$PWD/fixtures:/fixtures:ro" \
#     -e EMULATOR_FIXTURES=/fixtures clientfailover-emulator:dev
#
# Every flag of the binary has an EMULATOR_* variable (see README); arguments
# after the image name are passed to the binary as flags.
#
# HTTPS: "docker run ... clientfailover-emulator:dev --tls" serves HTTPS with a
# certificate generated at start (add --tls-host NAME for the names clients
# dial, such as a network alias), or --tls-cert/--tls-key serve your own pair.
# The image sets EMULATOR_TLS_CERT_OUT=/dev/shm/emulator-cert.pem: with TLS on,
# the server writes the certificate it serves there, and the HEALTHCHECK
# ("emulator healthcheck", which reads the same EMULATOR_* variables) speaks
# HTTPS and trusts that file when it exists. /dev/shm is the one place a
# non-root user may write in an image FROM scratch, and it works with a
# read-only root file system. To hand the certificate to clients, fetch
# GET /_emulator/tls/certificate, or point EMULATOR_TLS_CERT_OUT at a mounted
# folder. The health check never needs the admin token.
#
# The version (ARG VERSION) is built into the binary (emulator --version,
# GET /_emulator/health) and is the org.opencontainers.image.version label:
#
#   docker build --build-arg VERSION=1.2.3 --build-arg REVISION=$(git rev-parse HEAD) -t clientfailover-emulator:1.2.3 .

ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/adh-emulator/clientfailover
ARG LICENSES=NOASSERTION

# ---------------------------------------------------------------------------
# base: everything the image is but the binary (pulls nothing).
FROM scratch AS base
ARG VERSION
ARG REVISION
ARG SOURCE
ARG LICENSES
LABEL org.opencontainers.image.title="clientfailover-emulator" \
      org.opencontainers.image.description="Emulator of the AVEVA Data Hub Client Failover API, with a control API under /_emulator, for contract tests" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="${LICENSES}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
USER 65532:65532
ENV EMULATOR_ADDR=0.0.0.0:8080
ENV EMULATOR_TLS_CERT_OUT=/dev/shm/emulator-cert.pem
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=2s --retries=3 CMD ["/emulator", "healthcheck"]
ENTRYPOINT ["/emulator"]

# ---------------------------------------------------------------------------
# prebuilt: packages dist/emulator, a static (CGO_ENABLED=0) linux binary.
FROM base AS prebuilt
COPY dist/emulator /emulator

# ---------------------------------------------------------------------------
# build: compiles the binary from source.
FROM golang:1.26 AS build
ARG VERSION
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath \
      -ldflags="-s -w -X github.com/adh-emulator/clientfailover/emulator.buildVersion=${VERSION}" \
      -o /out/emulator ./cmd/emulator

# ---------------------------------------------------------------------------
# The default target: the binary from the build stage, same image otherwise.
FROM base
COPY --from=build /out/emulator /emulator
