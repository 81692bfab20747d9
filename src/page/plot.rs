//! The loss figure of `trainer.plot()`: the book draws `loss_list` with matplotlib and shows it
//! in a window; the pages write it as an SVG file.

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
