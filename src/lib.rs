//! A Rust companion to 『ゼロから作るDeep Learning 2』 sections 4.2 and 4.3. Each module
//! mirrors one of the book's Python files, with the book's names and statement order.

/// `ch04/cbow.py`: `CBOW`.
pub mod cbow;
/// The chapters' command line (`--seed`, `--help`); no counterpart in the book.
pub mod cli;
/// `dataset/ptb.py`: `load_data`, and the shipped public-domain corpus.
pub mod dataset;
/// The fast path beside the faithful layers: sparse gradients, an alias sampler, any float.
pub mod fast;
/// `common/functions.py`: `sigmoid`, `softmax`, `cross_entropy_error`.
pub mod functions;
/// Central finite differences, to check every backward pass (ゼロつく1 §4.4).
pub mod gradient_check;
/// `common/layers.py`: `MatMul`, `SoftmaxWithLoss`, `SigmoidWithLoss`, `Embedding`.
pub mod layers;
/// `ch04/negative_sampling_layer.py`: `EmbeddingDot`.
pub mod negative_sampling_layer;
/// The shared frame of the chapter pages: the prologue and labelled tables.
pub mod notebook;
/// What numpy does for the book: `np.round`, `print`, shapes, `np.random`.
pub mod np;
/// `common/optimizer.py`: `Adam`.
pub mod optimizer;
/// The parameters `ch04/train.py` pickles and `ch04/eval.py` loads.
pub mod pickle;
/// `common/trainer.py`: `Trainer`, with its `plot` as an SVG file.
pub mod trainer;
/// `common/util.py`: `preprocess`, `create_contexts_target`.
pub mod util;
