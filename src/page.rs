//! What serves the pages but is not the book: the command line, a reader's files, the params
//! pickle, the loss figure, 4.4.2's analogies and table, and what every page's notebook shares.

pub mod analogies;
pub mod cli;
pub mod files;
pub mod lang;
pub mod notebook;
pub mod pickle;
pub mod plot;
pub mod progress;
pub mod table;
pub mod training;
