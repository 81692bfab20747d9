//! Mirrors the book's `common/util.py`: the corpus helpers chapter 4 starts from, and the
//! evaluation of 4.3.3 (`most_similar`, `analogy`).

use crate::np::{float16, float16_str, float_str};
use half::f16;
use ndarray::{Array1, Array2, ArrayView1};
use std::collections::HashMap;
use std::io::{self, Write};

/// `preprocess(text)`: lower-case, split `.` off, number the words in order of first
/// appearance.
///
/// Returns `(corpus, word_to_id, id_to_word)`. The ids run from 0 without gaps, so
/// `id_to_word` is a `Vec` indexed by id where the book uses a dict; `id_to_word[1]` reads the
/// same.
///
/// ```
/// let (corpus, word_to_id, id_to_word) =
///     zerotsuku2::common::util::preprocess("You say goodbye and I say hello.");
/// assert_eq!(corpus.to_vec(), [0, 1, 2, 3, 4, 1, 5, 6]);
/// assert_eq!(word_to_id["say"], 1);
/// assert_eq!(id_to_word[6], ".");
/// ```
pub fn preprocess(text: &str) -> (Array1<usize>, HashMap<String, usize>, Vec<String>) {
    let text = text.to_lowercase();
    let text = text.replace('.', " .");
    // split(' ') as Python's text.split(' '): one space each, no collapsing
    let words: Vec<&str> = text.split(' ').collect();

    let mut word_to_id = HashMap::new();
    let mut id_to_word = Vec::new();
    for word in &words {
        if !word_to_id.contains_key(*word) {
            let new_id = word_to_id.len();
            word_to_id.insert(word.to_string(), new_id);
            id_to_word.push(word.to_string());
        }
    }

    let corpus = words.iter().map(|w| word_to_id[*w]).collect();

    (corpus, word_to_id, id_to_word)
}

/// `create_contexts_target(corpus, window_size)`: for each word with `window_size` words on
/// both sides, the surrounding words (the contexts) and the word itself (the target).
///
/// # Shapes
/// `corpus: (T,) -> contexts: (T - 2 * window_size, 2 * window_size), target: (T - 2 * window_size,)`
///
/// # Panics
/// If `window_size` is 0 (no context at all; the book's slicing `corpus[0:-0]` would give an
/// empty target beside a full list of empty contexts).
pub fn create_contexts_target(
    corpus: &Array1<usize>,
    window_size: usize,
) -> (Array2<usize>, Array1<usize>) {
    assert!(window_size > 0, "create_contexts_target: window_size is 0, it must be at least 1");
    let width = window_size.checked_mul(2).unwrap_or_else(|| {
        panic!("create_contexts_target: window_size = {window_size} is over usize::MAX / 2")
    });
    let len = corpus.len();
    let rows = len.saturating_sub(width);
    let target = corpus.iter().skip(window_size).take(rows).copied().collect();

    let mut contexts = Vec::with_capacity(rows * 2 * window_size);
    for idx in window_size..window_size + rows {
        for t in idx - window_size..=idx + window_size {
            if t == idx {
                continue;
            }
            contexts.push(corpus[t]);
        }
    }
    let contexts = Array2::from_shape_vec((rows, 2 * window_size), contexts)
        .expect("each row holds 2 * window_size words");

    (contexts, target)
}

/// `cos_similarity(x, y, eps=1e-8)`: `x` and `y` each divided by its norm, then dotted; in
/// float16 as numpy computes it for the book's float16 vectors (see [`float16`]).
///
/// # Panics
/// If `x` and `y` differ in length.
pub fn cos_similarity(x: ArrayView1<'_, f16>, y: ArrayView1<'_, f16>) -> f16 {
    // nx = x / (np.sqrt(np.sum(x ** 2)) + eps)
    let nx = float16::divided_by_norm(x);
    // ny = y / (np.sqrt(np.sum(y ** 2)) + eps)
    let ny = float16::divided_by_norm(y);
    // return np.dot(nx, ny)
    float16::dot(nx.view(), ny.view())
}

/// `most_similar(query, word_to_id, id_to_word, word_matrix, top=5)`: prints the `top` words
/// nearest to `query` by cosine similarity, as the book prints them.
pub fn most_similar(
    out: &mut dyn Write,
    query: &str,
    word_to_id: &HashMap<String, usize>,
    id_to_word: &[String],
    word_matrix: &Array2<f16>,
    top: usize,
) -> io::Result<()> {
    let Some(&query_id) = word_to_id.get(query) else {
        return writeln!(out, "{query} is not found");
    };

    writeln!(out, "\n[query] {query}")?;
    let query_vec = word_matrix.row(query_id);

    // similarity = np.zeros(vocab_size)  (float64, holding each float16 result)
    let similarity: Vec<f64> =
        word_matrix.rows().into_iter().map(|row| cos_similarity(row, query_vec).to_f64()).collect();

    let mut count = 0;
    // for i in (-1 * similarity).argsort():
    for i in argsort_descending(&similarity) {
        if id_to_word[i] == query {
            continue;
        }
        writeln!(out, " {}: {}", id_to_word[i], float_str(similarity[i]))?;

        count += 1;
        if count >= top {
            return Ok(());
        }
    }
    Ok(())
}

/// `analogy(a, b, c, word_to_id, id_to_word, word_matrix, top=5, answer=None)`: prints the
/// words nearest to `b - a + c` (`king:man = queen:?`), the normalized query dotted with the
/// unnormalized vectors as the book does. An `answer` outside the vocabulary prints nothing
/// (the book raises `KeyError`).
#[allow(clippy::too_many_arguments)] // the book's signature
pub fn analogy(
    out: &mut dyn Write,
    a: &str,
    b: &str,
    c: &str,
    word_to_id: &HashMap<String, usize>,
    id_to_word: &[String],
    word_matrix: &Array2<f16>,
    top: usize,
    answer: Option<&str>,
) -> io::Result<()> {
    for word in [a, b, c] {
        if !word_to_id.contains_key(word) {
            return writeln!(out, "{word} is not found");
        }
    }

    writeln!(out, "\n[analogy] {a}:{b} = {c}:?")?;
    let (a_vec, b_vec, c_vec) = (
        word_matrix.row(word_to_id[a]),
        word_matrix.row(word_to_id[b]),
        word_matrix.row(word_to_id[c]),
    );
    // query_vec = b_vec - a_vec + c_vec
    let query_vec: Array1<f16> = ndarray::Zip::from(&b_vec)
        .and(&a_vec)
        .and(&c_vec)
        .map_collect(|&b, &a, &c| float16::add(float16::sub(b, a), c));
    // query_vec = normalize(query_vec)
    let query_vec = normalize(query_vec);

    // similarity = np.dot(word_matrix, query_vec)
    let similarity: Vec<f16> =
        word_matrix.rows().into_iter().map(|row| float16::dot(row, query_vec.view())).collect();

    if let Some(answer) = answer {
        if let Some(&id) = word_to_id.get(answer) {
            let score = float16::dot(word_matrix.row(id), query_vec.view());
            writeln!(out, "==>{answer}:{}", float16_str(score))?;
        }
    }

    let mut count = 0;
    let wide: Vec<f64> = similarity.iter().map(|s| s.to_f64()).collect();
    for i in argsort_descending(&wide) {
        if similarity[i].is_nan() {
            continue;
        }
        if [a, b, c].contains(&id_to_word[i].as_str()) {
            continue;
        }
        // ' {0}: {1}'.format(...) formats a np.float16 as a Python float
        writeln!(out, " {}: {}", id_to_word[i], float_str(wide[i]))?;

        count += 1;
        if count >= top {
            return Ok(());
        }
    }
    Ok(())
}

/// `normalize(x)` for a vector: `x /= np.sqrt((x * x).sum())`, in float16.
pub fn normalize(mut x: Array1<f16>) -> Array1<f16> {
    let squares: Vec<f16> = x.iter().map(|&v| float16::mul(v, v)).collect();
    let s = float16::sqrt(float16::sum(&squares));
    x.mapv_inplace(|v| float16::div(v, s));
    x
}

/// `(-1 * x).argsort()` for the book's loops: the ids from the largest value down, NaN last.
/// numpy's quicksort leaves the order of equal values unspecified; this keeps them in id
/// order (the book's pretrained vectors have no ties among the words they print).
fn argsort_descending(x: &[f64]) -> Vec<usize> {
    let mut ids: Vec<usize> = (0..x.len()).collect();
    // as numpy compares: 0.0 equals -0.0, and every NaN goes last
    ids.sort_by(|&i, &j| {
        let order = match (x[i].is_nan(), x[j].is_nan()) {
            (false, false) => x[j].partial_cmp(&x[i]).expect("neither is NaN"),
            (nan_i, nan_j) => nan_i.cmp(&nan_j),
        };
        order.then(i.cmp(&j))
    });
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn contexts_and_target_of_the_books_sentence() {
        // the book's 3.3.1 shows these for window_size=1
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        assert_eq!(contexts, array![[0, 2], [1, 3], [2, 4], [3, 1], [4, 5], [1, 6]]);
        assert_eq!(target, array![1, 2, 3, 4, 1, 5]);
    }

    #[test]
    fn a_wider_window_takes_two_words_each_side() {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6];
        let (contexts, target) = create_contexts_target(&corpus, 2);
        assert_eq!(contexts, array![[0, 1, 3, 4], [1, 2, 4, 1], [2, 3, 1, 5], [3, 4, 5, 6]]);
        assert_eq!(target, array![2, 3, 4, 1]);
    }

    #[test]
    fn a_corpus_shorter_than_the_window_has_no_target() {
        let (contexts, target) = create_contexts_target(&array![0, 1], 1);
        assert_eq!(contexts.shape(), [0, 2]);
        assert!(target.is_empty());
    }

    #[test]
    fn most_similar_ranks_as_numpy_sorts() {
        // equal values (0.0 and -0.0 too) in id order, every NaN last
        let x = [0.5, f64::NAN, -0.0, 0.9, 0.0, 0.5, -f64::NAN, -1.0];
        assert_eq!(argsort_descending(&x), [3, 0, 5, 2, 4, 7, 1, 6]);
    }

    #[test]
    #[should_panic(expected = "over usize::MAX / 2")]
    fn a_window_too_wide_to_count_panics() {
        create_contexts_target(&array![0, 1, 2], usize::MAX / 2 + 1);
    }

    #[test]
    #[should_panic(expected = "window_size is 0")]
    fn window_size_zero_panics() {
        create_contexts_target(&array![0, 1, 2], 0);
    }
}
