//! What the tests of zerotsuku2 share, in one place: a page's timings redacted, the checks a
//! page prints, and the golden data the tests are held to (made by the scripts in
//! `chapters/golden/`: numpy's own output for the pages' cells, and the book's own runs), read
//! at test time. A crate of its own, for the tests only: the library and the chapters take it as
//! a dev-dependency, and it is no part of the library's API.
//!
//! It does not depend on the library, so that the library's own tests build beside it rather
//! than after it: a page comes in as a function from a seed to its text
//! (`zerotsuku2::page::notebook::capture`).

use std::path::PathBuf;

/// The mark of a timing line, as `zerotsuku2::page::notebook::TIMING` (a test of the library
/// holds the two equal).
pub const TIMING: &str = "» ⏱ ";

/// `relative` (`"chapters/golden/adam_book.txt"`) in the repository: the one way the tests find
/// a committed file.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(relative)
}

/// The committed text file at `relative` in the repository, read now.
///
/// # Panics
/// If it cannot be read, naming it.
pub fn golden(relative: &str) -> String {
    std::fs::read_to_string(repo_path(relative))
        .unwrap_or_else(|e| panic!("cannot read the committed {relative}: {e}"))
}

/// That the guide to the pages' flags, in English (`chapters/README.md`) and in Japanese
/// (`chapters/README.ja.md`), describes each of `flags`, named as `` `--flag ``.
///
/// # Panics
/// If a guide says nothing of one, naming both.
pub fn assert_guides_describe<'a>(flags: impl IntoIterator<Item = &'a str>) {
    let guides = ["chapters/README.md", "chapters/README.ja.md"].map(|g| (g, golden(g)));
    for flag in flags {
        for (guide, text) in &guides {
            assert!(text.contains(&format!("`{flag}")), "{guide} says nothing of {flag}");
        }
    }
}

/// The committed file at `relative` in the repository, as bytes.
///
/// # Panics
/// If it cannot be read, naming it.
pub fn golden_bytes(relative: &str) -> Vec<u8> {
    std::fs::read(repo_path(relative))
        .unwrap_or_else(|e| panic!("cannot read the committed {relative}: {e}"))
}

/// `text` with every timing line (one starting with [`TIMING`]) cut to its mark and
/// `[redacted]`, and the seconds of the book's trainer lines (`| time 12[s] |`) redacted, so
/// that a snapshot holds everything else exactly.
pub fn redact_timings(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with(TIMING) {
                return format!("{TIMING}[redacted]");
            }
            match (line.find("| time "), line.find("[s] |")) {
                (Some(a), Some(b)) if a < b => {
                    format!("{}| time [redacted] |{}", &line[..a], &line[b + 5..])
                }
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
}

/// A line of float32 values written as the 8 hex digits of their bits, as the golden scripts
/// write them.
///
/// # Panics
/// If a word is not 8 hex digits.
pub fn f32_hex(line: &str) -> Vec<f32> {
    line.split_whitespace()
        .map(|h| f32::from_bits(u32::from_str_radix(h, 16).expect("8 hex digits")))
        .collect()
}

/// Runs a page under the default seed (`page(None)`) and three of numpy's (`page(Some(n))`,
/// `--numpy-seed n`), and checks that each check the page prints (`» np.allclose: dh True,
/// ...`, a formula's `...: True`) holds: every such line says `True`, none `False`, and there
/// are `count` of them.
///
/// # Panics
/// At the first line that does not hold, or if the page prints another number of checks.
pub fn assert_every_check_holds(page: impl Fn(Option<u32>) -> String, count: usize) {
    for seed in [None, Some(0), Some(1), Some(42)] {
        let text = page(seed);
        let seed = seed.map_or("--seed 0".to_string(), |n| format!("--numpy-seed {n}"));
        let checks: Vec<&str> = text
            .lines()
            .filter(|line| {
                line.contains("allclose") || line.ends_with(": True") || line.ends_with(": False")
            })
            .collect();
        assert_eq!(checks.len(), count, "{seed}: the checks printed\n{}", checks.join("\n"));
        for line in checks {
            assert!(line.contains("True") && !line.contains("False"), "{seed}: {line}");
        }
    }
}

/// Runs chapter `name` under `--numpy-seed N` (`page(N)`) for every committed seed and checks
/// that its output holds every array numpy printed for the page's cells, in order.
///
/// # Panics
/// At the first array the chapter does not print as numpy did, showing both.
pub fn assert_matches_numpy(name: &str, page: impl Fn(u32) -> String) {
    let golden_page = golden("chapters/golden/page_4_2.txt");
    for (seed, blocks) in page_blocks(&golden_page, name) {
        let text = page(seed);
        if let Some(block) = first_missing(&text, &blocks) {
            panic!("{name} --numpy-seed {seed}: numpy printed\n{block}\nbut the chapter printed\n{text}");
        }
    }
}

/// The committed seeds in `page` (`chapters/golden/page_4_2.txt`), with the blocks numpy printed
/// for `chapter` under each, in order.
///
/// # Panics
/// If no seed has blocks for `chapter`.
pub fn page_blocks<'a>(page: &'a str, chapter: &str) -> Vec<(u32, Vec<&'a str>)> {
    let mut found = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("\nseed ") {
        let after = &rest[start + 1..];
        let (header, body) = after.split_once('\n').expect("a header line");
        let end = body.find("\nend\n").expect("each seed's blocks close with 'end'");
        let mut fields = header.split(' ').skip(1);
        let seed: u32 = fields.next().and_then(|s| s.parse().ok()).expect("a seed");
        if fields.next() == Some(chapter) {
            found.push((seed, body[..end].split("\n--\n").collect()));
        }
        rest = &body[end..];
    }
    assert!(!found.is_empty(), "no golden blocks for chapter {chapter}");
    found
}

/// The first block of `blocks` that `output` does not hold as whole lines, each block after
/// the one before; `None` when it holds them all.
pub fn first_missing<'a>(output: &str, blocks: &[&'a str]) -> Option<&'a str> {
    let output = format!("\n{output}\n");
    let mut from = 0;
    for block in blocks {
        let lines = format!("\n{block}\n");
        match output[from..].find(&lines) {
            // the closing newline may open the next block
            Some(at) => from += at + lines.len() - 1,
            None => return Some(block),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_timing_lines_are_redacted() {
        let text = "V = 10\n» ⏱ full 1.2 ms\n» ⏱ fast 3 µs\nbytes 800\n";
        assert_eq!(redact_timings(text), "V = 10\n» ⏱ [redacted]\n» ⏱ [redacted]\nbytes 800\n");
        let line = "| epoch 1 |  iter 21 / 9295 | time 12[s] | loss 4.16\n";
        assert_eq!(
            redact_timings(line),
            "| epoch 1 |  iter 21 / 9295 | time [redacted] | loss 4.16\n"
        );
    }

    #[test]
    fn every_committed_seed_is_there_for_every_chapter() {
        let page = golden("chapters/golden/page_4_2.txt");
        for chapter in ["ch4_2_2", "ch4_2_3", "ch4_2_4", "ch4_2_5", "ch4_2_6", "ch4_2_7"] {
            let seeds: Vec<u32> = page_blocks(&page, chapter).iter().map(|(s, _)| *s).collect();
            assert_eq!(seeds, [0, 1, 42, 2024, 123456789, u32::MAX], "{chapter}");
        }
        assert!(page_blocks(&page, "ch4_2_4")[0].1.len() > 15);
        assert!(page_blocks(&page, "ch4_2_6")[0].1.len() > 7);
    }

    #[test]
    fn blocks_must_come_in_order() {
        assert_eq!(first_missing("a\nb\nc", &["a", "b\nc"]), None);
        assert_eq!(first_missing("a\nb\nc", &["c", "a"]), Some("a"));
        assert_eq!(first_missing("a\nb", &["a", "d"]), Some("d"));
        // whole lines only: "5" is not found inside "15"
        assert_eq!(first_missing("15\n", &["5"]), Some("5"));
    }
}
