//! Mirrors the book's `common/trainer.py`: `Trainer`, with `fit` and `plot`, as `ch04/train.py`
//! uses it on `CBOW` or `SkipGram`. (The faster training beyond the book, the same loop on only the batch's rows or
//! with word2vec's SGD, is [`crate::fast::training`].)

use crate::ch04::cbow::CBOW;
use crate::ch04::skip_gram::SkipGram;
use crate::common::optimizer::Adam;
use crate::np::random::RandomState;
use crate::page::files;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

/// What `fit` asks of its model, which Python asks of any object: `model.forward(x, t)`,
/// `model.backward()`, and `model.params` / `model.grads` as `remove_duplicate` leaves them.
pub trait Model {
    fn forward(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> f32;
    fn backward(&mut self, dout: f32);
    fn params_and_grads(&mut self) -> ([&mut Array2<f32>; 2], [&Array2<f32>; 2]);
}

macro_rules! model {
    ($($class:ident),*) => {$(
        impl Model for $class {
            fn forward(
                &mut self,
                contexts: ArrayView2<'_, usize>,
                target: ArrayView1<'_, usize>,
                rng: &mut RandomState,
            ) -> f32 {
                $class::forward(self, contexts, target, rng)
            }
            fn backward(&mut self, dout: f32) {
                $class::backward(self, dout)
            }
            fn params_and_grads(&mut self) -> ([&mut Array2<f32>; 2], [&Array2<f32>; 2]) {
                $class::params_and_grads(self)
            }
        }
    )*};
}
model!(CBOW, SkipGram);

/// `class Trainer`: trains `model` with `optimizer`, recording the mean loss of every
/// `eval_interval` iterations.
pub struct Trainer<M = CBOW> {
    pub model: M,
    pub optimizer: Adam,
    /// the mean losses printed, one per `eval_interval` iterations
    pub loss_list: Vec<f64>,
    pub eval_interval: usize,
    pub current_epoch: usize,
    /// every iteration's loss, which the book does not keep (for checks against its run)
    pub losses: Vec<f32>,
    /// beyond the book (`--max-iters`): stop after this many iterations in all
    pub stop_after: Option<usize>,
}

impl<M: Model> Trainer<M> {
    /// `Trainer(model, optimizer)`
    pub fn new(model: M, optimizer: Adam) -> Self {
        Trainer {
            model,
            optimizer,
            loss_list: Vec::new(),
            eval_interval: 20,
            current_epoch: 0,
            losses: Vec::new(),
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
    /// If `x` and `t` differ in length, or `batch_size` is 0.
    pub fn fit(
        &mut self,
        out: &mut dyn Write,
        x: &Array2<usize>,
        t: &Array1<usize>,
        max_epoch: usize,
        batch_size: usize,
        rng: &mut RandomState,
    ) -> io::Result<()> {
        assert_eq!(
            x.nrows(),
            t.len(),
            "Trainer::fit: x has {} rows but t has {}",
            x.nrows(),
            t.len()
        );
        assert!(batch_size > 0, "Trainer::fit: batch_size is 0");
        // data_size = len(x); max_iters = data_size // batch_size
        let data_size = x.nrows();
        let max_iters = data_size / batch_size;
        let eval_interval = self.eval_interval;
        // total_loss = 0; loss_count = 0
        let (mut total_loss, mut loss_count) = (0.0f32, 0);
        let start_time = Instant::now();
        let (mut x, mut t) = (x.clone(), t.clone());
        let mut done = 0;
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
                let batch_x = x.slice(ndarray::s![rows.clone(), ..]);
                let batch_t = t.slice(ndarray::s![rows]);

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
                self.losses.push(loss);

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
                        avg_loss as f64
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

    /// `trainer.plot()`: the loss curve, `iterations (x20)` against `loss`, as an SVG file
    /// (where the book opens a window), written whole ([`files::write_whole`]).
    ///
    /// # Errors
    /// `cannot write PATH: REASON`; the file is then as it was.
    pub fn plot(&self, path: &Path) -> Result<(), String> {
        files::write_whole(path, loss_svg(&self.loss_list, self.eval_interval).as_bytes())
    }
}

/// The loss curve as SVG text: `loss_list` against `iterations (x eval_interval)`.
pub fn loss_svg(loss_list: &[f64], eval_interval: usize) -> String {
    use plotters::prelude::*;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 480)).into_drawing_area();
        // drawing into a string cannot fail; a failure would be a bug of plotters'
        let drawn: Result<(), Box<dyn std::error::Error + '_>> = (|| {
            root.fill(&WHITE)?;
            let n = loss_list.len().max(2);
            let top = loss_list.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.05;
            let mut chart = ChartBuilder::on(&root)
                .margin(20)
                .x_label_area_size(40)
                .y_label_area_size(50)
                .build_cartesian_2d(0.0..(n - 1) as f64, 0.0..top)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_label_formatter(&|x| format!("{x:.0}"))
                .x_desc(format!("iterations (x{eval_interval})"))
                .y_desc("loss")
                .draw()?;
            chart
                .draw_series(LineSeries::new(
                    loss_list.iter().enumerate().map(|(i, &l)| (i as f64, l)),
                    &BLUE,
                ))?
                .label("train")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
            chart.configure_series_labels().border_style(BLACK).draw()?;
            root.present()?;
            Ok(())
        })();
        drawn.expect("an SVG drawn into a string");
    }
    svg
}
