//! 4.3.2 CBOWモデルの学習コード — the book's `ch04/train.py` on a shipped public-domain corpus.
//! Run: `cargo run --release --example ch4_3_2 [-- --model skip_gram --corpus PATH --fast ...]`.
//! Beyond the book: seeded draws; `trainer.fit` on the engine (`--dense`: the book's loop);
//! `--fast` is word2vec's own training; the plot is an SVG file. The README lists each.

use half::f16;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;
use zerotsuku2::ch04::cbow::CBOW;
use zerotsuku2::ch04::skip_gram::SkipGram;
use zerotsuku2::common::optimizer::Adam;
use zerotsuku2::common::trainer::{Model, Trainer};
use zerotsuku2::common::util::create_contexts_target;
use zerotsuku2::fast::{self, models::Architecture, Mode};
use zerotsuku2::np::random::RandomState;
use zerotsuku2::page::cli::{Args, Failure, Flag, Page};
use zerotsuku2::page::notebook::{opening, TIMING};
use zerotsuku2::page::pickle::Params;
use zerotsuku2::page::progress;
use zerotsuku2::page::training::{
    self, NamedCorpus, Outputs, BATCH_SIZE, HIDDEN_SIZE, WINDOW_SIZE,
};

/// What the command line chose, checked before anything is printed.
pub struct Options {
    /// the corpus, loaded
    pub corpus: NamedCorpus,
    pub max_epoch: usize,
    /// `--max-iters`: stop after this many iterations in all
    pub max_iters: Option<usize>,
    /// the book's `CBOW` (the default) or its `SkipGram` (`--model skip_gram`)
    pub model: Architecture,
    /// the book's loop (`--dense`), the engine's Adam (the default), or word2vec's (`--fast`)
    pub mode: Mode,
    pub outputs: Outputs,
}

pub fn run(out: &mut dyn Write, rng: &mut RandomState, options: &Options) -> Result<(), Failure> {
    opening(out, "4.3.2 CBOWモデルの学習コード", rng, training::draws(&options.mode))?;
    // the book's classes (--dense) draw as the book does under either generator
    if rng.is_numpy() || matches!(options.mode, Mode::Dense) {
        writeln!(out, "» 負例: 本と同じく、行ごとに np.random.choice でサンプリング")?;
    } else {
        writeln!(out, "» 負例: エイリアス法で、本と同じ分布から1回あたり O(1) でサンプリング")?;
    }

    writeln!(out, "\n# ハイパーパラメータの設定")?;
    // window_size = 5
    let window_size = WINDOW_SIZE;
    // hidden_size = 100
    let hidden_size = HIDDEN_SIZE;
    // batch_size = 100
    let batch_size = BATCH_SIZE;
    // max_epoch = 10 (--epochs)
    let max_epoch = options.max_epoch;
    writeln!(
        out,
        "window_size = {window_size}, hidden_size = {hidden_size}, batch_size = {batch_size}, max_epoch = {max_epoch}"
    )?;

    writeln!(out, "\n# データの読み込み")?;
    // corpus, word_to_id, id_to_word = ptb.load_data('train'): loaded as the command line
    // was read, so that a file that is no corpus is said before anything is printed
    let NamedCorpus { name, corpus } = &options.corpus;
    let (word_to_id, id_to_word, corpus) = (&corpus.word_to_id, &corpus.id_to_word, &corpus.corpus);
    // vocab_size = len(word_to_id)
    let vocab_size = word_to_id.len();
    writeln!(out, "» {name}: {} 語、vocab_size = {vocab_size}", corpus.len())?;

    // contexts, target = create_contexts_target(corpus, window_size)
    let (contexts, target) = create_contexts_target(corpus, window_size);

    writeln!(out, "\n# モデルなどの生成")?;
    let corpus = corpus.view();
    let mut model: Box<dyn Model> = match options.model {
        // model = CBOW(vocab_size, hidden_size, window_size, corpus)
        Architecture::Cbow => {
            Box::new(CBOW::new(vocab_size, hidden_size, window_size, corpus, rng))
        }
        // # model = SkipGram(vocab_size, hidden_size, window_size, corpus)
        Architecture::SkipGram => {
            writeln!(out, "» model = SkipGram(vocab_size, hidden_size, window_size, corpus)")?;
            Box::new(SkipGram::new(vocab_size, hidden_size, window_size, corpus, rng))
        }
    };
    // beyond the book: --fast's negatives, drawn as it says (CBOW: counts ** 0.5)
    training::fast_negatives(&options.mode, &mut *model, corpus);
    // optimizer = Adam()
    let optimizer = Adam::default();
    // trainer = Trainer(model, optimizer)
    let mut trainer = Trainer::new(model, optimizer);
    // beyond the book: --max-iters, and how the engine will train
    trainer.stop_after = options.max_iters;
    training::describe(out, &options.mode)?;

    writeln!(out, "\n# 学習開始")?;
    let start = Instant::now();
    // trainer.fit(contexts, target, max_epoch, batch_size), on the engine beyond the book
    let mut engine = fast::train(&mut trainer, options.mode).showing(progress::bar());
    engine.fit(out, &contexts, &target, max_epoch, batch_size, rng).map_err(|e| {
        Failure::of_training(e, ("; no file was written", "。ファイルは書いていません"))
    })?;
    let seconds = start.elapsed().as_secs_f64();

    // Beyond the book, the trained result is saved before anything that could fail: the
    // pickle, then --word2vec, then trainer.plot()'s figure, each whole or not at all; the
    // book's lines then follow in its order.
    // word_vecs = model.word_vecs
    let word_vecs = trainer.model.word_vecs();
    // params = {}
    let params = Params {
        // params['word_vecs'] = word_vecs.astype(np.float16)
        word_vecs: word_vecs.mapv(f16::from_f32),
        // params['word_to_id'] = word_to_id
        word_to_id: word_to_id.clone(),
        // params['id_to_word'] = id_to_word
        id_to_word: id_to_word.clone(),
    };
    // pkl_file = 'cbow_params.pkl'  # or 'skipgram_params.pkl' (--out)
    // with open(pkl_file, 'wb') as f: pickle.dump(params, f, -1); and trainer.plot()
    let saved = options.outputs.save(&params, word_vecs, &trainer.loss_list, trainer.eval_interval);

    let iterations =
        (contexts.nrows() / batch_size * max_epoch).min(options.max_iters.unwrap_or(usize::MAX));
    let threads = match options.mode {
        Mode::Word2vec { threads, .. } => threads,
        _ => 1,
    };
    writeln!(out, "{TIMING}{iterations} イテレーションに {seconds:.2} s ({threads} スレッド)")?;
    let outputs = &options.outputs;
    if saved.plot {
        writeln!(out, "» trainer.plot(): 損失のグラフを {} に保存", outputs.plot.display())?;
    }
    writeln!(out, "\n# 後ほど利用できるように、必要なデータを保存")?;
    if saved.pickle {
        writeln!(
            out,
            "» {}: word_vecs (float16, {vocab_size} x {hidden_size}), word_to_id, id_to_word",
            outputs.out.display()
        )?;
    }
    if let (Some(path), true) = (&outputs.word2vec, saved.word2vec) {
        writeln!(out, "» {}: float32 のベクトルを word2vec のテキスト形式で保存", path.display())?;
    }
    if saved.failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::Files(saved.failed))
    }
}

const FLAGS: [Flag; 10] = [
    Flag {
        name: "--model",
        value: Some("NAME"),
        help: "cbow (the default) or skip_gram, train.py's two models",
        help_ja: "cbow (既定) か skip_gram: train.py の2つのモデル",
    },
    Flag {
        name: "--fast",
        value: None,
        help: "word2vec's own training, beyond the book (~1/10 of the time): SGD,\n                   \
               its windows, the corpus in order; lr from 0.065 for CBOW and 0.035 for\n                   \
               skip-gram (word2vec's 0.05 and 0.025); CBOW's negatives by the\n                   \
               counts to the power 0.4 (word2vec's 0.75)",
        help_ja: "word2vec 自身の学習 (本の先、時間は約 1/10): SGD と word2vec の窓、\n                   \
                  コーパスは順に読む。学習率は CBOW 0.065、skip-gram 0.035 から\n                   \
                  (word2vec は 0.025〜0.05)。CBOW の負例は出現回数の 0.4 乗に比例",
    },
    Flag {
        name: "--dense",
        value: None,
        help: "the book's classes as written, on one thread: ~20x the time",
        help_ja: "本のクラスのまま1スレッドで学習 (時間は約 20 倍)",
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
        help: "epochs to train (default 10, as the book)",
        help_ja: "学習するエポック数 (既定 10、本と同じ)",
    },
    Flag {
        name: "--max-iters",
        value: Some("N"),
        help: "stop after N iterations in all",
        help_ja: "合計 N イテレーションで止める",
    },
    Flag {
        name: "--out",
        value: Some("PATH"),
        help: "the params pickle (default cbow_params.pkl or skipgram_params.pkl)",
        help_ja: "パラメータの pickle (既定 cbow_params.pkl など)",
    },
    Flag {
        name: "--plot",
        value: Some("PATH"),
        help: "the loss curve, SVG (default cbow_loss.svg or skipgram_loss.svg)",
        help_ja: "損失のグラフ、SVG (既定 cbow_loss.svg など)",
    },
    Flag {
        name: "--word2vec",
        value: Some("PATH"),
        help: "also write the vectors in word2vec's text format",
        help_ja: "ベクトルを word2vec のテキスト形式でも書き出す",
    },
    Flag {
        name: "--threads",
        value: Some("N"),
        help: "--fast: 2 (the default) draws the next batch on a second thread",
        help_ja: "--fast: 2 (既定) なら次のバッチを別スレッドで用意",
    },
];

/// The options, with the corpus read and every file the run will write checked: any problem
/// is one line and the usage before the training starts.
fn options(args: &Args) -> Result<Options, Failure> {
    let corpus = NamedCorpus::load(args.value("--corpus"))?;
    let model = training::model(args)?;
    let sentence_end = corpus.corpus.word_to_id.get("<eos>").copied();
    Ok(Options {
        max_epoch: args.number("--epochs", 1..=1_000_000, training::MAX_EPOCH)?,
        max_iters: args
            .value("--max-iters")
            .map(|_| args.number("--max-iters", 1..=usize::MAX, 0))
            .transpose()?,
        mode: training::mode(args, "ch4_3_2", sentence_end)?,
        outputs: Outputs::from_args(args, model)?,
        corpus,
        model,
    })
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_3_2", flags: &FLAGS, draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, args| run(out, rng, &options(args)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use zerotsuku2::fast::word2vec::Sgd;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::pickle;
    use zerotsuku2::page::training::word2vec_text;

    /// The guide to the pages' flags, in English and in Japanese, describes each of this page's.
    #[test]
    fn both_guides_describe_every_flag() {
        zerotsuku2_testing::assert_guides_describe(FLAGS.iter().map(|flag| flag.name));
    }

    /// `--fast`'s settings that are not word2vec's are named where the reader looks: in
    /// `--help`, in both languages, and in both READMEs and both guides.
    #[test]
    fn fasts_departures_from_word2vec_are_named() {
        let fast = FLAGS.iter().find(|flag| flag.name == "--fast").unwrap();
        let (c, s) =
            [Architecture::Cbow, Architecture::SkipGram].map(|a| Sgd::word2vec(a, None)).into();
        // each language's one phrasing, so that no other number of the text can stand in
        let english = [
            format!("{} for CBOW and {} for skip-gram", c.alpha, s.alpha),
            format!("power {}", c.power),
        ];
        let japanese = [
            format!("CBOW {}、skip-gram {}", c.alpha, s.alpha),
            format!("出現回数の {} 乗", c.power),
        ];
        let mut places = vec![
            (fast.help.to_string(), "--help", &english),
            (fast.help_ja.to_string(), "--help", &japanese),
        ];
        for (guide, phrases) in [
            ("README.md", &english),
            ("README.ja.md", &japanese),
            ("chapters/README.md", &english),
            ("chapters/README.ja.md", &japanese),
        ] {
            places.push((zerotsuku2_testing::golden(guide), guide, phrases));
        }
        for (text, place, phrases) in places {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ").replace("、 ", "、");
            for phrase in phrases {
                assert!(text.contains(phrase.as_str()), "{place} does not say {phrase:?}");
            }
        }
    }

    /// A short run's output with its files in a fresh folder, the folder's path and the
    /// timings redacted.
    fn short_run(
        seed: Seed,
        max_iters: usize,
        mode: Mode,
        model: Architecture,
    ) -> (String, PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "zerotsuku2-ch4_3_2-{}-{max_iters}-{mode:?}-{model:?}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let name = training::file_name(model);
        let options = Options {
            corpus: NamedCorpus::load(None).unwrap(),
            max_epoch: 10,
            max_iters: Some(max_iters),
            model,
            mode,
            // the files' default names, as options() gives them
            outputs: Outputs {
                out: dir.join(format!("{name}_params.pkl")),
                plot: dir.join(format!("{name}_loss.svg")),
                word2vec: Some(dir.join("vectors.txt")),
            },
        };
        let mut out = Vec::new();
        run(&mut out, &mut RandomState::new(seed), &options).unwrap();
        let text = String::from_utf8(out).unwrap();
        let text = text.replace(&format!("{}/", dir.display()), "");
        (zerotsuku2_testing::redact_timings(&text), dir)
    }

    /// `--dense` runs the book's classes, whose negatives are the book's np.random.choice per
    /// row under `--seed` too, and says so; the engine's default says it uses the alias table.
    #[test]
    fn each_way_names_how_it_draws_the_negatives() {
        let (dense, dir) = short_run(Seed::default(), 1, Mode::Dense, Architecture::Cbow);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(dense.contains("» 負例: 本と同じく、行ごとに np.random.choice"), "{dense}");
        assert!(dense.contains("» --dense: 本のループのまま"), "{dense}");
        let (default, dir) = short_run(Seed::default(), 1, Mode::AdamRows, Architecture::Cbow);
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
        use zerotsuku2_testing::{golden, golden_bytes, repo_path};
        let params = pickle::loads(&golden_bytes("chapters/golden/eval_params_p4.pkl")).unwrap();
        let pickled = pickle::dumps(&params);
        let vectors = word2vec_text(&params.word_vecs.mapv(f16::to_f32), &params.id_to_word);
        // the committed files are those bytes, for anyone to load
        let mut made_anew = Vec::new();
        for (name, bytes) in
            [("ours_params.pkl", pickled.as_slice()), ("ours_vectors.txt", vectors.as_bytes())]
        {
            let committed = repo_path(&format!("chapters/golden/{name}"));
            if std::fs::read(&committed).ok().as_deref() != Some(bytes) {
                let new = repo_path(&format!("chapters/golden/{name}.new"));
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
        let (text, dir) = short_run(Seed::default(), 101, Mode::AdamRows, Architecture::Cbow);
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
        let (text, dir) = short_run(Seed::default(), 41, Mode::AdamRows, Architecture::SkipGram);
        let saved = std::fs::read(dir.join("skipgram_params.pkl")).unwrap();
        assert_eq!(pickle::loads(&saved).unwrap().word_vecs.dim(), (10_000, 100));
        std::fs::remove_dir_all(&dir).unwrap();
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_3_2_skip_gram", text);
        });
    }
}
