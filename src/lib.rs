//! A Rust companion to 『ゼロから作るDeep Learning 2』 section 4.2. Each module mirrors one of
//! the book's Python files, with the book's names and statement order.

/// What numpy does for the book: `np.round`, `print`, shapes, `np.random`.
pub mod np;
