//! The book's `common/` folder: what every chapter of the book shares.

pub mod functions;
pub mod layers;
pub mod optimizer;
pub mod trainer;
pub mod util;
