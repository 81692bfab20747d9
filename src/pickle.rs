//! The book's saved parameters, `pickle.dump(params, f, -1)` in `ch04/train.py` and
//! `pickle.load(f)` in `ch04/eval.py`: a dict of `word_vecs` (a float16 `(V, H)` numpy array),
//! `word_to_id` and `id_to_word`. Only what such a file holds is read or written: Python's
//! pickle protocols 3 to 5 and numpy's two ways of pickling an array in them.

use half::f16;
use ndarray::Array2;
use std::collections::HashMap;

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

/// A Python object as far as a params pickle needs one.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    Global(String, String),
    /// `callable(*args)` (REDUCE), not called
    Call(Box<Value>, Box<Value>),
    /// `obj.__setstate__(state)` (BUILD), not called
    Build(Box<Value>, Box<Value>),
}

/// `pickle.loads(data)` for a params dict.
///
/// # Errors
/// One line saying what is not as the book's `pickle.dump(params, f, -1)` writes it.
pub fn loads(data: &[u8]) -> Result<Params, String> {
    let Value::Dict(items) = unpickle(data)? else {
        return Err("it does not hold a dict".into());
    };
    let get = |key: &str| {
        items
            .iter()
            .find(|(k, _)| *k == Value::Str(key.into()))
            .map(|(_, v)| v)
            .ok_or(format!("its dict has no '{key}'"))
    };
    let word_vecs = array_f16(get("word_vecs")?)?;
    let Value::Dict(pairs) = get("id_to_word")? else {
        return Err("'id_to_word' is not a dict".into());
    };
    let mut id_to_word = vec![None; pairs.len()];
    for (id, word) in pairs {
        match (id, word) {
            (Value::Int(id), Value::Str(word)) if (*id as usize) < id_to_word.len() && *id >= 0 => {
                id_to_word[*id as usize] = Some(word.clone())
            }
            _ => return Err("'id_to_word' is not ids 0..V to words".into()),
        }
    }
    let id_to_word: Vec<String> = id_to_word
        .into_iter()
        .collect::<Option<_>>()
        .ok_or("'id_to_word' is not ids 0..V to words")?;
    let Value::Dict(pairs) = get("word_to_id")? else {
        return Err("'word_to_id' is not a dict".into());
    };
    let mut word_to_id = HashMap::new();
    for (word, id) in pairs {
        match (word, id) {
            (Value::Str(word), Value::Int(id)) if id_to_word.get(*id as usize) == Some(word) => {
                word_to_id.insert(word.clone(), *id as usize);
            }
            _ => return Err("'word_to_id' does not agree with 'id_to_word'".into()),
        }
    }
    if word_to_id.len() != id_to_word.len() {
        return Err(format!(
            "'word_to_id' has {} words but 'id_to_word' {}",
            word_to_id.len(),
            id_to_word.len()
        ));
    }
    if word_vecs.nrows() != id_to_word.len() {
        return Err(format!(
            "'word_vecs' has {} rows for {} words",
            word_vecs.nrows(),
            id_to_word.len()
        ));
    }
    Ok(Params { word_vecs, word_to_id, id_to_word })
}

/// A 2-D float16 numpy array, pickled either way numpy does it: `_reconstruct` then
/// `__setstate__`, or (protocol 5) `_frombuffer(buffer, dtype, shape, order)`. Another dtype
/// is refused: `eval.py` would compute in it, not in the float16 the book saves.
fn array_f16(value: &Value) -> Result<Array2<f16>, String> {
    let bad = || "'word_vecs' is not a 2-D float16 numpy array".to_string();
    let (dtype, shape, fortran, data) = match value {
        Value::Build(reconstruct, state) => {
            let Value::Call(function, _) = &**reconstruct else {
                return Err(bad());
            };
            if !matches!(&**function, Value::Global(m, n) if (m == "numpy.core.multiarray" || m == "numpy._core.multiarray") && n == "_reconstruct")
            {
                return Err(bad());
            }
            match &**state {
                Value::Tuple(s) if s.len() == 5 => match (&s[4], &s[3]) {
                    (Value::Bytes(data), Value::Bool(fortran)) => (&s[2], &s[1], *fortran, data),
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            }
        }
        Value::Call(function, args) => {
            if !matches!(&**function, Value::Global(m, n) if m.ends_with("core.numeric") && n == "_frombuffer")
            {
                return Err(bad());
            }
            match &**args {
                Value::Tuple(a) if a.len() == 4 => match (&a[0], &a[3]) {
                    (Value::Bytes(data), Value::Str(order)) => (&a[1], &a[2], order == "F", data),
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
    let [Value::Int(rows), Value::Int(cols)] = shape.as_slice() else {
        return Err(bad());
    };
    let (Ok(rows), Ok(cols)) = (usize::try_from(*rows), usize::try_from(*cols)) else {
        return Err(bad());
    };
    let bytes = rows.checked_mul(cols).and_then(|n| n.checked_mul(2));
    let code = match dtype {
        Value::Build(call, state) => match (&**call, &**state) {
            (Value::Call(_, args), Value::Tuple(state)) => match (&**args, state.get(1)) {
                (Value::Tuple(a), Some(Value::Str(order))) if order != ">" => a.first().cloned(),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let values: Vec<f16> = match code {
        Some(Value::Str(code)) if code == "f2" && bytes == Some(data.len()) => {
            data.chunks_exact(2).map(|b| f16::from_le_bytes([b[0], b[1]])).collect()
        }
        Some(Value::Str(code)) if code != "f2" => {
            return Err(format!(
                "'word_vecs' is dtype '{code}', not the float16 ('f2') the book saves"
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

/// The pickle machine, for the opcodes of protocols 2 to 5 that dicts, strings, ints, bytes
/// and numpy arrays need. The memo keeps a copy of each object as it was memoized, not a
/// reference: enough for a params file, whose only repeated objects are its strings.
fn unpickle(data: &[u8]) -> Result<Value, String> {
    let mut stack: Vec<Value> = Vec::new();
    let mut marks: Vec<usize> = Vec::new();
    let mut memo: HashMap<u32, Value> = HashMap::new();
    let mut at = 0;
    let truncated = || "it ends early: not a whole pickle".to_string();
    let take = |n: usize, at: &mut usize| -> Result<&[u8], String> {
        let end = at.checked_add(n).ok_or_else(truncated)?;
        let bytes = data.get(*at..end).ok_or_else(truncated)?;
        *at = end;
        Ok(bytes)
    };
    let le = |b: &[u8]| b.iter().rev().fold(0u64, |n, &x| n << 8 | x as u64);
    let text =
        |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|_| "a string is not UTF-8".to_string());
    loop {
        let op = take(1, &mut at)?[0];
        let value = match op {
            0x80 => {
                let protocol = take(1, &mut at)?[0];
                if protocol > 5 {
                    return Err(format!("pickle protocol {protocol} is newer than 5"));
                }
                continue;
            }
            0x95 => {
                take(8, &mut at)?; // FRAME: its length only
                continue;
            }
            b'.' => return stack.pop().ok_or_else(truncated),
            b'(' => {
                marks.push(stack.len());
                continue;
            }
            0x94 => {
                let top = stack.last().ok_or_else(truncated)?.clone();
                memo.insert(memo.len() as u32, top);
                continue;
            }
            b'q' | b'r' => {
                let n = if op == b'q' { 1 } else { 4 };
                let key = le(take(n, &mut at)?) as u32;
                memo.insert(key, stack.last().ok_or_else(truncated)?.clone());
                continue;
            }
            b'h' | b'j' => {
                let n = if op == b'h' { 1 } else { 4 };
                let key = le(take(n, &mut at)?) as u32;
                memo.get(&key).cloned().ok_or("a memo reference to nothing")?
            }
            b'}' => Value::Dict(Vec::new()),
            b']' => Value::List(Vec::new()),
            b')' => Value::Tuple(Vec::new()),
            b'N' => Value::None,
            0x88 => Value::Bool(true),
            0x89 => Value::Bool(false),
            b'K' => Value::Int(take(1, &mut at)?[0] as i64),
            b'M' => Value::Int(le(take(2, &mut at)?) as i64),
            b'J' => Value::Int(le(take(4, &mut at)?) as u32 as i32 as i64),
            0x8a => {
                let n = take(1, &mut at)?[0] as usize;
                let bytes = take(n, &mut at)?;
                if n > 8 {
                    return Err("an int wider than 64 bits".into());
                }
                let mut value = le(bytes) as i64;
                if n > 0 && n < 8 && bytes[n - 1] & 0x80 != 0 {
                    value -= 1 << (8 * n);
                }
                Value::Int(value)
            }
            0x8c => {
                let n = take(1, &mut at)?[0] as usize;
                Value::Str(text(take(n, &mut at)?)?)
            }
            b'X' | 0x8d => {
                let n = le(take(if op == b'X' { 4 } else { 8 }, &mut at)?) as usize;
                Value::Str(text(take(n, &mut at)?)?)
            }
            b'C' => {
                let n = take(1, &mut at)?[0] as usize;
                Value::Bytes(take(n, &mut at)?.to_vec())
            }
            b'B' | 0x8e | 0x96 => {
                let n = le(take(if op == b'B' { 4 } else { 8 }, &mut at)?) as usize;
                Value::Bytes(take(n, &mut at)?.to_vec())
            }
            b'c' => {
                let rest = &data[at..];
                let mut lines = rest.splitn(3, |&b| b == b'\n');
                let (module, name) =
                    (lines.next().ok_or_else(truncated)?, lines.next().ok_or_else(truncated)?);
                at += module.len() + name.len() + 2;
                Value::Global(text(module)?, text(name)?)
            }
            0x93 => {
                let name = stack.pop();
                let module = stack.pop();
                match (module, name) {
                    (Some(Value::Str(module)), Some(Value::Str(name))) => {
                        Value::Global(module, name)
                    }
                    _ => return Err("STACK_GLOBAL without two strings".into()),
                }
            }
            0x85..=0x87 => {
                let n = (op - 0x84) as usize;
                if stack.len() < n {
                    return Err(truncated());
                }
                Value::Tuple(stack.split_off(stack.len() - n))
            }
            b't' => Value::Tuple(pop_mark(&mut stack, &mut marks)?),
            b'R' | b'b' => {
                let arg = stack.pop().ok_or_else(truncated)?;
                let object = stack.pop().ok_or_else(truncated)?;
                if op == b'R' {
                    Value::Call(Box::new(object), Box::new(arg))
                } else {
                    Value::Build(Box::new(object), Box::new(arg))
                }
            }
            b's' | b'u' => {
                let items = if op == b's' {
                    if stack.len() < 2 {
                        return Err(truncated());
                    }
                    stack.split_off(stack.len() - 2)
                } else {
                    pop_mark(&mut stack, &mut marks)?
                };
                let Some(Value::Dict(dict)) = stack.last_mut() else {
                    return Err("SETITEMS on something other than a dict".into());
                };
                let mut items = items.into_iter();
                while let (Some(k), Some(v)) = (items.next(), items.next()) {
                    dict.push((k, v));
                }
                continue;
            }
            b'a' | b'e' => {
                let items = if op == b'a' {
                    vec![stack.pop().ok_or_else(truncated)?]
                } else {
                    pop_mark(&mut stack, &mut marks)?
                };
                let Some(Value::List(list)) = stack.last_mut() else {
                    return Err("APPENDS on something other than a list".into());
                };
                list.extend(items);
                continue;
            }
            _ => {
                return Err(format!(
                    "pickle opcode 0x{op:02x} at byte {} is not one a params file uses",
                    at - 1
                ))
            }
        };
        stack.push(value);
    }
}

fn pop_mark(stack: &mut Vec<Value>, marks: &mut Vec<usize>) -> Result<Vec<Value>, String> {
    let mark = marks.pop().ok_or("a MARK is missing")?;
    if mark > stack.len() {
        return Err("a MARK is missing".into());
    }
    Ok(stack.split_off(mark))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(loads(b"not a pickle").unwrap_err().contains("is not one a params file uses"));
        // a BINBYTES8 length near 2**64: an error, not an overflow
        let mut huge = b"\x80\x04\x8e".to_vec();
        huge.extend(u64::MAX.to_le_bytes());
        assert_eq!(loads(&huge).unwrap_err(), "it ends early: not a whole pickle");
    }
}
