//! The process's memory as Linux reports it in `/proc/self/status`. Elsewhere these
//! return `None` and the runner reports no memory figures.

/// The resident set size now, in KiB.
pub fn rss_kb() -> Option<u64> {
    status_field("VmRSS:")
}

/// The peak resident set size ("high water mark"), in KiB.
pub fn peak_rss_kb() -> Option<u64> {
    status_field("VmHWM:")
}

/// Resets the peak to the current resident size, so that a run measures its own peak
/// rather than whatever came before it. Linux 4.0 and later; ignored where unsupported.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn status_field(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_is_at_least_the_current_size_on_linux() {
        if let (Some(rss), Some(peak)) = (rss_kb(), peak_rss_kb()) {
            assert!(rss > 0 && peak >= rss, "rss {rss} KiB, peak {peak} KiB");
        }
    }
}
