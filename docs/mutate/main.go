// Command mutate re-runs a mutation audit: it inserts each bug listed in a
// mutations file into the source, one at a time, runs the named tests,
// records whether they failed (killed the mutant) and which tests did,
// and restores the file. It prints a Markdown table.
//
//	go run ./docs/mutate [-full] [-list docs/mutations.txt]
//
// A mutation in the file is a block:
//
//	## id: what the bug is
//	file: path/to/file.go
//	test: ./pkg/ ./other/
//	- the exact original text (one or more lines)
//	+ its replacement
//
// The original text must occur exactly once in the file. With -full a
// mutant that survives its packages' tests is tried against go test ./...
// too. -skip passes a pattern of tests not to run to go test: by default
// nn/kernel's TestPeakGFLOPS, which compares two timings and fails when
// the machine is loaded (as it is while a mutation audit runs), which
// would count as a kill. Run it from the module root on a clean tree (it refuses otherwise)
// or a copy of one: it rewrites source files while it runs.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strings"
)

type mutation struct {
	id, what, file string
	tests          []string
	old, new       string
}

func parse(path string) ([]mutation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ms []mutation
	var cur *mutation
	var old, nw []string
	flush := func() {
		if cur != nil {
			cur.old, cur.new = strings.Join(old, "\n"), strings.Join(nw, "\n")
			ms = append(ms, *cur)
		}
		cur, old, nw = nil, nil, nil
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			flush()
			id, what, _ := strings.Cut(strings.TrimPrefix(line, "## "), ": ")
			cur = &mutation{id: id, what: what}
		case cur == nil:
		case strings.HasPrefix(line, "file: "):
			cur.file = strings.TrimPrefix(line, "file: ")
		case strings.HasPrefix(line, "test: "):
			cur.tests = strings.Fields(strings.TrimPrefix(line, "test: "))
		case strings.HasPrefix(line, "- "), line == "-":
			old = append(old, strings.TrimPrefix(strings.TrimPrefix(line, "-"), " "))
		case strings.HasPrefix(line, "+ "), line == "+":
			nw = append(nw, strings.TrimPrefix(strings.TrimPrefix(line, "+"), " "))
		}
	}
	flush()
	return ms, sc.Err()
}

var failRE = regexp.MustCompile(`--- FAIL: (\S+)`)

// run tests pkgs and returns whether they failed, the failing tests, and
// whether the failure was a build failure.
func run(pkgs []string, skip string) (failed bool, tests []string, build bool) {
	args := []string{"test", "-count=1"}
	if skip != "" {
		args = append(args, "-skip", skip)
	}
	cmd := exec.Command("go", append(args, pkgs...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	seen := map[string]bool{}
	for _, m := range failRE.FindAllStringSubmatch(out.String(), -1) {
		name := strings.SplitN(m[1], "/", 2)[0]
		if !seen[name] {
			seen[name] = true
			tests = append(tests, name)
		}
	}
	sort.Strings(tests)
	build = strings.Contains(out.String(), "[build failed]") || strings.Contains(out.String(), "[setup failed]")
	return err != nil, tests, build
}

func main() {
	list := flag.String("list", "docs/mutations.txt", "the mutations file")
	full := flag.Bool("full", false, "try survivors against go test ./... too")
	only := flag.String("only", "", "run only the mutations with these ids (comma-separated)")
	skip := flag.String("skip", "^TestPeakGFLOPS$", "tests not to run (go test -skip): timing tests that fail under load")
	flag.Parse()
	ms, err := parse(*list)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
	if out, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
		fmt.Fprintln(os.Stderr, "mutate: the work tree has uncommitted changes; commit them or run on a copy")
		os.Exit(2)
	}
	killed, total := 0, 0
	fmt.Println("| id | mutation | file | killed by |")
	fmt.Println("|---|---|---|---|")
	for _, m := range ms {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), m.id) {
			continue
		}
		src, err := os.ReadFile(m.file)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mutate:", err)
			os.Exit(1)
		}
		if n := bytes.Count(src, []byte(m.old)); n != 1 {
			fmt.Printf("| %s | %s | %s | (not applied: the original text occurs %d times) |\n", m.id, m.what, m.file, n)
			continue
		}
		mutated := bytes.Replace(src, []byte(m.old), []byte(m.new), 1)
		if err := os.WriteFile(m.file, mutated, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "mutate:", err)
			os.Exit(1)
		}
		failed, tests, build := run(m.tests, *skip)
		where := strings.Join(m.tests, " ")
		if !failed && *full {
			failed, tests, build = run([]string{"./..."}, *skip)
			where = "./..."
		}
		if err := os.WriteFile(m.file, src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "mutate: restoring", m.file, err)
			os.Exit(1)
		}
		total++
		verdict := "**survived** (" + where + ")"
		switch {
		case build:
			verdict = "build failed (not a valid mutant)"
			total--
		case failed:
			killed++
			verdict = strings.Join(tests, ", ")
			if verdict == "" {
				verdict = "a failing test (" + where + ")"
			}
		}
		fmt.Printf("| %s | %s | `%s` | %s |\n", m.id, m.what, m.file, verdict)
	}
	fmt.Printf("\nkilled %d of %d mutants\n", killed, total)
}
