//! EXPOSE values as BuildKit's `parsePort` splits them, for the two EXPOSE checks.

use std::ops::Range;

use crate::analysis::rules::Cx;
use crate::model::Arguments;
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

/// The ports of every EXPOSE in a stage, as BuildKit reads them: the instruction, the port,
/// where its word is written, and whether the word is written exactly as the port (so that a
/// fix may edit it). A word with variables may expand to several ports.
pub(crate) fn ports(cx: &Cx) -> Vec<(usize, String, Range<usize>, bool)> {
    let converted = cx.converted();
    let mut out = Vec::new();
    for (index, inst) in cx.in_window() {
        let (InstructionKind::Expose, Arguments::List(words)) = (inst.kind(), &inst.command().args)
        else {
            continue;
        };
        if converted.words_of(index).iter().any(|w| w.failed) {
            continue;
        }
        for w in words {
            let range = inst.abs(&w.range);
            match converted.expanded(index, &range) {
                Some(e) => {
                    if !e.env_known && !e.undefined.is_empty() {
                        continue;
                    }
                    out.extend(
                        e.words
                            .iter()
                            .map(|p| (index, p.clone(), range.clone(), false)),
                    );
                }
                None => {
                    let exact = cx.text.get(range.clone()) == Some(w.value.as_str());
                    out.push((index, w.value.to_string(), range, exact));
                }
            }
        }
    }
    out
}
