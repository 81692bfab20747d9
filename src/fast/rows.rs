//! The batch's rows: a batch of 100 targets reads about 900 of `W_in`'s and `W_out`'s 20,000
//! rows, and the engine works on those alone. [`batch_rows`] lists them, [`RowSlots`] places
//! each one's gradient row, and [`gather`] copies them out of `W`, asking for them ahead
//! ([`prefetch`]).
//!
//! What the book computes on whole `(V, H)` arrays, `W[idx]` and `np.add.at(dW, idx, dout)`
//! ([`crate::common::layers`]), these compute on the rows: the tests below hold them to those,
//! bit for bit, and the tests of [`super::models`] hold the models' row gradients to the book's
//! `(V, H)` ones, to float64 rounding.

use crate::common::layers::check_ids;
use ndarray::{Array2, ArrayView1, ArrayView2, NdFloat};

/// The rows a batch reads, sorted and without repeats, into `rows`' storage: `W_in`'s (the ids
/// read in, CBOW's contexts or SkipGram's targets) and `W_out`'s (the ids scored, and their
/// negatives). [`crate::fast::replay::RowAdam::update_rows`] steps these.
pub fn batch_rows(
    rows: &mut [Vec<usize>; 2],
    input: ArrayView2<'_, usize>,
    output: ArrayView2<'_, usize>,
    negative_sample: &Array2<usize>,
) {
    let distinct = |into: &mut Vec<usize>, ids: &mut dyn Iterator<Item = &usize>| {
        into.clear();
        into.extend(ids);
        into.sort_unstable();
        into.dedup();
    };
    let [rows_in, rows_out] = rows;
    distinct(rows_in, &mut input.iter());
    distinct(rows_out, &mut output.iter().chain(negative_sample));
}

/// One gradient row for each of a batch's rows: where each id's row is among the batch's, kept
/// between batches.
#[derive(Default)]
pub struct RowSlots {
    /// each id's place among the rows of the last call, `(V,)`
    slots: Vec<u32>,
}

impl RowSlots {
    /// Makes `grad` the zeros of `(rows.len(), width)`, in the storage it had, and checks that
    /// each of `ids` has its row among `rows`.
    ///
    /// # Panics
    /// If `rows` are not sorted, distinct ids below `vocab_size` that include `ids`; the
    /// message names `who` and `rows[k]`.
    pub fn prepare<A: NdFloat>(
        &mut self,
        (who, k): (&str, usize),
        rows: &[usize],
        ids: &[usize],
        (vocab_size, width): (usize, usize),
        grad: &mut Array2<A>,
    ) {
        if self.slots.len() != vocab_size {
            self.slots = vec![u32::MAX; vocab_size];
        }
        let wrong = || {
            panic!("{who}::backward_rows: rows[{k}] are not the sorted, distinct ids below V that include the last forward's")
        };
        if !rows.windows(2).all(|w| w[0] < w[1]) || rows.last().is_some_and(|&r| r >= vocab_size) {
            wrong();
        }
        for (slot, &row) in rows.iter().enumerate() {
            self.slots[row] = slot as u32;
        }
        // each id has its row (a row without an id has a zero gradient, which is right)
        if !ids.iter().all(|&id| rows.get(self.slots[id] as usize) == Some(&id)) {
            wrong();
        }
        // zeros of the batch's shape, in the storage of the last batch's
        let mut storage =
            std::mem::replace(grad, Array2::zeros((0, 0))).into_raw_vec_and_offset().0;
        storage.clear();
        storage.resize(rows.len() * width, A::zero());
        *grad = Array2::from_shape_vec((rows.len(), width), storage).expect("the size just made");
    }

    /// Adds each of `rows` into the row of its id in `ids`, in order: `np.add.at(dW, ids, rows)`
    /// on the batch's rows.
    pub fn add_rows<A: NdFloat>(&self, grad: &mut Array2<A>, ids: &[usize], rows: &Array2<A>) {
        for (&id, row) in ids.iter().zip(rows.rows()) {
            self.add(grad, id, row);
        }
    }

    /// Adds `row` into id's row of `grad`, as [`prepare`](Self::prepare) placed it.
    #[inline]
    pub fn add<A: NdFloat>(&self, grad: &mut Array2<A>, id: usize, row: ArrayView1<'_, A>) {
        let width = grad.ncols();
        let slot = self.slots[id] as usize;
        let grad = grad.as_slice_mut().expect("prepare makes it contiguous");
        add_row(&mut grad[slot * width..(slot + 1) * width], row);
    }
}

/// `row += other` for a row of 100: a plain loop, which ndarray's `+=` costs several times
/// over at this size.
pub fn add_row<A: NdFloat>(row: &mut [A], other: ArrayView1<'_, A>) {
    match other.as_slice() {
        // slices, which the compiler turns into vector instructions
        Some(other) => row.iter_mut().zip(other).for_each(|(a, &b)| *a += b),
        None => row.iter_mut().zip(other).for_each(|(a, &b)| *a += b),
    }
}

/// How many rows ahead of the copy [`gather`] asks for a row of `W`.
const PREFETCH_AHEAD: usize = 8;

/// `out = W[idx]` into a buffer kept between calls, each id checked against `V`.
///
/// # Panics
/// If an id is not below `V`, naming it.
pub fn gather<A: NdFloat>(out: &mut Array2<A>, w: &Array2<A>, idx: &[usize]) {
    let shape = (idx.len(), w.ncols());
    if out.dim() != shape {
        *out = Array2::zeros(shape);
    }
    check_ids("fast", w.nrows(), idx);
    for (position, (mut row, &id)) in out.rows_mut().into_iter().zip(idx).enumerate() {
        if let Some(&ahead) = idx.get(position + PREFETCH_AHEAD) {
            if let Some(row_ahead) = w.row(ahead).as_slice() {
                prefetch(row_ahead);
            }
        }
        match (row.as_slice_mut(), w.row(id).to_slice()) {
            (Some(row), Some(from)) => row.copy_from_slice(from),
            (_, _) => row.assign(&w.row(id)),
        }
    }
}

/// Asks the CPU to start loading `data` into cache. The rows a batch gathers are scattered over
/// a `W` far larger than the caches; loaded one after another, each waits for memory, while
/// asked for a few rows ahead, their loads overlap. Only a hint: it changes no value.
#[inline]
pub fn prefetch<A>(data: &[A]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // every 64-byte line the bytes touch, the last too when they start mid-line
        let start = data.as_ptr() as *const i8;
        let (bytes, skew) = (std::mem::size_of_val(data), start as usize % 64);
        for offset in (0..bytes + skew).step_by(64).take_while(|_| bytes > 0) {
            // SAFETY: a prefetch never faults or writes, and the address lies inside `data`
            // (the line at `offset - skew`, clamped to the first byte)
            unsafe { _mm_prefetch::<_MM_HINT_T0>(start.add(offset.saturating_sub(skew))) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_batch_reads_each_row_once_in_order() {
        let mut rows = [Vec::new(), Vec::new()];
        let contexts = array![[4, 1], [1, 0]];
        let target = array![[2], [4]];
        batch_rows(&mut rows, contexts.view(), target.view(), &array![[3, 4], [0, 3]]);
        assert_eq!(rows, [vec![0, 1, 4], vec![0, 2, 3, 4]]);
    }

    /// `np.add.at` on the batch's rows: repeated ids add up in their one row, and each row
    /// gathered is `W`'s.
    #[test]
    fn slots_add_as_np_add_at_and_gather_copies_rows() {
        let w = Array2::from_shape_fn((6, 3), |(i, j)| (i * 3 + j) as f64);
        let (ids, rows) = ([4, 1, 4], [1, 4]);
        let dout = array![[1.0, 2.0, 3.0], [10.0, 20.0, 30.0], [100.0, 200.0, 300.0]];
        let mut dense = Array2::zeros((6, 3));
        crate::common::layers::add_at(&mut dense, &ids, &dout);
        let mut slots = RowSlots::default();
        let mut grad = Array2::zeros((0, 0));
        slots.prepare(("test", 0), &rows, &ids, (6, 3), &mut grad);
        slots.add_rows(&mut grad, &ids, &dout);
        assert_eq!(grad, dense.select(ndarray::Axis(0), &rows));
        let mut out = Array2::zeros((0, 0));
        gather(&mut out, &w, &ids);
        assert_eq!(out, w.select(ndarray::Axis(0), &ids));
    }

    #[test]
    #[should_panic(expected = "test::backward_rows: rows[1] are not the sorted, distinct ids")]
    fn an_id_without_its_row_is_named() {
        let mut grad = Array2::<f32>::zeros((0, 0));
        RowSlots::default().prepare(("test", 1), &[1, 3], &[2], (6, 3), &mut grad);
    }
}
