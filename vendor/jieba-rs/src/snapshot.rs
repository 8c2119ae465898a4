//! Dictionary snapshots (added by the policy-themes vendoring, not upstream).
//!
//! `Jieba::new()` spends most of its time inserting ~350k words into the
//! `CharTrie`. A snapshot is the finished dictionary state as bytes: build it
//! once (in a build script, say) and restore it in a few milliseconds.
//!
//! Layout, all integers little-endian, `f64` as its IEEE bits in a `u64`:
//!
//! ```text
//! magic     8 bytes  b"JIEBASNP"
//! version   u32      SNAPSHOT_VERSION
//! tags      u32 n, then n × (u32 byte length, UTF-8 bytes)
//! records   u64 n, then n × u64 freq, n × u32 tag index, n × f64 ln(freq)
//! total     u64, log_total f64
//! trie      see `CharTrie::write_snapshot`
//! ```
//!
//! Nothing may follow the trie. Restoring checks every length and every
//! invariant the segmenter relies on to stay in bounds (tag and word ids,
//! the hash table's size, shift and load), so malformed input is an
//! `Error::InvalidDictEntry`, never a panic. It does not detect a changed
//! frequency: the payload is trusted as far as it cannot break memory safety.

use crate::trie::CharTrie;
use crate::{Error, FxHashMap, Jieba, Record};

const MAGIC: &[u8; 8] = b"JIEBASNP";
/// Bump whenever the layout, `Record`, or the trie's internals (hashing,
/// key packing, filters) change: a snapshot is a memory image of them.
const SNAPSHOT_VERSION: u32 = 1;

pub(crate) fn corrupt(what: &str) -> Error {
    Error::InvalidDictEntry(format!("corrupt dictionary snapshot: {what}"))
}

pub(crate) fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Bounds-checked little-endian reads from a snapshot.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    #[inline]
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.rest.len() {
            return Err(corrupt("truncated"));
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        self.array().map(u32::from_le_bytes)
    }

    #[inline]
    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        self.array().map(u64::from_le_bytes)
    }

    #[inline]
    pub(crate) fn usize(&mut self) -> Result<usize, Error> {
        usize::try_from(self.u64()?).map_err(|_| corrupt("value does not fit usize"))
    }

    /// `n` items of `width` bytes each, for `le_u32` and `le_u64`: checking
    /// the length once lets the per-item reads go without checks.
    #[inline]
    pub(crate) fn items(&mut self, n: usize, width: usize) -> Result<std::slice::ChunksExact<'a, u8>, Error> {
        let bytes = n.checked_mul(width).ok_or_else(|| corrupt("truncated"))?;
        Ok(self.take(bytes)?.chunks_exact(width))
    }
}

/// The `u32` at `at` in `item`, which `Reader::items` made long enough.
#[inline(always)]
pub(crate) fn le_u32(item: &[u8], at: usize) -> u32 {
    let mut a = [0; 4];
    a.copy_from_slice(&item[at..at + 4]);
    u32::from_le_bytes(a)
}

#[inline(always)]
pub(crate) fn le_u64(item: &[u8], at: usize) -> u64 {
    let mut a = [0; 8];
    a.copy_from_slice(&item[at..at + 8]);
    u64::from_le_bytes(a)
}

impl Jieba {
    /// Serialize the dictionary state (words, frequencies, tags and the trie)
    /// for [`Jieba::from_snapshot`].
    ///
    /// A custom HMM model set with [`Jieba::set_hmm_model`] is *not* included:
    /// a restored instance uses the built-in model, so set yours again after
    /// restoring.
    pub fn to_snapshot(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, SNAPSHOT_VERSION);
        // Tag ids are u32, so the count fits; a tag is a short POS name.
        put_u32(&mut out, self.tags.len() as u32);
        for tag in &self.tags {
            put_u32(&mut out, tag.len() as u32);
            out.extend_from_slice(tag.as_bytes());
        }
        put_u64(&mut out, self.records.len() as u64);
        for r in &self.records {
            put_u64(&mut out, r.freq as u64);
        }
        for r in &self.records {
            put_u32(&mut out, r.tag);
        }
        for f in &self.log_freqs {
            put_u64(&mut out, f.to_bits());
        }
        put_u64(&mut out, self.total as u64);
        put_u64(&mut out, self.log_total.to_bits());
        self.trie.write_snapshot(&mut out);
        out
    }

    /// Restore an instance from [`Jieba::to_snapshot`] bytes. Cutting with it
    /// gives exactly the results of the instance that was saved.
    ///
    /// Malformed or truncated input is an [`Error::InvalidDictEntry`].
    pub fn from_snapshot(bytes: &[u8]) -> Result<Jieba, Error> {
        let mut r = Reader { rest: bytes };
        if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
            return Err(corrupt("not a jieba dictionary snapshot"));
        }
        let version = r.u32()?;
        if version != SNAPSHOT_VERSION {
            return Err(corrupt(&format!("version {version}, expected {SNAPSHOT_VERSION}")));
        }

        let n_tags = r.u32()? as usize;
        // Each tag takes at least 4 bytes: no allocating for bogus counts.
        let mut tags = Vec::with_capacity(n_tags.min(r.rest.len() / 4));
        let mut tag_ids = FxHashMap::default();
        for id in 0..n_tags as u32 {
            let len = r.u32()? as usize;
            let tag = std::str::from_utf8(r.take(len)?).map_err(|_| corrupt("tag is not UTF-8"))?;
            if tag_ids.insert(Box::from(tag), id).is_some() {
                return Err(corrupt("duplicate tag"));
            }
            tags.push(Box::from(tag));
        }

        let n = r.usize()?;
        // `word_id`s in the trie are i32.
        if n > i32::MAX as usize {
            return Err(corrupt("too many words"));
        }
        let mut sum = 0usize;
        let mut records = Vec::with_capacity(n.min(r.rest.len() / 8));
        for item in r.items(n, 8)? {
            let freq = usize::try_from(le_u64(item, 0)).map_err(|_| corrupt("frequency does not fit usize"))?;
            sum = sum.checked_add(freq).ok_or_else(|| corrupt("frequencies overflow"))?;
            records.push(Record { freq, tag: 0 });
        }
        for (record, item) in records.iter_mut().zip(r.items(n, 4)?) {
            record.tag = le_u32(item, 0);
            if record.tag as usize >= tags.len() {
                return Err(corrupt("tag index out of range"));
            }
        }
        let log_freqs: Vec<f64> = r.items(n, 8)?.map(|item| f64::from_bits(le_u64(item, 0))).collect();
        // Every successful load leaves `total` at the sum of the frequencies;
        // checking it keeps a bogus total from overflowing in `add_word`.
        let total = r.usize()?;
        if total != sum {
            return Err(corrupt("total does not match the frequencies"));
        }
        let log_total = f64::from_bits(r.u64()?);
        let trie = CharTrie::read_snapshot(&mut r, n)?;
        if !r.rest.is_empty() {
            return Err(corrupt("trailing bytes"));
        }
        Ok(Jieba {
            records,
            log_freqs,
            tags,
            tag_ids,
            trie,
            total,
            log_total,
            hmm_model: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCES: &[&str] = &[
        "我们中出了一个叛徒",
        "南京市长江大桥",
        "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
        "2022年全市地区生产总值增长5.3%，巩固拓展脱贫攻坚成果。",
        "He said: 𦡦𦡦 is not 中文, but 𠀀 might be!",
        "",
    ];

    fn words<'a>(jieba: &Jieba, text: &'a str, hmm: bool) -> Vec<&'a str> {
        jieba.cut(text, hmm).into_iter().map(|t| t.word).collect()
    }

    fn assert_same(a: &Jieba, b: &Jieba) {
        for text in SENTENCES {
            assert_eq!(words(a, text, true), words(b, text, true), "{text}");
            assert_eq!(words(a, text, false), words(b, text, false), "{text}");
            assert_eq!(a.cut_for_search(text, true), b.cut_for_search(text, true), "{text}");
            assert_eq!(a.tag(text, true), b.tag(text, true), "{text}");
        }
    }

    /// A small dictionary: words in and outside the trie's root table, tags.
    fn small() -> Jieba {
        let mut jieba = Jieba::empty();
        for (w, tag) in [
            ("中国", "ns"),
            ("中", "f"),
            ("京都", "ns"),
            ("𦡦𦡦", "x"),
            ("叛徒", "n"),
            ("ab", ""),
        ] {
            jieba.add_word(w, Some(100), Some(tag));
        }
        jieba
    }

    #[test]
    fn test_round_trip_default_dict() {
        let mut jieba = Jieba::new();
        jieba.add_word("巩固拓展脱贫攻坚成果", Some(20_000), Some("policy"));
        let bytes = jieba.to_snapshot();
        let restored = Jieba::from_snapshot(&bytes).unwrap();
        assert_same(&jieba, &restored);
        assert_eq!(restored.to_snapshot(), bytes, "restored state is identical");
        // A restored instance keeps working as a dictionary.
        let mut restored = restored;
        restored.add_word("叛徒中出", Some(1_000_000), None);
        assert_eq!(words(&restored, "我们叛徒中出了", false), ["我们", "叛徒中出", "了"]);
    }

    #[test]
    fn test_round_trip_small_and_empty() {
        for jieba in [small(), Jieba::empty()] {
            let bytes = jieba.to_snapshot();
            let restored = Jieba::from_snapshot(&bytes).unwrap();
            assert_same(&jieba, &restored);
            assert_eq!(restored.to_snapshot(), bytes);
        }
    }

    #[test]
    fn test_truncated_is_an_error() {
        let bytes = small().to_snapshot();
        for len in 0..bytes.len() {
            assert!(Jieba::from_snapshot(&bytes[..len]).is_err(), "length {len}");
        }
        let big = Jieba::new().to_snapshot();
        for len in [0, 12, big.len() / 3, big.len() / 2, big.len() - 1] {
            assert!(Jieba::from_snapshot(&big[..len]).is_err(), "length {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Jieba::from_snapshot(&longer).is_err());
    }

    #[test]
    fn test_corrupted_fields_are_errors() {
        let jieba = small();
        let bytes = jieba.to_snapshot();
        let mut trie = Vec::new();
        jieba.trie.write_snapshot(&mut trie);
        let trie_at = bytes.len() - trie.len();
        // The trie header follows the root table: slot count, shift, next node, len.
        let header = trie_at + crate::trie::ROOT_TABLE_LEN * 8;
        let slots_at = header + 8 + 4 + 4 + 8;
        let records_at = 12 + 4 + jieba.tags.iter().map(|t| 4 + t.len()).sum::<usize>();
        let n = jieba.records.len();
        let cases: Vec<(&str, usize, &[u8])> = vec![
            ("magic", 0, b"X"),
            ("version", 8, &[2]),
            ("tag count", 12, &[200]),
            ("tag utf-8", 12 + 4 + 4, &[0xFF]),
            ("record count", records_at, &[0xFF, 0xFF, 0xFF]),
            ("total", records_at + 8 + n * 20, &[1]),
            ("tag index", records_at + 8 + n * 8, &[200]),
            ("slot count", header, &[3]),
            ("shift", header + 8, &[1]),
            ("next node", header + 12, &[0, 0, 0, 0]),
            ("len", header + 16, &[0xFF]),
            ("slot index", slots_at, &[0xFF, 0xFF, 0xFF, 0xFF]),
            ("slot key", slots_at + 4, &[0; 8]),
            ("slot child", slots_at + 12, &[0xFF, 0xFF, 0x7F]),
            ("slot word id", slots_at + 16, &[100]),
            ("root word id", trie_at + '中' as usize * 8 + 4, &[100]),
        ];
        for (what, at, patch) in cases {
            let mut bad = bytes.clone();
            bad[at..at + patch.len()].copy_from_slice(patch);
            assert_ne!(bad, bytes, "{what}: the patch changes something");
            let err = Jieba::from_snapshot(&bad)
                .err()
                .unwrap_or_else(|| panic!("{what}: accepted"));
            assert!(matches!(err, Error::InvalidDictEntry(_)), "{what}: {err}");
        }
    }

    /// Whatever a flipped byte does, restoring must not panic, and neither
    /// may cutting with an instance that was accepted.
    #[test]
    fn test_flipped_bytes_never_panic() {
        let jieba = small();
        let bytes = jieba.to_snapshot();
        let mut trie = Vec::new();
        jieba.trie.write_snapshot(&mut trie);
        // Every byte but most of the (empty) root table, which is slow to cover.
        let root_at = bytes.len() - trie.len();
        let used_root = |at: usize| {
            ['中', '京', '叛', 'a']
                .iter()
                .any(|&c| (at - root_at) / 8 == c as usize)
        };
        let root = root_at..root_at + crate::trie::ROOT_TABLE_LEN * 8;
        for at in (0..bytes.len()).filter(|&at| !root.contains(&at) || at % 997 == 0 || used_root(at)) {
            for flip in [0x01, 0x80, 0xFF] {
                let mut bad = bytes.clone();
                bad[at] ^= flip;
                if let Ok(jieba) = Jieba::from_snapshot(&bad) {
                    for text in SENTENCES {
                        jieba.cut(text, true);
                        jieba.tag(text, true);
                    }
                }
            }
        }
    }
}
