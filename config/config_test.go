package config

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// intList is a flag.Value taking comma-separated integers, like the CLI's
// -hidden 50,50,50; Set replaces the list.
type intList []int

func (l *intList) String() string {
	parts := make([]string, len(*l))
	for i, v := range *l {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ",")
}

func (l *intList) Set(s string) error {
	var out []int
	for _, p := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return fmt.Errorf("%q is not an integer", p)
		}
		out = append(out, v)
	}
	*l = out
	return nil
}

type flags struct {
	fs      *flag.FlagSet
	epochs  *int
	etaMax  *float64
	name    *string
	verbose *bool
	steps   *uint
	timeout *time.Duration
	seed    *int64
	hidden  intList
}

func newFlags() *flags {
	f := &flags{fs: flag.NewFlagSet("test", flag.ContinueOnError), hidden: intList{50, 50}}
	f.fs.SetOutput(io.Discard)
	f.epochs = f.fs.Int("epochs", 100, "")
	f.etaMax = f.fs.Float64("eta-max", 1, "")
	f.name = f.fs.String("name", "run", "")
	f.verbose = f.fs.Bool("verbose", false, "")
	f.steps = f.fs.Uint("steps", 10, "")
	f.timeout = f.fs.Duration("timeout", time.Minute, "")
	f.seed = f.fs.Int64("seed", 1, "")
	f.fs.Var(&f.hidden, "hidden", "")
	return f
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPrecedence(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"c.yaml", "epochs: 5000\neta-max: 2\nname: from-file\n"},
		{"c.json", `{"epochs": 5000, "eta-max": 2, "name": "from-file"}`},
	} {
		f := newFlags()
		if err := f.fs.Parse([]string{"-epochs", "7"}); err != nil {
			t.Fatal(err)
		}
		if err := ApplyFile(f.fs, write(t, tc.name, tc.content)); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		// Flag beats file; file beats default; untouched flags keep defaults.
		if *f.epochs != 7 || *f.etaMax != 2 || *f.name != "from-file" || *f.steps != 10 {
			t.Errorf("%s: epochs=%d eta-max=%g name=%q steps=%d; want 7, 2, from-file, 10",
				tc.name, *f.epochs, *f.etaMax, *f.name, *f.steps)
		}
	}
}

func TestTypes(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"c.yaml", "epochs: 1e4\neta-max: 0.001\nname: 5\nverbose: true\nsteps: 3\ntimeout: 1m30s\nseed: -9007199254740993\nhidden: [64, 32, 16]\n"},
		{"c.yml", "epochs: 10000\neta-max: 1e-3\nname: '5'\nverbose: true\nsteps: 3\ntimeout: 90s\nseed: -9007199254740993\nhidden:\n  - 64\n  - 32\n  - 16\n"},
		{"c.json", `{"epochs": 1e4, "eta-max": 0.001, "name": 5, "verbose": true, "steps": 3, "timeout": "1m30s", "seed": -9007199254740993, "hidden": [64, 32, 16]}`},
		{"s.json", `{"epochs": "10000", "eta-max": "1e-3", "name": "5", "verbose": "true", "steps": "3", "timeout": "90s", "seed": "-9007199254740993", "hidden": "64,32,16"}`},
	} {
		f := newFlags()
		if err := ApplyFile(f.fs, write(t, tc.name, tc.content)); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		// -9007199254740993 = -(2^53+1) is not a float64: it checks that
		// integers are not passed through float64 on the way.
		got := []any{*f.epochs, *f.etaMax, *f.name, *f.verbose, *f.steps, *f.timeout, *f.seed, []int(f.hidden)}
		want := []any{10000, 0.001, "5", true, uint(3), 90 * time.Second, int64(-9007199254740993), []int{64, 32, 16}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, want)
		}
	}
}

func TestApplyErrors(t *testing.T) {
	for _, tc := range []struct {
		content string
		want    []string
	}{
		{"epoch: 5\n", []string{`config file FILE: unknown key "epoch"; did you mean "epochs"?`}},
		{"eta_max: 5\n", []string{`unknown key "eta_max"; did you mean "eta-max"?`}},
		{"--Verbose: true\n", []string{`unknown key "--Verbose"; did you mean "verbose"?`}},
		{"learning-rate: 5\n", []string{`unknown key "learning-rate"; keys are flag names (see -help)`}},
		{"epochs: abc\n", []string{`config file FILE: key "epochs": "abc" is not an integer`}},
		{"epochs: 5.5\n", []string{`key "epochs": "5.5" is not an integer`}},
		{"epochs: 99999999999999999999\n", []string{`key "epochs": "99999999999999999999" is out of range for an integer`}},
		{"steps: -1\n", []string{`key "steps": "-1" is not a non-negative integer`}},
		{"eta-max: fast\n", []string{`key "eta-max": "fast" is not a number`}},
		{"verbose: yes\n", []string{`key "verbose": "yes" is not true or false`}},
		{"timeout: 5\n", []string{`key "timeout": "5" is not a duration such as 90s or 1h30m`}},
		{"epochs: [1, 2]\n", []string{`key "epochs": a list is given but the flag takes one value, an integer`}},
		{"hidden: [50, x]\n", []string{`key "hidden": "50,x" is not valid: "x" is not an integer`}},
		{"hidden: ['5,0']\n", []string{`key "hidden": list element 1 ("5,0") contains a comma`}},
		{"epoch: 1\nepochs: x\nnme: a\n", []string{`"epoch"; did you mean "epochs"?`, `key "epochs": "x" is not an integer`, `"nme"; did you mean "name"?`}},
	} {
		path := write(t, "c.yaml", tc.content)
		err := ApplyFile(newFlags().fs, path)
		if err == nil {
			t.Errorf("%q: no error, want %q", tc.content, tc.want)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tc.want) {
			t.Errorf("%q: error %q, want %d line(s)", tc.content, err, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			w = strings.ReplaceAll(w, "FILE", path)
			if !strings.Contains(lines[i], w) || !strings.HasPrefix(lines[i], "config file "+path+": ") {
				t.Errorf("%q: error line %q, want it to name the file and contain %q", tc.content, lines[i], w)
			}
		}
	}
}

func TestExplicitBadValueIgnored(t *testing.T) {
	// A command-line flag wins, so the file's value for it is never parsed.
	f := newFlags()
	f.fs.Parse([]string{"-epochs=3"})
	if err := Apply(f.fs, map[string]any{"epochs": "abc"}); err != nil || *f.epochs != 3 {
		t.Errorf("Apply: %v, epochs=%d; want nil, 3", err, *f.epochs)
	}
	// Unknown keys are errors even when everything else is explicit.
	if err := Apply(f.fs, map[string]any{"epoch": 1}); err == nil {
		t.Error("unknown key accepted")
	}
}

func TestLoad(t *testing.T) {
	m, err := Load(write(t, "c.yaml", "# comment\nepochs: 5000 # trailing\neta-max: 2.5\nname: x\nok: true\nhidden: [1, 2]\nbig: 99999999999999999999\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"epochs": 5000, "eta-max": 2.5, "name": "x", "ok": true, "hidden": []any{1, 2}, "big": "99999999999999999999"}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("YAML: got %#v, want %#v", m, want)
	}
	m, err = Load(write(t, "c.json", `{"epochs": 5000, "eta-max": 2.5, "name": "x", "ok": true, "hidden": [1, 2], "big": 99999999999999999999}`))
	if err != nil {
		t.Fatal(err)
	}
	want["big"] = 1e20 // JSON has one number type; the flag sees "1e+20"
	if !reflect.DeepEqual(m, want) {
		t.Errorf("JSON: got %#v, want %#v", m, want)
	}
	for _, name := range []string{"e.yaml", "e.json"} {
		if m, err := Load(write(t, name, "")); err != nil || len(m) != 0 {
			t.Errorf("empty %s: %v, %v", name, m, err)
		}
	}
	if m, err := Load(write(t, "c.yaml", "# only a comment\n")); err != nil || len(m) != 0 {
		t.Errorf("comment-only YAML: %v, %v", m, err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.yaml")
	if _, err := Load(missing); err == nil || err.Error() != "cannot read config file "+missing+": no such file; check the path" {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "c.toml")); err == nil || !strings.Contains(err.Error(), `unknown extension ".toml"; use .json, .yaml or .yml`) {
		t.Errorf("toml: %v", err)
	}
	for _, tc := range []struct{ name, content, want string }{
		{"c.yaml", "epochs: 5\nepochs: 6\n", `line 2: key "epochs" appears twice`},
		{"c.json", "{\"epochs\": 5,\n\"epochs\": 6}", `line 2: key "epochs" appears twice`},
		{"c.yaml", "epochs:\n", `line 1: key "epochs" has no value`},
		{"c.json", `{"epochs": null}`, `key "epochs" is null`},
		{"c.yaml", "net:\n  hidden: 5\n", `line 2: key "net" holds nested settings`},
		{"c.json", `{"net": {"hidden": 5}}`, `key "net" holds nested settings`},
		{"c.yaml", "hidden: [[1], 2]\n", `key "hidden": a list inside a list`},
		{"c.yaml", "- 1\n- 2\n", "line 1: the top level must map flag names to values"},
		{"c.json", "[1, 2]", "the top level must be an object"},
		{"c.yaml", "epochs: 5\n  bad: [\n", "line 2"},
		{"c.json", "{\n\"epochs\": 5,\n}", "line 3: invalid character '}'"},
		{"c.json", `{"epochs": 5`, "ends early"},
		{"c.json", `{"epochs": 5} {}`, "text after the closing }"},
		{"c.yaml", "a: 1\n---\nb: 2\n", "more than one YAML document"},
	} {
		path := write(t, tc.name, tc.content)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "config file "+path+": ") {
			t.Errorf("%s %q: error %v, want it to name the file and contain %q", tc.name, tc.content, err, tc.want)
		}
	}
}

func TestSnapshotAndSave(t *testing.T) {
	f := newFlags()
	f.fs.Parse([]string{"-epochs", "42", "-name", "1.10", "-verbose"})
	*f.etaMax = 1e-5
	f.hidden = intList{64, 64}
	snap := Snapshot(f.fs)
	want := map[string]string{"epochs": "42", "eta-max": "1e-05", "name": "1.10", "verbose": "true",
		"steps": "10", "timeout": "1m0s", "seed": "1", "hidden": "64,64"}
	if !reflect.DeepEqual(snap, want) {
		t.Errorf("Snapshot = %v, want %v", snap, want)
	}
	// Values chosen to be misread if written carelessly: "1.10" and "on" as
	// plain YAML would come back as 1.1 and the string "on" (fine), "" as null.
	tricky := []string{"", "1.10", "0x10", "on", "null", "~", "a: b", "#x", "- x", "[1]", " lead", "trail ", "two\nlines", `"q"`, "'q'", "50,50", "true", "1e-05", "0.10", "5000", "-0", "1e400", "NaN", "false", "True"}
	for _, ext := range []string{".yaml", ".json"} {
		for _, v := range tricky {
			src := flag.NewFlagSet("src", flag.ContinueOnError)
			src.String("name", "", "")
			src.String("config", "", "")
			src.Set("name", v)
			src.Set("config", "c.yaml")
			path := filepath.Join(t.TempDir(), "saved"+ext)
			if err := Save(path, src, "config"); err != nil {
				t.Fatalf("%s %q: %v", ext, v, err)
			}
			m, err := Load(path)
			if err != nil {
				t.Fatalf("%s %q: reload: %v", ext, v, err)
			}
			if _, ok := m["config"]; ok {
				t.Errorf("%s: omitted flag was saved", ext)
			}
			dst := flag.NewFlagSet("dst", flag.ContinueOnError)
			name := dst.String("name", "default", "")
			if err := Apply(dst, m); err != nil || *name != v {
				b, _ := os.ReadFile(path)
				t.Errorf("%s %q: restored %q, %v; file:\n%s", ext, v, *name, err, b)
			}
		}
	}
	// The whole flag set round-trips, and plain values stay unquoted.
	path := filepath.Join(t.TempDir(), "all.yaml")
	if err := Save(path, f.fs); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	for _, line := range []string{"epochs: 42\n", "hidden: 64,64\n", "name: \"1.10\"\n"} {
		if !strings.Contains(string(b), line) {
			t.Errorf("saved YAML lacks %q:\n%s", line, b)
		}
	}
	jpath := filepath.Join(t.TempDir(), "all.json")
	if err := Save(jpath, f.fs); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(jpath)
	for _, line := range []string{`"epochs": 42,`, `"hidden": "64,64",`, `"name": "1.10",`, `"verbose": true`} {
		if !strings.Contains(string(b), line) {
			t.Errorf("saved JSON lacks %q:\n%s", line, b)
		}
	}
	for _, p := range []string{path, jpath} {
		g := newFlags()
		if err := ApplyFile(g.fs, p); err != nil {
			t.Fatal(err)
		}
		if got := Snapshot(g.fs); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: restored %v, want %v", p, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"epoch", "epochs", 1}, {"flaw", "lawn", 2}, {"abc", "abc", 0},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := editDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestNotAList(t *testing.T) {
	// Apply also takes values built in Go, e.g. []int.
	f := newFlags()
	if err := Apply(f.fs, map[string]any{"hidden": []int{8, 4}, "eta-max": float32(0.5)}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual([]int(f.hidden), []int{8, 4}) || *f.etaMax != 0.5 {
		t.Errorf("hidden=%v eta-max=%g", f.hidden, *f.etaMax)
	}
	err := Apply(f.fs, map[string]any{"name": struct{}{}})
	if err == nil || !strings.Contains(err.Error(), "type struct {} is not supported") {
		t.Errorf("struct value: %v", err)
	}
}
