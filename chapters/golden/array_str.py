"""Golden data for `np::array_str`, `np::round` and `np::float_str`: what real numpy prints.

Run from the repository root to regenerate (needs only numpy):

    python3 chapters/golden/array_str.py > chapters/golden/array_str.txt

Each case is a block:

    case <name> <dtype f64|i64|f32> <shape, comma-separated, empty for a scalar> round=<decimals|->
    <values: f64 as the 16 hex digits of their IEEE bits, i64 in decimal; space-separated>
    <the exact text numpy printed, one or more lines>
    end

`round=2` means the expected text is `print(np.round(x, 2))`, else `print(x)`. A scalar case
(empty shape) is Python's `print(float(x))`. The Rust tests parse this file and must match
every byte.

dtype `f32` (the cases after the f64/i64 ones, drawn from their own generator so the older
cases stay byte-identical): values are the 8 hex digits of their IEEE float32 bits, and the
array is a float32 array, so numpy prints shortest *float32* digits (np.float32(0.1) is `0.1`)
and `np.round` works in float32 arithmetic (x * 10**d, rint, / 10**d, each rounded to float32).
A scalar f32 case is `print(np.float32(x))`, numpy's str of a float32 scalar, not Python's.
What numpy 2.4 does differently for float32 (see the f32_* cases):
  * arrays switch to scientific at max >= 1e6, i.e. 10**min(8, finfo(float32).precision=6),
    not 1e8; `min < 0.0001` and `max / min > 1000` are computed in float32 (NEP 50: the Python
    floats are weak), so [1e-4, 0.01] stays positional and 1511.8217 / 1.5118216 == 1000;
  * scalars: positional iff 1e-4 <= |x| < 1e6, the 1e-4 test done in double, so
    np.float32(1e-4) (= 9.99999975e-05) prints `1e-04`; exponents have at least two digits.
  * shortest float32 digits may need 9 significant digits (f32_scalar_27: 1.32044655e+17).
"""
import struct
import sys

import numpy as np

rng = np.random.default_rng(20261128)
cases = []


def add(name, x, decimals=None):
    cases.append((name, np.asarray(x), decimals))


def hexbits(v):
    return struct.pack(">d", float(v)).hex()


# --- curated: the rules one by one ------------------------------------------------------------
add("readme_mixed_signs", [1.0, -0.91, -1.34])
add("linspace", np.linspace(0, 1, 5))
add("negative_zero", [0.0, -0.0, 1.5])
add("round_to_negative_zero", [-0.004, 0.5], 2)
add("wide_integer_part", [100.0, 0.5])
add("ratio_over_1000_goes_scientific", [1000.0, 0.5])
add("small_and_large_scientific", [0.01, 10.01])
add("whole_numbers", [1.0, 2.0, 3.0])
add("all_zero", [0.0, 0.0])
add("all_negative_zero", [-0.0, -0.0])
add("one_element", [3.25])
add("ties_half_to_even", [0.125, 0.375, 2.675, 0.005, 0.015, 0.025, -0.125, 1.005], 2)
add("ties_at_zero_decimals", [0.5, 1.5, 2.5, -0.5, -1.5], 0)
add("round_to_tens", [15.0, 25.0, -35.0, 123.4], -1)
add("precision_cut_at_8", [1.0 / 3.0, 2.0 / 3.0, -1.0 / 7.0])
add("unrounded_normals", rng.standard_normal(6))
add("smallest_below_1e-4", [1e-5, 1.0])
add("largest_at_1e8", [1e8, 1.0])
add("just_below_1e8", [99999999.0, 1.0])
add("exponent_three_digits", [1e-100, 1e100])
add("exponent_mixed_digits", [1e-5, 1e120, -3.5])
add("nan_and_inf", [np.nan, np.inf, -np.inf, 1.5])
add("only_nan", [np.nan, np.nan])
add("only_inf", [np.inf, -np.inf])
add("nan_in_scientific", [np.nan, 1e-7, 2.0])
add("empty", np.zeros(0))
add("empty_2d", np.zeros((2, 0)))
add("column", rng.standard_normal((6, 1)), 2)
add("matrix_7x3_rounded", rng.standard_normal((7, 3)), 2)
add("row_wider_than_75", rng.standard_normal(20))
add("rows_wider_than_75_2d", rng.standard_normal((3, 12)))
add("rows_wider_than_75_3d", rng.standard_normal((2, 2, 11)))
add("three_d", rng.standard_normal((2, 3, 4)), 2)
add("summarized_1d", rng.standard_normal(1001))
add("summarized_2d", rng.standard_normal((40, 30)), 2)
add("summarized_3d", rng.standard_normal((11, 11, 11)))
add("summarized_one_long_axis", rng.standard_normal((2, 600)))
add("summary_format_from_edges_only", np.concatenate([np.ones(3), [1e-9] * 1000, np.ones(3)]))
add("integers", np.array([1, 2, 3, 4, 1, 5]))
add("integers_mixed_width", np.array([5, 122, 86]))
add("integers_negative", np.array([[-5, 12], [7, -100]]))
add("integers_wrap", np.arange(40) * 1000)
add("integers_summarized", np.arange(2000).reshape(40, 50))
add("integer_matrix", np.array([[0, 2], [1, 3], [2, 4], [3, 1], [4, 5], [1, 6]]))

# --- random: shapes up to 3-D, magnitudes from 1e-10 to 1e10 ------------------------------------
def random_shape(rng):
    """A shape of 1 to 3 dimensions, small enough to print whole."""
    ndim = int(rng.integers(1, 4))
    if ndim == 1:
        return (int(rng.integers(1, 31)),)
    if ndim == 2:
        return (int(rng.integers(1, 9)), int(rng.integers(1, 11)))
    return tuple(int(v) for v in rng.integers(1, 5, size=3))


def random_values(rng, shape, style, book_sized):
    """Values of one of five styles, then a zero, a -0. or a non-finite value now and then, and
    a rounding now and then: (values, decimals)."""
    if style == 0:
        # one magnitude for the whole array
        values = rng.standard_normal(shape) * 10.0 ** rng.uniform(-10, 10)
    elif style == 1:
        # magnitudes spread over many decades
        values = rng.standard_normal(shape) * 10.0 ** rng.uniform(-10, 10, size=shape)
    elif style == 2:
        # short decimals, whole numbers and exact ties
        values = rng.integers(-2000, 2000, size=shape) / rng.choice([1, 2, 4, 8, 100, 1000])
    elif style == 3:
        values = book_sized(shape)
    else:
        values = rng.uniform(-1, 1, size=shape) * 10.0 ** rng.integers(-5, 9)
    flat = values.reshape(-1)
    if rng.random() < 0.3:
        flat[rng.integers(0, flat.size)] = 0.0
    if rng.random() < 0.2:
        flat[rng.integers(0, flat.size)] = -0.0
    if rng.random() < 0.05:
        flat[rng.integers(0, flat.size)] = rng.choice([np.nan, np.inf, -np.inf])
    decimals = None
    if rng.random() < 0.4:
        decimals = int(rng.choice([0, 1, 2, 2, 2, 3, 4]))
    return values, decimals


for k in range(2400):
    shape = random_shape(rng)
    if k % 10 == 9:
        values = rng.integers(-(10 ** int(rng.integers(1, 12))), 10 ** int(rng.integers(1, 12)), size=shape)
        add(f"random_{k}_int", values.astype(np.int64))
        continue
    # style 3: book-sized values
    values, decimals = random_values(rng, shape, k % 5, lambda shape: rng.standard_normal(shape))
    add(f"random_{k}", values, decimals)

# --- scalars: Python's str(float) ---------------------------------------------------------------
scalars = [0.0, -0.0, 1.0, -1.5, 0.1, 1e-4, 9.9e-5, 1e15, 1e16, 123456789012345678.0, 2.5e-11,
           np.nan, np.inf, -np.inf, 5.0, 122.0]
scalars += list(rng.standard_normal(100) * 10.0 ** rng.uniform(-12, 20, size=100))
for k, v in enumerate(scalars):
    cases.append((f"scalar_{k}", np.float64(v), None))

# --- float32 (own generator; appended so the cases above do not change) -------------------------
rng32 = np.random.default_rng(20261129)
f32 = np.float32


def add32(name, x, decimals=None):
    cases.append((name, np.asarray(x, dtype=np.float32), decimals))


add32("f32_shortest_digits", [0.1, 0.2, 0.3, 0.7])
add32("f32_readme_mixed_signs", [1.0, -0.91, -1.34])
add32("f32_precision_cut_at_8", [1.0 / 3.0, 2.0 / 3.0, -1.0 / 7.0, 0.00123456789])
add32("f32_eight_digit_values", [0.12345679, 1.2345678, 0.9999999])
add32("f32_whole_numbers", [1.0, 2.0, 3.0])
add32("f32_large_whole_numbers", [12345.0, 99999.0, 100.0])
add32("f32_negative_zero", [0.0, -0.0, 1.5])
add32("f32_all_negative_zero", [-0.0, -0.0])
add32("f32_round_to_negative_zero", [-0.004, 0.5], 2)
add32("f32_nan_and_inf", [np.nan, np.inf, -np.inf, 1.5])
add32("f32_only_nan", [np.nan, np.nan])
add32("f32_nan_in_scientific", [np.nan, 1e-7, 2.0])
add32("f32_min_1e-4_compared_in_f32", [1e-4, 0.01])
add32("f32_just_below_1e-4", [np.nextafter(f32(1e-4), f32(0)), 0.01])
add32("f32_smallest_below_1e-4", [1e-5, 1.0])
add32("f32_ratio_over_1000", [1000.0, 0.5])
add32("f32_ratio_rounds_to_1000", [1511.8217, 1.5118216])
add32("f32_ratio_just_under_1000", [1.0, 0.001])
add32("f32_ratio_exactly_1000", [1000.0, 1.0])
add32("f32_below_1e6", [999999.94, 1000.0])
add32("f32_at_1e6", [1e6, 1000.0])
add32("f32_between_1e6_and_1e8", [12345678.0, 23456789.0])
add32("f32_just_below_1e8", [99999992.0, 1.0])
add32("f32_max_and_denormal", [3.4028235e38, 1e-45, -1.0])
add32("f32_exponent_two_digits", [1.2345678e-5, 3.0])
add32("f32_ties_half_to_even", [0.125, 0.375, 2.675, 0.005, 0.015, 0.025, -0.125, 1.005], 2)
add32("f32_ties_at_zero_decimals", [0.5, 1.5, 2.5, -0.5, -1.5], 0)
add32("f32_round_to_tens", [15.0, 25.0, -35.0, 123.4], -1)
add32("f32_round_loses_digits_in_f32", [123456.789, 9876.54321], 4)
add32("f32_round_loses_digits_scientific", [123456.789, 9876.54321, 0.33333334], 4)
with np.errstate(over="ignore"):
    cases.append(("f32_round_overflows_to_inf", np.array([3e38, 1.0], dtype=np.float32), 2))
add32("f32_empty", np.zeros(0))
add32("f32_one_element", [3.25])
add32("f32_unrounded_normals", rng32.standard_normal(6))
add32("f32_book_weights_small", 0.01 * rng32.standard_normal(8))
add32("f32_book_weights_7x3", 0.01 * rng32.standard_normal((7, 3)))
add32("f32_book_weights_7x3_rounded", 0.01 * rng32.standard_normal((7, 3)), 2)
add32("f32_matrix_7x3", rng32.standard_normal((7, 3)))
add32("f32_matrix_7x3_rounded", rng32.standard_normal((7, 3)), 2)
add32("f32_row_wider_than_75", rng32.standard_normal(20))
add32("f32_rows_wider_than_75_2d", rng32.standard_normal((3, 12)))
add32("f32_rows_wider_than_75_3d", rng32.standard_normal((2, 2, 11)), 3)
add32("f32_1000_elements_not_summarized", 0.01 * rng32.standard_normal((10, 100)))
add32("f32_summarized_12x100", 0.01 * rng32.standard_normal((12, 100)))
add32("f32_summarized_1d", rng32.standard_normal(1001))
add32("f32_summarized_2d_rounded", rng32.standard_normal((40, 30)), 2)
add32("f32_summary_format_from_edges_only", np.concatenate([np.ones(3), [1e-9] * 1000, np.ones(3)]))

for k in range(200):
    shape = random_shape(rng32)
    # style 3: weights as the book draws them, or unit normals
    values, decimals = random_values(
        rng32, shape, k % 5, lambda shape: rng32.standard_normal(shape) * rng32.choice([1.0, 0.01]))
    add32(f"f32_random_{k}", values, decimals)

# float32 scalars: print(np.float32(x))
scalars32 = [0.0, -0.0, 1.0, -1.5, 0.1, 1e-4, 1.0000001e-4, 9.9e-5, 999999.94, 1e6, 1e7, 1e16,
             123456.7, 1.0 / 3.0, 2.5e-11, 3.4028235e38, 1e-45, np.nan, np.inf, -np.inf, 5.0, 122.0]
scalars32 += list(rng32.standard_normal(60) * 10.0 ** rng32.uniform(-12, 20, size=60))
scalars32 += list(0.01 * rng32.standard_normal(20))
for k, v in enumerate(scalars32):
    cases.append((f"f32_scalar_{k}", np.float32(v), None))

out = sys.stdout
out.write(f"# generated by chapters/golden/array_str.py with numpy {np.__version__}; do not edit\n")
for name, x, decimals in cases:
    if x.dtype == np.float32:
        shape = ",".join(str(n) for n in x.shape)
        values = " ".join(struct.pack(">f", v).hex() for v in x.reshape(-1))
        if x.ndim == 0:
            printed = str(np.float32(x))
        else:
            with np.errstate(over="ignore"):
                printed = str(np.round(x, decimals)) if decimals is not None else str(x)
        tag = "-" if decimals is None else str(decimals)
        out.write(f"case {name} f32 {shape} round={tag}\n{values}\n{printed}\nend\n")
        continue
    if x.ndim == 0:
        out.write(f"case {name} f64  round=-\n{hexbits(x)}\n{float(x)!s}\nend\n")
        continue
    dtype = "i64" if x.dtype.kind == "i" else "f64"
    x = x.astype(np.int64 if dtype == "i64" else np.float64)
    shape = ",".join(str(n) for n in x.shape)
    if dtype == "f64":
        values = " ".join(hexbits(v) for v in x.reshape(-1))
    else:
        values = " ".join(str(int(v)) for v in x.reshape(-1))
    printed = str(np.round(x, decimals)) if decimals is not None else str(x)
    tag = "-" if decimals is None else str(decimals)
    out.write(f"case {name} {dtype} {shape} round={tag}\n{values}\n{printed}\nend\n")

# --- edges: subnormals, np.round far out, 0-d arrays, bool arrays -------------------------------
# A 0-d array's shape is written `0d` (print(np.array(x)), numpy's str of the scalar); a bool
# array's values are 0 and 1.
edges = [
    ("f64_subnormal_scientific", np.array([5e-324, 1.5]), None),
    ("f64_subnormals_mixed", np.array([-5e-324, 2.5e-320, 1.0, 2.2250738585072014e-308]), None),
    ("f64_round_decimals_23", np.array([1.2345678901234567e-20, 3.3e-25, -7.77e-22]), 23),
    ("f64_round_decimals_25", np.array([1.2345678901234567e-20, 3.3e-25, -7.77e-22]), 25),
    ("f64_round_decimals_30", np.array([1.2345678901234567e-20, 3.3e-25, 8.8e-29]), 30),
    ("f64_round_decimals_40", np.array([1.2345678901234567e-35, 4.5e-38]), 40),
    ("f64_round_decimals_minus_25", np.array([1.5e25, -3.7e26, 1.0]), -25),
    ("f64_round_decimals_minus_30", np.array([1.5e30, 2.2e31, 7.3e33]), -30),
    ("f32_round_decimals_25", np.array([1.2345678e-20, 3.3e-25], dtype=np.float32), 25),
    ("f32_subnormal", np.array([1e-45, 1.5], dtype=np.float32), None),
]
for name, x, decimals in edges:
    dtype = "f32" if x.dtype == np.float32 else "f64"
    pack = (lambda v: struct.pack(">f", v).hex()) if dtype == "f32" else hexbits
    values = " ".join(pack(v) for v in x.reshape(-1))
    with np.errstate(over="ignore", invalid="ignore"):
        printed = str(np.round(x, decimals)) if decimals is not None else str(x)
    tag = "-" if decimals is None else str(decimals)
    out.write(f"case {name} {dtype} {','.join(str(n) for n in x.shape)} round={tag}\n{values}\n{printed}\nend\n")

zero_d = [("f64_0d", np.array(1.5)), ("f64_0d_negative_zero", np.array(-0.0)),
          ("f64_0d_small", np.array(2.5e-11)), ("f64_0d_whole", np.array(122.0)),
          ("f32_0d", np.array(4.1588826, dtype=np.float32)), ("f32_0d_small", np.array(1e-5, dtype=np.float32))]
for name, x in zero_d:
    dtype = "f32" if x.dtype == np.float32 else "f64"
    value = struct.pack(">f", x).hex() if dtype == "f32" else hexbits(x)
    out.write(f"case {name} {dtype} 0d round=-\n{value}\n{str(x)}\nend\n")

bools = [("bool_pair", np.array([True, False])), ("bool_all_false", np.array([False, False])),
         ("bool_2d", np.array([[True, False, True], [False, False, True]])),
         ("bool_wrap", np.arange(30) % 3 == 0), ("bool_0d", np.array(True))]
for name, x in bools:
    shape = "0d" if x.ndim == 0 else ",".join(str(n) for n in x.shape)
    values = " ".join(str(int(v)) for v in x.reshape(-1))
    out.write(f"case {name} bool {shape} round=-\n{values}\n{str(x)}\nend\n")

# --- strings: each element as Python's repr, lines wrapped by characters, not display width ---
# Values are the hex of each string's UTF-8 bytes ('-' for the empty string).
strings = [
    ("str_quotes_and_escapes", np.array(["I'm", "a\\b", "tab\t"])),
    ("str_ptb_contractions", np.array(["do", "n't", "it", "'s", "we", "'re", "<eos>"])),
    ("str_both_quotes", np.array(["both '\"", 'he said "hi"', "it's \"x\""])),
    ("str_controls", np.array(["a\nb", "c\rd", "\x00", "\x7f", "\x1b[0m", "", " "])),
    ("str_latin1", np.array(["caf\xe9", "\x85", "\xa0", "\xad", "\xff"])),
    ("str_unicode_spaces_and_formats", np.array(["\u3000", "\u200b", "\u2028", "\ufeff", "\u061c", "\u180e"])),
    ("str_astral", np.array(["\U0001f600", "\U000e0001", "\U0010fffd", "\ue000"])),
    ("str_japanese_wrap", np.array(["日本語"] * 30)),
    ("str_mixed_width_wrap", np.array(["ゼロから作る", "word2vec", "高速化", "<unk>"] * 8)),
    ("str_ascii_wrap", np.array(["you", "say", "goodbye", "and", "i", "hello", "."] * 6)),
    ("str_2d", np.array([["you", "say"], ["n't", "日本"]])),
]
for name, x in strings:
    values = " ".join(v.encode("utf-8").hex() or "-" for v in x.reshape(-1))
    out.write(f"case {name} str {','.join(str(n) for n in x.shape)} round=-\n{values}\n{str(x)}\nend\n")
