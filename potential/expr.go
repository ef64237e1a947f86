// Package potential holds energy functions V given by the user as text:
// an expression in x (1-D) or x1…xd, compiled once with
// github.com/expr-lang/expr, that serves wherever a named potential of
// package langevin does (Langevin data, the exact Gibbs density,
// reweighting).
package potential

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// Expr is a potential V(x) written as an expression. It implements
// langevin.Potential and is safe for concurrent use.
type Expr struct {
	src   string
	dim   int
	names []string // variable names, coordinate order
	prog  *vm.Program
	pool  sync.Pool // *evaluator
}

type evaluator struct {
	vm  vm.VM
	env map[string]any
}

// SyntaxError is a bad expression: the message and where (1-based column
// of the expression text) it was found.
type SyntaxError struct {
	Expr    string
	Column  int
	Message string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("potential expression %q: %s at column %d", e.Expr, e.Message, e.Column)
}

var coordName = regexp.MustCompile(`^x([1-9][0-9]*)$`)

// functions are the mathematical functions an expression may call, besides
// expr's builtins (abs, min, max, floor, ceil, round).
var functions = map[string]func(float64) float64{
	"exp": math.Exp, "log": math.Log, "sqrt": math.Sqrt,
	"sin": math.Sin, "cos": math.Cos, "tan": math.Tan,
	"sinh": math.Sinh, "cosh": math.Cosh, "tanh": math.Tanh,
	"atan": math.Atan, "asin": math.Asin, "acos": math.Acos,
}

// constants are names an expression may use besides the coordinates.
var constants = map[string]float64{"pi": math.Pi, "e": math.E}

// Parse compiles src. The coordinates are x (dimension 1) or x1, x2, …, xd
// (the dimension is the largest index used, or dim when dim is larger;
// dim 0 infers it). Operators are expr's (+ − * / and ** or ^ for powers);
// functions exp, log, sqrt, sin, cos, tan, sinh, cosh, tanh, atan, asin,
// acos, abs, min, max; constants pi and e. A bad expression gives a
// *SyntaxError naming the column.
func Parse(src string, dim int) (*Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("potential expression is empty; write V in x (1-D) or x1, x2, … (e.g. \"(x**2-1)**2\")")
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, syntaxError(src, err)
	}
	names, err := coordinates(src, tree.Node, dim)
	if err != nil {
		return nil, err
	}
	env := map[string]any{}
	for _, n := range names {
		env[n] = 0.0
	}
	for n, v := range constants {
		if _, isCoord := env[n]; !isCoord {
			env[n] = v
		}
	}
	opts := []expr.Option{expr.Env(env), expr.AsFloat64()}
	for name, f := range functions {
		opts = append(opts, expr.Function(name, func(p ...any) (any, error) {
			return f(toFloat(p[0])), nil
		}, new(func(float64) float64)))
	}
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, syntaxError(src, err)
	}
	e := &Expr{src: src, dim: len(names), names: names, prog: prog}
	e.pool.New = func() any {
		ev := &evaluator{env: make(map[string]any, len(env))}
		for k, v := range env {
			ev.env[k] = v
		}
		return ev
	}
	// An expression that does not evaluate to a number at the origin
	// (wrong types at run time) is refused now, not mid-simulation.
	if _, err := e.eval(make([]float64, e.dim)); err != nil {
		return nil, fmt.Errorf("potential expression %q: %v; write a numeric expression", src, err)
	}
	return e, nil
}

// coordinates finds the coordinate names the expression uses.
func coordinates(src string, root ast.Node, dim int) ([]string, error) {
	idx := map[int]bool{}
	plain := false
	ast.Find(root, func(n ast.Node) bool {
		id, ok := n.(*ast.IdentifierNode)
		if !ok {
			return false
		}
		switch m := coordName.FindStringSubmatch(id.Value); {
		case id.Value == "x":
			plain = true
		case m != nil:
			k, _ := strconv.Atoi(m[1])
			idx[k] = true
		}
		return false
	})
	if plain && len(idx) > 0 {
		return nil, fmt.Errorf("potential expression %q mixes x with x1, x2, …; write x for a 1-D potential, x1…xd otherwise", src)
	}
	if plain {
		if dim > 1 {
			return nil, fmt.Errorf("potential expression %q uses x, a 1-D coordinate, but the data have dimension %d; write it in x1…x%d", src, dim, dim)
		}
		return []string{"x"}, nil
	}
	d := dim
	for k := range idx {
		d = max(d, k)
	}
	if d == 0 {
		return nil, fmt.Errorf("potential expression %q uses no coordinate; write V in x (1-D) or x1, x2, …", src)
	}
	if dim > 0 && d > dim {
		return nil, fmt.Errorf("potential expression %q uses x%d but the data have dimension %d", src, d, dim)
	}
	names := make([]string, d)
	for i := range names {
		names[i] = "x" + strconv.Itoa(i+1)
	}
	return names, nil
}

func syntaxError(src string, err error) error {
	var fe *file.Error
	if errors.As(err, &fe) {
		col := fe.Column + 1
		if fe.Line > 1 {
			// Report a position in the whole text for multi-line input.
			lines := strings.SplitN(src, "\n", fe.Line)
			for _, l := range lines[:fe.Line-1] {
				col += len([]rune(l)) + 1
			}
		}
		return &SyntaxError{Expr: src, Column: col, Message: fe.Message}
	}
	return fmt.Errorf("potential expression %q: %w", src, err)
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return math.NaN()
}

// String is the expression as given.
func (e *Expr) String() string { return e.src }

// Dim is the number of coordinates.
func (e *Expr) Dim() int { return e.dim }

// Variables lists the coordinate names in order.
func (e *Expr) Variables() []string { return append([]string(nil), e.names...) }

func (e *Expr) eval(x []float64) (float64, error) {
	ev := e.pool.Get().(*evaluator)
	defer e.pool.Put(ev)
	for i, n := range e.names {
		ev.env[n] = x[i]
	}
	out, err := ev.vm.Run(e.prog, ev.env)
	if err != nil {
		return math.NaN(), err
	}
	return toFloat(out), nil
}

// Value returns V(x); an evaluation error (impossible once Parse has
// accepted the expression, short of a runtime panic in expr) gives NaN,
// which the Langevin integrator and the Gibbs density report as an error.
func (e *Expr) Value(x []float64) float64 {
	v, err := e.eval(x)
	if err != nil {
		return math.NaN()
	}
	return v
}

// Grad writes ∇V(x) by central differences with a step scaled to each
// coordinate, h = ε^(1/3)·max(1, |x_i|) with ε the float64 epsilon: the
// step that balances the O(h²) truncation error against the O(ε/h)
// rounding error, leaving relative errors near ε^(2/3) ≈ 4e−11 for smooth
// V — far below the noise of any Langevin step. The expression is
// arbitrary text, so no symbolic derivative is available in general; the
// 2d evaluations a gradient costs are cheap next to a compiled program's
// own (sub-microsecond) evaluation.
func (e *Expr) Grad(x, grad []float64) {
	const cbrtEps = 6.055454452393343e-06 // (2^−52)^(1/3)
	y := make([]float64, len(x))
	copy(y, x)
	for i := range x {
		h := cbrtEps * math.Max(1, math.Abs(x[i]))
		// Make x ± h exact in floating point so the divisor is the true step.
		up, dn := x[i]+h, x[i]-h
		y[i] = up
		fu := e.Value(y)
		y[i] = dn
		fd := e.Value(y)
		y[i] = x[i]
		grad[i] = (fu - fd) / (up - dn)
	}
}
