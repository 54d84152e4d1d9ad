package tlscert_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/tlscert"
)

// Serve HTTPS with a generated certificate and call it with a client that
// trusts exactly that certificate.
func ExampleGenerate() {
	pair, err := tlscert.Generate([]string{"emulator.internal"}, time.Now())
	if err != nil {
		panic(err)
	}
	fmt.Println(pair.Leaf().DNSNames, pair.Leaf().IPAddresses)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{
		Handler:   http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }),
		TLSConfig: pair.ServerConfig(),
	}
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	defer srv.Close()

	resp, err := tlscert.NewClient(pair.CertPool()).Get("https://" + ln.Addr().String())
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Proto, string(body))
	// Output:
	// [localhost emulator.internal] [127.0.0.1 ::1]
	// HTTP/2.0 ok
}
