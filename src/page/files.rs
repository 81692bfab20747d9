//! A reader's files, which no run may damage: what a chapter writes lands whole or not at all,
//! and what it reads is bounded. Beyond the book, whose `open(pkl_file, 'wb')` empties the file
//! first and whose `open(file_path).read()` reads whatever it is given.
//!
//! - [`check_writable`] asks, before a long run, whether a path can be written as
//!   [`write_whole`] will write it, without touching what is there: the file it names (links
//!   followed, as `open()` follows them) must open for writing by this user, as the shell's `>`
//!   would, and its folder must take a new file.
//! - [`write_whole`] writes a regular file whole to a temporary file beside it (`.NAME.tmp-PID`,
//!   cut to fit the longest name a folder takes) and renames that over the target: the target is
//!   the old file or the new one, never empty or cut short, with the old file's permissions; a
//!   run killed while writing leaves at most the temporary file. A target that is not a regular
//!   file (`/dev/stdout`, `/dev/full`, a FIFO) is written directly, never renamed over.
//! - [`save`] is [`write_whole`] for a trained result: when the target cannot be written after
//!   all, the bytes go to a new file beside it, or in the current folder, or in the system's
//!   temporary folder, and the error names where.
//! - [`same_file`] says whether two paths name one regular file.
//! - [`read_at_most`] reads a file, a FIFO or `/dev/stdin` up to a bound.

use crate::page::lang::{os_words, pick};
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The longest file name a folder takes, in bytes (Linux's and macOS's `NAME_MAX`).
const NAME_MAX: usize = 255;

/// Whether `path` can be written by [`write_whole`], found without changing it: the file its
/// links lead to (made, if it does not exist yet) must be one this user may open for writing,
/// as `open(path, 'wb')` would; a regular file (or none yet) needs a folder in which a temporary
/// file can be made, and whose rename over the file is allowed (in a folder where only owners
/// may replace their files, `/tmp` say, another user's file is not).
///
/// # Errors
/// `cannot write PATH: REASON`, the reason in the operating system's words.
pub fn check_writable(path: &Path) -> Result<(), String> {
    let checked = resolve(path).and_then(|target| match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(io::Error::other(pick("it is a folder", "フォルダです"))),
        Ok(meta) if !meta.is_file() => OpenOptions::new().write(true).open(&target).map(drop),
        Ok(meta) => {
            // opening for writing, without truncating, changes nothing in the file
            OpenOptions::new().write(true).open(&target)?;
            let me = try_temporary_beside(&target)?;
            replaceable(&target, &meta, me)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => try_temporary_beside(&target).map(drop),
        Err(e) => Err(e),
    });
    checked.map_err(|e| cannot_write(path, &e))
}

/// Makes and removes a temporary file beside `target`; the user id it was made with.
fn try_temporary_beside(target: &Path) -> io::Result<u32> {
    let (file, temporary) = temporary_beside(target)?;
    let me = owner(&file.metadata()?);
    drop(file);
    let _ = fs::remove_file(temporary);
    Ok(me)
}

/// Whether user `me` may rename a file over `target` (whose metadata is `meta`): in a folder
/// with the sticky bit, only the file's owner, the folder's owner and root may.
fn replaceable(target: &Path, meta: &fs::Metadata, me: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let folder = fs::metadata(folder_of(target))?;
        let sticky = folder.permissions().mode() & 0o1000 != 0;
        if sticky && me != 0 && me != owner(meta) && me != owner(&folder) {
            return Err(io::Error::other(pick(
                "it is another user's, in a folder where only its owner may replace it",
                "ほかのユーザーのファイルで、このフォルダでは持ち主しか置き換えられません",
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = (target, meta, me);
    Ok(())
}

/// The owner of a file (0 where there is none to ask).
fn owner(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    return std::os::unix::fs::MetadataExt::uid(meta);
    #[cfg(not(unix))]
    return {
        let _ = meta;
        0
    };
}

/// Writes `bytes` to `path` whole: a regular file (or a new one) through a temporary file in
/// the folder of the file `path` leads to, flushed to disk and renamed over it, keeping the old
/// file's permissions; anything else directly. A link, even one whose target does not exist
/// yet, stays a link to the file written.
///
/// # Errors
/// `cannot write PATH: REASON`. The target is then as it was, and the temporary file removed.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let written = resolve(path).and_then(|target| match fs::metadata(&target) {
        Ok(meta) if meta.is_file() => replace(&target, bytes, Some(meta.permissions())),
        Ok(_) => OpenOptions::new().write(true).open(&target).and_then(|mut file| {
            file.write_all(bytes)?;
            file.flush()
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&target, bytes, None),
        Err(e) => Err(e),
    });
    written.map_err(|e| cannot_write(path, &e))
}

/// [`write_whole`] for a trained result, which must not be lost: if `path` cannot be written,
/// the bytes are written to a new file named after it (`NAME.rescued-PID.EXT`) beside it, else
/// in the current folder, else in the system's temporary folder.
///
/// # Errors
/// `cannot write PATH: REASON`, and where the bytes went instead (or that no folder took them).
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let Err(line) = write_whole(path, bytes) else { return Ok(()) };
    let beside = resolve(path).map(|target| folder_of(&target).to_path_buf());
    let folders = [beside.ok(), Some(PathBuf::from(".")), Some(std::env::temp_dir())];
    for folder in folders.into_iter().flatten() {
        if let Ok(rescued) = rescue(&folder, path, bytes) {
            let rescued = rescued.display();
            return Err(pick(
                format!("{line}; saved as {rescued} instead"),
                format!("{line}。代わりに {rescued} に保存しました"),
            ));
        }
    }
    let temporary = std::env::temp_dir();
    let temporary = temporary.display();
    Err(pick(
        format!("{line}; no folder took it instead (beside it, here, {temporary})"),
        format!(
            "{line}。代わりに保存できるフォルダもありませんでした (同じ場所、ここ、{temporary})"
        ),
    ))
}

/// `bytes` written whole to a new file in `folder` named after `path`: `NAME.rescued-PID.EXT`.
fn rescue(folder: &Path, path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let stem = path.file_stem().unwrap_or(OsStr::new("saved"));
    let extension =
        path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let suffix = format!(".rescued-{}{extension}", std::process::id());
    let rescued = folder.join(fitting("", stem, &suffix));
    let mut file = OpenOptions::new().write(true).create_new(true).open(&rescued)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if written.is_err() {
        let _ = fs::remove_file(&rescued);
    }
    written.map(|()| rescued)
}

/// The file a write to `path` reaches, as `open()` reaches it: each symbolic link followed to
/// the path it names (relative to the link's folder), also when that does not exist yet.
///
/// # Errors
/// A link cannot be read, or links lead into links 40 times (as Linux's `ELOOP`).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = folder_of(&path).join(target);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other(pick(
        "too many levels of symbolic links",
        "シンボリックリンクの階層が多すぎます",
    )))
}

/// The folder `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// The temporary file, written and synced, renamed over `target` (a file, or none yet).
fn replace(target: &Path, bytes: &[u8], permissions: Option<fs::Permissions>) -> io::Result<()> {
    let (mut file, temporary) = temporary_beside(target)?;
    let written = (|| {
        file.write_all(bytes)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, target)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// A new file `.NAME.tmp-PID` (or `-PID-N` when that is taken) beside `path`, `NAME` cut short
/// where the whole would be longer than a folder takes.
fn temporary_beside(path: &Path) -> io::Result<(File, PathBuf)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other(pick("it names no file", "ファイルを指していません")))?;
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100 {
        let suffix = if n == 0 { format!(".tmp-{pid}") } else { format!(".tmp-{pid}-{n}") };
        let temporary = folder_of(path).join(fitting(".", name, &suffix));
        match OpenOptions::new().write(true).create_new(true).open(&temporary) {
            Ok(file) => return Ok((file, temporary)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.expect("100 tries"))
}

/// `prefix`, `name` and `suffix` in one file name of at most [`NAME_MAX`] bytes: `name` cut
/// short (at a character's boundary) where the three are longer.
fn fitting(prefix: &str, name: &OsStr, suffix: &str) -> OsString {
    let room = NAME_MAX.saturating_sub(prefix.len() + suffix.len());
    let name = name.to_string_lossy();
    let mut cut = name.len().min(room);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    OsString::from(format!("{prefix}{}{suffix}", &name[..cut]))
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

/// A regular file's canonical path, or for one not made yet (a link's target too) its folder's
/// canonical path and its name; `None` for anything else.
fn identity(path: &Path) -> Option<PathBuf> {
    let path = resolve(path).ok()?;
    match fs::metadata(&path) {
        Ok(meta) if meta.is_file() => fs::canonicalize(&path).ok(),
        Ok(_) => None,
        Err(_) => Some(fs::canonicalize(folder_of(&path)).ok()?.join(path.file_name()?)),
    }
}

/// The bytes of `path` (a file, a FIFO, `/dev/stdin`), refused past `limit` bytes; `what` it
/// is, in each language (`("a corpus", "コーパス")`), for the message.
///
/// # Errors
/// `cannot read PATH: REASON`, or `PATH is larger than LIMIT MiB, the most WHAT may be`.
pub fn read_at_most(path: &Path, limit: u64, what: (&str, &str)) -> Result<Vec<u8>, String> {
    let name = path.display();
    let mut bytes = Vec::new();
    File::open(path).and_then(|file| file.take(limit + 1).read_to_end(&mut bytes)).map_err(
        |e| {
            let words = os_words(&e);
            pick(format!("cannot read {name}: {words}"), format!("{name} を読めません: {words}"))
        },
    )?;
    if bytes.len() as u64 > limit {
        let mib = limit >> 20;
        return Err(pick(
            format!("{name} is larger than {mib} MiB, the most {} may be", what.0),
            format!("{name} は {mib} MiB を超えています ({} の上限)", what.1),
        ));
    }
    Ok(bytes)
}

fn cannot_write(path: &Path, e: &io::Error) -> String {
    let (name, words) = (path.display(), os_words(e));
    pick(format!("cannot write {name}: {words}"), format!("{name} に書き込めません: {words}"))
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
        assert_eq!(read_at_most(&path, 3 << 20, ("a corpus", "コーパス")).unwrap().len(), 3 << 20);
        assert_eq!(
            read_at_most(&path, 2 << 20, ("a corpus", "コーパス")).unwrap_err(),
            format!("{} is larger than 2 MiB, the most a corpus may be", path.display())
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_endless_file_is_refused_at_the_bound() {
        assert_eq!(
            read_at_most(Path::new("/dev/zero"), 1 << 20, ("a params file", "params ファイル"))
                .unwrap_err(),
            "/dev/zero is larger than 1 MiB, the most a params file may be"
        );
    }

    /// A link whose target does not exist yet stays a link, and its target is made, as
    /// `open()` makes it; two paths reaching the one target are the same file.
    #[cfg(unix)]
    #[test]
    fn a_dangling_link_stays_a_link_to_the_file_made() {
        let dir = folder("dangling");
        fs::create_dir(dir.join("sub")).unwrap();
        let link = dir.join("d.pkl");
        std::os::unix::fs::symlink("sub/new.pkl", &link).unwrap();
        check_writable(&link).unwrap();
        assert!(same_file(&link, &dir.join("sub/new.pkl")));
        write_whole(&link, b"trained").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(dir.join("sub/new.pkl")).unwrap(), b"trained");
        assert_eq!(listing(&dir.join("sub")), ["new.pkl"]);
        // a link into a folder that does not exist fails as open() fails, before anything
        std::os::unix::fs::symlink("nowhere/new.pkl", dir.join("e.pkl")).unwrap();
        assert!(check_writable(&dir.join("e.pkl"))
            .unwrap_err()
            .ends_with("No such file or directory"));
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A name of 255 bytes, the longest a folder takes, is written through a temporary name
    /// that fits too, and rescued under one that fits.
    #[test]
    fn the_longest_names_are_written_and_rescued() {
        let dir = folder("long");
        for length in [245, 250, 255] {
            let name =
                format!("{}.pkl", "名".repeat((length - 4) / 3)) + &"x".repeat((length - 4) % 3);
            assert_eq!(name.len(), length);
            let path = dir.join(&name);
            check_writable(&path).unwrap();
            write_whole(&path, b"whole").unwrap();
            assert_eq!(fs::read(&path).unwrap(), b"whole");
            let rescued = rescue(&dir, &path, b"kept").unwrap();
            assert!(rescued.file_name().unwrap().len() <= NAME_MAX);
            assert_eq!(fs::read(&rescued).unwrap(), b"kept");
            fs::remove_file(&rescued).unwrap();
        }
        assert_eq!(listing(&dir).len(), 3);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// What cannot be written after all is saved beside it: the target as it was, the bytes in
    /// a new file, named in the error.
    #[cfg(unix)]
    #[test]
    fn a_result_that_cannot_be_written_is_saved_beside_it() {
        let dir = folder("rescue");
        // a folder in the way of the file: no rename can replace it
        let path = dir.join("cbow_params.pkl");
        fs::create_dir(&path).unwrap();
        let error = save(&path, b"trained").unwrap_err();
        let rescued = dir.join(format!("cbow_params.rescued-{}.pkl", std::process::id()));
        assert_eq!(
            error,
            format!(
                "cannot write {}: Is a directory; saved as {} instead",
                path.display(),
                rescued.display()
            )
        );
        assert_eq!(fs::read(&rescued).unwrap(), b"trained");
        assert!(path.is_dir());
        fs::remove_dir_all(&dir).unwrap();
    }

    /// In a folder where only owners replace their files (the sticky bit, as `/tmp`), another
    /// user's file cannot be replaced, though it may be open for writing: the file's owner, the
    /// folder's owner and root may. (The check as another user runs in `.ci/run`.)
    #[cfg(unix)]
    #[test]
    fn another_users_file_in_a_sticky_folder_is_refused() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = folder("sticky");
        let file = dir.join("theirs.pkl");
        fs::write(&file, b"old").unwrap();
        let meta = fs::metadata(&file).unwrap();
        let (owner, folder_owner) = (meta.uid(), fs::metadata(&dir).unwrap().uid());
        let someone = (1..).find(|uid| ![owner, folder_owner, 0].contains(uid)).unwrap();
        // without the sticky bit, anyone who may write the folder may replace the file
        assert!(replaceable(&file, &meta, someone).is_ok());
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).unwrap();
        let refused = replaceable(&file, &meta, someone).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "it is another user's, in a folder where only its owner may replace it"
        );
        for allowed in [owner, folder_owner, 0] {
            assert!(replaceable(&file, &meta, allowed).is_ok(), "uid {allowed}");
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
