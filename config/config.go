// Package config reads settings from a JSON or YAML file into a flag.FlagSet,
// so that a program's flags can also come from a file.
//
// The file's keys are flag names and its values are what one would type on
// the command line, e.g. in YAML
//
//	epochs: 5000
//	eta-max: 2
//	hidden: [50, 50, 50]
//
// Precedence is flag, then file, then the flag's default: Apply sets only
// the flags that were not set on the command line. Lists become
// comma-separated text, for flags whose Value accepts it.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"scoresde/atomicfile"
)

// Load reads a config file, JSON (.json) or YAML (.yaml, .yml). Values are
// bool, int, float64, string or []any of those; nested mappings, nulls and
// duplicate keys are errors that name the file (and for YAML the line).
func Load(path string) (map[string]any, error) {
	kind, err := kindOf(path)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("cannot read config file %s: no such file; check the path", path)
		case errors.Is(err, fs.ErrPermission):
			return nil, fmt.Errorf("cannot read config file %s: permission denied; check the file's permissions", path)
		}
		return nil, fmt.Errorf("cannot read config file %s: %w", path, err)
	}
	var m map[string]any
	if kind == "json" {
		m, err = parseJSON(b)
	} else {
		m, err = parseYAML(b)
	}
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return m, nil
}

func kindOf(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".json":
		return "json", nil
	case ".yaml", ".yml":
		return "yaml", nil
	default:
		return "", fmt.Errorf("config file %s: unknown extension %q; use .json, .yaml or .yml", path, ext)
	}
}

func parseYAML(b []byte) (map[string]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return map[string]any{}, nil // an empty file sets nothing
		}
		return nil, errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, errors.New("holds more than one YAML document (---); keep one")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return map[string]any{}, nil // only comments
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: the top level must map flag names to values, e.g. \"epochs: 5000\"", root.Line)
	}
	m := make(map[string]any, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		kn, vn := deref(root.Content[i]), deref(root.Content[i+1])
		key := kn.Value
		if kn.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: a key is not a plain name; keys are flag names", kn.Line)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("line %d: key %q appears twice; keep one", kn.Line, key)
		}
		v, err := yamlValue(vn, key, true)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	return m, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// yamlValue converts a scalar, or (if listOK) a sequence of scalars.
func yamlValue(n *yaml.Node, key string, listOK bool) (any, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, fmt.Errorf("line %d: key %q has no value; give one or remove the key", n.Line, key)
		case "!!bool":
			var b bool
			if n.Decode(&b) == nil {
				return b, nil
			}
		case "!!int":
			var i int
			if n.Decode(&i) == nil {
				return i, nil
			}
		case "!!float":
			// YAML calls integers too big for int64 floats; keep their
			// digits so the flag can say they are out of range.
			var f float64
			if strings.Trim(n.Value, "+-0123456789") != "" && n.Decode(&f) == nil {
				return f, nil
			}
		}
		// Strings, and anything else (timestamps, out-of-range integers),
		// as written: the flag decides what the text means.
		return n.Value, nil
	case yaml.SequenceNode:
		if !listOK {
			return nil, fmt.Errorf("line %d: key %q: a list inside a list is not supported; give plain values", n.Line, key)
		}
		list := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := yamlValue(deref(c), key, false)
			if err != nil {
				return nil, err
			}
			list[i] = v
		}
		return list, nil
	case yaml.MappingNode:
		return nil, fmt.Errorf("line %d: key %q holds nested settings, which are not supported; use flag names as top-level keys", n.Line, key)
	}
	return nil, fmt.Errorf("line %d: key %q has a value of an unsupported kind", n.Line, key)
}

func parseJSON(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	fail := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("line %d: %v", lineAt(b, se.Offset), se)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return errors.New("ends early; check for a missing } or ]")
		}
		return fmt.Errorf("line %d: %v", lineAt(b, dec.InputOffset()), err)
	}
	tok, err := dec.Token()
	if err == io.EOF {
		return map[string]any{}, nil // an empty file sets nothing
	}
	if err != nil {
		return nil, fail(err)
	}
	if tok != json.Delim('{') {
		return nil, errors.New("the top level must be an object mapping flag names to values, e.g. {\"epochs\": 5000}")
	}
	m := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail(err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("line %d: expected a key", lineAt(b, dec.InputOffset()))
		}
		line := lineAt(b, dec.InputOffset())
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("line %d: key %q appears twice; keep one", line, key)
		}
		var raw any
		if err := dec.Decode(&raw); err != nil {
			return nil, fail(err)
		}
		v, err := jsonValue(raw, key, true)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		m[key] = v
	}
	if _, err := dec.Token(); err != nil { // the closing }
		return nil, fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("line %d: text after the closing }; keep one object", lineAt(b, dec.InputOffset()))
	}
	return m, nil
}

func jsonValue(v any, key string, listOK bool) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, fmt.Errorf("key %q is null; give a value or remove the key", key)
	case bool, string:
		return v, nil
	case json.Number:
		if !strings.ContainsAny(string(v), ".eE") {
			if i, err := strconv.Atoi(string(v)); err == nil {
				return i, nil
			}
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return string(v), nil // out of range: let the flag judge the text
		}
		return f, nil
	case []any:
		if !listOK {
			return nil, fmt.Errorf("key %q: a list inside a list is not supported; give plain values", key)
		}
		list := make([]any, len(v))
		for i, x := range v {
			y, err := jsonValue(x, key, false)
			if err != nil {
				return nil, err
			}
			list[i] = y
		}
		return list, nil
	case map[string]any:
		return nil, fmt.Errorf("key %q holds nested settings, which are not supported; use flag names as top-level keys", key)
	}
	return nil, fmt.Errorf("key %q has a value of unsupported type %T", key, v)
}

// lineAt is the 1-based line holding byte offset off of b.
func lineAt(b []byte, off int64) int {
	off = min(max(off, 0), int64(len(b)))
	return 1 + bytes.Count(b[:off], []byte{'\n'})
}

// ApplyFile loads the config file at path and applies it to fs; errors
// name the file.
func ApplyFile(fs *flag.FlagSet, path string) error {
	values, err := Load(path)
	if err != nil {
		return err
	}
	return apply(fs, values, "config file "+path+": ")
}

// Apply sets every flag named in values that was not set explicitly (on
// the command line, or by fs.Set) before the call. It reports every unknown
// key, with the nearest flag name as a suggestion, and every value the flag
// rejects; the errors are joined, one per line. On error some flags may
// already be set, so the caller should stop.
//
// A list value is passed to the flag as comma-separated text, for flags
// whose Value takes such text; its Set should replace, not append.
func Apply(fs *flag.FlagSet, values map[string]any) error {
	return apply(fs, values, "")
}

func apply(fs *flag.FlagSet, values map[string]any, prefix string) error {
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })

	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []error
	for _, key := range keys {
		f := fs.Lookup(key)
		if f == nil {
			errs = append(errs, errors.New(prefix+unknownKey(fs, key)))
			continue
		}
		if explicit[key] {
			continue
		}
		text, err := flagText(kindOfFlag(f), values[key])
		if err != nil {
			errs = append(errs, fmt.Errorf("%skey %q: %v", prefix, key, err))
			continue
		}
		if err := fs.Set(key, text); err != nil {
			errs = append(errs, fmt.Errorf("%skey %q: %s", prefix, key, badValue(f, text, err)))
		}
	}
	return errors.Join(errs...)
}

// flagKind is the kind of value a flag takes, from its flag.Getter.
type flagKind int

const (
	kindOther flagKind = iota // strings, custom Values
	kindBool
	kindInt
	kindUint
	kindFloat
	kindDuration
)

var kindNames = map[flagKind]string{
	kindBool: "true or false", kindInt: "an integer", kindUint: "a non-negative integer",
	kindFloat: "a number", kindDuration: "a duration such as 90s or 1h30m",
}

func kindOfFlag(f *flag.Flag) flagKind {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return kindOther
	}
	switch g.Get().(type) {
	case bool:
		return kindBool
	case int, int64:
		return kindInt
	case uint, uint64:
		return kindUint
	case float64:
		return kindFloat
	case time.Duration:
		return kindDuration
	}
	return kindOther
}

// flagText turns a config value into the text the flag's Set takes.
func flagText(kind flagKind, v any) (string, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() != reflect.Uint8 {
		if kind != kindOther {
			return "", fmt.Errorf("a list is given but the flag takes one value, %s", kindNames[kind])
		}
		parts := make([]string, rv.Len())
		for i := range parts {
			s, err := scalarText(kind, rv.Index(i).Interface())
			if err != nil {
				return "", fmt.Errorf("list element %d: %v", i+1, err)
			}
			if strings.Contains(s, ",") {
				return "", fmt.Errorf("list element %d (%q) contains a comma, which would split it", i+1, s)
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	}
	return scalarText(kind, v)
}

func scalarText(kind flagKind, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", errors.New("no value; give one or remove the key")
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case json.Number:
		return v.String(), nil
	case float32:
		return floatText(kind, float64(v), 32), nil
	case float64:
		return floatText(kind, v, 64), nil
	case fmt.Stringer:
		return v.String(), nil
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), nil
	}
	return "", fmt.Errorf("a value of type %T is not supported; give a number, text, true/false or a list", v)
}

// floatText writes integral floats in full for integer flags, so that
// "epochs: 1e4" (a YAML float) means 10000 rather than failing on "10000"'s
// float spelling "1e+04".
func floatText(kind flagKind, f float64, bits int) string {
	if (kind == kindInt || kind == kindUint) && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

func badValue(f *flag.Flag, text string, err error) string {
	kind := kindOfFlag(f)
	if kind == kindOther {
		return fmt.Sprintf("%q is not valid: %v", text, err)
	}
	if strings.Contains(err.Error(), "out of range") {
		return fmt.Sprintf("%q is out of range for %s", text, kindNames[kind])
	}
	return fmt.Sprintf("%q is not %s", text, kindNames[kind])
}

// unknownKey describes an unknown key, suggesting the nearest flag name.
func unknownKey(fs *flag.FlagSet, key string) string {
	norm := func(s string) string {
		return strings.ReplaceAll(strings.ToLower(strings.TrimLeft(s, "-")), "_", "-")
	}
	nk := norm(key)
	// Allow about one typo per three letters, at most three in all.
	limit := min(max(1, len(nk)/3), 3)
	best, bestDist := "", limit+1
	fs.VisitAll(func(f *flag.Flag) { // in name order, so ties resolve alike
		if d := editDistance(nk, norm(f.Name)); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	if best != "" {
		return fmt.Sprintf("unknown key %q; did you mean %q?", key, best)
	}
	return fmt.Sprintf("unknown key %q; keys are flag names (see -help)", key)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Snapshot returns every flag's current value as text, as Value.String
// gives it; after Parse and Apply this is the merged configuration.
func Snapshot(fs *flag.FlagSet) map[string]string {
	m := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) { m[f.Name] = f.Value.String() })
	return m
}

// Save writes Snapshot(fs), less the flags named in omit (such as the
// config file's own flag), to path as JSON or YAML by its extension, so
// that ApplyFile on it restores the same values.
func Save(path string, fs *flag.FlagSet, omit ...string) error {
	kind, err := kindOf(path)
	if err != nil {
		return err
	}
	snap := Snapshot(fs)
	for _, k := range omit {
		delete(snap, k)
	}
	var b []byte
	if kind == "json" {
		b, err = marshalJSON(snap)
	} else {
		b, err = marshalYAML(snap)
	}
	if err != nil {
		return fmt.Errorf("cannot write config file %s: %w", path, err)
	}
	return atomicfile.WriteBytes(path, b)
}

// marshalJSON writes numbers and booleans bare where JSON reads them back as
// the same text, and everything else as strings.
func marshalJSON(snap map[string]string) ([]byte, error) {
	keys := make([]string, 0, len(snap))
	for k := range snap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			buf.WriteString(",")
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		v := snap[k]
		vb := []byte(v)
		if !bareJSONRoundTrips(v) {
			if vb, err = json.Marshal(v); err != nil {
				return nil, err
			}
		}
		fmt.Fprintf(&buf, "\n  %s: %s", kb, vb)
	}
	buf.WriteString("\n}\n")
	return buf.Bytes(), nil
}

// bareJSONRoundTrips reports whether s is a JSON number or boolean that
// Load and Apply read back as the text s.
func bareJSONRoundTrips(s string) bool {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var raw any
	if dec.Decode(&raw) != nil || dec.InputOffset() != int64(len(s)) {
		return false
	}
	switch raw.(type) {
	case json.Number, bool:
	default:
		return false
	}
	v, err := jsonValue(raw, "k", false)
	if err != nil {
		return false
	}
	text, err := scalarText(kindOther, v)
	return err == nil && text == s
}

// marshalYAML writes values unquoted where YAML reads them back as the same
// text (5000, 0.001, 50,50,50) and quoted where it would not ("", "1.10", "on").
func marshalYAML(snap map[string]string) ([]byte, error) {
	keys := make([]string, 0, len(snap))
	for k := range snap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range keys {
		v := &yaml.Node{Kind: yaml.ScalarNode, Value: snap[k]}
		if !plainRoundTrips(snap[k]) {
			v.Style = yaml.DoubleQuotedStyle
		}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// plainRoundTrips reports whether s written as a plain YAML scalar is read
// back by Load and Apply as the text s.
func plainRoundTrips(s string) bool {
	var n yaml.Node
	if s == "" || strings.TrimSpace(s) != s || yaml.Unmarshal([]byte("k: "+s), &n) != nil {
		return false
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) != 1 || len(n.Content[0].Content) != 2 {
		return false
	}
	vn := n.Content[0].Content[1]
	if vn.Kind != yaml.ScalarNode || vn.Style != 0 {
		return false
	}
	v, err := yamlValue(vn, "k", false)
	if err != nil {
		return false
	}
	text, err := scalarText(kindOther, v)
	return err == nil && text == s
}
