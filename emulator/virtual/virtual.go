// Package virtual is the timing of virtual clients: client sessions that the
// emulator drives itself, on its own clock, following a script, so that a
// test of one real client can run against peers whose health it controls.
//
// A Client is a definition; Compile checks it and makes a Plan, from which
// everything the client does follows as pure functions of time: which
// actions (register its session, post a heartbeat with a score, leave) fall
// in an interval, when its next one is, how many heartbeats an interval
// holds, and what its script has put in force at an instant. The service
// package carries the actions out, each at its own instant, interleaved with
// the lapses of the failover engine; nothing here reads a clock.
//
// # Timeline
//
// At Start the client registers its session and posts its first heartbeat,
// then one every Interval, with the score in force: 100 until a Score step
// says otherwise. A step's instant is Start + At. At one instant the client
// registers first, then applies its steps in script order, then posts the
// heartbeat due then, if any: a step at the instant of a heartbeat applies
// to that heartbeat. Silent stops the heartbeats (a heartbeat due at the
// same instant is not posted); Resume starts them again, the first at the
// Resume instant and then every Interval from there (a Resume while not
// silent changes nothing); Leave deletes the session, and nothing follows.
//
// A client added after its Start (a Start in the past, or a state loaded
// later than it was saved) joins late: at the instant it is added, Joined,
// it registers its session and, unless its script has it silent by then,
// posts a heartbeat, and then one every Interval from there, as after a
// Resume. Steps before Joined are taken as applied (the score in force,
// Silent); a client whose Leave came before Joined never acts.
package virtual

import (
	"fmt"
	"math"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// Limits of virtual clients.
const (
	// MinInterval is the shortest Interval between two heartbeats.
	MinInterval = time.Millisecond
	// MaxHeartbeatsPerMove bounds the heartbeats that all virtual clients
	// together may post in one move of the clock: a move that would take
	// more is refused rather than run for minutes under the state's lock.
	MaxHeartbeatsPerMove = 100_000
	// MaxSteps bounds the steps of one script.
	MaxSteps = 1000
	// MaxClients bounds the virtual clients of one emulator.
	MaxClients = 10_000
	// MaxIDLength is the longest id (client, tenant, namespace, group,
	// session), in characters, as for the emulated API.
	MaxIDLength = 256
)

// Surface is the API a virtual client speaks: it decides the client's scope
// and the name of the score property of its heartbeats.
type Surface string

// The surfaces, as the journal, fault rules and the control API spell them.
const (
	Preview Surface = "preview" // /api/v1-preview, tenant and namespace in the path
	V1      Surface = "v1"      // /api/v1, tenant and namespace in the path
	OnPrem  Surface = "onprem"  // /api/v1/clientfailover, the on-premises scope
)

// Cloud reports whether the surface has tenants and namespaces.
func (s Surface) Cloud() bool { return s == Preview || s == V1 }

// StepKind is what a script step does.
type StepKind int

// The kinds of step.
const (
	ScoreStep  StepKind = iota + 1 // sets the score of the heartbeats from its instant on
	SilentStep                     // stops the heartbeats
	ResumeStep                     // starts them again
	LeaveStep                      // deletes the session and ends the client
)

// String names the kind as the script spells it.
func (k StepKind) String() string {
	switch k {
	case ScoreStep:
		return "Score"
	case SilentStep:
		return "Silent"
	case ResumeStep:
		return "Resume"
	case LeaveStep:
		return "Leave"
	}
	return fmt.Sprintf("StepKind(%d)", int(k))
}

// Step is one step of a script.
type Step struct {
	At    time.Duration // after Start
	Kind  StepKind
	Score float64 // of a ScoreStep
}

// Client is the definition of a virtual client.
type Client struct {
	ID                string
	Surface           Surface
	Tenant, Namespace string // "" on OnPrem
	Group             string
	Session           string
	SessionName       *string
	Interval          time.Duration
	Start             time.Time
	Script            []Step
}

// ActionKind is what the client does at an instant.
type ActionKind int

// The actions of a client, in the order they happen at one instant.
const (
	Register  ActionKind = iota + 1 // post its client session (Post Client Session)
	Leave                           // delete its client session
	Heartbeat                       // post a heartbeat with Action.Score
)

// String names the action.
func (k ActionKind) String() string {
	switch k {
	case Register:
		return "Register"
	case Leave:
		return "Leave"
	case Heartbeat:
		return "Heartbeat"
	}
	return fmt.Sprintf("ActionKind(%d)", int(k))
}

// Action is one thing a client does, at its instant.
type Action struct {
	At    time.Time
	Kind  ActionKind
	Score float64 // of a Heartbeat
}

// String formats the action for test failures.
func (a Action) String() string {
	if a.Kind == Heartbeat {
		return fmt.Sprintf("%s %s %v", a.At.Format(time.RFC3339Nano), a.Kind, a.Score)
	}
	return fmt.Sprintf("%s %s", a.At.Format(time.RFC3339Nano), a.Kind)
}

// State is what a script has put in force at an instant.
type State struct {
	// Registered: the client has registered its session and not left.
	Registered bool
	// Score is the score of a heartbeat at or after the instant (until the
	// next Score step).
	Score float64
	// Silent: the script has stopped its heartbeats.
	Silent bool
	// Left: the script has ended the client.
	Left bool
}

// Plan is a checked client with its timeline worked out; it is immutable and
// safe for concurrent use.
type Plan struct {
	c        Client
	joined   time.Time
	register time.Time // max(Start, joined)
	// registers: it registers at register (no Leave came before).
	registers bool
	leave     time.Time
	leaves    bool // the script has a Leave, at leave
	// segs cut the time from Start on at every instant where a step
	// applies; segment i holds from segs[i].from until segs[i+1].from.
	segs []segment
}

// segment is a stretch of time in which the script changes nothing.
type segment struct {
	from   time.Time
	score  float64
	silent bool
	left   bool
	anchor time.Time // heartbeats at anchor + k·Interval, k ≥ 0, when neither silent nor left
}

// Compile checks c and works out its timeline for a client added at joined
// (a zero joined, or one before Start, means on time). The error names the
// first problem, as a property path of the control API's body.
func Compile(c Client, joined time.Time) (*Plan, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	c.Script = append([]Step(nil), c.Script...)
	c.SessionName = cloneString(c.SessionName)
	p := &Plan{c: c, joined: joined}
	if joined.IsZero() || joined.Before(c.Start) {
		p.joined = c.Start
	}
	p.register = p.joined

	cur := segment{from: c.Start, score: 100, anchor: c.Start}
	for _, st := range c.Script {
		at := c.Start.Add(st.At)
		if at.After(cur.from) {
			p.segs = append(p.segs, cur)
			cur.from = at
		}
		switch st.Kind {
		case ScoreStep:
			cur.score = st.Score
		case SilentStep:
			cur.silent = true
		case ResumeStep:
			if cur.silent {
				cur.silent, cur.anchor = false, at
			}
		case LeaveStep:
			cur.left = true
			p.leave, p.leaves = at, true
		}
	}
	p.segs = append(p.segs, cur)

	p.registers = !p.leaves || !p.leave.Before(p.register)
	if p.register.After(c.Start) && p.registers {
		// A late join is a Resume at the instant it joins: the heartbeats
		// from then on count from it, until the script silences them.
		j := p.segIndex(p.register)
		old := p.segs[j].anchor
		for k := j; k < len(p.segs) && !p.segs[k].silent && !p.segs[k].left; k++ {
			if p.segs[k].anchor.Equal(old) {
				p.segs[k].anchor = p.register
			}
		}
	}
	return p, nil
}

func (c *Client) validate() error {
	ids := []struct{ name, value string }{
		{"Id", c.ID}, {"Tenant", c.Tenant}, {"Namespace", c.Namespace}, {"Group", c.Group}, {"Session.Id", c.Session},
	}
	for _, id := range ids {
		if n := utf8.RuneCountInString(id.value); n > MaxIDLength {
			return fmt.Errorf("the %s is %d characters long; the longest allowed is %d", id.name, n, MaxIDLength)
		}
	}
	switch {
	case c.ID == "":
		return fmt.Errorf("the Id is required")
	case c.Surface != Preview && c.Surface != V1 && c.Surface != OnPrem:
		return fmt.Errorf("the Surface %q is not \"preview\", \"v1\" or \"onprem\"", c.Surface)
	case c.Surface.Cloud() && c.Tenant == "":
		return fmt.Errorf("the Tenant is required on the %q surface", c.Surface)
	case c.Surface.Cloud() && c.Namespace == "":
		return fmt.Errorf("the Namespace is required on the %q surface", c.Surface)
	case !c.Surface.Cloud() && (c.Tenant != "" || c.Namespace != ""):
		return fmt.Errorf("the Tenant and Namespace must be absent on the \"onprem\" surface, which has no tenants or namespaces")
	case c.Group == "":
		return fmt.Errorf("the Group is required")
	case c.Session == "":
		return fmt.Errorf("the Session.Id is required")
	case c.Interval <= 0:
		return fmt.Errorf("the Interval %s must be greater than zero", timefmt.FormatSpan(c.Interval))
	case c.Interval < MinInterval:
		return fmt.Errorf("the Interval %s is shorter than the shortest allowed, %s", timefmt.FormatSpan(c.Interval), timefmt.FormatSpan(MinInterval))
	case c.Start.IsZero():
		return fmt.Errorf("the Start is required")
	case !timefmt.InRange(c.Start):
		return timefmt.CheckRange("the Start", c.Start)
	case len(c.Script) > MaxSteps:
		return fmt.Errorf("the Script has %d steps; the most allowed is %d", len(c.Script), MaxSteps)
	}
	for i, st := range c.Script {
		where := fmt.Sprintf("Script[%d]", i)
		switch {
		case st.At < 0:
			return fmt.Errorf("%s.At %s is negative: steps are at offsets from Start", where, timefmt.FormatSpan(st.At))
		case i > 0 && st.At < c.Script[i-1].At:
			return fmt.Errorf("%s.At %s is before the previous step's %s: steps must be in time order", where, timefmt.FormatSpan(st.At), timefmt.FormatSpan(c.Script[i-1].At))
		case i > 0 && c.Script[i-1].Kind == LeaveStep:
			return fmt.Errorf("%s comes after a Leave, which ends the client", where)
		case !timefmt.InRange(c.Start.Add(st.At)):
			return fmt.Errorf("%s.At: %w", where, timefmt.CheckRange("its instant", c.Start.Add(st.At)))
		}
		switch st.Kind {
		case ScoreStep:
			if math.IsNaN(st.Score) || st.Score < 0 || st.Score > 100 {
				return fmt.Errorf("%s.Score %v is outside 0 to 100", where, st.Score)
			}
		case SilentStep, ResumeStep, LeaveStep:
		default:
			return fmt.Errorf("%s has no Score, Silent, Resume or Leave", where)
		}
	}
	return nil
}

// Client returns the definition the plan was made from.
func (p *Plan) Client() Client {
	c := p.c
	c.Script = append([]Step(nil), p.c.Script...)
	c.SessionName = cloneString(p.c.SessionName)
	return c
}

// Joined is the instant from which the client acts: Start, or the later
// instant at which it was added.
func (p *Plan) Joined() time.Time { return p.joined }

// segIndex is the segment that holds t, -1 before Start.
func (p *Plan) segIndex(t time.Time) int {
	return sort.Search(len(p.segs), func(i int) bool { return p.segs[i].from.After(t) }) - 1
}

// StateAt is what the script has put in force at t, every step at or before
// t applied.
func (p *Plan) StateAt(t time.Time) State {
	i := p.segIndex(t)
	if i < 0 {
		return State{Score: 100}
	}
	s := p.segs[i]
	st := State{Score: s.score, Silent: s.silent, Left: p.leaves && !p.leave.After(t)}
	st.Registered = p.registers && !p.register.After(t) && !st.Left
	return st
}

// Next is the instant of the client's first action after after; false when
// it has none left.
func (p *Plan) Next(after time.Time) (time.Time, bool) {
	next, ok := p.NextHeartbeat(after)
	consider := func(t time.Time) {
		if t.After(after) && (!ok || t.Before(next)) {
			next, ok = t, true
		}
	}
	if p.registers {
		consider(p.register)
		if p.leaves {
			consider(p.leave)
		}
	}
	return next, ok
}

// NextHeartbeat is the instant of the client's first heartbeat after after;
// false when it posts none (it is silent for good, or has left).
func (p *Plan) NextHeartbeat(after time.Time) (time.Time, bool) {
	if !p.registers {
		return time.Time{}, false
	}
	x := after.Add(time.Nanosecond)
	if x.Before(p.register) {
		x = p.register
	}
	for i := max(p.segIndex(x), 0); i < len(p.segs); i++ {
		s := p.segs[i]
		if s.left {
			break
		}
		if s.silent {
			continue
		}
		lo := x
		if lo.Before(s.from) {
			lo = s.from
		}
		g, ok := firstGrid(s.anchor, p.c.Interval, lo)
		if !ok {
			break
		}
		if i+1 == len(p.segs) || g.Before(p.segs[i+1].from) {
			return g, true
		}
	}
	return time.Time{}, false
}

// Heartbeats counts the client's heartbeats in (from, to], without listing
// them: a clock move is checked against MaxHeartbeatsPerMove with it.
func (p *Plan) Heartbeats(from, to time.Time) int64 {
	if !p.registers || !to.After(from) {
		return 0
	}
	x := from.Add(time.Nanosecond)
	if x.Before(p.register) {
		x = p.register
	}
	var n int64
	for i := max(p.segIndex(x), 0); i < len(p.segs) && !p.segs[i].from.After(to); i++ {
		s := p.segs[i]
		if s.left {
			break
		}
		if s.silent {
			continue
		}
		lo, hi := x, to
		if lo.Before(s.from) {
			lo = s.from
		}
		if i+1 < len(p.segs) && !p.segs[i+1].from.After(hi) {
			hi = p.segs[i+1].from.Add(-time.Nanosecond)
		}
		if lo.After(hi) {
			continue
		}
		g, ok := firstGrid(s.anchor, p.c.Interval, lo)
		if !ok {
			break
		}
		if g.After(hi) {
			continue
		}
		n += 1 + int64(hi.Sub(g)/p.c.Interval)
	}
	return n
}

// Actions lists the client's actions in (from, to], in time order and, at
// one instant, in the order Register, Leave, Heartbeat. It costs one step
// per action: bound the interval with Heartbeats first.
func (p *Plan) Actions(from, to time.Time) []Action {
	var out []Action
	for t, ok := p.Next(from); ok && !t.After(to); t, ok = p.Next(t) {
		out = append(out, p.At(t)...)
	}
	return out
}

// At lists the client's actions at exactly t, in the order they happen.
func (p *Plan) At(t time.Time) []Action {
	var out []Action
	if p.registers && p.register.Equal(t) {
		out = append(out, Action{At: t, Kind: Register})
	}
	if p.registers && p.leaves && p.leave.Equal(t) {
		out = append(out, Action{At: t, Kind: Leave})
	}
	if g, ok := p.NextHeartbeat(t.Add(-time.Nanosecond)); ok && g.Equal(t) {
		out = append(out, Action{At: t, Kind: Heartbeat, Score: p.segs[p.segIndex(t)].score})
	}
	return out
}

// firstGrid is the first instant anchor + k·iv (k ≥ 0) at or after x; false
// when it is too far away to represent (beyond about 292 years).
func firstGrid(anchor time.Time, iv time.Duration, x time.Time) (time.Time, bool) {
	if !x.After(anchor) {
		return anchor, true
	}
	d := x.Sub(anchor)
	if d == math.MaxInt64 { // Sub saturated
		return time.Time{}, false
	}
	k := int64(d / iv)
	if d%iv != 0 {
		k++
	}
	if k > math.MaxInt64/int64(iv) {
		return time.Time{}, false
	}
	return anchor.Add(time.Duration(k) * iv), true
}

func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	c := *s
	return &c
}
