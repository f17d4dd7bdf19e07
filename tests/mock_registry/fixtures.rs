//! Hand-written registry data in the shapes seen on the live services, beside the
//! official-images files: older builds that registries keep listing, in the library-file
//! format that `data.rs` reads (each entry one image; later snapshots take over the tags
//! they name). Written here, from the tag names the images carried at the time.
//!
//! - `library/rust` also holds its tags of June 2020 (1.44.0, then 1.44.1): Docker Hub lists
//!   such old tags without an index `digest`, only per-platform `images[].digest`.
//! - `archive/ubuntu` is ubuntu's registry on 2017-10-06: `17.10`, `artful-20171006`,
//!   `artful` and `devel` one image, `latest` = `16.04`, and every stale point release and
//!   old date snapshot still listed.
//! - `archive/sprawl` has 1,200 tags, more than Docker Hub pages through anonymously.

/// 2017-04-01T00:00:00Z.
const UBUNTU_OLD_BASE: i64 = 1_491_004_800;
/// 2017-10-06T00:00:00Z.
const UBUNTU_BASE: i64 = 1_507_248_000;
/// 2020-06-04T00:00:00Z, rust 1.44.0.
const RUST_1440_BASE: i64 = 1_591_228_800;
/// 2020-06-19T00:00:00Z, rust 1.44.1.
const RUST_1441_BASE: i64 = 1_592_524_800;
/// 2026-08-01T00:00:00Z.
const SPRAWL_BASE: i64 = 1_785_542_400;
/// Tags of `archive/sprawl`.
pub const SPRAWL_TAGS: usize = 1200;

const HEADER: &str = "Maintainers: Fixture Writer <fixtures@example.invalid>\n\
GitRepo: https://example.invalid/fixtures.git\n";

/// rust's library file with 1.44.0 or 1.44.1 (`v` is the full version).
fn rust_2020(v: &str, commit: &str) -> String {
    let mut text = HEADER.to_string();
    for (variant, dir) in [
        ("buster", "buster"),
        ("slim-buster", "buster/slim"),
        ("stretch", "stretch"),
        ("slim-stretch", "stretch/slim"),
        ("alpine3.11", "alpine3.11"),
    ] {
        let mut tags = vec![
            format!("1-{variant}"),
            format!("1.44-{variant}"),
            format!("{v}-{variant}"),
            variant.to_string(),
        ];
        let short = match variant {
            "buster" => Some(""),
            "slim-buster" => Some("slim"),
            "alpine3.11" => Some("alpine"),
            _ => None,
        };
        match short {
            Some("") => tags.extend(["1", "1.44", v, "latest"].map(String::from)),
            Some(word) => tags.extend([
                format!("1-{word}"),
                format!("1.44-{word}"),
                format!("{v}-{word}"),
                word.to_string(),
            ]),
            None => {}
        }
        let arches = if variant.starts_with("alpine") {
            "amd64"
        } else {
            "amd64, arm32v7, arm64v8, i386"
        };
        text.push_str(&format!(
            "\nTags: {}\nArchitectures: {arches}\nGitCommit: {commit}\nDirectory: {v}/{dir}\n",
            tags.join(", ")
        ));
    }
    text
}

/// ubuntu's builds before 2017-10-06 that its registry still lists: end-of-life releases,
/// point releases and date snapshots that were never rebuilt.
fn ubuntu_stale() -> String {
    let mut text = HEADER.to_string();
    let entries = [
        "10.04, lucid",
        "12.04.5, 12.04, precise-20170331, precise",
        "12.10, quantal",
        "13.04, raring",
        "13.10, saucy",
        "14.04.1",
        "14.04.2",
        "14.04.3",
        "14.04.4",
        "14.04.5",
        "14.10, utopic",
        "15.04, vivid",
        "15.10, wily",
        "16.10, yakkety",
        "trusty-20170915",
        "xenial-20170915",
        "zesty-20170915",
        "artful-20170915",
    ];
    for (i, tags) in entries.iter().enumerate() {
        text.push_str(&format!(
            "\nTags: {tags}\nArchitectures: amd64, i386\nGitCommit: 5c1f0a{i:02}\nDirectory: old/{i}\n"
        ));
    }
    text
}

/// ubuntu's library file of 2017-10-06 (artful not yet released: it is `devel`).
fn ubuntu_2017() -> String {
    let mut text = HEADER.to_string();
    for (tags, dir) in [
        ("14.04, trusty-20171006, trusty", "trusty"),
        ("16.04, xenial-20171006, xenial, latest", "xenial"),
        ("17.04, zesty-20171006, zesty", "zesty"),
        ("17.10, artful-20171006, artful, devel", "artful"),
    ] {
        text.push_str(&format!(
            "\nTags: {tags}\nArchitectures: amd64, arm32v7, arm64v8, i386, ppc64le, s390x\n\
             GitCommit: 9a1e55d\nDirectory: {dir}\n"
        ));
    }
    text
}

/// `1.0.0` … `1.0.1199`, one image each, plus `latest`.
fn sprawl() -> String {
    let mut text = HEADER.to_string();
    for i in 0..SPRAWL_TAGS - 1 {
        text.push_str(&format!(
            "\nTags: 1.0.{i}\nArchitectures: amd64\nGitCommit: 0ff5e7\nDirectory: {i}\n"
        ));
    }
    text.push_str(&format!(
        "\nTags: 1.0.{}, latest\nArchitectures: amd64\nGitCommit: 0ff5e7\nDirectory: last\n",
        SPRAWL_TAGS - 1
    ));
    text
}

/// Older snapshots of an official-images repository, oldest first, built before its
/// current library file (which takes over the tags it still has).
pub fn history(repo: &str) -> Vec<(i64, String)> {
    match repo {
        "library/rust" => vec![
            (RUST_1440_BASE, rust_2020("1.44.0", "c1d0f2a")),
            (RUST_1441_BASE, rust_2020("1.44.1", "e3b9a4c")),
        ],
        _ => Vec::new(),
    }
}

/// Repositories made of fixtures alone, each as its snapshots, oldest first.
pub fn repositories() -> Vec<(String, Vec<(i64, String)>)> {
    vec![
        (
            "archive/ubuntu".to_string(),
            vec![
                (UBUNTU_OLD_BASE, ubuntu_stale()),
                (UBUNTU_BASE, ubuntu_2017()),
            ],
        ),
        ("archive/sprawl".to_string(), vec![(SPRAWL_BASE, sprawl())]),
    ]
}
