package config

import (
	"strings"
	"testing"
)

// FuzzParse checks that the JSON and YAML readers never panic and return
// only the value types Apply documents.
func FuzzParse(f *testing.F) {
	f.Add([]byte("epochs: 5000\neta-max: 2\nhidden: [50, 50]\n"), false)
	f.Add([]byte(`{"epochs": 5000, "hidden": [50, 50], "ok": true}`), true)
	f.Add([]byte("a: &x 1\nb: *x\n"), false)
	f.Fuzz(func(t *testing.T, in []byte, isJSON bool) {
		parse := parseYAML
		if isJSON {
			parse = parseJSON
		}
		m, err := parse(in)
		if err != nil {
			if m != nil {
				t.Fatalf("error %v with a non-nil map", err)
			}
			if strings.Contains(err.Error(), "\n") && isJSON {
				t.Fatalf("JSON error spans lines: %q", err)
			}
			return
		}
		for k, v := range m {
			if !scalarOK(v) {
				list, ok := v.([]any)
				if !ok {
					t.Fatalf("key %q: value %#v of type %T", k, v, v)
				}
				for _, x := range list {
					if !scalarOK(x) {
						t.Fatalf("key %q: list element %#v of type %T", k, x, x)
					}
				}
			}
		}
	})
}

func scalarOK(v any) bool {
	switch v.(type) {
	case bool, int, float64, string:
		return true
	}
	return false
}
