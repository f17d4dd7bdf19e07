//! Values for `--platform` completion and the signals `STOPSIGNAL` accepts.
//!
//! BuildKit validates `STOPSIGNAL` with moby's `signal.ParseSignal`, built for Linux:
//! * a decimal integer (optionally signed) is accepted as is, unless it is `0`; the builder
//!   does not check the range, although Linux signals are 1-64;
//! * otherwise the value is uppercased, one leading `SIG` is removed, and the rest must be a
//!   known name: the 31 standard signals, the aliases `CLD`, `IOT` and `POLL`, or a real-time
//!   name `RTMIN`, `RTMIN+1`..`RTMIN+15`, `RTMAX-14`..`RTMAX-1`, `RTMAX` (numbers 34-64).
//!
//! So `SIGTERM`, `sigterm`, `TERM` and `15` are all valid; `SIGRTMIN+16` and `0` are not.
//! [`parse_stop_signal`] implements exactly that.

/// A common value for `--platform`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformDoc {
    /// The value as written, e.g. `"linux/arm/v7"`.
    pub value: &'static str,
    /// The operating-system part, e.g. `"linux"`.
    pub os: &'static str,
    /// The architecture part, e.g. `"arm"`.
    pub arch: &'static str,
    /// The variant part, e.g. `Some("v7")`.
    pub variant: Option<&'static str>,
    /// A few words on what runs this platform.
    pub summary: &'static str,
}

/// The platforms offered for `--platform` completion, most common first.
pub fn platforms() -> &'static [PlatformDoc] {
    &PLATFORMS
}

/// Looks a platform up by its exact value.
pub fn platform(value: &str) -> Option<&'static PlatformDoc> {
    PLATFORMS.iter().find(|doc| doc.value == value)
}

/// A standard Linux signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalDoc {
    /// The canonical name, with the `SIG` prefix, e.g. `"SIGTERM"`.
    pub name: &'static str,
    /// The Linux signal number (x86 and ARM numbering).
    pub number: u8,
    /// Other names for the same signal, with the `SIG` prefix.
    pub aliases: &'static [&'static str],
    /// A few words on what the signal usually means.
    pub summary: &'static str,
}

/// The 31 standard Linux signals, by number.
pub fn signals() -> &'static [SignalDoc] {
    &SIGNALS
}

/// Looks a standard signal up by name, as `STOPSIGNAL` reads it: any case, with or without
/// the `SIG` prefix, aliases included (`"term"`, `"SIGCLD"`). Real-time names are not
/// standard signals; [`parse_stop_signal`] handles those.
pub fn signal(name: &str) -> Option<&'static SignalDoc> {
    let upper = name.to_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    SIGNALS
        .iter()
        .find(|doc| doc.name[3..] == *bare || doc.aliases.iter().any(|alias| alias[3..] == *bare))
}

/// The signal Docker sends by default.
pub const DEFAULT_STOP_SIGNAL: &str = "SIGTERM";

/// What a valid `STOPSIGNAL` value denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopSignal {
    /// A signal given by name; `name` is canonical (`SIGCHLD` for `cld`, `SIGRTMIN+3` ...).
    Named { name: &'static str, number: u8 },
    /// A signal given as a number. Any non-zero integer passes the builder, even outside
    /// Linux's 1-64; [`StopSignal::is_known_number`] tells whether it is one.
    Number(i64),
}

impl StopSignal {
    /// The signal number.
    pub fn number(&self) -> i64 {
        match self {
            StopSignal::Named { number, .. } => i64::from(*number),
            StopSignal::Number(n) => *n,
        }
    }

    /// Whether the number is an existing Linux signal (1-31 standard, 34-64 real-time).
    pub fn is_known_number(&self) -> bool {
        matches!(self.number(), 1..=31 | 34..=64)
    }
}

/// Validates a `STOPSIGNAL` value (after variable expansion) the way the builder does; see the
/// module documentation. Returns `None` when BuildKit would reject it.
pub fn parse_stop_signal(value: &str) -> Option<StopSignal> {
    if let Some(number) = parse_go_int(value) {
        return (number != 0).then_some(StopSignal::Number(number));
    }
    if let Some(doc) = signal(value) {
        return Some(StopSignal::Named {
            name: doc.name,
            number: doc.number,
        });
    }
    let upper = value.to_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    REALTIME_SIGNALS
        .iter()
        .find(|(name, _)| name[3..] == *bare)
        .map(|&(name, number)| StopSignal::Named { name, number })
}

/// Names for `STOPSIGNAL` completion: the standard signals, then the real-time ones.
pub fn stop_signal_names() -> impl Iterator<Item = &'static str> {
    SIGNALS
        .iter()
        .map(|doc| doc.name)
        .chain(REALTIME_SIGNALS.iter().map(|(name, _)| *name))
}

/// Go's `strconv.Atoi`: optional sign, ASCII digits only, within `i64`.
fn parse_go_int(value: &str) -> Option<i64> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

static PLATFORMS: [PlatformDoc; 9] = [
    PlatformDoc {
        value: "linux/amd64",
        os: "linux",
        arch: "amd64",
        variant: None,
        summary: "64-bit x86 (Intel and AMD) Linux.",
    },
    PlatformDoc {
        value: "linux/arm64",
        os: "linux",
        arch: "arm64",
        variant: None,
        summary: "64-bit ARM Linux, e.g. AWS Graviton or Linux VMs on Apple silicon.",
    },
    PlatformDoc {
        value: "linux/arm/v7",
        os: "linux",
        arch: "arm",
        variant: Some("v7"),
        summary: "32-bit ARMv7 Linux, e.g. a Raspberry Pi with a 32-bit OS.",
    },
    PlatformDoc {
        value: "linux/arm/v6",
        os: "linux",
        arch: "arm",
        variant: Some("v6"),
        summary: "32-bit ARMv6 Linux, e.g. Raspberry Pi Zero and 1.",
    },
    PlatformDoc {
        value: "linux/386",
        os: "linux",
        arch: "386",
        variant: None,
        summary: "32-bit x86 Linux.",
    },
    PlatformDoc {
        value: "linux/ppc64le",
        os: "linux",
        arch: "ppc64le",
        variant: None,
        summary: "Little-endian 64-bit IBM POWER Linux.",
    },
    PlatformDoc {
        value: "linux/s390x",
        os: "linux",
        arch: "s390x",
        variant: None,
        summary: "Linux on IBM Z mainframes.",
    },
    PlatformDoc {
        value: "linux/riscv64",
        os: "linux",
        arch: "riscv64",
        variant: None,
        summary: "64-bit RISC-V Linux.",
    },
    PlatformDoc {
        value: "windows/amd64",
        os: "windows",
        arch: "amd64",
        variant: None,
        summary: "Windows on 64-bit x86.",
    },
];

const fn sig(name: &'static str, number: u8, summary: &'static str) -> SignalDoc {
    SignalDoc {
        name,
        number,
        aliases: &[],
        summary,
    }
}

static SIGNALS: [SignalDoc; 31] = [
    sig(
        "SIGHUP",
        1,
        "Hang-up; many daemons reload their configuration on it.",
    ),
    sig("SIGINT", 2, "Interrupt, as sent by Ctrl+C in a terminal."),
    sig(
        "SIGQUIT",
        3,
        "Quit; some servers, nginx among them, shut down gracefully on it.",
    ),
    sig(
        "SIGILL",
        4,
        "Illegal instruction; raised by the CPU, not meant for stopping.",
    ),
    sig("SIGTRAP", 5, "Trace or breakpoint trap, used by debuggers."),
    SignalDoc {
        aliases: &["SIGIOT"],
        ..sig(
            "SIGABRT",
            6,
            "Abort, usually raised by the program itself; may dump core.",
        )
    },
    sig(
        "SIGBUS",
        7,
        "Bus error (bad memory access); raised by the system.",
    ),
    sig(
        "SIGFPE",
        8,
        "Arithmetic error such as division by zero; raised by the system.",
    ),
    sig(
        "SIGKILL",
        9,
        "Kills at once; it cannot be caught, so no cleanup runs.",
    ),
    sig(
        "SIGUSR1",
        10,
        "User-defined; its meaning depends on the program.",
    ),
    sig(
        "SIGSEGV",
        11,
        "Invalid memory reference; raised by the system.",
    ),
    sig(
        "SIGUSR2",
        12,
        "User-defined; its meaning depends on the program.",
    ),
    sig("SIGPIPE", 13, "Write to a pipe or socket nobody reads."),
    sig("SIGALRM", 14, "Timer expired."),
    sig(
        "SIGTERM",
        15,
        "Polite request to terminate; Docker's default stop signal.",
    ),
    sig(
        "SIGSTKFLT",
        16,
        "Coprocessor stack fault; unused on modern Linux.",
    ),
    SignalDoc {
        aliases: &["SIGCLD"],
        ..sig(
            "SIGCHLD",
            17,
            "A child process stopped or exited; ignored by default.",
        )
    },
    sig("SIGCONT", 18, "Resumes a stopped process."),
    sig(
        "SIGSTOP",
        19,
        "Pauses the process and cannot be caught, so it never ends one.",
    ),
    sig("SIGTSTP", 20, "Stop request from a terminal (Ctrl+Z)."),
    sig(
        "SIGTTIN",
        21,
        "Background process tried to read from its terminal.",
    ),
    sig(
        "SIGTTOU",
        22,
        "Background process tried to write to its terminal.",
    ),
    sig("SIGURG", 23, "Urgent data on a socket; ignored by default."),
    sig("SIGXCPU", 24, "CPU time limit exceeded."),
    sig("SIGXFSZ", 25, "File size limit exceeded."),
    sig("SIGVTALRM", 26, "Virtual timer expired."),
    sig("SIGPROF", 27, "Profiling timer expired."),
    sig(
        "SIGWINCH",
        28,
        "Terminal size changed; Apache httpd uses it for a graceful stop.",
    ),
    SignalDoc {
        aliases: &["SIGPOLL"],
        ..sig("SIGIO", 29, "I/O is possible on a descriptor.")
    },
    sig("SIGPWR", 30, "Power failure."),
    sig("SIGSYS", 31, "Bad system call."),
];

static REALTIME_SIGNALS: [(&str, u8); 31] = [
    ("SIGRTMIN", 34),
    ("SIGRTMIN+1", 35),
    ("SIGRTMIN+2", 36),
    ("SIGRTMIN+3", 37),
    ("SIGRTMIN+4", 38),
    ("SIGRTMIN+5", 39),
    ("SIGRTMIN+6", 40),
    ("SIGRTMIN+7", 41),
    ("SIGRTMIN+8", 42),
    ("SIGRTMIN+9", 43),
    ("SIGRTMIN+10", 44),
    ("SIGRTMIN+11", 45),
    ("SIGRTMIN+12", 46),
    ("SIGRTMIN+13", 47),
    ("SIGRTMIN+14", 48),
    ("SIGRTMIN+15", 49),
    ("SIGRTMAX-14", 50),
    ("SIGRTMAX-13", 51),
    ("SIGRTMAX-12", 52),
    ("SIGRTMAX-11", 53),
    ("SIGRTMAX-10", 54),
    ("SIGRTMAX-9", 55),
    ("SIGRTMAX-8", 56),
    ("SIGRTMAX-7", 57),
    ("SIGRTMAX-6", 58),
    ("SIGRTMAX-5", 59),
    ("SIGRTMAX-4", 60),
    ("SIGRTMAX-3", 61),
    ("SIGRTMAX-2", 62),
    ("SIGRTMAX-1", 63),
    ("SIGRTMAX", 64),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_are_consistent() {
        assert_eq!(platforms().len(), 9);
        for doc in platforms() {
            let mut expected = format!("{}/{}", doc.os, doc.arch);
            if let Some(variant) = doc.variant {
                expected = format!("{expected}/{variant}");
            }
            assert_eq!(doc.value, expected);
            assert_eq!(platform(doc.value), Some(doc));
        }
        assert!(platform("linux/x86_64").is_none());
    }

    #[test]
    fn signals_are_numbered_one_to_thirty_one() {
        for (i, doc) in signals().iter().enumerate() {
            assert_eq!(usize::from(doc.number), i + 1, "{}", doc.name);
            assert!(doc.name.starts_with("SIG"));
            assert!(doc.aliases.iter().all(|a| a.starts_with("SIG")));
        }
        for (i, (name, number)) in REALTIME_SIGNALS.iter().enumerate() {
            assert_eq!(usize::from(*number), 34 + i, "{name}");
        }
        assert_eq!(stop_signal_names().count(), 62);
    }

    #[test]
    fn stop_signal_parsing_matches_moby() {
        let named = |v: &str| match parse_stop_signal(v) {
            Some(StopSignal::Named { name, number }) => Some((name, number)),
            _ => None,
        };
        assert_eq!(named("SIGTERM"), Some(("SIGTERM", 15)));
        assert_eq!(named("sigterm"), Some(("SIGTERM", 15)));
        assert_eq!(named("TERM"), Some(("SIGTERM", 15)));
        assert_eq!(named("SIGCLD"), Some(("SIGCHLD", 17)));
        assert_eq!(named("iot"), Some(("SIGABRT", 6)));
        assert_eq!(named("SIGRTMIN"), Some(("SIGRTMIN", 34)));
        assert_eq!(named("SIGRTMIN+3"), Some(("SIGRTMIN+3", 37)));
        assert_eq!(named("rtmax-1"), Some(("SIGRTMAX-1", 63)));
        assert_eq!(parse_stop_signal("SIGRTMIN+16"), None);
        assert_eq!(parse_stop_signal("SIGSIGTERM"), None);
        assert_eq!(parse_stop_signal("SIGFOO"), None);
        assert_eq!(parse_stop_signal(""), None);
        assert_eq!(parse_stop_signal(" 9"), None);
        assert_eq!(parse_stop_signal("9"), Some(StopSignal::Number(9)));
        assert_eq!(parse_stop_signal("+9"), Some(StopSignal::Number(9)));
        assert_eq!(parse_stop_signal("0"), None);
        assert_eq!(parse_stop_signal("-0"), None);
        let odd = parse_stop_signal("99").unwrap();
        assert_eq!(odd.number(), 99);
        assert!(!odd.is_known_number());
        assert!(parse_stop_signal("-3").is_some());
        assert!(parse_stop_signal("31").unwrap().is_known_number());
        assert!(!parse_stop_signal("32").unwrap().is_known_number());
        assert!(parse_stop_signal("SIGKILL").unwrap().is_known_number());
        assert_eq!(signal(DEFAULT_STOP_SIGNAL).map(|s| s.number), Some(15));
    }
}
