package modelio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// The unpickler below is a small restricted one rather than gopickle's
// (github.com/nlpodyssey/gopickle, in the module graph through npyio)
// because a model file comes from strangers: gopickle's Unpickler makes a
// buffer of whatever length an opcode claims before reading it (2⁶³ bytes
// for a damaged BINUNICODE8 or FRAME), resolves collections, builtins,
// array and copy_reg classes itself before a FindClass hook can refuse
// them, and its pytorch package allocates storages of the size the pickle
// claims and panics on legacy archives. Guarding against that means
// decoding every opcode anyway; decoding only the ~40 that torch.save
// emits, into plain Go values, is less code than the guard.

// pyGlobal is a class or function named by GLOBAL; only the allowed ones
// are ever built (see allowedGlobal).
type pyGlobal struct{ module, name string }

func (g pyGlobal) String() string { return g.module + "." + g.name }

type pyTuple []any

type pyList struct{ items []any }

// pyDict is a dict or OrderedDict: insertion order kept, keys restricted
// to hashable scalars.
type pyDict struct {
	keys  []any
	vals  []any
	index map[any]int
}

func newDict() *pyDict { return &pyDict{index: map[any]int{}} }

func (d *pyDict) set(k, v any) error {
	switch k.(type) {
	case string, int64, bool, nil, float64:
	default:
		return errorf("pickle: dict key of type %s is not supported", typeName(k))
	}
	if i, ok := d.index[k]; ok {
		d.vals[i] = v
		return nil
	}
	d.index[k] = len(d.keys)
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
	return nil
}

// storageRef is a tensor storage named by a persistent id.
type storageRef struct {
	data []float32
}

// storageLoader returns the storage of the given class and key holding
// numel values, reading it from the archive (each key once).
type storageLoader func(class pyGlobal, key string, numel int) (*storageRef, error)

var storageSizes = map[string]int{
	"FloatStorage": 4, "DoubleStorage": 8, "HalfStorage": 2, "BFloat16Storage": 2,
}

// allowedGlobal reports whether GLOBAL may name module.name: the classes
// and functions a state_dict of float tensors is made of.
func allowedGlobal(g pyGlobal) bool {
	switch g.String() {
	case "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter":
		return true
	}
	return g.module == "torch" && storageSizes[g.name] > 0
}

type unpickler struct {
	b     []byte
	pos   int
	stack []any
	marks [][]any
	memo  map[uint32]any
	load  storageLoader
	// budget is how many more tensor values may be built: views of one
	// storage are copied, so without it a few bytes of pickle repeating
	// a view could ask for unbounded memory.
	budget int
}

// unpickle decodes a pickle held whole in b; it never reads past b, so
// every length in the stream is checked against the bytes left. Tensors
// built may hold budget values in all.
func unpickle(b []byte, load storageLoader, budget int) (any, error) {
	u := &unpickler{b: b, memo: map[uint32]any{}, load: load, budget: budget}
	for {
		if u.pos >= len(u.b) {
			return nil, errorf("pickle: data end before the STOP opcode; the file is truncated")
		}
		op := u.b[u.pos]
		u.pos++
		done, err := u.step(op)
		if err != nil {
			return nil, err
		}
		if done {
			if len(u.stack) != 1 || len(u.marks) != 0 {
				return nil, errorf("pickle: STOP with %d values on the stack; the file is damaged", len(u.stack))
			}
			return u.stack[0], nil
		}
	}
}

func (u *unpickler) next(n int) ([]byte, error) {
	if n < 0 || n > len(u.b)-u.pos {
		return nil, errorf("pickle: an opcode at byte %d needs %d bytes but %d are left; the file is truncated or damaged", u.pos, n, len(u.b)-u.pos)
	}
	s := u.b[u.pos : u.pos+n]
	u.pos += n
	return s, nil
}

func (u *unpickler) uint(n int) (uint64, error) {
	s, err := u.next(n)
	if err != nil {
		return 0, err
	}
	var v uint64
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v, nil
}

func (u *unpickler) line() (string, error) {
	i := bytes.IndexByte(u.b[u.pos:], '\n')
	if i < 0 {
		return "", errorf("pickle: unterminated text argument at byte %d", u.pos)
	}
	s := string(u.b[u.pos : u.pos+i])
	u.pos += i + 1
	return s, nil
}

func (u *unpickler) push(v any) { u.stack = append(u.stack, v) }

func (u *unpickler) pop() (any, error) {
	if len(u.stack) == 0 {
		return nil, errorf("pickle: stack underflow at byte %d; the file is damaged", u.pos)
	}
	v := u.stack[len(u.stack)-1]
	u.stack = u.stack[:len(u.stack)-1]
	return v, nil
}

func (u *unpickler) top() (any, error) {
	if len(u.stack) == 0 {
		return nil, errorf("pickle: stack underflow at byte %d; the file is damaged", u.pos)
	}
	return u.stack[len(u.stack)-1], nil
}

// popMark returns the values pushed since the last MARK and restores the
// stack below it.
func (u *unpickler) popMark() ([]any, error) {
	if len(u.marks) == 0 {
		return nil, errorf("pickle: no MARK before byte %d; the file is damaged", u.pos)
	}
	items := u.stack
	u.stack = u.marks[len(u.marks)-1]
	u.marks = u.marks[:len(u.marks)-1]
	return items, nil
}

func (u *unpickler) str(n int) error {
	s, err := u.next(n)
	if err != nil {
		return err
	}
	u.push(string(s))
	return nil
}

func (u *unpickler) memoize(k uint64) error {
	v, err := u.top()
	if err != nil {
		return err
	}
	u.memo[uint32(k)] = v
	return nil
}

func (u *unpickler) get(k uint64) error {
	v, ok := u.memo[uint32(k)]
	if !ok {
		return errorf("pickle: memo entry %d read before it was written; the file is damaged", k)
	}
	u.push(v)
	return nil
}

func (u *unpickler) tuple(n int) error {
	if len(u.stack) < n {
		return errorf("pickle: stack underflow at byte %d; the file is damaged", u.pos)
	}
	t := append(pyTuple(nil), u.stack[len(u.stack)-n:]...)
	u.stack = u.stack[:len(u.stack)-n]
	u.push(t)
	return nil
}

func (u *unpickler) setItems(d any, kv []any) error {
	dict, ok := d.(*pyDict)
	if !ok {
		return errorf("pickle: SETITEM on a %s; the file is damaged", typeName(d))
	}
	if len(kv)%2 != 0 {
		return errorf("pickle: odd number of values for SETITEMS; the file is damaged")
	}
	for i := 0; i < len(kv); i += 2 {
		if err := dict.set(kv[i], kv[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func (u *unpickler) appendItems(l any, items []any) error {
	list, ok := l.(*pyList)
	if !ok {
		return errorf("pickle: APPEND to a %s; the file is damaged", typeName(l))
	}
	list.items = append(list.items, items...)
	return nil
}

// step runs one opcode; done is true at STOP.
func (u *unpickler) step(op byte) (done bool, err error) {
	switch op {
	case 0x80: // PROTO
		_, err = u.next(1)
	case 0x95: // FRAME: a hint only; its bytes follow inline
		var n uint64
		if n, err = u.uint(8); err == nil && n > uint64(len(u.b)-u.pos) {
			err = errorf("pickle: frame of %d bytes but %d are left; the file is truncated", n, len(u.b)-u.pos)
		}
	case '.': // STOP
		return true, nil
	case '(': // MARK
		u.marks = append(u.marks, u.stack)
		u.stack = nil
	case '0': // POP
		_, err = u.pop()
	case '1': // POP_MARK
		_, err = u.popMark()
	case '2': // DUP
		var v any
		if v, err = u.top(); err == nil {
			u.push(v)
		}
	case 'c': // GLOBAL
		var mod, name string
		if mod, err = u.line(); err != nil {
			return false, err
		}
		if name, err = u.line(); err != nil {
			return false, err
		}
		err = u.global(mod, name)
	case 0x93: // STACK_GLOBAL
		var name, mod any
		if name, err = u.pop(); err != nil {
			return false, err
		}
		if mod, err = u.pop(); err != nil {
			return false, err
		}
		ms, ok1 := mod.(string)
		ns, ok2 := name.(string)
		if !ok1 || !ok2 {
			return false, errorf("pickle: STACK_GLOBAL needs two strings; the file is damaged")
		}
		err = u.global(ms, ns)
	case ')': // EMPTY_TUPLE
		u.push(pyTuple{})
	case 't': // TUPLE
		var items []any
		if items, err = u.popMark(); err == nil {
			u.push(pyTuple(items))
		}
	case 0x85, 0x86, 0x87: // TUPLE1..3
		err = u.tuple(int(op-0x85) + 1)
	case ']': // EMPTY_LIST
		u.push(&pyList{})
	case 'l': // LIST
		var items []any
		if items, err = u.popMark(); err == nil {
			u.push(&pyList{items: items})
		}
	case 'a': // APPEND
		var v, l any
		if v, err = u.pop(); err != nil {
			return false, err
		}
		if l, err = u.top(); err != nil {
			return false, err
		}
		err = u.appendItems(l, []any{v})
	case 'e': // APPENDS
		var items []any
		var l any
		if items, err = u.popMark(); err != nil {
			return false, err
		}
		if l, err = u.top(); err != nil {
			return false, err
		}
		err = u.appendItems(l, items)
	case '}': // EMPTY_DICT
		u.push(newDict())
	case 'd': // DICT
		var items []any
		if items, err = u.popMark(); err != nil {
			return false, err
		}
		d := newDict()
		if err = u.setItems(d, items); err == nil {
			u.push(d)
		}
	case 's': // SETITEM
		var k, v, d any
		if v, err = u.pop(); err != nil {
			return false, err
		}
		if k, err = u.pop(); err != nil {
			return false, err
		}
		if d, err = u.top(); err != nil {
			return false, err
		}
		err = u.setItems(d, []any{k, v})
	case 'u': // SETITEMS
		var items []any
		var d any
		if items, err = u.popMark(); err != nil {
			return false, err
		}
		if d, err = u.top(); err != nil {
			return false, err
		}
		err = u.setItems(d, items)
	case 'q': // BINPUT
		var k uint64
		if k, err = u.uint(1); err == nil {
			err = u.memoize(k)
		}
	case 'r': // LONG_BINPUT
		var k uint64
		if k, err = u.uint(4); err == nil {
			err = u.memoize(k)
		}
	case 0x94: // MEMOIZE
		err = u.memoize(uint64(len(u.memo)))
	case 'h': // BINGET
		var k uint64
		if k, err = u.uint(1); err == nil {
			err = u.get(k)
		}
	case 'j': // LONG_BINGET
		var k uint64
		if k, err = u.uint(4); err == nil {
			err = u.get(k)
		}
	case 'K': // BININT1
		var v uint64
		if v, err = u.uint(1); err == nil {
			u.push(int64(v))
		}
	case 'M': // BININT2
		var v uint64
		if v, err = u.uint(2); err == nil {
			u.push(int64(v))
		}
	case 'J': // BININT
		var v uint64
		if v, err = u.uint(4); err == nil {
			u.push(int64(int32(uint32(v))))
		}
	case 0x8a: // LONG1
		var n uint64
		if n, err = u.uint(1); err != nil {
			return false, err
		}
		if n > 8 {
			return false, errorf("pickle: integer of %d bytes is too large for a model file", n)
		}
		var v uint64
		if v, err = u.uint(int(n)); err == nil {
			if n > 0 && n < 8 && v&(1<<(8*n-1)) != 0 {
				v |= ^uint64(0) << (8 * n) // sign-extend
			}
			u.push(int64(v))
		}
	case 'N': // NONE
		u.push(nil)
	case 0x88: // NEWTRUE
		u.push(true)
	case 0x89: // NEWFALSE
		u.push(false)
	case 'G': // BINFLOAT (big-endian)
		var s []byte
		if s, err = u.next(8); err == nil {
			u.push(math.Float64frombits(binary.BigEndian.Uint64(s)))
		}
	case 0x8c: // SHORT_BINUNICODE
		var n uint64
		if n, err = u.uint(1); err == nil {
			err = u.str(int(n))
		}
	case 'X': // BINUNICODE
		var n uint64
		if n, err = u.uint(4); err == nil {
			err = u.str(int(n))
		}
	case 0x8d: // BINUNICODE8
		var n uint64
		if n, err = u.uint(8); err == nil {
			if n > uint64(len(u.b)) {
				return false, errorf("pickle: string of %d bytes in a %d-byte pickle; the file is damaged", n, len(u.b))
			}
			err = u.str(int(n))
		}
	case 'Q': // BINPERSID
		var id any
		if id, err = u.pop(); err == nil {
			var v any
			if v, err = u.persistent(id); err == nil {
				u.push(v)
			}
		}
	case 'R': // REDUCE
		var args, fn any
		if args, err = u.pop(); err != nil {
			return false, err
		}
		if fn, err = u.pop(); err != nil {
			return false, err
		}
		var v any
		if v, err = u.reduce(fn, args); err == nil {
			u.push(v)
		}
	case 'b': // BUILD
		var state, obj any
		if state, err = u.pop(); err != nil {
			return false, err
		}
		if obj, err = u.top(); err != nil {
			return false, err
		}
		err = build(obj, state)
	default:
		return false, errorf("pickle: opcode 0x%02x at byte %d is not used by torch.save for a state_dict; only state_dicts of float tensors are read", op, u.pos-1)
	}
	return false, err
}

func (u *unpickler) global(mod, name string) error {
	g := pyGlobal{mod, name}
	if !allowedGlobal(g) {
		if mod == "__main__" || strings.Contains(name, "Score") {
			return errorf("the file holds a pickled %s object, not a state_dict; save it with torch.save(model.state_dict(), PATH)", g)
		}
		return errorf("the file refers to %s, which a state_dict of float tensors does not use; save torch.save(model.state_dict(), PATH) with float32 weights", g)
	}
	u.push(g)
	return nil
}

// persistent resolves ('storage', class, key, location, numel).
func (u *unpickler) persistent(id any) (any, error) {
	t, ok := id.(pyTuple)
	if !ok || len(t) < 5 || t[0] != "storage" {
		return nil, errorf("pickle: persistent id %v is not a tensor storage; the file is damaged", describe(id))
	}
	class, ok1 := t[1].(pyGlobal)
	key, ok2 := t[2].(string)
	n, ok3 := t[4].(int64)
	if !ok1 || !ok2 || !ok3 || storageSizes[class.name] == 0 || n < 0 || n > maxParams {
		return nil, errorf("pickle: storage reference %v is malformed; the file is damaged", describe(id))
	}
	if u.load == nil {
		return nil, errorf("pickle: tensor storage %q outside an archive", key)
	}
	return u.load(class, key, int(n))
}

func (u *unpickler) reduce(fn, args any) (any, error) {
	g, ok := fn.(pyGlobal)
	a, ok2 := args.(pyTuple)
	if !ok || !ok2 {
		return nil, errorf("pickle: REDUCE of a %s with %s; the file is damaged", typeName(fn), typeName(args))
	}
	switch g.String() {
	case "collections.OrderedDict":
		if len(a) != 0 {
			return nil, errorf("pickle: OrderedDict built with arguments; the file is damaged")
		}
		return newDict(), nil
	case "torch._utils._rebuild_tensor_v2":
		t, err := rebuildTensor(a, u.budget)
		if err == nil {
			u.budget -= len(t.Data)
		}
		return t, err
	case "torch._utils._rebuild_parameter":
		if len(a) < 1 {
			return nil, errorf("pickle: _rebuild_parameter without data")
		}
		if t, ok := a[0].(*Tensor); ok {
			return t, nil
		}
		return nil, errorf("pickle: _rebuild_parameter of a %s", typeName(a[0]))
	}
	return nil, errorf("pickle: %s cannot be called; the file is damaged", g)
}

// build applies BUILD: an OrderedDict's state (state_dict's _metadata) is
// ignored; nothing else takes a state.
func build(obj, state any) error {
	if _, ok := obj.(*pyDict); ok {
		return nil
	}
	if _, ok := obj.(*Tensor); ok && state == nil {
		return nil
	}
	return errorf("pickle: BUILD on a %s; only state_dicts of tensors are read", typeName(obj))
}

// rebuildTensor is torch._utils._rebuild_tensor_v2(storage, offset, size,
// stride, requires_grad, hooks[, metadata]): a strided view of a storage,
// copied out in row-major order.
func rebuildTensor(a pyTuple, budget int) (*Tensor, error) {
	if len(a) < 4 {
		return nil, errorf("pickle: tensor with %d arguments; the file is damaged", len(a))
	}
	st, ok := a[0].(*storageRef)
	off, ok2 := a[1].(int64)
	size, ok3 := a[2].(pyTuple)
	stride, ok4 := a[3].(pyTuple)
	if !ok || !ok2 || !ok3 || !ok4 || len(size) != len(stride) || len(size) > 8 || off < 0 || off > maxParams {
		return nil, errorf("pickle: malformed tensor (storage, offset, size, stride); the file is damaged")
	}
	shape := make([]int, len(size))
	strides := make([]int64, len(size))
	last := off // largest index touched
	for i := range size {
		s, ok1 := size[i].(int64)
		d, ok2 := stride[i].(int64)
		if !ok1 || !ok2 || s < 0 || s > maxParams || d < 0 || d > maxParams {
			return nil, errorf("pickle: tensor size %v or stride %v is malformed; the file is damaged", describe(size), describe(stride))
		}
		shape[i], strides[i] = int(s), d
		if s > 0 {
			last += (s - 1) * d // each term ≤ 2⁶⁰, and last stays ≤ 2³⁰ before it
		}
		if last > maxParams {
			break
		}
	}
	n := numel(shape)
	if n < 0 || last > maxParams || (n > 0 && last >= int64(len(st.data))) || n > len(st.data) {
		return nil, errorf("pickle: tensor of shape %v at offset %d does not fit its storage of %d values; the file is damaged", shape, off, len(st.data))
	}
	if n > budget {
		return nil, errorf("pickle: the tensors copy more values than their storages hold several times over; the file is damaged")
	}
	data := make([]float32, n)
	idx := make([]int, len(shape))
	for k := range n {
		p := off
		for i, j := range idx {
			p += int64(j) * strides[i]
		}
		data[k] = st.data[p]
		for i := len(idx) - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return &Tensor{Shape: shape, Data: data}, nil
}

func typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case string:
		return "str"
	case int64:
		return "int"
	case float64:
		return "float"
	case bool:
		return "bool"
	case pyTuple:
		return "tuple"
	case *pyList:
		return "list"
	case *pyDict:
		return "dict"
	case pyGlobal:
		return v.String()
	case *storageRef:
		return "storage"
	case *Tensor:
		return "tensor"
	}
	return fmt.Sprintf("%T", v)
}

// describe prints a short, bounded description of a pickled value for
// error messages.
func describe(v any) string {
	switch v := v.(type) {
	case pyTuple:
		parts := make([]string, 0, len(v))
		for i, x := range v {
			if i == 6 {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, describe(x))
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case string:
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return fmt.Sprintf("%q", v)
	case int64, float64, bool:
		return fmt.Sprint(v)
	}
	return typeName(v)
}
