//! 4.3.3 CBOWモデルの評価 — the book's `ch04/eval.py`: `most_similar` and `analogy`.
//! Run: `cargo run --release --example ch4_3_3 [-- --params PATH]` after `ch4_3_2`.
//! Prints exactly what the book's `eval.py` prints for the same pickle (the book's own
//! `cbow_params.pkl` included), in numpy's float16 arithmetic.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use zerotsuku2::common::util::{analogy, most_similar};
use zerotsuku2::page::cli::{Failure, Flag};
use zerotsuku2::page::files;
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

/// `pickle.load(open(pkl_file, 'rb'))`, or the one line that says why not.
fn load(path: &Path, given: bool) -> Result<Params, Failure> {
    let name = path.display();
    if !given && !path.exists() {
        return Err(Failure::Usage(format!(
            "no {name} here: run `cargo run --release --example ch4_3_2` first, or pass --params PATH"
        )));
    }
    let bytes =
        files::read_at_most(path, pickle::MAX_BYTES, "a params file").map_err(Failure::Usage)?;
    pickle::loads(&bytes)
        .map_err(|e| Failure::Usage(format!("{name} is not the book's params pickle: {e}")))
}

fn main() -> ExitCode {
    let flags = [Flag {
        name: "--params",
        value: Some("PATH"),
        help: "a params pickle (default cbow_params.pkl), e.g. the book's",
    }];
    zerotsuku2::page::cli::main("ch4_3_3", &flags, |out, _rng, args| {
        // pkl_file = 'cbow_params.pkl'
        let path = args.value("--params").unwrap_or("cbow_params.pkl");
        let params = load(Path::new(path), args.has("--params"))?;
        Ok(run(out, &params)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2_testing::{golden, repo_path};

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

    #[test]
    fn output_for_the_fixture() {
        let text = output(&fixture("eval_params_p4.pkl"));
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_3_3", text);
        });
    }
}
