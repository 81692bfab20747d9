//! Mirrors the book's `common/util.py`: the corpus helpers chapter 4 starts from.

use ndarray::{Array1, Array2};
use std::collections::HashMap;

/// `preprocess(text)`: lower-case, split `.` off, number the words in order of first
/// appearance.
///
/// Returns `(corpus, word_to_id, id_to_word)`. The ids run from 0 without gaps, so
/// `id_to_word` is a `Vec` indexed by id where the book uses a dict; `id_to_word[1]` reads the
/// same.
///
/// ```
/// let (corpus, word_to_id, id_to_word) =
///     zerotsuku2::util::preprocess("You say goodbye and I say hello.");
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
    assert!(
        window_size > 0,
        "create_contexts_target: window_size is 0, it must be at least 1"
    );
    let len = corpus.len();
    let rows = len.saturating_sub(2 * window_size);
    let target = corpus
        .iter()
        .skip(window_size)
        .take(rows)
        .copied()
        .collect();

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

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn contexts_and_target_of_the_books_sentence() {
        // the book's 3.3.1 shows these for window_size=1
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        assert_eq!(
            contexts,
            array![[0, 2], [1, 3], [2, 4], [3, 1], [4, 5], [1, 6]]
        );
        assert_eq!(target, array![1, 2, 3, 4, 1, 5]);
    }

    #[test]
    fn a_wider_window_takes_two_words_each_side() {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6];
        let (contexts, target) = create_contexts_target(&corpus, 2);
        assert_eq!(
            contexts,
            array![[0, 1, 3, 4], [1, 2, 4, 1], [2, 3, 1, 5], [3, 4, 5, 6]]
        );
        assert_eq!(target, array![2, 3, 4, 1]);
    }

    #[test]
    fn a_corpus_shorter_than_the_window_has_no_target() {
        let (contexts, target) = create_contexts_target(&array![0, 1], 1);
        assert_eq!(contexts.shape(), [0, 2]);
        assert!(target.is_empty());
    }

    #[test]
    #[should_panic(expected = "window_size is 0")]
    fn window_size_zero_panics() {
        create_contexts_target(&array![0, 1, 2], 0);
    }
}
