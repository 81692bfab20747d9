//! The widest vectors this processor has, found once at run time (a build for any x86-64 stops
//! at 128-bit vectors), as a proof that the kernels compiled for them may run: a value of
//! [`HasAvx512`] or [`HasAvx2`] is made only here, after the processor was asked. Adam's row
//! updates ([`super::adam`]) and word2vec's step ([`super::word2vec`]) both choose by it.

/// Proof that the processor has AVX-512F.
#[derive(Clone, Copy, Debug)]
pub struct HasAvx512(());

/// Proof that the processor has AVX2.
#[derive(Clone, Copy, Debug)]
pub struct HasAvx2(());

/// The widest vectors the processor has, with the proof of them.
#[derive(Clone, Copy, Debug)]
pub enum Widest {
    Avx512(HasAvx512),
    Avx2(HasAvx2),
    /// none of them: plain code, which any processor runs
    Plain,
}

/// What the processor has, asked once.
pub fn widest() -> Widest {
    static WIDEST: std::sync::OnceLock<Widest> = std::sync::OnceLock::new();
    *WIDEST.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return Widest::Avx512(HasAvx512(()));
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                return Widest::Avx2(HasAvx2(()));
            }
        }
        Widest::Plain
    })
}

/// Every kind this processor has, the widest first and [`Widest::Plain`] last, for tests
/// that hold the kinds to the same bits.
pub fn every_kind() -> Vec<Widest> {
    let mut kinds = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            kinds.push(Widest::Avx512(HasAvx512(())));
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            kinds.push(Widest::Avx2(HasAvx2(())));
        }
    }
    kinds.push(Widest::Plain);
    kinds
}
