//! The book's `dataset/` folder: `ptb.py`, and the data the chapters ship
//! (`src/dataset/README.md` says where it comes from and under which licence).

pub mod ptb;
