//! Mirrors the book's `dataset/ptb.py`: `load_data`, a PTB-format text as ids. The book
//! downloads the Penn Treebank, which may not be redistributed; we ship a public-domain
//! corpus of the same form ([`SOTU_TRAIN_GZ`]), and the pages read PTB from a path the reader
//! gives.

use flate2::read::MultiGzDecoder;
use ndarray::Array1;
use std::collections::HashMap;
use std::io::Read;

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
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// The text of the shipped corpus.
pub fn sotu_train() -> String {
    gunzip(SOTU_TRAIN_GZ).expect("the shipped corpus is gzipped UTF-8")
}

/// The largest corpus file read (256 MiB, PTB's is 5 MB): its contexts take 80 bytes a word,
/// some 4 GB at this size.
pub const MAX_CORPUS_BYTES: u64 = 256 << 20;

/// Why gzipped bytes are no corpus.
#[derive(Debug)]
pub enum Gunzip {
    /// they are not gzipped UTF-8 text
    Broken(std::io::Error),
    /// they unzip to more than [`MAX_CORPUS_BYTES`]
    TooLarge,
}

/// The text of gzipped bytes, at most [`MAX_CORPUS_BYTES`] of it.
///
/// # Errors
/// It is not gzipped UTF-8, or it unzips to more than that.
pub fn gunzip(bytes: &[u8]) -> Result<String, Gunzip> {
    let mut text = String::new();
    // every member, as Python's gzip reads a concatenated file
    MultiGzDecoder::new(bytes)
        .take(MAX_CORPUS_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(Gunzip::Broken)?;
    if text.len() as u64 > MAX_CORPUS_BYTES {
        return Err(Gunzip::TooLarge);
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
        assert!(matches!(gunzip(&zipped), Err(Gunzip::TooLarge)));
    }
}
