//! The chapters' command line: `--seed N` and `--numpy-seed N` (for a page that draws),
//! `--help`, and a page's own flags, in the reader's language ([`crate::page::lang`]). A usage
//! error is two lines on stderr, the problem (with the flag meant, for a mistyped one) and where
//! the help is, as cargo and clap say it, and exit code 2; a failure to write the output is one
//! line and exit code 1; never a panic.
//!
//! Our own parser, not clap: the messages and the help speak Japanese too, which clap's do not,
//! the exit codes are the pages' own, and it costs the pages' cold build nothing.

use crate::np::random::{RandomState, Seed, DEFAULT_SEED};
use crate::page::lang::{self, os_words, pick};
use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// A chapter: writes its whole page into `out`, drawing from `rng`.
pub type Chapter = fn(&mut dyn Write, &mut RandomState) -> io::Result<()>;

/// `chapter`'s whole page under `seed`, as text: what `cargo run --example` prints for it, and
/// what its tests compare.
///
/// # Panics
/// If the chapter fails writing into memory, or writes what is not UTF-8 (a bug of the page's).
pub fn capture(chapter: Chapter, seed: Seed) -> String {
    let mut out = Vec::new();
    chapter(&mut out, &mut RandomState::new(seed)).expect("writing into a Vec does not fail");
    String::from_utf8(out).expect("chapters write UTF-8")
}

/// A page's own flag: its name, the name of its value (`None` for a switch; `A B C` for three
/// values; `WORD...` for one or more, up to the next flag), and one line of help in each
/// language.
#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub name: &'static str,
    pub value: Option<&'static str>,
    pub help: &'static str,
    pub help_ja: &'static str,
}

impl Flag {
    /// How many values the flag takes: `Some(n)`, or `None` for one or more.
    fn values(&self) -> Option<usize> {
        match self.value {
            None => Some(0),
            Some(value) if value.ends_with("...") => None,
            Some(value) => Some(value.split(' ').count()),
        }
    }
}

/// What a page is to its command line: its name, its own flags, and whether it draws random
/// numbers (and so takes `--seed` and `--numpy-seed`).
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub name: &'static str,
    pub flags: &'static [Flag],
    pub draws: bool,
}

/// What the command line asked for: the generator and the page's own flags as given.
#[derive(Debug, Default, PartialEq)]
pub struct Args {
    pub seed: Seed,
    /// `--seed` or `--numpy-seed`, if one was given
    pub seeded: Option<&'static str>,
    given: Vec<(&'static str, Vec<String>)>,
}

impl Args {
    /// Whether the switch or flag `name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.given.iter().any(|(flag, _)| *flag == name)
    }

    /// The value given to flag `name` (its first, for a flag of several).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values(name).and_then(|values| values.first()).map(String::as_str)
    }

    /// The values given to flag `name`.
    pub fn values(&self, name: &str) -> Option<&[String]> {
        self.given.iter().find(|(flag, _)| *flag == name).map(|(_, values)| values.as_slice())
    }

    /// The value of flag `name` as a whole number in `range`, or `default`.
    ///
    /// # Errors
    /// A line naming the flag, the value and the range.
    pub fn number(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<usize>,
        default: usize,
    ) -> Result<usize, Failure> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => match text.parse::<usize>() {
                Ok(n) if range.contains(&n) => Ok(n),
                _ => Err(Failure::Usage(not_a_number(name, range.start(), range.end(), text))),
            },
        }
    }

    /// A usage error if any of `flags` was given with `this` flag: they change nothing then,
    /// for the reason given (in each language).
    ///
    /// # Errors
    /// The first such flag, named with `this` and `why`.
    pub fn refuse_with(
        &self,
        this: &str,
        flags: &[&str],
        why: (&str, &str),
    ) -> Result<(), Failure> {
        let given = |flag: &&&str| self.has(flag) || self.seeded == Some(**flag);
        match flags.iter().find(given) {
            None => Ok(()),
            Some(flag) => Err(Failure::Usage(pick(
                format!("{flag} changes nothing with {this}: {}", why.0),
                format!("{this} には {flag} は効きません: {}", why.1),
            ))),
        }
    }
}

fn not_a_number(
    name: &str,
    low: impl std::fmt::Display,
    high: impl std::fmt::Display,
    text: &str,
) -> String {
    pick(
        format!("{name} takes a whole number from {low} to {high}, not '{text}'"),
        format!("{name} には {low} から {high} の整数を指定してください ('{text}' ではなく)"),
    )
}

/// Why a chapter stopped early.
#[derive(Debug)]
pub enum Failure {
    /// the command line asked for something that cannot be done (a missing file, say):
    /// one line, where the help is, exit 2
    Usage(String),
    /// writing the output failed
    Io(io::Error),
    /// files the chapter writes could not be written, one line each (`cannot write PATH:
    /// REASON`): exit 1, the command line being fine
    Files(Vec<String>),
    /// a long run stopped before its end, for the reason given (its output closed, say): one
    /// line, exit 1
    Stopped(String),
}

impl Failure {
    /// A failure to write the output during a training: if the output was closed (a pipe to
    /// `head`, say), the run stops as Python's would, and says so (with what is `left` as it
    /// was, in each language), since it did not run to its end; any other failure as it is.
    pub fn of_training(e: io::Error, left: (&str, &str)) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::Stopped(pick(
                format!("training stopped: its output was closed (a pipe to head?){}", left.0),
                format!("学習を止めました: 出力が閉じられました (head へのパイプ?){}", left.1),
            ))
        } else {
            Failure::Io(e)
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

/// What [`parse`] found: run, or print the usage.
#[derive(Debug, PartialEq)]
pub enum Command {
    Run(Args),
    Help,
}

/// The usage text of `page`, in lines of at most 80 columns.
pub fn usage(page: &Page) -> String {
    let name = page.name;
    let seeds = page.draws.then_some("[--seed N | --numpy-seed N]");
    let own = (!page.flags.is_empty()).then_some("[OPTION...]");
    let options: Vec<&str> = [seeds, own].into_iter().flatten().collect();
    let options =
        if options.is_empty() { String::new() } else { format!(" [-- {}]", options.join(" ")) };
    let mut text = format!("{} cargo run --example {name}{options}\n", pick("usage:", "使い方:"));
    if page.draws {
        text.push_str(&pick(
            format!("\n  --seed N         the Pcg64 generator's seed, 0 to 2**64 - 1 (default {DEFAULT_SEED})\
                     \n  --numpy-seed N   draw as numpy after np.random.seed(N), 0 to 2**32 - 1"),
            format!("\n  --seed N         Pcg64 乱数生成器のシード、0 から 2**64 - 1 (既定 {DEFAULT_SEED})\
                     \n  --numpy-seed N   np.random.seed(N) の後の numpy と同じ乱数、0 から 2**32 - 1"),
        ));
    }
    for flag in page.flags {
        let left = match flag.value {
            Some(value) => format!("{} {value}", flag.name),
            None => flag.name.to_string(),
        };
        text.push_str(&format!("\n  {left:<16} {}", pick(flag.help, flag.help_ja)));
    }
    text.push_str(pick(
        "\n  -h, --help       print this text",
        "\n  -h, --help       この説明を表示",
    ));
    text
}

/// The line under a usage error that says where the help is.
fn help_line(name: &str) -> String {
    pick(
        format!("For more information, try '--help': cargo run --example {name} -- --help"),
        format!("詳しくは --help を: cargo run --example {name} -- --help"),
    )
}

/// The flag the reader likely meant by `arg`, if one is near it: one edit away, two for
/// longer names, or a name `arg` begins.
fn meant<'a>(arg: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let flag = arg.split('=').next().unwrap_or(arg);
    known
        .map(|name| (edit_distance(flag, name), name))
        .filter(|&(distance, name)| {
            distance <= 1 + usize::from(name.len() > 8) || name.starts_with(flag) && flag.len() > 3
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// Levenshtein's distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let substituted = diagonal + usize::from(x != y);
            diagonal = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Reads the arguments after the program name.
///
/// # Errors
/// A one-line description of the first problem: an argument that is not UTF-8 or unknown, a
/// missing or malformed seed or value, a flag given twice, or both kinds of seed.
pub fn parse(args: impl IntoIterator<Item = OsString>, page: &Page) -> Result<Command, String> {
    let mut seed = None;
    let mut parsed = Args::default();
    let mut args = args.into_iter().peekable();
    let text = |arg: OsString| {
        arg.into_string().map_err(|arg| {
            let arg = arg.to_string_lossy().into_owned();
            pick(
                format!("argument '{arg}' is not UTF-8"),
                format!("引数 '{arg}' が UTF-8 ではありません"),
            )
        })
    };
    let unknown = |arg: &str| {
        let seeds = ["--seed", "--numpy-seed"].into_iter().filter(|_| page.draws);
        let known = page.flags.iter().map(|f| f.name).chain(seeds).chain(["--help"]);
        match meant(arg, known) {
            Some(flag) => pick(
                format!("unknown argument '{arg}'; did you mean '{flag}'?"),
                format!("知らない引数 '{arg}' です。'{flag}' のことですか?"),
            ),
            None => pick(format!("unknown argument '{arg}'"), format!("知らない引数 '{arg}' です")),
        }
    };
    let needs = |flag: &str, what: &str| {
        pick(
            format!("{flag} needs {what} after it"),
            format!("{flag} の後に {what} を指定してください"),
        )
    };
    let twice =
        |flag: &str| pick(format!("{flag} is given twice"), format!("{flag} が2回あります"));
    while let Some(arg) = args.next() {
        let arg = text(arg)?;
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        if let Some(own) = page.flags.iter().find(|f| f.name == flag) {
            if parsed.has(own.name) {
                return Err(twice(own.name));
            }
            let placeholder = own.value.unwrap_or("");
            let values = match (own.values(), inline_value) {
                (Some(0), Some(_)) => return Err(unknown(&arg)),
                (Some(0), None) => Vec::new(),
                (Some(1) | None, Some(value)) => vec![value],
                (Some(_), Some(_)) => return Err(needs(&flag, placeholder)),
                (Some(n), None) => {
                    let mut values = Vec::new();
                    for _ in 0..n {
                        match args.next() {
                            Some(value) => values.push(text(value)?),
                            None => return Err(needs(&flag, placeholder)),
                        }
                    }
                    values
                }
                (None, None) => {
                    let mut values = Vec::new();
                    while let Some(next) = args.next_if(|next| {
                        let next = next.to_string_lossy();
                        !next.starts_with("--") || next == "-"
                    }) {
                        values.push(text(next)?);
                    }
                    if values.is_empty() {
                        return Err(needs(&flag, placeholder));
                    }
                    values
                }
            };
            parsed.given.push((own.name, values));
            continue;
        }
        let mut value_of = |flag: &str| -> Result<String, String> {
            match inline_value.clone() {
                Some(value) => Ok(value),
                None => match args.next() {
                    Some(value) => text(value),
                    None => Err(needs(flag, "N")),
                },
            }
        };
        let this = match flag.as_str() {
            "--help" | "-h" if inline_value.is_none() => return Ok(Command::Help),
            "--seed" if page.draws => {
                Seed::Pcg64(parse_number(&flag, &value_of(&flag)?, u64::MAX)?)
            }
            "--numpy-seed" if page.draws => {
                Seed::Numpy(parse_number(&flag, &value_of(&flag)?, u32::MAX)?)
            }
            "--seed" | "--numpy-seed" => {
                return Err(pick(
                    format!("{flag} changes nothing: this page draws no random numbers"),
                    format!("{flag} は効きません: このページは乱数を使いません"),
                ))
            }
            _ => return Err(unknown(&arg)),
        };
        seed = match (seed, this) {
            (None, this) => Some(this),
            (Some(Seed::Pcg64(_)), Seed::Pcg64(_)) => return Err(twice("--seed")),
            (Some(Seed::Numpy(_)), Seed::Numpy(_)) => return Err(twice("--numpy-seed")),
            _ => {
                return Err(pick(
                    "--seed and --numpy-seed pick different generators: give one".into(),
                    "--seed と --numpy-seed は別の乱数生成器です: どちらか一方を".into(),
                ))
            }
        };
    }
    parsed.seeded = seed.map(|seed| match seed {
        Seed::Pcg64(_) => "--seed",
        Seed::Numpy(_) => "--numpy-seed",
    });
    parsed.seed = seed.unwrap_or_default();
    Ok(Command::Run(parsed))
}

/// A whole number from 0 to `max`, or a message naming the flag, the value and the range.
fn parse_number<T: std::str::FromStr + std::fmt::Display>(
    flag: &str,
    value: &str,
    max: T,
) -> Result<T, String> {
    value.parse().map_err(|_| not_a_number(flag, 0, max, value))
}

/// A page's whole `main`: choose the reader's language, read the command line (the seeds,
/// `--help` and the page's own flags), then write the page to stdout.
pub fn main(
    page: Page,
    chapter: impl FnOnce(&mut dyn Write, &mut RandomState, &Args) -> Result<(), Failure>,
) -> ExitCode {
    lang::choose(lang::of_environment());
    let name = page.name;
    let usage_error = |message: &str| {
        // one write, whose failure (a closed or full stderr) changes nothing
        let _ = io::stderr().write_all(
            format!("{name}: {} {message}\n{}\n", pick("error:", "エラー:"), help_line(name))
                .as_bytes(),
        );
        ExitCode::from(2)
    };
    let result = match parse(std::env::args_os().skip(1), &page) {
        Err(message) => return usage_error(&message),
        Ok(Command::Help) => {
            let mut stdout = io::stdout().lock();
            writeln!(stdout, "{}", usage(&page)).and_then(|()| stdout.flush()).map_err(Failure::Io)
        }
        Ok(Command::Run(args)) => {
            let mut rng = RandomState::new(args.seed);
            let mut out = BufWriter::new(io::stdout().lock());
            chapter(&mut out, &mut rng, &args).and_then(|()| Ok(out.flush()?))
        }
    };
    let error = pick("error:", "エラー:");
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => usage_error(&message),
        // the reader piped us into `head`: stop quietly
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            let words = os_words(&e);
            let line = pick(format!("write error: {words}"), format!("書き込みエラー: {words}"));
            let _ = io::stderr().write_all(format!("{name}: {error} {line}\n").as_bytes());
            ExitCode::FAILURE
        }
        Err(Failure::Files(lines)) => {
            let text: String =
                lines.iter().map(|line| format!("{name}: {error} {line}\n")).collect();
            let _ = io::stderr().write_all(text.as_bytes());
            ExitCode::FAILURE
        }
        Err(Failure::Stopped(line)) => {
            let _ = io::stderr().write_all(format!("{name}: {line}\n").as_bytes());
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::lang::{in_lang, Lang};

    const PAGE: Page = Page { name: "ch4_2_4", flags: &[], draws: true };

    fn parse_args(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from), &PAGE)
    }

    fn run(seed: Seed) -> Result<Command, String> {
        let seeded = Some(if matches!(seed, Seed::Pcg64(_)) { "--seed" } else { "--numpy-seed" });
        Ok(Command::Run(Args { seed, seeded, given: vec![] }))
    }

    #[test]
    fn no_arguments_run_with_the_default_seed() {
        assert_eq!(parse_args(&[]), Ok(Command::Run(Args::default())));
        assert_eq!(Args::default().seed, Seed::Pcg64(DEFAULT_SEED));
    }

    #[test]
    fn seeds_are_read_in_both_spellings() {
        assert_eq!(parse_args(&["--seed", "42"]), run(Seed::Pcg64(42)));
        assert_eq!(parse_args(&["--seed=42"]), run(Seed::Pcg64(42)));
        assert_eq!(parse_args(&["--seed", "18446744073709551615"]), run(Seed::Pcg64(u64::MAX)));
        assert_eq!(parse_args(&["--numpy-seed", "0"]), run(Seed::Numpy(0)));
        assert_eq!(parse_args(&["--numpy-seed=4294967295"]), run(Seed::Numpy(u32::MAX)));
    }

    #[test]
    fn help_wins() {
        assert_eq!(parse_args(&["--help"]), Ok(Command::Help));
        assert_eq!(parse_args(&["-h"]), Ok(Command::Help));
    }

    #[test]
    fn bad_seeds_are_named() {
        assert_eq!(parse_args(&["--seed"]), Err("--seed needs N after it".into()));
        let bound = "--seed takes a whole number from 0 to 18446744073709551615";
        for bad in ["-3", "abc", "1.5", "", "18446744073709551616"] {
            assert_eq!(
                parse_args(&["--seed", bad]),
                Err(format!("{bound}, not '{bad}'")),
                "seed {bad:?}"
            );
        }
        let bound = "--numpy-seed takes a whole number from 0 to 4294967295";
        for bad in ["-1", "4294967296", "x"] {
            assert_eq!(
                parse_args(&["--numpy-seed", bad]),
                Err(format!("{bound}, not '{bad}'")),
                "numpy seed {bad:?}"
            );
        }
    }

    #[test]
    fn a_seed_twice_or_two_generators_is_an_error() {
        assert_eq!(
            parse_args(&["--seed", "1", "--seed", "2"]),
            Err("--seed is given twice".into())
        );
        assert_eq!(
            parse_args(&["--numpy-seed", "1", "--numpy-seed=2"]),
            Err("--numpy-seed is given twice".into())
        );
        let both = Err("--seed and --numpy-seed pick different generators: give one".into());
        assert_eq!(parse_args(&["--seed", "1", "--numpy-seed", "2"]), both);
        assert_eq!(parse_args(&["--numpy-seed", "1", "--seed", "2"]), both);
    }

    const FLAGS: [Flag; 4] = [
        Flag {
            name: "--full", value: None, help: "the book's full size", help_ja: "本の大きさ"
        },
        Flag {
            name: "--out", value: Some("PATH"), help: "where to write", help_ja: "書き込む先"
        },
        Flag { name: "--query", value: Some("WORD..."), help: "words", help_ja: "単語" },
        Flag { name: "--analogy", value: Some("A B C"), help: "a : b = c : ?", help_ja: "類推" },
    ];

    #[test]
    fn a_pages_own_flags_are_read_once() {
        let page = Page { name: "ch4_3_2", flags: &FLAGS, draws: true };
        let args = |a: &[&str]| parse(a.iter().map(OsString::from), &page);
        let Ok(Command::Run(given)) = args(&["--full", "--seed", "3", "--out", "x.pkl"]) else {
            panic!("parsed")
        };
        assert!(given.has("--full"));
        assert_eq!(given.value("--out"), Some("x.pkl"));
        assert_eq!(given.seed, Seed::Pcg64(3));
        let Ok(Command::Run(given)) = args(&["--out=y"]) else { panic!("parsed") };
        assert_eq!(given.value("--out"), Some("y"));
        assert!(!given.has("--full"));
        assert_eq!(args(&["--full", "--full"]), Err("--full is given twice".into()));
        assert_eq!(args(&["--out"]), Err("--out needs PATH after it".into()));
        assert_eq!(
            args(&["--full=1"]),
            Err("unknown argument '--full=1'; did you mean '--full'?".into())
        );
        assert_eq!(parse_args(&["--full"]), Err("unknown argument '--full'".into()));
        let text = usage(&page);
        assert!(
            text.starts_with(
                "usage: cargo run --example ch4_3_2 [-- [--seed N | --numpy-seed N] [OPTION...]]\n"
            ),
            "{text}"
        );
        assert!(text.contains("\n  --full           the book's full size"), "{text}");
        assert!(text.contains("\n  --out PATH       where to write"), "{text}");
    }

    /// A flag of several values takes them up to the next flag, or exactly its number.
    #[test]
    fn flags_of_several_values() {
        let page = Page { name: "ch4_3_3", flags: &FLAGS, draws: false };
        let args = |a: &[&str]| parse(a.iter().map(OsString::from), &page);
        let Ok(Command::Run(given)) =
            args(&["--query", "you", "year", "--analogy", "king", "man", "queen"])
        else {
            panic!("parsed")
        };
        assert_eq!(given.values("--query").unwrap(), ["you", "year"]);
        assert_eq!(given.values("--analogy").unwrap(), ["king", "man", "queen"]);
        let Ok(Command::Run(given)) = args(&["--query", "-"]) else { panic!("parsed") };
        assert_eq!(given.values("--query").unwrap(), ["-"]);
        assert_eq!(args(&["--query", "--full"]), Err("--query needs WORD... after it".into()));
        assert_eq!(
            args(&["--analogy", "king", "man"]),
            Err("--analogy needs A B C after it".into())
        );
        // a page that draws nothing takes no seed
        assert_eq!(
            args(&["--seed", "1"]),
            Err("--seed changes nothing: this page draws no random numbers".into())
        );
        assert!(!usage(&page).contains("--seed"));
        let bare = Page { name: "ch4_1_2", flags: &[], draws: false };
        assert!(usage(&bare).starts_with("usage: cargo run --example ch4_1_2\n\n  -h, --help"));
    }

    /// A mistyped flag is answered with the flag meant, as cargo does.
    #[test]
    fn a_mistyped_flag_is_named_with_the_one_meant() {
        let page = Page { name: "ch4_3_2", flags: &FLAGS, draws: true };
        let args = |a: &[&str]| parse(a.iter().map(OsString::from), &page);
        assert_eq!(
            args(&["--ot", "x"]),
            Err("unknown argument '--ot'; did you mean '--out'?".into())
        );
        assert_eq!(
            args(&["--sed", "1"]),
            Err("unknown argument '--sed'; did you mean '--seed'?".into())
        );
        assert_eq!(
            args(&["--numpyseed=3"]),
            Err("unknown argument '--numpyseed=3'; did you mean '--numpy-seed'?".into())
        );
        assert_eq!(
            args(&["--analog"]),
            Err("unknown argument '--analog'; did you mean '--analogy'?".into())
        );
        assert_eq!(args(&["--colour"]), Err("unknown argument '--colour'".into()));
        assert_eq!(args(&["7"]), Err("unknown argument '7'".into()));
        assert_eq!(edit_distance("--epoch", "--epochs"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    /// The help and the errors speak Japanese when asked.
    #[test]
    fn in_japanese() {
        in_lang(Lang::Ja, || {
            let page = Page { name: "ch4_3_2", flags: &FLAGS, draws: true };
            let text = usage(&page);
            assert!(text.starts_with("使い方: cargo run --example ch4_3_2"), "{text}");
            assert!(text.contains("\n  --out PATH       書き込む先"), "{text}");
            assert!(text.ends_with("\n  -h, --help       この説明を表示"), "{text}");
            let args = |a: &[&str]| parse(a.iter().map(OsString::from), &page);
            assert_eq!(
                args(&["--ot"]),
                Err("知らない引数 '--ot' です。'--out' のことですか?".into())
            );
            assert_eq!(
                args(&["--seed", "x"]),
                Err("--seed には 0 から 18446744073709551615 の整数を指定してください ('x' ではなく)".into())
            );
            assert_eq!(
                help_line("ch4_3_2"),
                "詳しくは --help を: cargo run --example ch4_3_2 -- --help"
            );
        });
    }

    #[test]
    fn numbers_of_a_pages_flags_are_checked() {
        const EPOCHS: [Flag; 1] =
            [Flag {
                name: "--epochs", value: Some("N"), help: "epochs", help_ja: "エポック数"
            }];
        let page = Page { name: "ch4_3_2", flags: &EPOCHS, draws: true };
        let args = |a: &[&str]| match parse(a.iter().map(OsString::from), &page) {
            Ok(Command::Run(args)) => args,
            other => panic!("{other:?}"),
        };
        assert_eq!(args(&[]).number("--epochs", 1..=100, 10).unwrap(), 10);
        assert_eq!(args(&["--epochs", "3"]).number("--epochs", 1..=100, 10).unwrap(), 3);
        for bad in ["0", "101", "-1", "x"] {
            let Err(Failure::Usage(message)) =
                args(&["--epochs", bad]).number("--epochs", 1..=100, 10)
            else {
                panic!("--epochs {bad} accepted")
            };
            assert_eq!(
                message,
                format!("--epochs takes a whole number from 1 to 100, not '{bad}'")
            );
        }
        let given = args(&["--epochs", "3", "--seed", "4"]);
        let Err(Failure::Usage(message)) =
            given.refuse_with("--params", &["--epochs"], ("it trains nothing", "学習しません"))
        else {
            panic!("--epochs taken")
        };
        assert_eq!(message, "--epochs changes nothing with --params: it trains nothing");
        assert!(given.refuse_with("--params", &["--seed"], ("", "")).is_err());
        assert!(given.refuse_with("--params", &["--numpy-seed"], ("", "")).is_ok());
        assert!(args(&[]).refuse_with("--params", &["--seed", "--epochs"], ("", "")).is_ok());
    }

    #[test]
    fn unknown_and_non_utf8_arguments_are_named() {
        assert_eq!(
            parse_args(&["--help=yes"]),
            Err("unknown argument '--help=yes'; did you mean '--help'?".into())
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let bad = OsString::from_vec(vec![b'-', b'-', 0xff]);
            assert_eq!(parse(vec![bad], &PAGE), Err("argument '--\u{fffd}' is not UTF-8".into()));
            let bad = OsString::from_vec(vec![0xff]);
            assert_eq!(
                parse(vec![OsString::from("--seed"), bad], &PAGE),
                Err("argument '\u{fffd}' is not UTF-8".into())
            );
        }
    }
}
