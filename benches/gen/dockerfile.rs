//! A deterministic generator of large, realistic Dockerfiles for benchmarks.
//!
//! Include it with `#[path = "gen/dockerfile.rs"] mod dockerfile_gen;` (`gen` itself is a
//! reserved word in edition 2024). The mix follows real multi-stage files: a directive
//! header and global ARGs, then stages with ARG/ENV/LABEL, long `\`-continued RUN scripts
//! (with comments and blank lines inside, as BuildKit allows), RUN/COPY with flags, heredocs,
//! comments, and exec-form CMD/ENTRYPOINT/HEALTHCHECK/SHELL. The same `lines` always gives
//! the same text, so timings are comparable across runs and machines.

#![allow(dead_code)]

use std::fmt::Write as _;

/// A Dockerfile of exactly `lines` lines (each ending in `\n`), for `lines >= 8`.
pub fn dockerfile(lines: usize) -> String {
    dockerfile_seeded(lines, 0x5eed_d0c4_e7f1_1e00)
}

/// Like [`dockerfile`] with another random seed, for a second file of the same shape.
pub fn dockerfile_seeded(lines: usize, seed: u64) -> String {
    let mut g = Gen {
        rng: Rng(seed),
        out: String::with_capacity(lines * 48),
        lines: 0,
        stage: 0,
    };
    g.header();
    // Stages are whole blocks; stop while the next one surely fits, then pad with comments.
    while g.lines + 80 < lines {
        g.stage();
    }
    let mut extra = 0;
    while g.lines < lines {
        g.line(format_args!("# padding {extra}"));
        extra += 1;
    }
    debug_assert_eq!(g.out.lines().count(), g.lines);
    g.out
}

/// splitmix64: tiny, fast and good enough to vary the shape of the text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const IMAGES: &[&str] = &[
    "alpine:3.20",
    "debian:bookworm-slim",
    "ubuntu:24.04",
    "golang:${GO_VERSION}-alpine",
    "python:3.12-slim",
    "node:22-bookworm",
    "gcr.io/distroless/static-debian12:nonroot",
    "docker.io/library/rust:1.80@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
];

const PACKAGES: &[&str] = &[
    "ca-certificates",
    "curl",
    "git",
    "gnupg",
    "libssl-dev",
    "make",
    "gcc",
    "pkg-config",
    "tzdata",
    "unzip",
    "xz-utils",
    "zlib1g-dev",
];

const COMMANDS: &[&str] = &[
    "echo \"building ${APP_NAME} for ${TARGETPLATFORM}\"",
    "mkdir -p /opt/app/bin /var/lib/app",
    "curl -fsSL \"https://example.com/releases/v${VERSION}/app.tar.gz\" -o /tmp/app.tar.gz",
    "tar -xzf /tmp/app.tar.gz -C /opt/app --strip-components=1",
    "rm -rf /tmp/* /var/tmp/*",
    "sed -i 's/^#\\(listen\\)/\\1/' /etc/app.conf",
    "find /usr/local -depth \\( -type d -a -name test \\) -exec rm -rf '{}' +",
    "export GNUPGHOME=\"$(mktemp -d)\"",
    "gpg --batch --verify /tmp/app.tar.gz.asc /tmp/app.tar.gz",
    "ln -s /opt/app/bin/app /usr/local/bin/app",
    "chown -R app:app /var/lib/app",
    "./configure --prefix=/usr/local --enable-shared",
    "make -j\"$(nproc)\"",
    "make install",
    "if [ -n \"$DEBUG\" ]; then set -x; fi",
];

struct Gen {
    rng: Rng,
    out: String,
    lines: usize,
    stage: usize,
}

impl Gen {
    fn line(&mut self, args: std::fmt::Arguments<'_>) {
        let _ = self.out.write_fmt(args);
        self.out.push('\n');
        self.lines += 1;
    }

    fn header(&mut self) {
        self.line(format_args!("# syntax=docker/dockerfile:1.7"));
        self.line(format_args!("# check=error=true"));
        self.line(format_args!("ARG GO_VERSION=1.22"));
        self.line(format_args!("ARG VERSION=2.4.1"));
        self.line(format_args!(""));
    }

    fn stage(&mut self) {
        let n = self.stage;
        self.stage += 1;
        let image = self.rng.pick(IMAGES);
        self.line(format_args!("# ---- stage {n} ----"));
        if n > 0 && self.rng.chance(40) {
            let from = self.rng.range(0, n - 1);
            self.line(format_args!("FROM stage-{from} AS stage-{n}"));
        } else {
            self.line(format_args!(
                "FROM --platform=$BUILDPLATFORM {image} AS stage-{n}"
            ));
        }
        self.line(format_args!("ARG TARGETPLATFORM"));
        self.line(format_args!("ARG APP_NAME=app{n}"));
        self.line(format_args!("ENV PATH=/opt/app/bin:$PATH \\"));
        self.line(format_args!("    LANG=C.UTF-8 \\"));
        self.line(format_args!("    APP_HOME=\"/var/lib/app{n}\""));
        self.line(format_args!(
            "LABEL org.opencontainers.image.title=\"app{n}\" org.opencontainers.image.version=\"${{VERSION}}\""
        ));
        self.line(format_args!("WORKDIR /src/app{n}"));
        for _ in 0..self.rng.range(2, 4) {
            match self.rng.range(0, 9) {
                0..=3 => self.long_run(),
                4 => self.heredoc_run(),
                5 => self.heredoc_copy(),
                6 => self.mount_run(),
                _ => self.copies(),
            }
            if self.rng.chance(50) {
                let comment = self.rng.pick(COMMANDS);
                self.line(format_args!("# {comment}"));
            }
        }
        self.line(format_args!("EXPOSE 80{:02}/tcp", n % 100));
        self.line(format_args!("USER app:app"));
        self.line(format_args!("VOLUME [\"/var/lib/app{n}\"]"));
        self.line(format_args!(
            "HEALTHCHECK --interval=30s --timeout=3s CMD [\"/usr/local/bin/app\", \"health\"]"
        ));
        self.line(format_args!(
            "ENTRYPOINT [\"/usr/local/bin/app\", \"--config\", \"/etc/app{n}.conf\"]"
        ));
        self.line(format_args!(
            "CMD [\"serve\", \"--port\", \"80{:02}\"]",
            n % 100
        ));
        self.line(format_args!(""));
    }

    /// The bulk of real files: an apt-get line and a long `&&`/`;` script.
    fn long_run(&mut self) {
        self.line(format_args!("RUN set -eux; \\"));
        self.line(format_args!("    apt-get update; \\"));
        self.line(format_args!(
            "    apt-get install -y --no-install-recommends \\"
        ));
        for _ in 0..self.rng.range(3, 8) {
            let p = self.rng.pick(PACKAGES);
            self.line(format_args!("        {p} \\"));
        }
        self.line(format_args!("    ; \\"));
        for _ in 0..self.rng.range(6, 30) {
            if self.rng.chance(5) {
                // BuildKit drops comment lines inside a continuation.
                let comment = self.rng.pick(COMMANDS);
                self.line(format_args!("# {comment}"));
            }
            let cmd = self.rng.pick(COMMANDS);
            let sep = if self.rng.chance(50) { "&&" } else { ";" };
            self.line(format_args!("    {cmd} {sep} \\"));
        }
        self.line(format_args!("    rm -rf /var/lib/apt/lists/*"));
    }

    fn mount_run(&mut self) {
        self.line(format_args!(
            "RUN --mount=type=cache,target=/root/.cache/go-build \\"
        ));
        self.line(format_args!(
            "    --mount=type=bind,source=.,target=/src,readonly \\"
        ));
        self.line(format_args!(
            "    go build -trimpath -ldflags=\"-s -w -X main.version=${{VERSION}}\" -o /out/app ./cmd/app"
        ));
    }

    fn heredoc_run(&mut self) {
        self.line(format_args!("RUN <<EOF"));
        self.line(format_args!("set -eu"));
        for _ in 0..self.rng.range(3, 12) {
            let cmd = self.rng.pick(COMMANDS);
            self.line(format_args!("{cmd}"));
        }
        self.line(format_args!("EOF"));
    }

    fn heredoc_copy(&mut self) {
        let n = self.stage;
        self.line(format_args!("COPY --chmod=0644 <<-EOT /etc/app{n}.conf"));
        for i in 0..self.rng.range(2, 8) {
            self.line(format_args!("\tkey{i} = \"value {i} for ${{APP_NAME}}\""));
        }
        self.line(format_args!("\tEOT"));
    }

    fn copies(&mut self) {
        let n = self.stage;
        if n > 1 {
            let from = self.rng.range(0, n - 2);
            self.line(format_args!(
                "COPY --from=stage-{from} --chown=app:app --link /out/app /usr/local/bin/app{n}"
            ));
        }
        self.line(format_args!(
            "COPY --chown=1000:1000 [\"go.mod\", \"go.sum\", \"./\"]"
        ));
        self.line(format_args!(
            "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app-${{VERSION}}.tar.gz /tmp/"
        ));
        self.line(format_args!("COPY . ."));
    }
}
