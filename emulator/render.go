package emulator

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/adh-emulator/clientfailover/emulator/service"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// response is what every handler returns; render writes it.
type response struct {
	status int
	body   any // object, []object, json.RawMessage or nil (no body)
	header http.Header
}

// object is a JSON object whose members keep their order. Property names
// come from data (a revision), so one handler serves every revision.
type object []member

type member struct {
	name  string
	value any
}

// MarshalJSON writes the object; values are strings, numbers, booleans,
// times, time-spans (*time.Duration), raw JSON, objects and arrays of them, and nil pointers as null.
func (o object) MarshalJSON() ([]byte, error) { return appendValue(nil, o) }

func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case object:
		return appendObject(b, v)
	case []object:
		b = append(b, '[')
		for i, o := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, o); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case string:
		return appendString(b, v), nil
	case *string:
		if v == nil {
			return append(b, "null"...), nil
		}
		return appendString(b, *v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("render: %v is not a JSON number", v)
		}
		return strconv.AppendFloat(b, v, 'g', -1, 64), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case *time.Duration: // always a time-span on the wire
		b = append(b, '"')
		b = timefmt.AppendSpan(b, *v)
		return append(b, '"'), nil
	case time.Time:
		return appendDateTime(b, v), nil
	case *time.Time:
		if v == nil {
			return append(b, "null"...), nil
		}
		return appendDateTime(b, *v), nil
	case json.RawMessage:
		if v == nil {
			return append(b, "null"...), nil
		}
		return append(b, v...), nil
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		return append(b, raw...), nil
	}
}

// appendDateTime writes t as a JSON string; its text needs no escaping.
func appendDateTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = timefmt.AppendDateTime(b, t)
	return append(b, '"')
}

// appendObject writes o; called directly (not through appendValue) it
// saves boxing o in an interface, which matters for a page of groups.
func appendObject(b []byte, o object) ([]byte, error) {
	b = append(b, '{')
	for i, m := range o {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, m.name)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, m.value); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendString writes s as a JSON string, escaping as encoding/json does
// (without its HTML escaping, which the service does not do either).
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i += plainPrefix(s[i:]); i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		// Outside ASCII: a run of runes, decoded here rather than going
		// back to plainPrefix after each.
		for i < len(s) && s[i] >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				b = append(b, s[start:i]...)
				if r == utf8.RuneError {
					b = append(b, `\ufffd`...)
				} else {
					b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
				}
				start = i + size
			}
			i += size
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainByte marks the bytes appendString copies as they are: ASCII from
// space up, but the quote and the backslash. plainPrefix reads it for the
// bytes its word test does not cover; it is never written after it is made.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainPrefix returns how many bytes at the start of s need no escaping:
// eight at a time while it can, then one at a time. Eight bytes are tested
// at once, as one word: a byte b below k makes b-k borrow into its top bit
// while b's own top bit is clear, and a byte equal to k is one whose XOR
// with k is zero (below 1). A borrow can only mark bytes above one that is
// truly below k, so the word test never passes a byte that needs escaping;
// the byte loop then finds it exactly.
func plainPrefix(s string) int {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		quote, backslash := x^(ones*'"'), x^(ones*'\\')
		below := (x - ones*0x20) | (quote - ones) | (backslash - ones)
		if (x|below&^x)&tops != 0 {
			break
		}
	}
	for i < len(s) && plainByte[s[i]] {
		i++
	}
	return i
}

// render writes r: every success and every ErrorResponse goes through here.
func render(c *gin.Context, r response) {
	for k, vs := range r.header {
		for _, v := range vs {
			c.Writer.Header().Add(k, v)
		}
	}
	if r.body == nil {
		c.Status(r.status)
		c.Writer.WriteHeaderNow()
		return
	}
	if p, ok := r.body.(pooledJSON); ok { // already JSON: write it as it is
		writeJSON(c, r.status, *p.buf)
		releaseBuffer(p.buf)
		return
	}
	if st, ok := r.body.(streamed); ok {
		c.Header("Content-Type", "application/json; charset=utf-8")
		c.Status(r.status)
		w := bufio.NewWriterSize(c.Writer, streamBuffer)
		err := st(w)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			// The status is out: cut the answer off rather than end it as
			// if it were whole.
			c.Abort()
			panic(http.ErrAbortHandler)
		}
		return
	}
	buf := buffers.Get().(*[]byte)
	defer releaseBuffer(buf)
	b, err := appendValue((*buf)[:0], r.body)
	if err != nil {
		r = internalError(err)
		b, _ = appendValue((*buf)[:0], r.body)
	}
	*buf = b
	writeJSON(c, r.status, b) // copies b out
}

// jsonContentType is the Content-Type of every JSON answer, shared as Gin
// shares its own: headers are never changed in place.
var jsonContentType = []string{"application/json; charset=utf-8"}

// writeJSON is c.Data with a JSON Content-Type, as Gin writes it (the
// header only when none is set, no body where the status allows none)
// without the allocations of boxing a renderer and of a header value per
// answer.
func writeJSON(c *gin.Context, status int, b []byte) {
	if h := c.Writer.Header(); len(h["Content-Type"]) == 0 {
		h["Content-Type"] = jsonContentType
	}
	c.Status(status)
	if !bodyAllowedForStatus(status) {
		c.Writer.WriteHeaderNow()
		return
	}
	if _, err := c.Writer.Write(b); err != nil {
		_ = c.Error(err)
		c.Abort()
	}
}

// bodyAllowedForStatus is Gin's rule (RFC 7230 section 3.3): no body for
// 1xx, 204 and 304.
func bodyAllowedForStatus(status int) bool {
	switch {
	case status >= 100 && status <= 199:
		return false
	case status == http.StatusNoContent, status == http.StatusNotModified:
		return false
	}
	return true
}

// streamed is a body written to the connection piece by piece (a journal
// listing), so it is never built whole in memory. It answers the status of
// its response; if it fails part way, the connection is cut.
type streamed func(w *bufio.Writer) error

// streamBuffer is how much of a streamed body is written at a time.
const streamBuffer = 32 << 10

// buffers recycles render buffers: a List page grows one to several KiB,
// and growing a fresh one for every response was most of the allocation.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooledBuffer keeps a rare huge answer from pinning its buffer.
const maxPooledBuffer = 1 << 20

// pooledJSON is a body already written as JSON into a buffer of the pool;
// render writes it and gives the buffer back.
type pooledJSON struct{ buf *[]byte }

func releaseBuffer(buf *[]byte) {
	if cap(*buf) <= maxPooledBuffer {
		*buf = (*buf)[:0]
		buffers.Put(buf)
	}
}

// errorBody builds an ErrorResponse with a fresh OperationId.
func errorBody(message, reason, resolution string) object {
	return object{
		{"OperationId", uuid.NewString()},
		{"Error", message},
		{"Reason", reason},
		{"Resolution", resolution},
		{"AdditionalParameters", nil},
	}
}

func errorResponse(status int, message, reason, resolution string) response {
	return response{status: status, body: errorBody(message, reason, resolution)}
}

func internalError(err error) response {
	return errorResponse(http.StatusInternalServerError, "The emulator failed.", err.Error(),
		"This is a bug in the emulator; please report it with the request that caused it.")
}

// statusOf maps a service failure to its documented status code.
func statusOf(k service.Kind) int {
	switch k {
	case service.Invalid:
		return http.StatusBadRequest
	case service.NotFound:
		return http.StatusNotFound
	case service.Conflict:
		return http.StatusConflict
	case service.TooMany:
		return http.StatusTooManyRequests
	case service.Forbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// fromError renders an error of the service (or any other error as a 500).
func fromError(err error) response {
	var se *service.Error
	if !errors.As(err, &se) {
		return internalError(err)
	}
	r := errorResponse(statusOf(se.Kind), se.Message, se.Reason, se.Resolution)
	if se.RetryAfter > 0 {
		r.header = http.Header{"Retry-After": {strconv.Itoa(retryAfterSeconds(se.RetryAfter))}}
	}
	return r
}

// retryAfterSeconds rounds up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

func badRequest(reason, resolution string) response {
	return errorResponse(http.StatusBadRequest, "The request is not valid.", reason, resolution)
}
