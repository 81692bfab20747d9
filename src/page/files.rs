//! A reader's files, which no run may damage: what a chapter writes lands whole or not at all,
//! and what it reads is bounded. Beyond the book, whose `open(pkl_file, 'wb')` empties the file
//! first and whose `open(file_path).read()` reads whatever it is given.
//!
//! - [`check_writable`] asks, before a long run, whether a path can be written, without
//!   touching what is there.
//! - [`write_whole`] writes a regular file whole to a temporary file beside it (`.NAME.tmp-PID`)
//!   and renames that over the target: the target is the old file or the new one, never empty
//!   or cut short; a run killed while writing leaves at most the temporary file. A target that
//!   is not a regular file (`/dev/stdout`, `/dev/full`, a FIFO) is written directly, never
//!   renamed over.
//! - [`same_file`] says whether two paths name one regular file.
//! - [`read_at_most`] reads a file, a FIFO or `/dev/stdin` up to a bound.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Whether `path` can be written by [`write_whole`], found without changing it: a regular file
/// (or none yet) needs a folder in which a temporary file can be made; anything else (a
/// device, a FIFO) must open for writing.
///
/// # Errors
/// `cannot write PATH: REASON`, the reason in the operating system's words.
pub fn check_writable(path: &Path) -> Result<(), String> {
    let checked = match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::other("it is a folder")),
        Ok(meta) if !meta.is_file() => OpenOptions::new().write(true).open(path).map(drop),
        Ok(_) => temporary_beside(path).map(|(file, temporary)| {
            drop(file);
            let _ = fs::remove_file(temporary);
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            temporary_beside(path).map(|(file, temporary)| {
                drop(file);
                let _ = fs::remove_file(temporary);
            })
        }
        Err(e) => Err(e),
    };
    checked.map_err(|e| cannot_write(path, &e))
}

/// Writes `bytes` to `path` whole: a regular file (or a new one) through a temporary file in
/// the same folder, flushed to disk and renamed over the target, keeping the old file's
/// permissions; anything else directly.
///
/// # Errors
/// `cannot write PATH: REASON`. The target is then as it was, and the temporary file removed.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let written = match fs::metadata(path) {
        Ok(meta) if meta.is_file() => replace(path, bytes, Some(meta.permissions())),
        Ok(_) => OpenOptions::new().write(true).open(path).and_then(|mut file| {
            file.write_all(bytes)?;
            file.flush()
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(path, bytes, None),
        Err(e) => Err(e),
    };
    written.map_err(|e| cannot_write(path, &e))
}

/// The temporary file, written and synced, renamed over the file `path` resolves to (a
/// symbolic link keeps pointing at it).
fn replace(path: &Path, bytes: &[u8], permissions: Option<fs::Permissions>) -> io::Result<()> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let (mut file, temporary) = temporary_beside(&target)?;
    let written = (|| {
        file.write_all(bytes)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, &target)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// A new file `.NAME.tmp-PID` (or `-PID-N` when that is taken) beside `path`.
fn temporary_beside(path: &Path) -> io::Result<(File, PathBuf)> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| io::Error::other("it names no file"))?;
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100 {
        let suffix = if n == 0 { format!("{pid}") } else { format!("{pid}-{n}") };
        let temporary = folder.join(format!(".{}.tmp-{suffix}", name.to_string_lossy()));
        match OpenOptions::new().write(true).create_new(true).open(&temporary) {
            Ok(file) => return Ok((file, temporary)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.expect("100 tries"))
}

/// Whether `a` and `b` name one regular file, existing or still to be made: the same file
/// once links and `..` are resolved. Devices and FIFOs are never the same file here (two
/// outputs may both go to `/dev/null`).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (identity(a), identity(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// A regular file's canonical path, or for one not made yet its folder's canonical path and
/// its name; `None` for anything else.
fn identity(path: &Path) -> Option<PathBuf> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => fs::canonicalize(path).ok(),
        Ok(_) => None,
        Err(_) => {
            let folder = match path.parent() {
                Some(folder) if !folder.as_os_str().is_empty() => folder,
                _ => Path::new("."),
            };
            Some(fs::canonicalize(folder).ok()?.join(path.file_name()?))
        }
    }
}

/// The bytes of `path` (a file, a FIFO, `/dev/stdin`), refused past `limit` bytes.
///
/// # Errors
/// `cannot read PATH: REASON`, or `PATH is larger than LIMIT MiB, the most WHAT may be`.
pub fn read_at_most(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    let name = path.display();
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read {name}: {}", os_words(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(format!("{name} is larger than {} MiB, the most {what} may be", limit >> 20));
    }
    Ok(bytes)
}

fn cannot_write(path: &Path, e: &io::Error) -> String {
    format!("cannot write {}: {}", path.display(), os_words(e))
}

/// The operating system's words for an error, as coreutils prints them:
/// `No space left on device`, without Rust's ` (os error 28)`.
pub fn os_words(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("zerotsuku2-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_replaced_whole_and_nothing_is_left_beside_it() {
        let dir = folder("replace");
        let path = dir.join("cbow_params.pkl");
        write_whole(&path, b"new file").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new file");
        write_whole(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(listing(&dir), ["cbow_params.pkl"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn checking_a_path_changes_nothing() {
        let dir = folder("check");
        let path = dir.join("good.pkl");
        fs::write(&path, b"a trained model").unwrap();
        check_writable(&path).unwrap();
        check_writable(&dir.join("new.svg")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a trained model");
        assert_eq!(listing(&dir), ["good.pkl"]);
        let missing = dir.join("no/such/folder/p.pkl");
        let message = check_writable(&missing).unwrap_err();
        assert_eq!(
            message,
            format!("cannot write {}: No such file or directory", missing.display())
        );
        assert_eq!(
            check_writable(&dir).unwrap_err(),
            format!("cannot write {}: it is a folder", dir.display())
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_link_keeps_pointing_at_the_new_file_with_the_old_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = folder("link");
        let real = dir.join("real.pkl");
        fs::write(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.join("link.pkl");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_whole(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert_eq!(fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
        assert!(same_file(&link, &real));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_is_written_directly_and_its_failure_named() {
        // as root, a rename onto /dev/full would replace the device itself
        assert_eq!(
            write_whole(Path::new("/dev/full"), b"x").unwrap_err(),
            "cannot write /dev/full: No space left on device"
        );
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::metadata("/dev/full").unwrap().file_type().is_char_device());
        write_whole(Path::new("/dev/null"), b"x").unwrap();
        check_writable(Path::new("/dev/full")).unwrap();
        assert!(!same_file(Path::new("/dev/null"), Path::new("/dev/null")));
    }

    #[test]
    fn paths_naming_one_file_are_seen() {
        let dir = folder("same");
        let file = dir.join("corpus.txt");
        fs::write(&file, b"x").unwrap();
        assert!(same_file(
            &file,
            &dir.join("../").join(dir.file_name().unwrap()).join("corpus.txt")
        ));
        assert!(same_file(&dir.join("new.pkl"), &dir.join(".").join("new.pkl")));
        assert!(!same_file(&file, &dir.join("new.pkl")));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reads_stop_at_the_bound() {
        let dir = folder("read");
        let path = dir.join("big.txt");
        fs::write(&path, vec![b'a'; 3 << 20]).unwrap();
        assert_eq!(read_at_most(&path, 3 << 20, "a corpus").unwrap().len(), 3 << 20);
        assert_eq!(
            read_at_most(&path, 2 << 20, "a corpus").unwrap_err(),
            format!("{} is larger than 2 MiB, the most a corpus may be", path.display())
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_endless_file_is_refused_at_the_bound() {
        assert_eq!(
            read_at_most(Path::new("/dev/zero"), 1 << 20, "a params file").unwrap_err(),
            "/dev/zero is larger than 1 MiB, the most a params file may be"
        );
    }
}
