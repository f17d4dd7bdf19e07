//! Platforms as containerd's `platforms` package reads, normalizes and prints them.

use std::fmt;

/// `os[(version)]/arch[/variant]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub os_version: String,
    pub os_features: Vec<String>,
    pub arch: String,
    pub variant: String,
}

impl Platform {
    /// `platforms.Parse`: a specifier of one to three `/`-separated parts. A lone part is an
    /// OS (with `host`'s architecture) or an architecture (with `host`'s OS).
    pub fn parse(specifier: &str, host: &Platform) -> Result<Platform, String> {
        if specifier.contains('*') {
            return Err(format!(
                "{}: wildcards not yet supported: invalid argument",
                quote(specifier)
            ));
        }
        let parts: Vec<&str> = specifier.splitn(4, '/').collect();
        let mut p = Platform::default();
        for (i, part) in parts.iter().enumerate() {
            if i == 0 {
                let Some((os, version, features)) = os_component(part) else {
                    return Err(format!(
                        "{} is an invalid OS component of {}: OSAndVersion specifier component must match {}: invalid argument",
                        quote(part),
                        quote(specifier),
                        quote(
                            r"^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$"
                        )
                    ));
                };
                p.os = normalize_os(os);
                p.os_version = version.to_string();
                p.os_features = features
                    .split('+')
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect();
            } else if !is_component(part) {
                return Err(format!(
                    "{} is an invalid component of {}: platform specifier component must match {}: invalid argument",
                    quote(part),
                    quote(specifier),
                    quote("^[A-Za-z0-9_.-]+$")
                ));
            }
        }
        match parts.len() {
            1 => {
                if is_known_os(&p.os) {
                    p.arch = host.arch.clone();
                    p.variant = host.variant.clone();
                    return Ok(p);
                }
                let (arch, variant) = normalize_arch(parts[0], "");
                p.arch = arch;
                p.variant = if p.arch == "arm" && variant == "v7" {
                    String::new()
                } else {
                    variant
                };
                if is_known_arch(&p.arch) {
                    p.os = host.os.clone();
                    return Ok(p);
                }
                Err(format!(
                    "{}: unknown operating system or architecture: invalid argument",
                    quote(specifier)
                ))
            }
            2 => {
                let (arch, variant) = normalize_arch(parts[1], "");
                p.arch = arch;
                p.variant = if p.arch == "arm" && variant == "v7" {
                    String::new()
                } else {
                    variant
                };
                Ok(p)
            }
            3 => {
                let (arch, variant) = normalize_arch(parts[1], parts[2]);
                p.arch = arch;
                p.variant = if p.arch == "arm64" && variant.is_empty() {
                    "v8".to_string()
                } else {
                    variant
                };
                Ok(p)
            }
            _ => Err(format!(
                "{}: cannot parse platform specifier: invalid argument",
                quote(specifier)
            )),
        }
    }

    /// `platforms.Normalize`.
    pub fn normalized(&self) -> Platform {
        let (arch, variant) = normalize_arch(&self.arch, &self.variant);
        let mut features = self.os_features.clone();
        features.sort();
        features.dedup();
        Platform {
            os: normalize_os(&self.os),
            os_version: self.os_version.clone(),
            os_features: features,
            arch,
            variant,
        }
    }

    /// `platforms.Format`: `os/arch[/variant]`.
    pub fn format(&self) -> String {
        if self.os.is_empty() {
            return "unknown".to_string();
        }
        join(&[&self.os, &self.arch, &self.variant])
    }

    /// `platforms.FormatAll`: with the OS version and features, `os(version+f)/arch`.
    pub fn format_all(&self) -> String {
        if self.os.is_empty() {
            return "unknown".to_string();
        }
        if self.os_version.is_empty() && self.os_features.is_empty() {
            return self.format();
        }
        let mut os = self.os.clone();
        os.push('(');
        os.push_str(&self.os_version);
        if !self.os_features.is_empty() {
            os.push('+');
            os.push_str(&self.os_features.join("+"));
        }
        os.push(')');
        join(&[&os, &self.arch, &self.variant])
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_all())
    }
}

/// `path.Join` of the non-empty parts.
fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

fn quote(s: &str) -> String {
    crate::model::go_quote::go_quote(s)
}

/// `^[A-Za-z0-9_.-]+$`
fn is_component(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// `^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$`: the OS, its
/// version and its `+features`.
fn os_component(part: &str) -> Option<(&str, &str, &str)> {
    let os_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    };
    let option_ok = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'%' | b'-'))
    };
    let Some((os, rest)) = part.split_once('(') else {
        return os_ok(part).then_some((part, "", ""));
    };
    let inner = rest.strip_suffix(')')?;
    let (version, features) = match inner.find('+') {
        Some(i) => (&inner[..i], &inner[i..]),
        None => (inner, ""),
    };
    let features_ok = features.is_empty()
        || features
            .strip_prefix('+')
            .is_some_and(|f| f.split('+').all(|x| !x.is_empty() && option_ok(x)));
    (os_ok(os) && option_ok(version) && features_ok).then_some((os, version, features))
}

fn normalize_os(os: &str) -> String {
    let os = os.to_lowercase();
    if os == "macos" {
        "darwin".to_string()
    } else {
        os
    }
}

fn normalize_arch(arch: &str, variant: &str) -> (String, String) {
    let (arch, variant) = (arch.to_lowercase(), variant.to_lowercase());
    match arch.as_str() {
        "i386" => ("386".into(), String::new()),
        "x86_64" | "x86-64" | "amd64" => {
            let variant = if variant == "v1" {
                String::new()
            } else {
                variant
            };
            ("amd64".into(), variant)
        }
        "aarch64" | "arm64" => {
            let variant = match variant.as_str() {
                "8" | "v8" | "v8.0" => String::new(),
                "9" | "9.0" | "v9.0" => "v9".into(),
                _ => variant,
            };
            ("arm64".into(), variant)
        }
        "armhf" => ("arm".into(), "v7".into()),
        "armel" => ("arm".into(), "v6".into()),
        "arm" => {
            let variant = match variant.as_str() {
                "" | "7" => "v7".into(),
                "5" | "6" | "8" => format!("v{variant}"),
                _ => variant,
            };
            ("arm".into(), variant)
        }
        _ => (arch, variant),
    }
}

fn is_known_os(os: &str) -> bool {
    matches!(
        os,
        "aix"
            | "android"
            | "darwin"
            | "dragonfly"
            | "freebsd"
            | "hurd"
            | "illumos"
            | "ios"
            | "js"
            | "linux"
            | "nacl"
            | "netbsd"
            | "openbsd"
            | "plan9"
            | "solaris"
            | "windows"
            | "zos"
    )
}

fn is_known_arch(arch: &str) -> bool {
    matches!(
        arch,
        "386"
            | "amd64"
            | "amd64p32"
            | "arm"
            | "armbe"
            | "arm64"
            | "arm64be"
            | "ppc64"
            | "ppc64le"
            | "loong64"
            | "mips"
            | "mipsle"
            | "mips64"
            | "mips64le"
            | "mips64p32"
            | "mips64p32le"
            | "ppc"
            | "riscv"
            | "riscv64"
            | "s390"
            | "s390x"
            | "sparc"
            | "sparc64"
            | "wasm"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> Platform {
        Platform {
            os: "linux".into(),
            arch: "amd64".into(),
            ..Platform::default()
        }
    }

    #[test]
    fn parses_and_formats_like_containerd() {
        let p = |s: &str| Platform::parse(s, &host()).map(|p| p.format_all());
        assert_eq!(p("linux/amd64").as_deref(), Ok("linux/amd64"));
        assert_eq!(p("Linux/x86_64").as_deref(), Ok("linux/amd64"));
        assert_eq!(p("linux/arm64/v8").as_deref(), Ok("linux/arm64/v8"));
        assert_eq!(p("linux/arm").as_deref(), Ok("linux/arm"));
        assert_eq!(p("linux/arm/7").as_deref(), Ok("linux/arm/v7"));
        assert_eq!(
            p("windows(10.0.17763)/amd64").as_deref(),
            Ok("windows(10.0.17763)/amd64")
        );
        assert_eq!(p("arm64").as_deref(), Ok("linux/arm64"));
        assert_eq!(p("windows").as_deref(), Ok("windows/amd64"));
        assert_eq!(
            p("linux/"),
            Err(r#""" is an invalid component of "linux/": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument"#.to_string())
        );
        assert!(
            p("banana")
                .unwrap_err()
                .contains("unknown operating system or architecture")
        );
        assert!(
            p("a/b/c/d")
                .unwrap_err()
                .contains("cannot parse platform specifier")
        );
        assert!(p("linux/*").unwrap_err().contains("wildcards"));
        let arm = Platform::parse("linux/arm64/v8", &host()).map(|p| p.normalized().format());
        assert_eq!(arm.as_deref(), Ok("linux/arm64"));
    }
}
