//! 4.4.2's table, and the book's three conclusions from it judged on its numbers: that the
//! model matters, that a bigger corpus is better, and that the dimensions need a suitable size
//! (`ch4_4_2`). The book quotes its table from the literature; the page trains its rows.

use crate::fast::models::Architecture;
use crate::page::analogies::Report;

/// One row of the table: the model, `hidden_size`, and the part of the corpus it reads (its
/// first `1 / part`).
#[derive(Clone, Copy)]
pub struct Row {
    pub model: Architecture,
    pub hidden_size: usize,
    pub part: usize,
}

/// The default run's rows: each model on a quarter, a half and all of the corpus at 100
/// dimensions, and on all of it at 50 and 300.
pub const ROWS: [(usize, usize); 5] = [(100, 4), (100, 2), (50, 1), (100, 1), (300, 1)];

/// Each of the book's three conclusions, and whether these numbers bear it out. A row that
/// answered no question has no accuracy (not 0%): it is left out, and a conclusion without the
/// rows it needs cannot be judged.
pub fn conclusions(results: &[(Row, usize, Report)]) -> Vec<String> {
    // the rows that answered something, and their totals as the table prints them (to 0.1),
    // so that no verdict rests on a difference the reader cannot see
    let scored: Vec<(Row, f64)> = results
        .iter()
        .filter(|(_, _, report)| report.total().answered > 0)
        .map(|(row, _, report)| (*row, (report.total().percent() * 10.0).round() / 10.0))
        .collect();
    let total = |model: Architecture, hidden: usize, part: usize| {
        scored
            .iter()
            .find(|(r, _)| r.model == model && r.hidden_size == hidden && r.part == part)
            .map(|&(_, total)| total)
    };
    let models = [Architecture::Cbow, Architecture::SkipGram];
    // each conclusion's line; without the rows it compares, a second line says which it needed
    let verdict = |lines: &mut Vec<String>, claim: &str, judged: Option<bool>, needs: &str| {
        let said = match judged {
            Some(true) => "成り立つ",
            Some(false) => "この数字では成り立たない",
            None => "判断できない",
        };
        lines.push(format!("» {claim}: {said}"));
        if judged.is_none() {
            lines.push(format!("»   ({needs}、問題に答えた行がない)"));
        }
    };
    let mut lines = Vec::new();

    // モデルによって精度が異なる: the models' totals apart, at a setting both were trained at,
    // by a point or more (some 40 of the 4,301 questions PTB-sized vocabularies answer; one
    // model's accuracy wavers by about a third of a point from seed to seed)
    let (mut ahead, mut tied) = ([0, 0], 0);
    let mut widest = 0f64;
    for &(row, cbow) in scored.iter().filter(|(r, _)| r.model == models[0]) {
        if let Some(other) = total(models[1], row.hidden_size, row.part) {
            match other.partial_cmp(&cbow) {
                Some(std::cmp::Ordering::Equal) => tied += 1,
                _ => ahead[usize::from(other > cbow)] += 1,
            }
            widest = widest.max((other - cbow).abs());
        }
    }
    let compared = ahead[0] + ahead[1] + tied;
    let judged = (compared > 0).then_some(widest >= 1.0);
    verdict(&mut lines, "モデルで精度が異なる", judged, "同じ設定の 2 つのモデルで");
    if compared > 0 {
        let ties = if tied > 0 { format!("、同じ {tied}") } else { String::new() };
        lines.push(format!(
            "»   {compared} の設定で skip-gram が上 {}、CBOW が上 {}{ties}。差は最大 {widest:.1} ポイント",
            ahead[1], ahead[0],
        ));
        lines.push("»   (1 ポイント以上を差とする)".to_string());
    }

    // 大きいコーパスのほうが良い: each model's total rising with the part read, at the
    // dimensions trained on parts
    let parted = results.iter().find(|(r, _, _)| r.part > 1).map_or(0, |(r, _, _)| r.hidden_size);
    let mut grows = None;
    let mut shown = Vec::new();
    for model in models {
        let mut parts: Vec<(usize, f64)> = scored
            .iter()
            .filter(|(r, _)| r.model == model && r.hidden_size == parted)
            .map(|(r, total)| (r.part, *total))
            .collect();
        parts.sort_by_key(|&(part, _)| std::cmp::Reverse(part));
        if parts.len() > 1 {
            let rising = parts.windows(2).all(|w| w[1].1 > w[0].1);
            grows = Some(grows.unwrap_or(true) && rising);
            let values: Vec<String> = parts.iter().map(|(_, t)| format!("{t:.1}")).collect();
            shown.push(format!("{} {}", model_name(model), values.join(" → ")));
        }
    }
    let needs = "同じ次元数で大きさの違うコーパスの";
    verdict(&mut lines, "コーパスは大きいほど良い", grows, needs);
    if grows.is_some() {
        lines.push(format!("»   {parted} 次元で {} (%)", shown.join("、")));
    }

    // 次元数は適度な大きさが必要: the most dimensions not the best for some model, on the
    // largest part trained
    let largest = results.iter().map(|(r, _, _)| r.part).min().unwrap_or(1);
    let mut best = Vec::new();
    let mut tried_dims = String::new();
    let mut suitable = None;
    for model in models {
        let mut dims: Vec<(usize, f64)> = scored
            .iter()
            .filter(|(r, _)| r.model == model && r.part == largest)
            .map(|(r, total)| (r.hidden_size, *total))
            .collect();
        dims.sort_by_key(|&(hidden, _)| hidden);
        if dims.len() < 3 {
            continue;
        }
        // the first of equals: the fewest dimensions that do as well
        let top = dims.iter().fold(None, |top: Option<(usize, f64)>, &(h, t)| match top {
            Some((_, at)) if at >= t => top,
            _ => Some((h, t)),
        });
        if let Some((top, at)) = top {
            // the most dimensions below the best
            suitable = Some(suitable.unwrap_or(false) || at > dims[dims.len() - 1].1);
            let tried: Vec<String> = dims.iter().map(|(h, _)| h.to_string()).collect();
            best.push(format!("{} {top} 次元", model_name(model)));
            tried_dims = tried.join("/");
        }
    }
    let claim = "次元数は適度な大きさが必要 (大きすぎると下がる)";
    verdict(&mut lines, claim, suitable, "同じコーパスで 3 つ以上の次元数の");
    if suitable.is_some() {
        lines.push(format!("»   {tried_dims} 次元のうち、最良は {}", best.join("、")));
    }
    lines
}

/// A model's name in the table.
pub fn model_name(model: Architecture) -> &'static str {
    match model {
        Architecture::Cbow => "CBOW",
        Architecture::SkipGram => "skip-gram",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::analogies;

    /// A table of the default run's rows, each model's total given as `(correct, answered)` of
    /// 4,301 questions.
    fn table(
        cbow: [(usize, usize); 5],
        skip_gram: [(usize, usize); 5],
    ) -> Vec<(Row, usize, Report)> {
        let report = |(correct, answered): (usize, usize)| Report {
            sections: vec![("family".to_string(), true, analogies::Score { correct, answered })],
        };
        let mut results = Vec::new();
        for (model, totals) in [(Architecture::Cbow, cbow), (Architecture::SkipGram, skip_gram)] {
            for (&(hidden_size, part), total) in ROWS.iter().zip(totals) {
                results.push((Row { model, hidden_size, part }, 930_000 / part, report(total)));
            }
        }
        results
    }

    /// The default run's table as measured: all three of the book's conclusions hold.
    #[test]
    fn the_books_conclusions_from_a_table_that_bears_them_out() {
        // (100, 1/4), (100, 1/2), (50, all), (100, all), (300, all)
        let cbow = [(30, 4301), (56, 4301), (189, 4301), (224, 4301), (232, 4301)];
        let skip_gram = [(26, 4301), (86, 4301), (241, 4301), (357, 4301), (335, 4301)];
        assert_eq!(
            conclusions(&table(cbow, skip_gram)),
            [
                "» モデルで精度が異なる: 成り立つ",
                "»   5 の設定で skip-gram が上 4、CBOW が上 1。差は最大 3.1 ポイント",
                "»   (1 ポイント以上を差とする)",
                "» コーパスは大きいほど良い: 成り立つ",
                "»   100 次元で CBOW 0.7 → 1.3 → 5.2、skip-gram 0.6 → 2.0 → 8.3 (%)",
                "» 次元数は適度な大きさが必要 (大きすぎると下がる): 成り立つ",
                "»   50/100/300 次元のうち、最良は CBOW 300 次元、skip-gram 100 次元",
            ]
        );
    }

    /// With no question answered (a vocabulary without the test's words), nothing can be
    /// judged: no accuracy is 0%, and no tie is a win.
    #[test]
    fn no_answers_judge_nothing() {
        let none = [(0, 0); 5];
        let judged = conclusions(&table(none, none));
        assert_eq!(
            judged,
            [
                "» モデルで精度が異なる: 判断できない",
                "»   (同じ設定の 2 つのモデルで、問題に答えた行がない)",
                "» コーパスは大きいほど良い: 判断できない",
                "»   (同じ次元数で大きさの違うコーパスの、問題に答えた行がない)",
                "» 次元数は適度な大きさが必要 (大きすぎると下がる): 判断できない",
                "»   (同じコーパスで 3 つ以上の次元数の、問題に答えた行がない)",
            ]
        );
    }

    /// Equal totals are neither model's win, a corpus that does no better is no gain, and the
    /// most dimensions doing as well as fewer are no sign of a suitable size.
    #[test]
    fn ties_are_no_ones_win() {
        let same = [(43, 4301); 5];
        let judged = conclusions(&table(same, same));
        assert_eq!(judged[0], "» モデルで精度が異なる: この数字では成り立たない");
        assert_eq!(
            judged[1],
            "»   5 の設定で skip-gram が上 0、CBOW が上 0、同じ 5。差は最大 0.0 ポイント"
        );
        assert_eq!(judged[3], "» コーパスは大きいほど良い: この数字では成り立たない");
        // differences the table's 0.1 does not show are ties too, and dimensions that all do
        // as well show no suitable size
        let cbow = [(1, 4301), (1, 4301), (1, 4301), (2, 4301), (1, 4301)];
        let skip_gram = [(2, 4301), (1, 4301), (2, 4301), (1, 4301), (2, 4301)];
        let judged = conclusions(&table(cbow, skip_gram));
        assert_eq!(
            judged[1],
            "»   5 の設定で skip-gram が上 0、CBOW が上 0、同じ 5。差は最大 0.0 ポイント"
        );
        assert_eq!(
            judged[5],
            "» 次元数は適度な大きさが必要 (大きすぎると下がる): この数字では成り立たない"
        );
        assert_eq!(judged[6], "»   50/100/300 次元のうち、最良は CBOW 50 次元、skip-gram 50 次元");
    }
}
