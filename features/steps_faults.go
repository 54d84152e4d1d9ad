package features

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
)

// faultSteps are the steps about the emulator's fault rules and about
// clients that meet them: repeated requests, retries, broken connections.
func (w *world) faultSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the fault rule "([^"]*)":$`, w.addFaultRule)
	sc.Step(`^the fault rule "([^"]*)" has fired (\d+) times? with (\d+ remaining|no limit)$`, w.faultRuleFired)

	sc.Step(`^client "([^"]*)" sends a heartbeat with score (\S+), retrying after a 503$`, w.heartbeatWithRetries)
	sc.Step(`^I send (GET|POST|PUT|DELETE) to "([^"]*)" (\d+) times( at once)?$`, w.sendRepeatedly)
	sc.Step(`^the answers were (.+)$`, w.answersWere)
	sc.Step(`^(\d+) of the answers were (\d+)(?: and the others (\d+))?$`, w.answersCount)
	sc.Step(`^some of the answers were (\d+) and the others (\d+)$`, w.answersMixed)
	sc.Step(`^I remember the answers$`, w.rememberAnswers)
	sc.Step(`^the answers are the remembered ones$`, w.answersRemembered)
	sc.Step(`^the connection was dropped without an answer$`, w.connectionDropped)
}

// addFaultRule adds a fault rule (a JSON object, placeholders expanded)
// with the Id its alias stands for; it must be accepted.
func (w *world) addFaultRule(alias string, body *godog.DocString) error {
	var doc any
	if err := decodeJSON([]byte(w.expand(body.Content)), &doc); err != nil {
		return fmt.Errorf("the fault rule is not JSON: %w", err)
	}
	rule, ok := doc.(map[string]any)
	if !ok {
		return fmt.Errorf("a fault rule is a JSON object, not %s", show(doc))
	}
	rule["Id"] = w.id(alias)
	if _, err := w.expect(http.StatusCreated, http.MethodPost, "/_emulator/faults", rule); err != nil {
		return fmt.Errorf("adding fault rule %q: %w", alias, err)
	}
	return nil
}

func (w *world) faultRuleFired(alias string, fired int, remaining string) error {
	r, err := w.expect(http.StatusOK, http.MethodGet, "/_emulator/faults/"+url.PathEscape(w.id(alias)), nil)
	if err != nil {
		return err
	}
	var want any // no limit: Remaining is null
	if n, ok := strings.CutSuffix(remaining, " remaining"); ok {
		want, _ = literal(n)
	}
	got, err := lookup(r.doc, "Fired")
	if err != nil {
		return err
	}
	gotRemaining, err := lookup(r.doc, "Remaining")
	if err != nil {
		return err
	}
	if f, ok := number(got); !ok || int(f) != fired || !sameJSON(want, gotRemaining) {
		return fmt.Errorf("fault rule %q: got Fired %s and Remaining %s, want %d and %s", alias, show(got), show(gotRemaining), fired, show(want))
	}
	return nil
}

// maxRetryAfter is the longest Retry-After the retrying client waits; the
// scenarios keep theirs short.
const maxRetryAfter = 5

// heartbeatWithRetries sends a heartbeat and, while the answer is a 503 with
// a Retry-After of whole seconds, waits that long and sends it again, as a
// well-behaved client does (at most 5 attempts).
func (w *world) heartbeatWithRetries(c, score string) error {
	for attempt := 1; ; attempt++ {
		if err := w.sendHeartbeat(c, score, ""); err != nil {
			return err
		}
		if w.last.status != http.StatusServiceUnavailable || attempt == 5 {
			return nil
		}
		text := w.last.header.Get("Retry-After")
		seconds, err := strconv.Atoi(text)
		if err != nil || seconds < 0 || seconds > maxRetryAfter {
			return fmt.Errorf("got %s with Retry-After %q, want a whole number of seconds from 0 to %d to retry after", w.last, text, maxRetryAfter)
		}
		time.Sleep(time.Duration(seconds) * time.Second)
	}
}

// sendRepeatedly sends the same request n times, one after the other or all
// at once, and keeps the statuses (0 for no answer) in the order sent.
func (w *world) sendRepeatedly(method, path string, n int, atOnce string) error {
	path = w.expand(path)
	w.answers = make([]int, n)
	errs := make([]error, n)
	var mu sync.Mutex // guards the last response
	one := func(i int) {
		r, err := w.do(method, path, nil)
		mu.Lock()
		defer mu.Unlock()
		if errs[i] = w.keep(method, path, r, err); errs[i] == nil {
			w.answers[i] = w.last.status
		}
	}
	if atOnce == "" {
		for i := range n {
			one(i)
		}
	} else {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { one(i) })
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// statuses reads "503, 503 and 200".
func statuses(list string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(strings.ReplaceAll(list, " and ", ","), func(r rune) bool { return r == ',' }) {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%q is not a list of statuses such as \"503, 503 and 200\"", list)
		}
		out = append(out, n)
	}
	return out, nil
}

func (w *world) answersWere(list string) error {
	want, err := statuses(list)
	if err != nil {
		return err
	}
	if !slices.Equal(w.answers, want) {
		return fmt.Errorf("the answers were %v, want %v", w.answers, want)
	}
	return nil
}

func (w *world) count(status int) int {
	n := 0
	for _, s := range w.answers {
		if s == status {
			n++
		}
	}
	return n
}

// answersCount checks how many answers had a status and, when others is
// given, that every other answer had that one.
func (w *world) answersCount(n, status int, others string) error {
	ok := w.count(status) == n
	if others != "" {
		o, _ := strconv.Atoi(others)
		ok = ok && w.count(o) == len(w.answers)-n
	}
	if !ok {
		return fmt.Errorf("the answers were %v, want %d of them %d%s", w.answers, n, status, map[bool]string{true: " and the others " + others}[others != ""])
	}
	return nil
}

func (w *world) answersMixed(status, others int) error {
	some := w.count(status)
	if some == 0 || some == len(w.answers) || w.count(others) != len(w.answers)-some {
		return fmt.Errorf("the answers were %v, want some of them %d and the others %d", w.answers, status, others)
	}
	return nil
}

func (w *world) rememberAnswers() error {
	if len(w.answers) == 0 {
		return fmt.Errorf("no repeated requests were sent")
	}
	w.rememberedAnswers = slices.Clone(w.answers)
	return nil
}

func (w *world) answersRemembered() error {
	if !slices.Equal(w.answers, w.rememberedAnswers) {
		return fmt.Errorf("the answers were %v, want the remembered %v", w.answers, w.rememberedAnswers)
	}
	return nil
}

func (w *world) connectionDropped() error {
	r, err := w.lastResponse()
	if err != nil {
		return err
	}
	if r.noAnswer == nil {
		return fmt.Errorf("got %s, want the connection dropped without an answer", r)
	}
	return nil
}
