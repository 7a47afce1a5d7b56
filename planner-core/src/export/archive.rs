//! A tar archive of text files, for the editor to download an export of several files (the
//! Terraform configuration) as one: POSIX ustar, no compression, every entry a regular file
//! with mode 0644, owner 0 and time 0, so the same files always give the same bytes. Headers
//! are ASCII and NULs and the contents are text, so the archive is a `String`.

use std::collections::BTreeMap;
use std::fmt::Write;

const BLOCK: usize = 512;

/// Why files cannot go in an archive.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ArchiveError {
    /// The entry's path.
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
}

/// The ustar archive of `files` under the folder `dir`, in name order.
///
/// ```
/// let files = [("main.tf".to_owned(), "# empty\n".to_owned())].into();
/// let tar = planner_core::export::archive::tar("demo", &files).unwrap();
/// assert_eq!(tar.len(), 4 * 512); // a header, one block of data, two blocks that end it
/// assert!(tar.starts_with("demo/main.tf\0"));
/// ```
pub fn tar(dir: &str, files: &BTreeMap<String, String>) -> Result<String, ArchiveError> {
    let mut out = String::with_capacity(files.values().map(|f| f.len() + 2 * BLOCK).sum());
    for (name, text) in files {
        let path = format!("{dir}/{name}");
        if path.len() > 100 || !path.is_ascii() || path.contains('\0') {
            return Err(ArchiveError {
                path,
                reason: "an entry's path must be ASCII and at most 100 bytes".to_owned(),
            });
        }
        out.push_str(&header(&path, text.len()));
        out.push_str(text);
        pad(&mut out);
    }
    out.extend(std::iter::repeat_n('\0', 2 * BLOCK));
    Ok(out)
}

/// A regular file's 512-byte header.
fn header(path: &str, size: usize) -> String {
    let mut h = String::with_capacity(BLOCK);
    let field = |h: &mut String, value: &str, width: usize| {
        h.push_str(value);
        h.extend(std::iter::repeat_n('\0', width - value.len()));
    };
    field(&mut h, path, 100); // name
    field(&mut h, "0000644", 8); // mode
    field(&mut h, "0000000", 8); // uid
    field(&mut h, "0000000", 8); // gid
    field(&mut h, &format!("{size:011o}"), 12); // size
    field(&mut h, "00000000000", 12); // mtime
    h.push_str("        "); // checksum, counted as spaces
    h.push('0'); // typeflag: a regular file
    field(&mut h, "", 100); // linkname
    h.push_str("ustar\0"); // magic
    h.push_str("00"); // version
    field(&mut h, "root", 32); // uname
    field(&mut h, "root", 32); // gname
    field(&mut h, "", 8); // devmajor
    field(&mut h, "", 8); // devminor
    field(&mut h, "", 155); // prefix
    field(&mut h, "", 12); // padding
    let sum: u32 = h.bytes().map(u32::from).sum();
    let mut checksum = String::new();
    let _ = write!(checksum, "{sum:06o}\0 ");
    h.replace_range(148..156, &checksum);
    h
}

/// Pads `out` with NULs to a whole number of blocks.
fn pad(out: &mut String) {
    let rest = out.len() % BLOCK;
    if rest != 0 {
        out.extend(std::iter::repeat_n('\0', BLOCK - rest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_size_and_a_checksum_over_themselves() {
        let files = [
            ("a.tf".to_owned(), "x".repeat(600)),
            ("b.tf".to_owned(), String::new()),
        ]
        .into();
        let t = tar("d", &files).unwrap();
        assert_eq!(t.len() % BLOCK, 0);
        // a.tf: header + 2 data blocks; b.tf: header; then the end.
        assert_eq!(t.len(), (1 + 2 + 1 + 2) * BLOCK);
        let h = &t.as_bytes()[..BLOCK];
        assert_eq!(&h[124..136], b"00000001130\0"); // 600 in octal
        let stored = u32::from_str_radix(std::str::from_utf8(&h[148..154]).unwrap(), 8).unwrap();
        let sum: u32 = h
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    u32::from(b)
                }
            })
            .sum();
        assert_eq!(stored, sum);
        assert_eq!(&t.as_bytes()[3 * BLOCK..3 * BLOCK + 6], b"d/b.tf");
        assert_eq!(tar("d", &files).unwrap(), t, "deterministic");
    }

    #[test]
    fn a_long_path_is_refused() {
        let files = [("f".repeat(120), String::new())].into();
        assert!(tar("d", &files).is_err());
    }
}
