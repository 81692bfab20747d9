//! What every chapter page shares around the book's cells: its opening, the prologue (what the
//! sections before 4.2 built), `print` as the book prints, and the labelled tables that go
//! beyond the book's prints.

use crate::common::layers::Embedding;
use crate::common::util::{create_contexts_target, preprocess};
use crate::np::{self, random::RandomState};
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
use ndarray::{Array1, Array2, ArrayBase, Data, Dimension};
use std::collections::HashMap;
use std::io::{self, Write};
use std::time::{Duration, Instant};

/// The sentence every example of chapters 3 and 4 starts from.
pub const TEXT: &str = "You say goodbye and I say hello.";

/// What the sections before 4.2 built, as the page takes it over.
pub struct Prologue {
    pub corpus: Array1<usize>,
    pub word_to_id: HashMap<String, usize>,
    pub id_to_word: Vec<String>,
    pub contexts: Array2<usize>,
    pub target: Array1<usize>,
    pub vocab_size: usize,
    pub hidden_size: usize,
    /// `(V, H)`
    pub w_in: Array2<f64>,
    /// `(N, H)`: the mean of each target's two context rows of `W_in`
    pub h: Array2<f64>,
}

/// A page's [`opening`], then the prologue built and printed: the corpus, contexts and target
/// of 3.3, `W_in` (the first random draw) and the hidden layer `h` of the CBOW model through
/// Embedding layers (4.1).
pub fn prologue(
    out: &mut dyn Write,
    title: &str,
    rng: &mut RandomState,
    draws: &str,
) -> io::Result<Prologue> {
    opening(out, title, rng, draws)?;
    writeln!(out)?;
    writeln!(out, "» -- 前節までの準備 (3.3, 4.1) --")?;
    writeln!(out, "# テキストを前処理")?;
    // text = 'You say goodbye and I say hello.'
    // corpus, word_to_id, id_to_word = preprocess(text)
    let (corpus, word_to_id, id_to_word) = preprocess(TEXT);
    writeln!(out, "corpus = {}", np::array_str(&corpus))?;
    writeln!(out, "word_to_id =\n{}", dict_str(&id_to_word))?;

    writeln!(out, "# コンテキストとターゲットを作成")?;
    // contexts, target = create_contexts_target(corpus, window_size=1)
    let (contexts, target) = create_contexts_target(&corpus, 1);
    writeln!(out, "contexts =\n{}", np::array_str(&contexts))?;
    writeln!(out, "target = {}", np::array_str(&target))?;

    // vocab_size = len(word_to_id)
    let vocab_size = word_to_id.len();
    let hidden_size = 3;
    writeln!(out, "vocab_size = {vocab_size}, hidden_size = {hidden_size}")?;

    writeln!(out, "# 入力層の重みをランダムに生成")?;
    // W_in = np.random.randn(vocab_size, hidden_size)
    let w_in = rng.randn((vocab_size, hidden_size));
    writeln!(out, "W_in =\n{}", np::array_str(&np::round(&w_in, 2)))?;

    writeln!(out, "# 入力層の順伝播を計算 (2つのコンテキストの平均)")?;
    // in_layer0 = Embedding(W_in); in_layer1 = Embedding(W_in)
    let (mut in_layer0, mut in_layer1) = (Embedding::new(), Embedding::new());
    // h0 = in_layer0.forward(contexts[:, 0]); h1 = in_layer1.forward(contexts[:, 1])
    let h0 = in_layer0.forward(&w_in, contexts.column(0));
    let h1 = in_layer1.forward(&w_in, contexts.column(1));
    // h = (h0 + h1) * 0.5
    let h = (h0 + h1) * 0.5;
    writeln!(out, "h =\n{}", np::array_str(&np::round(&h, 2)))?;
    print_shape(out, &h)?;

    Ok(Prologue {
        corpus,
        word_to_id,
        id_to_word,
        contexts,
        target,
        vocab_size,
        hidden_size,
        w_in,
        h,
    })
}

/// The output layer's weights as 4.2.4 draws them, for the steps that start from there (4.2.3,
/// 4.2.5): `W_out = np.random.randn(vocab_size, hidden_size)`, printed rounded.
pub fn previous_w_out(
    out: &mut dyn Write,
    rng: &mut RandomState,
    vocab_size: usize,
    hidden_size: usize,
) -> io::Result<Array2<f64>> {
    writeln!(out, "\n» -- 前項までの準備 (4.2.4) --")?;
    writeln!(out, "# 出力層の重みをランダムに生成")?;
    // W_out = np.random.randn(vocab_size, hidden_size)
    let w_out = rng.randn((vocab_size, hidden_size));
    writeln!(out, "W_out =\n{}", np::array_str(&np::round(&w_out, 2)))?;
    Ok(w_out)
}

/// The opening of every chapter page: its title (the book's section number and title), then
/// which generator draws (see `--seed` and `--numpy-seed`) and what it draws, in which order.
pub fn opening(out: &mut dyn Write, title: &str, rng: &RandomState, draws: &str) -> io::Result<()> {
    writeln!(out, "{title}")?;
    writeln!(out, "» 乱数: {}", rng.description())?;
    writeln!(out, "»   {draws}")
}

/// The fastest of three runs of `f`, for the pages that measure what the book states.
pub fn best_of_three(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .expect("three runs")
}

/// A duration in the unit that suits it: `1.20 s`, `13.76 ms`, `0.16 µs`.
pub fn show_duration(d: Duration) -> String {
    let seconds = d.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.2} µs", seconds * 1e6)
    }
}

/// `print(x)` of an array: numpy's print, then a new line.
pub fn print<A, S, D>(out: &mut dyn Write, x: &ArrayBase<S, D>) -> io::Result<()>
where
    A: np::Element,
    S: Data<Elem = A>,
    D: Dimension,
{
    writeln!(out, "{}", np::array_str(x))
}

/// `print(x.shape)`: the shape as Python prints a tuple, `(7, 3)`.
pub fn print_shape<S: Data, D: Dimension>(
    out: &mut dyn Write,
    x: &ArrayBase<S, D>,
) -> io::Result<()> {
    writeln!(out, "{}", np::shape(x))
}

/// `print(word_to_id)`: a Python dict in insertion order, which is id order.
pub fn dict_str(id_to_word: &[String]) -> String {
    let items: Vec<String> =
        id_to_word.iter().enumerate().map(|(id, word)| format!("'{word}': {id}")).collect();
    format!("{{{}}}", items.join(", "))
}

/// Python's `True` / `False`, as `print(np.array_equal(a, b))` shows a comparison.
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// The mark that opens a line of timings: the only lines whose text depends on the machine.
pub const TIMING: &str = "» ⏱ ";

/// `n` with a comma every three digits, as the book writes large numbers: `19,544`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A labelled table that renders the same on every terminal: no width detection, no wrapping,
/// no colour, and only ASCII around the cells (box-drawing characters are of ambiguous width,
/// two columns wide on Japanese terminals set so); it pastes into notes as Markdown. The first
/// column is left-aligned, the rest right-aligned.
pub fn table<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::ASCII_MARKDOWN)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().map(AsRef::as_ref));
    for row in rows {
        table.add_row(row.clone());
    }
    for (index, column) in table.column_iter_mut().enumerate() {
        column.set_cell_alignment(if index == 0 {
            CellAlignment::Left
        } else {
            CellAlignment::Right
        });
    }
    table.to_string()
}

#[cfg(test)]
mod tests {
    /// The tests' crate redacts the lines this mark opens: the two must agree.
    #[test]
    fn the_tests_redact_the_timing_lines_by_their_mark() {
        assert_eq!(zerotsuku2_testing::TIMING, super::TIMING);
    }

    #[test]
    fn thousands_are_marked() {
        let marked = [0, 7, 999, 1_000, 19_544, 929_554, 1_000_000].map(super::thousands);
        assert_eq!(marked, ["0", "7", "999", "1,000", "19,544", "929,554", "1,000,000"]);
    }

    use super::*;

    #[test]
    fn dict_prints_as_python_does() {
        let (_, _, id_to_word) = preprocess(TEXT);
        assert_eq!(
            dict_str(&id_to_word),
            "{'you': 0, 'say': 1, 'goodbye': 2, 'and': 3, 'i': 4, 'hello': 5, '.': 6}"
        );
    }

    #[test]
    fn h_is_the_mean_of_the_two_context_rows() {
        let mut sink = Vec::new();
        let p = prologue(&mut sink, "title", &mut RandomState::default(), "W_in").unwrap();
        for (i, context) in p.contexts.rows().into_iter().enumerate() {
            let mean = (&p.w_in.row(context[0]) + &p.w_in.row(context[1])) / 2.0;
            assert_eq!(p.h.row(i), mean);
        }
        assert_eq!(p.target.to_vec(), [1, 2, 3, 4, 1, 5]);
    }

    /// Every line of every chapter fits an 80-column terminal (numpy wraps its arrays at 75),
    /// counting CJK characters as two columns, as terminals show them.
    #[test]
    fn every_snapshot_line_fits_80_columns() {
        use unicode_width::UnicodeWidthStr;
        let folder = zerotsuku2_testing::repo_path("snapshots");
        let mut snapshots = 0;
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "snap") {
                continue;
            }
            snapshots += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            let body = text.splitn(3, "---\n").nth(2).expect("insta's header, then the text");
            for (n, line) in body.lines().enumerate() {
                // a table lines up only without characters of ambiguous width (σ, ×, box
                // drawing), which Japanese terminals may show two columns wide
                assert!(
                    !line.starts_with('|') || line.width() == line.width_cjk(),
                    "{} line {}: a character of ambiguous width in a table\n{line}",
                    path.display(),
                    n + 1
                );
                assert!(
                    line.width() <= 80,
                    "{} line {}: {} columns\n{line}",
                    path.display(),
                    n + 1,
                    line.width()
                );
            }
        }
        assert!(snapshots >= 10, "only {snapshots} snapshots");
        // as a terminal shows them: CJK two columns each
        assert_eq!("前節 h".width(), 6);
    }

    #[test]
    fn tables_render_as_expected() {
        let text = table(&["word", "value"], &[vec!["say".into(), "[ 1.   -0.91]".into()]]);
        assert_eq!(
            text,
            "| word |         value |\n\
             |------|---------------|\n\
             | say  | [ 1.   -0.91] |"
        );
    }

    #[test]
    fn wide_tables_are_never_wrapped_to_a_terminal() {
        let wide = "x".repeat(300);
        let text = table(&["a", "b"], &[vec![wide.clone(), wide]]);
        assert_eq!(text.lines().count(), 3, "{text}");
    }
}
