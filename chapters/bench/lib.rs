//! Nothing but a home for the benchmark: see `section_4_2.rs`.
