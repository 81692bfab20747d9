//! 4.4.2 単語ベクトルの評価方法 — the book's table of analogy accuracy by model, number of
//! dimensions and corpus size, made on the reader's machine.
//! Run: `cargo run --release --example ch4_4_2 [-- --params PATH]` (the default run trains 10
//! models, a couple of minutes).
//! Beyond the book: the book quotes its table from the literature and has no code for it. Here
//! each row is trained with `ch4_3_2 --fast` (word2vec's SGD and windows) on the shipped corpus
//! or its first part, and scored on Google's analogy questions by 3CosAdd, as gensim's
//! `evaluate_word_analogies` scores them (the book's `analogy` adds raw vectors instead).

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use zerotsuku2::ch04::cbow::{CBOW, SAMPLE_SIZE};
use zerotsuku2::ch04::skip_gram::SkipGram;
use zerotsuku2::common::optimizer::Adam;
use zerotsuku2::common::trainer::{Model, Trainer};
use zerotsuku2::common::util::create_contexts_target;
use zerotsuku2::fast::{self, models::Architecture, Mode};
use zerotsuku2::np::random::RandomState;
use zerotsuku2::page::analogies::{self, Report, Section};
use zerotsuku2::page::cli::{Args, Failure, Flag, Page};
use zerotsuku2::page::lang::pick;
use zerotsuku2::page::notebook::{opening, table, thousands, TIMING};
use zerotsuku2::page::pickle;
use zerotsuku2::page::progress;
use zerotsuku2::page::training::{self, NamedCorpus, BATCH_SIZE, WINDOW_SIZE};

/// One row of the table: the model, `hidden_size`, and the part of the corpus it reads (its
/// first `1 / part`).
#[derive(Clone, Copy)]
pub struct Row {
    pub model: Architecture,
    pub hidden_size: usize,
    pub part: usize,
}

/// The default run's rows: each model on a quarter, a half and all of the corpus at 100
/// dimensions, and on all of it at 50 and 300.
pub const ROWS: [(usize, usize); 5] = [(100, 4), (100, 2), (50, 1), (100, 1), (300, 1)];

/// What the command line chose.
pub struct Options {
    /// the corpus, loaded
    pub corpus: NamedCorpus,
    pub max_epoch: usize,
    /// word2vec's training (`ch4_3_2 --fast`), on its threads
    pub mode: Mode,
    /// `(hidden_size, part)` of each model's rows
    pub rows: Vec<(usize, usize)>,
}

pub fn run(out: &mut dyn Write, rng: &mut RandomState, options: &Options) -> Result<(), Failure> {
    opening(
        out,
        "4.4.2 単語ベクトルの評価方法",
        rng,
        "モデルごとに同じ乱数から W_in、W_out、エポックごとのシャッフル、窓、負例",
    )?;
    let sections = analogies::parse(analogies::QUESTIONS_WORDS).expect("the shipped test set");
    let NamedCorpus { name, corpus } = &options.corpus;
    let (corpus, word_to_id) = (&corpus.corpus, &corpus.word_to_id);
    let vocab_size = word_to_id.len();
    writeln!(out, "\n# 類推問題: Google の questions-words.txt (word2vec の評価セット)")?;
    let all = question_counts(&sections, word_to_id, vocab_size);
    writeln!(
        out,
        "» {} 問 (semantics {}、syntax {})。",
        thousands(all.0),
        thousands(all.1),
        thousands(all.2),
    )?;
    writeln!(
        out,
        "» 解くのは、4語とも語彙 ({} 語) にある {} 問",
        thousands(vocab_size),
        thousands(all.3)
    )?;
    writeln!(out, "» 答えは 3CosAdd: b̂ - â + ĉ と cos 類似度が最大の単語 (a, b, c を除く)")?;

    writeln!(
        out,
        "\n# 学習: ch4_3_2 --fast (word2vec の SGD と窓)、{} エポック",
        options.max_epoch
    )?;
    let parts: Vec<String> = {
        let mut parts: Vec<usize> = options.rows.iter().map(|&(_, part)| part).collect();
        parts.sort_unstable_by(|a, b| b.cmp(a));
        parts.dedup();
        parts
            .into_iter()
            .map(|p| if p == 1 { "全体".to_string() } else { format!("1/{p}") })
            .collect()
    };
    writeln!(
        out,
        "» コーパス: {name} ({} 語) の先頭 {}",
        thousands(corpus.len()),
        parts.join("、")
    )?;
    writeln!(out, "» どの行も同じ語彙で同じ問題を解く (コーパスの一部に出ない単語は")?;
    writeln!(out, "»   初期値のまま)")?;
    let mut results = Vec::new();
    for model in [Architecture::Cbow, Architecture::SkipGram] {
        for &(hidden_size, part) in &options.rows {
            let row = Row { model, hidden_size, part };
            let words = corpus.slice(ndarray::s![..corpus.len() / part]);
            let (name, count) = (model_name(model), words.len());
            progress(&pick(
                format!("ch4_4_2: training {name} with {hidden_size} dimensions on {count} words"),
                format!("ch4_4_2: {name} を {hidden_size} 次元で {count} 語から学習中"),
            ));
            let start = Instant::now();
            // the same draws for every row, whatever the rows before it
            let mut rng = rng.clone();
            let word_vecs = train(row, words, options, &mut rng);
            let seconds = start.elapsed().as_secs_f64();
            let report = analogies::evaluate(word_vecs.view(), word_to_id, &sections, vocab_size);
            writeln!(
                out,
                "{TIMING}{}、{hidden_size} 次元、{}: {seconds:.1} s で学習、総合 {:.1}%",
                model_name(model),
                part_name(part),
                report.total().percent()
            )?;
            out.flush().map_err(|e| Failure::of_training(e, ("", "")))?;
            results.push((row, words.len(), report));
        }
    }

    writeln!(out, "\n# 類推問題の正答率 (%)")?;
    let header = ["モデル", "次元数", "コーパスサイズ", "semantics", "syntax", "総合"];
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|(row, words, report)| {
            vec![
                model_name(row.model).to_string(),
                row.hidden_size.to_string(),
                format!("{:.2}M", *words as f64 / 1e6),
                format!("{:.1}", report.semantics().percent()),
                format!("{:.1}", report.syntax().percent()),
                format!("{:.1}", report.total().percent()),
            ]
        })
        .collect();
    writeln!(out, "{}", table(&header, &rows))?;
    for line in conclusions(&results) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// How many questions the test has, semantic and syntactic, and how many have all four words
/// in the vocabulary.
fn question_counts(
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

/// One row's `word_vecs`: its model trained as `ch4_3_2 --fast` trains it (the book's
/// `train.py` with `hidden_size` and the corpus's first `words`, on the engine's word2vec
/// mode), its loss lines unprinted.
fn train(
    row: Row,
    words: ndarray::ArrayView1<'_, usize>,
    options: &Options,
    rng: &mut RandomState,
) -> ndarray::Array2<f32> {
    let vocab_size = options.corpus.corpus.id_to_word.len();
    let (contexts, target) = create_contexts_target(&words.to_owned(), WINDOW_SIZE);
    let (h, w) = (row.hidden_size, WINDOW_SIZE);
    let model: Box<dyn Model> = match row.model {
        Architecture::Cbow => Box::new(CBOW::new(vocab_size, h, w, words, rng)),
        Architecture::SkipGram => Box::new(SkipGram::new(vocab_size, h, w, words, rng)),
    };
    let mut trainer = Trainer::new(model, Adam::default());
    fast::train(&mut trainer, options.mode)
        .showing(progress::bar())
        .fit(&mut std::io::sink(), &contexts, &target, options.max_epoch, BATCH_SIZE, rng)
        .expect("a sink takes every line");
    trainer.model.word_vecs().clone()
}

/// Each of the book's three conclusions, and whether these numbers bear it out. A row that
/// answered no question has no accuracy (not 0%): it is left out, and a conclusion without the
/// rows it needs cannot be judged.
fn conclusions(results: &[(Row, usize, Report)]) -> Vec<String> {
    // the rows that answered something, and their totals
    let scored: Vec<(Row, f64)> = results
        .iter()
        .filter(|(_, _, report)| report.total().answered > 0)
        .map(|(row, _, report)| (*row, report.total().percent()))
        .collect();
    let total = |model: Architecture, hidden: usize, part: usize| {
        scored
            .iter()
            .find(|(r, _)| r.model == model && r.hidden_size == hidden && r.part == part)
            .map(|&(_, total)| total)
    };
    let models = [Architecture::Cbow, Architecture::SkipGram];
    // each conclusion's line; without the rows it compares, a second line says which it needed
    let verdict = |lines: &mut Vec<String>, claim: &str, judged: Option<bool>, needs: &str| {
        let said = match judged {
            Some(true) => "成り立つ",
            Some(false) => "この数字では成り立たない",
            None => "判断できない",
        };
        lines.push(format!("» {claim}: {said}"));
        if judged.is_none() {
            lines.push(format!("»   ({needs}、問題に答えた行がない)"));
        }
    };
    let mut lines = Vec::new();

    // モデルによって精度が異なる: the models' totals apart, at a setting both were trained at,
    // by a point or more (some 40 of the 4,301 questions PTB-sized vocabularies answer; one
    // model's accuracy wavers by about a third of a point from seed to seed)
    let (mut ahead, mut tied) = ([0, 0], 0);
    let mut widest = 0f64;
    for &(row, cbow) in scored.iter().filter(|(r, _)| r.model == models[0]) {
        if let Some(other) = total(models[1], row.hidden_size, row.part) {
            match other.partial_cmp(&cbow) {
                Some(std::cmp::Ordering::Equal) => tied += 1,
                _ => ahead[usize::from(other > cbow)] += 1,
            }
            widest = widest.max((other - cbow).abs());
        }
    }
    let compared = ahead[0] + ahead[1] + tied;
    let judged = (compared > 0).then_some(widest >= 1.0);
    verdict(&mut lines, "モデルで精度が異なる", judged, "同じ設定の 2 つのモデルで");
    if compared > 0 {
        let ties = if tied > 0 { format!("、同じ {tied}") } else { String::new() };
        lines.push(format!(
            "»   {compared} の設定で skip-gram が上 {}、CBOW が上 {}{ties}。差は最大 {widest:.1} ポイント",
            ahead[1], ahead[0],
        ));
        lines.push("»   (1 ポイント以上を差とする)".to_string());
    }

    // 大きいコーパスのほうが良い: each model's total rising with the part read, at the
    // dimensions trained on parts
    let parted = results.iter().find(|(r, _, _)| r.part > 1).map_or(0, |(r, _, _)| r.hidden_size);
    let mut grows = None;
    let mut shown = Vec::new();
    for model in models {
        let mut parts: Vec<(usize, f64)> = scored
            .iter()
            .filter(|(r, _)| r.model == model && r.hidden_size == parted)
            .map(|(r, total)| (r.part, *total))
            .collect();
        parts.sort_by_key(|&(part, _)| std::cmp::Reverse(part));
        if parts.len() > 1 {
            let rising = parts.windows(2).all(|w| w[1].1 > w[0].1);
            grows = Some(grows.unwrap_or(true) && rising);
            let values: Vec<String> = parts.iter().map(|(_, t)| format!("{t:.1}")).collect();
            shown.push(format!("{} {}", model_name(model), values.join(" → ")));
        }
    }
    let needs = "同じ次元数で大きさの違うコーパスの";
    verdict(&mut lines, "コーパスは大きいほど良い", grows, needs);
    if grows.is_some() {
        lines.push(format!("»   {parted} 次元で {} (%)", shown.join("、")));
    }

    // 次元数は適度な大きさが必要: the most dimensions not the best for some model, on the
    // largest part trained
    let largest = results.iter().map(|(r, _, _)| r.part).min().unwrap_or(1);
    let mut best = Vec::new();
    let mut tried_dims = String::new();
    let mut suitable = None;
    for model in models {
        let mut dims: Vec<(usize, f64)> = scored
            .iter()
            .filter(|(r, _)| r.model == model && r.part == largest)
            .map(|(r, total)| (r.hidden_size, *total))
            .collect();
        dims.sort_by_key(|&(hidden, _)| hidden);
        if dims.len() < 3 {
            continue;
        }
        // the first of equals: the fewest dimensions that do as well
        let top = dims.iter().fold(None, |top: Option<(usize, f64)>, &(h, t)| match top {
            Some((_, at)) if at >= t => top,
            _ => Some((h, t)),
        });
        if let Some((top, _)) = top {
            suitable = Some(suitable.unwrap_or(false) || top != dims[dims.len() - 1].0);
            let tried: Vec<String> = dims.iter().map(|(h, _)| h.to_string()).collect();
            best.push(format!("{} {top} 次元", model_name(model)));
            tried_dims = tried.join("/");
        }
    }
    let claim = "次元数は適度な大きさが必要 (大きすぎると下がる)";
    verdict(&mut lines, claim, suitable, "同じコーパスで 3 つ以上の次元数の");
    if suitable.is_some() {
        lines.push(format!("»   {tried_dims} 次元のうち、最良は {}", best.join("、")));
    }
    lines
}

fn model_name(model: Architecture) -> &'static str {
    match model {
        Architecture::Cbow => "CBOW",
        Architecture::SkipGram => "skip-gram",
    }
}

fn part_name(part: usize) -> String {
    if part == 1 {
        "コーパス全体".to_string()
    } else {
        format!("コーパスの 1/{part}")
    }
}

/// A line on stderr when it is a terminal: which model is training (its progress bar follows).
fn progress(line: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("{line}");
    }
}

/// `--params PATH`: one pickle's score, section by section.
fn evaluate_params(out: &mut dyn Write, path: &Path) -> Result<(), Failure> {
    let name = path.display();
    let what = ("a params file", "params ファイル");
    let bytes = zerotsuku2::page::files::read_at_most(path, pickle::MAX_BYTES, what)
        .map_err(Failure::Usage)?;
    let params = pickle::loads(&bytes).map_err(|e| {
        Failure::Usage(pick(
            format!("{name} is not the book's params pickle: {e}"),
            format!("{name} は本の params の pickle ではありません: {e}"),
        ))
    })?;
    let sections = analogies::parse(analogies::QUESTIONS_WORDS).expect("the shipped test set");
    let (vocab_size, hidden_size) = params.word_vecs.dim();
    if hidden_size == 0 {
        return Err(Failure::Usage(pick(
            format!("{name} holds vectors of 0 dimensions: no question can be answered by them"),
            format!("{name} のベクトルは 0 次元です: どの問題にも答えられません"),
        )));
    }
    let word_vecs = params.word_vecs.mapv(half::f16::to_f32);
    let report = analogies::evaluate(word_vecs.view(), &params.word_to_id, &sections, vocab_size);
    writeln!(out, "4.4.2 単語ベクトルの評価方法")?;
    writeln!(out, "\n# 類推問題の正答率: {name} ({vocab_size} 語 x {hidden_size} 次元)")?;
    let line = |label: &str, score: analogies::Score| {
        format!(
            "{label:<28} {:>5} / {:>5} = {:>5.1}%",
            score.correct,
            score.answered,
            score.percent()
        )
    };
    for (section, _, score) in &report.sections {
        writeln!(out, "{}", line(section, *score))?;
    }
    writeln!(out)?;
    writeln!(out, "{}", line("semantics", report.semantics()))?;
    writeln!(out, "{}", line("syntax", report.syntax()))?;
    writeln!(out, "{}", line("total", report.total()))?;
    Ok(())
}

const FLAGS: [Flag; 4] = [
    Flag {
        name: "--params",
        value: Some("PATH"),
        help: "only score this params pickle, e.g. ch4_3_2's or the book's",
        help_ja: "この pickle を採点するだけ (ch4_3_2 のものや本のもの)",
    },
    Flag {
        name: "--corpus",
        value: Some("PATH"),
        help: "a PTB-format text, e.g. the book's ptb.train.txt",
        help_ja: "PTB 形式のテキスト (本の ptb.train.txt など)",
    },
    Flag {
        name: "--epochs",
        value: Some("N"),
        help: "epochs to train each model (default 10)",
        help_ja: "各モデルを学習するエポック数 (既定 10)",
    },
    Flag {
        name: "--threads",
        value: Some("N"),
        help: "2 (the default) draws the next batch on a second thread",
        help_ja: "2 (既定) なら次のバッチを別スレッドで用意",
    },
];

fn options(args: &Args) -> Result<Options, Failure> {
    let corpus = NamedCorpus::load(args.value("--corpus"))?;
    // each part must train as ch4_3_2 trains: a batch of 100 with window 5, 5 negatives
    let ids = &corpus.corpus.corpus;
    let smallest = &ids.as_slice().expect("a new array")[..ids.len() / 4];
    let distinct = smallest.iter().collect::<std::collections::HashSet<_>>().len();
    if smallest.len() < 2 * WINDOW_SIZE + BATCH_SIZE || distinct <= SAMPLE_SIZE {
        let (name, words) = (&corpus.name, smallest.len());
        let (needed, needed_distinct) = (2 * WINDOW_SIZE + BATCH_SIZE, SAMPLE_SIZE + 1);
        return Err(Failure::Usage(pick(
            format!("{name} is too small: its first quarter has {words} words, {distinct} distinct; training needs {needed} words and {needed_distinct} distinct"),
            format!("{name} は小さすぎます: 最初の 1/4 は {words} 語 ({distinct} 種類) で、学習には {needed} 語 ({needed_distinct} 種類) 要ります"),
        )));
    }
    let sentence_end = corpus.corpus.word_to_id.get("<eos>").copied();
    Ok(Options {
        corpus,
        max_epoch: args.number("--epochs", 1..=1000, training::MAX_EPOCH)?,
        mode: training::fast_mode(args, "ch4_4_2", sentence_end)?,
        rows: ROWS.to_vec(),
    })
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_4_2", flags: &FLAGS, draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, args| match args.value("--params") {
        Some(path) => {
            let changing_nothing = ["--corpus", "--epochs", "--threads", "--seed", "--numpy-seed"];
            let why = (
                "it scores the pickle as it is, training and drawing nothing",
                "pickle をそのまま採点し、学習も乱数も使いません",
            );
            args.refuse_with("--params", &changing_nothing, why)?;
            evaluate_params(out, Path::new(path))
        }
        None => run(out, rng, &options(args)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guide to the pages' flags, in English and in Japanese, describes each of this page's.
    #[test]
    fn both_guides_describe_every_flag() {
        for guide in ["chapters/README.md", "chapters/README.ja.md"] {
            let text = zerotsuku2_testing::golden(guide);
            for flag in FLAGS {
                let named = format!("`{}", flag.name);
                assert!(text.contains(&named), "{guide} says nothing of {}", flag.name);
            }
        }
    }

    /// A smaller table than the default run's, for the snapshot (and quick in an unoptimized
    /// test): 1 epoch, each model on the first eighth and quarter of the corpus at 20
    /// dimensions, and on the quarter at 10 and 50. Too little training to answer more than a
    /// few questions: it holds the page's form, the default run's numbers are in the README.
    #[test]
    fn output_of_a_small_table() {
        let corpus = NamedCorpus::load(None).unwrap();
        let sentence_end = corpus.corpus.word_to_id.get("<eos>").copied();
        let options = Options {
            corpus,
            max_epoch: 1,
            mode: training::fast_mode(&Args::default(), "ch4_4_2", sentence_end).unwrap(),
            rows: vec![(20, 8), (10, 4), (20, 4), (50, 4)],
        };
        let mut out = Vec::new();
        run(&mut out, &mut RandomState::default(), &options).unwrap();
        let text = zerotsuku2_testing::redact_timings(&String::from_utf8(out).unwrap());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_4_2", text);
        });
    }

    /// A table of the default run's rows, each model's total given as `(correct, answered)` of
    /// 4,301 questions.
    fn table(
        cbow: [(usize, usize); 5],
        skip_gram: [(usize, usize); 5],
    ) -> Vec<(Row, usize, Report)> {
        let report = |(correct, answered): (usize, usize)| Report {
            sections: vec![("family".to_string(), true, analogies::Score { correct, answered })],
        };
        let mut results = Vec::new();
        for (model, totals) in [(Architecture::Cbow, cbow), (Architecture::SkipGram, skip_gram)] {
            for (&(hidden_size, part), total) in ROWS.iter().zip(totals) {
                results.push((Row { model, hidden_size, part }, 930_000 / part, report(total)));
            }
        }
        results
    }

    /// The default run's table as measured: all three of the book's conclusions hold.
    #[test]
    fn the_books_conclusions_from_a_table_that_bears_them_out() {
        // (100, 1/4), (100, 1/2), (50, all), (100, all), (300, all)
        let cbow = [(30, 4301), (56, 4301), (189, 4301), (224, 4301), (232, 4301)];
        let skip_gram = [(26, 4301), (86, 4301), (241, 4301), (357, 4301), (335, 4301)];
        assert_eq!(
            conclusions(&table(cbow, skip_gram)),
            [
                "» モデルで精度が異なる: 成り立つ",
                "»   5 の設定で skip-gram が上 4、CBOW が上 1。差は最大 3.1 ポイント",
                "»   (1 ポイント以上を差とする)",
                "» コーパスは大きいほど良い: 成り立つ",
                "»   100 次元で CBOW 0.7 → 1.3 → 5.2、skip-gram 0.6 → 2.0 → 8.3 (%)",
                "» 次元数は適度な大きさが必要 (大きすぎると下がる): 成り立つ",
                "»   50/100/300 次元のうち、最良は CBOW 300 次元、skip-gram 100 次元",
            ]
        );
    }

    /// With no question answered (a vocabulary without the test's words), nothing can be
    /// judged: no accuracy is 0%, and no tie is a win.
    #[test]
    fn no_answers_judge_nothing() {
        let none = [(0, 0); 5];
        let judged = conclusions(&table(none, none));
        assert_eq!(
            judged,
            [
                "» モデルで精度が異なる: 判断できない",
                "»   (同じ設定の 2 つのモデルで、問題に答えた行がない)",
                "» コーパスは大きいほど良い: 判断できない",
                "»   (同じ次元数で大きさの違うコーパスの、問題に答えた行がない)",
                "» 次元数は適度な大きさが必要 (大きすぎると下がる): 判断できない",
                "»   (同じコーパスで 3 つ以上の次元数の、問題に答えた行がない)",
            ]
        );
    }

    /// Equal totals are neither model's win, and a corpus that does no better is no gain.
    #[test]
    fn ties_are_no_ones_win() {
        let same = [(43, 4301); 5];
        let judged = conclusions(&table(same, same));
        assert_eq!(judged[0], "» モデルで精度が異なる: この数字では成り立たない");
        assert_eq!(
            judged[1],
            "»   5 の設定で skip-gram が上 0、CBOW が上 0、同じ 5。差は最大 0.0 ポイント"
        );
        assert_eq!(judged[3], "» コーパスは大きいほど良い: この数字では成り立たない");
    }

    /// `--params` with vectors of no dimension is refused: nothing to compare.
    #[test]
    fn vectors_of_no_dimension_are_refused() {
        let dir = std::env::temp_dir().join(format!("zerotsuku2-ch4_4_2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("zero.pkl");
        let id_to_word: Vec<String> = (0..7).map(|i| format!("w{i}")).collect();
        let params = pickle::Params {
            word_vecs: ndarray::Array2::from_elem((7, 0), half::f16::ZERO),
            word_to_id: id_to_word.iter().cloned().zip(0..).collect(),
            id_to_word,
        };
        std::fs::write(&path, pickle::dumps(&params)).unwrap();
        let Err(Failure::Usage(message)) = evaluate_params(&mut Vec::new(), &path) else {
            panic!("0 dimensions were scored")
        };
        assert!(
            message.ends_with("holds vectors of 0 dimensions: no question can be answered by them")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
