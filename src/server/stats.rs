//! `/api/stats` and `/health`: [`Engine::stats`] (one generation), naming the index directory
//! but not its absolute path, which is nobody's business over HTTP.

use crate::error::Result;
use crate::index::{Engine, Stats};

/// The index summary with only the index directory's name.
pub(crate) fn stats(engine: &Engine) -> Result<Stats> {
    let mut st = engine.stats()?;
    st.dir = st.dir.file_name().map(Into::into).unwrap_or_default();
    Ok(st)
}
