"""Golden data for `np::array_str`, `np::round` and `np::float_str`: what real numpy prints.

Run from the repository root to regenerate (needs only numpy):

    python3 src/np/golden/array_str.py > src/np/golden/array_str.txt

Each case is a block:

    case <name> <dtype f64|i64> <shape, comma-separated, empty for a scalar> round=<decimals|->
    <values: f64 as the 16 hex digits of their IEEE bits, i64 in decimal; space-separated>
    <the exact text numpy printed, one or more lines>
    end

`round=2` means the expected text is `print(np.round(x, 2))`, else `print(x)`. A scalar case
(empty shape) is Python's `print(float(x))`. The Rust tests parse this file and must match
every byte.
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
for k in range(2400):
    ndim = int(rng.integers(1, 4))
    if ndim == 1:
        shape = (int(rng.integers(1, 31)),)
    elif ndim == 2:
        shape = (int(rng.integers(1, 9)), int(rng.integers(1, 11)))
    else:
        shape = tuple(int(v) for v in rng.integers(1, 5, size=3))
    if k % 10 == 9:
        values = rng.integers(-(10 ** int(rng.integers(1, 12))), 10 ** int(rng.integers(1, 12)), size=shape)
        add(f"random_{k}_int", values.astype(np.int64))
        continue
    style = k % 5
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
        # book-sized values
        values = rng.standard_normal(shape)
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
    add(f"random_{k}", values, decimals)

# --- scalars: Python's str(float) ---------------------------------------------------------------
scalars = [0.0, -0.0, 1.0, -1.5, 0.1, 1e-4, 9.9e-5, 1e15, 1e16, 123456789012345678.0, 2.5e-11,
           np.nan, np.inf, -np.inf, 5.0, 122.0]
scalars += list(rng.standard_normal(100) * 10.0 ** rng.uniform(-12, 20, size=100))
for k, v in enumerate(scalars):
    cases.append((f"scalar_{k}", np.float64(v), None))

out = sys.stdout
out.write(f"# generated by src/np/golden/array_str.py with numpy {np.__version__}; do not edit\n")
for name, x, decimals in cases:
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
