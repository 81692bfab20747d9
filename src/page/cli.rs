//! The chapters' command line: `--seed N`, `--numpy-seed N`, `--help`, and a chapter's own
//! flags. A usage error is one line on stderr, then the usage, and exit code 2; a failure to
//! write the output is one line and exit code 1; never a panic.

use crate::np::random::{RandomState, Seed, DEFAULT_SEED};
use crate::page::files::os_words;
use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// A chapter: writes its whole page into `out`, drawing from `rng`.
pub type Chapter = fn(&mut dyn Write, &mut RandomState) -> io::Result<()>;

/// A chapter's own flag: its name, the name of its value (`None` for a switch), one line of
/// help.
#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub name: &'static str,
    pub value: Option<&'static str>,
    pub help: &'static str,
}

/// What the command line asked for: the generator and the chapter's own flags as given.
#[derive(Debug, Default, PartialEq)]
pub struct Args {
    pub seed: Seed,
    given: Vec<(&'static str, Option<String>)>,
}

impl Args {
    /// Whether the switch or flag `name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.given.iter().any(|(flag, _)| *flag == name)
    }

    /// The value given to flag `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.given.iter().find(|(flag, _)| *flag == name).and_then(|(_, value)| value.as_deref())
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
                _ => Err(Failure::Usage(format!(
                    "{name} takes a whole number from {} to {}, not '{text}'",
                    range.start(),
                    range.end()
                ))),
            },
        }
    }
}

/// Why a chapter stopped early.
#[derive(Debug)]
pub enum Failure {
    /// the command line asked for something that cannot be done (a missing file, say):
    /// one line, the usage, exit 2
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
    /// was), since it did not run to its end; any other failure as it is.
    pub fn of_training(e: io::Error, left: &str) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::Stopped(format!(
                "training stopped: its output was closed (a pipe to head?){left}"
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

/// The usage text of example `name` with its own flags, in lines of at most 80 columns.
pub fn usage(name: &str, flags: &[Flag]) -> String {
    let own = if flags.is_empty() { "" } else { " [OPTION...]" };
    let mut text = format!(
        "usage: cargo run --example {name} [-- [--seed N | --numpy-seed N]{own}]\n\
         \n  --seed N         the Pcg64 generator's seed, 0 to 2**64 - 1 (default {DEFAULT_SEED})\
         \n  --numpy-seed N   draw as numpy after np.random.seed(N), 0 to 2**32 - 1",
    );
    for flag in flags {
        let left = match flag.value {
            Some(value) => format!("{} {value}", flag.name),
            None => flag.name.to_string(),
        };
        text.push_str(&format!("\n  {left:<16} {}", flag.help));
    }
    text.push_str("\n  -h, --help       print this text");
    text
}

/// Reads the arguments after the program name.
///
/// # Errors
/// A one-line description of the first problem: an argument that is not UTF-8 or unknown, a
/// missing or malformed seed or value, a flag given twice, or both kinds of seed.
pub fn parse(args: impl IntoIterator<Item = OsString>, flags: &[Flag]) -> Result<Command, String> {
    let mut seed = None;
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    let text = |arg: OsString| {
        arg.into_string()
            .map_err(|arg| format!("argument '{}' is not UTF-8", arg.to_string_lossy()))
    };
    while let Some(arg) = args.next() {
        let arg = text(arg)?;
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value_of = |flag: &str| -> Result<String, String> {
            match inline_value.clone() {
                Some(value) => Ok(value),
                None => match args.next() {
                    Some(value) => text(value),
                    None => Err(format!("{flag} needs a value after it")),
                },
            }
        };
        if let Some(own) = flags.iter().find(|f| f.name == flag) {
            if parsed.has(own.name) {
                return Err(format!("{} is given twice", own.name));
            }
            let value = match own.value {
                Some(_) => Some(value_of(&flag)?),
                None if inline_value.is_some() => return Err(format!("unknown argument '{arg}'")),
                None => None,
            };
            parsed.given.push((own.name, value));
            continue;
        }
        let this = match flag.as_str() {
            "--help" | "-h" if inline_value.is_none() => return Ok(Command::Help),
            "--seed" => Seed::Pcg64(parse_number(&flag, &value_of(&flag)?, u64::MAX)?),
            "--numpy-seed" => Seed::Numpy(parse_number(&flag, &value_of(&flag)?, u32::MAX)?),
            _ => return Err(format!("unknown argument '{arg}'")),
        };
        seed = match (seed, this) {
            (None, this) => Some(this),
            (Some(Seed::Pcg64(_)), Seed::Pcg64(_)) => return Err("--seed is given twice".into()),
            (Some(Seed::Numpy(_)), Seed::Numpy(_)) => {
                return Err("--numpy-seed is given twice".into())
            }
            _ => return Err("--seed and --numpy-seed pick different generators: give one".into()),
        };
    }
    parsed.seed = seed.unwrap_or_default();
    Ok(Command::Run(parsed))
}

/// A whole number from 0 to `max`, or a message naming the flag, the value and the range.
fn parse_number<T: std::str::FromStr + std::fmt::Display>(
    flag: &str,
    value: &str,
    max: T,
) -> Result<T, String> {
    value.parse().map_err(|_| format!("{flag} takes a whole number from 0 to {max}, not '{value}'"))
}

/// A chapter's whole `main`: parse the command line (the seeds, `--help` and the chapter's
/// own `flags`), then write the chapter to stdout; a chapter without flags of its own passes
/// `&[]` and ignores its [`Args`].
pub fn main(
    name: &str,
    flags: &[Flag],
    chapter: impl FnOnce(&mut dyn Write, &mut RandomState, &Args) -> Result<(), Failure>,
) -> ExitCode {
    let usage_error = |message: &str| {
        // one write, whose failure (a closed or full stderr) changes nothing
        let _ = io::stderr()
            .write_all(format!("{name}: error: {message}\n{}\n", usage(name, flags)).as_bytes());
        ExitCode::from(2)
    };
    let result = match parse(std::env::args_os().skip(1), flags) {
        Err(message) => return usage_error(&message),
        Ok(Command::Help) => {
            let mut stdout = io::stdout().lock();
            writeln!(stdout, "{}", usage(name, flags))
                .and_then(|()| stdout.flush())
                .map_err(Failure::Io)
        }
        Ok(Command::Run(args)) => {
            let mut rng = RandomState::new(args.seed);
            let mut out = BufWriter::new(io::stdout().lock());
            chapter(&mut out, &mut rng, &args).and_then(|()| Ok(out.flush()?))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => usage_error(&message),
        // the reader piped us into `head`: stop quietly
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            let _ = io::stderr()
                .write_all(format!("{name}: error: write error: {}\n", os_words(&e)).as_bytes());
            ExitCode::FAILURE
        }
        Err(Failure::Files(lines)) => {
            let text: String =
                lines.iter().map(|line| format!("{name}: error: {line}\n")).collect();
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

    fn parse_args(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from), &[])
    }

    fn run(seed: Seed) -> Result<Command, String> {
        Ok(Command::Run(Args { seed, given: vec![] }))
    }

    #[test]
    fn no_arguments_run_with_the_default_seed() {
        assert_eq!(parse_args(&[]), run(Seed::Pcg64(DEFAULT_SEED)));
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
        assert_eq!(parse_args(&["--seed"]), Err("--seed needs a value after it".into()));
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

    #[test]
    fn a_chapters_own_flags_are_read_once() {
        let flags = [
            Flag { name: "--full", value: None, help: "the book's full size" },
            Flag { name: "--out", value: Some("PATH"), help: "where to write" },
        ];
        let args = |a: &[&str]| parse(a.iter().map(OsString::from), &flags);
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
        assert_eq!(args(&["--out"]), Err("--out needs a value after it".into()));
        assert_eq!(args(&["--full=1"]), Err("unknown argument '--full=1'".into()));
        assert_eq!(parse_args(&["--full"]), Err("unknown argument '--full'".into()));
        let text = usage("ch4_3_2", &flags);
        assert!(text.contains("--numpy-seed N] [OPTION...]]"), "{text}");
        assert!(text.contains("\n  --full           the book's full size"), "{text}");
        assert!(text.contains("\n  --out PATH       where to write"), "{text}");
    }

    #[test]
    fn numbers_of_a_chapters_flags_are_checked() {
        let flags = [Flag { name: "--epochs", value: Some("N"), help: "epochs" }];
        let args = |a: &[&str]| match parse(a.iter().map(OsString::from), &flags) {
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
    }

    #[test]
    fn unknown_and_non_utf8_arguments_are_named() {
        assert_eq!(parse_args(&["--sed", "1"]), Err("unknown argument '--sed'".into()));
        assert_eq!(parse_args(&["7"]), Err("unknown argument '7'".into()));
        assert_eq!(parse_args(&["--help=yes"]), Err("unknown argument '--help=yes'".into()));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let bad = OsString::from_vec(vec![b'-', b'-', 0xff]);
            assert_eq!(parse(vec![bad], &[]), Err("argument '--\u{fffd}' is not UTF-8".into()));
            let bad = OsString::from_vec(vec![0xff]);
            assert_eq!(
                parse(vec![OsString::from("--seed"), bad], &[]),
                Err("argument '\u{fffd}' is not UTF-8".into())
            );
        }
    }

    #[test]
    fn os_errors_read_as_coreutils_prints_them() {
        let e = io::Error::from_raw_os_error(28);
        assert_eq!(os_words(&e), "No space left on device");
    }
}
