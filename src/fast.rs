//! Beyond the book: the training engine. It trains the book's own `Trainer` (the book's `CBOW`
//! or `SkipGram` and its `Adam`, made as `train.py` makes them) in seconds where the book's loop
//! takes minutes, or with word2vec's own SGD. Each part is one idea in a file of its own, says
//! which of the book's code it equals, and is held to it by the tests at its end, as llm.c keeps
//! its kernels beside the reference one:
//!
//! | part | what it does | equals | held by |
//! |---|---|---|---|
//! | [`trainer`] | `train(trainer, mode).fit(...)`: the book's `Trainer.fit` in one of three modes | [`Trainer::fit`](crate::common::trainer::Trainer::fit), and the book's own `train.py` | the book's runs under `np.random.seed` |
//! | [`sampler`] | the negatives at O(1) a draw (an alias table), or the book's own draws | [`UnigramSampler`](crate::ch04::negative_sampling_layer::UnigramSampler) | its distribution, target and repeats |
//! | [`rows`] | the rows a batch reads, their gradient slots, gathered ahead | `W[idx]`, `np.add.at` | bit for bit |
//! | [`negative_sampling`] | 4.2's layer on a borrowed `W`, its gradient as rows | [`NegativeSamplingLoss`](crate::ch04::negative_sampling_layer::NegativeSamplingLoss) | float64, 1e-12 |
//! | [`models`] | the models' row forms, training the book's models in place | [`CBOW`](crate::ch04::cbow::CBOW), [`SkipGram`](crate::ch04::skip_gram::SkipGram) | float64, 1e-15 |
//! | [`replay`] | Adam on the batch's rows, the others' steps replayed in closed form | [`Adam`](crate::common::optimizer::Adam) | 1,200 steps, float32 rounding |
//! | [`word2vec`] | word2vec's SGD (`--fast`), not the book's algorithm | word2vec's C loop | a plain transcription of it |
//! | [`lanes`] | 16 floats at a time, in the widest vectors the processor has | plain loops | bit for bit |
//! | [`team`] | a second thread that draws `--fast`'s next batch | — | the same bytes on 1 or 2 |

pub mod lanes;
pub mod models;
pub mod negative_sampling;
pub mod replay;
pub mod rows;
pub mod sampler;
pub mod team;
pub mod trainer;
pub mod word2vec;

pub use trainer::{train, Mode};
