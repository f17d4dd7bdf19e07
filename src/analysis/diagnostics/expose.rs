//! EXPOSE: `<port>[-<port>][/<protocol>]`, as BuildKit's `parsePortSpec` reads it.
//!
//! BuildKit also accepts `[ip:]hostPort:containerPort`, but ignores the host part, which its
//! ExposeInvalidFormat check reports, as ExposeProtoCasing reports an upper-case protocol
//! (see [`crate::analysis::rules::buildkit`]).

use std::borrow::Cow;
use std::net::IpAddr;
use std::ops::Range;

use super::{CommandCx, Cx, Out, parse_go_uint, source_span};
use crate::model::{Arguments, unquote};

pub(super) fn check_command(cx: &Cx, c: &CommandCx, out: &mut Out) {
    let Arguments::List(items) = &c.cmd.args else {
        return;
    };
    for item in items {
        if item.value.is_empty() || cx.has_variable(&item.value) {
            continue;
        }
        let range = c.abs(&item.range);
        let verbatim = !item.value.contains(['"', '\'', cx.model.escape]);
        let spec = if verbatim {
            Cow::Borrowed(item.value.as_str())
        } else {
            Cow::Owned(unquote(&item.value))
        };
        // A sub-range of the item where its text is as written (line continuations aside);
        // an unquoted spec's offsets are not the source's, so then the whole item.
        let sub = |r: Range<usize>| {
            if verbatim {
                source_span(cx.text, cx.model.escape, range.clone(), &item.value, r).0
            } else {
                range.clone()
            }
        };
        port_spec(&spec, range.clone(), &sub, out);
    }
}

fn port_spec(
    spec: &str,
    range: Range<usize>,
    sub: &impl Fn(Range<usize>) -> Range<usize>,
    out: &mut Out,
) {
    let (mapping, container) = match spec.rfind(':') {
        Some(i) => (Some(&spec[..i]), i + 1),
        None => (None, 0),
    };
    let container_spec = &spec[container..];
    let (port, proto) = match container_spec.split_once('/') {
        Some((port, proto)) => (port, Some(proto)),
        None => (container_spec, None),
    };
    if port.is_empty() {
        out.error(
            range,
            "invalid-port",
            format!("`{spec}` has no port: write EXPOSE <port>[/<protocol>]"),
        );
        return;
    }
    if let Some(proto) = proto {
        let proto_start = container + port.len() + 1;
        let proto_range = || sub(proto_start..proto_start + proto.len());
        // No other character lowers to an ASCII letter of these names, so comparing ASCII
        // case-insensitively finds what lowering `proto` would.
        let Some(lower) = ["", "tcp", "udp", "sctp"]
            .into_iter()
            .find(|p| p.eq_ignore_ascii_case(proto))
        else {
            out.error(
                proto_range(),
                "invalid-expose-protocol",
                format!("invalid protocol `{proto}`: use tcp, udp or sctp"),
            );
            return;
        };
        // An upper-case protocol is BuildKit's ExposeProtoCasing check.
        let _ = lower;
    }
    let Some(container_ports) = port_range(port) else {
        out.error(
            sub(container..container + port.len()),
            "invalid-port",
            format!(
                "invalid port `{port}`: use a number from 0 to 65535, or a range such as 8000-8010"
            ),
        );
        return;
    };
    let Some(mapping) = mapping else {
        return;
    };
    // `[ip:]hostPort`: the IP may itself contain colons (IPv6).
    let (ip, host) = match mapping.rfind(':') {
        Some(i) => (Some(&mapping[..i]), &mapping[i + 1..]),
        None => (None, mapping),
    };
    if let Some(ip) = ip.filter(|ip| !ip.is_empty()) {
        let bare = ip
            .strip_prefix('[')
            .and_then(|i| i.strip_suffix(']'))
            .unwrap_or(ip);
        if bare.parse::<IpAddr>().is_err() {
            out.error(
                sub(0..ip.len()),
                "invalid-port",
                format!("invalid IP address `{ip}`"),
            );
            return;
        }
    }
    if !host.is_empty() {
        let host_start = mapping.len() - host.len();
        let Some(host_ports) = port_range(host) else {
            out.error(
                sub(host_start..host_start + host.len()),
                "invalid-port",
                format!("invalid host port `{host}`"),
            );
            return;
        };
        let width = |(a, b): (u64, u64)| b - a;
        if width(host_ports) != width(container_ports) && container_ports.0 != container_ports.1 {
            out.error(
                range.clone(),
                "invalid-port",
                format!("the host ports `{host}` and container ports `{port}` are ranges of different sizes"),
            );
        }
    }
    // An address or host port is BuildKit's ExposeInvalidFormat check.
}

/// `parsePortRange`: a 16-bit port, or `start-end` with start ≤ end.
fn port_range(s: &str) -> Option<(u64, u64)> {
    match s.split_once('-') {
        None => parse_go_uint(s, 10, 16).map(|p| (p, p)),
        Some((a, b)) => {
            let start = parse_go_uint(a, 10, 16)?;
            let end = parse_go_uint(b, 10, 16)?;
            (end >= start).then_some((start, end))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::check;

    #[test]
    fn ports() {
        check(
            "FROM a\nEXPOSE 80 443/tcp 53/udp 9000-9010/sctp 0 $PORT \"8080\"\n",
            &[],
        );
        check(
            "FROM a\nEXPOSE 70000 80/http 10-5 /tcp 8o\n",
            &[
                ("invalid-port", "70000"),
                ("invalid-expose-protocol", "http"),
                ("invalid-port", "10-5"),
                ("invalid-port", "/tcp"),
                ("invalid-port", "8o"),
            ],
        );
    }

    #[test]
    fn warnings() {
        // Upper-case protocols and host mappings are BuildKit's checks, not this family's.
        check("FROM a\nEXPOSE 80/TCP 8080:80 127.0.0.1:53:53/udp\n", &[]);
        check("FROM a\nEXPOSE 1.2.3:80:80\n", &[("invalid-port", "1.2.3")]);
        // A spec continued onto the next line: the ranges follow the source around the
        // continuation (and never cut through `é`).
        check(
            "FROM a\nEXPOSE 80/ht\\\ntp 8\\\né\n",
            &[
                ("invalid-expose-protocol", "ht\\\ntp"),
                ("invalid-port", "8\\\né"),
            ],
        );
    }
}
