//! The book's `ch04/` folder: chapter 4's layers and models.

pub mod cbow;
pub mod negative_sampling_layer;
pub mod skip_gram;
