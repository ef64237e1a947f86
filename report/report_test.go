package report

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"scoresde/sysinfo"
)

// tinyPNG encodes a w×h image with a pixel pattern that depends on seed, so
// that two figures have different bytes.
func tinyPNG(t *testing.T, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x*40) + seed, uint8(y*40) ^ seed, seed, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// nasty holds the characters that matter to HTML, XML, CSS and URLs.
const nasty = `<script>alert("x & 'y'")</script> a<b && c>d </style> ]]> url(http://evil/) +`

func sampleReport(t *testing.T) Report {
	return Report{
		Title:    "Run <1> & co",
		Subtitle: `scoresde run --out "runs/a&b" <x>`,
		Date:     "2025-06-14",
		Summary:  []KV{{"W1", "0.0213"}, {"Final loss", nasty}},
		Metrics: []Metric{
			{Name: "Wasserstein-1", Value: "0.0213", Note: "lower is better"},
			{Name: nasty, Value: "1 < 2", Unit: "&amp;", Note: nasty},
		},
		Figures: []Figure{
			{Title: "Loss", Caption: "Look for a steady fall.", PNG: tinyPNG(t, 3, 2, 1)},
			{Title: "Density " + nasty, Caption: nasty, Alt: `alt "quoted" <b>`, PNG: tinyPNG(t, 5, 4, 7)},
		},
		Timing: []Phase{{"data", 1}, {"training", 3}, {nasty, 0}},
		Config: []KV{{"epochs", "500"}, {nasty, nasty}},
		Env:    EnvFrom(sysinfo.Collect()),
		Notes:  []string{"A note.", nasty},
	}
}

func render(t *testing.T, r Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b.Bytes()
}

// node is a parsed element: its name, attributes, own text and children.
type node struct {
	name     string
	attr     map[string]string
	text     string // all character data inside, descendants' included, in document order
	children []*node
}

func (n *node) walk(fn func(*node)) {
	fn(n)
	for _, c := range n.children {
		c.walk(fn)
	}
}

const doctype = "<!DOCTYPE html>\n"

// parseStrict parses an HTML document written as well-formed XML. The XML
// decoder in strict mode rejects unclosed or mismatched elements, unquoted
// attributes and unknown entities such as &nbsp;.
func parseStrict(doc []byte) (*node, error) {
	if !bytes.HasPrefix(doc, []byte(doctype)) {
		return nil, fmt.Errorf("document does not start with %q", doctype)
	}
	d := xml.NewDecoder(bytes.NewReader(doc[len(doctype):]))
	d.Strict = true
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: make(map[string]string)}
			for _, a := range tok.Attr {
				k := a.Name.Local
				if a.Name.Space != "" {
					k = a.Name.Space + ":" + k
				}
				n.attr[k] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			for _, n := range stack {
				n.text += string(tok)
			}
			if len(stack) == 0 && strings.TrimSpace(string(tok)) != "" {
				return nil, fmt.Errorf("text outside the root element: %q", tok)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

func TestRenderWellFormed(t *testing.T) {
	root, err := parseStrict(render(t, sampleReport(t)))
	if err != nil {
		t.Fatalf("output is not well-formed: %v", err)
	}
	if root.name != "html" {
		t.Errorf("root element is <%s>, want <html>", root.name)
	}
	ids := make(map[string]bool)
	root.walk(func(n *node) {
		if id, ok := n.attr["id"]; ok {
			if ids[id] {
				t.Errorf("duplicate id %q", id)
			}
			ids[id] = true
		}
	})
	// Every in-page link must lead somewhere.
	root.walk(func(n *node) {
		if h, ok := n.attr["href"]; ok && strings.HasPrefix(h, "#") && !ids[h[1:]] {
			t.Errorf("link %q points to no element", h)
		}
	})
}

func TestParseStrictRejects(t *testing.T) {
	// The well-formedness check must be able to fail.
	for _, doc := range []string{
		doctype + `<html><body><p>open</body></html>`,
		doctype + `<html><body><img src="data:,"></body></html>`,
		doctype + `<html><body><p class=x>a</p></body></html>`,
		doctype + `<html><body>a&nbsp;b</body></html>`,
		doctype + `<html><body>a < b</body></html>`,
		`<html></html>`,
	} {
		if _, err := parseStrict([]byte(doc)); err == nil {
			t.Errorf("parseStrict accepted %q", doc)
		}
	}
}

// urlAttrs are attributes whose value the browser may fetch or navigate to.
var urlAttrs = map[string]bool{
	"src": true, "href": true, "srcset": true, "action": true, "formaction": true, "poster": true,
	"data": true, "background": true, "cite": true, "longdesc": true, "ping": true, "manifest": true,
	"xlink:href": true, "codebase": true, "archive": true, "icon": true, "imagesrcset": true,
}

// fetchers are elements that load or run something by their nature.
var fetchers = map[string]bool{
	"script": true, "link": true, "iframe": true, "frame": true, "object": true, "embed": true,
	"base": true, "audio": true, "video": true, "source": true, "track": true, "form": true, "applet": true,
}

var cssRef = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")\s]*)|@import`)

// externalRefs lists everything in doc that could make a browser fetch or
// open something outside the file.
func externalRefs(doc []byte) ([]string, error) {
	root, err := parseStrict(doc)
	if err != nil {
		return nil, err
	}
	var bad []string
	local := func(u string) bool {
		u = strings.TrimSpace(strings.ToLower(u))
		return strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "#")
	}
	checkCSS := func(where, css string) {
		for _, m := range cssRef.FindAllStringSubmatch(css, -1) {
			if m[0] == "@import" || strings.EqualFold(m[0], "@import") || !local(m[1]) {
				bad = append(bad, where+": "+m[0])
			}
		}
	}
	root.walk(func(n *node) {
		if fetchers[n.name] {
			bad = append(bad, "<"+n.name+"> element")
		}
		if n.name == "meta" && strings.EqualFold(n.attr["http-equiv"], "refresh") {
			bad = append(bad, "<meta http-equiv=refresh>")
		}
		for k, v := range n.attr {
			if urlAttrs[strings.ToLower(k)] && !local(v) {
				bad = append(bad, fmt.Sprintf("<%s %s=%q>", n.name, k, v))
			}
			checkCSS("<"+n.name+" "+k+">", v)
		}
		if n.name == "style" {
			checkCSS("<style>", n.text)
		}
	})
	return bad, nil
}

func TestRenderSelfContained(t *testing.T) {
	bad, err := externalRefs(render(t, sampleReport(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("external reference: %s", b)
	}
}

func TestExternalRefsFinds(t *testing.T) {
	// The self-containedness check must be able to fail.
	for _, body := range []string{
		`<img src="http://example.com/a.png" />`,
		`<img src="a.png" />`,
		`<a href="https://example.com/">x</a>`,
		`<a href="//example.com/">x</a>`,
		`<script>1</script>`,
		`<link rel="stylesheet" href="data:text/css," />`,
		`<div style="background: url(x.png)">x</div>`,
		`<style>body { background: url( "http://x/y.png" ) }</style>`,
		`<style>@import "a.css";</style>`,
		`<meta http-equiv="refresh" content="0; url=http://x" />`,
	} {
		doc := doctype + "<html><head></head><body>" + body + "</body></html>"
		bad, err := externalRefs([]byte(doc))
		if err != nil {
			t.Errorf("%s: %v", body, err)
		} else if len(bad) == 0 {
			t.Errorf("externalRefs found nothing in %s", body)
		}
	}
	ok := doctype + `<html><body><a href="#x">x</a><img src="data:image/png;base64,AAAA" /><style>p { background: url(data:,) }</style></body></html>`
	if bad, err := externalRefs([]byte(ok)); err != nil || len(bad) != 0 {
		t.Errorf("externalRefs on a local document = %v, %v; want none", bad, err)
	}
}

func TestRenderFiguresRoundTrip(t *testing.T) {
	r := sampleReport(t)
	root, err := parseStrict(render(t, r))
	if err != nil {
		t.Fatal(err)
	}
	var imgs []*node
	root.walk(func(n *node) {
		if n.name == "img" {
			imgs = append(imgs, n)
		}
	})
	if len(imgs) != len(r.Figures) {
		t.Fatalf("found %d <img>, want %d", len(imgs), len(r.Figures))
	}
	const prefix = "data:image/png;base64,"
	for i, img := range imgs {
		src := img.attr["src"]
		if !strings.HasPrefix(src, prefix) {
			t.Errorf("figure %d: src starts %.40q, want %q", i+1, src, prefix)
			continue
		}
		got, err := base64.StdEncoding.DecodeString(src[len(prefix):])
		if err != nil {
			t.Errorf("figure %d: base64: %v", i+1, err)
			continue
		}
		if !bytes.Equal(got, r.Figures[i].PNG) {
			t.Errorf("figure %d: embedded PNG (%d bytes) differs from the input (%d bytes)", i+1, len(got), len(r.Figures[i].PNG))
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(r.Figures[i].PNG))
		if err != nil {
			t.Fatal(err)
		}
		if img.attr["width"] != strconv.Itoa(cfg.Width) || img.attr["height"] != strconv.Itoa(cfg.Height) {
			t.Errorf("figure %d: width×height = %s×%s, want %d×%d", i+1, img.attr["width"], img.attr["height"], cfg.Width, cfg.Height)
		}
	}
}

func TestRenderEscapes(t *testing.T) {
	r := sampleReport(t)
	doc := render(t, r)
	if bytes.Contains(doc, []byte(nasty)) || bytes.Contains(doc, []byte("<script")) || bytes.Contains(doc, []byte("<b>")) {
		t.Error("raw special characters reached the output")
	}
	root, err := parseStrict(doc)
	if err != nil {
		t.Fatal(err)
	}
	// What the reader sees, after the parser decodes the escapes, must be
	// exactly the text that went in.
	texts := make(map[string]map[string]bool) // element name → texts
	var captions, alts []string
	root.walk(func(n *node) {
		if texts[n.name] == nil {
			texts[n.name] = make(map[string]bool)
		}
		texts[n.name][n.text] = true
		switch n.name {
		case "figcaption":
			captions = append(captions, n.text)
		case "img":
			alts = append(alts, n.attr["alt"])
		}
	})
	for _, tc := range []struct{ elem, want string }{
		{"title", r.Title},
		{"h1", r.Title},
		{"p", r.Subtitle},
		{"dd", nasty},
		{"td", nasty},
		{"td", "1 < 2&amp;"}, // value and unit, the unit's "&amp;" shown literally
		{"span", "&amp;"},
		{"span", nasty}, // configuration key and value
		{"li", nasty},   // note
		{"h3", "Figure 2. Density " + nasty},
	} {
		if !texts[tc.elem][tc.want] {
			t.Errorf("no <%s> with text %q", tc.elem, tc.want)
		}
	}
	if len(captions) != 2 || captions[1] != "Figure 2. "+nasty {
		t.Errorf("captions = %q, want the second to be %q", captions, "Figure 2. "+nasty)
	}
	if len(alts) != 2 || alts[0] != "Loss" || alts[1] != r.Figures[1].Alt {
		t.Errorf("alt texts = %q, want [Loss %q]", alts, r.Figures[1].Alt)
	}
}

func TestRenderSections(t *testing.T) {
	ids := func(r Report) map[string]bool {
		root, err := parseStrict(render(t, r))
		if err != nil {
			t.Fatal(err)
		}
		m := make(map[string]bool)
		root.walk(func(n *node) {
			if n.name == "section" || n.name == "nav" {
				m[n.name+"#"+n.attr["id"]] = true
			}
			if n.name == "title" {
				m["title:"+n.text] = true
			}
		})
		return m
	}
	empty := ids(Report{})
	if len(empty) != 1 || !empty["title:Report"] {
		t.Errorf("empty report has %v; want only the default title", empty)
	}
	full := ids(sampleReport(t))
	for _, id := range []string{"summary", "metrics", "figures", "timing", "config", "environment", "notes"} {
		if !full["section#"+id] {
			t.Errorf("full report lacks section %q", id)
		}
	}
	if !full["nav#"] {
		t.Error("full report lacks the table of contents")
	}
	only := ids(Report{Title: "T", Notes: []string{"n"}})
	if len(only) != 3 || !only["section#notes"] || !only["nav#"] {
		t.Errorf("notes-only report has %v; want title, contents and notes", only)
	}
}

func TestTimingShares(t *testing.T) {
	v, err := newView(Report{Timing: []Phase{{"a", 1}, {"b", 3}, {"c", 0}}})
	if err != nil {
		t.Fatal(err)
	}
	// Shares of a total of 4 s; bar widths relative to the longest, 3 s.
	want := []phaseView{
		{Name: "a", Seconds: "1.00", Share: "25.0 %", Width: "33.3"},
		{Name: "b", Seconds: "3.00", Share: "75.0 %", Width: "100.0"},
		{Name: "c", Seconds: "0.000", Share: "0.0 %", Width: "0.0"},
	}
	for i := range want {
		if v.Phases[i] != want[i] {
			t.Errorf("phase %d = %+v, want %+v", i, v.Phases[i], want[i])
		}
	}
	if v.Total != "4.00" || v.Share != "100 %" {
		t.Errorf("total %q share %q, want 4.00 and 100 %%", v.Total, v.Share)
	}
	v, err = newView(Report{Timing: []Phase{{"a", 0}}})
	if err != nil {
		t.Fatal(err)
	}
	if v.Phases[0].Share != "–" || v.Share != "–" || v.Phases[0].Width != "0" {
		t.Errorf("all-zero timing: %+v, total share %q; want shares shown as –", v.Phases[0], v.Share)
	}
}

func TestRenderErrors(t *testing.T) {
	good := tinyPNG(t, 2, 2, 0)
	for _, tc := range []struct {
		name string
		r    Report
		want string // in the error message
	}{
		{"no PNG", Report{Figures: []Figure{{Title: "f", PNG: good}, {Title: "empty"}}}, `figure 2 ("empty") has no PNG data`},
		{"not PNG", Report{Figures: []Figure{{Title: "jpeg", PNG: []byte("\xff\xd8\xff\xe0 not a png")}}}, `figure 1 ("jpeg") is not a valid PNG`},
		{"truncated PNG", Report{Figures: []Figure{{Title: "cut", PNG: good[:10]}}}, `figure 1 ("cut") is not a valid PNG`},
		{"NaN time", Report{Timing: []Phase{{"train", math.NaN()}}}, `phase "train" takes NaN s`},
		{"Inf time", Report{Timing: []Phase{{"train", math.Inf(1)}}}, `phase "train" takes +Inf s`},
		{"negative time", Report{Timing: []Phase{{"a", 1}, {"train", -2}}}, `phase "train" takes -2 s`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			err := Render(&b, tc.r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Render error = %v, want one containing %q", err, tc.want)
			}
			if b.Len() != 0 {
				t.Errorf("Render wrote %d bytes despite the error", b.Len())
			}
		})
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	r := sampleReport(t)
	if err := Write(path, r); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, render(t, r)) {
		t.Error("file content differs from Render's output")
	}
	// A failed write leaves the old report in place and no temporary files.
	bad := r
	bad.Figures = []Figure{{Title: "broken", PNG: []byte("nope")}}
	if err := Write(path, bad); err == nil {
		t.Error("Write accepted a broken figure")
	}
	again, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(again, got) {
		t.Errorf("failed Write changed the existing file (err %v)", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries after a failed write, want 1", len(entries))
	}
	if err := Write(filepath.Join(dir, "no", "such", "dir", "r.html"), r); err == nil {
		t.Error("Write into a missing folder succeeded")
	}
}

func TestNum(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {0.02134567, "0.02135"}, {5000, "5000"}, {123456, "1.235e+05"},
		{-1.5e-7, "-1.5e-07"}, {math.NaN(), "NaN"}, {math.Inf(-1), "-Inf"},
	} {
		if got := Num(tc.v); got != tc.want {
			t.Errorf("Num(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestEnvFrom(t *testing.T) {
	info := sysinfo.Info{CPUModel: "X", NProc: 3, GOMAXPROCS: 2, GoVersion: "go1", GOOS: "linux", GOARCH: "arm64", Time: "now"}
	kv := EnvFrom(info)
	p := info.Pairs()
	if len(kv) != len(p) {
		t.Fatalf("EnvFrom gave %d rows, want %d", len(kv), len(p))
	}
	for i := range p {
		if kv[i].Key != p[i][0] || kv[i].Value != p[i][1] {
			t.Errorf("row %d = %+v, want %q", i, kv[i], p[i])
		}
	}
}

// A Section renders as its own titled, escaped table with its warning,
// listed in the contents, and the page stays well-formed.
func TestRenderExtraSection(t *testing.T) {
	r := Report{Title: "T", Sections: []Section{{
		ID: "reweighting", Title: "Reweighting " + nasty, Intro: "intro " + nasty, Warning: "ESS " + nasty,
		Metrics: []Metric{{Name: "ESS", Value: "9408 of 10000", Note: nasty}},
	}}}
	page := render(t, r)
	root, err := parseStrict(page)
	if err != nil {
		t.Fatal(err)
	}
	var section, tocLink, warning bool
	root.walk(func(n *node) {
		section = section || (n.name == "section" && n.attr["id"] == "reweighting")
		tocLink = tocLink || (n.name == "a" && n.attr["href"] == "#reweighting")
		warning = warning || (n.name == "p" && n.attr["class"] == "warning")
	})
	if !section || !tocLink || !warning {
		t.Errorf("section %v, contents link %v, warning %v; want all", section, tocLink, warning)
	}
	if strings.Contains(string(page), "<script>") {
		t.Error("section text not escaped")
	}
	if !strings.Contains(string(page), "9408 of 10000") {
		t.Error("section table lacks its value")
	}
}
