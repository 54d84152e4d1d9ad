//go:build !cpuprofile

package main

// startProfile does nothing: a CPU profile is written only by a binary
// built with -tags cpuprofile (cpuprofile.go).
func startProfile() (stop func()) { return func() {} }
