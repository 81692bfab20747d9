//! The chapters' command line: `--seed N`, `--numpy-seed N`, `--help`. A usage error is one
//! line on stderr, then the usage, and exit code 2; never a panic.

use crate::np::random::{RandomState, Seed, DEFAULT_SEED};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// A chapter: writes its whole page into `out`, drawing from `rng`.
pub type Chapter = fn(&mut dyn Write, &mut RandomState) -> io::Result<()>;

/// The chapter's output for `seed`, as a string: what the tests compare.
pub fn capture(chapter: Chapter, seed: Seed) -> String {
    let mut out = Vec::new();
    chapter(&mut out, &mut RandomState::new(seed)).expect("writing into a Vec does not fail");
    String::from_utf8(out).expect("chapters write UTF-8")
}

/// What the command line asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Run the chapter, drawing from this generator.
    Run(Seed),
    Help,
}

/// A chapter's own flag beyond the seeds: its name and one line of help.
pub type Flag = (&'static str, &'static str);

/// The usage text of example `name`.
pub fn usage(name: &str) -> String {
    usage_with(name, &[])
}

/// The usage text of example `name` with its own flags.
pub fn usage_with(name: &str, flags: &[Flag]) -> String {
    let own: String = flags.iter().map(|(flag, _)| format!(" [{flag}]")).collect();
    let mut text = format!(
        "usage: cargo run --example {name} [-- [--seed N | --numpy-seed N]{own}]\n\
         \n  --seed N         seed of the Pcg64 generator, 0 to {pcg_max} (default {DEFAULT_SEED})\
         \n  --numpy-seed N   draw as numpy does after np.random.seed(N), 0 to {numpy_max}",
        pcg_max = u64::MAX,
        numpy_max = u32::MAX
    );
    for (flag, help) in flags {
        text.push_str(&format!("\n  {flag:<16} {help}"));
    }
    text.push_str("\n  --help           print this text");
    text
}

/// Reads the arguments after the program name.
///
/// # Errors
/// A one-line description of the first problem: an unknown argument, a missing or malformed
/// seed, a seed given twice or both kinds of seed.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    parse_with(args, &[]).map(|(command, _)| command)
}

/// [`parse`] for a chapter with its own flags: also returns which of them were given.
///
/// # Errors
/// As [`parse`], and a flag of the chapter's given twice.
pub fn parse_with(
    args: impl IntoIterator<Item = String>,
    flags: &[Flag],
) -> Result<(Command, Vec<&'static str>), String> {
    let mut seed = None;
    let mut given = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if let Some(&(flag, _)) = flags.iter().find(|(flag, _)| *flag == arg) {
            if given.contains(&flag) {
                return Err(format!("{flag} is given twice"));
            }
            given.push(flag);
            continue;
        }
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let parsed = match flag.as_str() {
            "--help" | "-h" if inline_value.is_none() => return Ok((Command::Help, given)),
            "--seed" | "--numpy-seed" => {
                let value = inline_value
                    .or_else(|| args.next())
                    .ok_or(format!("{flag} needs a number after it"))?;
                if flag == "--seed" {
                    Seed::Pcg64(parse_number(&flag, &value, u64::MAX)?)
                } else {
                    Seed::Numpy(parse_number(&flag, &value, u32::MAX)?)
                }
            }
            _ => return Err(format!("unknown argument '{arg}'")),
        };
        seed = match (seed, parsed) {
            (None, parsed) => Some(parsed),
            (Some(Seed::Pcg64(_)), Seed::Pcg64(_)) => return Err("--seed is given twice".into()),
            (Some(Seed::Numpy(_)), Seed::Numpy(_)) => {
                return Err("--numpy-seed is given twice".into())
            }
            _ => return Err("--seed and --numpy-seed pick different generators: give one".into()),
        };
    }
    Ok((Command::Run(seed.unwrap_or_default()), given))
}

/// A whole number from 0 to `max`, or a message naming the flag, the value and the range.
fn parse_number<T: std::str::FromStr + std::fmt::Display>(
    flag: &str,
    value: &str,
    max: T,
) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} takes a whole number from 0 to {max}, not '{value}'"))
}

/// A chapter's whole `main`: parse the command line, then write the chapter to stdout.
pub fn main(name: &str, chapter: Chapter) -> ExitCode {
    main_with(name, &[], |out, rng, _| chapter(out, rng))
}

/// [`main`] for a chapter with its own flags, which it receives as given.
pub fn main_with(
    name: &str,
    flags: &[Flag],
    chapter: impl FnOnce(&mut dyn Write, &mut RandomState, &[&'static str]) -> io::Result<()>,
) -> ExitCode {
    match parse_with(std::env::args().skip(1), flags) {
        Ok((Command::Help, _)) => {
            // not println!, which panics when the reader pipes the usage into `head`
            let _ = writeln!(io::stdout(), "{}", usage_with(name, flags));
            ExitCode::SUCCESS
        }
        Ok((Command::Run(seed), given)) => {
            let mut rng = RandomState::new(seed);
            let mut out = BufWriter::new(io::stdout().lock());
            match chapter(&mut out, &mut rng, &given).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // the reader piped us into `head`: stop quietly
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{name}: error: cannot write the output: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(message) => {
            eprintln!("{name}: error: {message}\n{}", usage_with(name, flags));
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn no_arguments_run_with_the_default_seed() {
        assert_eq!(parse_args(&[]), Ok(Command::Run(Seed::Pcg64(DEFAULT_SEED))));
    }

    #[test]
    fn seeds_are_read_in_both_spellings() {
        assert_eq!(
            parse_args(&["--seed", "42"]),
            Ok(Command::Run(Seed::Pcg64(42)))
        );
        assert_eq!(
            parse_args(&["--seed=42"]),
            Ok(Command::Run(Seed::Pcg64(42)))
        );
        assert_eq!(
            parse_args(&["--seed", "18446744073709551615"]),
            Ok(Command::Run(Seed::Pcg64(u64::MAX)))
        );
        assert_eq!(
            parse_args(&["--numpy-seed", "0"]),
            Ok(Command::Run(Seed::Numpy(0)))
        );
        assert_eq!(
            parse_args(&["--numpy-seed=4294967295"]),
            Ok(Command::Run(Seed::Numpy(u32::MAX)))
        );
    }

    #[test]
    fn help_wins() {
        assert_eq!(parse_args(&["--help"]), Ok(Command::Help));
        assert_eq!(parse_args(&["-h"]), Ok(Command::Help));
    }

    #[test]
    fn bad_seeds_are_named() {
        assert_eq!(
            parse_args(&["--seed"]),
            Err("--seed needs a number after it".into())
        );
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
        let flags: &[Flag] = &[("--full", "the book's full size")];
        let args = |a: &[&str]| parse_with(a.iter().map(|s| s.to_string()), flags);
        assert_eq!(args(&[]), Ok((Command::Run(Seed::default()), vec![])));
        assert_eq!(
            args(&["--full", "--seed", "3"]),
            Ok((Command::Run(Seed::Pcg64(3)), vec!["--full"]))
        );
        assert_eq!(
            args(&["--full", "--full"]),
            Err("--full is given twice".into())
        );
        assert_eq!(
            parse_args(&["--full"]),
            Err("unknown argument '--full'".into())
        );
        assert!(usage_with("ch4_2_1", flags).contains("  --full           the book's full size"));
    }

    #[test]
    fn unknown_arguments_are_named() {
        assert_eq!(
            parse_args(&["--sed", "1"]),
            Err("unknown argument '--sed'".into())
        );
        assert_eq!(parse_args(&["7"]), Err("unknown argument '7'".into()));
        assert_eq!(
            parse_args(&["--help=yes"]),
            Err("unknown argument '--help=yes'".into())
        );
    }
}
