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
use zerotsuku2::fast::{self, models::Architecture, word2vec::Sgd, Mode};
use zerotsuku2::np::random::RandomState;
use zerotsuku2::page::analogies;
use zerotsuku2::page::cli::{Args, Failure, Flag, Page};
use zerotsuku2::page::lang::pick;
use zerotsuku2::page::notebook::{opening, table, thousands, TIMING};
use zerotsuku2::page::pickle;
use zerotsuku2::page::progress;
use zerotsuku2::page::table::{conclusions, model_name, Row, ROWS};
use zerotsuku2::page::training::{self, NamedCorpus, BATCH_SIZE, WINDOW_SIZE};

/// What the command line chose.
pub struct Options {
    /// the corpus, loaded
    pub corpus: NamedCorpus,
    pub max_epoch: usize,
    /// the threads of word2vec's training (`ch4_3_2 --fast --threads`)
    pub threads: usize,
    /// `(hidden_size, part)` of each model's rows
    pub rows: Vec<(usize, usize)>,
}

pub fn run(out: &mut dyn Write, rng: &mut RandomState, options: &Options) -> Result<(), Failure> {
    opening(
        out,
        "4.4.2 単語ベクトルの評価方法",
        rng,
        "モデルごとに同じ乱数から W_in、W_out、窓、負例 (コーパスは順に読む)",
    )?;
    let sections = analogies::parse(analogies::QUESTIONS_WORDS).expect("the shipped test set");
    let NamedCorpus { name, corpus } = &options.corpus;
    let (corpus, word_to_id) = (&corpus.corpus, &corpus.word_to_id);
    let vocab_size = word_to_id.len();
    writeln!(out, "\n# 類推問題: Google の questions-words.txt (word2vec の評価セット)")?;
    let all = analogies::question_counts(&sections, word_to_id, vocab_size);
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
    let mut model: Box<dyn Model> = match row.model {
        Architecture::Cbow => Box::new(CBOW::new(vocab_size, h, w, words, rng)),
        Architecture::SkipGram => Box::new(SkipGram::new(vocab_size, h, w, words, rng)),
    };
    let sentence_end = options.corpus.corpus.word_to_id.get("<eos>").copied();
    let mode =
        Mode::Word2vec { sgd: Sgd::word2vec(row.model, sentence_end), threads: options.threads };
    training::fast_negatives(&mode, &mut *model, words);
    let mut trainer = Trainer::new(model, Adam::default());
    fast::train(&mut trainer, mode)
        .showing(progress::bar())
        .fit(&mut std::io::sink(), &contexts, &target, options.max_epoch, BATCH_SIZE, rng)
        .expect("a sink takes every line");
    trainer.model.word_vecs().clone()
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
    Ok(Options {
        corpus,
        max_epoch: args.number("--epochs", 1..=1000, training::MAX_EPOCH)?,
        threads: training::threads(args, "ch4_4_2")?,
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
        zerotsuku2_testing::assert_guides_describe(FLAGS.iter().map(|flag| flag.name));
    }

    /// A smaller table than the default run's, for the snapshot (and quick in an unoptimized
    /// test): 1 epoch, each model on the first eighth and quarter of the corpus at 20
    /// dimensions, and on the quarter at 10 and 50. Too little training to answer more than a
    /// few questions: it holds the page's form, the default run's numbers are in the README.
    #[test]
    fn output_of_a_small_table() {
        let corpus = NamedCorpus::load(None).unwrap();
        let options = Options {
            corpus,
            max_epoch: 1,
            threads: training::threads(&Args::default(), "ch4_4_2").unwrap(),
            rows: vec![(20, 8), (10, 4), (20, 4), (50, 4)],
        };
        let mut out = Vec::new();
        run(&mut out, &mut RandomState::default(), &options).unwrap();
        let text = zerotsuku2_testing::redact_timings(&String::from_utf8(out).unwrap());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_4_2", text);
        });
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
