//! The loss figure of `trainer.plot()`, drawn as matplotlib draws it.
//!
//! The book's `Trainer.plot` gives `loss_list` to matplotlib with its defaults and shows the
//! figure in a window:
//!
//! ```python
//! x = numpy.arange(len(self.loss_list))
//! plt.plot(x, self.loss_list, label='train')
//! plt.xlabel('iterations (x' + str(self.eval_interval) + ')')
//! plt.ylabel('loss')
//! plt.show()
//! ```
//!
//! The pages write that figure as an SVG file instead, computed as matplotlib computes it: a
//! 6.4 x 4.8 inch figure, the axes at its default place, each axis autoscaled to the data with
//! 5% margins (the y axis does not start at 0), the ticks of `MaxNLocator` (at most 9 bins, steps
//! of 1, 2, 2.5 and 5 times a power of ten), their labels by `ScalarFormatter` (the digits they
//! need, `−` for minus, an offset or power of ten above the axis where it saves digits), four
//! spines, and the curve in colour `C0`. No legend, as the book calls no `plt.legend()`.
//! `chapters/golden/loss_plot.py` holds this to what matplotlib draws for a dozen lists.

use std::fmt::Write;

/// The figure, in points (matplotlib's `figure.figsize` 6.4 x 4.8 inches, 72 points an inch).
const WIDTH: f64 = 6.4 * 72.0;
const HEIGHT: f64 = 4.8 * 72.0;
/// The axes, as `figure.subplot.left`, `.right`, `.bottom` and `.top` place it (SVG's y runs down).
const LEFT: f64 = 0.125 * WIDTH;
const RIGHT: f64 = 0.9 * WIDTH;
const BOTTOM: f64 = HEIGHT - 0.11 * HEIGHT;
const TOP: f64 = HEIGHT - 0.88 * HEIGHT;
/// `xtick.major.size` and `.pad`: ticks point out 3.5 points, labels 3.5 points beyond.
const TICK: f64 = 3.5;
const PAD: f64 = 3.5;
/// `axes.labelpad`, and the offset text's pad (`Axis.OFFSETTEXTPAD`).
const LABEL_PAD: f64 = 4.0;
const OFFSET_PAD: f64 = 3.0;
/// A line of 10-point DejaVu Sans as matplotlib lays it out: its box from the top to the
/// baseline, and below the baseline (the metrics of `"lp"`).
const ASCENT: f64 = 7.597656;
const DESCENT: f64 = 2.402344;
/// The x label's top to its baseline: its `(` stands a little higher than `l`.
const XLABEL_ASCENT: f64 = 7.598437;
/// matplotlib's tick label and axis label font (`font.sans-serif`).
const FONT: &str = "'DejaVu Sans', 'Bitstream Vera Sans', 'Computer Modern Sans Serif', \
                    'Lucida Grande', 'Verdana', 'Geneva', 'Lucid', 'Arial', 'Helvetica', \
                    'Avant Garde', sans-serif";

/// The loss curve as SVG text: `loss_list` against `iterations (x eval_interval)`, as the
/// book's `trainer.plot()` draws it. Non-finite losses are left out of the scales and break the
/// line, as matplotlib leaves them.
pub fn loss_svg(loss_list: &[f64], eval_interval: usize) -> String {
    let xs = (0..loss_list.len()).map(|i| i as f64);
    let x = Axis::autoscaled(xs.clone());
    let y = Axis::autoscaled(loss_list.iter().copied());
    let to_x = |v: f64| LEFT + (v - x.low) / (x.high - x.low) * (RIGHT - LEFT);
    let to_y = |v: f64| BOTTOM - (v - y.low) / (y.high - y.low) * (BOTTOM - TOP);

    let mut svg = String::new();
    let w = &mut svg;
    // writing into a String cannot fail
    let _ = writeln!(
        w,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{}pt" height="{}pt" viewBox="0 0 {} {}" version="1.1">"#,
        num(WIDTH),
        num(HEIGHT),
        num(WIDTH),
        num(HEIGHT)
    );
    let _ = writeln!(
        w,
        " <defs>\n  <style type=\"text/css\">*{{stroke-linejoin: round; stroke-linecap: butt}} \
         text{{font-size: 10px; font-family: {FONT}}}</style>\n  \
         <path id=\"xtick\" d=\"M 0 0 L 0 {t}\" style=\"stroke: #000000; stroke-width: 0.8\"/>\n  \
         <path id=\"ytick\" d=\"M 0 0 L -{t} 0\" style=\"stroke: #000000; stroke-width: 0.8\"/>\n  \
         <clipPath id=\"axes\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n </defs>",
        num(LEFT),
        num(TOP),
        num(RIGHT - LEFT),
        num(BOTTOM - TOP),
        t = num(TICK),
    );
    let _ = writeln!(
        w,
        r#" <rect width="{}" height="{}" style="fill: #ffffff"/>"#,
        num(WIDTH),
        num(HEIGHT)
    );
    // the x axis: ticks, their labels, the label, the offset text at the right
    let label_y = BOTTOM + TICK + PAD + ASCENT;
    for (&at, label) in x.ticks.iter().zip(&x.labels) {
        let px = num(to_x(at));
        let _ = writeln!(
            w,
            r##" <use class="xtick" xlink:href="#xtick" x="{px}" y="{}"/>"##,
            num(BOTTOM)
        );
        let _ = writeln!(
            w,
            r#" <text class="xtick" x="{px}" y="{}" style="text-anchor: middle">{label}</text>"#,
            num(label_y)
        );
    }
    let below_labels = BOTTOM + TICK + PAD + ASCENT + DESCENT;
    let _ = writeln!(
        w,
        r#" <text class="xlabel" x="{}" y="{}" style="text-anchor: middle">iterations (x{eval_interval})</text>"#,
        num((LEFT + RIGHT) / 2.0),
        num(below_labels + LABEL_PAD + XLABEL_ASCENT)
    );
    if !x.offset.is_empty() {
        let _ = writeln!(
            w,
            r#" <text class="xoffset" x="{}" y="{}" style="text-anchor: end">{}</text>"#,
            num(RIGHT),
            num(below_labels + OFFSET_PAD + ASCENT),
            x.offset
        );
    }
    // the y axis: ticks, labels centred on them, the label left of the widest, the offset on top
    for (&at, label) in y.ticks.iter().zip(&y.labels) {
        let py = to_y(at);
        let _ = writeln!(
            w,
            r##" <use class="ytick" xlink:href="#ytick" x="{}" y="{}"/>"##,
            num(LEFT),
            num(py)
        );
        let _ = writeln!(
            w,
            r#" <text class="ytick" x="{}" y="{}" style="text-anchor: end">{label}</text>"#,
            num(LEFT - TICK - PAD),
            // matplotlib's "center_baseline": the tick at the middle of the part above the baseline
            num(py + ASCENT / 2.0)
        );
    }
    let widest = y.labels.iter().map(|l| width(l)).fold(0.0, f64::max);
    let baseline_x = LEFT - TICK - PAD - widest - LABEL_PAD - DESCENT;
    let middle = (TOP + BOTTOM) / 2.0;
    let _ = writeln!(
        w,
        r#" <text class="ylabel" x="{}" y="{}" transform="rotate(-90 {} {})" style="text-anchor: middle">loss</text>"#,
        num(baseline_x),
        num(middle),
        num(baseline_x),
        num(middle)
    );
    if !y.offset.is_empty() {
        let _ = writeln!(
            w,
            r#" <text class="yoffset" x="{}" y="{}" style="text-anchor: start">{}</text>"#,
            num(LEFT),
            num(TOP - OFFSET_PAD),
            y.offset
        );
    }
    // the curve, broken where a loss is not finite
    let mut d = String::new();
    let mut pen_down = false;
    for (i, &loss) in loss_list.iter().enumerate() {
        if !loss.is_finite() {
            pen_down = false;
            continue;
        }
        let step = if pen_down { 'L' } else { 'M' };
        let _ = write!(
            d,
            "{}{step} {} {}",
            if d.is_empty() { "" } else { " " },
            num(to_x(i as f64)),
            num(to_y(loss))
        );
        pen_down = true;
    }
    let _ = writeln!(
        w,
        r##" <path class="loss" d="{d}" clip-path="url(#axes)" style="fill: none; stroke: #1f77b4; stroke-width: 1.5; stroke-linecap: square"/>"##
    );
    // the four spines, over the curve
    let spine = "fill: none; stroke: #000000; stroke-width: 0.8; stroke-linejoin: miter; stroke-linecap: square";
    for (x0, y0, x1, y1) in [
        (LEFT, BOTTOM, LEFT, TOP),
        (RIGHT, BOTTOM, RIGHT, TOP),
        (LEFT, BOTTOM, RIGHT, BOTTOM),
        (LEFT, TOP, RIGHT, TOP),
    ] {
        let _ = writeln!(
            w,
            r#" <path d="M {} {} L {} {}" style="{spine}"/>"#,
            num(x0),
            num(y0),
            num(x1),
            num(y1)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// One axis as matplotlib autoscales it: its view limits, the ticks drawn, their labels and the
/// offset text.
#[derive(Debug)]
struct Axis {
    low: f64,
    high: f64,
    ticks: Vec<f64>,
    labels: Vec<String>,
    offset: String,
}

impl Axis {
    /// `Axes.autoscale_view` with `axes.xmargin` 0.05, then `AutoLocator` and `ScalarFormatter`.
    fn autoscaled(values: impl Iterator<Item = f64>) -> Axis {
        let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.filter(|v| v.is_finite()) {
            low = low.min(v);
            high = high.max(v);
        }
        // no data: matplotlib's (-inf, inf), which nonsingular turns into (-0.05, 0.05)
        if low > high {
            (low, high) = (f64::NEG_INFINITY, f64::INFINITY);
        }
        let (low, high) = nonsingular(low, high, 0.05, 1e-15);
        let delta = (high - low) * 0.05;
        let (low, high) = nonsingular(low - delta, high + delta, 1e-12, 1e-13);
        let locs = tick_values(low, high);
        // the ticks drawn: those within the view, give or take 1e-10 of it
        let slack = (high - low) * 1e-10;
        let drawn: Vec<f64> =
            locs.iter().copied().filter(|&t| low - slack <= t && t <= high + slack).collect();
        let format = Formatter::new(&locs, low, high);
        let labels = drawn.iter().map(|&t| format.label(t)).collect();
        Axis { low, high, ticks: drawn, labels, offset: format.offset_text() }
    }
}

/// `matplotlib.transforms.nonsingular`: a range of one value (or none) widened around it.
fn nonsingular(vmin: f64, vmax: f64, expander: f64, tiny: f64) -> (f64, f64) {
    if !vmin.is_finite() || !vmax.is_finite() {
        return (-expander, expander);
    }
    let (mut vmin, mut vmax) = if vmax < vmin { (vmax, vmin) } else { (vmin, vmax) };
    let largest = vmin.abs().max(vmax.abs());
    if largest < (1e6 / tiny) * f64::MIN_POSITIVE {
        (vmin, vmax) = (-expander, expander);
    } else if vmax - vmin <= largest * tiny {
        if vmax == 0.0 && vmin == 0.0 {
            (vmin, vmax) = (-expander, expander);
        } else {
            vmin -= expander * vmin.abs();
            vmax += expander * vmax.abs();
        }
    }
    (vmin, vmax)
}

/// Python's (and numpy's) `divmod` of floats: the quotient floored, the remainder with the
/// divisor's sign.
fn divmod(a: f64, b: f64) -> (f64, f64) {
    let mut modulo = a % b;
    let mut div = (a - modulo) / b;
    if modulo != 0.0 {
        if (b < 0.0) != (modulo < 0.0) {
            modulo += b;
            div -= 1.0;
        }
    } else {
        modulo = 0f64.copysign(b);
    }
    let floordiv = if div != 0.0 {
        let floor = div.floor();
        if div - floor > 0.5 {
            floor + 1.0
        } else {
            floor
        }
    } else {
        0f64.copysign(a / b)
    };
    (floordiv, modulo)
}

/// `MaxNLocator(nbins='auto', steps=[1, 2, 2.5, 5, 10]).tick_values`: both axes of the default
/// figure have room for more than 9 bins, so 9.
fn tick_values(vmin: f64, vmax: f64) -> Vec<f64> {
    const NBINS: f64 = 9.0;
    const MIN_N_TICKS: usize = 2;
    let (vmin, vmax) = nonsingular(vmin, vmax, 1e-13, 1e-14);
    // scale_range
    let dv = (vmax - vmin).abs();
    let meanv = (vmax + vmin) / 2.0;
    let offset = if meanv.abs() / dv < 100.0 {
        0.0
    } else {
        10f64.powf(meanv.abs().log10().floor()).copysign(meanv)
    };
    let scale = 10f64.powf((dv / NBINS).log10().floor());
    let (vmin, vmax) = (vmin - offset, vmax - offset);
    // _staircase([1, 2, 2.5, 5, 10])
    let steps = [0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0].map(|s| s * scale);
    let raw_step = (vmax - vmin) / NBINS;
    let istep = steps.iter().position(|&s| s >= raw_step).unwrap_or(steps.len() - 1);
    let mut ticks = Vec::new();
    for &step in steps[..=istep].iter().rev() {
        let best_vmin = divmod(vmin, step).0 * step;
        let edge = EdgeInteger { step, offset: offset.abs() };
        let (low, high) = (edge.le(vmin - best_vmin), edge.ge(vmax - best_vmin));
        // np.arange(low, high + 1) * step + best_vmin
        let count = (high + 1.0 - low).ceil().max(0.0) as usize;
        ticks = (0..count).map(|i| (low + i as f64) * step + best_vmin).collect();
        if ticks.iter().filter(|&&t| vmin <= t && t <= vmax).count() >= MIN_N_TICKS {
            break;
        }
    }
    ticks.iter().map(|t| t + offset).collect()
}

/// matplotlib's `_Edge_integer`: how many steps to an edge, forgiving rounding.
struct EdgeInteger {
    step: f64,
    offset: f64,
}

impl EdgeInteger {
    fn close_to(&self, ms: f64, edge: f64) -> bool {
        let tol = if self.offset > 0.0 {
            let digits = (self.offset / self.step).log10();
            1e-10f64.max(10f64.powf(digits - 12.0)).min(0.4999)
        } else {
            1e-10
        };
        (ms - edge).abs() < tol
    }

    fn le(&self, x: f64) -> f64 {
        let (d, m) = divmod(x, self.step);
        if self.close_to(m / self.step, 1.0) {
            d + 1.0
        } else {
            d
        }
    }

    fn ge(&self, x: f64) -> f64 {
        let (d, m) = divmod(x, self.step);
        if self.close_to(m / self.step, 0.0) {
            d
        } else {
            d + 1.0
        }
    }
}

/// `ScalarFormatter` after `set_locs`: an offset where it saves 4 digits or more, a power of ten
/// outside 1e-5 to 1e6, and the decimals the ticks need.
struct Formatter {
    offset: f64,
    order_of_magnitude: i32,
    decimals: usize,
    has_locs: bool,
}

impl Formatter {
    fn new(locs: &[f64], vmin: f64, vmax: f64) -> Formatter {
        let visible: Vec<f64> = locs.iter().copied().filter(|&t| vmin <= t && t <= vmax).collect();
        let offset = compute_offset(&visible);
        // _set_order_of_magnitude, with the default power limits (-5, 6)
        let oom = if visible.is_empty() {
            0
        } else if offset != 0.0 {
            (vmax - vmin).log10().floor() as i32
        } else {
            let largest = visible.iter().map(|t| t.abs()).fold(0.0, f64::max);
            if largest == 0.0 {
                0
            } else {
                largest.log10().floor() as i32
            }
        };
        let order_of_magnitude = if oom <= -5 || oom >= 6 { oom } else { 0 };
        // _set_format: the fewest decimals that show every tick within 1e-3 of the ticks' range
        let mut all = locs.to_vec();
        if locs.len() < 2 {
            all.extend([vmin, vmax]);
        }
        let scaled: Vec<f64> =
            all.iter().map(|t| (t - offset) / 10f64.powf(order_of_magnitude as f64)).collect();
        let (lo, hi) = scaled
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &t| (a.min(t), b.max(t)));
        let mut range = hi - lo;
        if range == 0.0 {
            range = scaled.iter().map(|t| t.abs()).fold(0.0, f64::max);
        }
        if range == 0.0 {
            range = 1.0;
        }
        let shown = &scaled[..if locs.len() < 2 { scaled.len() - 2 } else { scaled.len() }];
        let range_oom = range.log10().floor() as i32;
        let threshold = 1e-3 * 10f64.powf(range_oom as f64);
        let mut sigfigs = (3 - range_oom).max(0);
        while sigfigs >= 0 {
            let error = shown
                .iter()
                .map(|&t| (t - crate::np::round_scalar(t, sigfigs)).abs())
                .fold(f64::NEG_INFINITY, f64::max);
            if error < threshold {
                sigfigs -= 1;
            } else {
                break;
            }
        }
        Formatter {
            offset,
            order_of_magnitude,
            decimals: (sigfigs + 1) as usize,
            has_locs: !locs.is_empty(),
        }
    }

    /// A tick's label: `'%1.Nf' % xp`, with `−` for the minus sign (`axes.unicode_minus`).
    fn label(&self, x: f64) -> String {
        let mut xp = (x - self.offset) / 10f64.powf(self.order_of_magnitude as f64);
        if xp.abs() < 1e-8 {
            xp = 0.0;
        }
        fix_minus(format!("{xp:.*}", self.decimals))
    }

    /// `get_offset()`: the power of ten, then the offset, as `1e7` or `+1.000001e3`.
    fn offset_text(&self) -> String {
        if !self.has_locs || (self.order_of_magnitude == 0 && self.offset == 0.0) {
            return String::new();
        }
        let mut text = String::new();
        if self.order_of_magnitude != 0 {
            text = format!("1e{}", self.order_of_magnitude);
        }
        if self.offset != 0.0 {
            text += &format!(
                "{}{}",
                if self.offset > 0.0 { "+" } else { "" },
                format_data(self.offset)
            );
        }
        fix_minus(text)
    }
}

/// `ScalarFormatter._compute_offset` on the visible ticks.
fn compute_offset(locs: &[f64]) -> f64 {
    let Some(lmin) = locs.iter().copied().reduce(f64::min) else { return 0.0 };
    let lmax = locs.iter().copied().fold(lmin, f64::max);
    if lmin == lmax || (lmin <= 0.0 && 0.0 <= lmax) {
        return 0.0;
    }
    let (abs_min, abs_max) =
        if lmin.abs() <= lmax.abs() { (lmin.abs(), lmax.abs()) } else { (lmax.abs(), lmin.abs()) };
    let sign = 1f64.copysign(lmin);
    let floor_at = |v: f64, oom: f64| divmod(v, 10f64.powf(oom)).0;
    let oom_max = abs_max.log10().ceil();
    let first = |differ: &dyn Fn(f64) -> bool| {
        let mut oom = oom_max;
        while !differ(oom) {
            oom -= 1.0;
        }
        oom + 1.0
    };
    let mut oom = first(&|oom| floor_at(abs_min, oom) != floor_at(abs_max, oom));
    if (abs_max - abs_min) / 10f64.powf(oom) <= 1e-2 {
        oom = first(&|oom| floor_at(abs_max, oom) - floor_at(abs_min, oom) > 1.0);
    }
    // only where it saves at least 4 digits (axes.formatter.offset_threshold)
    if floor_at(abs_max, oom) >= 1e3 {
        sign * floor_at(abs_max, oom) * 10f64.powf(oom)
    } else {
        0.0
    }
}

/// `ScalarFormatter.format_data`: a number as `1.000001e3`.
fn format_data(value: f64) -> String {
    let e = value.abs().log10().floor();
    let s = crate::np::round_scalar(value / 10f64.powf(e), 10);
    let significand = if s % 1.0 == 0.0 { format!("{}", s as i64) } else { python_g10(s) };
    if e == 0.0 {
        significand
    } else {
        format!("{significand}e{}", e as i64)
    }
}

/// Python's `'%1.10g' % s` for a significand between 1 and 10 (in absolute value): ten
/// significant digits, trailing zeros dropped.
fn python_g10(s: f64) -> String {
    let text = format!("{s:.9}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn fix_minus(text: String) -> String {
    text.replace('-', "\u{2212}")
}

/// A label's width in 10-point DejaVu Sans, as matplotlib measures it: the glyphs' advances.
fn width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            '.' => 3.178125,
            '\u{2212}' => 8.3796875,
            // a digit: tick labels hold nothing else
            _ => 6.3625,
        })
        .sum()
}

/// A coordinate as matplotlib's SVG writes it: six decimals, trailing zeros dropped.
fn num(v: f64) -> String {
    let text = format!("{v:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2_testing::golden;

    /// What a figure shows: its ticks (`xtick X`, `ytick Y`) and its texts (`text X Y ROTATION
    /// ANCHOR TEXT`), in the order drawn, as chapters/golden/loss_plot.py lists matplotlib's.
    fn drawn(svg: &str) -> Vec<String> {
        let attr = |line: &str, name: &str| -> String {
            let start = line.find(&format!(" {name}=\"")).map(|i| i + name.len() + 3);
            start.map_or(String::new(), |s| line[s..s + line[s..].find('"').unwrap()].to_string())
        };
        let mut ticks = Vec::new();
        let mut texts = Vec::new();
        for line in svg.lines() {
            if line.starts_with(" <use class=\"xtick\"") {
                ticks.push(format!("xtick {}", attr(line, "x")));
            } else if line.starts_with(" <use class=\"ytick\"") {
                ticks.push(format!("ytick {}", attr(line, "y")));
            } else if line.starts_with(" <text ") {
                let rotation = if line.contains("rotate(-90") { "-90" } else { "-0" };
                let anchor = attr(line, "style").trim_start_matches("text-anchor: ").to_string();
                let text = &line[line.find('>').unwrap() + 1..line.rfind("</text>").unwrap()];
                texts.push(format!(
                    "text {} {} {rotation} {anchor} {text}",
                    attr(line, "x"),
                    attr(line, "y")
                ));
            }
        }
        let (x, y): (Vec<String>, Vec<String>) =
            ticks.into_iter().partition(|t| t.starts_with('x'));
        [x, y, texts].concat()
    }

    /// Two drawn lines agree: the same words, the numbers within 1e-4 of a point (matplotlib
    /// transforms through matrices, which round differently in the last digits).
    fn same(ours: &str, theirs: &str) -> bool {
        let (a, b): (Vec<&str>, Vec<&str>) =
            (ours.split(' ').collect(), theirs.split(' ').collect());
        a.len() == b.len()
            && a.iter().zip(&b).all(|(p, q)| match (p.parse::<f64>(), q.parse::<f64>()) {
                (Ok(p), Ok(q)) if !p.is_nan() => (p - q).abs() <= 1e-4,
                _ => p == q,
            })
    }

    #[test]
    fn the_figure_is_what_matplotlib_draws_for_the_books_plot() {
        let golden = golden("chapters/golden/loss_plot.txt");
        let mut cases = 0;
        for case in golden.split("\ncase ").skip(1) {
            let mut lines = case.lines();
            let head: Vec<&str> = lines.next().unwrap().split(' ').collect();
            let (name, eval_interval) = (head[0], head[1].parse().unwrap());
            let loss = lines.next().unwrap().strip_prefix("loss").unwrap().trim();
            let loss_list: Vec<f64> = match loss.split_once('*') {
                Some((value, count)) => vec![value.parse().unwrap(); count.parse().unwrap()],
                None => {
                    loss.split(' ').filter(|v| !v.is_empty()).map(|v| v.parse().unwrap()).collect()
                }
            };
            let limits = |line: &str| -> (f64, f64) {
                let v: Vec<f64> = line.split(' ').skip(1).map(|v| v.parse().unwrap()).collect();
                (v[0], v[1])
            };
            let (xlim, ylim) = (limits(lines.next().unwrap()), limits(lines.next().unwrap()));
            let x = Axis::autoscaled((0..loss_list.len()).map(|i| i as f64));
            let y = Axis::autoscaled(loss_list.iter().copied());
            assert_eq!(((x.low, x.high), (y.low, y.high)), (xlim, ylim), "{name}: the view limits");

            let theirs: Vec<&str> = lines.collect();
            let ours = drawn(&loss_svg(&loss_list, eval_interval));
            assert_eq!(
                ours.len(),
                theirs.len(),
                "{name}: ours {ours:#?}, matplotlib's {theirs:#?}"
            );
            for (a, b) in ours.iter().zip(&theirs) {
                assert!(same(a, b), "{name}: ours {a:?}, matplotlib's {b:?}");
            }
            cases += 1;
        }
        assert_eq!(cases, 14, "every case of chapters/golden/loss_plot.txt");
    }

    #[test]
    fn a_loss_that_is_not_finite_breaks_the_line() {
        let svg = loss_svg(&[3.0, 2.8, f64::NAN, 2.5, f64::INFINITY, 2.4], 20);
        let d = &svg[svg.find("class=\"loss\" d=\"").unwrap() + 16..];
        let d = &d[..d.find('"').unwrap()];
        let steps: Vec<char> =
            d.split(' ').filter_map(|s| s.chars().next().filter(|c| c.is_alphabetic())).collect();
        assert_eq!(steps, ['M', 'L', 'M', 'M'], "{d}");
    }

    #[test]
    fn python_floor_division_and_remainder() {
        for (a, b, q, r) in [
            (7.0, 2.0, 3.0, 1.0),
            (-7.0, 2.0, -4.0, 1.0),
            (7.0, -2.0, -4.0, -1.0),
            (0.3, 0.1, 2.0, 0.09999999999999998),
        ] {
            assert_eq!(divmod(a, b), (q, r), "divmod({a}, {b})");
        }
    }
}
