//! `RUN --mount=type=<t>,key=value,...`, read as BuildKit's `parseMount` reads it.
//!
//! The value is one CSV record. Keys are case-insensitive and checked in order: `required`
//! and `size` against the type seen so far (so `type=` should come first), the rest against
//! the final type. Values are variable-expanded before they are checked (except `from`,
//! which may not contain variables), so a value with `$` is only checked for its key.

use std::borrow::Cow;
use std::ops::Range;

use super::copy_from::{SourceKind, check_source};
use super::{CommandCx, Cx, Out, parse_go_bool, parse_go_uint};
use crate::catalog::{self, did_you_mean};
use crate::model::{Flag, ascii_lowercase};
use crate::syntax::InstructionKind;

/// The mount types, as BuildKit spells them (it lowercases the value first).
const MOUNT_TYPE_NAMES: [&str; 5] = ["bind", "cache", "tmpfs", "secret", "ssh"];

/// The keys BuildKit's parser knows, in the order it suggests them from.
const BUILDKIT_KEYS: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

pub(super) fn check_command(cx: &Cx, c: &CommandCx, out: &mut Out) {
    for flag in c.cmd.flags.iter().filter(|f| f.name == "mount") {
        if let Some(value) = flag.value.as_deref() {
            check_mount(cx, c, flag, value, out);
        }
    }
}

/// One `key[=value]` field of the record, with ranges inside the flag's value.
pub(crate) struct Field<'v> {
    /// Borrowed from the flag's value unless CSV quotes changed the text.
    pub key: Cow<'v, str>,
    pub value: Option<Cow<'v, str>>,
    pub key_range: Range<usize>,
    pub value_range: Range<usize>,
    pub range: Range<usize>,
    /// Written in CSV quotes, so the text differs from the source and fixes are unsafe.
    pub quoted: bool,
}

/// A key that was given, for the checks that need the whole mount.
struct Given<'v> {
    doc: &'static catalog::mounts::MountKeyDoc,
    field: Range<usize>,
    key_range: Range<usize>,
    value: Option<Cow<'v, str>>,
}

fn check_mount(cx: &Cx, c: &CommandCx, flag: &Flag, value: &str, out: &mut Out) {
    let at = |r: Range<usize>| c.flag_value_sub_range(flag, r);
    let exact = |r: Range<usize>| c.flag_value_sub_exact(flag, r);
    if value.is_empty() {
        out.error(
            c.abs(&flag.range),
            "invalid-mount",
            "--mount needs a value: --mount=type=<bind|cache|tmpfs|secret|ssh>,target=<path>",
        );
        return;
    }
    // Invalid CSV is all BuildKit reports. Only a quote makes a record invalid, and looking
    // for one first, rather than collecting the fields, saves an allocation per mount.
    if value.contains('"')
        && let Some(Err((range, reason))) = csv_fields(value).find(Result::is_err)
    {
        out.error(
            at(range),
            "invalid-mount",
            format!("--mount is not valid CSV: {reason}"),
        );
        return;
    }
    // `None` once the type is unknown (a variable, or an unknown name reported already).
    let mut ty: Option<&'static str> = Some(catalog::mounts::DEFAULT_MOUNT_TYPE);
    let mut given: Vec<Given> = Vec::new();
    let mut from_done = false;
    // An unknown key is likely a misspelt known one: then "missing" checks would only echo it.
    let mut unknown = false;
    for field in csv_fields(value).flatten() {
        let key = ascii_lowercase(&field.key);
        if key.is_empty() {
            // An empty field: point at the comma that made it.
            let range = match field.value {
                None if field.range.start > 0 => field.range.start - 1..field.range.start,
                None => 0..1.min(value.len()),
                Some(_) => field.range.clone(),
            };
            let message = if field.value.is_some() {
                "a --mount field needs a key before `=`"
            } else {
                "empty --mount field: remove the extra comma"
            };
            out.error(at(range), "invalid-mount", message);
            unknown = true;
            continue;
        }
        let Some(doc) = catalog::mounts::any_mount_key(&key) else {
            unknown_key(&key, &field, &at, &exact, out);
            unknown = true;
            continue;
        };
        let ty_so_far = ty;
        let not_allowed_so_far = |t: &str| match doc.name {
            "required" => !matches!(t, "secret" | "ssh"),
            "size" => t != "tmpfs",
            _ => false,
        };
        if let Some(t) = ty_so_far
            && not_allowed_so_far(t)
        {
            let needs = if doc.name == "size" {
                "tmpfs"
            } else {
                "secret or ssh"
            };
            out.error(
                at(field.key_range.clone()),
                "mount-key-not-allowed",
                format!(
                    "`{key}` is only valid on {needs} mounts, and BuildKit checks it against the type given before it (here {t}): put `type=` first"
                ),
            );
        }
        given.push(Given {
            doc,
            field: field.range.clone(),
            key_range: field.key_range.clone(),
            value: field.value.clone(),
        });
        let Some(v) = field.value.as_deref() else {
            if !doc.may_be_bare {
                out.error(
                    at(field.range.clone()),
                    "mount-missing-value",
                    format!("`{key}` needs a value: {key}=<value>"),
                );
            }
            continue;
        };
        // The parser rejects variables in `from` before it knows the type.
        if doc.name == "from" && v.find('$').is_some_and(|i| i + 1 != v.len()) {
            if let Some(g) = given.last() {
                from_source(cx, c, flag, g, out);
            }
            from_done = true;
            continue;
        }
        if v.contains('$') {
            if doc.name == "type" {
                ty = None;
            }
            continue;
        }
        let value_range = || at(field.value_range.clone());
        let invalid = |out: &mut Out, expected: &str| {
            out.error(
                value_range(),
                "invalid-mount-value",
                format!("invalid value `{v}` for `{key}`: {expected}"),
            );
        };
        match doc.name {
            "type" => match MOUNT_TYPE_NAMES.iter().find(|t| t.eq_ignore_ascii_case(v)) {
                Some(t) => ty = Some(t),
                None => {
                    ty = None;
                    let suggestion = did_you_mean(v, MOUNT_TYPE_NAMES);
                    let mut message = format!("unsupported mount type `{v}`");
                    match suggestion {
                        Some(s) => message.push_str(&format!(" (did you mean {s}?)")),
                        None => message.push_str(": use bind, cache, tmpfs, secret or ssh"),
                    }
                    let found = out.error(value_range(), "unknown-mount-type", message);
                    if let Some(s) = suggestion
                        && !field.quoted
                        && let Some(r) = exact(field.value_range.clone())
                    {
                        found.fix(format!("Change to {s}"), r, s);
                    }
                }
            },
            "ro" | "rw" | "required" if parse_go_bool(v).is_none() => {
                invalid(out, "use true or false");
            }
            "size" if !is_ram_size(v) => invalid(out, "use a size such as 64m or 1g"),
            "sharing" => {
                let modes = ["shared", "private", "locked"];
                if !modes.iter().any(|m| m.eq_ignore_ascii_case(v)) {
                    let suggestion = did_you_mean(v, modes);
                    let found = out.error(
                        value_range(),
                        "invalid-mount-value",
                        format!("invalid value `{v}` for `sharing`: use shared, private or locked"),
                    );
                    if let Some(s) = suggestion
                        && !field.quoted
                        && let Some(r) = exact(field.value_range.clone())
                    {
                        found.fix(format!("Change to {s}"), r, s);
                    }
                }
            }
            "mode" if parse_go_uint(v, 8, 32).is_none() => {
                invalid(out, "use an octal mode such as 0755");
            }
            "uid" | "gid" if parse_go_uint(v, 10, 32).is_none() => {
                invalid(out, "use a numeric ID such as 1000");
            }
            _ => {}
        }
    }
    if from_done {
        given.retain(|g| g.doc.name != "from");
    }
    let Some(ty) = ty else {
        if let Some(from) = given.iter().find(|g| g.doc.name == "from") {
            from_source(cx, c, flag, from, out);
        }
        return;
    };
    whole_mount(cx, c, flag, ty, &given, unknown, out);
}

fn unknown_key(
    key: &str,
    field: &Field,
    at: &impl Fn(Range<usize>) -> Range<usize>,
    exact: &impl Fn(Range<usize>) -> Option<Range<usize>>,
    out: &mut Out,
) {
    let range = at(field.key_range.clone());
    let suggestion = did_you_mean(key, BUILDKIT_KEYS);
    let mut message = format!("unknown --mount key `{key}`");
    match suggestion {
        Some(s) => message.push_str(&format!(" (did you mean `{s}`?)")),
        None => message.push_str(": see the keys of `RUN --mount` in the Dockerfile reference"),
    }
    let found = out.error(range, "unknown-mount-key", message);
    if let Some(s) = suggestion
        && !field.quoted
        && let Some(r) = exact(field.key_range.clone())
    {
        found.fix(format!("Change to `{s}`"), r, s);
    }
}

/// The checks BuildKit makes once the whole record is read and the type is final.
fn whole_mount(
    cx: &Cx,
    c: &CommandCx,
    flag: &Flag,
    ty: &'static str,
    given: &[Given],
    unknown: bool,
    out: &mut Out,
) {
    let at = |r: Range<usize>| c.flag_value_sub_range(flag, r);
    let has = |key: &str| given.iter().any(|g| g.doc.name == key);
    for g in given {
        let doc = g.doc;
        let key_range = || at(g.key_range.clone());
        match doc.name {
            "mode" | "uid" | "gid" if !matches!(ty, "cache" | "secret" | "ssh") => {
                out.error(
                    key_range(),
                    "mount-key-not-allowed",
                    format!(
                        "`{}` is not allowed on {ty} mounts, only on cache, secret and ssh",
                        doc.name
                    ),
                );
            }
            "sharing" if ty != "cache" => {
                out.error(
                    key_range(),
                    "mount-key-not-allowed",
                    format!("`sharing` only applies to cache mounts, not {ty}"),
                );
            }
            "from" if ty == "secret" => {
                out.error(
                    key_range(),
                    "mount-key-not-allowed",
                    "a secret mount cannot have `from`: secrets come from `docker build --secret`",
                );
            }
            // Reported while reading the record, against the type seen so far.
            "required" | "size" | "type" | "ro" | "rw" => {}
            _ if !doc.applies_to(ty) && !doc.is_rejected_on(ty) => {
                out.warning(
                    at(g.field.clone()),
                    "mount-key-ignored",
                    format!("`{}` has no effect on a {ty} mount: remove it", doc.name),
                );
            }
            _ => {}
        }
    }
    if ty == "secret" {
        if !unknown && !has("source") && !has("target") && !has("id") {
            out.error(
                c.flag_value_range(flag),
                "mount-missing-key",
                "a secret mount needs `id` (or `source` or `target`): --mount=type=secret,id=<id>",
            );
        }
        if has("source") && has("id") {
            let range = given
                .iter()
                .find(|g| g.doc.name == "source")
                .map_or_else(|| c.flag_value_range(flag), |g| at(g.field.clone()));
            out.error(
                range,
                "mount-conflicting-keys",
                "a secret mount takes `source` or `id`, not both: remove `source`",
            );
        }
    }
    if matches!(ty, "bind" | "cache" | "tmpfs") {
        match given.iter().find(|g| g.doc.name == "target") {
            Some(t) if t.value.as_deref() == Some("/") => {
                out.error(
                    at(t.field.clone()),
                    "mount-invalid-target",
                    "a mount cannot replace the root directory: choose another target",
                );
            }
            Some(_) => {}
            // A trigger runs in another build, whose working directory is unknown here.
            None if !unknown && !c.trigger && !has_workdir(cx, c) => {
                out.warning(
                    c.flag_value_range(flag),
                    "mount-missing-target",
                    "without `target`, the mount goes to the working directory, and BuildKit fails if that is `/`: add target=<path>",
                );
            }
            None => {}
        }
    }
    if !matches!(ty, "tmpfs" | "secret")
        && let Some(from) = given.iter().find(|g| g.doc.name == "from")
    {
        from_source(cx, c, flag, from, out);
    }
}

fn from_source(cx: &Cx, c: &CommandCx, flag: &Flag, from: &Given, out: &mut Out) {
    let Some(value) = from.value.as_deref() else {
        return;
    };
    // The value follows `from=` in the field.
    let start = from.key_range.end + 1;
    let sub = start..start + value.len();
    check_source(cx, c, flag, value, sub, SourceKind::MountFrom, out);
}

/// Whether a WORKDIR was set before instruction `c.index`, in its stage or a stage it builds
/// on. (The base image may set one too, which is why a missing target is only a warning.)
fn has_workdir(cx: &Cx, c: &CommandCx) -> bool {
    let model = cx.model;
    let Some(stage) = model.stage_of(c.index) else {
        return true;
    };
    let mut current = Some(stage.index);
    let mut before = c.index;
    while let Some(si) = current {
        let Some(s) = model.stages.get(si) else {
            break;
        };
        let end = before.min(s.end_instruction);
        if (s.instruction + 1..end).any(|i| {
            model
                .instructions
                .get(i)
                .is_some_and(|inst| inst.kind() == InstructionKind::Workdir)
        }) {
            return true;
        }
        current = model.parent_stage(si);
        before = usize::MAX;
    }
    false
}

/// The fields of a CSV record as Go's `encoding/csv` reads one (comma-separated, `"`-quoted
/// fields with `""` for a quote), with ranges in `value`; an error, with its place, ends them.
pub(crate) fn csv_fields(value: &str) -> impl Iterator<Item = Result<Field<'_>, CsvError>> {
    let mut next = Some(0);
    std::iter::from_fn(move || {
        let field = csv_field(value, next?);
        next = match &field {
            Ok(f) if f.range.end < value.len() => Some(f.range.end + 1),
            _ => None,
        };
        Some(field)
    })
}

/// Where a record is not valid CSV, and why.
pub(crate) type CsvError = (Range<usize>, &'static str);

/// The field of a CSV record that starts at byte `start` of `value`.
fn csv_field(value: &str, start: usize) -> Result<Field<'_>, CsvError> {
    if value.as_bytes().get(start) == Some(&b'"') {
        quoted_field(value, start)
    } else {
        plain_field(value, start)
    }
}

/// A field without quotes, borrowed from `value`.
fn plain_field(value: &str, start: usize) -> Result<Field<'_>, CsvError> {
    // Fields are short: one loop over their bytes finds the end, a stray quote and the
    // first `=` faster than a search for each.
    let mut end = value.len();
    let mut equals = None;
    for (i, &b) in value.as_bytes().iter().enumerate().skip(start) {
        match b {
            b',' => {
                end = i;
                break;
            }
            b'"' => return Err((i..i + 1, "a quote inside an unquoted field")),
            b'=' if equals.is_none() => equals = Some(i),
            _ => {}
        }
    }
    let (key_end, value_range) = match equals {
        Some(eq) => (eq, Some(eq + 1..end)),
        None => (end, None),
    };
    Ok(Field {
        key: Cow::Borrowed(&value[start..key_end]),
        value: value_range.clone().map(|r| Cow::Borrowed(&value[r])),
        key_range: start..key_end,
        value_range: value_range.unwrap_or(end..end),
        range: start..end,
        quoted: false,
    })
}

/// A field in quotes, whose text (without them, and with `""` read as `"`) is a copy.
fn quoted_field(value: &str, start: usize) -> Result<Field<'_>, CsvError> {
    let bytes = value.as_bytes();
    let mut text = String::new();
    let mut i = start + 1;
    loop {
        match value[i..].find('"') {
            None => return Err((start..value.len(), "a quoted field is not closed")),
            Some(q) => {
                text.push_str(&value[i..i + q]);
                i += q + 1;
                if bytes.get(i) == Some(&b'"') {
                    text.push('"');
                    i += 1;
                } else {
                    break;
                }
            }
        }
    }
    if i < bytes.len() && bytes[i] != b',' {
        return Err((start..i, "text after a closing quote"));
    }
    let end = i;
    let (key, field_value) = match text.split_once('=') {
        Some((k, v)) => (k.to_string(), Some(Cow::Owned(v.to_string()))),
        None => (text, None),
    };
    // The key and value are not where the text is in the source: point at the whole field.
    let value_range = if field_value.is_some() {
        start..end
    } else {
        end..end
    };
    Ok(Field {
        key: Cow::Owned(key),
        value: field_value,
        key_range: start..end,
        value_range,
        range: start..end,
        quoted: true,
    })
}

/// `units.RAMInBytes`: a number, an optional space, then an optional unit `k`, `m`, `g`,
/// `t` or `p` (any case), optionally followed by `i` and `b`.
fn is_ram_size(s: &str) -> bool {
    let number_len = s
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let (number, mut rest) = s.split_at(number_len);
    if number.is_empty()
        || number.starts_with('.')
        || number.ends_with('.')
        || number.matches('.').count() > 1
    {
        return false;
    }
    rest = rest.strip_prefix(' ').unwrap_or(rest);
    rest = rest
        .strip_prefix(['k', 'K', 'm', 'M', 'g', 'G', 't', 'T', 'p', 'P'])
        .unwrap_or(rest);
    rest = rest.strip_prefix(['i', 'I']).unwrap_or(rest);
    rest = rest.strip_prefix(['b', 'B']).unwrap_or(rest);
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::super::test_util::check;
    use super::*;

    #[test]
    fn valid_mounts() {
        check(
            "FROM a AS deps\nFROM b\nWORKDIR /src\n\
             RUN --mount=type=cache,target=/root/.cache,sharing=locked,mode=0700,uid=1000,gid=1000 \\\n\
             --mount=type=secret,id=tok,env=TOK,required \\\n\
             --mount=type=ssh \\\n\
             --mount=type=tmpfs,target=/tmp,size=64m \\\n\
             --mount=from=deps,source=/out,target=/in,ro \\\n\
             --mount=target=.,rw=true x\n",
            &[],
        );
    }

    #[test]
    fn keys_and_types() {
        check(
            "FROM a\nRUN --mount=type=cahce,tagret=/x y\n",
            &[
                ("unknown-mount-type", "cahce"),
                ("unknown-mount-key", "tagret"),
            ],
        );
        check(
            "FROM a\nRUN --mount=type=cache,target y\n",
            &[("mount-missing-value", "target")],
        );
        check("FROM a\nRUN --mount=Type=Cache,Target=/x y\n", &[]);
    }

    #[test]
    fn values() {
        check(
            "FROM a\nRUN --mount=type=cache,target=/x,sharing=lock,mode=999,uid=me,ro=maybe y\n",
            &[
                ("invalid-mount-value", "lock"),
                ("invalid-mount-value", "999"),
                ("invalid-mount-value", "me"),
                ("invalid-mount-value", "maybe"),
            ],
        );
        check(
            "FROM a\nRUN --mount=type=tmpfs,target=/t,size=lots y\n",
            &[("invalid-mount-value", "lots")],
        );
        check(
            "FROM a\nRUN --mount=type=cache,target=/x,id=$ID,mode=$M y\n",
            &[],
        );
    }

    #[test]
    fn per_type_rules() {
        check(
            "FROM a\nWORKDIR /w\nRUN --mount=type=bind,mode=0755,sharing=shared,required y\n",
            &[
                ("mount-key-not-allowed", "mode"),
                ("mount-key-not-allowed", "sharing"),
                ("mount-key-not-allowed", "required"),
            ],
        );
        check(
            "FROM a\nRUN --mount=required,type=secret,id=x y\n",
            &[("mount-key-not-allowed", "required")],
        );
        check(
            "FROM a\nRUN --mount=size=1m,type=tmpfs,target=/t y\n",
            &[("mount-key-not-allowed", "size")],
        );
        check(
            "FROM a AS s\nFROM b\nRUN --mount=type=secret,from=s,id=x y\n",
            &[("mount-key-not-allowed", "from")],
        );
        check(
            "FROM a\nRUN --mount=type=secret y\n",
            &[("mount-missing-key", "type=secret")],
        );
        check(
            "FROM a\nRUN --mount=type=secret,id=a,source=b y\n",
            &[("mount-conflicting-keys", "source=b")],
        );
        check(
            "FROM a\nRUN --mount=type=cache,target=/c,env=X y\n",
            &[("mount-key-ignored", "env=X")],
        );
    }

    #[test]
    fn targets() {
        check(
            "FROM a\nRUN --mount=type=bind,target=/ y\n",
            &[("mount-invalid-target", "target=/")],
        );
        check(
            "FROM a\nRUN --mount=type=bind y\n",
            &[("mount-missing-target", "type=bind")],
        );
        check(
            "FROM a AS b\nWORKDIR /w\nFROM b\nRUN --mount=type=bind y\n",
            &[],
        );
    }

    #[test]
    fn from_values() {
        check(
            "FROM a\nRUN --mount=from=$STAGE,target=/x y\nRUN --mount=from=later,target=/x y\nFROM b AS later\n",
            &[
                ("from-variable", "$STAGE"),
                ("forward-stage-reference", "later"),
            ],
        );
        check(
            "FROM a\nRUN --mount=type=tmpfs,from=$X,target=/t y\n",
            &[("from-variable", "$X")],
        );
        check(
            "FROM a AS s\nFROM b\nRUN --mount=type=tmpfs,from=s,target=/t y\n",
            &[("mount-key-ignored", "from=s")],
        );
        // A close stage name is suggested on every stage reference, as for FROM.
        check(
            "FROM a AS base\nFROM b\nRUN --mount=from=bse,target=/x y\n",
            &[("stage-name-typo", "bse")],
        );
    }

    #[test]
    fn csv() {
        check("FROM a\nRUN --mount='type=cache,\"target=/x,y\"' z\n", &[]);
        check(
            "FROM a\nRUN --mount='type=cache,tar\"get=/x' z\n",
            &[("invalid-mount", "--mount='type=cache,tar\"get=/x'")],
        );
        check("FROM a\nRUN --mount= z\n", &[("invalid-mount", "--mount=")]);
        assert!(is_ram_size("64m"));
        assert!(is_ram_size("1.5 GiB"));
        assert!(is_ram_size("1024"));
        assert!(!is_ram_size("m"));
        assert!(!is_ram_size("1x"));
    }
}
