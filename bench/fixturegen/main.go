// Command fixturegen writes the fixture the loopback benchmarks load: a
// namespace (tenant "bench", namespace "ns") with --groups groups g0…g(n-1),
// named and with a 30-second FailoverTimeout, and one more group "hb" whose
// --sessions client sessions s0…s(k-1) have joined and not yet sent a
// heartbeat. See bench/wrk/run.sh.
//
//	go run ./bench/fixturegen --groups 100000 --sessions 50 > fixture.json
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
)

func main() {
	groups := flag.Int("groups", 100_000, "how many groups g0… to write")
	sessions := flag.Int("sessions", 50, "how many sessions the group hb has")
	flag.Parse()
	ns := fixture.Namespace{TenantId: "bench", NamespaceId: "ns"}
	ns.Groups = make([]fixture.Group, 0, *groups+1)
	for i := range *groups {
		name := fmt.Sprintf("group %d", i)
		ns.Groups = append(ns.Groups, fixture.Group{Id: fmt.Sprintf("g%d", i), Name: &name, FailoverTimeout: "00:00:30"})
	}
	hb := fixture.Group{Id: "hb", FailoverTimeout: "00:00:30"}
	for i := range *sessions {
		hb.Sessions = append(hb.Sessions, fixture.Session{Id: fmt.Sprintf("s%d", i)})
	}
	ns.Groups = append(ns.Groups, hb)
	w := bufio.NewWriter(os.Stdout)
	if err := json.NewEncoder(w).Encode(fixture.Document{Namespaces: []fixture.Namespace{ns}}); err != nil {
		fmt.Fprintln(os.Stderr, "fixturegen:", err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "fixturegen:", err)
		os.Exit(1)
	}
}
