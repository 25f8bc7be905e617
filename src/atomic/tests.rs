use super::*;

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wf-atomic-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names in a folder, sorted: a failed write leaves no temporary file.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_write_replaces_the_bytes() {
    let dir = dir("replace");
    let path = dir.join("x.wf");
    std::fs::write(&path, "old text that is longer\n").unwrap();
    write(&path, b"new\n").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
    assert_eq!(names(&dir), ["x.wf"]);
}

#[test]
fn a_write_that_fails_half_way_leaves_the_old_bytes() {
    let dir = dir("fails");
    let path = dir.join("x.wf");
    let old = "when form_submitted(\"a\") then enroll in sequence \"S\"\n".repeat(100);
    std::fs::write(&path, &old).unwrap();
    let e = write_with(&path, |file| {
        file.write_all(b"when form_submitted(\"a\") then enr")?;
        Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
    })
    .unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::StorageFull);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), old);
    assert_eq!(names(&dir), ["x.wf"]);
}

#[test]
fn a_new_file_is_created() {
    let dir = dir("new");
    write(&dir.join("new.wf"), b"x").unwrap();
    assert_eq!(std::fs::read(dir.join("new.wf")).unwrap(), b"x");
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir("mode");
    let path = dir.join("x.wf");
    std::fs::write(&path, "a").unwrap();
    std::fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
    write(&path, b"b").unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    // A new file is not left with the temporary file's private 0600.
    let new = dir.join("new.wf");
    write(&new, b"c").unwrap();
    let mode = std::fs::metadata(&new).unwrap().permissions().mode();
    assert_ne!(
        mode & 0o044,
        0,
        "a new file is readable by others as with File::create"
    );
}

#[cfg(unix)]
#[test]
fn a_link_is_written_through() {
    let dir = dir("link");
    let real = dir.join("real.wf");
    std::fs::write(&real, "a").unwrap();
    let link = dir.join("link.wf");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    write(&link, b"b").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&real).unwrap(), b"b");
}

#[test]
fn a_folder_is_not_replaced() {
    let dir = dir("folder");
    let e = write(&dir, b"x").unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    assert!(dir.is_dir());
}
