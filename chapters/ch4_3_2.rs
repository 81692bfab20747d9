//! 4.3.2 CBOWモデルの学習コード — the book's `ch04/train.py` on a shipped public-domain corpus.
//! Run: `cargo run --release --example ch4_3_2 [-- --model skip_gram --corpus PATH --epochs N ...]`.
//! Deviations: seeded draws; the State of the Union corpus unless `--corpus` names PTB; the
//! gradients of the shared weights summed as they are made; Adam steps only the batch's rows
//! and replays the others' zero-gradient steps when they are next read, the book's arithmetic
//! to float32 rounding (`--dense` runs the book's loop); the plot written as an SVG file;
//! `--model skip_gram` for the line train.py comments out; `--fast` is word2vec's training
//! (its SGD, windows shrunk at random and stopped at `<eos>`, its skip-gram), not the book's.

use ndarray::{Array1, Array2};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use zerotsuku2::ch04::cbow::{CBOW, SAMPLE_SIZE};
use zerotsuku2::ch04::skip_gram::SkipGram;
use zerotsuku2::common::optimizer::Adam;
use zerotsuku2::common::trainer::{loss_svg, Model, Trainer};
use zerotsuku2::common::util::create_contexts_target;
use zerotsuku2::dataset::ptb::{self, Corpus};
use zerotsuku2::fast::adam::RowAdam;
use zerotsuku2::fast::cbow::RowCBOW;
use zerotsuku2::fast::skip_gram::RowSkipGram;
use zerotsuku2::fast::training::{Architecture, FastTrainer, Mode, RowModel};
use zerotsuku2::fast::word2vec::{Sgd, Windows};
use zerotsuku2::np::random::RandomState;
use zerotsuku2::page::cli::{Args, Failure, Flag};
use zerotsuku2::page::files;
use zerotsuku2::page::notebook::opening;
use zerotsuku2::page::pickle::{self, Params};

/// What the command line chose, checked before anything is printed.
pub struct Options {
    /// the corpus's name and its text: a PTB-format file, or the shipped corpus
    pub corpus: (String, String),
    pub max_epoch: usize,
    pub max_iters: Option<usize>,
    pub out: PathBuf,
    pub plot: PathBuf,
    pub word2vec: Option<PathBuf>,
    pub threads: usize,
    /// word2vec's SGD instead of the book's Adam (`--fast`)
    pub fast: bool,
    /// Adam's update of every row every iteration, the book's loop as written (`--dense`)
    pub dense: bool,
    /// `--model`: the book's CBOW (the default) or its SkipGram
    pub model: Architecture,
}

pub fn run(out: &mut dyn Write, rng: &mut RandomState, options: &Options) -> Result<(), Failure> {
    opening(
        out,
        "4.3.2 CBOWモデルの学習コード",
        rng,
        "W_in、W_out、エポックごとのシャッフル、バッチごとの負例の順に生成",
    )?;
    // the book's classes (--dense) draw as the book does under either generator
    if rng.is_numpy() || options.dense {
        writeln!(out, "» 負例: 本と同じく、行ごとに np.random.choice でサンプリング")?;
    } else {
        writeln!(out, "» 負例: エイリアス法で、本と同じ分布から1回あたり O(1) でサンプリング")?;
    }

    writeln!(out, "\n# ハイパーパラメータの設定")?;
    // window_size = 5; hidden_size = 100; batch_size = 100; max_epoch = 10
    let (window_size, hidden_size, batch_size) = (WINDOW_SIZE, 100, BATCH_SIZE);
    let max_epoch = options.max_epoch;
    writeln!(
        out,
        "window_size = {window_size}, hidden_size = {hidden_size}, batch_size = {batch_size}, max_epoch = {max_epoch}"
    )?;

    writeln!(out, "\n# データの読み込み")?;
    // corpus, word_to_id, id_to_word = ptb.load_data('train')
    let (name, text) = &options.corpus;
    let Corpus { corpus, word_to_id, id_to_word } = ptb::load_data(text);
    // vocab_size = len(word_to_id)
    let vocab_size = word_to_id.len();
    writeln!(out, "» {name}: {} 語、vocab_size = {vocab_size}", corpus.len())?;

    // contexts, target = create_contexts_target(corpus, window_size)
    let (contexts, target) = create_contexts_target(&corpus, window_size);

    writeln!(out, "\n# モデルなどの生成")?;
    // model = CBOW(vocab_size, hidden_size, window_size, corpus)
    // # model = SkipGram(vocab_size, hidden_size, window_size, corpus)
    // optimizer = Adam()
    // trainer = Trainer(model, optimizer)
    // trainer.fit(contexts, target, max_epoch, batch_size): the book's classes (--dense), or
    // the same model on the training engine beyond the book
    let (v, h, w, corpus) = (vocab_size, hidden_size, window_size, corpus.view());
    let sentence_end = word_to_id.get("<eos>").copied();
    let fit =
        Fit { contexts: &contexts, target: &target, max_epoch, batch_size, options, sentence_end };
    let (trained, start) = match (options.model, options.dense) {
        (Architecture::Cbow, true) => fit.dense(out, CBOW::new(v, h, w, corpus, rng), rng)?,
        (Architecture::SkipGram, true) => {
            writeln!(out, "» model = SkipGram(vocab_size, hidden_size, window_size, corpus)")?;
            fit.dense(out, SkipGram::new(v, h, w, corpus, rng), rng)?
        }
        (Architecture::Cbow, false) => {
            fit.engine(out, RowCBOW::from_book(CBOW::new(v, h, w, corpus, rng)), rng)?
        }
        (Architecture::SkipGram, false) => {
            writeln!(out, "» model = SkipGram(vocab_size, hidden_size, window_size, corpus)")?;
            fit.engine(out, RowSkipGram::from_book(SkipGram::new(v, h, w, corpus, rng)), rng)?
        }
    };
    let Trained { word_vecs, loss_list, eval_interval, iterations } = trained;
    let seconds = start.elapsed().as_secs_f64();
    // The trained result is saved before anything else that could fail: the pickle, then
    // --word2vec, then the plot, each whole or not at all; then the book's lines in its order.
    // word_vecs = model.word_vecs
    let word_vecs = &word_vecs;
    // params['word_vecs'] = word_vecs.astype(np.float16); params['word_to_id'] = word_to_id; …
    let params = Params { word_vecs: word_vecs.mapv(half::f16::from_f32), word_to_id, id_to_word };
    // with open(pkl_file, 'wb') as f: pickle.dump(params, f, -1)
    let saved = files::write_whole(&options.out, &pickle::dumps(&params));
    let vectors = options.word2vec.as_ref().map(|path| {
        files::write_whole(path, word2vec_text(word_vecs, &params.id_to_word).as_bytes())
    });
    // trainer.plot()
    let plotted = files::write_whole(&options.plot, loss_svg(&loss_list, eval_interval).as_bytes());

    let threads = options.threads;
    writeln!(
        out,
        "{}{iterations} イテレーションに {seconds:.2} s ({threads} スレッド)",
        zerotsuku2::page::notebook::TIMING
    )?;

    if plotted.is_ok() {
        writeln!(out, "» trainer.plot(): 損失のグラフを {} に保存", options.plot.display())?;
    }
    writeln!(out, "\n# 後ほど利用できるように、必要なデータを保存")?;
    if saved.is_ok() {
        writeln!(
            out,
            "» {}: word_vecs (float16, {vocab_size} x {hidden_size}), word_to_id, id_to_word",
            options.out.display()
        )?;
    }
    if let (Some(path), Some(Ok(()))) = (&options.word2vec, &vectors) {
        writeln!(out, "» {}: float32 のベクトルを word2vec のテキスト形式で保存", path.display())?;
    }
    let failed: Vec<String> =
        [saved, vectors.unwrap_or(Ok(())), plotted].into_iter().filter_map(Result::err).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::Files(failed))
    }
}

/// What `trainer.fit` trained: `model.word_vecs`, the loss list and its interval, and the
/// iterations run.
struct Trained {
    word_vecs: Array2<f32>,
    loss_list: Vec<f64>,
    eval_interval: usize,
    iterations: usize,
}

/// `trainer.fit(contexts, target, max_epoch, batch_size)`'s arguments.
struct Fit<'a> {
    contexts: &'a Array2<usize>,
    target: &'a Array1<usize>,
    max_epoch: usize,
    batch_size: usize,
    options: &'a Options,
    /// `<eos>`'s id, where `--fast`'s windows stop
    sentence_end: Option<usize>,
}

impl Fit<'_> {
    /// The book's classes as written: `Trainer(model, Adam())` and its `fit`.
    fn dense<M: Model>(
        &self,
        out: &mut dyn Write,
        model: M,
        rng: &mut RandomState,
    ) -> std::io::Result<(Trained, Instant)> {
        let mut trainer = Trainer::new(model, Adam::default());
        trainer.stop_after = self.options.max_iters;
        writeln!(out, "» --dense: 本のループのまま、Adam が毎回 200万の重みすべてを更新する。")?;
        writeln!(out, "\n# 学習開始")?;
        let start = Instant::now();
        trainer.fit(out, self.contexts, self.target, self.max_epoch, self.batch_size, rng)?;
        let iterations = trainer.losses.len();
        let ([word_vecs, _], _) = trainer.model.params_and_grads();
        let word_vecs = std::mem::take(word_vecs);
        let (loss_list, eval_interval) = (trainer.loss_list, trainer.eval_interval);
        Ok((Trained { word_vecs, loss_list, eval_interval, iterations }, start))
    }

    /// The same model on the training engine: the book's Adam on the batch's rows, or
    /// word2vec's SGD (`--fast`).
    fn engine<M: RowModel>(
        &self,
        out: &mut dyn Write,
        model: M,
        rng: &mut RandomState,
    ) -> std::io::Result<(Trained, Instant)> {
        let optimizer = RowAdam { threads: self.options.threads, ..RowAdam::default() };
        let mode = if self.options.fast {
            writeln!(out, "» --fast: 本の先、word2vec 自身の学習 (SGD)。1例ずつ、触れた行だけを")?;
            writeln!(
                out,
                "»   更新し、学習率は 0.025 から 0.0001 へ直線的に下げる。窓も word2vec"
            )?;
            writeln!(out, "»   と同じく、ターゲットごとに片側 1〜5 語へランダムに縮め、文末")?;
            writeln!(out, "»   (<eos>) を越えない。本の Adam は 200万の重みすべてを毎回動かす。")?;
            let windows = Windows { shrink: true, sentence_end: self.sentence_end };
            Mode::Word2vec(Sgd { windows, ..Sgd::default() })
        } else {
            writeln!(out, "» Adam: 本と同じ更新を、バッチが読む行だけで行う。勾配 0 の行の")?;
            writeln!(out, "»   更新は、次に読まれる時に閉じた式でまとめて再生する (float32 の")?;
            writeln!(out, "»   丸めまで本と同じ)。本のループのままなら --dense。")?;
            Mode::AdamRows
        };
        let mut trainer = FastTrainer::new(model, optimizer, mode);
        trainer.stop_after = self.options.max_iters;
        writeln!(out, "\n# 学習開始")?;
        let start = Instant::now();
        trainer.fit(out, self.contexts, self.target, self.max_epoch, self.batch_size, rng)?;
        let iterations = trainer.losses.len();
        let [word_vecs, _] = trainer.model.parts().0;
        let word_vecs = std::mem::take(word_vecs);
        let (loss_list, eval_interval) = (trainer.loss_list, trainer.eval_interval);
        Ok((Trained { word_vecs, loss_list, eval_interval, iterations }, start))
    }
}

/// word2vec's text format, as gensim's `KeyedVectors.load_word2vec_format` reads it: a line
/// `V H`, then each word and its vector, the float32 values in their shortest digits.
fn word2vec_text(word_vecs: &ndarray::Array2<f32>, id_to_word: &[String]) -> String {
    let mut text = format!("{} {}\n", word_vecs.nrows(), word_vecs.ncols());
    for (word, row) in id_to_word.iter().zip(word_vecs.rows()) {
        text.push_str(word);
        for x in row {
            text.push_str(&format!(" {x}"));
        }
        text.push('\n');
    }
    text
}

const FLAGS: [Flag; 10] = [
    Flag {
        name: "--model",
        value: Some("NAME"),
        help: "cbow (the default) or skip_gram, train.py's two models",
    },
    Flag {
        name: "--fast",
        value: None,
        help: "word2vec's SGD and windows, beyond the book (~1/10 of the time)",
    },
    Flag {
        name: "--dense",
        value: None,
        help: "the book's classes as written, on one thread: ~20x the time",
    },
    Flag {
        name: "--corpus",
        value: Some("PATH"),
        help: "a PTB-format text, e.g. the book's ptb.train.txt",
    },
    Flag { name: "--epochs", value: Some("N"), help: "epochs to train (default 10, as the book)" },
    Flag { name: "--max-iters", value: Some("N"), help: "stop after N iterations in all" },
    Flag {
        name: "--out",
        value: Some("PATH"),
        help: "the params pickle (default cbow_params.pkl or skipgram_params.pkl)",
    },
    Flag {
        name: "--plot",
        value: Some("PATH"),
        help: "the loss curve, SVG (default cbow_loss.svg or skipgram_loss.svg)",
    },
    Flag {
        name: "--word2vec",
        value: Some("PATH"),
        help: "also write the vectors in word2vec's text format",
    },
    Flag {
        name: "--threads",
        value: Some("N"),
        help: "at most the processors (default 1, --fast 2; --dense 1)",
    },
];

/// How `train.py` names a model's files: `cbow_params.pkl`, `skipgram_params.pkl`.
fn model_file_name(model: Architecture) -> &'static str {
    match model {
        Architecture::Cbow => "cbow",
        Architecture::SkipGram => "skipgram",
    }
}

/// window_size, batch_size of the book's train.py
const WINDOW_SIZE: usize = 5;
const BATCH_SIZE: usize = 100;

/// The options, with the corpus read and every file the run will write created: any problem
/// is one line and the usage before the training starts.
fn options(args: &Args) -> Result<Options, Failure> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let corpus = ptb::named_corpus(args.value("--corpus")).map_err(Failure::Usage)?;
    let loaded = ptb::load_data(&corpus.1);
    let (name, vocab_size, words) = (&corpus.0, loaded.id_to_word.len(), loaded.corpus.len());
    if vocab_size <= SAMPLE_SIZE {
        return Err(Failure::Usage(format!(
            "{name} has {vocab_size} distinct words; Negative Sampling needs {} (a target and {SAMPLE_SIZE} negatives)",
            SAMPLE_SIZE + 1
        )));
    }
    if words < 2 * WINDOW_SIZE + BATCH_SIZE {
        return Err(Failure::Usage(format!(
            "{name} has {words} words; one batch of {BATCH_SIZE} with window {WINDOW_SIZE} needs {}",
            2 * WINDOW_SIZE + BATCH_SIZE
        )));
    }
    let model = match args.value("--model") {
        None | Some("cbow") => Architecture::Cbow,
        Some("skip_gram") => Architecture::SkipGram,
        Some(other) => {
            return Err(Failure::Usage(format!("--model is cbow or skip_gram, not {other:?}")))
        }
    };
    let name = model_file_name(model);
    let options = Options {
        corpus,
        max_epoch: args.number("--epochs", 1..=1_000_000, 10)?,
        max_iters: args
            .value("--max-iters")
            .map(|_| args.number("--max-iters", 1..=usize::MAX, 0))
            .transpose()?,
        // pkl_file = 'cbow_params.pkl'  # or 'skipgram_params.pkl'
        out: args.value("--out").map_or(format!("{name}_params.pkl").into(), PathBuf::from),
        plot: args.value("--plot").map_or(format!("{name}_loss.svg").into(), PathBuf::from),
        word2vec: args.value("--word2vec").map(PathBuf::from),
        threads: threads(args, cores)?,
        fast: args.has("--fast"),
        dense: args.has("--dense"),
        model,
    };
    if options.fast && options.dense {
        return Err(Failure::Usage(
            "--fast and --dense are two ways to train; give one".to_string(),
        ));
    }
    // the files are written after the training: a path that cannot be written, or two that
    // name one file, is said now, and nothing is written before the training ends
    let corpus_path = args.value("--corpus").map(PathBuf::from);
    let named: Vec<(&str, &Path)> = [("--corpus", corpus_path.as_deref())]
        .into_iter()
        .chain([("--out", Some(options.out.as_path())), ("--plot", Some(options.plot.as_path()))])
        .chain([("--word2vec", options.word2vec.as_deref())])
        .filter_map(|(flag, path)| Some((flag, path?)))
        .collect();
    for (i, (flag, path)) in named.iter().enumerate() {
        if let Some((other, _)) =
            named[..i].iter().find(|(_, earlier)| files::same_file(earlier, path))
        {
            return Err(Failure::Usage(format!(
                "{other} and {flag} name one file, {}: give each its own",
                path.display()
            )));
        }
    }
    for (_, path) in &named[usize::from(corpus_path.is_some())..] {
        files::check_writable(path).map_err(Failure::Usage)?;
    }
    Ok(options)
}

/// `--threads`, or what measured fastest on this 2-core machine (chapters/bench/README.md): the
/// default mode trains as fast on 1 thread as on 2, and `--fast` draws the next batch on a
/// second. More threads than processors only wait for each other: they are cut to the
/// processors, with a note on stderr. `--dense` runs the book's classes, on one thread.
fn threads(args: &Args, cores: usize) -> Result<usize, Failure> {
    let default = if args.has("--fast") { 2 } else { 1 };
    if args.has("--dense") {
        if args.number("--threads", 1..=256, 1)? > 1 {
            let _ = writeln!(
                std::io::stderr(),
                "ch4_3_2: note: --dense runs the book's classes, on one thread"
            );
        }
        return Ok(1);
    }
    let asked = args.number("--threads", 1..=256, default)?;
    if asked > cores && args.has("--threads") {
        let _ = writeln!(
            std::io::stderr(),
            "ch4_3_2: note: --threads {asked}, but this machine has {cores} processors: training on {cores}"
        );
    }
    Ok(asked.min(cores))
}

fn main() -> ExitCode {
    zerotsuku2::page::cli::main("ch4_3_2", &FLAGS, |out, rng, args| run(out, rng, &options(args)?))
}

#[cfg(test)]
#[path = "../src/chapter_tests.rs"]
mod chapter_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;

    /// A short run's output with its files in a fresh folder, the folder's path and the
    /// timings redacted.
    fn short_run(seed: Seed, max_iters: usize, threads: usize) -> (String, PathBuf) {
        short_run_of(seed, max_iters, threads, false, Architecture::Cbow)
    }

    fn short_run_of(
        seed: Seed,
        max_iters: usize,
        threads: usize,
        dense: bool,
        model: Architecture,
    ) -> (String, PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "zerotsuku2-ch4_3_2-{}-{max_iters}-{threads}-{dense}-{model:?}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let options = Options {
            corpus: (ptb::SOTU_TRAIN_PATH.to_string(), ptb::sotu_train()),
            max_epoch: 10,
            max_iters: Some(max_iters),
            // the files' default names, as options() gives them
            out: dir.join(format!("{}_params.pkl", model_file_name(model))),
            plot: dir.join(format!("{}_loss.svg", model_file_name(model))),
            word2vec: Some(dir.join("vectors.txt")),
            threads,
            fast: false,
            dense,
            model,
        };
        let mut out = Vec::new();
        run(&mut out, &mut RandomState::new(seed), &options).unwrap();
        let text = String::from_utf8(out).unwrap();
        let text = text.replace(&format!("{}/", dir.display()), "");
        (crate::chapter_tests::redact_timings(&text), dir)
    }

    /// `--dense` runs the book's classes, whose negatives are the book's np.random.choice per
    /// row under `--seed` too, and says so; the engine's default says it uses the alias table.
    #[test]
    fn each_way_names_how_it_draws_the_negatives() {
        let (dense, dir) = short_run_of(Seed::default(), 1, 1, true, Architecture::Cbow);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(dense.contains("» 負例: 本と同じく、行ごとに np.random.choice"), "{dense}");
        assert!(dense.contains("» --dense: 本のループのまま"), "{dense}");
        let (default, dir) = short_run_of(Seed::default(), 1, 1, false, Architecture::Cbow);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(default.contains("» 負例: エイリアス法"), "{default}");
    }

    /// The files ch4_3_2 writes, for the fixture vectors of `chapters/golden/eval_book.py`,
    /// as `chapters/golden/check_ours.py` found them: loaded by the book's `eval.py` code they
    /// print what the pickle Python wrote prints, and gensim reads the same vectors. When the
    /// writer no longer makes the committed bytes, the test writes what it makes beside them
    /// (`NAME.new`) and fails; `chapters/golden/README.md` says how to check and keep them.
    #[test]
    fn what_it_writes_loads_in_the_books_eval_and_in_gensim() {
        use crate::chapter_tests::{crate_path, golden, golden_bytes};
        let params = pickle::loads(&golden_bytes("chapters/golden/eval_params_p4.pkl")).unwrap();
        let pickled = pickle::dumps(&params);
        let vectors = word2vec_text(&params.word_vecs.mapv(half::f16::to_f32), &params.id_to_word);
        // the committed files are those bytes, for anyone to load
        let mut made_anew = Vec::new();
        for (name, bytes) in
            [("ours_params.pkl", pickled.as_slice()), ("ours_vectors.txt", vectors.as_bytes())]
        {
            let committed = crate_path(&format!("chapters/golden/{name}"));
            if std::fs::read(&committed).ok().as_deref() != Some(bytes) {
                let new = crate_path(&format!("chapters/golden/{name}.new"));
                std::fs::write(&new, bytes).unwrap();
                made_anew.push(new.display().to_string());
            }
        }
        assert!(
            made_anew.is_empty(),
            "the writer no longer makes the committed files; what it makes now is in\n{}\n\
             check it and keep it as chapters/golden/README.md says (Making the data anew)",
            made_anew.join("\n")
        );
        let checked = golden("chapters/golden/check_ours.txt");
        let (eval, rest) = checked.split_once("-- gensim\n").expect("a gensim part");
        let (gensim, files) = rest.split_once("-- files\n").expect("a files part");
        assert_eq!(eval, golden("chapters/golden/eval_book.txt"));
        assert_eq!(
            gensim,
            "KeyedVectors.load_word2vec_format: 300 words, vector_size 100\n\
             vectors equal the pickle's float16 word_vecs: True\n"
        );
        let crc = |bytes: &[u8]| {
            let mut crc = flate2::Crc::new();
            crc.update(bytes);
            format!("{} bytes, crc32 {:08x}", bytes.len(), crc.sum())
        };
        assert_eq!(
            files,
            format!(
                "ours_params.pkl: {}\nours_vectors.txt: {}\n",
                crc(&pickled),
                crc(vectors.as_bytes())
            ),
            "check_ours.txt describes other files: run chapters/golden/check_ours.py again"
        );
    }

    #[test]
    fn output_of_a_short_run() {
        let (text, dir) = short_run(Seed::default(), 101, 2);
        let params = pickle::loads(&std::fs::read(dir.join("cbow_params.pkl")).unwrap()).unwrap();
        assert_eq!(params.word_vecs.dim(), (10_000, 100));
        let svg = std::fs::read_to_string(dir.join("cbow_loss.svg")).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("iterations (x20)"), "{svg}");
        let vectors = std::fs::read_to_string(dir.join("vectors.txt")).unwrap();
        assert!(vectors.starts_with("10000 100\nto "), "{}", &vectors[..50]);
        assert_eq!(vectors.lines().count(), 10_001);
        std::fs::remove_dir_all(&dir).unwrap();
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_3_2", text);
        });
    }

    /// `--model skip_gram`: the book's SkipGram, trained by the default mode, its files named
    /// as the book's `train.py` names them for it.
    #[test]
    fn output_of_a_short_skip_gram_run() {
        let (text, dir) = short_run_of(Seed::default(), 41, 1, false, Architecture::SkipGram);
        let saved = std::fs::read(dir.join("skipgram_params.pkl")).unwrap();
        assert_eq!(pickle::loads(&saved).unwrap().word_vecs.dim(), (10_000, 100));
        std::fs::remove_dir_all(&dir).unwrap();
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_3_2_skip_gram", text);
        });
    }
}
