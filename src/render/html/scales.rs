//! Colour scales, number formats and small encoders for the HTML report.

/// Viridis (matplotlib), sampled at 0, 0.1, … 1: perceptually uniform and
/// readable under the common colour-vision deficiencies.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x24, 0x75),
    (0x41, 0x44, 0x87),
    (0x35, 0x5f, 0x8d),
    (0x2a, 0x78, 0x8e),
    (0x21, 0x91, 0x8c),
    (0x22, 0xa8, 0x84),
    (0x44, 0xbf, 0x70),
    (0x7a, 0xd1, 0x51),
    (0xbd, 0xdf, 0x26),
    (0xfd, 0xe7, 0x25),
];

/// Blue through near-white to orange: the two ends stay apart under
/// deuteranopia and protanopia (unlike red–green).
const DIVERGING: [(u8, u8, u8); 5] = [
    (0x21, 0x66, 0xac),
    (0x92, 0xc5, 0xde),
    (0xf7, 0xf7, 0xf7),
    (0xfd, 0xb8, 0x63),
    (0xb3, 0x58, 0x06),
];

fn clamp01(t: f64) -> f64 {
    if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn interpolate(stops: &[(u8, u8, u8)], t: f64) -> (u8, u8, u8) {
    let t = clamp01(t) * (stops.len() - 1) as f64;
    let k = (t.floor() as usize).min(stops.len() - 2);
    let f = t - k as f64;
    let (a, b) = (stops[k], stops[k + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A colour and the text colour readable on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Swatch {
    pub fill: String,
    pub ink: &'static str,
}

fn swatch(c: (u8, u8, u8)) -> Swatch {
    // Relative luminance (sRGB approximated by a 2.2 gamma).
    let lin = |x: u8| (f64::from(x) / 255.0).powf(2.2);
    let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    Swatch {
        fill: hex(c),
        ink: if l > 0.2 { "#111111" } else { "#ffffff" },
    }
}

/// Sequential scale for shares, `t` in [0, 1]: light (viridis' yellow end)
/// for little, dark for much, so emphasis reads as darkness.
pub fn sequential(t: f64) -> Swatch {
    swatch(interpolate(&VIRIDIS, 1.0 - clamp01(t)))
}

/// Diverging scale, `t` in [-1, 1]: blue below the mean, orange above.
pub fn diverging(t: f64) -> Swatch {
    let t = if t.is_finite() {
        t.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    swatch(interpolate(&DIVERGING, (t + 1.0) / 2.0))
}

/// A share in percent with one decimal.
pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A compact interval in percent: one decimal below 10, whole numbers above.
pub fn pct_range(lo: f64, hi: f64) -> String {
    let (lo, hi) = (lo * 100.0, hi * 100.0);
    if hi < 9.95 {
        format!("{lo:.1}–{hi:.1}")
    } else if lo < 9.95 {
        format!("{lo:.1}–{hi:.0}")
    } else {
        format!("{lo:.0}–{hi:.0}")
    }
}

/// Standard base64 with padding, for `data:` links.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The civil date (UTC) of a Unix time in seconds, `YYYY-MM-DD`
/// (Howard Hinnant's days-to-civil).
pub fn date_of(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today's date, or that of `SOURCE_DATE_EPOCH` when set (reproducible builds' convention).
pub fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    date_of(secs)
}

/// The last component of a path as the user wrote it: reports never show
/// where on the user's machine a file lives.
pub fn base_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_run_from_light_to_dark_and_blue_to_orange() {
        assert_eq!(sequential(0.0).fill, "#fde725");
        assert_eq!(sequential(1.0).fill, "#440154");
        assert_eq!(sequential(f64::NAN).fill, "#fde725");
        assert_eq!(sequential(1.0).ink, "#ffffff");
        assert_eq!(sequential(0.0).ink, "#111111");
        assert_eq!(diverging(-1.0).fill, "#2166ac");
        assert_eq!(diverging(0.0).fill, "#f7f7f7");
        assert_eq!(diverging(1.0).fill, "#b35806");
        assert_eq!(diverging(5.0), diverging(1.0));
    }

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o, "{i}");
        }
    }

    #[test]
    fn dates_and_base_names() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(951_782_400), "2000-02-29");
        assert_eq!(date_of(1_796_342_400), "2026-12-04");
        assert_eq!(base_name("/home/me/out/paragraphs.csv"), "paragraphs.csv");
        assert_eq!(base_name("labelled.csv"), "labelled.csv");
        assert_eq!(pct_range(0.0, 0.0), "0.0–0.0");
        assert_eq!(pct_range(0.05, 0.15), "5.0–15");
    }
}
