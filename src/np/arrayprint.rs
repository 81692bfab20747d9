//! `print(x)` as numpy prints it: a port of `numpy/_core/arrayprint.py` (numpy 2.x) for the
//! default print options (precision 8, floatmode `maxprec`, linewidth 75, threshold 1000,
//! edgeitems 3, sign `-`). The golden tests at the end of this file hold it to 2,930 arrays and
//! scalars that real numpy printed (`golden/array_str.py`).

use ndarray::{ArrayBase, ArrayViewD, Axis, Data, Dimension, Ix2, IxDyn, Slice};

const PRECISION: usize = 8;
const LINEWIDTH: usize = 75;
const THRESHOLD: usize = 1000;
const EDGEITEMS: usize = 3;

/// An element type numpy can print: it picks one format for the whole array from its data.
pub trait Element: Copy {
    /// numpy's `_get_format_function`: one formatter for all of `data`.
    fn format_function(data: &[Self]) -> Box<dyn Fn(Self) -> String>;

    /// `print(np.array(x))` of a 0-d array: the scalar's `str`.
    fn scalar_str(self) -> String;
}

impl Element for f64 {
    fn format_function(data: &[f64]) -> Box<dyn Fn(f64) -> String> {
        let format = FloatingFormat::fill(data, Width::Double);
        Box::new(move |x| format.format(x))
    }

    fn scalar_str(self) -> String {
        float_str(self)
    }
}

impl Element for f32 {
    /// numpy's float32 print: the same rules, with float32's shortest digits.
    fn format_function(data: &[f32]) -> Box<dyn Fn(f32) -> String> {
        let wide: Vec<f64> = data.iter().map(|&x| x as f64).collect();
        let format = FloatingFormat::fill(&wide, Width::Single);
        Box::new(move |x| format.format(x as f64))
    }

    fn scalar_str(self) -> String {
        float32_str(self)
    }
}

impl Element for bool {
    /// numpy's `BoolFormat`: `' True'` beside `'False'`, so that the columns line up.
    fn format_function(_data: &[bool]) -> Box<dyn Fn(bool) -> String> {
        Box::new(|x| if x { " True" } else { "False" }.to_string())
    }

    fn scalar_str(self) -> String {
        if self { "True" } else { "False" }.to_string()
    }
}

/// Which IEEE type a value came from: its shortest round-trip digits depend on it
/// (`np.float32(0.1)` prints `0.1`, though as a double it is `0.10000000149011612`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Width {
    Half,
    Single,
    Double,
}

macro_rules! integer_element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            /// numpy's `IntegerFormat`: right-aligned to the widest of the largest and the smallest.
            fn format_function(data: &[$t]) -> Box<dyn Fn($t) -> String> {
                let width = data
                    .iter()
                    .max()
                    .into_iter()
                    .chain(data.iter().min())
                    .map(|x| x.to_string().len())
                    .max()
                    .unwrap_or(0);
                Box::new(move |x| format!("{x:>width$}"))
            }

            fn scalar_str(self) -> String {
                self.to_string()
            }
        }
    )*};
}
integer_element!(i64, usize);

impl<'a> Element for &'a str {
    /// numpy's string format: each element as Python's repr, `'say'`, `"n't"`, no padding.
    fn format_function(_data: &[&'a str]) -> Box<dyn Fn(&'a str) -> String> {
        Box::new(python_repr)
    }

    fn scalar_str(self) -> String {
        self.to_string()
    }
}

/// Python's `repr` of a str: in single quotes, or double ones when it holds a single quote and
/// no double; backslashes, the quote, `\t`, `\n`, `\r` and unprintable characters escaped.
fn python_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut repr = String::with_capacity(s.len() + 2);
    repr.push(quote);
    for c in s.chars() {
        match c {
            '\\' => repr.push_str("\\\\"),
            '\t' => repr.push_str("\\t"),
            '\n' => repr.push_str("\\n"),
            '\r' => repr.push_str("\\r"),
            c if c == quote => {
                repr.push('\\');
                repr.push(c);
            }
            c if is_printable(c) => repr.push(c),
            c if (c as u32) < 0x100 => repr.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => repr.push_str(&format!("\\u{:04x}", c as u32)),
            c => repr.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    repr.push(quote);
    repr
}

/// Python's `str.isprintable` for one character: false for the control characters, the
/// separators but the ASCII space, the format characters, surrogates and private use. (Code
/// points Unicode leaves unassigned, which Python also escapes, print as themselves here.)
fn is_printable(c: char) -> bool {
    !matches!(c,
        '\0'..='\u{1f}' | '\u{7f}'..='\u{a0}' | '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}'
        | '\u{6dd}' | '\u{70f}' | '\u{1680}' | '\u{180e}' | '\u{2000}'..='\u{200f}'
        | '\u{2028}'..='\u{202f}' | '\u{205f}'..='\u{2064}' | '\u{2066}'..='\u{206f}'
        | '\u{3000}' | '\u{e000}'..='\u{f8ff}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        | '\u{110bd}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0001}'
        | '\u{e0020}'..='\u{e007f}' | '\u{f0000}'..)
}

/// `np.array_str(a)`, the text of `print(a)`; a 0-d array prints as its scalar.
pub fn array_str<A, S, D>(a: &ArrayBase<S, D>) -> String
where
    A: Element,
    S: Data<Elem = A>,
    D: Dimension,
{
    let a = a.view().into_dyn();
    if a.ndim() == 0 {
        return a[IxDyn(&[])].scalar_str();
    }
    // numpy: "treat as a null array if any of shape elements == 0"
    if a.is_empty() {
        return "[]".to_string();
    }
    let summary = a.len() > THRESHOLD;
    let data: Vec<A> = if summary {
        leading_trailing(a.clone(), 0).iter().copied().collect()
    } else {
        a.iter().copied().collect()
    };
    let format_function = A::format_function(&data);
    let summary_insert = if summary { "..." } else { "" };
    format_array(&a, &*format_function, summary_insert)
}

/// Each row of a 2-D array as it stands inside `print(a)`: formatted with the whole array's
/// format, so the rows line up in a table as they do in the matrix (`[ 1.   -0.91 -1.34]`).
///
/// # Panics
/// If `a` has more than 1000 elements: numpy would summarize it and print only some rows.
pub fn array_str_rows<A, S>(a: &ArrayBase<S, Ix2>) -> Vec<String>
where
    A: Element,
    S: Data<Elem = A>,
{
    assert!(
        a.len() <= THRESHOLD,
        "array_str_rows: {} elements is over numpy's threshold of {THRESHOLD}; it would summarize",
        a.len()
    );
    let data: Vec<A> = a.iter().copied().collect();
    let format_function = A::format_function(&data);
    a.rows().into_iter().map(|row| format_array(&row.into_dyn(), &*format_function, "")).collect()
}

/// numpy's `_leading_trailing`: only the corners of the array, `EDGEITEMS` at each edge of
/// every long axis. numpy chooses the float format from these values alone.
fn leading_trailing<A: Clone>(a: ArrayViewD<'_, A>, axis: usize) -> ndarray::ArrayD<A> {
    if axis == a.ndim() {
        return a.to_owned();
    }
    let len = a.len_of(Axis(axis));
    if len > 2 * EDGEITEMS {
        let lead = a.slice_axis(Axis(axis), Slice::from(..EDGEITEMS as isize));
        let trail = a.slice_axis(Axis(axis), Slice::from(-(EDGEITEMS as isize)..));
        let lead = leading_trailing(lead, axis + 1);
        let trail = leading_trailing(trail, axis + 1);
        ndarray::concatenate(Axis(axis), &[lead.view(), trail.view()])
            .expect("the two edges have the same shape off this axis")
    } else {
        leading_trailing(a, axis + 1)
    }
}

/// numpy's `_formatArray` with separator `' '`, no prefix, and the current (> 1.13) legacy mode.
fn format_array<A: Copy>(
    a: &ArrayViewD<'_, A>,
    format_function: &dyn Fn(A) -> String,
    summary_insert: &str,
) -> String {
    let mut index = Vec::with_capacity(a.ndim());
    recurse(a, format_function, summary_insert, &mut index, " ", LINEWIDTH)
}

fn recurse<A: Copy>(
    a: &ArrayViewD<'_, A>,
    format_function: &dyn Fn(A) -> String,
    summary_insert: &str,
    index: &mut Vec<usize>,
    hanging_indent: &str,
    curr_width: usize,
) -> String {
    let axis = index.len();
    let axes_left = a.ndim() - axis;
    if axes_left == 0 {
        return format_function(a[IxDyn(index)]);
    }

    // when recursing, add a space to align with the [ added, and reduce the
    // length of the line by 1
    let next_hanging_indent = format!("{hanging_indent} ");
    let next_width = curr_width - 1;

    let a_len = a.len_of(Axis(axis));
    let show_summary = !summary_insert.is_empty() && 2 * EDGEITEMS < a_len;
    let (leading_items, trailing_items) =
        if show_summary { (EDGEITEMS, EDGEITEMS) } else { (0, a_len) };
    // numpy walks the leading items forwards, then the trailing ones as a[-i] for i from
    // trailing_items down to 2, and the last one as a[-1].
    let positions = (0..leading_items).chain((1..=trailing_items).rev().map(|i| a_len - i));
    let nested = |position: usize, index: &mut Vec<usize>| {
        index.push(position);
        let word =
            recurse(a, format_function, summary_insert, index, &next_hanging_indent, next_width);
        index.pop();
        word
    };

    let mut s = String::new();
    if axes_left == 1 {
        // last axis (rows): wrap elements if they would not fit on one line
        // numpy: curr_width - max(len(separator.rstrip()), len(']')), with separator ' '
        let elem_width = curr_width - 1;
        let mut line = hanging_indent.to_string();
        for (count, position) in positions.enumerate() {
            if show_summary && count == leading_items {
                extend_line(&mut s, &mut line, summary_insert, elem_width, hanging_indent);
                line.push(' ');
            }
            let word = nested(position, index);
            extend_line(&mut s, &mut line, &word, elem_width, hanging_indent);
            if count + 1 < leading_items + trailing_items {
                line.push(' ');
            }
        }
        s.push_str(&line);
    } else {
        // other axes: insert newlines between rows
        let line_sep = "\n".repeat(axes_left - 1);
        for (count, position) in positions.enumerate() {
            if show_summary && count == leading_items {
                s.push_str(hanging_indent);
                s.push_str(summary_insert);
                s.push_str(&line_sep);
            }
            s.push_str(hanging_indent);
            s.push_str(&nested(position, index));
            if count + 1 < leading_items + trailing_items {
                s.push_str(&line_sep);
            }
        }
    }
    // remove the hanging indent, and wrap the whole thing in []
    format!("[{}]", &s[hanging_indent.len()..])
}

/// numpy's `_extendLine`: start a new line when the word would pass the width, unless the
/// line holds nothing but its indent (wrapping would not help). Widths are Python's `len`, in
/// characters (`'日本語'` is 5), not bytes or display columns.
fn extend_line(s: &mut String, line: &mut String, word: &str, line_width: usize, prefix: &str) {
    let length = |text: &str| text.chars().count();
    let needs_wrap = length(line) + length(word) > line_width && length(line) > length(prefix);
    if needs_wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = prefix.to_string();
    }
    line.push_str(word);
}

/// numpy's `FloatingFormat` for floatmode `maxprec`, precision 8, sign `-`.
struct FloatingFormat {
    width: Width,
    exp_format: bool,
    /// digits after the point in scientific mode (every value padded with zeros to it)
    precision: usize,
    pad_left: usize,
    pad_right: usize,
    exp_size: usize,
}

impl FloatingFormat {
    /// numpy's `fillFormat`: one pass over the finite values to choose the mode and the pads.
    fn fill(data: &[f64], width: Width) -> Self {
        let finite: Vec<f64> = data.iter().copied().filter(|x| x.is_finite()).collect();
        let abs_non_zero = finite.iter().filter(|&&x| x != 0.0).map(|x| x.abs());
        let max_val = abs_non_zero.clone().fold(f64::NAN, f64::max);
        let min_val = abs_non_zero.fold(f64::NAN, f64::min);
        // comparisons with NaN (no nonzero finite value) are false, as numpy skips the test;
        // numpy compares in the array's own type, and its upper cutoff is 10**min(8, digits)
        let exp_format = match width {
            Width::Double => max_val >= 1.0e8 || min_val < 0.0001 || max_val / min_val > 1000.0,
            Width::Single => {
                let (max_val, min_val) = (max_val as f32, min_val as f32);
                max_val >= 1.0e6 || min_val < 0.0001 || max_val / min_val > 1000.0
            }
            Width::Half => {
                let (max_val, min_val) =
                    (half::f16::from_f64(max_val), half::f16::from_f64(min_val));
                max_val.to_f64() >= 1.0e3
                    || min_val < half::f16::from_f64(0.0001)
                    || half::f16::from_f32(max_val.to_f32() / min_val.to_f32()).to_f64() > 1000.0
            }
        };

        let mut format = FloatingFormat {
            width,
            exp_format,
            precision: PRECISION,
            pad_left: 0,
            pad_right: 0,
            exp_size: 0,
        };
        if finite.is_empty() {
            // nothing to measure: pads stay 0
        } else if exp_format {
            let parts: Vec<Scientific> =
                finite.iter().map(|&x| Scientific::unique(x, PRECISION, width)).collect();
            format.exp_size = parts.iter().map(|p| p.exponent_digits().len()).max().unwrap();
            format.precision = parts.iter().map(|p| p.fraction.len()).max().unwrap();
            format.pad_left = parts.iter().map(|p| p.int_part().len()).max().unwrap();
            format.pad_right = format.exp_size + 2 + format.precision;
        } else {
            let parts: Vec<(String, String)> =
                finite.iter().map(|&x| positional_unique(x, PRECISION, width)).collect();
            format.pad_left = parts.iter().map(|(int, _)| int.len()).max().unwrap();
            format.pad_right = parts.iter().map(|(_, frac)| frac.len()).max().unwrap();
        }

        // if there are non-finite values, may need to increase pad_left
        if finite.len() != data.len() {
            let neginf = data.contains(&f64::NEG_INFINITY) as usize;
            let offset = format.pad_right + 1; // +1 for decimal pt
            format.pad_left = format
                .pad_left
                .max("nan".len().saturating_sub(offset))
                .max(("inf".len() + neginf).saturating_sub(offset));
        }
        format
    }

    /// numpy's `FloatingFormat.__call__`.
    fn format(&self, x: f64) -> String {
        if !x.is_finite() {
            let ret = if x.is_nan() {
                "nan"
            } else if x < 0.0 {
                "-inf"
            } else {
                "inf"
            };
            let width = self.pad_left + self.pad_right + 1;
            return format!("{ret:>width$}");
        }
        if self.exp_format {
            // trim 'k' with min_digits = precision: every mantissa gets `precision` digits,
            // Dragon4 going on past the shortest ones with the value's exact digits
            let mut parts = Scientific::unique(x, self.precision, self.width);
            if parts.fraction.len() < self.precision {
                let (digits, exponent) =
                    split_scientific(&format!("{:.*e}", self.precision, x.abs()));
                parts.lead = digits.chars().next().expect("at least one digit");
                parts.fraction = digits[1..].to_string();
                parts.exponent = exponent;
            }
            format!(
                "{int:>pad_left$}.{frac:0<precision$}e{sign}{digits:0>exp_size$}",
                int = parts.int_part(),
                frac = parts.fraction,
                sign = if parts.exponent < 0 { '-' } else { '+' },
                digits = parts.exponent_digits(),
                pad_left = self.pad_left,
                precision = self.precision,
                exp_size = self.exp_size,
            )
        } else {
            let (int, frac) = positional_unique(x, PRECISION, self.width);
            format!(
                "{int:>pad_left$}.{frac:<pad_right$}",
                pad_left = self.pad_left,
                pad_right = self.pad_right
            )
        }
    }
}

/// The shortest decimal digits that read back as `x`, as numpy's Dragon4 (and Python's repr)
/// choose them: `(digits, exponent)` with `|x| = d.ddd × 10^exponent`.
///
/// Rust's `{:e}` finds how many digits are needed, but when two strings of that length are
/// equally near (`…850.25` as `…850.2` or `…850.3`) it rounds the tie up, where numpy takes
/// the even digit. The exact value rounded half to even to the same length settles it,
/// whenever that string still reads back as `x`.
fn shortest_digits(x: f64, width: Width) -> (String, i32) {
    let x = x.abs();
    let (shortest, reads_back) = match width {
        Width::Double => (format!("{x:e}"), None),
        Width::Single => (format!("{:e}", x as f32), Some(x as f32)),
        Width::Half => return shortest_half_digits(x),
    };
    let shortest = split_scientific(&shortest);
    let nearest_text = format!("{:.*e}", shortest.0.len() - 1, x);
    let same = match reads_back {
        None => nearest_text.parse::<f64>() == Ok(x),
        Some(single) => nearest_text.parse::<f32>() == Ok(single),
    };
    if same {
        let (mut digits, exponent) = split_scientific(&nearest_text);
        digits.truncate(digits.trim_end_matches('0').len().max(1));
        (digits, exponent)
    } else {
        shortest
    }
}

/// [`shortest_digits`] for a float16 value: the fewest significant digits that round back to
/// it, the nearest such string when two are candidates.
fn shortest_half_digits(x: f64) -> (String, i32) {
    let value = half::f16::from_f64(x);
    for precision in 0..17 {
        let text = format!("{:.*e}", precision, x);
        if half::f16::from_f64(text.parse().expect("Rust's {:e} parses")) == value {
            let (mut digits, exponent) = split_scientific(&text);
            digits.truncate(digits.trim_end_matches('0').len().max(1));
            return (digits, exponent);
        }
    }
    unreachable!("17 digits name any double exactly")
}

/// Splits Rust's `1.2345e-5` into `("12345", -5)`.
fn split_scientific(s: &str) -> (String, i32) {
    let (mantissa, exponent) = s.split_once('e').expect("Rust's {:e} always has an exponent");
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    (digits, exponent.parse().expect("a decimal exponent"))
}

fn sign_of(x: f64) -> &'static str {
    if x.is_sign_negative() {
        "-"
    } else {
        ""
    }
}

/// `dragon4_positional(x, precision, unique=True, fractional=True, trim='.')` split at the
/// point: the shortest round-trip digits, or, when they need more than `precision` fractional
/// digits, the exact value correctly rounded to `precision` digits; trailing zeros dropped.
fn positional_unique(x: f64, precision: usize, width: Width) -> (String, String) {
    let (digits, exponent) = shortest_digits(x, width);
    let fraction_len = (digits.len() as i32 - 1 - exponent).max(0) as usize;
    let text = if fraction_len <= precision {
        if exponent >= 0 {
            let int_len = exponent as usize + 1;
            if digits.len() <= int_len {
                format!("{digits:0<int_len$}.")
            } else {
                format!("{}.{}", &digits[..int_len], &digits[int_len..])
            }
        } else {
            let zeros = "0".repeat((-exponent - 1) as usize);
            format!("0.{zeros}{digits}")
        }
    } else {
        format!("{:.*}", precision, x.abs())
    };
    let (int, frac) = text.split_once('.').expect("a point was written");
    let int = format!("{}{}", sign_of(x), int);
    let frac = if fraction_len <= precision { frac } else { frac.trim_end_matches('0') };
    (int, frac.to_string())
}

/// `dragon4_scientific(x, precision, unique=True, trim='.')` in parts.
struct Scientific {
    negative: bool,
    lead: char,
    fraction: String,
    exponent: i32,
}

impl Scientific {
    fn unique(x: f64, precision: usize, width: Width) -> Self {
        let (mut digits, mut exponent) = shortest_digits(x, width);
        if digits.len() - 1 > precision {
            (digits, exponent) = split_scientific(&format!("{:.*e}", precision, x.abs()));
            digits.truncate(digits.trim_end_matches('0').len().max(1));
        }
        let mut chars = digits.chars();
        let lead = chars.next().expect("at least one digit");
        Scientific { negative: x.is_sign_negative(), lead, fraction: chars.collect(), exponent }
    }

    fn int_part(&self) -> String {
        format!("{}{}", if self.negative { "-" } else { "" }, self.lead)
    }

    /// The exponent's digits, at least two as numpy writes them (`e+05`).
    fn exponent_digits(&self) -> String {
        format!("{:02}", self.exponent.unsigned_abs())
    }
}

/// Python's `str(x)` (and `repr`) of a float, as `print(np.float64(x))` shows a scalar:
/// shortest round-trip digits, positional for exponents from -4 to 15, else `1e+16` style.
pub fn float_str(x: f64) -> String {
    scalar_str(x, Width::Double)
}

/// numpy's `str(np.float32(x))`, as `print(loss)` shows a float32 loss: [`float_str`]'s rules
/// with float32's shortest digits (`1.3862944`, not `1.3862943649291992`).
pub fn float32_str(x: f32) -> String {
    scalar_str(x as f64, Width::Single)
}

/// numpy's `str(np.float16(x))`: [`float_str`]'s rules with float16's shortest digits
/// (`5.16`, where the value widened to a double is `5.16015625`).
pub fn float16_str(x: half::f16) -> String {
    scalar_str(x.to_f64(), Width::Half)
}

fn scalar_str(x: f64, width: Width) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return format!("{}inf", sign_of(x));
    }
    let (digits, exponent) = shortest_digits(x, width);
    let sign = sign_of(x);
    // numpy's cutoffs for a scalar: 1e-4 and 1e16 for float64 (as Python's repr), 10**digits
    // of the type (1e6 for float32, 1e3 for float16) compared with the value
    let positional = match width {
        Width::Double => (-4..16).contains(&exponent),
        Width::Single => x == 0.0 || (1e-4..1e6).contains(&x.abs()),
        Width::Half => x == 0.0 || (1e-4..1e3).contains(&x.abs()),
    };
    if positional {
        let (int, frac) = positional_unique(x, usize::MAX, width);
        let frac = if frac.is_empty() { "0" } else { &frac };
        format!("{int}.{frac}")
    } else {
        let (lead, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{lead}{point}{rest}e{exp_sign}{:02}", exponent.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, ArrayD};
    use zerotsuku2_testing::golden;

    /// One block of `golden/array_str.txt`.
    struct Case<'a> {
        zero_d: bool,
        name: &'a str,
        dtype: &'a str,
        shape: Vec<usize>,
        decimals: Option<i32>,
        values: &'a str,
        expected: String,
    }

    fn golden_cases(text: &str) -> Vec<Case<'_>> {
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        let mut cases = Vec::new();
        while let Some(header) = lines.next() {
            let fields: Vec<&str> = header.split(' ').collect();
            assert_eq!(fields.len(), 5, "bad header {header:?}");
            assert_eq!(fields[0], "case");
            // `0d`: a 0-d array, printed by print(np.array(x))
            let zero_d = fields[3] == "0d";
            let shape = fields[3]
                .split(',')
                .filter(|s| !s.is_empty() && !zero_d)
                .map(|n| n.parse().unwrap())
                .collect();
            let decimals = match fields[4].strip_prefix("round=").unwrap() {
                "-" => None,
                d => Some(d.parse().unwrap()),
            };
            let values = lines.next().unwrap();
            let mut expected = Vec::new();
            for line in lines.by_ref() {
                if line == "end" {
                    break;
                }
                expected.push(line);
            }
            cases.push(Case {
                zero_d,
                name: fields[1],
                dtype: fields[2],
                shape,
                decimals,
                values,
                expected: expected.join("\n"),
            });
        }
        cases
    }

    fn float_values(case: &Case) -> Vec<f64> {
        case.values
            .split_whitespace()
            .map(|h| f64::from_bits(u64::from_str_radix(h, 16).unwrap()))
            .collect()
    }

    /// float32 values written as the 8 hex digits of their bits
    fn f32_bits(values: &str) -> Vec<f32> {
        values
            .split_whitespace()
            .map(|h| f32::from_bits(u32::from_str_radix(h, 16).unwrap()))
            .collect()
    }

    fn printed(case: &Case) -> String {
        if case.zero_d {
            fn zero_d<A>(x: A) -> ArrayD<A> {
                ArrayD::from_shape_vec(IxDyn(&[]), vec![x]).unwrap()
            }
            return match case.dtype {
                "f64" => array_str(&zero_d(float_values(case)[0])),
                "f32" => array_str(&zero_d(f32_bits(case.values)[0])),
                "bool" => array_str(&zero_d(case.values == "1")),
                other => panic!("unknown dtype {other}"),
            };
        }
        match case.dtype {
            "str" => {
                let texts: Vec<String> = case
                    .values
                    .split(' ')
                    .map(|hex| {
                        let hex = if hex == "-" { "" } else { hex };
                        let bytes = (0..hex.len())
                            .step_by(2)
                            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                            .collect();
                        String::from_utf8(bytes).unwrap()
                    })
                    .collect();
                let words: Vec<&str> = texts.iter().map(String::as_str).collect();
                return array_str(&ArrayD::from_shape_vec(case.shape.clone(), words).unwrap());
            }
            "bool" => {
                let values = case.values.split(' ').map(|v| v == "1").collect();
                array_str(&ArrayD::from_shape_vec(case.shape.clone(), values).unwrap())
            }
            "f64" if case.shape.is_empty() => float_str(float_values(case)[0]),
            "f64" => {
                let x = ArrayD::from_shape_vec(case.shape.clone(), float_values(case)).unwrap();
                match case.decimals {
                    Some(d) => array_str(&crate::np::round(&x, d)),
                    None => array_str(&x),
                }
            }
            "f32" => {
                let values = f32_bits(case.values);
                if case.shape.is_empty() {
                    return crate::np::float32_str(values[0]);
                }
                let x = ArrayD::from_shape_vec(case.shape.clone(), values).unwrap();
                match case.decimals {
                    Some(d) => array_str(&crate::np::round(&x, d)),
                    None => array_str(&x),
                }
            }
            "i64" => {
                let values = case.values.split_whitespace().map(|v| v.parse::<i64>().unwrap());
                array_str(&ArrayD::from_shape_vec(case.shape.clone(), values.collect()).unwrap())
            }
            other => panic!("unknown dtype {other}"),
        }
    }

    #[test]
    fn matches_every_golden_case_numpy_printed() {
        let text = golden("chapters/golden/array_str.txt");
        let cases = golden_cases(&text);
        assert!(cases.len() >= 2500, "only {} golden cases", cases.len());
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|case| {
                let got = printed(case);
                (got != case.expected)
                    .then(|| format!("{}:\nnumpy:\n{}\nours:\n{}", case.name, case.expected, got))
            })
            .collect();
        assert!(
            failures.is_empty(),
            "{} of {} cases differ; the first ones:\n{}",
            failures.len(),
            cases.len(),
            failures.iter().take(5).cloned().collect::<Vec<_>>().join("\n\n")
        );
    }

    #[test]
    fn the_golden_data_covers_the_rules() {
        let text = golden("chapters/golden/array_str.txt");
        let cases = golden_cases(&text);
        let all = |f: &dyn Fn(&Case) -> bool| cases.iter().filter(|c| f(c)).count();
        assert!(all(&|c| c.expected.contains('e')) > 100, "scientific notation");
        assert!(all(&|c| c.expected.contains("...")) >= 5, "summarization");
        assert!(all(&|c| c.expected.contains("-0.")) > 10, "negative zero");
        assert!(all(&|c| c.expected.contains("nan") || c.expected.contains("inf")) > 20);
        assert!(all(&|c| c.shape.len() == 3) > 500, "3-D arrays");
        assert!(all(&|c| c.dtype == "i64") > 200, "integer arrays");
        assert!(all(&|c| c.dtype == "str") >= 10, "string arrays");
        assert!(all(&|c| c.decimals.is_some()) > 500, "rounded arrays");
        assert!(all(&|c| c.shape.len() == 1 && c.expected.contains('\n')) > 50, "wrapped 1-D rows");
    }

    #[test]
    fn the_pages_own_prints() {
        // print(np.round(W_out, 2)) and print(ds) as they stand in the study notes page
        let w_out = array![
            [1.64, -0.14, -0.19],
            [1.0, -0.91, -1.34],
            [0.87, -0.31, 0.93],
            [-0.32, 0.11, -0.4],
            [0.68, 2.03, -0.42],
            [0.9, -2.56, 0.92],
            [1.79, 0.95, 0.99]
        ];
        assert_eq!(
            array_str(&w_out),
            "[[ 1.64 -0.14 -0.19]\n [ 1.   -0.91 -1.34]\n [ 0.87 -0.31  0.93]\n [-0.32  0.11 -0.4 ]\n [ 0.68  2.03 -0.42]\n [ 0.9  -2.56  0.92]\n [ 1.79  0.95  0.99]]"
        );
        let ds = array![-1.60212118, -0.86946314, 1.3290934, 0.94355095, 0.34452969, -0.05639633];
        assert_eq!(
            array_str(&ds),
            "[-1.60212118 -0.86946314  1.3290934   0.94355095  0.34452969 -0.05639633]"
        );
        assert_eq!(array_str(&array![1usize, 2, 3, 4, 1, 5]), "[1 2 3 4 1 5]");
    }

    #[test]
    fn rows_keep_the_whole_arrays_format() {
        let a = array![[0.52, 0.83, 0.76], [-0.77, 0.47, -0.99], [1.0, -0.91, -1.34]];
        let rows = array_str_rows(&a);
        assert_eq!(rows, ["[ 0.52  0.83  0.76]", "[-0.77  0.47 -0.99]", "[ 1.   -0.91 -1.34]"]);
        let printed = array_str(&a);
        for (line, row) in printed.lines().zip(&rows) {
            assert!(line.contains(row.as_str()), "{line} / {row}");
        }
    }

    #[test]
    fn string_arrays_print_as_numpy_does() {
        // print(np.array(['you', 'say', 'goodbye', 'I', 'hello', '.']))
        let words = array!["you", "say", "goodbye", "I", "hello", "."];
        assert_eq!(array_str(&words), "['you' 'say' 'goodbye' 'I' 'hello' '.']");
    }

    #[test]
    fn rust_rounds_exact_ties_to_even_as_numpy_does() {
        // the cut to 8 digits and the tie-break above rely on it
        assert_eq!(format!("{:.2}", 0.125), "0.12");
        assert_eq!(format!("{:.2}", 0.375), "0.38");
        assert_eq!(format!("{:.0e}", 2.5), "2e0");
        // -1580526372018850.25 exactly: .2 and .3 are equally near, numpy takes the even digit
        assert_eq!(float_str(-(6322105488075401.0 / 4.0)), "-1580526372018850.2");
    }

    #[test]
    fn zero_dimensional_arrays_print_their_scalar() {
        assert_eq!(array_str(&ndarray::arr0(1.0)), "1.0");
        assert_eq!(array_str(&ndarray::arr0(0.1f32)), "0.1");
        assert_eq!(array_str(&ndarray::arr0(true)), "True");
    }
}
