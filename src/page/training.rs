//! What the training pages (`ch4_3_2`, `ch4_4_2`) share beyond the book: `train.py`'s
//! hyperparameters, the corpus they read once (the shipped one, or the reader's PTB), how they
//! train (`--dense`, `--fast`, `--threads`, `--model`), and `ch4_3_2`'s files: the pickle, the
//! vectors in word2vec's format and the loss figure, each written whole or not at all.

use crate::ch04::cbow::{CBOW, SAMPLE_SIZE};
use crate::ch04::negative_sampling_layer::UnigramSampler;
use crate::ch04::skip_gram::SkipGram;
use crate::common::trainer::Model;
use crate::dataset::ptb::{self, Corpus};
use crate::fast::models::Architecture;
use crate::fast::word2vec::Sgd;
use crate::fast::Mode;
use crate::page::cli::{Args, Failure};
use crate::page::files;
use crate::page::lang::pick;
use crate::page::pickle::{self, Params};
use crate::page::plot;
use ndarray::{Array2, ArrayView1};
use std::any::Any;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `window_size` of the book's `train.py`
pub const WINDOW_SIZE: usize = 5;
/// `hidden_size`
pub const HIDDEN_SIZE: usize = 100;
/// `batch_size`
pub const BATCH_SIZE: usize = 100;
/// `max_epoch`
pub const MAX_EPOCH: usize = 10;

/// The corpus a page trains on, loaded once: its name (the path given, or the shipped corpus's)
/// and what `ptb.load_data` returns for it.
pub struct NamedCorpus {
    pub name: String,
    pub corpus: Corpus,
}

impl NamedCorpus {
    /// `--corpus PATH` (`Some(PATH)`), or the shipped corpus, loaded as `ptb.load_data` loads a
    /// file, with enough words for one batch and enough distinct words for the negatives.
    ///
    /// # Errors
    /// A usage error naming the file and the problem: it cannot be read, is larger than
    /// [`ptb::MAX_CORPUS_BYTES`], is not UTF-8, holds no words, or too few for training.
    pub fn load(path: Option<&str>) -> Result<NamedCorpus, Failure> {
        let (name, text) = match path {
            None => (ptb::SOTU_TRAIN_PATH.to_string(), ptb::sotu_train()),
            Some(path) => (path.to_string(), read_text(Path::new(path)).map_err(Failure::Usage)?),
        };
        let corpus = ptb::load_data(&text);
        let (vocab_size, words) = (corpus.id_to_word.len(), corpus.corpus.len());
        if vocab_size <= SAMPLE_SIZE {
            let needed = SAMPLE_SIZE + 1;
            return Err(Failure::Usage(pick(
                format!("{name} has {vocab_size} distinct words; Negative Sampling needs {needed} (a target and {SAMPLE_SIZE} negatives)"),
                format!("{name} の単語は {vocab_size} 種類です。Negative Sampling には {needed} 種類 (正例と {SAMPLE_SIZE} 個の負例) 要ります"),
            )));
        }
        if words < 2 * WINDOW_SIZE + BATCH_SIZE {
            let needed = 2 * WINDOW_SIZE + BATCH_SIZE;
            return Err(Failure::Usage(pick(
                format!("{name} has {words} words; one batch of {BATCH_SIZE} with window {WINDOW_SIZE} needs {needed}"),
                format!("{name} は {words} 語です。窓 {WINDOW_SIZE} でバッチ {BATCH_SIZE} 個には {needed} 語要ります"),
            )));
        }
        Ok(NamedCorpus { name, corpus })
    }
}

/// The text of a PTB-format file (a FIFO or `/dev/stdin` too); gzipped when its name ends in
/// `.gz`.
///
/// # Errors
/// One line naming the file and the problem: it cannot be read, is larger than
/// [`ptb::MAX_CORPUS_BYTES`], is not UTF-8, or holds no words.
pub fn read_text(path: &Path) -> Result<String, String> {
    let name = path.display();
    let bytes = files::read_at_most(path, ptb::MAX_CORPUS_BYTES, ("a corpus", "コーパス"))?;
    let text = if path.extension().is_some_and(|e| e == "gz") {
        ptb::gunzip(&bytes).map_err(|e| {
            let mib = ptb::MAX_CORPUS_BYTES >> 20;
            match e {
                ptb::Gunzip::Broken(e) => pick(
                    format!("{name}: cannot unzip it as gzipped UTF-8 text: {e}"),
                    format!("{name}: gzip で圧縮された UTF-8 のテキストとして展開できません: {e}"),
                ),
                ptb::Gunzip::TooLarge => pick(
                    format!("{name}: it unzips to more than {mib} MiB, the most a corpus may be"),
                    format!("{name}: 展開すると {mib} MiB を超えます (コーパスの上限)"),
                ),
            }
        })?
    } else {
        String::from_utf8(bytes).map_err(|e| {
            let byte = e.utf8_error().valid_up_to();
            pick(
                format!("{name} is not UTF-8 text (byte {byte} is not)"),
                format!("{name} は UTF-8 のテキストではありません ({byte} バイト目が違います)"),
            )
        })?
    };
    if !text.chars().any(|c| !ptb::is_python_whitespace(c)) {
        return Err(pick(format!("{name} holds no words"), format!("{name} には単語がありません")));
    }
    Ok(text)
}

/// `--model`: the book's `CBOW` (the default), or its `SkipGram`, the line `train.py` comments
/// out.
///
/// # Errors
/// Any other name.
pub fn model(args: &Args) -> Result<Architecture, Failure> {
    match args.value("--model") {
        None | Some("cbow") => Ok(Architecture::Cbow),
        Some("skip_gram") => Ok(Architecture::SkipGram),
        Some(other) => Err(Failure::Usage(pick(
            format!("--model is cbow or skip_gram, not {other:?}"),
            format!("--model は cbow か skip_gram です ({other:?} ではなく)"),
        ))),
    }
}

/// The name `train.py` gives a model's files: `cbow_params.pkl`, `skipgram_params.pkl`.
pub fn file_name(model: Architecture) -> &'static str {
    match model {
        Architecture::Cbow => "cbow",
        Architecture::SkipGram => "skipgram",
    }
}

/// How a page trains: `--dense` (the book's loop), `--fast` (word2vec's SGD), or the default
/// (the book's Adam on the batch's rows).
///
/// # Errors
/// Both `--fast` and `--dense`; `--threads` without `--fast`, where it changes nothing; or
/// `--threads` out of range.
pub fn mode(args: &Args, name: &str, sentence_end: Option<usize>) -> Result<Mode, Failure> {
    if args.has("--fast") && args.has("--dense") {
        return Err(Failure::Usage(pick(
            "--fast and --dense are two ways to train; give one".into(),
            "--fast と --dense は別の学習方法です: どちらか一方を".into(),
        )));
    }
    if args.has("--fast") {
        return fast_mode(args, name, model(args)?, sentence_end);
    }
    if args.has("--threads") {
        return Err(Failure::Usage(pick(
            "--threads changes nothing without --fast: the default and --dense train on one thread"
                .into(),
            "--threads は --fast のときだけ効きます: 既定と --dense は1スレッドで学習します".into(),
        )));
    }
    Ok(if args.has("--dense") { Mode::Dense } else { Mode::AdamRows })
}

/// word2vec's training (`--fast`): its SGD, its windows stopped at `sentence_end`, on
/// `--threads`.
///
/// # Errors
/// `--threads` out of range.
pub fn fast_mode(
    args: &Args,
    name: &str,
    architecture: Architecture,
    sentence_end: Option<usize>,
) -> Result<Mode, Failure> {
    let threads = threads(args, name)?;
    Ok(Mode::Word2vec { sgd: Sgd::word2vec(architecture, sentence_end), threads })
}

/// Beyond the book, `--fast`'s negatives: the book's sampler made anew on `corpus` with the
/// power of `mode`'s SGD, in place of the one with 0.75 that the book's model made. Nothing
/// changes in the other modes, or at 0.75.
///
/// # Panics
/// If `model` is neither the book's `CBOW` nor its `SkipGram`.
pub fn fast_negatives(mode: &Mode, model: &mut dyn Model, corpus: ArrayView1<'_, usize>) {
    let Mode::Word2vec { sgd, .. } = mode else { return };
    if sgd.power == 0.75 {
        return;
    }
    let model: &mut dyn Any = model;
    if let Some(cbow) = model.downcast_mut::<CBOW>() {
        let sample_size = cbow.ns_loss.sample_size;
        cbow.ns_loss.sampler = UnigramSampler::new(corpus, sgd.power, sample_size);
    } else if let Some(skip_gram) = model.downcast_mut::<SkipGram>() {
        for layer in &mut skip_gram.loss_layers {
            layer.sampler = UnigramSampler::new(corpus, sgd.power, layer.sample_size);
        }
    } else {
        panic!("fast_negatives: --fast trains the book's CBOW and SkipGram, not this model");
    }
}

/// `--threads`, 1 or 2 (the default, what measured fastest with `--fast`,
/// chapters/bench/README.md: the second draws the next batch while the first trains). More
/// threads than processors only wait for each other: they are cut to the processors, with a
/// note on stderr.
pub fn threads(args: &Args, name: &str) -> Result<usize, Failure> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let asked = args.number("--threads", 1..=2, 2)?;
    if asked > cores && args.has("--threads") {
        let _ = writeln!(
            io::stderr(),
            "{}",
            pick(
                format!("{name}: note: --threads {asked}, but this machine has {cores} processors: training on {cores}"),
                format!("{name}: 注意: --threads {asked} ですが、このマシンのプロセッサは {cores} 個です: {cores} で学習します"),
            )
        );
    }
    Ok(asked.min(cores))
}

/// The order of `ch4_3_2`'s draws in `mode`, for its opening.
pub fn draws(mode: &Mode) -> &'static str {
    match mode {
        Mode::Word2vec { .. } => "W_in、W_out、バッチごとの窓と負例の順に生成 (シャッフルなし)",
        _ => "W_in、W_out、エポックごとのシャッフル、バッチごとの負例の順に生成",
    }
}

/// What a page says of how it trains, under `# モデルなどの生成`.
pub fn describe(out: &mut dyn Write, mode: &Mode) -> io::Result<()> {
    let lines: Vec<String> = match mode {
        Mode::Dense => {
            vec!["» --dense: 本のループのまま、Adam が毎回 200万の重みすべてを更新する。".into()]
        }
        Mode::AdamRows => vec![
            "» Adam: 本と同じ更新を、バッチが読む行だけで行う。勾配 0 の行の".into(),
            "»   更新は、次に読まれる時に閉じた式でまとめて再生する (float32 の".into(),
            "»   丸めまで本と同じ)。本のループのままなら --dense。".into(),
        ],
        Mode::Word2vec { sgd, .. } => vec![
            "» --fast: 本の先、word2vec 自身の学習 (SGD)。1例ずつ、触れた行だけを".into(),
            format!(
                "»   更新し、学習率は {} から {} へ直線的に下げる。コーパスは",
                sgd.alpha, sgd.min_alpha
            ),
            "»   シャッフルせず順に読む。窓はターゲットごとに片側 1〜5 語へ".into(),
            "»   ランダムに縮め、文末 (<eos>) を越えない。負例は出現回数の".into(),
            format!("»   {} 乗に比例。本の Adam は 200万の重みすべてを毎回動かす。", sgd.power),
        ],
    };
    lines.iter().try_for_each(|line| writeln!(out, "{line}"))
}

/// The files `ch4_3_2` writes after training.
pub struct Outputs {
    /// `pkl_file`, the params pickle
    pub out: PathBuf,
    /// the loss figure of `trainer.plot()`
    pub plot: PathBuf,
    /// the float32 vectors in word2vec's text format, if asked for
    pub word2vec: Option<PathBuf>,
}

/// Which of [`Outputs`] were written, and the line of each that was not.
pub struct Saved {
    pub pickle: bool,
    pub word2vec: bool,
    pub plot: bool,
    pub failed: Vec<String>,
}

impl Outputs {
    /// `--out`, `--plot` and `--word2vec`, by default named as `train.py` names the model's
    /// files, each checked now: a path that cannot be written, or two of them and `--corpus`
    /// naming one file, is a usage error before anything is trained or written.
    ///
    /// # Errors
    /// As said: the first problem, in one line.
    pub fn from_args(args: &Args, model: Architecture) -> Result<Outputs, Failure> {
        let name = file_name(model);
        let outputs = Outputs {
            // pkl_file = 'cbow_params.pkl'  # or 'skipgram_params.pkl'
            out: args.value("--out").map_or(format!("{name}_params.pkl").into(), PathBuf::from),
            plot: args.value("--plot").map_or(format!("{name}_loss.svg").into(), PathBuf::from),
            word2vec: args.value("--word2vec").map(PathBuf::from),
        };
        let corpus = args.value("--corpus").map(Path::new);
        let named: Vec<(&str, &Path)> = [
            ("--corpus", corpus),
            ("--out", Some(outputs.out.as_path())),
            ("--plot", Some(outputs.plot.as_path())),
            ("--word2vec", outputs.word2vec.as_deref()),
        ]
        .into_iter()
        .filter_map(|(flag, path)| Some((flag, path?)))
        .collect();
        for (i, (flag, path)) in named.iter().enumerate() {
            if let Some((other, _)) =
                named[..i].iter().find(|(_, earlier)| files::same_file(earlier, path))
            {
                let path = path.display();
                return Err(Failure::Usage(pick(
                    format!("{other} and {flag} name one file, {path}: give each its own"),
                    format!("{other} と {flag} が同じファイル {path} です: 別々のファイルを"),
                )));
            }
        }
        for (_, path) in &named[usize::from(corpus.is_some())..] {
            files::check_writable(path).map_err(Failure::Usage)?;
        }
        Ok(outputs)
    }

    /// The trained result saved before anything else that could fail: the pickle
    /// (`pickle.dump(params, f, -1)`), then `--word2vec`, then the figure of `loss_list`, each
    /// whole or not at all ([`files::write_whole`]); the pickle and the vectors, where their
    /// paths cannot be written after all, in a new file beside them or elsewhere
    /// ([`files::save`]), so that no trained model is lost to a write.
    pub fn save(
        &self,
        params: &Params,
        word_vecs: &Array2<f32>,
        loss_list: &[f64],
        eval_interval: usize,
    ) -> Saved {
        let mut failed = Vec::new();
        let mut written = |result: Result<(), String>| match result {
            Ok(()) => true,
            Err(line) => {
                failed.push(line);
                false
            }
        };
        // with open(pkl_file, 'wb') as f: pickle.dump(params, f, -1)
        let pickle = written(files::save(&self.out, &pickle::dumps(params)));
        let word2vec = match &self.word2vec {
            Some(path) => {
                written(files::save(path, word2vec_text(word_vecs, &params.id_to_word).as_bytes()))
            }
            None => false,
        };
        // trainer.plot()
        let svg = plot::loss_svg(loss_list, eval_interval);
        let plot = written(files::write_whole(&self.plot, svg.as_bytes()));
        Saved { pickle, word2vec, plot, failed }
    }
}

/// word2vec's text format, as gensim's `KeyedVectors.load_word2vec_format` reads it: a line
/// `V H`, then each word and its vector, the float32 values in their shortest digits.
pub fn word2vec_text(word_vecs: &Array2<f32>, id_to_word: &[String]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `--fast`'s negatives: CBOW's sampler remade on the counts to its power (0.4, counted
    /// here by hand), skip-gram's and the other modes' left as the book made them.
    #[test]
    fn fast_remakes_cbows_sampler_with_its_power_and_nothing_else() {
        // counts 4, 2, 1 and 1 (ids 0 to 3) and ids 4 and 5 once each
        let corpus = ndarray::array![0, 1, 0, 2, 0, 1, 3, 0, 4, 5];
        let counts = [4f64, 2.0, 1.0, 1.0, 1.0, 1.0];
        let expected = |power: f64| {
            let raised = counts.map(|c| c.powf(power));
            raised.map(|r| r / raised.iter().sum::<f64>())
        };
        let close = |p: &ndarray::Array1<f64>, q: [f64; 6]| {
            p.iter().zip(q).all(|(a, b)| (a - b).abs() < 1e-15)
        };
        let sentence_end = None;
        let rng = || crate::np::random::RandomState::new(crate::np::random::Seed::Pcg64(0));
        let (cbow, skip_gram) = (Architecture::Cbow, Architecture::SkipGram);
        let fast = |architecture| Mode::Word2vec {
            sgd: Sgd::word2vec(architecture, sentence_end),
            threads: 1,
        };
        for (mode, power) in [(fast(cbow), 0.4), (Mode::AdamRows, 0.75), (Mode::Dense, 0.75)] {
            let mut model = CBOW::<f32>::new(6, 3, 1, corpus.view(), &mut rng());
            fast_negatives(&mode, &mut model, corpus.view());
            assert!(close(&model.ns_loss.sampler.word_p, expected(power)), "{mode:?}");
        }
        let mut model = SkipGram::<f32>::new(6, 3, 1, corpus.view(), &mut rng());
        fast_negatives(&fast(skip_gram), &mut model, corpus.view());
        for layer in &model.loss_layers {
            assert!(close(&layer.sampler.word_p, expected(0.75)));
        }
    }

    #[test]
    fn unreadable_files_are_named() {
        let dir = std::env::temp_dir().join(format!("zerotsuku2-training-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.txt");
        assert!(read_text(&missing).unwrap_err().starts_with("cannot read "));
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, " \n\n").unwrap();
        assert!(read_text(&empty).unwrap_err().ends_with("holds no words"));
        let latin1 = dir.join("latin1.txt");
        std::fs::write(&latin1, b"caf\xe9\n").unwrap();
        assert!(read_text(&latin1).unwrap_err().ends_with("is not UTF-8 text (byte 3 is not)"));
        let not_gz = dir.join("plain.gz");
        std::fs::write(&not_gz, "plain").unwrap();
        assert!(read_text(&not_gz).unwrap_err().contains("cannot unzip"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
