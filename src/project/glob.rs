//! File globs of a project (`workflows/*.wf`, `tests/**/*.test.toml`):
//! `*` and `?` stay within a folder name, `**` crosses folders. A glob is
//! matched by walking only the folder its literal start names, so a
//! project beside a large tree does not walk that tree.

use globset::GlobBuilder;
use std::path::{Path, PathBuf};

/// A checked glob, relative to a project's folder.
pub struct Glob {
    matcher: globset::GlobMatcher,
    /// The leading folders without wildcards: where the walk starts.
    base: PathBuf,
}

impl Glob {
    /// Compiles `pattern`; the error says what is wrong with it. Absolute
    /// globs are refused: a project names its files relative to itself.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        if Path::new(pattern).is_absolute() {
            return Err(format!(
                "`{pattern}` is absolute; globs are relative to wf.toml"
            ));
        }
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("bad glob `{pattern}`: {}", e.kind()))?;
        let mut base = PathBuf::new();
        for part in pattern.split('/') {
            if part.contains(['*', '?', '[', '{']) {
                break;
            }
            base.push(part);
        }
        // The last literal part may be a file name: walk from its folder.
        if !pattern.contains(['*', '?', '[', '{']) {
            base.pop();
        }
        Ok(Glob {
            matcher: glob.compile_matcher(),
            base,
        })
    }

    /// The files under `root` that match, as `root/PATH`, sorted by path.
    pub fn files(&self, root: &Path) -> Vec<PathBuf> {
        let walk_root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        let start = walk_root.join(&self.base);
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&start)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(walk_root) else {
                continue;
            };
            if self.matcher.is_match(relative) {
                files.push(super::normalize(&root.join(relative)));
            }
        }
        files.sort();
        files
    }
}
