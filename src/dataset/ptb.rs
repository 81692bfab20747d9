//! Mirrors the book's `dataset/ptb.py`: `load_data`, a PTB-format text as ids. The book
//! downloads the Penn Treebank, which may not be redistributed; we ship a public-domain
//! corpus of the same form ([`SOTU_TRAIN_GZ`]) and read PTB from a path the reader gives.

use flate2::read::MultiGzDecoder;
use ndarray::Array1;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// US State of the Union addresses in PTB's form (made by `src/dataset/make_sotu.py`; source
/// and licence in the README), at [`SOTU_TRAIN_PATH`].
pub const SOTU_TRAIN_GZ: &[u8] = include_bytes!("sotu.train.txt.gz");

/// Where [`SOTU_TRAIN_GZ`] lies in the repository.
pub const SOTU_TRAIN_PATH: &str = "src/dataset/sotu.train.txt.gz";

/// What `ptb.load_data('train')` returns.
pub struct Corpus {
    /// `(len(words),)`: every word's id, `<eos>` at each line's end
    pub corpus: Array1<usize>,
    pub word_to_id: HashMap<String, usize>,
    /// the book's `id_to_word` dict, indexed by id
    pub id_to_word: Vec<String>,
}

/// `words = open(file_path).read().replace('\n', '<eos>').strip().split()`, then ids in
/// order of first appearance, as `load_vocab` and `load_data` number them.
pub fn load_data(text: &str) -> Corpus {
    // open() reads '\r\n' and '\r' as '\n' (universal newlines)
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.replace('\n', "<eos>");
    let mut word_to_id = HashMap::new();
    let mut id_to_word = Vec::new();
    let corpus = text
        .split(is_python_whitespace)
        .filter(|word| !word.is_empty())
        .map(|word| {
            *word_to_id.entry(word.to_string()).or_insert_with(|| {
                id_to_word.push(word.to_string());
                id_to_word.len() - 1
            })
        })
        .collect();
    Corpus { corpus, word_to_id, id_to_word }
}

/// What Python's `str.split()` splits on: Unicode white space and the four separators
/// `\x1c` to `\x1f`.
fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// The text of the shipped corpus.
pub fn sotu_train() -> String {
    gunzip(SOTU_TRAIN_GZ).expect("the shipped corpus is gzipped UTF-8")
}

/// The largest corpus file read (256 MiB, PTB's is 5 MB): its contexts take 80 bytes a word,
/// some 4 GB at this size.
pub const MAX_CORPUS_BYTES: u64 = 256 << 20;

/// The corpus a chapter's `--corpus PATH` names (`Some(PATH)`), or the shipped one: its name
/// and its text.
///
/// # Errors
/// As [`read_text`].
pub fn named_corpus(path: Option<&str>) -> Result<(String, String), String> {
    match path {
        None => Ok((SOTU_TRAIN_PATH.to_string(), sotu_train())),
        Some(path) => Ok((path.to_string(), read_text(Path::new(path))?)),
    }
}

/// The text of a PTB-format file (a FIFO or `/dev/stdin` too); gzipped when its name ends in
/// `.gz`.
///
/// # Errors
/// One line naming the file and the problem: it cannot be read, is larger than
/// [`MAX_CORPUS_BYTES`], is not UTF-8, or holds no words.
pub fn read_text(path: &Path) -> Result<String, String> {
    let name = path.display();
    let bytes = crate::page::files::read_at_most(path, MAX_CORPUS_BYTES, "a corpus")?;
    let text = if path.extension().is_some_and(|e| e == "gz") {
        gunzip(&bytes).map_err(|e| format!("{name}: {e}"))?
    } else {
        String::from_utf8(bytes).map_err(|e| {
            format!("{name} is not UTF-8 text (byte {} is not)", e.utf8_error().valid_up_to())
        })?
    };
    if !text.chars().any(|c| !is_python_whitespace(c)) {
        return Err(format!("{name} holds no words"));
    }
    Ok(text)
}

/// The text of gzipped bytes, at most [`MAX_CORPUS_BYTES`] of it.
fn gunzip(bytes: &[u8]) -> Result<String, String> {
    let mut text = String::new();
    // every member, as Python's gzip reads a concatenated file
    MultiGzDecoder::new(bytes)
        .take(MAX_CORPUS_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot unzip it as gzipped UTF-8 text: {e}"))?;
    if text.len() as u64 > MAX_CORPUS_BYTES {
        return Err(format!(
            "it unzips to more than {} MiB, the most a corpus may be",
            MAX_CORPUS_BYTES >> 20
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_in_eos_and_ids_follow_first_appearance() {
        let c = load_data(" the cat sat \n the dog \n");
        assert_eq!(c.id_to_word, ["the", "cat", "sat", "<eos>", "dog"]);
        assert_eq!(c.corpus.to_vec(), [0, 1, 2, 3, 0, 4, 3]);
        assert_eq!(c.word_to_id["dog"], 4);
    }

    #[test]
    fn words_run_together_across_a_newline_as_in_python() {
        // 'a\nb'.replace('\n', '<eos>') is 'a<eos>b': one word, as the book reads it
        let c = load_data("a\nb \r\nc");
        assert_eq!(c.id_to_word, ["a<eos>b", "<eos>c"]);
    }

    #[test]
    fn the_shipped_corpus_is_ptb_sized() {
        let c = load_data(&sotu_train());
        assert_eq!(c.id_to_word.len(), 10_000);
        assert!((900_000..960_000).contains(&c.corpus.len()), "{}", c.corpus.len());
        assert!(c.word_to_id.contains_key("<unk>") && c.word_to_id.contains_key("<eos>"));
    }

    #[test]
    fn unreadable_files_are_named() {
        let dir = std::env::temp_dir().join(format!("zerotsuku2-dataset-{}", std::process::id()));
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

    /// 256 MiB and one byte of text, gzipped to a few hundred KB: refused, not unzipped whole.
    #[test]
    fn a_gzip_bomb_is_refused_at_the_bound() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut zipped = GzEncoder::new(Vec::new(), Compression::fast());
        let block = vec![b'a'; 1 << 20];
        for _ in 0..256 {
            zipped.write_all(&block).unwrap();
        }
        zipped.write_all(b"a").unwrap();
        let zipped = zipped.finish().unwrap();
        assert_eq!(
            gunzip(&zipped).unwrap_err(),
            "it unzips to more than 256 MiB, the most a corpus may be"
        );
    }
}
