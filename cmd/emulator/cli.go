package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Exit statuses of every command.
const (
	exitOK      = 0 // done, or help asked for
	exitFailure = 1 // the command ran and failed
	exitUsage   = 2 // the command line (or an EMULATOR_ variable) is wrong
)

// envName is the environment variable of a flag: EMULATOR_, then the flag
// name in upper case with - as _.
func envName(flag string) string {
	return "EMULATOR_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// command is one command's flags, its help text and how it reads the
// environment: every flag's default comes from its EMULATOR_ variable when
// that is set, and a flag on the command line wins over its variable.
type command struct {
	name     string // "emulator" or "emulator healthcheck"
	synopsis string // the usage line after the name, e.g. "[flags]"
	about    string // what the command does, one paragraph
	examples []string
	footer   string // printed after the examples

	fs       *flag.FlagSet
	getenv   func(string) string
	env      map[string]string // flag name → its variable, "" for none
	builtin  map[string]string // flag name → its default without the variable
	envErr   map[string]error  // flag name → why its variable's value is wrong
	preamble []string          // extra paragraphs before the flags
}

func newCommand(name, synopsis, about string, getenv func(string) string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse errors and help are printed by parse
	fs.Usage = func() {}
	return &command{
		name: name, synopsis: synopsis, about: about, fs: fs, getenv: getenv,
		env: map[string]string{}, builtin: map[string]string{}, envErr: map[string]error{},
	}
}

// fromEnv is the value of a flag's variable ("" when unset) and records the
// variable's name for the help.
func (c *command) fromEnv(name, def string) string {
	c.env[name] = envName(name)
	c.builtin[name] = def
	return c.getenv(envName(name))
}

// str declares a string flag; a `word` in usage names its value in the help.
func (c *command) str(p *string, name, def, usage string) {
	v := def
	if e := c.fromEnv(name, def); e != "" {
		v = e
	}
	c.fs.StringVar(p, name, v, usage)
}

// boolean declares a boolean flag; its variable takes true/false, 1/0.
func (c *command) boolean(p *bool, name, usage string) {
	var v bool
	if e := c.fromEnv(name, "false"); e != "" {
		b, err := strconv.ParseBool(e)
		if err != nil {
			c.envErr[name] = fmt.Errorf("%s=%q: want true or false", envName(name), e)
		}
		v = b
	}
	c.fs.BoolVar(p, name, v, usage)
}

// int64 declares a whole-number flag.
func (c *command) int64(p *int64, name string, def int64, usage string) {
	v := def
	if e := c.fromEnv(name, strconv.FormatInt(def, 10)); e != "" {
		n, err := strconv.ParseInt(e, 10, 64)
		if err != nil {
			c.envErr[name] = fmt.Errorf("%s=%q: want a whole number", envName(name), e)
		}
		v = n
	}
	c.fs.Int64Var(p, name, v, usage)
}

// list declares a repeatable flag; its variable holds a comma-separated
// list, which the flags on the command line replace.
func (c *command) list(p *[]string, name, usage string) {
	l := &stringList{p: p}
	if e := c.fromEnv(name, ""); e != "" {
		for _, s := range strings.Split(e, ",") {
			if s = strings.TrimSpace(s); s != "" {
				*p = append(*p, s)
			}
		}
		l.fromEnv = true
	}
	c.fs.Var(l, name, usage)
}

// noEnv declares a boolean flag without a variable (--version: a variable
// would turn a server into a version printer).
func (c *command) noEnv(p *bool, name, usage string) {
	c.env[name] = ""
	c.builtin[name] = "false"
	c.fs.BoolVar(p, name, false, usage)
}

// stringList is a repeatable flag's value.
type stringList struct {
	p       *[]string
	fromEnv bool // *p holds the variable's list, not yet replaced
}

func (l *stringList) String() string {
	if l == nil || l.p == nil {
		return ""
	}
	return strings.Join(*l.p, ",")
}

func (l *stringList) Set(s string) error {
	if l.fromEnv {
		*l.p, l.fromEnv = nil, false
	}
	*l.p = append(*l.p, s)
	return nil
}

// parse parses args. done reports that the command must end with code:
// help was asked for (printed on stdout, 0) or the command line or a
// variable is wrong (said on stderr, 2).
func (c *command) parse(args []string, stdout, stderr io.Writer) (code int, done bool) {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.help(stdout)
			return exitOK, true
		}
		return c.usageError(stderr, err), true
	}
	set := map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, f := range c.sortedEnvErrs() {
		if !set[f] {
			return c.usageError(stderr, c.envErr[f]), true
		}
	}
	return 0, false
}

func (c *command) sortedEnvErrs() []string {
	var names []string
	c.fs.VisitAll(func(f *flag.Flag) {
		if c.envErr[f.Name] != nil {
			names = append(names, f.Name)
		}
	})
	return names
}

// first is the first flag in the help's order, nil when there is none.
func (c *command) first() *flag.Flag {
	var first *flag.Flag
	c.fs.VisitAll(func(f *flag.Flag) {
		if first == nil {
			first = f
		}
	})
	return first
}

// usageError says what is wrong with the command line and where the help
// is, and returns the usage exit status.
func (c *command) usageError(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "%s: %v\nRun '%s --help' for usage.\n", c.name, err, c.name)
	return exitUsage
}

// failure says why the command failed and returns the failure exit status.
func (c *command) failure(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "%s: %v\n", c.name, err)
	return exitFailure
}

// help prints the command's help: usage, what it does, every flag with its
// variable and default, examples.
func (c *command) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace(c.name+" "+c.synopsis), c.about)
	for _, p := range c.preamble {
		fmt.Fprintf(w, "\n%s\n", p)
	}
	c.fs.VisitAll(func(f *flag.Flag) {
		if f == c.first() {
			fmt.Fprintln(w, "\nFlags (each may be set by the environment variable in brackets instead; a flag on the command line wins):")
		}
		value, usage := flag.UnquoteUsage(f)
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
			value = ""
		}
		head := "  --" + f.Name
		if value != "" {
			head += " " + value
		}
		variable := "no variable"
		if v := c.env[f.Name]; v != "" {
			variable = v
		}
		fmt.Fprintf(w, "%s  (%s)\n        %s", head, variable, usage)
		if def := c.builtin[f.Name]; def != "" && def != "false" && def != "0" {
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	})
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	if c.footer != "" {
		fmt.Fprintf(w, "\n%s\n", c.footer)
	}
}
