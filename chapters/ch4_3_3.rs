//! 4.3.3 CBOWモデルの評価 — the book's `ch04/eval.py`: `most_similar` and `analogy`.
//! Run: `cargo run --release --example ch4_3_3 [-- --params PATH]` after `ch4_3_2`.
//! Prints exactly what the book's `eval.py` prints for the same pickle (the book's own
//! `cbow_params.pkl` included); beyond it, `--query` and `--analogy` ask about any words.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use zerotsuku2::common::util::{analogy, most_similar};
use zerotsuku2::page::cli::{Failure, Flag, Page};
use zerotsuku2::page::files;
use zerotsuku2::page::lang::pick;
use zerotsuku2::page::pickle::{self, Params};

pub fn run(out: &mut dyn Write, params: &Params) -> std::io::Result<()> {
    // word_vecs = params['word_vecs']; word_to_id = params['word_to_id']; id_to_word = params['id_to_word']
    let Params { word_vecs, word_to_id, id_to_word } = params;

    // most similar task
    // querys = ['you', 'year', 'car', 'toyota']
    for query in ["you", "year", "car", "toyota"] {
        // most_similar(query, word_to_id, id_to_word, word_vecs, top=5)
        most_similar(out, query, word_to_id, id_to_word, word_vecs, 5)?;
    }

    // analogy task
    // print('-'*50)
    writeln!(out, "{}", "-".repeat(50))?;
    for (a, b, c) in [
        ("king", "man", "queen"),
        ("take", "took", "go"),
        ("car", "cars", "child"),
        ("good", "better", "bad"),
    ] {
        // analogy(a, b, c, word_to_id, id_to_word, word_vecs)
        analogy(out, a, b, c, word_to_id, id_to_word, word_vecs, 5, None)?;
    }
    Ok(())
}

/// Beyond the book, the reader's own questions, asked of the book's functions as `eval.py` asks
/// its four: `most_similar(word, ..., top=5)` for each of `queries`, then `analogy(a, b, c, ...)`
/// for `analogy`.
pub fn ask(
    out: &mut dyn Write,
    params: &Params,
    queries: &[String],
    analogy_of: Option<[&str; 3]>,
) -> std::io::Result<()> {
    let Params { word_vecs, word_to_id, id_to_word } = params;
    for query in queries {
        most_similar(out, query, word_to_id, id_to_word, word_vecs, 5)?;
    }
    if let Some([a, b, c]) = analogy_of {
        analogy(out, a, b, c, word_to_id, id_to_word, word_vecs, 5, None)?;
    }
    Ok(())
}

/// The reader's questions from `input`, one a line: a word asks `most_similar`, three words
/// `analogy`; each answered at once, so that a reader can explore at a terminal. A line of
/// another length is answered on stderr with what a line may be.
pub fn ask_each_line(
    out: &mut dyn Write,
    params: &Params,
    input: impl BufRead,
    notes: &mut dyn Write,
) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        let words: Vec<String> = line.split_whitespace().map(String::from).collect();
        match words.as_slice() {
            [] => continue,
            [_] => ask(out, params, &words, None)?,
            [a, b, c] => ask(out, params, &[], Some([a, b, c]))?,
            _ => writeln!(
                notes,
                "{}",
                pick(
                    format!("ch4_3_3: note: {} words; a line is one word (most_similar) or three (analogy)", words.len()),
                    format!("ch4_3_3: 注意: {} 語です。1行に1語 (most_similar) か 3語 (analogy) を", words.len()),
                )
            )?,
        }
        out.flush()?;
    }
    Ok(())
}

/// `pickle.load(open(pkl_file, 'rb'))`, or the one line that says why not.
fn load(path: &Path, given: bool) -> Result<Params, Failure> {
    let name = path.display();
    if !given && !path.exists() {
        return Err(Failure::Usage(pick(
            format!("no {name} here: run `cargo run --release --example ch4_3_2` first, or pass --params PATH"),
            format!("ここに {name} がありません: 先に `cargo run --release --example ch4_3_2` を実行するか、--params PATH を"),
        )));
    }
    let bytes = files::read_at_most(path, pickle::MAX_BYTES, ("a params file", "params ファイル"))
        .map_err(Failure::Usage)?;
    pickle::loads(&bytes).map_err(|e| {
        Failure::Usage(pick(
            format!("{name} is not the book's params pickle: {e}"),
            format!("{name} は本の params の pickle ではありません: {e}"),
        ))
    })
}

const FLAGS: [Flag; 3] = [
    Flag {
        name: "--params",
        value: Some("PATH"),
        help: "a params pickle (default cbow_params.pkl), e.g. the book's",
        help_ja: "params の pickle (既定 cbow_params.pkl)。本のものも",
    },
    Flag {
        name: "--query",
        value: Some("WORD..."),
        help: "most_similar of each word, not eval.py's; - reads stdin",
        help_ja: "各単語の most_similar (eval.py の代わりに)。- で標準入力",
    },
    Flag {
        name: "--analogy",
        value: Some("A B C"),
        help: "analogy(A, B, C): A:B = C:?, not eval.py's",
        help_ja: "analogy(A, B, C): A:B = C:? (eval.py の代わりに)",
    },
];

fn main() -> ExitCode {
    let page = Page { name: "ch4_3_3", flags: &FLAGS, draws: false };
    zerotsuku2::page::cli::main(page, |out, _rng, args| {
        // pkl_file = 'cbow_params.pkl'
        let path = args.value("--params").unwrap_or("cbow_params.pkl");
        let params = load(Path::new(path), args.has("--params"))?;
        let queries = args.values("--query").unwrap_or_default();
        let analogy_of = args.values("--analogy").map(|v| [&*v[0], &*v[1], &*v[2]]);
        if queries == ["-"] {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                let hint = pick(
                    "» one word a line for most_similar, three for analogy; Ctrl-D ends",
                    "» 1行に1語で most_similar、3語で analogy。Ctrl-D で終わり",
                );
                eprintln!("{hint}");
            }
            ask(out, &params, &[], analogy_of)?;
            return Ok(ask_each_line(out, &params, stdin.lock(), &mut std::io::stderr())?);
        }
        if queries.is_empty() && analogy_of.is_none() {
            return Ok(run(out, &params)?);
        }
        Ok(ask(out, &params, queries, analogy_of)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2_testing::{golden, repo_path};

    /// The guide to the pages' flags, in English and in Japanese, describes each of this page's.
    #[test]
    fn both_guides_describe_every_flag() {
        zerotsuku2_testing::assert_guides_describe(FLAGS.iter().map(|flag| flag.name));
    }

    fn fixture(name: &str) -> Params {
        load(&repo_path(&format!("chapters/golden/{name}")), true)
            .unwrap_or_else(|_| panic!("{name} loads"))
    }

    fn output(params: &Params) -> String {
        let mut out = Vec::new();
        run(&mut out, params).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn prints_what_the_books_eval_prints() {
        // chapters/golden/eval_book.py: the book's own most_similar and analogy on this pickle
        let expected = golden("chapters/golden/eval_book.txt");
        assert_eq!(output(&fixture("eval_params_p4.pkl")), expected);
    }

    #[test]
    fn reads_the_pickle_a_current_python_writes() {
        // pickle.dump(params, f, -1) on Python 3.8+ is protocol 5, with numpy's _frombuffer
        assert_eq!(fixture("eval_params_p5.pkl"), fixture("eval_params_p4.pkl"));
    }

    #[test]
    fn the_books_other_branches() {
        let params = fixture("eval_params_p4.pkl");
        let Params { word_vecs, word_to_id, id_to_word } = &params;
        let mut out = Vec::new();
        most_similar(&mut out, "zzz", word_to_id, id_to_word, word_vecs, 5).unwrap();
        analogy(&mut out, "king", "man", "zzz", word_to_id, id_to_word, word_vecs, 5, None)
            .unwrap();
        most_similar(&mut out, "man", word_to_id, id_to_word, word_vecs, 3).unwrap();
        analogy(
            &mut out,
            "king",
            "man",
            "queen",
            word_to_id,
            id_to_word,
            word_vecs,
            5,
            Some("woman"),
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), golden("chapters/golden/eval_book_extra.txt"));
    }

    /// The book's answers, as `eval_book.py` recorded them: its four queries, and its first
    /// analogy (the part of `eval_book.txt` after the line of dashes, up to the next).
    fn books(part: &str) -> String {
        let text = golden("chapters/golden/eval_book.txt");
        let (queries, analogies) = text.split_once(&format!("{}\n", "-".repeat(50))).unwrap();
        match part {
            "queries" => queries.to_string(),
            _ => {
                let first = analogies.split("\n[analogy]").nth(1).unwrap();
                format!("\n[analogy]{first}")
            }
        }
    }

    /// `--query you year car toyota` and `--analogy king man queen` print what the book's
    /// functions printed for those words; so do the same questions from stdin, a line each,
    /// with a line of two words noted on stderr and a blank line passed over.
    #[test]
    fn the_readers_questions_are_answered_as_the_book_answers_them() {
        let params = fixture("eval_params_p4.pkl");
        let words: Vec<String> = ["you", "year", "car", "toyota"].map(String::from).to_vec();
        let mut out = Vec::new();
        ask(&mut out, &params, &words, Some(["king", "man", "queen"])).unwrap();
        let expected = books("queries") + &books("analogy");
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        let (mut out, mut notes) = (Vec::new(), Vec::new());
        let input = "you\nyear\n\ncar\ntoyota\nman king\nking man queen\n";
        ask_each_line(&mut out, &params, input.as_bytes(), &mut notes).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        assert_eq!(
            String::from_utf8(notes).unwrap(),
            "ch4_3_3: note: 2 words; a line is one word (most_similar) or three (analogy)\n"
        );
        // a word not in the vocabulary, as the book answers it
        let mut out = Vec::new();
        ask(&mut out, &params, &["zzz".to_string()], Some(["king", "man", "zzz"])).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "zzz is not found\nzzz is not found\n");
    }

    #[test]
    fn output_for_the_fixture() {
        let text = output(&fixture("eval_params_p4.pkl"));
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_3_3", text);
        });
    }
}
