package emulator_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/adh-emulator/clientfailover/emulator"
	"github.com/adh-emulator/clientfailover/emulator/clock"
	"github.com/adh-emulator/clientfailover/emulator/control"
)

// post sends a JSON body and returns the status and body of the answer.
func post(method, url, body string) (int, string) {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// An emulator on a free loopback port, used over HTTP like the real service.
func ExampleNew() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	base := srv.URL() + "/api/v1-preview/tenants/contoso/namespaces/plant-a/clientfailover"
	fmt.Println(post(http.MethodPost, base+"/groups", `{"Id":"line-1","FailoverTimeout":"0:00:30"}`))
	// Output: 201 {"Id":"line-1","Name":null,"Description":null,"FailoverTimeout":"00:00:30"}
}

// A whole failover story on the manual clock, deterministic and quick:
// join, elect, go silent, hand over.
func Example_failoverStory() {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv, err := emulator.New(emulator.Options{Clock: clock.Manual, ClockStart: start})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	ctx := context.Background()
	ctl := control.New(srv.URL())
	group := srv.URL() + "/api/v1-preview/tenants/t/namespaces/n/clientfailover/groups/line-1"

	post(http.MethodPut, group, `{"FailoverTimeout":"00:00:30"}`)
	post(http.MethodPost, group+"/clientsessions", `{"Id":"a"}`)
	post(http.MethodPost, group+"/clientsessions", `{"Id":"b"}`)
	fmt.Println(post(http.MethodPost, group+"/clientsessions/a/heartbeat", `{"FailoverStatus":100}`))
	fmt.Println(post(http.MethodPost, group+"/clientsessions/b/heartbeat", `{"FailoverStatus":100}`))

	// a goes silent; b keeps sending. After 31 s, a has lapsed.
	_, _ = ctl.Advance(ctx, 20*time.Second)
	post(http.MethodPost, group+"/clientsessions/b/heartbeat", `{"FailoverStatus":100}`)
	_, _ = ctl.Advance(ctx, 11*time.Second)
	fmt.Println(post(http.MethodGet, group+"/status", ""))
	// b is told it is PendingPrimary, and its next heartbeat completes the hand-over.
	fmt.Println(post(http.MethodPost, group+"/clientsessions/b/heartbeat", `{"FailoverStatus":100,"LastDataProcessedTime":"2026-01-01T00:00:31Z"}`))
	fmt.Println(post(http.MethodPost, group+"/clientsessions/b/heartbeat", `{"FailoverStatus":100,"LastDataProcessedTime":"2026-01-01T00:00:32Z"}`))

	events, _, _ := ctl.Events(ctx)
	for _, e := range events {
		fmt.Println(e.Time.Sub(start), e.Session, e.From, "->", e.To, e.Rule)
	}
	// Output:
	// 200 {"Role":1,"LastDataProcessedTime":null}
	// 200 {"Role":0,"LastDataProcessedTime":null}
	// 200 {"Primary":null,"PendingPrimary":"b","LastDataProcessedTime":null}
	// 200 {"Role":2,"LastDataProcessedTime":null}
	// 200 {"Role":1,"LastDataProcessedTime":"2026-01-01T00:00:32Z"}
	// 0s a Secondary -> Primary FirstPrimary
	// 30s a Primary -> Secondary Lapsed
	// 30s b Secondary -> PendingPrimary NoPrimary
	// 31s b PendingPrimary -> Primary HandOver
}

// An emulator serving HTTPS with a certificate generated at start; Client
// trusts that certificate with Go's usual verification, as a client under
// test would after trusting CertificatePEM (or the --tls-cert-out file).
func ExampleServer_Client() {
	srv, err := emulator.New(emulator.Options{TLS: &emulator.TLSOptions{Hosts: []string{"emulator.internal"}}})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	fmt.Println(strings.SplitN(srv.URL(), ":", 2)[0], srv.Certificate().DNSNames)
	resp, err := srv.Client().Get(srv.URL() + "/api/v1/tenants/contoso/namespaces/plant-a/clientfailover/groups")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status, resp.Proto)
	// Output:
	// https [localhost emulator.internal]
	// 200 OK HTTP/1.1
}
