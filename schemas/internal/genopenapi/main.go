// Command genopenapi writes the OpenAPI document of the emulated API (see
// package apidoc). "go generate ./schemas" runs it:
//
//	go run ./internal/genopenapi -o openapi.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/adh-emulator/clientfailover/schemas/internal/apidoc"
)

func main() {
	out := flag.String("o", "openapi.json", "the file to write")
	flag.Parse()
	doc, err := apidoc.Build()
	if err == nil {
		err = os.WriteFile(*out, doc, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genopenapi:", err)
		os.Exit(1)
	}
}
