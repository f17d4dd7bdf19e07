//! Each rule: where it fires (exact ranges, marked `«…»` in the text, including findings on
//! continuation lines and inside heredocs), where it does not, its suppression, its fix.

use super::*;
use crate::analysis::Snapshot;
use crate::shell::packages::Manager;

/// The text without its `«»` marks, and the ranges they marked.
fn unmark(marked: &str) -> (String, Vec<Range<usize>>) {
    let mut text = String::new();
    let mut ranges = Vec::new();
    let mut open = None;
    for c in marked.chars() {
        match c {
            '«' => open = Some(text.len()),
            '»' => ranges.push(open.take().unwrap_or(0)..text.len()),
            _ => text.push(c),
        }
    }
    (text, ranges)
}

fn findings_with(code: &str, text: &str, options: &Options) -> Vec<Finding> {
    findings(&Snapshot::new(text), options)
        .into_iter()
        .map(|(_, f)| f)
        .filter(|f| f.code == code)
        .collect()
}

/// Asserts `code` fires exactly on the marked ranges.
fn fires_with(code: &str, marked: &str, options: &Options) {
    let (text, want) = unmark(marked);
    let got: Vec<Range<usize>> = findings_with(code, &text, options)
        .iter()
        .map(|f| f.range.clone())
        .collect();
    let show = |rs: &[Range<usize>]| -> Vec<String> {
        rs.iter().map(|r| text[r.clone()].to_string()).collect()
    };
    assert_eq!(
        got,
        want,
        "{code} in {text:?}: got {:?}, want {:?}",
        show(&got),
        show(&want)
    );
}

fn fires(code: &str, marked: &str) {
    fires_with(code, marked, &Options::default());
}

fn quiet(code: &str, text: &str) {
    fires(code, text);
}

/// Asserts the first finding's fix turns `before` into `after`.
fn fixes(code: &str, before: &str, after: &str) {
    let findings = findings_with(code, before, &Options::default());
    let fix = findings
        .first()
        .and_then(|f| f.fix.clone())
        .unwrap_or_else(|| panic!("{code} has no fix in {before:?}"));
    let mut text = before.to_string();
    let (title, mut edits) = fix;
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    for e in edits {
        text.replace_range(e.range.clone(), &e.new_text);
    }
    assert_eq!(text, after, "{title}");
}

/// Asserts a `# hadolint ignore=` line above the instruction silences the rule.
fn suppressed(code: &str, text: &str, instruction_prefix: &str) {
    let at = text.find(instruction_prefix).expect("instruction in text");
    let mut with = text.to_string();
    with.insert_str(at, &format!("# hadolint ignore={code}\n"));
    assert!(
        !findings_with(code, text, &Options::default()).is_empty(),
        "{code} should fire in {text:?}"
    );
    assert!(
        findings_with(code, &with, &Options::default()).is_empty(),
        "{code} not suppressed in {with:?}"
    );
    let global = format!("# hadolint global ignore=DL0000,{code}\n{text}");
    assert!(findings_with(code, &global, &Options::default()).is_empty());
}

#[test]
fn dl4006_pipes_without_pipefail() {
    fires("DL4006", "FROM a:1\nRUN curl -s u «|» sh\n");
    // On a continuation line, and in a heredoc.
    fires("DL4006", "FROM a:1\nRUN set -e \\\n  && curl -s u «|» sh\n");
    fires("DL4006", "FROM a:1\nRUN <<EOF\ncurl -s u «|» sh\nEOF\n");
    quiet(
        "DL4006",
        "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl u | sh\n",
    );
    quiet(
        "DL4006",
        "FROM a:1\nSHELL [\"/usr/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN curl u | sh\n",
    );
    quiet(
        "DL4006",
        "FROM a:1\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-Item x | y\n",
    );
    quiet("DL4006", "FROM a:1\nRUN echo 'a | b' || true\n");
    // Ours is right where hadolint fires: the script turns pipefail on before the pipe.
    quiet("DL4006", "FROM a:1\nRUN set -o pipefail && curl u | sh\n");
    quiet(
        "DL4006",
        "FROM a:1\nRUN <<EOF\nset -eo pipefail\ncurl u | sh\nEOF\n",
    );
    // A stage built from one with SHELL keeps it (BuildKit copies the image config); a
    // Windows base image runs cmd.
    quiet(
        "DL4006",
        "FROM a:1 AS b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM b\nRUN a | b\n",
    );
    fires(
        "DL4006",
        "FROM a:1 AS b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM c:1\nRUN a «|» b\n",
    );
    quiet(
        "DL4006",
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n",
    );
    suppressed("DL4006", "FROM a:1\nRUN a | b\n", "RUN");
}

#[test]
fn an_install_command_is_reported_once_naming_its_unpinned_packages() {
    let text = "FROM a:1\nRUN apt-get install -y a b=1 c d e f g h \\\n && apt-get install i\n";
    let snapshot = crate::analysis::Snapshot::new(text);
    let found: Vec<_> = findings(&snapshot, &Options::default())
        .into_iter()
        .filter(|(_, f)| f.code == "DL3008")
        .map(|(_, f)| (text[f.range.clone()].to_string(), f.message))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "a b=1 c d e f g h");
    assert!(
        found[0].1.ends_with("(unpinned: a, c, d, e, f and 2 more)"),
        "{}",
        found[0].1
    );
    assert_eq!(found[1].0, "i");
    assert!(found[1].1.ends_with("(unpinned: i)"), "{}", found[1].1);
}

#[test]
fn dl3008_apt_get_pinning() {
    fires(
        "DL3008",
        "FROM a:1\nRUN apt-get install -y «curl» vim=2 ./x.deb /tmp/y\n",
    );
    fires(
        "DL3008",
        "FROM a:1\nRUN apt-get update \\\n && apt-get install -y \\\n   «curl \\\n   vim»\n",
    );
    fires(
        "DL3008",
        "FROM a:1\nRUN <<EOF\napt-get install -y «git»\nEOF\n",
    );
    quiet(
        "DL3008",
        "FROM a:1\nRUN apt-get install -t bookworm-backports -y curl=7\n",
    );
    quiet("DL3008", "FROM a:1\nRUN apt-get update\n");
    suppressed("DL3008", "FROM a:1\nRUN apt-get install -y curl\n", "RUN");
    let off = Options {
        unpinned: vec![Manager::AptGet],
        ..Options::default()
    };
    fires_with("DL3008", "FROM a:1\nRUN apt-get install -y curl\n", &off);
}

#[test]
fn dl3018_apk_pinning() {
    fires(
        "DL3018",
        "FROM a:1\nRUN apk add --no-cache «curl» git=2.4 x~1 ./p.apk\n",
    );
    fires(
        "DL3018",
        "FROM a:1\nRUN apk add --no-cache --virtual .deps «gcc»\n",
    );
    quiet("DL3018", "FROM a:1\nRUN apk del curl\n");
    suppressed("DL3018", "FROM a:1\nRUN apk add --no-cache curl\n", "RUN");
}

#[test]
fn dl3047_wget_progress() {
    fires("DL3047", "FROM a:1\nRUN «wget https://x/y»\n");
    quiet(
        "DL3047",
        "FROM a:1\nRUN wget -q https://x/y && wget -nv u && wget -O f --progress=dot u\n",
    );
    fixes(
        "DL3047",
        "FROM a:1\nRUN wget https://x/y\n",
        "FROM a:1\nRUN wget --progress=dot:giga https://x/y\n",
    );
    suppressed("DL3047", "FROM a:1\nRUN wget u\n", "RUN");
}

#[test]
fn dl3003_cd() {
    fires("DL3003", "FROM a:1\nRUN «cd /x» && make\n");
    fires("DL3003", "FROM a:1\nRUN make \\\n && «cd /y»\n");
    quiet("DL3003", "FROM a:1\nWORKDIR /x\nRUN make\n");
    suppressed("DL3003", "FROM a:1\nRUN cd /x && make\n", "RUN");
}

#[test]
fn dl3059_consecutive_runs() {
    fires("DL3059", "FROM a:1\nRUN a\n# comment\n«RUN» b\n");
    quiet("DL3059", "FROM a:1\nRUN a\nRUN b && c\n");
    quiet("DL3059", "FROM a:1\nRUN a\nENV X=1\nRUN b\n");
    quiet(
        "DL3059",
        "FROM a:1\nRUN --mount=type=cache,target=/c a\nRUN b\n",
    );
    suppressed("DL3059", "FROM a:1\nRUN a\nRUN b\n", "RUN b");
}

#[test]
fn dl3015_and_dl3014_apt_get_switches() {
    fires("DL3015", "FROM a:1\nRUN «apt-get install -y curl=1»\n");
    quiet(
        "DL3015",
        "FROM a:1\nRUN apt-get install -y --no-install-recommends curl=1\n",
    );
    fixes(
        "DL3015",
        "FROM a:1\nRUN apt-get install -y curl=1\n",
        "FROM a:1\nRUN apt-get install --no-install-recommends -y curl=1\n",
    );
    fires("DL3014", "FROM a:1\nRUN «apt-get install curl=1»\n");
    quiet(
        "DL3014",
        "FROM a:1\nRUN apt-get -qq install curl=1 && apt-get -q -q install x=1\n",
    );
    fixes(
        "DL3014",
        "FROM a:1\nRUN apt-get install curl=1\n",
        "FROM a:1\nRUN apt-get install -y curl=1\n",
    );
    suppressed("DL3014", "FROM a:1\nRUN apt-get install x=1\n", "RUN");
}

#[test]
fn dl3009_apt_lists() {
    fires(
        "DL3009",
        "FROM a:1\nRUN «apt-get update» && apt-get install -y x=1\n",
    );
    quiet(
        "DL3009",
        "FROM a:1\nRUN apt-get update && apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\n",
    );
    // Ours is right where hadolint is quiet: removing another directory leaves the lists.
    fires(
        "DL3009",
        "FROM a:1\nRUN «apt-get update» && apt-get install -y x=1 && rm -rf /tmp/x\n",
    );
    quiet(
        "DL3009",
        "FROM a:1\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n",
    );
    // Only stages that end up in an image.
    quiet(
        "DL3009",
        "FROM a:1 AS build\nRUN apt-get update\nFROM b:1\nCOPY --from=build /x /x\n",
    );
    suppressed("DL3009", "FROM a:1\nRUN apt-get update\n", "RUN");
}

#[test]
fn dl3020_add_for_files() {
    fires("DL3020", "FROM a:1\n«ADD» src /app\n");
    quiet(
        "DL3020",
        "FROM a:1\nADD https://x/y.tgz /app\nADD x.tar.gz /app\n",
    );
    fixes(
        "DL3020",
        "FROM a:1\nADD src /app\n",
        "FROM a:1\nCOPY src /app\n",
    );
    suppressed("DL3020", "FROM a:1\nADD src /app\n", "ADD");
}

#[test]
fn dl3006_and_dl3007_tags() {
    fires(
        "DL3006",
        "FROM «ubuntu»\nFROM ubuntu:22.04 AS b\nFROM b\nFROM scratch\nFROM x@sha256:00\nFROM $IMAGE\n",
    );
    fires("DL3006", "FROM «localhost:5000/img»\n");
    fires(
        "DL3007",
        "FROM «ubuntu:latest»\nFROM ubuntu:latest@sha256:00\n",
    );
    suppressed("DL3007", "FROM ubuntu:latest\n", "FROM");
}

#[test]
fn dl3013_pip_pinning() {
    fires(
        "DL3013",
        "FROM a:1\nRUN pip install «flask» django==4 ./pkg x.whl\n",
    );
    fires(
        "DL3013",
        "FROM a:1\nRUN python3 -m pip install --index-url u «requests»\n",
    );
    quiet(
        "DL3013",
        "FROM a:1\nRUN pip install -r requirements.txt\nRUN pip install -c c.txt x\nRUN pip install .\n",
    );
    quiet("DL3013", "FROM a:1\nRUN pipenv install x\n");
}

#[test]
fn dl3042_pip_cache() {
    fires("DL3042", "FROM a:1\nRUN «pip install x==1»\n");
    quiet("DL3042", "FROM a:1\nRUN pip install --no-cache-dir x==1\n");
    quiet(
        "DL3042",
        "FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x==1\n",
    );
    quiet(
        "DL3042",
        "FROM a:1\nRUN --mount=type=cache,target=/root/.cache/pip pip install x==1\n",
    );
    fixes(
        "DL3042",
        "FROM a:1\nRUN pip install x==1\n",
        "FROM a:1\nRUN pip install --no-cache-dir x==1\n",
    );
}

#[test]
fn dl3002_root_user() {
    fires(
        "DL3002",
        "FROM a:1\nUSER app\n«USER» root\nFROM b:1\nUSER root\nUSER 1000\n",
    );
    quiet("DL3002", "FROM a:1\nUSER root\nRUN x\nUSER app\n");
}

#[test]
fn dl3004_sudo_and_dl3001() {
    fires("DL3004", "FROM a:1\nRUN «sudo» apt-get update\n");
    fires("DL3001", "FROM a:1\nRUN «ssh» host && «vim» x\n");
    quiet("DL3001", "FROM a:1\nRUN echo ssh\n");
}

#[test]
fn dl3027_apt() {
    fires("DL3027", "FROM a:1\nRUN «apt» install -y x=1\n");
    fixes(
        "DL3027",
        "FROM a:1\nRUN apt install -y x=1\n",
        "FROM a:1\nRUN apt-get install -y x=1\n",
    );
    quiet("DL3027", "FROM a:1\nRUN apt-get install -y x=1\n");
}

#[test]
fn dl3019_apk_cache() {
    fires("DL3019", "FROM a:1\nRUN «apk add x=1»\n");
    quiet(
        "DL3019",
        "FROM a:1\nRUN --mount=type=cache,target=/var/cache/apk apk add x=1\n",
    );
    fixes(
        "DL3019",
        "FROM a:1\nRUN apk add x=1\n",
        "FROM a:1\nRUN apk add --no-cache x=1\n",
    );
}

#[test]
fn dl3045_relative_copy() {
    fires("DL3045", "FROM a:1\nCOPY x «app/»\n");
    quiet("DL3045", "FROM a:1\nWORKDIR /w\nCOPY x app/\nCOPY y /abs\n");
    quiet("DL3045", "FROM a:1 AS b\nWORKDIR /w\nFROM b\nCOPY x app/\n");
}

#[test]
fn dl3016_npm_pinning() {
    fires(
        "DL3016",
        "FROM a:1\nRUN npm install -g «typescript» @types/node@20 lodash@4 ./local\n",
    );
    quiet("DL3016", "FROM a:1\nRUN npm install\nRUN npm ci\n");
}

#[test]
fn copy_from_rules() {
    fires(
        "DL3022",
        "FROM a:1 AS x\nCOPY --from=«y» /a /b\nCOPY --from=x /a /b\nCOPY --from=0 /a /b\nCOPY --from=nginx:1 /a /b\n",
    );
    fires("DL3023", "FROM a:1 AS x\nCOPY --from=«x» /a /b\n");
    fires("DL3067", "FROM a:1 AS x\nFROM b:1\n«COPY» --from=x / /\n");
    fires("DL3021", "FROM a:1\nCOPY a b «c»\n");
    fixes(
        "DL3021",
        "FROM a:1\nCOPY a b c\n",
        "FROM a:1\nCOPY a b c/\n",
    );
}

#[test]
fn dl3026_trusted_registries() {
    let options = Options {
        trusted_registries: vec!["docker.io".into(), "*.corp.example".into()],
        ..Options::default()
    };
    fires_with(
        "DL3026",
        "FROM «ghcr.io/x/y:1» AS b\nFROM r.corp.example/z:1\nFROM b\nFROM ubuntu:22.04\n",
        &options,
    );
    quiet("DL3026", "FROM ghcr.io/x/y:1\n");
}

#[test]
fn rpm_and_zypper_rules() {
    // An RPM file is pinned (hadolint reports it: it looks for a dash first).
    fires(
        "DL3033",
        "FROM a:1\nRUN yum install -y «httpd» php-7.4.1 ./x.rpm\n",
    );
    fires("DL3041", "FROM a:1\nRUN dnf install -y «httpd» php-7.4.1\n");
    quiet("DL3041", "FROM a:1\nARG V=1\nRUN dnf install -y php-${V}\n");
    fires("DL3037", "FROM a:1\nRUN zypper install -y «httpd» php=7\n");
    fires("DL3030", "FROM a:1\nRUN «yum install httpd-2»\n");
    fires("DL3038", "FROM a:1\nRUN «dnf install httpd-2»\n");
    fires("DL3034", "FROM a:1\nRUN «zypper install httpd=2»\n");
    fires("DL3035", "FROM a:1\nRUN «zypper dup»\n");
    // Ours is right where hadolint is quiet: `rm -rf /tmp` cleans no yum cache.
    fires(
        "DL3032",
        "FROM a:1\nRUN «yum install -y x-1» && rm -rf /tmp\n",
    );
    quiet(
        "DL3032",
        "FROM a:1\nRUN yum install -y x-1 && rm -rf /var/cache/yum/*\n",
    );
    quiet(
        "DL3032",
        "FROM a:1\nRUN yum install -y x-1 && yum clean all\n",
    );
    fires("DL3036", "FROM a:1\nRUN «zypper install -y x=1»\n");
    fires("DL3040", "FROM a:1\nRUN «dnf install -y x-1»\n");
    quiet(
        "DL3040",
        "FROM a:1\nRUN dnf install -y x-1 && dnf clean all\n",
    );
}

#[test]
fn other_shell_rules() {
    fires("DL3028", "FROM a:1\nRUN gem install «rails» bundler:2\n");
    fires(
        "DL3062",
        "FROM a:1\nRUN go install «golang.org/x/tools/gopls@latest» example.com/a@v1\n",
    );
    fires("DL3046", "FROM a:1\nRUN «useradd» -u 1000000 app\n");
    quiet(
        "DL3046",
        "FROM a:1\nRUN useradd -l -u 1000000 app && useradd -u 1000 b\n",
    );
    fires(
        "DL4001",
        "FROM a:1\nRUN curl u\n«RUN» wget -q v\nFROM b:1\nRUN wget -q u\n",
    );
    fires("DL4005", "FROM a:1\nRUN «ln -sf /bin/bash /bin/sh»\n");
    fires("DL3060", "FROM a:1\nRUN «yarn install»\n");
    quiet("DL3060", "FROM a:1\nRUN yarn install && yarn cache clean\n");
    fires(
        "DL3010",
        "FROM a:1\n«COPY» app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n",
    );
}

#[test]
fn instruction_rules() {
    fires("DL3011", "FROM a:1\nEXPOSE 80 «70000» 8000-9000\n");
    fires("DL3043", "FROM a:1\nONBUILD «FROM» b\n");
    fires(
        "DL3044",
        "FROM a:1\n«ENV» A=1 B=$A\nENV C=1\nENV C=2 D=${C}\n",
    );
    fires("DL3061", "«RUN» x\nFROM a:1\n");
    fires(
        "DL3064",
        "FROM a:1\n«ARG» GITHUB_TOKEN\n«ENV» DB_PASSWORD=x\nARG VERSION\n",
    );
    fires(
        "DL3066",
        "FROM a:1\nUSER «app»\nUSER 1000:1000\nARG U\nUSER $U\n",
    );
    fires(
        "DL3048",
        "FROM a:1\nLABEL «Maintainer»=x org.opencontainers.image.title=y «com.docker.x»=z\n",
    );
    fires(
        "DL3029",
        "FROM «--platform=linux/amd64» a:1\nFROM --platform=$BUILDPLATFORM b:1\n",
    );
}

#[test]
fn label_schema_rules() {
    let options = Options {
        label_schema: vec![
            ("maintainer".into(), LabelType::Email),
            ("version".into(), LabelType::SemVer),
            ("revision".into(), LabelType::Hash),
            ("url".into(), LabelType::Url),
            ("created".into(), LabelType::Rfc3339),
            ("license".into(), LabelType::Spdx),
        ],
        strict_labels: true,
        ..Options::default()
    };
    let cases = [
        ("DL3058", "maintainer=«nobody»"),
        ("DL3056", "version=«1.2»"),
        ("DL3055", "revision=«xyz»"),
        ("DL3052", "url=«not-a-url»"),
        ("DL3053", "created=«yesterday»"),
        ("DL3054", "license=«\"MIT?\"»"),
        ("DL3050", "«other»=1"),
    ];
    for (code, label) in cases {
        fires_with(code, &format!("FROM a:1\nLABEL {label}\n"), &options);
    }
    let good = "FROM a:1\nLABEL maintainer=a@b.c version=1.2.3-rc.1 revision=0123abc url=https://x created=2024-01-31T12:00:00Z license=\"MIT OR Apache-2.0\"\n";
    for code in ["DL3058", "DL3056", "DL3055", "DL3052", "DL3053", "DL3054"] {
        fires_with(code, good, &options);
    }
    fires_with(
        "DL3049",
        "«FROM» a:1\nLABEL version=1.0.0\n",
        &Options {
            label_schema: vec![("maintainer".into(), LabelType::Text)],
            ..Options::default()
        },
    );
}

#[test]
fn powershell_gets_no_shell_rules() {
    quiet(
        "DL3003",
        "FROM a:1\nSHELL [\"powershell\", \"-Command\"]\nRUN cd C:\\x; apt-get install y\n",
    );
    quiet(
        "DL3008",
        "FROM a:1\nSHELL [\"powershell\", \"-Command\"]\nRUN apt-get install y\n",
    );
}

#[test]
fn every_rule_has_a_distinct_code_and_aliases_are_not_rules() {
    let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    let before = codes.len();
    codes.dedup();
    assert_eq!(before, codes.len());
    for (alias, _) in ALIASES {
        assert!(
            rule_named(alias).is_none(),
            "{alias} is reported by BuildKit's rule"
        );
    }
}

/// `rules DL3008`, hover and SARIF's help show the rule's own explanation: each is written
/// for its rule (none shared, none a template around the summary).
#[test]
fn every_rule_has_its_own_explanation() {
    let mut seen = std::collections::HashSet::new();
    assert_eq!(super::engine_table::ENGINE_RULES.len(), super::RULES.len());
    for rule in super::engine_table::ENGINE_RULES {
        let text = rule.explanation;
        assert!(text.len() > 80, "{}: too short: {text}", rule.id);
        assert!(
            !text.contains(rule.summary),
            "{}: repeats its summary: {text}",
            rule.id
        );
        assert!(seen.insert(text), "{}: shares its explanation", rule.id);
    }
}
