package virtual

import (
	"fmt"
	"strings"
	"time"

	"github.com/adh-emulator/clientfailover/emulator/fixture"
	"github.com/adh-emulator/clientfailover/emulator/timefmt"
)

// FromFixture reads a virtual client in its JSON form (the control API's
// body, a state document's entry). Its Interval and Start are zero when the
// form leaves them out: the caller puts their defaults in (the group's
// FailoverTimeout / 2, the instant it is added) before Compile, which checks
// the rest. Progress is not read here. The error names the property at
// fault.
func FromFixture(fc fixture.VirtualClient) (Client, error) {
	c := Client{
		ID:          fc.Id,
		Surface:     V1,
		Tenant:      fc.Tenant,
		Namespace:   fc.Namespace,
		Group:       fc.Group,
		Session:     fc.Session.Id,
		SessionName: cloneString(fc.Session.Name),
	}
	if fc.Surface != "" {
		c.Surface = Surface(strings.ToLower(fc.Surface))
	}
	if fc.Interval != "" {
		d, err := timefmt.ParseSpanOrDuration(fc.Interval)
		if err != nil {
			return Client{}, fmt.Errorf("the Interval: %w", err)
		}
		if d <= 0 {
			return Client{}, fmt.Errorf("the Interval %q must be greater than zero", fc.Interval)
		}
		c.Interval = d
	}
	if fc.Start != nil {
		c.Start = fc.Start.UTC()
	}
	for i, fs := range fc.Script {
		where := fmt.Sprintf("Script[%d]", i)
		if fs.At == "" {
			return Client{}, fmt.Errorf("%s.At is required", where)
		}
		at, err := timefmt.ParseSpanOrDuration(fs.At)
		if err != nil {
			return Client{}, fmt.Errorf("%s.At: %w", where, err)
		}
		st := Step{At: at}
		var given []string
		if fs.Score != nil {
			st.Kind, st.Score = ScoreStep, *fs.Score
			given = append(given, "Score")
		}
		for _, flag := range []struct {
			name string
			v    *bool
			kind StepKind
		}{{"Silent", fs.Silent, SilentStep}, {"Resume", fs.Resume, ResumeStep}, {"Leave", fs.Leave, LeaveStep}} {
			if flag.v == nil {
				continue
			}
			if !*flag.v {
				return Client{}, fmt.Errorf("%s.%s is false: give it only as true", where, flag.name)
			}
			st.Kind = flag.kind
			given = append(given, flag.name)
		}
		switch len(given) {
		case 0:
			return Client{}, fmt.Errorf("%s has none of Score, Silent, Resume and Leave: give exactly one", where)
		case 1:
		default:
			return Client{}, fmt.Errorf("%s has %s: give exactly one of Score, Silent, Resume and Leave", where, strings.Join(given, " and "))
		}
		c.Script = append(c.Script, st)
	}
	return c, nil
}

// Fixture is the plan's definition in its JSON form, every property filled
// in, without Progress.
func (p *Plan) Fixture() fixture.VirtualClient {
	c := p.c
	start := c.Start
	fc := fixture.VirtualClient{
		Id:        c.ID,
		Surface:   string(c.Surface),
		Tenant:    c.Tenant,
		Namespace: c.Namespace,
		Group:     c.Group,
		Session:   fixture.VirtualSession{Id: c.Session, Name: cloneString(c.SessionName)},
		Interval:  timefmt.FormatSpan(c.Interval),
		Start:     &start,
		Script:    make([]fixture.VirtualStep, len(c.Script)),
	}
	yes := func() *bool { t := true; return &t }
	for i, st := range c.Script {
		fs := fixture.VirtualStep{At: timefmt.FormatSpan(st.At)}
		switch st.Kind {
		case ScoreStep:
			score := st.Score
			fs.Score = &score
		case SilentStep:
			fs.Silent = yes()
		case ResumeStep:
			fs.Resume = yes()
		case LeaveStep:
			fs.Leave = yes()
		}
		fc.Script[i] = fs
	}
	return fc
}

// Progress is what the plan says of the client at through, the instant up
// to which it has acted: the outcome fields (Heartbeats, LastHeartbeat,
// LastRole, LastError) are the caller's to fill in.
func (p *Plan) Progress(through time.Time) fixture.VirtualProgress {
	st := p.StateAt(through)
	pr := fixture.VirtualProgress{
		Through:    through,
		Registered: st.Registered,
		Score:      st.Score,
		Silent:     st.Silent,
		Left:       st.Left,
	}
	if p.joined.After(p.c.Start) {
		joined := p.joined
		pr.Joined = &joined
	}
	if next, ok := p.NextHeartbeat(through); ok && timefmt.InRange(next) {
		pr.NextHeartbeat = &next
	}
	return pr
}
