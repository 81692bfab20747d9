//! A Rust companion to 『ゼロから作るDeep Learning 2 ――自然言語処理編』 sections 4.2 and 4.3:
//! word2vec's Embedding Dot layer and Negative Sampling, then CBOW trained on a real corpus
//! and evaluated. Each module mirrors one of the book's Python files, with the book's names and
//! statement order; each book step is a runnable chapter.
//!
//! | book section | chapter (`cargo run --example …`) | the book's file | module |
//! |---|---|---|---|
//! | 4.1.1 Embeddingレイヤ | `ch4_1_1` | — | (measured) |
//! | 4.1.2 Embeddingレイヤの実装 | `ch4_1_2` | `common/layers.py` | [`layers`] |
//! | 4.2.1 中間層以降の計算の問題点 | `ch4_2_1` | — | [`fast`] (measured) |
//! | 4.2.2 多値分類から二値分類へ | `ch4_2_2` | — | [`negative_sampling_layer`] |
//! | 4.2.3 シグモイド関数と交差エントロピー誤差 | `ch4_2_3` | `common/functions.py`, `common/layers.py` | [`functions`], [`layers`] |
//! | 4.2.4 多値分類から二値分類へ(実装編) | `ch4_2_4` | `ch04/negative_sampling_layer.py` | [`negative_sampling_layer`] |
//! | 4.2.5 Negative Sampling | `ch4_2_5` | — | [`layers`] |
//! | 4.2.6 Negative Samplingのサンプリング手法 | `ch4_2_6` | `ch04/negative_sampling_layer.py` | [`negative_sampling_layer`] |
//! | 4.2.7 Negative Samplingの実装 | `ch4_2_7` | `ch04/negative_sampling_layer.py` | [`negative_sampling_layer`] |
//! | 4.3.1 CBOWモデルの実装 | `ch4_3_1` | `ch04/cbow.py`, `ch04/skip_gram.py` | [`cbow`], [`skip_gram`] |
//! | 4.3.2 CBOWモデルの学習コード | `ch4_3_2` | `ch04/train.py`, `common/trainer.py`, `common/optimizer.py`, `dataset/ptb.py` | [`trainer`], [`optimizer`], [`dataset`], [`pickle`]; beyond the book, [`fast`]'s training engine |
//! | 4.3.3 CBOWモデルの評価 | `ch4_3_3` | `ch04/eval.py`, `common/util.py` | [`util`] |
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

// Test support, not the API: the chapters' tests include the same file, and it names this
// crate `zerotsuku2` as they do.
#[cfg(test)]
extern crate self as zerotsuku2;
#[cfg(test)]
mod chapter_tests;
