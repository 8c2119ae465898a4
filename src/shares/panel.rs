//! The panel: region × year × theme in long layout with 95% intervals, for
//! merging with yearbook data.

use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::labelling::rows::LabelledRow;
use crate::shares::bootstrap::{DEFAULT_SAMPLES, DEFAULT_SEED};
use crate::shares::table::{GroupBy, Resampling, ShareTable, Weight};

/// The panel `analyze` writes as out/panel.csv (and `summary --by
/// region,year --format long --ci`): region × year × theme, long, with 95%
/// intervals.
pub fn panel_csv(rows: &[LabelledRow], codebook: &Codebook, pool_kinds: bool) -> Result<Vec<u8>> {
    let by: GroupBy = "region,year".parse().map_err(Error::Other)?;
    let by = crate::shares::kinds::grouping(by, rows, pool_kinds);
    let mut t = ShareTable::compute(rows, &by, Weight::Chars, codebook);
    let rs = Resampling {
        samples: DEFAULT_SAMPLES,
        seed: DEFAULT_SEED,
    };
    t.annotate(rows, &by, Weight::Chars, Some(rs), None, codebook);
    let mut out = Vec::new();
    t.write_long_csv(&mut out, rows, &by, codebook)?;
    Ok(out)
}
