package tcemulator_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/adh-emulator/clientfailover/tcemulator"
)

func ExampleRun() {
	ctx := context.Background()

	ctr, err := tcemulator.Run(ctx, tcemulator.DefaultImage)
	defer func() {
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			log.Printf("failed to terminate container: %s", err)
		}
	}()
	if err != nil {
		log.Printf("failed to start container: %s", err)
		return
	}

	// Point the client under test at the base URL.
	url, err := ctr.BaseURL(ctx)
	if err != nil {
		log.Printf("failed to get base URL: %s", err)
		return
	}
	resp, err := http.Get(url + "/api/v1-preview/tenants/t1/namespaces/n1/clientfailover/groups")
	if err != nil {
		log.Printf("failed to list groups: %s", err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	// Output:
	// 200 OK
}

func ExampleContainer_Control() {
	ctx := context.Background()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	ctr, err := tcemulator.Run(ctx, tcemulator.DefaultImage,
		tcemulator.WithManualClock(start),
		tcemulator.WithFixtures("testdata/fixtures/plant.json"),
		tcemulator.WithAdminToken("s3cret"),
		tcemulator.WithFlag("heartbeat-min-interval", "00:00:05"),
	)
	defer func() {
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			log.Printf("failed to terminate container: %s", err)
		}
	}()
	if err != nil {
		log.Printf("failed to start container: %s", err)
		return
	}

	// A control API client with the admin token: no URLs, no JSON.
	ctl, err := ctr.Control(ctx)
	if err != nil {
		log.Printf("failed to get the control client: %s", err)
		return
	}
	clk, err := ctl.Advance(ctx, 90*time.Second)
	if err != nil {
		log.Printf("failed to advance the clock: %s", err)
		return
	}
	fmt.Println(clk.Now, clk.Mode)

	cfg, err := ctl.Config(ctx)
	if err != nil {
		log.Printf("failed to read the config: %s", err)
		return
	}
	fmt.Println(cfg.HeartbeatMinInterval)

	doc, err := ctl.State(ctx)
	if err != nil {
		log.Printf("failed to read the state: %s", err)
		return
	}
	fmt.Println(doc.Namespaces[0].Groups[0].Id)

	// Output:
	// 2026-01-02 03:05:35 +0000 UTC manual
	// 5s
	// preloaded
}

// An emulator serving HTTPS: the module generates the certificate, and its
// client trusts it with Go's usual verification. Hand CertPool (or
// CertificatePEM) to the client under test the same way.
func ExampleWithTLS() {
	ctx := context.Background()

	ctr, err := tcemulator.Run(ctx, tcemulator.DefaultImage, tcemulator.WithTLS())
	defer func() {
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			log.Printf("failed to terminate container: %s", err)
		}
	}()
	if err != nil {
		log.Printf("failed to start container: %s", err)
		return
	}

	url, err := ctr.BaseURL(ctx)
	if err != nil {
		log.Printf("failed to get base URL: %s", err)
		return
	}
	client, err := ctr.HTTPClient(ctx)
	if err != nil {
		log.Printf("failed to get the HTTP client: %s", err)
		return
	}
	resp, err := client.Get(url + "/api/v1/tenants/t1/namespaces/n1/clientfailover/groups")
	if err != nil {
		log.Printf("failed to list groups: %s", err)
		return
	}
	resp.Body.Close()
	fmt.Println(strings.SplitN(url, ":", 2)[0], resp.Status)

	// Output:
	// https 200 OK
}

// A TestMain that builds the image from the repository's source once per
// test binary, and lets the tests skip when no container engine answers.
func ExamplePrepareTestEnv() {
	// func TestMain(m *testing.M) {
	ctx := context.Background()
	if err := tcemulator.PrepareTestEnv(ctx); err != nil {
		log.Printf("container tests will skip: %s", err)
		// os.Exit(m.Run())
		return
	}
	// The repository root, from a package one level below it.
	if err := tcemulator.BuildImage(ctx, "..", tcemulator.DefaultImage); err != nil {
		log.Print(err)
		os.Exit(1)
	}
	// os.Exit(m.Run())
	// }
}
