//! Reads back what criterion measured in this process, for the summary
//! tables printed at the end of each bench (ns per request, MB/s, ratios).
//!
//! Criterion keeps its estimates in `<dir>/<group>/<function>/new/estimates.json`;
//! only files written after this process started are read, so a benchmark
//! filtered out of this run never shows a stale number.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The estimates written by this process's criterion runs.
#[derive(Debug)]
pub struct Estimates {
    dir: PathBuf,
    started: SystemTime,
}

impl Estimates {
    /// Estimates under `dir`, counting only files newer than now.
    pub fn new(dir: PathBuf) -> Self {
        Estimates {
            dir,
            started: SystemTime::now(),
        }
    }

    /// Where criterion writes: `$CRITERION_HOME`, else `<target dir>/criterion`.
    ///
    /// The target dir is `$CARGO_TARGET_DIR`, else found from this executable's
    /// path (`<target>/<profile>/deps/<bench>-<hash>`), so criterion need not
    /// be told by `cargo metadata`.
    pub fn default_dir() -> PathBuf {
        if let Some(home) = std::env::var_os("CRITERION_HOME") {
            return PathBuf::from(home);
        }
        if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
            return Path::new(&target).join("criterion");
        }
        std::env::current_exe()
            .ok()
            .and_then(|exe| {
                exe.ancestors()
                    .nth(3)
                    .map(|target| target.join("criterion"))
            })
            .unwrap_or_else(|| crate::repo_root().join("target/criterion"))
    }

    /// The directory criterion should write to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The median time of one iteration of `group/function`, in nanoseconds,
    /// if it ran in this process.
    pub fn median_ns(&self, group: &str, function: &str) -> Option<f64> {
        let path = self
            .dir
            .join(group)
            .join(function)
            .join("new/estimates.json");
        let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
        if modified < self.started {
            return None;
        }
        let text = std::fs::read_to_string(&path).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json.get("median")?.get("point_estimate")?.as_f64()
    }
}

/// `ns` as a short human duration: `812 ns`, `3.41 µs`, `12.0 ms`, `1.52 s`.
pub fn duration(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    let digits = if value < 10.0 {
        2
    } else if value < 100.0 {
        1
    } else {
        0
    };
    format!("{value:.digits$} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(812.4), "812 ns");
        assert_eq!(duration(3_410.0), "3.41 µs");
        assert_eq!(duration(12_040_000.0), "12.0 ms");
        assert_eq!(duration(1_520_000_000.0), "1.52 s");
    }

    #[test]
    fn estimates_from_before_this_process_are_ignored() {
        let dir = std::env::temp_dir().join(format!("orux-bench-summary-{}", std::process::id()));
        let file = dir.join("g/f/new");
        std::fs::create_dir_all(&file).unwrap();
        let write = || {
            std::fs::write(
                file.join("estimates.json"),
                r#"{"median": {"point_estimate": 125.5}}"#,
            )
            .unwrap()
        };
        write();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let estimates = Estimates::new(dir.clone());
        assert_eq!(estimates.median_ns("g", "f"), None, "stale");
        std::thread::sleep(std::time::Duration::from_millis(20));
        write();
        assert_eq!(estimates.median_ns("g", "f"), Some(125.5));
        assert_eq!(estimates.median_ns("g", "missing"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
