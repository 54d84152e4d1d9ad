package features

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// The suite's @emulator scenarios reset the emulator before and after each
// of them, which wipes whatever it held. Before running any of them, Run
// checks that the target is an emulator (it answers GET /_emulator/health)
// and that it holds nothing the suite would destroy.

// hasControlAPI reports whether the server at the suite's URL answers the
// emulator's health check, so the @emulator scenarios can run against it.
func (c *config) hasControlAPI() bool {
	var health struct{ Status string }
	return c.getControl("/_emulator/health", &health) == nil && health.Status == "ok"
}

// checkPristine returns an error saying what the emulator holds when it
// holds anything a reset would destroy: groups, identities, fault rules or
// run-time settings other than the defaults.
func (c *config) checkPristine() error {
	var state struct {
		Namespaces []struct {
			Groups []json.RawMessage
		}
		OnPremises *struct {
			Groups []json.RawMessage
		}
		Identities json.RawMessage
	}
	var faults []json.RawMessage
	var settings map[string]any
	for path, dst := range map[string]any{"/_emulator/state": &state, "/_emulator/faults": &faults, "/_emulator/config": &settings} {
		if err := c.getControl(path, dst); err != nil {
			return err
		}
	}
	var held []string
	groups := 0
	for _, ns := range state.Namespaces {
		groups += len(ns.Groups)
	}
	if state.OnPremises != nil {
		groups += len(state.OnPremises.Groups)
	}
	if groups > 0 {
		held = append(held, fmt.Sprintf("%d failover groups", groups))
	}
	if len(state.Identities) > 0 && string(state.Identities) != "null" {
		held = append(held, "identities")
	}
	if len(faults) > 0 {
		held = append(held, fmt.Sprintf("%d fault rules", len(faults)))
	}
	for name, def := range defaultSettings {
		if v, ok := settings[name]; ok && v != def {
			held = append(held, fmt.Sprintf("%s set to %v", name, v))
		}
	}
	if len(held) == 0 {
		return nil
	}
	return fmt.Errorf("the emulator at %s holds %s, and the suite's @emulator scenarios reset it (data, fault rules, journal, events and settings go back to the start state); "+
		"run again with --allow-reset (EMULATOR_ALLOW_RESET=1; features.Options.AllowReset) to allow that, or leave those scenarios out with the tag expression \"~@emulator\"",
		c.opts.URL, strings.Join(held, ", "))
}

// defaultSettings are the run-time settings of an emulator started without
// flags, as GET /_emulator/config answers them.
var defaultSettings = map[string]any{
	"HeartbeatMinInterval": "00:00:00",
	"Auth":                 "none",
	"StrictBodies":         false,
}

// getControl reads a control-API document into dst.
func (c *config) getControl(path string, dst any) error {
	req, err := http.NewRequest(http.MethodGet, c.opts.URL+path, nil)
	if err != nil {
		return err
	}
	if c.opts.AdminToken != "" {
		req.Header.Set("Authorization", "Bearer "+c.opts.AdminToken)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s %s", path, resp.Status, body)
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}
