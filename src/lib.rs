//! A Rust companion to 『ゼロから作るDeep Learning 2 ――自然言語処理編』 chapter 4, word2vecの高速化:
//! 4.1's Embedding layer, 4.2's Embedding Dot layer and Negative Sampling, 4.3's CBOW and
//! SkipGram trained on a real corpus and evaluated, and 4.4.2's analogy table. The library is laid
//! out as the book's folders ([`common`], [`ch04`], [`dataset`]), each module the book's file with
//! its names and statement order; beyond the book, what numpy does for it ([`np`]), what the pages
//! share ([`page`]), and the training engine ([`fast`]). Each book step is a runnable page:
//!
//! | book section | page (`cargo run --example …`) | the book's file | module |
//! |---|---|---|---|
//! | 4.1.1 Embeddingレイヤ | `ch4_1_1` | — | (measured) |
//! | 4.1.2 Embeddingレイヤの実装 | `ch4_1_2` | `common/layers.py` | [`common::layers`] |
//! | 4.2.1 中間層以降の計算の問題点 | `ch4_2_1` | — | [`fast::negative_sampling`] (measured) |
//! | 4.2.2 多値分類から二値分類へ | `ch4_2_2` | — | [`ch04::negative_sampling_layer`] |
//! | 4.2.3 シグモイド関数と交差エントロピー誤差 | `ch4_2_3` | `common/functions.py`, `common/layers.py` | [`common::functions`], [`common::layers`] |
//! | 4.2.4 多値分類から二値分類へ(実装編) | `ch4_2_4` | `ch04/negative_sampling_layer.py` | [`ch04::negative_sampling_layer`] |
//! | 4.2.5 Negative Sampling | `ch4_2_5` | — | [`common::layers`] |
//! | 4.2.6 Negative Samplingのサンプリング手法 | `ch4_2_6` | `ch04/negative_sampling_layer.py` | [`ch04::negative_sampling_layer`] |
//! | 4.2.7 Negative Samplingの実装 | `ch4_2_7` | `ch04/negative_sampling_layer.py` | [`ch04::negative_sampling_layer`] |
//! | 4.3.1 CBOWモデルの実装 | `ch4_3_1` | `ch04/cbow.py`, `ch04/skip_gram.py` | [`ch04::cbow`], [`ch04::skip_gram`] |
//! | 4.3.2 CBOWモデルの学習コード | `ch4_3_2` | `ch04/train.py`, `common/trainer.py`, `common/optimizer.py`, `dataset/ptb.py` | [`common::trainer`], [`common::optimizer`], [`dataset::ptb`]; beyond the book, [`fast`] |
//! | 4.3.3 CBOWモデルの評価 | `ch4_3_3` | `ch04/eval.py`, `common/util.py` | [`common::util`] |
//! | 4.4.2 単語ベクトルの評価方法 | `ch4_4_2` | — (a table quoted from the literature) | [`page::analogies`], [`fast`] |
//!
//! The book's 4.2.4 example, as its Python reads:
//!
//! ```
//! use ndarray::{array, Array1};
//! use zerotsuku2::ch04::negative_sampling_layer::EmbeddingDot;
//! use zerotsuku2::np;
//!
//! // W = np.arange(21).reshape(7, 3); idx = np.array([0, 3, 1]); h = np.arange(9).reshape(3, 3)
//! let w = Array1::range(0.0, 21.0, 1.0).into_shape_with_order((7, 3)).unwrap();
//! let h = Array1::range(0.0, 9.0, 1.0).into_shape_with_order((3, 3)).unwrap();
//! let mut layer = EmbeddingDot::new();
//! // print(layer.forward(h, idx)), the layer made as EmbeddingDot(W)
//! let s = layer.forward(&w, &h, array![0, 3, 1].view());
//! assert_eq!(np::array_str(&s), "[  5. 122.  86.]");
//! ```

pub mod ch04;
pub mod common;
pub mod dataset;
pub mod fast;
pub mod np;
pub mod page;

#[cfg(test)]
mod tests {
    /// The table of pages above lists every chapter in `chapters/`, once, in the book's order.
    #[test]
    fn the_crate_docs_list_every_page() {
        let docs = zerotsuku2_testing::golden("src/lib.rs");
        let listed: Vec<&str> = docs
            .lines()
            .filter_map(|line| line.strip_prefix("//! | ")?.split(" | `").nth(1)?.split('`').next())
            .collect();
        let mut pages: Vec<String> = std::fs::read_dir(zerotsuku2_testing::repo_path("chapters"))
            .unwrap()
            .filter_map(|entry| {
                let name = entry.unwrap().file_name().into_string().unwrap();
                Some(name.strip_prefix("ch4_")?.strip_suffix(".rs")?.to_string())
            })
            .map(|section| format!("ch4_{section}"))
            .collect();
        pages.sort();
        assert_eq!(listed, pages);
    }

    /// Both READMEs list the book's sections in the book's order, every page once, and tell a
    /// reader before they start the Rust that Cargo.toml asks for.
    #[test]
    fn the_readmes_follow_the_book_and_name_the_rust_they_need() {
        let cargo = zerotsuku2_testing::golden("Cargo.toml");
        let version = cargo
            .lines()
            .find_map(|line| line.strip_prefix("rust-version = \""))
            .map(|v| v.trim_end_matches('"'))
            .expect("a rust-version in Cargo.toml");
        for readme in ["README.md", "README.ja.md"] {
            let text = zerotsuku2_testing::golden(readme);
            assert!(text.contains(&format!("Rust {version}")), "{readme} names no Rust {version}");
            let sections: Vec<Vec<u32>> = text
                .lines()
                .filter_map(|line| line.strip_prefix("| 4.")?.split(' ').next())
                .map(|s| s.split('.').map(|n| n.parse().unwrap()).collect())
                .collect();
            let mut in_order = sections.clone();
            in_order.sort();
            in_order.dedup();
            assert_eq!(sections, in_order, "{readme}: the sections out of the book's order");
            assert_eq!(sections.len(), 13, "{readme}: a row for each of the 13 pages");
        }
    }

    /// The guides' table of how long an epoch of CBOW takes quotes the benchmark's latest run,
    /// figure for figure.
    #[test]
    fn the_guides_epoch_times_are_the_benchmarks() {
        let bench = zerotsuku2_testing::golden("chapters/bench/README.md");
        // the benchmark's row `| name | CBOW | seconds | ... |`
        let seconds = |name: &str| {
            bench
                .lines()
                .map(|line| line.split('|').map(str::trim).collect::<Vec<_>>())
                .find(|cells| cells.len() > 3 && cells[1] == name && cells[2] == "CBOW")
                .map(|cells| cells[3].to_string())
                .unwrap_or_else(|| panic!("no CBOW row {name} in the benchmark's table"))
        };
        let rows = [
            ("ours, 1 thread", "the default", "既定"),
            ("ours --dense, 1 thread", "`--dense`", "`--dense`"),
            ("ours --fast, 1 thread", "`--fast`, 1 thread", "`--fast`、1 スレッド"),
            ("ours --fast, 2 threads", "`--fast`, 2 threads", "`--fast`、2 スレッド"),
            ("book NumPy (extrapolated)", "the book's NumPy (extrapolated)", "本の NumPy (外挿)"),
        ];
        let guides =
            ["chapters/README.md", "chapters/README.ja.md"].map(zerotsuku2_testing::golden);
        for (name, english, japanese) in rows {
            let value = seconds(name);
            for (guide, label) in guides.iter().zip([english, japanese]) {
                let row = format!("| {label} | {value} |");
                assert!(guide.contains(&row), "a guide lacks the benchmark's {row}");
            }
        }
    }
}
