//! Beyond the book: 4.4.2's evaluation of word vectors by analogy questions ("man : woman =
//! king : ?"), as word2vec's `compute-accuracy` and gensim's
//! `KeyedVectors.evaluate_word_analogies` score them on Google's test set (`questions-words.txt`,
//! shipped in `src/dataset/`). The book quotes such a table from the literature; this lets a
//! reader make one.
//!
//! The answer to `a : b = c : ?` is 3CosAdd: the word whose unit vector is nearest in cosine to
//! `b̂ - â + ĉ`, the three question words excluded. (The book's own `analogy` in `util.py`,
//! [`crate::common::util::analogy`], adds the raw vectors `b - a + c` instead, and prints its top 5.)

use ndarray::{s, Array2, ArrayView2};
use std::collections::HashMap;

/// Google's analogy questions (Mikolov et al. 2013, from word2vec, Apache License 2.0): 19,544
/// in 14 sections, as `src/dataset/questions-words.txt` ships them.
pub const QUESTIONS_WORDS: &str = include_str!("../dataset/questions-words.txt");

/// One section of the test: its name (`capital-common-countries`, `gram3-comparative`, ...)
/// and its questions `a b c d`, read `a : b = c : d`, in lower case.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub name: String,
    pub questions: Vec<[String; 4]>,
}

impl Section {
    /// The book's table's split: the `gram*` sections are syntax, the others semantics.
    pub fn is_semantic(&self) -> bool {
        !self.name.starts_with("gram")
    }
}

/// The sections of a `questions-words.txt`: a line `: NAME` starts a section, each other line
/// is a question of four words, taken in lower case (as gensim's `case_insensitive=True` takes
/// them for a lower-case vocabulary, such as PTB's).
///
/// # Errors
/// The first line that is neither, or a question before any section, by its number.
pub fn parse(text: &str) -> Result<Vec<Section>, String> {
    let mut sections: Vec<Section> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(name) = line.strip_prefix(": ") {
            sections.push(Section { name: name.trim().to_string(), questions: Vec::new() });
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
        let question: [String; 4] = words.try_into().map_err(|words: Vec<String>| {
            format!("line {}: {} words, where a question has 4", number + 1, words.len())
        })?;
        let section = sections
            .last_mut()
            .ok_or_else(|| format!("line {}: a question before any `: section`", number + 1))?;
        section.questions.push(question);
    }
    Ok(sections)
}

/// How a section went: the questions whose four words were all in the vocabulary
/// (`answered`), and how many of those were answered right.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub correct: usize,
    pub answered: usize,
}

impl Score {
    /// `correct / answered` in percent (0 when nothing was answered).
    pub fn percent(&self) -> f64 {
        if self.answered == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.answered as f64
        }
    }

    fn add(self, other: Score) -> Score {
        Score { correct: self.correct + other.correct, answered: self.answered + other.answered }
    }
}

/// Each section's score, and the totals the book's table shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// `(name, is_semantic, score)`, in the test's order
    pub sections: Vec<(String, bool, Score)>,
}

impl Report {
    /// The semantic sections' total.
    pub fn semantics(&self) -> Score {
        self.sum(|semantic| semantic)
    }

    /// The `gram*` sections' total.
    pub fn syntax(&self) -> Score {
        self.sum(|semantic| !semantic)
    }

    /// 総合: every section.
    pub fn total(&self) -> Score {
        self.sum(|_| true)
    }

    fn sum(&self, which: impl Fn(bool) -> bool) -> Score {
        self.sections
            .iter()
            .filter(|(_, semantic, _)| which(*semantic))
            .fold(Score::default(), |sum, (_, _, score)| sum.add(*score))
    }
}

/// The vocabulary's first `restrict_vocab` words as unit vectors, in float64, to answer
/// questions with.
pub struct UnitVectors {
    /// `(R, H)`: each row divided by its length (a zero row stays zero)
    unit: Array2<f64>,
}

/// How many questions [`UnitVectors::answer`] scores at once: at most 256, and at most 32 MiB
/// of scores (`(questions, V)` in float64), so that a vocabulary of millions costs no more.
fn questions_at_once(vocab_size: usize) -> usize {
    ((32 << 20) / (8 * vocab_size.max(1))).clamp(1, 256)
}

impl UnitVectors {
    /// The first `restrict_vocab` rows of `word_vecs` (all of them if there are fewer), as
    /// gensim's `restrict_vocab` takes the first words of its order.
    pub fn new(word_vecs: ArrayView2<'_, f32>, restrict_vocab: usize) -> Self {
        let rows = restrict_vocab.min(word_vecs.nrows());
        let mut unit = word_vecs.slice(s![..rows, ..]).mapv(f64::from);
        for mut row in unit.rows_mut() {
            let norm = row.dot(&row).sqrt();
            if norm > 0.0 {
                row /= norm;
            }
        }
        UnitVectors { unit }
    }

    /// How many words may answer.
    pub fn len(&self) -> usize {
        self.unit.nrows()
    }

    pub fn is_empty(&self) -> bool {
        self.unit.nrows() == 0
    }

    /// The answer to each `[a, b, c]` (`a : b = c : ?`): the id, other than the three, whose
    /// unit vector has the largest cosine with `b̂ - â + ĉ` (the lowest id of equals).
    ///
    /// # Panics
    /// If an id is not below [`len`](Self::len).
    pub fn answer(&self, questions: &[[usize; 3]]) -> Vec<usize> {
        let rows = self.len();
        if let Some(id) = questions.iter().flatten().find(|&&id| id >= rows) {
            panic!("UnitVectors::answer: id {id} is not below the {rows} words that may answer");
        }
        let mut answers = Vec::with_capacity(questions.len());
        for chunk in questions.chunks(questions_at_once(rows)) {
            // b̂ - â + ĉ for each; its length changes no cosine's order, so it stays as it is
            let mut query = Array2::zeros((chunk.len(), self.unit.ncols()));
            for (mut q, &[a, b, c]) in query.rows_mut().into_iter().zip(chunk) {
                q += &self.unit.row(b);
                q -= &self.unit.row(a);
                q += &self.unit.row(c);
            }
            let scores = query.dot(&self.unit.t());
            for (scores, &[a, b, c]) in scores.rows().into_iter().zip(chunk) {
                // a plain loop over the row: it runs V times a question, and stays quick even
                // unoptimized, as the tests build it
                let scores = scores.to_slice().expect("a row of a new array is contiguous");
                let mut best: Option<(usize, f64)> = None;
                for (id, &score) in scores.iter().enumerate() {
                    if id == a || id == b || id == c {
                        continue;
                    }
                    match best {
                        Some((_, top)) if top >= score => {}
                        _ => best = Some((id, score)),
                    }
                }
                answers.push(best.map_or(usize::MAX, |(id, _)| id));
            }
        }
        answers
    }
}

/// Each section's score for `word_vecs`: the questions whose four words are among the first
/// `restrict_vocab` of the vocabulary, answered by 3CosAdd over those words. gensim's
/// `evaluate_word_analogies(..., restrict_vocab=R, case_insensitive=True)` counts the same for a
/// lower-case vocabulary (a test holds it to gensim's counts).
pub fn evaluate(
    word_vecs: ArrayView2<'_, f32>,
    word_to_id: &HashMap<String, usize>,
    sections: &[Section],
    restrict_vocab: usize,
) -> Report {
    let unit = UnitVectors::new(word_vecs, restrict_vocab);
    let id = |word: &String| word_to_id.get(word).copied().filter(|&id| id < unit.len());
    let mut report = Report { sections: Vec::new() };
    for section in sections {
        let asked: Vec<[usize; 4]> = section
            .questions
            .iter()
            .filter_map(|[a, b, c, d]| Some([id(a)?, id(b)?, id(c)?, id(d)?]))
            .collect();
        let answers = unit.answer(&asked.iter().map(|&[a, b, c, _]| [a, b, c]).collect::<Vec<_>>());
        let correct = answers.iter().zip(&asked).filter(|(answer, q)| **answer == q[3]).count();
        let score = Score { correct, answered: asked.len() };
        report.sections.push((section.name.clone(), section.is_semantic(), score));
    }
    report
}

/// How many questions the test has, semantic and syntactic, and how many have all four words
/// in the vocabulary.
pub fn question_counts(
    sections: &[Section],
    word_to_id: &std::collections::HashMap<String, usize>,
    vocab_size: usize,
) -> (usize, usize, usize, usize) {
    let count = |semantic: bool| -> usize {
        sections.iter().filter(|s| s.is_semantic() == semantic).map(|s| s.questions.len()).sum()
    };
    let known = sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter(|q| q.iter().all(|w| word_to_id.get(w).is_some_and(|&id| id < vocab_size)))
        .count();
    (count(true) + count(false), count(true), count(false), known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2_testing::{golden, golden_bytes};

    #[test]
    fn the_test_set_has_googles_sections() {
        let sections = parse(QUESTIONS_WORDS).unwrap();
        assert_eq!(sections.len(), 14);
        let count = |semantic: bool| -> usize {
            sections.iter().filter(|s| s.is_semantic() == semantic).map(|s| s.questions.len()).sum()
        };
        // Mikolov et al. 2013: 8,869 semantic and 10,675 syntactic questions
        assert_eq!((count(true), count(false)), (8_869, 10_675));
        assert_eq!(sections[0].name, "capital-common-countries");
        assert_eq!(
            sections[0].questions[0],
            ["athens", "greece", "baghdad", "iraq"].map(String::from)
        );
        assert!(sections[..5].iter().all(Section::is_semantic));
        assert!(!sections[5..].iter().any(Section::is_semantic));
    }

    #[test]
    fn a_malformed_line_is_named() {
        assert_eq!(parse(": s\na b c\n").unwrap_err(), "line 2: 3 words, where a question has 4");
        assert_eq!(parse("a b c d\n").unwrap_err(), "line 1: a question before any `: section`");
    }

    /// A hand-made case: `a : b = c : d` with `d = c + (b - a)` exactly, and a decoy that is
    /// nearer `b̂ - â + ĉ` than `d` only through a question word, which is excluded.
    #[test]
    fn answers_by_3cosadd_without_the_question_words() {
        let word_vecs = ndarray::array![
            [1.0f32, 0.0, 0.0], // a
            [1.0, 1.0, 0.0],    // b
            [0.0, 0.0, 1.0],    // c
            [0.0, 1.0, 1.0],    // d
            [0.2, 0.1, 1.0],    // decoy, far from b - a + c
        ];
        let unit = UnitVectors::new(word_vecs.view(), 5);
        assert_eq!(unit.answer(&[[0, 1, 2]]), [3]);
        // restricted to the first 3 words, only question words remain: no answer
        assert_eq!(UnitVectors::new(word_vecs.view(), 3).answer(&[[0, 1, 2]]), [usize::MAX]);
        // restricted to 4, a question on the decoy is not asked
        let words = ["a", "b", "c", "d", "decoy"];
        let word_to_id = words.iter().enumerate().map(|(i, w)| (w.to_string(), i)).collect();
        let sections = parse(": s\na b c d\na b c decoy\n").unwrap();
        let report = evaluate(word_vecs.view(), &word_to_id, &sections, 4);
        assert_eq!(report.total(), Score { correct: 1, answered: 1 });
    }

    /// gensim's `evaluate_word_analogies` on the 2,000 vectors of `analogy_params.pkl`, as
    /// `chapters/golden/analogy_gensim.py` recorded it: every section's counts for two
    /// `restrict_vocab`, and the first 30 questions' answers word for word.
    #[test]
    fn counts_what_gensim_counts() {
        let params =
            crate::page::pickle::loads(&golden_bytes("chapters/golden/analogy_params.pkl"))
                .unwrap();
        let word_vecs = params.word_vecs.mapv(half::f16::to_f32);
        let sections = parse(QUESTIONS_WORDS).unwrap();
        let text = golden("chapters/golden/analogy_gensim.txt");
        let mut lines = text.lines().peekable();
        let mut checked = 0;
        while let Some(line) = lines.next() {
            if let Some(r) = line.strip_prefix("restrict_vocab ") {
                let report =
                    evaluate(word_vecs.view(), &params.word_to_id, &sections, r.parse().unwrap());
                for (name, _, score) in &report.sections {
                    let expected = format!("{name} {} {}", score.correct, score.answered);
                    assert_eq!(lines.next(), Some(expected.as_str()), "restrict_vocab {r}");
                }
                let total = report.total();
                let expected = format!("total {} {}", total.correct, total.answered);
                assert_eq!(lines.next(), Some(expected.as_str()), "restrict_vocab {r}");
                checked += 1;
            } else if let Some(rest) = line.strip_prefix("questions ") {
                let restrict: usize = rest.split(' ').next().unwrap().parse().unwrap();
                let unit = UnitVectors::new(word_vecs.view(), restrict);
                let id = |w: &str| params.word_to_id[w];
                while let Some(q) = lines.next_if(|l| l.starts_with("q ")) {
                    let w: Vec<&str> = q.split(' ').skip(1).collect();
                    let answer = unit.answer(&[[id(w[0]), id(w[1]), id(w[2])]])[0];
                    assert_eq!(params.id_to_word[answer], w[4], "{q}");
                    checked += 1;
                }
            }
        }
        // the two reports and the 30 answers
        assert_eq!(checked, 32);
    }
}
