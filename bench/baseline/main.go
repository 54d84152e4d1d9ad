// Command baseline is the bare net/http server the emulator's loopback
// benchmarks are measured against: it answers every GET with the bytes of
// one file and every other request with those of another, after reading the
// request body, with the headers it is given. It does nothing else, so it is
// what the same bytes cost to serve with the standard library alone.
//
//	baseline --get get.json --post heartbeat.json --header 'Content-Type: application/json; charset=utf-8'
//
// The first line of standard output is "listening on URL", as the
// emulator's is. See bench/wrk/run.sh.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
)

// headers is a repeatable --header "Name: value" flag.
type headers [][2]string

func (h *headers) String() string { return fmt.Sprint(*h) }

func (h *headers) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	if !ok {
		return fmt.Errorf("header %q: want Name: value", v)
	}
	*h = append(*h, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "where to listen")
	getFile := flag.String("get", "", "the `FILE` whose bytes answer a GET")
	postFile := flag.String("post", "", "the `FILE` whose bytes answer any other method")
	status := flag.Int("status", http.StatusOK, "the status of every answer")
	var hs headers
	flag.Var(&hs, "header", "a `Name: value` header of every answer (repeatable)")
	flag.Parse()
	read := func(name string) []byte {
		if name == "" {
			return nil
		}
		b, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "baseline:", err)
			os.Exit(2)
		}
		return b
	}
	get, post := read(*getFile), read(*postFile)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		for _, kv := range hs {
			w.Header()[kv[0]] = []string{kv[1]}
		}
		body := get
		if r.Method != http.MethodGet {
			body = post
		}
		w.WriteHeader(*status)
		_, _ = w.Write(body)
	})
	if err := http.Serve(ln, h); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}
