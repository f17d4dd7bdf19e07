//! EXPOSE values as BuildKit's `parsePort` splits them, for the two EXPOSE checks.

use std::ops::Range;

use crate::analysis::rules::Cx;
use crate::model::{Arguments, Instruction};
use crate::syntax::InstructionKind;

/// `[ip:][hostPort:]containerPort[/proto]`, split like BuildKit's `splitParts` and
/// `splitProtoPort`.
pub(crate) struct PortParts<'a> {
    pub ip: &'a str,
    pub host: &'a str,
    /// The protocol as written, and where it starts in the value.
    pub proto: Option<(&'a str, usize)>,
}

/// The parts of one port, or `None` where BuildKit refuses it before its checks look at it
/// (no port, or a protocol other than tcp, udp and sctp).
pub(crate) fn split(raw: &str) -> Option<PortParts<'_>> {
    let parts: Vec<&str> = raw.split(':').collect();
    let n = parts.len();
    let (ip, host, container) = match n {
        1 => ("", "", parts[0]),
        2 => ("", parts[0], parts[1]),
        _ => {
            let ip_len = raw.len() - parts[n - 2].len() - parts[n - 1].len() - 2;
            (&raw[..ip_len], parts[n - 2], parts[n - 1])
        }
    };
    let container_start = raw.len() - container.len();
    let (port, proto) = match container.split_once('/') {
        Some((port, proto)) => (port, Some((proto, container_start + port.len() + 1))),
        None => (container, None),
    };
    if port.is_empty() {
        return None;
    }
    if let Some((p, _)) = proto
        && !["tcp", "udp", "sctp"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(p))
    {
        return None;
    }
    Some(PortParts { ip, host, proto })
}

/// The ports of every EXPOSE in a stage: the value as BuildKit reads it, where it is written,
/// and whether the source spells it exactly (so a fix may edit it).
pub(crate) fn ports<'a>(
    cx: &'a Cx,
) -> impl Iterator<Item = (usize, &'a Instruction, String, Range<usize>, bool)> + 'a {
    super::in_stages(cx.model).flat_map(move |(index, inst)| {
        let words = match (inst.kind(), &inst.command().args) {
            (InstructionKind::Expose, Arguments::List(words)) => words.as_slice(),
            _ => &[],
        };
        words.iter().filter_map(move |w| {
            let range = inst.abs(&w.range);
            if crate::model::image_ref::contains_variable_with_escape(&w.value, cx.model.escape) {
                return None;
            }
            let exact = cx.text.get(range.clone()) == Some(w.value.as_str())
                && !w.value.contains(['"', '\'', cx.model.escape]);
            let value = if exact {
                w.value.to_string()
            } else {
                crate::model::unquote(&w.value)
            };
            Some((index, inst, value, range, exact))
        })
    })
}
