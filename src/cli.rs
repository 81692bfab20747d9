//! The chapters' command line: `--seed N`, `--help`. A usage error is one line on stderr,
//! then the usage, and exit code 2; never a panic.

use crate::np::random::{RandomState, DEFAULT_SEED};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// What the command line asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Run the chapter, drawing from a `Pcg64` with this seed.
    Run {
        seed: u64,
    },
    Help,
}

/// The usage text of example `name`.
pub fn usage(name: &str) -> String {
    format!(
        "usage: cargo run --example {name} [-- [--seed N]]\n\
         \n  --seed N   seed of the Pcg64 generator, a whole number from 0 to {max} (default {DEFAULT_SEED})\
         \n  --help     print this text",
        max = u64::MAX
    )
}

/// Reads the arguments after the program name.
///
/// # Errors
/// A one-line description of the first problem: an unknown argument, a missing or malformed
/// seed, a flag given twice.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut seed = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "--help" | "-h" if inline_value.is_none() => return Ok(Command::Help),
            "--seed" => {
                let value = inline_value
                    .or_else(|| args.next())
                    .ok_or("--seed needs a number after it")?;
                if seed.is_some() {
                    return Err("--seed is given twice".to_string());
                }
                seed = Some(value.parse::<u64>().map_err(|_| {
                    format!(
                        "--seed takes a whole number from 0 to {}, not '{value}'",
                        u64::MAX
                    )
                })?);
            }
            _ => return Err(format!("unknown argument '{arg}'")),
        }
    }
    Ok(Command::Run {
        seed: seed.unwrap_or(DEFAULT_SEED),
    })
}

/// A chapter's whole `main`: parse the command line, then write the chapter to stdout.
pub fn main(
    name: &str,
    chapter: fn(&mut dyn Write, &mut RandomState) -> io::Result<()>,
) -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            println!("{}", usage(name));
            ExitCode::SUCCESS
        }
        Ok(Command::Run { seed }) => {
            let mut rng = RandomState::pcg64(seed);
            let mut out = BufWriter::new(io::stdout().lock());
            match chapter(&mut out, &mut rng).and_then(|()| out.flush()) {
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
            eprintln!("{name}: error: {message}\n{}", usage(name));
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
        assert_eq!(parse_args(&[]), Ok(Command::Run { seed: DEFAULT_SEED }));
    }

    #[test]
    fn seed_is_read_in_both_spellings() {
        assert_eq!(parse_args(&["--seed", "42"]), Ok(Command::Run { seed: 42 }));
        assert_eq!(parse_args(&["--seed=42"]), Ok(Command::Run { seed: 42 }));
        assert_eq!(
            parse_args(&["--seed", "18446744073709551615"]),
            Ok(Command::Run { seed: u64::MAX })
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
        assert_eq!(
            parse_args(&["--seed", "1", "--seed", "2"]),
            Err("--seed is given twice".into())
        );
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
