//! Mirrors the book's `common/trainer.py`: `Trainer` and its `fit`, as `ch04/train.py` uses it.
//! (`Trainer.plot` draws `loss_list` with matplotlib; the pages draw it themselves.)

use crate::common::optimizer::Adam;
use crate::np::random::RandomState;
use ndarray::{s, Array1, Array2, ArrayView1, ArrayView2, Axis};
use std::any::Any;
use std::io::{self, Write};
use std::time::Instant;

/// What `fit` asks of its `model`, and `train.py` of it afterwards: what Python's duck typing
/// asks of any object. Each model implements it in its own file. (`Any`, so that code beyond
/// the book can see which model a trainer holds.)
pub trait Model: Any {
    /// `loss = model.forward(batch_x, batch_t)`
    fn forward(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> f32;
    /// `model.backward()`
    fn backward(&mut self, dout: f32);
    /// `remove_duplicate(model.params, model.grads)`: each weight once, with the sum of its
    /// layers' gradients
    fn params_and_grads(&mut self) -> ([&mut Array2<f32>; 2], [&Array2<f32>; 2]);
    /// `model.word_vecs`
    fn word_vecs(&self) -> &Array2<f32>;
}

/// `class Trainer`: trains `model` with `optimizer`, keeping the mean loss of every
/// `eval_interval` iterations.
pub struct Trainer {
    pub model: Box<dyn Model>,
    pub optimizer: Adam,
    pub loss_list: Vec<f64>,
    /// `fit`'s `eval_interval=20`
    pub eval_interval: usize,
    pub current_epoch: usize,
    /// beyond the book (`--max-iters`): stop after this many iterations in all
    pub stop_after: Option<usize>,
}

impl Trainer {
    /// `Trainer(model, optimizer)`
    pub fn new(model: Box<dyn Model>, optimizer: Adam) -> Self {
        Trainer {
            model,
            optimizer,
            loss_list: Vec::new(),
            eval_interval: 20,
            current_epoch: 0,
            stop_after: None,
        }
    }

    /// `trainer.fit(x, t, max_epoch, batch_size)`, printing the book's lines into `out`
    /// (`| epoch 1 |  iter 1 / 9295 | time 0[s] | loss 4.16`).
    ///
    /// # Errors
    /// If `out` cannot be written; the training stops there.
    ///
    /// # Panics
    /// If `x` and `t` differ in length, or `batch_size` or `eval_interval` is 0.
    pub fn fit(
        &mut self,
        out: &mut dyn Write,
        x: &Array2<usize>,
        t: &Array1<usize>,
        max_epoch: usize,
        batch_size: usize,
        rng: &mut RandomState,
    ) -> io::Result<()> {
        assert_eq!(x.nrows(), t.len(), "Trainer::fit: x has {} rows, t {}", x.nrows(), t.len());
        assert!(batch_size > 0 && self.eval_interval > 0, "Trainer::fit: a size of 0");
        // data_size = len(x); max_iters = data_size // batch_size
        let data_size = x.nrows();
        let max_iters = data_size / batch_size;
        let eval_interval = self.eval_interval;
        // total_loss = 0; loss_count = 0
        let (mut total_loss, mut loss_count) = (0.0f32, 0);
        let start_time = Instant::now();
        let mut done = 0;
        let (mut x, mut t) = (x.clone(), t.clone());
        for _epoch in 0..max_epoch {
            // シャッフル
            // idx = numpy.random.permutation(numpy.arange(data_size)); x = x[idx]; t = t[idx]
            let idx = rng.permutation(data_size);
            let idx = idx.as_slice().expect("a new array");
            (x, t) = (x.select(Axis(0), idx), t.select(Axis(0), idx));

            for iters in 0..max_iters {
                if self.stop_after == Some(done) {
                    return Ok(());
                }
                done += 1;
                // batch_x = x[iters*batch_size:(iters+1)*batch_size]; batch_t = ...
                let rows = iters * batch_size..(iters + 1) * batch_size;
                let (batch_x, batch_t) = (x.slice(s![rows.clone(), ..]), t.slice(s![rows]));

                // 勾配を求め、パラメータを更新
                // loss = model.forward(batch_x, batch_t); model.backward()
                let loss = self.model.forward(batch_x, batch_t, rng);
                self.model.backward(1.0);
                // params, grads = remove_duplicate(model.params, model.grads)
                let (mut params, grads) = self.model.params_and_grads();
                // optimizer.update(params, grads)
                self.optimizer.update(&mut params, &grads);
                total_loss += loss;
                loss_count += 1;

                // 評価
                if iters % eval_interval == 0 {
                    let avg_loss = total_loss / loss_count as f32;
                    let elapsed_time = start_time.elapsed().as_secs();
                    writeln!(
                        out,
                        "| epoch {} |  iter {} / {} | time {}[s] | loss {:.2}",
                        self.current_epoch + 1,
                        iters + 1,
                        max_iters,
                        elapsed_time,
                        avg_loss
                    )?;
                    // each line as it comes, as Python's print does on a terminal
                    out.flush()?;
                    self.loss_list.push(avg_loss as f64);
                    (total_loss, loss_count) = (0.0, 0);
                }
            }
            self.current_epoch += 1;
        }
        Ok(())
    }
}
