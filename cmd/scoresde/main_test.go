package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tiny is a run small enough for the fast suite: every phase runs for real.
var tiny = []string{"--n-data", "400", "--batch", "100", "--epochs", "3", "--n", "300", "--steps", "20", "-q"}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = realMain(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestRunWritesEveryOutput(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, append([]string{"run", "--out", dir}, tiny[:len(tiny)-1]...)...)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	for _, want := range []string{"W1(samples, data)", "final loss", "time:"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	readCSV := func(name string, header []string, rows int) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Join(recs[0], ",") != strings.Join(header, ",") || len(recs) != rows+1 {
			t.Errorf("%s: header %v and %d rows, want %v and %d", name, recs[0], len(recs)-1, header, rows)
		}
		for _, r := range recs[1:] {
			for _, v := range r {
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
		}
	}
	readCSV("dataset.csv", []string{"x"}, 400)
	readCSV("samples.csv", []string{"x"}, 300)
	readCSV("loss.csv", []string{"epoch", "loss"}, 3)
	for _, name := range []string{"config.json", "timing.json", "metrics.json", "model.json", "checkpoint.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%s does not parse: %v", name, err)
		}
	}
	for _, fig := range []string{"fig1_data", "fig2_forward", "fig3_score_untrained", "fig4_loss", "fig5_score_trained", "fig6_forward_backward"} {
		for _, ext := range []string{".png", ".svg"} {
			if st, err := os.Stat(filepath.Join(dir, fig+ext)); err != nil || st.Size() == 0 {
				t.Errorf("%s%s missing or empty", fig, ext)
			}
		}
	}
	// The saved model loads and samples through the 'sample' command.
	dir2 := t.TempDir()
	code, out, errs = run(t, "sample", "--model", filepath.Join(dir, "model.json"), "--n", "50", "--steps", "10", "--out", dir2)
	if code != 0 {
		t.Fatalf("sample: exit %d: %s %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir2, "samples.csv")); err != nil {
		t.Error(err)
	}
}

func TestBadInputExitsTwoWithOneLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("x\n1\nabc\n"), 0o644)
	one := filepath.Join(dir, "one.csv")
	os.WriteFile(one, []byte("x\n0.5\n"), 0o644)
	constant := filepath.Join(dir, "const.csv")
	os.WriteFile(constant, []byte("x\n1\n1\n1\n"), 0o644)
	badCfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(badCfg, []byte("epoch: 5\n"), 0o644)
	ro := filepath.Join(dir, "file-not-dir")
	os.WriteFile(ro, []byte("x"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--epochs", "-1"}, "epochs"},
		{[]string{"run", "--eta-min", "3", "--eta-max", "2"}, "eta_max"},
		{[]string{"run", "--batch", "0"}, "batch"},
		{[]string{"run", "--n", "-5"}, "samples"},
		{[]string{"run", "--lr", "nan"}, "learning rate"},
		{[]string{"run", "--sde", "xx"}, "xx"},
		{[]string{"run", "--sampler", "xx"}, "sampler"},
		{[]string{"run", "--potential", "nope"}, "unknown potential"},
		{[]string{"run", "--hidden", "50,a"}, "integers"},
		{[]string{"run", "--no-such-flag"}, "no-such-flag"},
		{[]string{"run", "--data", filepath.Join(dir, "missing.csv")}, "missing.csv"},
		{[]string{"run", "--data", bad}, "abc"},
		{[]string{"run", "--out", filepath.Join(ro, "sub")}, "--out"},
		{[]string{"run", "--dt", "0"}, "dt"},
		{[]string{"run", "--n-data", "100"}, "batch"},
		{[]string{"sample"}, "--model"},
		{[]string{"sample", "--model", filepath.Join(dir, "nope.json")}, "model"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"run", "--x0", "nan"}, "not finite"},
		{[]string{"run", "--eps", "2"}, "--eps"},
		{[]string{"run", "--min-time", "1"}, "--min-time"},
		{[]string{"train", "--resume", filepath.Join(dir, "nope.json")}, "checkpoint"},
		{[]string{"run", "--data", one}, "at least 2"},
		{[]string{"run", "--data", constant}, "every point"},
		{[]string{"run", "--config", badCfg}, `did you mean "epochs"`},
		{[]string{"run", "--hidden", "16000,16000,16000"}, "--hidden"},
		{[]string{"run", "--eta-min", "1e-300"}, "--eta-min"},
		{[]string{"run", "--truth", "mullerbrown"}, "--truth"},
		{[]string{"run", "--sde", "vp", "--sampler", "pc", "--steps", "10"}, "--steps"},
		{[]string{"run", "--lr", "1e10", "--figures=false", "-q"}, "--lr"},
		{[]string{"eval", "--model", filepath.Join(dir, "nope.json")}, "model"},
		{[]string{"sample", "--model", bad}, "model"},
	}
	for _, c := range cases {
		code, _, errs := run(t, c.args...)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		if code != 2 || len(lines) != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line mentioning %q", c.args, code, errs, c.want)
		}
	}
}

func TestHelpListsFlags(t *testing.T) {
	code, _, errs := run(t, "run", "-h")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, f := range []string{"-epochs", "-eta-min", "-sampler", "-out", "-seed", "-config"} {
		if !strings.Contains(errs, f) {
			t.Errorf("help lacks %s", f)
		}
	}
}
