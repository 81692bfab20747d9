//! The reader's language for what the command line says: `--help`, errors, notes and progress
//! lines are in Japanese under a Japanese locale (`LC_ALL`, `LC_MESSAGES` or `LANG` starting with
//! `ja`, the first of them that is set, as the C library reads them), and in English otherwise.
//! The pages' own lines are the book's, in Japanese, in any locale.
//!
//! The language is chosen once, when a page starts ([`crate::page::cli::main`]); until then, and
//! in the tests, it is English, so that no test depends on the machine's locale. A test asks
//! for Japanese on its own thread with [`in_lang`].

use std::cell::Cell;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

/// The languages the command line speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
}

/// Whether the page chose Japanese.
static JAPANESE: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// a language this thread asked for, over the page's
    static ON_THIS_THREAD: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language to speak now.
pub fn lang() -> Lang {
    ON_THIS_THREAD.with(Cell::get).unwrap_or(if JAPANESE.load(Ordering::Relaxed) {
        Lang::Ja
    } else {
        Lang::En
    })
}

/// The language of the locale the environment names: Japanese if the first of `LC_ALL`,
/// `LC_MESSAGES` and `LANG` that is set (and not empty) starts with `ja`.
pub fn of_environment() -> Lang {
    of_locale(["LC_ALL", "LC_MESSAGES", "LANG"].map(|name| std::env::var(name).ok()))
}

/// The language of the values of `LC_ALL`, `LC_MESSAGES` and `LANG`, in that order.
fn of_locale(values: [Option<String>; 3]) -> Lang {
    match values.into_iter().flatten().find(|value| !value.is_empty()) {
        Some(locale) if locale.starts_with("ja") => Lang::Ja,
        _ => Lang::En,
    }
}

/// Speak `lang` from now on, on every thread.
pub fn choose(lang: Lang) {
    JAPANESE.store(lang == Lang::Ja, Ordering::Relaxed);
}

/// `f`, speaking `lang` on this thread: for tests of what each language says.
pub fn in_lang<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    let before = ON_THIS_THREAD.with(|here| here.replace(Some(lang)));
    let result = f();
    ON_THIS_THREAD.with(|here| here.set(before));
    result
}

/// `en` or `ja`, as the language to speak now.
pub fn pick<T>(en: T, ja: T) -> T {
    match lang() {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// The operating system's words for an error, as coreutils prints them: `No space left on
/// device`, without Rust's ` (os error 28)`; in Japanese, the C library's Japanese words for the
/// errors a page can meet (`デバイスに空き領域がありません`).
pub fn os_words(e: &io::Error) -> String {
    if lang() == Lang::Ja {
        if let Some(words) = e.raw_os_error().and_then(japanese_os_words) {
            return words.to_string();
        }
    }
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// glibc's Japanese messages (`ja.po`) for the errors a reader's files can give.
fn japanese_os_words(code: i32) -> Option<&'static str> {
    Some(match code {
        1 => "許可されていない操作です",
        2 => "そのようなファイルやディレクトリはありません",
        5 => "入力/出力エラーです",
        6 => "そのようなデバイスやアドレスはありません",
        13 => "許可がありません",
        16 => "デバイスもしくはリソースがビジー状態です",
        17 => "ファイルが存在します",
        18 => "無効なクロスデバイスリンクです",
        19 => "そのようなデバイスはありません",
        20 => "ディレクトリではありません",
        21 => "ディレクトリです",
        22 => "無効な引数です",
        26 => "テキストファイルが使用中です",
        27 => "ファイルが大きすぎます",
        28 => "デバイスに空き領域がありません",
        30 => "読み込み専用ファイルシステムです",
        32 => "パイプが切断されました",
        36 => "ファイル名が長すぎます",
        40 => "シンボリックリンクの階層が多すぎます",
        122 => "ディスク使用量制限を超過しました",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_locale_variable_set_chooses() {
        let locale = |all: &str, messages: &str, lang: &str| {
            of_locale([all, messages, lang].map(|v| Some(v.to_string())))
        };
        assert_eq!(locale("", "", "ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(locale("", "ja_JP.eucJP", "C.UTF-8"), Lang::Ja);
        assert_eq!(locale("C", "", "ja_JP.UTF-8"), Lang::En);
        assert_eq!(locale("", "", "en_US.UTF-8"), Lang::En);
        assert_eq!(of_locale([None, None, None]), Lang::En);
    }

    #[test]
    fn english_unless_asked_and_japanese_on_the_thread_that_asks() {
        assert_eq!(lang(), Lang::En);
        let e = io::Error::from_raw_os_error(28);
        assert_eq!(os_words(&e), "No space left on device");
        in_lang(Lang::Ja, || {
            assert_eq!(pick("en", "ja"), "ja");
            assert_eq!(os_words(&e), "デバイスに空き領域がありません");
            // an error without Japanese words keeps its English ones
            assert_eq!(os_words(&io::Error::from_raw_os_error(71)), "Protocol error");
        });
        assert_eq!(pick("en", "ja"), "en");
    }
}
