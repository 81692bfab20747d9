//! The SIMD lanes: sixteen floats at a time, in the widest vectors the processor has (one
//! AVX-512 register, two AVX2 registers, or an array), found once at run time. Every kind does
//! the same IEEE operations lane by lane (never a fused multiply-add), and adds its lanes up in
//! the same order, so the same numbers give the same bits on any machine: the tests of
//! [`super::word2vec`] and [`super::replay`] hold each kind to the plain arrays.
//!
//! A kernel is written once over [`Lanes`] ([`Kernel::run`]) and run by [`in_widest`], which
//! compiles it again for each kind of vectors (`#[target_feature]`). The compiler left alone did
//! worse on word2vec's 100-float rows: it ran 64 floats a loop and the last 36 one at a time, and
//! made a dot product of two-float pieces.

pub const LANES: usize = 16;

/// Sixteen `f32` lanes.
///
/// A vector kind's value is made only from the proof that the processor has the kind's
/// instructions ([`Lanes::Proof`], from [`widest`]), so its methods, which run those
/// instructions, are safe to call on it. [`in_widest`] calls them inside a function compiled for
/// the instructions (`#[target_feature]`), so that they inline.
pub trait Lanes: Copy {
    /// What a value is made from: `()` for plain arrays, the processor's proof for vectors.
    type Proof: Copy;
    /// Whether a register holds all sixteen lanes (AVX-512), so that a kernel may keep more of
    /// them in registers at once.
    const WIDE: bool;
    fn splat(proof: Self::Proof, x: f32) -> Self;
    fn load(proof: Self::Proof, from: &[f32; LANES]) -> Self;
    fn store(self, to: &mut [f32; LANES]);
    /// The first `from.len()` lanes from `from`, fewer than `LANES`, and zeros after.
    fn load_part(proof: Self::Proof, from: &[f32]) -> Self;
    /// The first `to.len()` lanes into `to`, fewer than `LANES`.
    fn store_part(self, to: &mut [f32]);
    fn add(self, other: Self) -> Self;
    fn sub(self, other: Self) -> Self;
    fn mul(self, other: Self) -> Self;
    fn div(self, other: Self) -> Self;
    fn sqrt(self) -> Self;
    /// The sum of the lanes: lane `k` plus lane `k + 8`, then `k` plus `k + 4`, `k + 2`
    /// and `k + 1`.
    fn sum(self) -> f32;
}

/// Lanes as an array: what any processor runs, and the others' definition.
#[derive(Clone, Copy)]
pub struct Plain([f32; LANES]);

impl Lanes for Plain {
    type Proof = ();
    const WIDE: bool = false;
    #[inline(always)]
    fn splat((): (), x: f32) -> Self {
        Plain([x; LANES])
    }
    #[inline(always)]
    fn load((): (), from: &[f32; LANES]) -> Self {
        Plain(*from)
    }
    #[inline(always)]
    fn store(self, to: &mut [f32; LANES]) {
        *to = self.0;
    }
    #[inline(always)]
    fn load_part((): (), from: &[f32]) -> Self {
        Plain(std::array::from_fn(|k| from.get(k).copied().unwrap_or(0.0)))
    }
    #[inline(always)]
    fn store_part(self, to: &mut [f32]) {
        to.copy_from_slice(&self.0[..to.len()]);
    }
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        Plain(std::array::from_fn(|k| self.0[k] + other.0[k]))
    }
    #[inline(always)]
    fn sub(self, other: Self) -> Self {
        Plain(std::array::from_fn(|k| self.0[k] - other.0[k]))
    }
    #[inline(always)]
    fn mul(self, other: Self) -> Self {
        Plain(std::array::from_fn(|k| self.0[k] * other.0[k]))
    }
    #[inline(always)]
    fn div(self, other: Self) -> Self {
        Plain(std::array::from_fn(|k| self.0[k] / other.0[k]))
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        Plain(self.0.map(f32::sqrt))
    }
    #[inline(always)]
    fn sum(self) -> f32 {
        let mut lanes = self.0;
        let mut half = LANES;
        while half > 1 {
            half /= 2;
            for k in 0..half {
                lanes[k] += lanes[k + half];
            }
        }
        lanes[0]
    }
}

/// Proof that the processor has AVX-512F: made only by [`widest`] and [`every_kind`], after the
/// processor said so.
#[derive(Clone, Copy, Debug)]
pub struct HasAvx512(());

/// Proof that the processor has AVX2, likewise.
#[derive(Clone, Copy, Debug)]
pub struct HasAvx2(());

/// A kind of lanes, with the proof that the processor has it.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Avx512(HasAvx512),
    Avx2(HasAvx2),
    /// none of them: plain arrays, which any processor runs
    Plain,
}

/// What the processor has, asked once (a build for any x86-64 stops at 128-bit vectors).
pub fn widest() -> Kind {
    static WIDEST: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *WIDEST.get_or_init(|| every_kind()[0])
}

/// Every kind this processor has, the widest first and [`Kind::Plain`] last, for the tests
/// that hold the kinds to the same bits.
pub fn every_kind() -> Vec<Kind> {
    let mut kinds = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            kinds.push(Kind::Avx512(HasAvx512(())));
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            kinds.push(Kind::Avx2(HasAvx2(())));
        }
    }
    kinds.push(Kind::Plain);
    kinds
}

/// Block `b` of `columns`: its floats from `LANES * b` on, filled out with zeros (all zeros
/// past the end).
#[inline(always)]
pub fn load_block<L: Lanes>(proof: L::Proof, columns: &[f32], b: usize) -> L {
    let start = b * LANES;
    match columns.get(start..start + LANES) {
        Some(block) => L::load(proof, block.try_into().expect("LANES floats")),
        None => L::load_part(proof, columns.get(start..).unwrap_or(&[])),
    }
}

/// `x` into block `b` of `columns`, as far as they go.
#[inline(always)]
pub fn store_block<L: Lanes>(x: L, columns: &mut [f32], b: usize) {
    let start = b * LANES;
    match columns.get_mut(start..start + LANES) {
        Some(block) => x.store(block.try_into().expect("LANES floats")),
        None => x.store_part(columns.get_mut(start..).unwrap_or(&mut [])),
    }
}

/// A computation written once over [`Lanes`], to run in any kind of them.
pub trait Kernel {
    type Output;
    /// The computation in lanes `L`. Mark it `#[inline(always)]`, so that each kind's compiled
    /// copy ([`in_lanes`]) holds it whole, in that kind's instructions.
    fn run<L: Lanes>(self, proof: L::Proof) -> Self::Output;
}

/// `kernel` in the widest vectors the processor has.
pub fn in_widest<K: Kernel>(kernel: K) -> K::Output {
    in_lanes(widest(), kernel)
}

/// `kernel` in the given kind of lanes.
pub fn in_lanes<K: Kernel>(kind: Kind, kernel: K) -> K::Output {
    match kind {
        // SAFETY: a HasAvx512 is made only once the processor said it has AVX-512F
        #[cfg(target_arch = "x86_64")]
        Kind::Avx512(proof) => unsafe { with_avx512(kernel, proof) },
        // SAFETY: a HasAvx2 is made only once the processor said it has AVX2
        #[cfg(target_arch = "x86_64")]
        Kind::Avx2(proof) => unsafe { with_avx2(kernel, proof) },
        _ => kernel.run::<Plain>(()),
    }
}

/// `kernel` compiled with AVX-512F, so that the lanes' methods inline as its instructions.
///
/// # Safety
/// The processor must have AVX-512F (as `proof` says).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn with_avx512<K: Kernel>(kernel: K, proof: HasAvx512) -> K::Output {
    kernel.run::<Avx512>(proof)
}

/// `kernel` compiled with AVX2.
///
/// # Safety
/// The processor must have AVX2 (as `proof` says).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn with_avx2<K: Kernel>(kernel: K, proof: HasAvx2) -> K::Output {
    kernel.run::<Avx2>(proof)
}

#[cfg(target_arch = "x86_64")]
pub use x86::{Avx2, Avx512};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{HasAvx2, HasAvx512};
    use super::{Lanes, LANES};
    use std::arch::x86_64::*;

    /// Four lanes' sum as [`Lanes::sum`] takes it: `k + 2`, then `k + 1`.
    ///
    /// # Safety
    /// The processor must have SSE3 (which every processor with AVX2 has).
    #[inline(always)]
    unsafe fn sum4(x: __m128) -> f32 {
        // SAFETY: SSE3 register arithmetic, which the caller's processor has
        unsafe {
            let x = _mm_add_ps(x, _mm_movehl_ps(x, x));
            _mm_cvtss_f32(_mm_add_ss(x, _mm_movehdup_ps(x)))
        }
    }

    /// The first `n` of 16 lanes, `n` below 16. (Past that, the first `n % 16`: fewer than
    /// `n` in any case, so that no length can take a masked access past its slice.)
    #[inline(always)]
    fn mask16(n: usize) -> __mmask16 {
        debug_assert!(n < LANES);
        (1u16 << (n % LANES)) - 1
    }

    /// [`mask16`]'s lanes as two AVX2 masks (all bits set in a lane taken).
    #[inline(always)]
    fn masks8(_: HasAvx2, n: usize) -> (__m256i, __m256i) {
        debug_assert!(n < LANES);
        // SAFETY: register arithmetic in AVX2, which the proof says the processor has
        unsafe {
            let n = _mm256_set1_epi32((n % LANES) as i32);
            let low = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            let high = _mm256_setr_epi32(8, 9, 10, 11, 12, 13, 14, 15);
            (_mm256_cmpgt_epi32(n, low), _mm256_cmpgt_epi32(n, high))
        }
    }

    /// One AVX-512 register, made only from a [`HasAvx512`] proof.
    #[derive(Clone, Copy)]
    pub struct Avx512(__m512);

    impl Lanes for Avx512 {
        type Proof = HasAvx512;
        const WIDE: bool = true;
        #[inline(always)]
        fn splat(_: HasAvx512, x: f32) -> Self {
            // SAFETY: the proof says the processor has AVX-512F
            unsafe { Avx512(_mm512_set1_ps(x)) }
        }
        #[inline(always)]
        fn load(_: HasAvx512, from: &[f32; LANES]) -> Self {
            // SAFETY: the proof says the processor has AVX-512F; `from` holds the 16 floats read
            unsafe { Avx512(_mm512_loadu_ps(from.as_ptr())) }
        }
        #[inline(always)]
        fn store(self, to: &mut [f32; LANES]) {
            // SAFETY: `self` was made from a proof of AVX-512F; `to` holds the 16 floats written
            unsafe { _mm512_storeu_ps(to.as_mut_ptr(), self.0) }
        }
        #[inline(always)]
        fn load_part(_: HasAvx512, from: &[f32]) -> Self {
            // SAFETY: the proof says the processor has AVX-512F; the mask takes the first
            // len % 16 floats, all inside `from`, and the lanes masked off are not read
            unsafe { Avx512(_mm512_maskz_loadu_ps(mask16(from.len()), from.as_ptr())) }
        }
        #[inline(always)]
        fn store_part(self, to: &mut [f32]) {
            // SAFETY: `self` was made from a proof of AVX-512F; the mask writes only the first
            // len % 16 floats, all inside `to`
            unsafe { _mm512_mask_storeu_ps(to.as_mut_ptr(), mask16(to.len()), self.0) }
        }
        #[inline(always)]
        fn add(self, other: Self) -> Self {
            // SAFETY: `self` was made from a proof of AVX-512F
            unsafe { Avx512(_mm512_add_ps(self.0, other.0)) }
        }
        #[inline(always)]
        fn sub(self, other: Self) -> Self {
            // SAFETY: `self` was made from a proof of AVX-512F
            unsafe { Avx512(_mm512_sub_ps(self.0, other.0)) }
        }
        #[inline(always)]
        fn mul(self, other: Self) -> Self {
            // SAFETY: `self` was made from a proof of AVX-512F
            unsafe { Avx512(_mm512_mul_ps(self.0, other.0)) }
        }
        #[inline(always)]
        fn div(self, other: Self) -> Self {
            // SAFETY: `self` was made from a proof of AVX-512F
            unsafe { Avx512(_mm512_div_ps(self.0, other.0)) }
        }
        #[inline(always)]
        fn sqrt(self) -> Self {
            // SAFETY: `self` was made from a proof of AVX-512F
            unsafe { Avx512(_mm512_sqrt_ps(self.0)) }
        }
        #[inline(always)]
        fn sum(self) -> f32 {
            // SAFETY: `self` was made from a proof of AVX-512F, which implies AVX2 and SSE3
            unsafe {
                let low = _mm512_castps512_ps256(self.0);
                let high = _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castps_pd(self.0)));
                let x = _mm256_add_ps(low, high);
                sum4(_mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps::<1>(x)))
            }
        }
    }

    /// Two AVX2 registers, lanes 0 to 7, then 8 to 15, made only from a [`HasAvx2`] proof
    /// (kept, for the masks).
    #[derive(Clone, Copy)]
    pub struct Avx2(__m256, __m256, HasAvx2);

    impl Lanes for Avx2 {
        type Proof = HasAvx2;
        const WIDE: bool = false;
        #[inline(always)]
        fn splat(proof: HasAvx2, x: f32) -> Self {
            // SAFETY: the proof says the processor has AVX2
            unsafe { Avx2(_mm256_set1_ps(x), _mm256_set1_ps(x), proof) }
        }
        #[inline(always)]
        fn load(proof: HasAvx2, from: &[f32; LANES]) -> Self {
            let p = from.as_ptr();
            // SAFETY: the proof says the processor has AVX2; `from` holds the 16 floats read
            unsafe { Avx2(_mm256_loadu_ps(p), _mm256_loadu_ps(p.add(8)), proof) }
        }
        #[inline(always)]
        fn store(self, to: &mut [f32; LANES]) {
            // SAFETY: `self` was made from a proof of AVX2; `to` holds the 16 floats written
            unsafe {
                _mm256_storeu_ps(to.as_mut_ptr(), self.0);
                _mm256_storeu_ps(to.as_mut_ptr().add(8), self.1);
            }
        }
        #[inline(always)]
        fn load_part(proof: HasAvx2, from: &[f32]) -> Self {
            let (low, high) = masks8(proof, from.len());
            let p = from.as_ptr();
            // SAFETY: the proof says the processor has AVX2; the masks take the first
            // len % 16 floats, all inside `from`, and the lanes masked off are not read
            unsafe {
                Avx2(_mm256_maskload_ps(p, low), _mm256_maskload_ps(p.wrapping_add(8), high), proof)
            }
        }
        #[inline(always)]
        fn store_part(self, to: &mut [f32]) {
            let (low, high) = masks8(self.2, to.len());
            let p = to.as_mut_ptr();
            // SAFETY: `self` was made from a proof of AVX2; the masks write only the first
            // len % 16 floats, all inside `to`
            unsafe {
                _mm256_maskstore_ps(p, low, self.0);
                _mm256_maskstore_ps(p.wrapping_add(8), high, self.1);
            }
        }
        #[inline(always)]
        fn add(self, other: Self) -> Self {
            // SAFETY: `self` was made from a proof of AVX2
            unsafe { Avx2(_mm256_add_ps(self.0, other.0), _mm256_add_ps(self.1, other.1), self.2) }
        }
        #[inline(always)]
        fn sub(self, other: Self) -> Self {
            // SAFETY: `self` was made from a proof of AVX2
            unsafe { Avx2(_mm256_sub_ps(self.0, other.0), _mm256_sub_ps(self.1, other.1), self.2) }
        }
        #[inline(always)]
        fn mul(self, other: Self) -> Self {
            // SAFETY: `self` was made from a proof of AVX2
            unsafe { Avx2(_mm256_mul_ps(self.0, other.0), _mm256_mul_ps(self.1, other.1), self.2) }
        }
        #[inline(always)]
        fn div(self, other: Self) -> Self {
            // SAFETY: `self` was made from a proof of AVX2
            unsafe { Avx2(_mm256_div_ps(self.0, other.0), _mm256_div_ps(self.1, other.1), self.2) }
        }
        #[inline(always)]
        fn sqrt(self) -> Self {
            // SAFETY: `self` was made from a proof of AVX2
            unsafe { Avx2(_mm256_sqrt_ps(self.0), _mm256_sqrt_ps(self.1), self.2) }
        }
        #[inline(always)]
        fn sum(self) -> f32 {
            // SAFETY: `self` was made from a proof of AVX2, which implies SSE3
            unsafe {
                let x = _mm256_add_ps(self.0, self.1);
                sum4(_mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps::<1>(x)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lanes of very different sizes, so that adding them in another order gives other bits.
    fn spread() -> [f32; LANES] {
        std::array::from_fn(|k| (k as f32 * 1.7).sin() * 10f32.powi(k as i32 % 8 - 3))
    }

    #[test]
    fn each_kind_adds_its_lanes_in_the_same_order() {
        let x = spread();
        let plain = Plain::load((), &x).sum();
        // the order shows in the bits: left to right gives others
        assert_ne!(x.iter().sum::<f32>().to_bits(), plain.to_bits());
        let mut part = [0f32; LANES];
        Plain::load_part((), &x[..5]).store(&mut part);
        assert_eq!(part[..5], x[..5]);
        assert!(part[5..].iter().all(|&p| p == 0.0));
        #[cfg(target_arch = "x86_64")]
        {
            fn agree<L: Lanes>(proof: L::Proof, x: &[f32; LANES], plain: f32) {
                assert_eq!(L::load(proof, x).sum().to_bits(), plain.to_bits());
                let mut stored = [7f32; LANES];
                for n in 0..LANES {
                    L::load_part(proof, &x[..n]).store(&mut stored);
                    assert_eq!(stored[..n], x[..n]);
                    assert!(stored[n..].iter().all(|&s| s == 0.0), "{n}: zeros past the part");
                    let mut into = [7f32; LANES];
                    L::load(proof, x).store_part(&mut into[..n]);
                    assert_eq!(into[..n], x[..n]);
                    assert!(into[n..].iter().all(|&s| s == 7.0), "{n}: nothing past the part");
                }
            }
            for kind in every_kind() {
                match kind {
                    Kind::Avx512(proof) => agree::<Avx512>(proof, &x, plain),
                    Kind::Avx2(proof) => agree::<Avx2>(proof, &x, plain),
                    Kind::Plain => agree::<Plain>((), &x, plain),
                }
            }
        }
    }
}
