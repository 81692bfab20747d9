//! The book's saved parameters, `pickle.dump(params, f, -1)` in `ch04/train.py` and
//! `pickle.load(f)` in `ch04/eval.py`: a dict of `word_vecs` (a float16 `(V, H)` numpy array),
//! `word_to_id` and `id_to_word`. Only what such a file holds is read or written: Python's
//! pickle protocols 2 to 5 and numpy's ways of pickling an array in them. Reading never runs
//! code, and costs time and memory within a small multiple of the file's size.

use crate::page::lang::pick;
use half::f16;
use ndarray::Array2;
use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

/// The largest params file read (1 GiB): the book's is 2 MB, and a million words of 300
/// float16 values would be 600 MB.
pub const MAX_BYTES: u64 = 1 << 30;

/// What `ch04/train.py` saves and `ch04/eval.py` loads.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// `(V, H)`, float16 as the book saves it (`word_vecs.astype(np.float16)`)
    pub word_vecs: Array2<f16>,
    pub word_to_id: HashMap<String, usize>,
    /// the book's `id_to_word` dict, indexed by id
    pub id_to_word: Vec<String>,
}

/// `pickle.dumps(params)` in protocol 3, the array as numpy 1.x and 2.x both pickle it
/// (`numpy.core.multiarray._reconstruct`, which numpy 2 still loads without a warning), so
/// that the book's `eval.py` loads it with any numpy.
pub fn dumps(params: &Params) -> Vec<u8> {
    let mut p = Writer(vec![0x80, 3]);
    p.op(b'}');
    p.op(b'(');
    p.str("word_vecs");
    p.global("numpy.core.multiarray", "_reconstruct");
    p.global("numpy", "ndarray");
    p.int(0);
    p.op(0x85); // TUPLE1
    p.op(b'C'); // SHORT_BINBYTES b'b'
    p.0.extend([1, b'b']);
    p.op(0x87); // TUPLE3
    p.op(b'R');
    p.op(b'(');
    p.int(1);
    let (rows, cols) = params.word_vecs.dim();
    p.int(rows as i64);
    p.int(cols as i64);
    p.op(0x86); // TUPLE2
    p.global("numpy", "dtype");
    p.str("f2");
    p.op(0x89); // NEWFALSE
    p.op(0x88); // NEWTRUE
    p.op(0x87);
    p.op(b'R');
    p.op(b'(');
    p.int(3);
    p.str("<");
    p.0.extend(b"NNN");
    p.int(-1);
    p.int(-1);
    p.int(0);
    p.op(b't');
    p.op(b'b');
    p.op(0x89); // not Fortran order
    let data: Vec<u8> = params.word_vecs.iter().flat_map(|x| x.to_le_bytes()).collect();
    p.op(b'B');
    p.0.extend((data.len() as u32).to_le_bytes());
    p.0.extend(data);
    p.op(b't');
    p.op(b'b');

    p.str("word_to_id");
    p.op(b'}');
    p.op(b'(');
    for (id, word) in params.id_to_word.iter().enumerate() {
        p.str(word);
        p.int(params.word_to_id[word] as i64);
        debug_assert_eq!(params.word_to_id[word], id);
    }
    p.op(b'u');
    p.str("id_to_word");
    p.op(b'}');
    p.op(b'(');
    for (id, word) in params.id_to_word.iter().enumerate() {
        p.int(id as i64);
        p.str(word);
    }
    p.op(b'u');
    p.op(b'u');
    p.op(b'.');
    p.0
}

struct Writer(Vec<u8>);

impl Writer {
    fn op(&mut self, op: u8) {
        self.0.push(op);
    }

    /// BINUNICODE
    fn str(&mut self, s: &str) {
        self.0.push(b'X');
        self.0.extend((s.len() as u32).to_le_bytes());
        self.0.extend(s.as_bytes());
    }

    /// BININT, a signed 32-bit int
    fn int(&mut self, n: i64) {
        let n = i32::try_from(n).expect("pickle: ids and sizes fit in 32 bits");
        self.0.push(b'J');
        self.0.extend(n.to_le_bytes());
    }

    /// GLOBAL `module.name`
    fn global(&mut self, module: &str, name: &str) {
        self.0.push(b'c');
        self.0.extend(format!("{module}\n{name}\n").as_bytes());
    }
}

/// A Python object as far as a params pickle needs one. Objects are shared, not copied: a
/// memo reference (`BINGET`) costs one pointer, whatever it names, so that no pickle costs
/// more than a small multiple of its size to read.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Tuple(Rc<[Value]>),
    List(Rc<Vec<Value>>),
    Dict(Rc<Vec<(Value, Value)>>),
    /// `module.name`, boxed so that every value takes two words
    Global(Rc<(Rc<str>, Rc<str>)>),
    /// `callable(*args)` (REDUCE), not called
    Call(Rc<(Value, Value)>),
    /// `obj.__setstate__(state)` (BUILD), not called
    Build(Rc<(Value, Value)>),
}

/// How deep objects may nest: a params file nests 5 deep (the dict, the array's state, its
/// dtype's call, its arguments). Deeper values are refused rather than built, so that no
/// recursion over them (dropping one, say) can overflow the stack.
const MAX_DEPTH: usize = 100;

/// Appending to a list or dict that the memo also holds copies it (copy on write, where Python
/// would share the one object); the elements so copied, over a whole file, may be at most this
/// many times the file's bytes, plus [`COPY_ALLOWANCE`].
const COPY_PER_BYTE: usize = 4;
const COPY_ALLOWANCE: usize = 1 << 20;

/// `pickle.loads(data)` for a params dict.
///
/// # Errors
/// One line saying what is not as the book's `pickle.dump(params, f, -1)` writes it.
pub fn loads(data: &[u8]) -> Result<Params, String> {
    let Value::Dict(items) = unpickle(data)? else {
        return Err(pick("it does not hold a dict", "dict ではありません").into());
    };
    // each part taken out of the dict, and dropped once converted: a million words cost
    // their values once at a time
    let mut items = Rc::try_unwrap(items).unwrap_or_else(|shared| (*shared).clone());
    let mut take = |key: &str| {
        let at = items.iter().position(|(k, _)| matches!(k, Value::Str(k) if &**k == key));
        at.map(|at| items.swap_remove(at).1).ok_or_else(|| {
            pick(format!("its dict has no '{key}'"), format!("dict に '{key}' がありません"))
        })
    };
    let word_vecs = array_f16(&take("word_vecs")?)?;
    let Value::Dict(pairs) = take("id_to_word")? else {
        return Err(
            pick("'id_to_word' is not a dict", "'id_to_word' が dict ではありません").into()
        );
    };
    let mut id_to_word = vec![None; pairs.len()];
    for (id, word) in pairs.iter() {
        let id = int_of(id).ok_or_else(|| {
            pick(
                format!("'id_to_word' has a key that is {}, not an id", kind(id).0),
                format!("'id_to_word' のキーに{}があります (id ではなく)", kind(id).1),
            )
        })?;
        match (usize::try_from(id), word) {
            (Ok(id), Value::Str(word)) if id < id_to_word.len() => {
                id_to_word[id] = Some(word.to_string())
            }
            _ => return Err(not_ids()),
        }
    }
    drop(pairs);
    let id_to_word: Vec<String> =
        id_to_word.into_iter().collect::<Option<_>>().ok_or_else(not_ids)?;
    let Value::Dict(pairs) = take("word_to_id")? else {
        return Err(
            pick("'word_to_id' is not a dict", "'word_to_id' が dict ではありません").into()
        );
    };
    let mut word_to_id = HashMap::with_capacity(pairs.len());
    for (word, id) in pairs.iter() {
        let id = int_of(id).ok_or_else(|| {
            pick(
                format!("'word_to_id' has a value that is {}, not an id", kind(id).0),
                format!("'word_to_id' の値に{}があります (id ではなく)", kind(id).1),
            )
        })?;
        match (word, usize::try_from(id)) {
            (Value::Str(word), Ok(id))
                if id_to_word.get(id).map(String::as_str) == Some(&**word) =>
            {
                word_to_id.insert(word.to_string(), id);
            }
            _ => {
                return Err(pick(
                    "'word_to_id' does not agree with 'id_to_word'",
                    "'word_to_id' と 'id_to_word' が合いません",
                )
                .into())
            }
        }
    }
    drop(pairs);
    if word_to_id.len() != id_to_word.len() {
        return Err(pick(
            format!(
                "'word_to_id' has {} words but 'id_to_word' {}",
                word_to_id.len(),
                id_to_word.len()
            ),
            format!(
                "'word_to_id' は {} 語、'id_to_word' は {} 語です",
                word_to_id.len(),
                id_to_word.len()
            ),
        ));
    }
    if word_vecs.nrows() != id_to_word.len() {
        return Err(pick(
            format!("'word_vecs' has {} rows for {} words", word_vecs.nrows(), id_to_word.len()),
            format!(
                "'word_vecs' の {} 行に対し、単語は {} 語です",
                word_vecs.nrows(),
                id_to_word.len()
            ),
        ));
    }
    Ok(Params { word_vecs, word_to_id, id_to_word })
}

/// A 2-D float16 numpy array, pickled either way numpy does it: `_reconstruct` then
/// `__setstate__`, or (protocol 5) `_frombuffer(buffer, dtype, shape, order)`. Another dtype
/// is refused: `eval.py` would compute in it, not in the float16 the book saves.
fn array_f16(value: &Value) -> Result<Array2<f16>, String> {
    let bad = || {
        pick(
            "'word_vecs' is not a 2-D float16 numpy array",
            "'word_vecs' が 2次元の float16 の numpy 配列ではありません",
        )
        .to_string()
    };
    let (dtype, shape, fortran, data) = match value {
        Value::Build(built) => {
            let (Value::Call(call), Value::Tuple(s)) = &**built else {
                return Err(bad());
            };
            if !matches!(&call.0, Value::Global(g) if (&*g.0 == "numpy.core.multiarray" || &*g.0 == "numpy._core.multiarray") && &*g.1 == "_reconstruct")
            {
                return Err(bad());
            }
            match &**s {
                [_, shape, dtype, Value::Bool(fortran), data] => {
                    (dtype, shape, *fortran, bytes_of(data).ok_or_else(bad)?)
                }
                _ => return Err(bad()),
            }
        }
        Value::Call(call) => {
            if !matches!(&call.0, Value::Global(g) if g.0.ends_with("core.numeric") && &*g.1 == "_frombuffer")
            {
                return Err(bad());
            }
            match &call.1 {
                Value::Tuple(a) => match &**a {
                    [data, dtype, shape, Value::Str(order)] => {
                        (dtype, shape, &**order == "F", bytes_of(data).ok_or_else(bad)?)
                    }
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            }
        }
        _ => return Err(bad()),
    };
    let Value::Tuple(shape) = shape else {
        return Err(bad());
    };
    let [Value::Int(rows), Value::Int(cols)] = &**shape else {
        return Err(bad());
    };
    let (Ok(rows), Ok(cols)) = (usize::try_from(*rows), usize::try_from(*cols)) else {
        return Err(bad());
    };
    let bytes = rows.checked_mul(cols).and_then(|n| n.checked_mul(2));
    let values: Vec<f16> = match dtype_of(dtype).ok_or_else(bad)? {
        (code, big_endian) if code == "f2" && bytes == Some(data.len()) => data
            .chunks_exact(2)
            .map(|b| match big_endian {
                true => f16::from_be_bytes([b[0], b[1]]),
                false => f16::from_le_bytes([b[0], b[1]]),
            })
            .collect(),
        (code, _) if code != "f2" => {
            return Err(pick(
                format!("'word_vecs' is dtype '{code}', not the float16 ('f2') the book saves"),
                format!(
                    "'word_vecs' は dtype '{code}' で、本が保存する float16 ('f2') ではありません"
                ),
            ))
        }
        _ => return Err(bad()),
    };
    let array = if fortran {
        Array2::from_shape_vec((cols, rows), values)
            .map(|a| a.reversed_axes().as_standard_layout().to_owned())
    } else {
        Array2::from_shape_vec((rows, cols), values)
    };
    array.map_err(|_| bad())
}

/// A numpy dtype as pickled (`dtype(code, False, True)` with its state): its code (`f2`,
/// `i8`, ...), and whether its bytes are big-endian (`>`; `<`, `|` and `=` are little-endian on
/// the machines numpy pickles on).
fn dtype_of(value: &Value) -> Option<(&str, bool)> {
    let Value::Build(built) = value else { return None };
    let (Value::Call(call), Value::Tuple(state)) = &**built else { return None };
    let (Value::Global(global), Value::Tuple(args)) = &**call else { return None };
    if &*global.1 != "dtype" {
        return None;
    }
    match (args.first(), state.get(1)) {
        (Some(Value::Str(code)), Some(Value::Str(order))) => Some((code, &**order == ">")),
        _ => None,
    }
}

/// An int: Python's, or a numpy integer scalar (`np.int64(5)`, pickled as
/// `numpy.core.multiarray.scalar(dtype('int64'), b'...')`), as ids built with numpy are.
fn int_of(value: &Value) -> Option<i64> {
    let Value::Call(call) = value else {
        return match value {
            Value::Int(n) => Some(*n),
            _ => None,
        };
    };
    let (Value::Global(global), Value::Tuple(args)) = &**call else { return None };
    if !(global.0.ends_with("core.multiarray") && &*global.1 == "scalar") {
        return None;
    }
    let [dtype, data] = &**args else { return None };
    let (code, big_endian) = dtype_of(dtype)?;
    let mut bytes = bytes_of(data)?.into_owned();
    let signed = match code.as_bytes() {
        [b'i', size] | [b'u', size] if (*size - b'0') as usize == bytes.len() => {
            code.starts_with('i')
        }
        _ => return None,
    };
    if big_endian {
        bytes.reverse();
    }
    let top = *bytes.last()?;
    let fill = if signed && top & 0x80 != 0 { 0xff } else { 0 };
    bytes.resize(8, fill);
    let n = i64::from_le_bytes(bytes.try_into().ok()?);
    // an unsigned value past i64 cannot be an id
    (signed || n >= 0).then_some(n)
}

/// What a value is, in Python's words, for a message: in English and in Japanese.
fn kind(value: &Value) -> (&'static str, &'static str) {
    match value {
        Value::None => ("None", " None "),
        Value::Bool(_) => ("a bool", " bool "),
        Value::Int(_) => ("an int", " int "),
        Value::Float(_) => ("a float", " float "),
        Value::Str(_) => ("a string", "文字列"),
        Value::Bytes(_) => ("bytes", " bytes "),
        Value::Tuple(_) => ("a tuple", " tuple "),
        Value::List(_) => ("a list", " list "),
        Value::Dict(_) => ("a dict", " dict "),
        Value::Global(_) => ("a class or function", "クラスか関数"),
        Value::Call(_) | Value::Build(_) => ("an object of another type", "ほかの型のオブジェクト"),
    }
}

/// The message of an `id_to_word` that is not the ids 0..V.
fn not_ids() -> String {
    pick(
        "'id_to_word' is not ids 0..V to words",
        "'id_to_word' が 0..V の id から単語への dict ではありません",
    )
    .to_string()
}

/// The bytes of a bytes object, or of protocol 2's `_codecs.encode(text, 'latin1')`, by which
/// Python 3 pickles bytes for Python 2 (each character one byte).
fn bytes_of(value: &Value) -> Option<Cow<'_, [u8]>> {
    match value {
        Value::Bytes(bytes) => Some(Cow::Borrowed(bytes)),
        Value::Call(call) => match &**call {
            (Value::Global(g), Value::Tuple(args)) if &*g.0 == "_codecs" && &*g.1 == "encode" => {
                match &**args {
                    [Value::Str(text), Value::Str(encoding)] if &**encoding == "latin1" => text
                        .chars()
                        .map(|c| u8::try_from(c).ok())
                        .collect::<Option<_>>()
                        .map(Cow::Owned),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// The pickle machine, for the opcodes of protocols 2 to 5 that dicts, strings, ints, bytes
/// and numpy arrays need. Each object on the stack or in the memo carries how deep it nests
/// (at most [`MAX_DEPTH`]); a list or dict is changed only on the stack's top, in place when
/// nothing else holds it and as a copy otherwise (bounded by [`COPY_PER_BYTE`]).
fn unpickle(data: &[u8]) -> Result<Value, String> {
    let mut stack: Vec<(Value, usize)> = Vec::new();
    let mut marks: Vec<usize> = Vec::new();
    let mut memo: HashMap<u32, (Value, usize)> = HashMap::new();
    // the memo's keys for each object made by a call, which BUILD then changes in place for
    // every holder (a dtype memoized before its byte order is set, then fetched for each scalar)
    let mut calls_in_memo: HashMap<*const (Value, Value), Vec<u32>> = HashMap::new();
    let mut copy_budget = COPY_PER_BYTE.saturating_mul(data.len()).saturating_add(COPY_ALLOWANCE);
    let mut at = 0;
    let truncated = || {
        pick(
            "it ends early: not a whole pickle",
            "途中で終わっています: pickle の全体ではありません",
        )
        .to_string()
    };
    let take = |n: usize, at: &mut usize| -> Result<&[u8], String> {
        let end = at.checked_add(n).ok_or_else(truncated)?;
        let bytes = data.get(*at..end).ok_or_else(truncated)?;
        *at = end;
        Ok(bytes)
    };
    let le = |b: &[u8]| b.iter().rev().fold(0u64, |n, &x| n << 8 | x as u64);
    let text = |b: &[u8]| {
        std::str::from_utf8(b)
            .map(Rc::from)
            .map_err(|_| pick("a string is not UTF-8", "文字列が UTF-8 ではありません").to_string())
    };
    // a container of `items`, one level deeper than the deepest of them
    let nest = |items: &[(Value, usize)]| -> Result<usize, String> {
        let depth = items.iter().map(|(_, depth)| depth + 1).max().unwrap_or(1);
        if depth > MAX_DEPTH {
            return Err(pick(
                format!("it nests deeper than {MAX_DEPTH} levels, as no params file does"),
                format!("入れ子が {MAX_DEPTH} 段より深く、params ファイルのものではありません"),
            ));
        }
        Ok(depth)
    };
    if data.first() != Some(&0x80) {
        return Err(pick(
            "it is not a pickle of protocol 2 to 5 (it does not start with PROTO)",
            "プロトコル 2 から 5 の pickle ではありません (PROTO で始まっていません)",
        )
        .into());
    }
    loop {
        let op = take(1, &mut at)?[0];
        let value = match op {
            0x80 => {
                let protocol = take(1, &mut at)?[0];
                if !(2..=5).contains(&protocol) {
                    return Err(pick(
                        format!("pickle protocol {protocol} is not one of 2 to 5"),
                        format!("pickle のプロトコル {protocol} は 2 から 5 のどれでもありません"),
                    ));
                }
                continue;
            }
            0x95 => {
                take(8, &mut at)?; // FRAME: its length only
                continue;
            }
            b'.' => return stack.pop().map(|(value, _)| value).ok_or_else(truncated),
            b'(' => {
                marks.push(stack.len());
                continue;
            }
            0x94 | b'q' | b'r' => {
                let key = match op {
                    0x94 => memo.len() as u32,
                    b'q' => le(take(1, &mut at)?) as u32,
                    _ => le(take(4, &mut at)?) as u32,
                };
                let top = stack.last().ok_or_else(truncated)?.clone();
                if let Value::Call(call) = &top.0 {
                    calls_in_memo.entry(Rc::as_ptr(call)).or_default().push(key);
                }
                memo.insert(key, top);
                continue;
            }
            b'h' | b'j' => {
                let n = if op == b'h' { 1 } else { 4 };
                let key = le(take(n, &mut at)?) as u32;
                stack.push(memo.get(&key).cloned().ok_or_else(|| {
                    pick("a memo reference to nothing", "memo が何も指していません").to_string()
                })?);
                continue;
            }
            b'}' => (Value::Dict(Rc::default()), 1),
            b']' => (Value::List(Rc::default()), 1),
            b')' => (Value::Tuple(Rc::from([])), 1),
            b'N' => (Value::None, 0),
            0x88 => (Value::Bool(true), 0),
            0x89 => (Value::Bool(false), 0),
            b'K' => (Value::Int(take(1, &mut at)?[0] as i64), 0),
            b'G' => (
                Value::Float(f64::from_be_bytes(take(8, &mut at)?.try_into().expect("8 bytes"))),
                0,
            ),
            b'M' => (Value::Int(le(take(2, &mut at)?) as i64), 0),
            b'J' => (Value::Int(le(take(4, &mut at)?) as u32 as i32 as i64), 0),
            0x8a => {
                let n = take(1, &mut at)?[0] as usize;
                let bytes = take(n, &mut at)?;
                if n > 8 {
                    return Err(
                        pick("an int wider than 64 bits", "64 ビットを超える整数です").into()
                    );
                }
                let mut value = le(bytes) as i64;
                if n > 0 && n < 8 && bytes[n - 1] & 0x80 != 0 {
                    value -= 1 << (8 * n);
                }
                (Value::Int(value), 0)
            }
            0x8c => {
                let n = take(1, &mut at)?[0] as usize;
                (Value::Str(text(take(n, &mut at)?)?), 0)
            }
            b'X' | 0x8d => {
                let n = le(take(if op == b'X' { 4 } else { 8 }, &mut at)?) as usize;
                (Value::Str(text(take(n, &mut at)?)?), 0)
            }
            b'C' => {
                let n = take(1, &mut at)?[0] as usize;
                (Value::Bytes(Rc::from(take(n, &mut at)?)), 0)
            }
            b'B' | 0x8e | 0x96 => {
                let n = le(take(if op == b'B' { 4 } else { 8 }, &mut at)?) as usize;
                (Value::Bytes(Rc::from(take(n, &mut at)?)), 0)
            }
            b'c' => {
                let rest = &data[at..];
                let mut lines = rest.splitn(3, |&b| b == b'\n');
                let (module, name) =
                    (lines.next().ok_or_else(truncated)?, lines.next().ok_or_else(truncated)?);
                at += module.len() + name.len() + 2;
                if at > data.len() {
                    return Err(truncated());
                }
                (Value::Global(Rc::new((text(module)?, text(name)?))), 0)
            }
            0x93 => {
                let name = stack.pop();
                let module = stack.pop();
                match (module, name) {
                    (Some((Value::Str(module), _)), Some((Value::Str(name), _))) => {
                        (Value::Global(Rc::new((module, name))), 0)
                    }
                    _ => {
                        return Err(pick(
                            "STACK_GLOBAL without two strings",
                            "文字列2つのない STACK_GLOBAL です",
                        )
                        .into())
                    }
                }
            }
            0x85..=0x87 | b't' => {
                let items = if op == b't' {
                    pop_mark(&mut stack, &mut marks)?
                } else {
                    let n = (op - 0x84) as usize;
                    if stack.len() < n {
                        return Err(truncated());
                    }
                    stack.split_off(stack.len() - n)
                };
                let depth = nest(&items)?;
                (Value::Tuple(items.into_iter().map(|(value, _)| value).collect()), depth)
            }
            b'R' | b'b' => {
                let arg = stack.pop().ok_or_else(truncated)?;
                let object = stack.pop().ok_or_else(truncated)?;
                let depth = nest(&[object.clone(), arg.clone()])?;
                let built = match &object.0 {
                    Value::Call(call) if op == b'b' => calls_in_memo.remove(&Rc::as_ptr(call)),
                    _ => None,
                };
                let object_was = object.0.clone();
                let pair = Rc::new((object.0, arg.0));
                let value = if op == b'R' { Value::Call(pair) } else { Value::Build(pair) };
                // `obj.__setstate__(state)` changes the object itself: so too what the memo holds
                for key in built.into_iter().flatten() {
                    if matches!(memo.get(&key), Some((Value::Call(held), _)) if matches!(&object_was, Value::Call(call) if Rc::ptr_eq(held, call)))
                    {
                        memo.insert(key, (value.clone(), depth));
                    }
                }
                (value, depth)
            }
            b's' | b'u' | b'a' | b'e' => {
                let items = match op {
                    b's' if stack.len() >= 3 => stack.split_off(stack.len() - 2),
                    b'a' if stack.len() >= 2 => stack.split_off(stack.len() - 1),
                    b'u' | b'e' => pop_mark(&mut stack, &mut marks)?,
                    _ => return Err(truncated()),
                };
                let depth = nest(&items)?;
                let Some((container, its_depth)) = stack.last_mut() else {
                    return Err(truncated());
                };
                *its_depth = (*its_depth).max(depth);
                let copied = match container {
                    Value::Dict(dict) if op == b's' || op == b'u' => {
                        let copied = if Rc::strong_count(dict) > 1 { dict.len() } else { 0 };
                        let dict = Rc::make_mut(dict);
                        let mut items = items.into_iter().map(|(value, _)| value);
                        while let (Some(k), Some(v)) = (items.next(), items.next()) {
                            dict.push((k, v));
                        }
                        copied
                    }
                    Value::List(list) if op == b'a' || op == b'e' => {
                        let copied = if Rc::strong_count(list) > 1 { list.len() } else { 0 };
                        Rc::make_mut(list).extend(items.into_iter().map(|(value, _)| value));
                        copied
                    }
                    _ if op == b's' || op == b'u' => {
                        return Err(pick(
                            "SETITEMS on something other than a dict",
                            "dict でないものへの SETITEMS です",
                        )
                        .into())
                    }
                    _ => {
                        return Err(pick(
                            "APPENDS on something other than a list",
                            "list でないものへの APPENDS です",
                        )
                        .into())
                    }
                };
                copy_budget = copy_budget
                    .checked_sub(copied)
                    .ok_or_else(|| {
                        pick(
                            "it copies more objects than its size allows: not a params file",
                            "大きさに見合わないほど多くのオブジェクトを複製します: params ファイルではありません",
                        )
                        .to_string()
                    })?;
                continue;
            }
            _ => {
                return Err(pick(
                    format!(
                        "pickle opcode 0x{op:02x} at byte {} is not one a params file uses",
                        at - 1
                    ),
                    format!(
                        "{} バイト目の pickle の命令 0x{op:02x} は params ファイルでは使いません",
                        at - 1
                    ),
                ))
            }
        };
        stack.push(value);
    }
}

fn pop_mark(
    stack: &mut Vec<(Value, usize)>,
    marks: &mut Vec<usize>,
) -> Result<Vec<(Value, usize)>, String> {
    let missing = || pick("a MARK is missing", "MARK がありません").to_string();
    let mark = marks.pop().ok_or_else(missing)?;
    if mark > stack.len() {
        return Err(missing());
    }
    Ok(stack.split_off(mark))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2_testing::golden_bytes;

    fn tiny() -> Params {
        let id_to_word: Vec<String> = ["you", "say", "goodbye"].map(String::from).to_vec();
        Params {
            word_vecs: Array2::from_shape_fn((3, 2), |(i, j)| {
                f16::from_f32(i as f32 - 0.25 * j as f32)
            }),
            word_to_id: id_to_word.iter().enumerate().map(|(i, w)| (w.clone(), i)).collect(),
            id_to_word,
        }
    }

    #[test]
    fn what_we_write_we_read() {
        let params = tiny();
        assert_eq!(loads(&dumps(&params)), Ok(params));
    }

    #[test]
    fn only_float16_vectors_are_taken() {
        let mut data = dumps(&tiny());
        // the dtype's code, BINUNICODE 'f2' -> 'f4': eval.py would compute in float32
        let at = data.windows(7).position(|w| w == b"X\x02\x00\x00\x00f2").unwrap();
        data[at + 6] = b'4';
        assert_eq!(
            loads(&data).unwrap_err(),
            "'word_vecs' is dtype 'f4', not the float16 ('f2') the book saves"
        );
    }

    #[test]
    fn broken_files_are_named_not_panicked_on() {
        let data = dumps(&tiny());
        for cut in [0, 1, 2, 10, data.len() / 2, data.len() - 1] {
            assert!(loads(&data[..cut]).is_err(), "cut at {cut}");
        }
        assert_eq!(loads(b"\x80\x04K\x01.").unwrap_err(), "it does not hold a dict");
        assert!(loads(b"not a pickle").unwrap_err().contains("does not start with PROTO"));
        assert!(loads(b"\x80\x04I1\n.").unwrap_err().contains("is not one a params file uses"));
        // a BINBYTES8 length near 2**64: an error, not an overflow
        let mut huge = b"\x80\x04\x8e".to_vec();
        huge.extend(u64::MAX.to_le_bytes());
        assert_eq!(loads(&huge).unwrap_err(), "it ends early: not a whole pickle");
    }

    /// Each level a tuple of two references to the level below, memoized: Python loads 40
    /// levels (2**40 leaves, 541 bytes) at once, and so must we, sharing what the memo names.
    #[test]
    fn a_memo_bomb_costs_its_size() {
        let mut bomb = b"\x80\x04K\x01\x94".to_vec();
        for level in 0..40u8 {
            bomb.extend([b'(', b'h', level, b'h', level, b't', 0x94]);
        }
        bomb.push(b'.');
        // a copying memo would build 2**40 leaves: all the memory and then an abort, not this
        assert_eq!(loads(&bomb).unwrap_err(), "it does not hold a dict");
    }

    /// A list memoized again before each append would be copied each time, n items n times.
    #[test]
    fn copies_are_bounded_by_the_files_size() {
        let n = 100_000;
        let mut bomb = b"\x80\x04](".to_vec();
        bomb.extend(b"K\x01".repeat(n));
        bomb.push(b'e');
        bomb.extend(b"\x94K\x01a".repeat(n));
        bomb.push(b'.');
        assert_eq!(
            loads(&bomb).unwrap_err(),
            "it copies more objects than its size allows: not a params file"
        );
    }

    /// 200,000 nested tuples would overflow the stack when dropped; they are refused as they
    /// are built.
    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut deep = b"\x80\x04)".to_vec();
        deep.extend(std::iter::repeat_n(0x85, 200_000));
        deep.push(b'.');
        assert_eq!(
            loads(&deep).unwrap_err(),
            "it nests deeper than 100 levels, as no params file does"
        );
        let mut lists = b"\x80\x04".to_vec();
        lists.extend(std::iter::repeat_n(b']', 200_000));
        lists.extend(std::iter::repeat_n(b'a', 199_999));
        lists.push(b'.');
        assert_eq!(
            loads(&lists).unwrap_err(),
            "it nests deeper than 100 levels, as no params file does"
        );
    }

    /// `pickle.dump(params, f, 2)` with numpy (chapters/golden/pickle_p2.py): the array's bytes
    /// as `_codecs.encode(text, 'latin1')`.
    #[test]
    fn protocol_2_as_numpy_writes_it() {
        let read = |name: &str| loads(&golden_bytes(&format!("chapters/golden/{name}"))).unwrap();
        assert_eq!(read("eval_params_p2.pkl"), read("eval_params_p4.pkl"));
        assert_eq!(
            loads(b"}.").unwrap_err(),
            "it is not a pickle of protocol 2 to 5 (it does not start with PROTO)"
        );
        assert_eq!(loads(b"\x80\x01}.").unwrap_err(), "pickle protocol 1 is not one of 2 to 5");
    }

    /// The params pickled otherwise by a reader's Python (chapters/golden/pickle_variants.py):
    /// float16 in big-endian bytes, and numpy integers for ids (in protocols 4 and 2), load as
    /// the same params; float ids are refused by their type.
    #[test]
    fn numpy_pickles_otherwise_as_the_same_params() {
        let read = |name: &str| loads(&golden_bytes(&format!("chapters/golden/{name}")));
        let params = read("eval_params_p4.pkl").unwrap();
        for name in ["big_endian.pkl", "numpy_ids.pkl", "numpy_ids_p2.pkl"] {
            assert_eq!(read(name).as_ref(), Ok(&params), "{name}");
        }
        assert_eq!(
            read("float_ids.pkl").unwrap_err(),
            "'word_to_id' has a value that is a float, not an id"
        );
    }
}
