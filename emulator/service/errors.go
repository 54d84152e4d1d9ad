package service

import (
	"fmt"
	"time"
)

// Kind classifies why an operation failed; the HTTP layer maps each kind to
// its documented status code.
type Kind int

// The kinds of failure an operation can have.
const (
	Invalid   Kind = iota + 1 // 400
	NotFound                  // 404
	Conflict                  // 409
	TooMany                   // 429
	Forbidden                 // 403
)

// Error is a failed operation, worded for the ErrorResponse the client sees.
type Error struct {
	Kind       Kind
	Message    string // ErrorResponse.Error: what failed
	Reason     string // why
	Resolution string // what the caller can do
	RetryAfter time.Duration
}

// Error says what failed and why.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Message, e.Reason) }

func invalid(reason, resolution string) *Error {
	return &Error{Kind: Invalid, Message: "The request is not valid.", Reason: reason, Resolution: resolution}
}

func groupNotFound(id string) *Error {
	return &Error{
		Kind:       NotFound,
		Message:    "The failover group was not found.",
		Reason:     fmt.Sprintf("No failover group with Id %q exists in this namespace.", id),
		Resolution: "Check the group Id, or create the group first.",
	}
}

func sessionNotFound(group, id string) *Error {
	return &Error{
		Kind:       NotFound,
		Message:    "The client session was not found.",
		Reason:     fmt.Sprintf("No client session with Id %q exists in failover group %q.", id, group),
		Resolution: "Check the session Id, or create the client session first.",
	}
}
