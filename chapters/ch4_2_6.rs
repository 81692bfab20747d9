//! 4.2.6 Negative Samplingのサンプリング手法 — how the negatives are drawn: np.random.choice, the 0.75 power, UnigramSampler.
//! Run: `cargo run --example ch4_2_6 [-- --seed N | --numpy-seed N]`.
//! Deviations: seeded draws, with `print()` in place of the book's interactive echo; the
//! tables marked » and the frequency check at the end go beyond the book.

use ndarray::{array, Array1};
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::ch04::negative_sampling_layer::UnigramSampler;
use zerotsuku2::np::{self, random::RandomState};
use zerotsuku2::page::cli::Page;
use zerotsuku2::page::notebook::{opening, print, py_bool, table};

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    opening(
        out,
        "4.2.6 Negative Samplingのサンプリング手法",
        rng,
        "本と同じ順に np.random.choice でサンプリング",
    )?;

    writeln!(out, "\n# 0から9の数字の中からひとつの数字をランダムにサンプリング")?;
    // print(np.random.choice(10))
    writeln!(out, "{}", rng.choice(10, 1, true, None)[0])?;
    // print(np.random.choice(10))
    writeln!(out, "{}", rng.choice(10, 1, true, None)[0])?;

    writeln!(out, "\n# wordsからひとつだけランダムにサンプリング")?;
    // words = ['you', 'say', 'goodbye', 'I', 'hello', '.']
    let words = array!["you", "say", "goodbye", "I", "hello", "."];
    // print(np.random.choice(words))
    writeln!(out, "{}", words[rng.choice(words.len(), 1, true, None)[0]])?;

    writeln!(out, "\n# 5つだけランダムサンプリング(重複あり)")?;
    // print(np.random.choice(words, size=5))
    let idx = rng.choice(words.len(), 5, true, None);
    print(out, &idx.mapv(|i| words[i]))?;

    writeln!(out, "\n# 5つだけランダムサンプリング(重複なし)")?;
    // print(np.random.choice(words, size=5, replace=False))
    let idx = rng.choice(words.len(), 5, false, None);
    print(out, &idx.mapv(|i| words[i]))?;

    writeln!(out, "\n# 確率分布に従ってサンプリング")?;
    // p = [0.5, 0.1, 0.05, 0.2, 0.05, 0.1]
    let p = array![0.5, 0.1, 0.05, 0.2, 0.05, 0.1];
    // print(np.random.choice(words, p=p))
    writeln!(out, "{}", words[rng.choice(words.len(), 1, true, Some(&p))[0]])?;

    writeln!(out, "\n# 確率分布を0.75乗して、出現確率の低い単語を少し持ち上げる")?;
    // p = [0.7, 0.29, 0.01]
    let p = array![0.7, 0.29, 0.01];
    // new_p = np.power(p, 0.75)
    let new_p = p.mapv(|x: f64| x.powf(0.75));
    // new_p /= np.sum(new_p)
    let new_p = &new_p / new_p.sum();
    // print(new_p)
    print(out, &new_p)?;

    writeln!(out, "\n# UnigramSamplerクラス")?;
    // corpus = np.array([0, 1, 2, 3, 4, 1, 2, 3])
    let corpus = array![0, 1, 2, 3, 4, 1, 2, 3];
    // power = 0.75; sample_size = 2
    let (power, sample_size) = (0.75, 2);
    // sampler = UnigramSampler(corpus, power, sample_size)
    let sampler = UnigramSampler::new(corpus.view(), power, sample_size);
    // target = np.array([1, 3, 0])
    let target = array![1, 3, 0];
    // negative_sample = sampler.get_negative_sample(target)
    let negative_sample = sampler.get_negative_sample(target.view(), rng);
    // print(negative_sample)
    print(out, &negative_sample)?;

    writeln!(out, "\n» sampler.word_p (出現回数 [1 2 2 2 1] の0.75乗を正規化)")?;
    print(out, &sampler.word_p)?;
    writeln!(out, "\n» 負例はターゲットを含まず、同じ行で重複しない")?;
    writeln!(out, "»   (CPU版の replace=False と p[target] = 0)")?;
    let rows: Vec<Vec<String>> = negative_sample
        .rows()
        .into_iter()
        .zip(&target)
        .map(|(row, &t)| {
            let distinct = row.iter().all(|&id| row.iter().filter(|&&x| x == id).count() == 1);
            vec![
                t.to_string(),
                np::array_str(&row),
                py_bool(!row.iter().any(|&id| id == t)).to_string(),
                py_bool(distinct).to_string(),
            ]
        })
        .collect();
    writeln!(out, "{}", table(&["target", "負例", "target を含まない", "重複なし"], &rows))?;

    writeln!(out, "\n» 10000回の np.random.choice(words, p=p) の頻度は p に近づく")?;
    let p = array![0.5, 0.1, 0.05, 0.2, 0.05, 0.1];
    let draws = rng.choice(words.len(), 10000, true, Some(&p));
    let mut counts = Array1::<f64>::zeros(words.len());
    for &i in &draws {
        counts[i] += 1.0;
    }
    let rows: Vec<Vec<String>> = (0..words.len())
        .map(|i| {
            vec![words[i].to_string(), np::float_str(p[i]), np::float_str(counts[i] / 10000.0)]
        })
        .collect();
    writeln!(out, "{}", table(&["単語", "p", "頻度"], &rows))?;
    Ok(())
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_2_6", flags: &[], draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, _| Ok(run(out, rng)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::cli::capture;

    #[test]
    fn draws_equal_numpys_for_every_committed_seed() {
        zerotsuku2_testing::assert_matches_numpy("ch4_2_6", |n| capture(run, Seed::Numpy(n)));
    }

    #[test]
    fn output_with_the_default_seed() {
        let text = capture(run, Seed::default());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_2_6", text);
        });
    }
}
