//! What BuildKit's converter (`dockerfile2llb`) does with the model before anything is
//! pulled or run: the global ARGs, each stage's base and platform, and every word it
//! expands with the variables in scope, stage by stage. It records what BuildKit refuses
//! there (with BuildKit's messages) and the facts its build checks read: variables found
//! unset, the expanded FROM lines, the environment of each stage.
//!
//! Only words that have something to expand (a `$`, quotes, the escape character) are run
//! through the lexer and recorded; the rest are their own value, which keeps a keystroke on a
//! large file cheap. Read a word's value with [`Converted::value`].

pub mod platform;

use std::ops::Range;
use std::sync::Arc;

use crate::analysis::rules::{BaseImages, ImageConfig, Inputs};
use crate::analysis::shift::Shift;
use crate::catalog::suggest::buildkit_suggestion;
use crate::model::go_quote::go_quote;
use crate::model::lex::{Env, Lex, Processed};
use crate::model::{Arguments, Instruction, Model, Severity, SpannedStr, image_ref};
use crate::syntax::InstructionKind;

pub use platform::Platform;

/// ARGs BuildKit never turns into environment variables, nor reports as undefined.
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// Something BuildKit refuses while converting the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub range: Range<usize>,
    pub code: &'static str,
    pub message: String,
    /// An error, or a warning where a build argument could make the file buildable.
    pub severity: Severity,
}

/// Which part of an instruction a word is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordKind {
    EnvKey,
    EnvValue,
    LabelKey,
    LabelValue,
    Chown,
    Chmod,
    Checksum,
    Source,
    Dest,
    Workdir,
    User,
    Volume,
    StopSignal,
    ExposePort,
    Mount,
    ArgDefault,
    Heredoc,
}

/// A word BuildKit expanded: kept for the checks when they read its value (ENV keys, COPY
/// and ADD sources, WORKDIR, EXPOSE), or when a variable in it was not set or BuildKit
/// refused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expanded {
    pub instruction: usize,
    pub kind: WordKind,
    /// Where the word is written.
    pub range: Range<usize>,
    /// Its value (empty after an error). Shared: a keystroke moves every word after the
    /// edited stage, and copying thousands of values was most of the cost.
    pub result: Arc<str>,
    /// EXPOSE: the words of the value.
    pub words: Vec<String>,
    /// Variables that were not set, as BuildKit reports them (build arguments declared in
    /// the stage and the SBOM arguments left out), each with a close name that is set.
    pub undefined: Vec<(String, Option<String>)>,
    /// Whether every base of the stage is known, so that an unset variable is really unset
    /// (a base image's configuration that is not cached might set it).
    pub env_known: bool,
    /// Whether BuildKit refused it (the instruction then fails).
    pub failed: bool,
}

/// What a stage's base is, as BuildKit resolves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// An earlier stage (its index).
    Stage(usize),
    Scratch,
    /// An image: the reference as expanded, and normalized (`docker.io/library/alpine:latest`).
    Image {
        name: String,
        normalized: String,
    },
    /// Not known: the base name could not be expanded or parsed.
    Unknown,
}

/// A FROM value (`image` or `--platform`) expanded with the global ARGs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FromValue {
    pub raw: String,
    pub range: Range<usize>,
    pub result: String,
    pub matched: Vec<String>,
    pub unmatched: Vec<String>,
    /// BuildKit's message when the lexer refused the value.
    pub error: Option<String>,
}

/// One stage as the converter sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageFacts {
    /// Index of its FROM in `Model::instructions`.
    pub instruction: usize,
    /// The name after AS, lower-cased.
    pub name: String,
    pub base_value: FromValue,
    pub platform_value: Option<FromValue>,
    pub base: Base,
    /// The platform it is built for.
    pub platform: Platform,
    /// The base image's configuration, when it is an image and its configuration is cached.
    pub image: Option<Arc<ImageConfig>>,
    /// Whether the configuration it starts from is known (scratch, a cached image, or a
    /// stage that starts from one of those).
    pub config_known: bool,
    /// The base name expanded with the ARG defaults alone (no build arguments); `None`
    /// when a default could not be expanded (BuildKit then skips that check).
    pub default_base: Option<String>,
    /// Whether the image configuration has a SHELL when the stage starts.
    pub shell_at_start: bool,
    /// Whether a WORKDIR was set by the stages it builds on.
    pub workdir_at_start: bool,
}

/// Everything the conversion found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Converted {
    pub refusals: Vec<Refusal>,
    /// Expanded words, in instruction order.
    pub words: Vec<Expanded>,
    pub stages: Vec<Arc<StageFacts>>,
    /// The names of the global ARGs and predefined platform ARGs (what FROM may use).
    pub global_names: Vec<String>,
    /// `$TARGETPLATFORM`.
    pub target_platform: String,
}

impl Converted {
    /// The value of the word of `instruction` written at `range` (`raw` as the model reads
    /// it): its expansion when it had something to expand, else itself.
    pub fn value<'a>(&'a self, instruction: usize, range: &Range<usize>, raw: &'a str) -> &'a str {
        self.expanded(instruction, range)
            .map_or(raw, |e| &*e.result)
    }

    /// The record of a word, if it was expanded.
    pub fn expanded(&self, instruction: usize, range: &Range<usize>) -> Option<&Expanded> {
        let first = self.words.partition_point(|w| w.instruction < instruction);
        self.words[first..]
            .iter()
            .take_while(|w| w.instruction == instruction)
            .find(|w| w.range == *range)
    }

    /// The expanded words of the instructions `instructions`.
    pub fn words_in(&self, instructions: Range<usize>) -> &[Expanded] {
        let first = self
            .words
            .partition_point(|w| w.instruction < instructions.start);
        let end = self
            .words
            .partition_point(|w| w.instruction < instructions.end);
        &self.words[first..end.max(first)]
    }

    /// The expanded words of one instruction.
    pub fn words_of(&self, instruction: usize) -> &[Expanded] {
        let first = self.words.partition_point(|w| w.instruction < instruction);
        let end = self.words.partition_point(|w| w.instruction <= instruction);
        &self.words[first..end]
    }
}

/// An ordered environment (`llb.EnvList`).
#[derive(Clone, Debug, Default)]
struct EnvList(Vec<(String, String)>);

impl EnvList {
    fn set(&mut self, key: &str, value: &str) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value.to_string(),
            None => self.0.push((key.to_string(), value.to_string())),
        }
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl Env for EnvList {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The state of a stage after its last instruction, for the stages built on it.
#[derive(Clone, Debug, Default)]
struct StageEnd {
    env: EnvList,
    build_args: Vec<String>,
    shell: bool,
    workdir: bool,
    config_known: bool,
    platform: Platform,
}

/// Runs the conversion over a model.
pub fn convert(model: &Model, text: &str, inputs: &Inputs, builder: &str) -> Converted {
    Conversion::new(model, text, inputs, builder).converted
}

/// A conversion, with what converting one of its stages again needs: the global ARGs, the
/// state every stage ends in, and which words and refusals each stage's instructions
/// produced.
#[derive(Clone, Debug)]
pub struct Conversion {
    pub converted: Converted,
    globals: Arc<EnvList>,
    ends: Arc<[StageEnd]>,
    /// Per stage: the range of `converted.words` and of `converted.refusals` that its
    /// instructions (not its FROM) produced.
    spans: Vec<(Range<usize>, Range<usize>)>,
}

impl Conversion {
    pub fn new(model: &Model, text: &str, inputs: &Inputs, builder: &str) -> Conversion {
        let mut c = Converter::new(model, text, inputs);
        let mut spans = Vec::with_capacity(model.stages.len());
        let mut ends: Vec<StageEnd> = Vec::new();
        let host = Platform::parse(builder, &Platform::default()).unwrap_or_else(|_| Platform {
            os: "linux".into(),
            arch: "amd64".into(),
            ..Platform::default()
        });
        let target = inputs
            .target_platform
            .as_deref()
            .and_then(|t| Platform::parse(t, &host).ok())
            .unwrap_or_else(|| host.clone());
        let defaults = default_args(&host, &target, model, &inputs.build_args);
        c.out.target_platform = defaults.get("TARGETPLATFORM").unwrap_or("").to_string();
        let first_from = model
            .stages
            .first()
            .map_or(model.instructions.len(), |s| s.instruction);
        // ARG defaults alone, as BuildKit checks the base names before the build arguments
        // apply; then with the build arguments, for the rest of the build.
        let default_globals = c.meta_args(first_from, defaults.clone(), false);
        let Some((globals, declared)) = c.meta_args(first_from, defaults, true) else {
            return Conversion {
                converted: c.out,
                globals: Arc::default(),
                ends: ends.into(),
                spans,
            };
        };
        c.out.global_names = globals.keys().map(str::to_string).collect();
        for name in &declared {
            if !c.out.global_names.contains(name) {
                c.out.global_names.push(name.clone());
            }
        }
        for (si, stage) in model.stages.iter().enumerate() {
            let facts = c.stage(
                si,
                stage.instruction,
                &globals,
                default_globals.as_ref().map(|(g, _)| g),
                &declared,
                &host,
                &target,
                &ends,
            );
            let (words, refusals) = (c.out.words.len(), c.out.refusals.len());
            let end = c.dispatch(si, &facts, &globals, &ends, stage.end_instruction);
            spans.push((words..c.out.words.len(), refusals..c.out.refusals.len()));
            c.out.stages.push(Arc::new(facts));
            ends.push(end);
        }
        Conversion {
            converted: c.out,
            globals: Arc::new(globals),
            ends: ends.into(),
            spans,
        }
    }

    /// The conversion of `model`, an edit of the model this conversion was made from, when
    /// the edit changed only instructions of stage `stage` (`None`: before the first FROM)
    /// that carry nothing to the instructions after them (RUN, COPY, ADD), and everything
    /// after that stage moved by `shift`. Only that stage's instructions are converted
    /// again; the rest is reused.
    pub fn restage(
        &self,
        model: &Model,
        text: &str,
        inputs: &Inputs,
        stage: Option<usize>,
        shift: &Shift,
    ) -> Conversion {
        let old = &self.converted;
        let mut again = None;
        if let Some(si) = stage.filter(|&si| si < self.spans.len())
            && let (Some(facts), Some(current)) = (old.stages.get(si), model.stages.get(si))
        {
            let mut c = Converter::new(model, text, inputs);
            c.dispatch(
                si,
                facts,
                &self.globals,
                &self.ends,
                current.end_instruction,
            );
            again = Some((si, c.out));
        }
        let moved_word = |w: &Expanded| Expanded {
            instruction: shift.index(w.instruction),
            range: shift.range(&w.range),
            ..w.clone()
        };
        let moved_refusal = |r: &Refusal| Refusal {
            range: shift.range(&r.range),
            ..r.clone()
        };
        let (words, refusals, spans) = match again {
            Some((si, fresh)) => {
                let (w, r) = &self.spans[si];
                let mut words = Vec::with_capacity(old.words.len() + fresh.words.len());
                words.extend_from_slice(&old.words[..w.start]);
                words.extend(fresh.words.iter().cloned());
                words.extend(old.words[w.end..].iter().map(moved_word));
                let mut refusals = Vec::with_capacity(old.refusals.len());
                refusals.extend_from_slice(&old.refusals[..r.start]);
                refusals.extend(fresh.refusals.iter().cloned());
                refusals.extend(old.refusals[r.end..].iter().map(moved_refusal));
                let dw = fresh.words.len() as isize - w.len() as isize;
                let dr = fresh.refusals.len() as isize - r.len() as isize;
                let spans = self
                    .spans
                    .iter()
                    .enumerate()
                    .map(|(j, (sw, sr))| match j.cmp(&si) {
                        std::cmp::Ordering::Less => (sw.clone(), sr.clone()),
                        std::cmp::Ordering::Equal => (
                            sw.start..sw.start + fresh.words.len(),
                            sr.start..sr.start + fresh.refusals.len(),
                        ),
                        std::cmp::Ordering::Greater => (
                            sw.start.saturating_add_signed(dw)..sw.end.saturating_add_signed(dw),
                            sr.start.saturating_add_signed(dr)..sr.end.saturating_add_signed(dr),
                        ),
                    })
                    .collect();
                (words, refusals, spans)
            }
            None => (
                old.words.iter().map(moved_word).collect(),
                old.refusals.iter().map(moved_refusal).collect(),
                self.spans.clone(),
            ),
        };
        let stages = old
            .stages
            .iter()
            .map(|f| {
                // The stages before the edit stay where they were: shared, not copied.
                if f.instruction < shift.old_index_end && f.base_value.range.end < shift.old_end {
                    return Arc::clone(f);
                }
                let mut f = StageFacts::clone(f);
                f.instruction = shift.index(f.instruction);
                f.base_value.range = shift.range(&f.base_value.range);
                if let Some(p) = &mut f.platform_value {
                    p.range = shift.range(&p.range);
                }
                Arc::new(f)
            })
            .collect();
        Conversion {
            converted: Converted {
                refusals,
                words,
                stages,
                global_names: old.global_names.clone(),
                target_platform: old.target_platform.clone(),
            },
            globals: Arc::clone(&self.globals),
            ends: Arc::clone(&self.ends),
            spans,
        }
    }
}

/// `defaultArgs`: the platform ARGs and TARGETSTAGE (a build argument replaces them).
fn default_args(
    build: &Platform,
    target: &Platform,
    model: &Model,
    build_args: &std::collections::BTreeMap<String, String>,
) -> EnvList {
    let last_name = model
        .stages
        .last()
        .and_then(|s| s.name.as_ref())
        .map(|(n, _)| n.to_string());
    let values = [
        ("BUILDPLATFORM", build.format()),
        ("BUILDOS", build.os.clone()),
        ("BUILDOSVERSION", build.os_version.clone()),
        ("BUILDARCH", build.arch.clone()),
        ("BUILDVARIANT", build.variant.clone()),
        ("TARGETPLATFORM", target.format_all()),
        ("TARGETOS", target.os.clone()),
        ("TARGETOSVERSION", target.os_version.clone()),
        ("TARGETARCH", target.arch.clone()),
        ("TARGETVARIANT", target.variant.clone()),
        ("TARGETSTAGE", last_name.unwrap_or_else(|| "default".into())),
    ];
    let mut env = EnvList::default();
    for (key, value) in values {
        let value = build_args.get(key).cloned().unwrap_or(value);
        env.set(key, &value);
    }
    env
}

struct Converter<'a> {
    model: &'a Model,
    text: &'a str,
    lex: Lex,
    out: Converted,
    images: Option<&'a dyn BaseImages>,
    build_args: &'a std::collections::BTreeMap<String, String>,
}

/// Whether a word needs the lexer: without `$`, quotes or the escape character it is its
/// own value.
fn needs_lexer(word: &str, escape: char) -> bool {
    word.bytes()
        .any(|b| matches!(b, b'$' | b'"' | b'\'') || b == escape as u8)
        || (!escape.is_ascii() && word.contains(escape))
}

impl<'a> Converter<'a> {
    fn new(model: &'a Model, text: &'a str, inputs: &'a Inputs) -> Converter<'a> {
        Converter {
            model,
            text,
            lex: Lex::new(model.escape),
            out: Converted::default(),
            images: inputs.images.as_deref(),
            build_args: &inputs.build_args,
        }
    }

    fn refuse(&mut self, range: Range<usize>, code: &'static str, message: impl Into<String>) {
        self.out.refusals.push(Refusal {
            range,
            code,
            message: message.into(),
            severity: Severity::Error,
        });
    }

    /// `buildMetaArgs`: the global ARGs in order, a build argument replacing the default
    /// (`with_build_args`). `None` when a default cannot be expanded (reported once, with
    /// the build arguments). Also the names of every global ARG, set or not.
    fn meta_args(
        &mut self,
        first_from: usize,
        mut env: EnvList,
        with_build_args: bool,
    ) -> Option<(EnvList, Vec<String>)> {
        let mut declared = Vec::new();
        for inst in self.model.instructions.iter().take(first_from) {
            let command = inst.command();
            let (InstructionKind::Arg, Arguments::List(words)) = (command.kind, &command.args)
            else {
                continue;
            };
            for word in words {
                let (key, default) = split_arg(&word.value);
                declared.push(key.to_string());
                let given = with_build_args.then(|| self.build_args.get(key)).flatten();
                let value = match (given, default) {
                    (Some(v), _) => Some(v.clone()),
                    (None, Some(default)) if needs_lexer(default, self.lex.escape) => {
                        let p = self.lex.process_word(default, &env);
                        if let Some(err) = p.error {
                            if with_build_args {
                                self.refuse(
                                    inst.abs(&word.range),
                                    "invalid-substitution",
                                    err.message,
                                );
                            }
                            return None;
                        }
                        Some(p.result)
                    }
                    (None, Some(default)) => Some(default.to_string()),
                    (None, None) => None,
                };
                if let Some(v) = value {
                    env.set(key, &v);
                }
            }
        }
        Some((env, declared))
    }

    /// Expands a FROM value with the global ARGs.
    fn expand_from_value(&self, raw: &str, range: Range<usize>, env: &EnvList) -> FromValue {
        let raw = raw.to_string();
        if !needs_lexer(&raw, self.lex.escape) {
            return FromValue {
                result: raw.clone(),
                raw,
                range,
                ..FromValue::default()
            };
        }
        let p = self.lex.process_word(&raw, env);
        FromValue {
            error: p.error.map(|e| e.message),
            result: p.result,
            matched: p.matched,
            unmatched: p.unmatched,
            raw,
            range,
        }
    }

    /// `buildDispatchStates` and `resolveBaseImage` for one stage.
    #[allow(clippy::too_many_arguments)]
    fn stage(
        &mut self,
        index: usize,
        instruction: usize,
        globals: &EnvList,
        default_globals: Option<&EnvList>,
        declared: &[String],
        host: &Platform,
        target: &Platform,
        ends: &[StageEnd],
    ) -> StageFacts {
        let model = self.model;
        let inst = &model.instructions[instruction];
        let stage = &model.stages[index];
        let name = stage
            .name
            .as_ref()
            .map(|(n, _)| n.to_string())
            .unwrap_or_default();
        let words = match &inst.command().args {
            Arguments::List(words) => words.as_slice(),
            _ => &[],
        };
        let empty = SpannedStr::default();
        let base_word = words.first().unwrap_or(&empty);
        let base_range = inst.abs(&base_word.range);
        let base_value = self.expand_from_value(&base_word.value, base_range.clone(), globals);
        let default_base = default_globals.and_then(|g| {
            if !needs_lexer(&base_word.value, self.lex.escape) {
                return Some(base_word.value.to_string());
            }
            let p = self.lex.process_word(&base_word.value, g);
            p.error.is_none().then_some(p.result)
        });
        // Whether a build argument could change the value: it uses a global ARG that has
        // no value here.
        let open = |v: &FromValue| v.unmatched.iter().any(|n| declared.contains(n));
        let mut base = Base::Unknown;
        if let Some(err) = &base_value.error {
            self.refuse(base_range.clone(), "invalid-substitution", err.clone());
        } else if base_value.result.is_empty() {
            if !open(&base_value) && !words.is_empty() {
                self.refuse(
                    base_range.clone(),
                    "blank-base-name",
                    format!("base name ({}) should not be blank", base_word.value),
                );
            }
        } else if let Some(parent) = (0..index).rev().find(|&i| {
            model.stages[i]
                .name
                .as_ref()
                .is_some_and(|(n, _)| *n == base_value.result)
        }) {
            base = Base::Stage(parent);
        } else if base_value.result == "scratch" {
            base = Base::Scratch;
        } else {
            match image_ref::parse(&base_value.result) {
                Ok(image) => {
                    base = Base::Image {
                        name: base_value.result.clone(),
                        normalized: image.normalized(),
                    }
                }
                // A base written without variables is checked by the FROM diagnostics.
                Err(err)
                    if needs_lexer(&base_word.value, self.lex.escape) && !open(&base_value) =>
                {
                    self.refuse(
                        base_range.clone(),
                        "invalid-image-reference",
                        format!(
                            "failed to parse stage name {}: invalid reference format: {err}",
                            go_quote(&base_value.result)
                        ),
                    );
                }
                Err(_) => {}
            }
        }
        let platform_value = inst
            .command()
            .flag("platform")
            .and_then(|f| {
                let value = f.value.as_ref()?;
                let range = inst.abs(f.value_range.as_ref().unwrap_or(&f.range));
                Some(self.expand_from_value(value, range, globals))
            })
            .filter(|v| !v.raw.is_empty());
        let mut platform = target.clone();
        if let Some(v) = &platform_value {
            if let Some(err) = &v.error {
                self.refuse(
                    v.range.clone(),
                    "invalid-platform",
                    format!(
                        "failed to process arguments for platform {}: {err}",
                        v.result
                    ),
                );
            } else if v.result.is_empty() {
                if !open(v) {
                    let hint = suggest_any(&v.unmatched, globals);
                    self.refuse(
                        v.range.clone(),
                        "invalid-platform",
                        format!("empty platform value from expression {}{hint}", v.raw),
                    );
                }
            } else {
                match Platform::parse(&v.result, host) {
                    Ok(p) => platform = p,
                    Err(err) => {
                        // A constant is checked by the FROM diagnostics.
                        if needs_lexer(&v.raw, self.lex.escape) && !open(v) {
                            let hint = suggest_any(&v.unmatched, globals);
                            self.refuse(
                                v.range.clone(),
                                "invalid-platform",
                                format!("failed to parse platform {}: {err}{hint}", v.raw),
                            );
                        }
                    }
                }
            }
        }
        let (image, config_known, shell, workdir) = match &base {
            Base::Stage(parent) => {
                let end = &ends[*parent];
                platform = end.platform.clone();
                (None, end.config_known, end.shell, end.workdir)
            }
            Base::Scratch => (None, true, false, false),
            Base::Image { normalized, .. } => {
                let config = self
                    .images
                    .and_then(|images| images.config(normalized, &platform.format()));
                let known = config.is_some();
                let shell = config.as_ref().is_some_and(|c| !c.shell.is_empty());
                (config, known, shell, false)
            }
            Base::Unknown => (None, false, false, false),
        };
        StageFacts {
            instruction,
            name,
            base_value,
            platform_value,
            base,
            platform,
            image,
            config_known,
            default_base,
            shell_at_start: shell,
            workdir_at_start: workdir,
        }
    }

    /// `dispatch` for the instructions of one stage; the state it ends in.
    fn dispatch(
        &mut self,
        index: usize,
        facts: &StageFacts,
        globals: &EnvList,
        ends: &[StageEnd],
        end_instruction: usize,
    ) -> StageEnd {
        let mut state = match &facts.base {
            Base::Stage(parent) => ends[*parent].clone(),
            _ => {
                let mut env = EnvList::default();
                if let Some(config) = &facts.image {
                    for entry in &config.env {
                        let (k, v) = entry.split_once('=').unwrap_or((entry, ""));
                        env.set(k, v);
                    }
                }
                // BuildKit makes sure PATH is set, except on Windows.
                if env.get("PATH").is_none() && facts.platform.os != "windows" {
                    env.set("PATH", default_path(&facts.platform.os));
                }
                StageEnd {
                    env,
                    build_args: Vec::new(),
                    shell: facts.shell_at_start,
                    workdir: false,
                    config_known: facts.config_known,
                    platform: facts.platform.clone(),
                }
            }
        };
        let _ = index;
        for i in facts.instruction + 1..end_instruction {
            let Some(inst) = self.model.instructions.get(i) else {
                break;
            };
            if inst.has_errors() {
                continue;
            }
            self.instruction(i, inst, &mut state, globals);
        }
        state
    }

    fn instruction(
        &mut self,
        i: usize,
        inst: &Instruction,
        state: &mut StageEnd,
        globals: &EnvList,
    ) {
        let command = inst.command();
        let mut words = Words {
            c: self,
            i,
            state,
            failed: false,
        };
        match (command.kind, &command.args) {
            (InstructionKind::Env | InstructionKind::Label, Arguments::Pairs(pairs)) => {
                let env = command.kind == InstructionKind::Env;
                let (k, v) = if env {
                    (WordKind::EnvKey, WordKind::EnvValue)
                } else {
                    (WordKind::LabelKey, WordKind::LabelValue)
                };
                let mut set = Vec::new();
                for pair in pairs {
                    let key = words.word(k, &pair.key.value, inst.abs(&pair.key.range));
                    let value = words.word(v, &pair.value.value, inst.abs(&pair.value.range));
                    if let (Some(key), Some(value)) = (key, value) {
                        set.push((key, value));
                    }
                }
                if env && !words.failed {
                    for (k, v) in set {
                        words.state.env.set(&k, &v);
                    }
                }
            }
            (
                InstructionKind::Copy | InstructionKind::Add,
                Arguments::List(items) | Arguments::Json(items),
            ) => {
                let add = command.kind == InstructionKind::Add;
                for name in ["chown", "chmod", "checksum"] {
                    if name == "checksum" && !add {
                        continue;
                    }
                    let kind = match name {
                        "chown" => WordKind::Chown,
                        "chmod" => WordKind::Chmod,
                        _ => WordKind::Checksum,
                    };
                    if let Some(flag) = command.flag(name)
                        && let Some(value) = &flag.value
                    {
                        let range = inst.abs(flag.value_range.as_ref().unwrap_or(&flag.range));
                        words.word(kind, value, range);
                    }
                }
                let json = command.is_json();
                if let Some((dest, sources)) = items.split_last() {
                    for src in sources {
                        let is_heredoc = !json
                            && !crate::model::heredoc::heredocs_from_line(&src.value).is_empty();
                        if !is_heredoc {
                            words.word(WordKind::Source, &src.value, inst.abs(&src.range));
                        }
                    }
                    words.word(WordKind::Dest, &dest.value, inst.abs(&dest.range));
                }
                if !words.failed {
                    // `ExpandRaw`: the bodies of heredocs that expand, with `\` as the escape
                    // character and quotes left alone.
                    let raw = Lex {
                        skip_process_quotes: true,
                        ..Lex::new('\\')
                    };
                    for h in inst.data().heredocs.iter().filter(|h| h.expand) {
                        let Some(r) = &h.content_range else { continue };
                        let content = if h.chomp {
                            crate::model::heredoc::chomp_content(&h.content)
                        } else {
                            h.content.clone()
                        };
                        words.word_with(WordKind::Heredoc, &content, inst.abs(r), raw);
                    }
                }
            }
            (InstructionKind::Workdir, Arguments::Text(t)) => {
                let range = inst.abs(&t.range);
                if let Some(v) = words.word(WordKind::Workdir, &t.value, range.clone())
                    && v.is_empty()
                {
                    words.empty_workdir(&t.value, range);
                }
            }
            (InstructionKind::User, Arguments::Text(t)) => {
                words.word(WordKind::User, &t.value, inst.abs(&t.range));
            }
            (InstructionKind::Stopsignal, Arguments::Text(t)) => {
                words.word(WordKind::StopSignal, &t.value, inst.abs(&t.range));
            }
            (InstructionKind::Volume, Arguments::List(items) | Arguments::Json(items)) => {
                for item in items {
                    if let Some(v) =
                        words.word(WordKind::Volume, &item.value, inst.abs(&item.range))
                        && v.trim().is_empty()
                        && needs_lexer(&item.value, words.c.lex.escape)
                    {
                        words.c.refuse(
                            inst.abs(&item.range),
                            "empty-volume",
                            "VOLUME specified can not be an empty string",
                        );
                        break;
                    }
                }
            }
            (InstructionKind::Expose, Arguments::List(items)) => {
                for item in items {
                    if words.failed {
                        break;
                    }
                    words.expose(&item.value, inst.abs(&item.range));
                }
            }
            (InstructionKind::Run, _) => {
                for flag in command.flags.iter().filter(|f| f.name == "mount") {
                    let Some(value) = &flag.value else { continue };
                    let exact_at = flag
                        .value_range
                        .as_ref()
                        .filter(|r| self_text(words.c.text, inst, r) == Some(value.as_str()))
                        .map(|r| inst.abs(r));
                    let whole = inst.abs(&flag.range);
                    for field in crate::analysis::diagnostics::mounts::csv_fields(value) {
                        let Ok(field) = field else { break };
                        let Some(v) = &field.value else { continue };
                        let range = match &exact_at {
                            Some(at) if !field.quoted => {
                                at.start + field.value_range.start..at.start + field.value_range.end
                            }
                            _ => whole.clone(),
                        };
                        words.word(WordKind::Mount, v, range);
                    }
                }
            }
            (InstructionKind::Arg, Arguments::List(items)) => {
                for item in items {
                    words.arg(&item.value, inst.abs(&item.range), globals);
                    if words.failed {
                        break;
                    }
                }
            }
            (InstructionKind::Shell, Arguments::Json(items)) => {
                words.state.shell = !items.is_empty();
            }
            _ => {}
        }
        if command.kind == InstructionKind::Workdir && !words.failed {
            words.state.workdir = true;
        }
    }
}

fn self_text<'t>(text: &'t str, inst: &Instruction, r: &Range<usize>) -> Option<&'t str> {
    text.get(inst.abs(r))
}

/// The words of one instruction being expanded; the first refusal ends it.
struct Words<'c, 'a> {
    c: &'c mut Converter<'a>,
    i: usize,
    state: &'c mut StageEnd,
    failed: bool,
}

impl Words<'_, '_> {
    fn word(&mut self, kind: WordKind, raw: &str, range: Range<usize>) -> Option<String> {
        let lex = self.c.lex;
        self.word_with(kind, raw, range, lex)
    }

    /// Expands one word; its value, or `None` after a refusal.
    fn word_with(
        &mut self,
        kind: WordKind,
        raw: &str,
        range: Range<usize>,
        lex: Lex,
    ) -> Option<String> {
        if self.failed {
            return None;
        }
        if !needs_lexer(raw, lex.escape) {
            return Some(raw.to_string());
        }
        let p = lex.process_word(raw, &self.state.env);
        self.record(kind, range, p, Vec::new())
    }

    /// `dispatchWorkdir` on a path that expanded to nothing: BuildKit cannot normalize it.
    /// Only a warning when an ARG declared without a value is used, as a build argument may
    /// give it one.
    fn empty_workdir(&mut self, raw: &str, range: Range<usize>) {
        let p = self.c.lex.process_word(raw, &self.state.env);
        let open = p
            .unmatched
            .iter()
            .any(|n| self.state.build_args.contains(n));
        self.c.refuse(
            range,
            "empty-workdir",
            "normalizing workdir: cannot normalize nothing",
        );
        if open && let Some(last) = self.c.out.refusals.last_mut() {
            last.severity = Severity::Warning;
        }
        self.failed = true;
    }

    /// `dispatchExpose`: a port word split into words.
    fn expose(&mut self, raw: &str, range: Range<usize>) {
        if !needs_lexer(raw, self.c.lex.escape) {
            return;
        }
        let p = self.c.lex.process_words(raw, &self.state.env);
        let words = p.words.clone();
        self.record(WordKind::ExposePort, range, p, words);
    }

    fn record(
        &mut self,
        kind: WordKind,
        range: Range<usize>,
        p: Processed,
        words: Vec<String>,
    ) -> Option<String> {
        // A close name is only worth finding where the rule will report the variable: when
        // the stage's environment is known.
        let known = self.state.config_known;
        let undefined: Vec<(String, Option<String>)> = p
            .unmatched
            .iter()
            .filter(|n| !self.state.build_args.contains(n) && !NON_ENV_ARGS.contains(&n.as_str()))
            .map(|n| {
                let close = known
                    .then(|| buildkit_suggestion(n, self.state.env.keys(), true))
                    .flatten();
                (n.clone(), close)
            })
            .collect();
        let failed = p.error.is_some();
        if let Some(err) = &p.error {
            let code = if err.required.is_some() {
                "required-variable"
            } else {
                "invalid-substitution"
            };
            self.c.refuse(range.clone(), code, err.message.clone());
            // An ARG declared without a value: a build argument may set it.
            if let Some(name) = &err.required
                && self.state.build_args.contains(name)
                && let Some(last) = self.c.out.refusals.last_mut()
            {
                last.severity = Severity::Warning;
            }
            self.failed = true;
        }
        let result = p.result;
        // What the checks read: the value of some kinds of word, and what went wrong.
        let wanted = matches!(
            kind,
            WordKind::EnvKey | WordKind::Source | WordKind::Workdir | WordKind::ExposePort
        );
        if !wanted && undefined.is_empty() && !failed {
            return Some(result);
        }
        self.c.out.words.push(Expanded {
            instruction: self.i,
            kind,
            range,
            result: result.as_str().into(),
            words,
            undefined,
            env_known: self.state.config_known,
            failed,
        });
        (!failed).then_some(result)
    }

    /// `dispatchArg` for one `name[=default]`.
    fn arg(&mut self, raw: &str, range: Range<usize>, globals: &EnvList) {
        let (key, default) = split_arg(raw);
        let given = self.c.build_args.get(key).cloned();
        let mut value = None;
        if default.is_none() && given.is_none() {
            value = globals.get(key).map(str::to_string);
        }
        if let Some(v) = given {
            value = Some(v);
        } else if let Some(default) = default {
            let start = range.start + key.len() + 1;
            value = self.word(WordKind::ArgDefault, default, start..range.end);
            if self.failed {
                return;
            }
        }
        if let Some(v) = &value
            && !NON_ENV_ARGS.contains(&key)
        {
            self.state.env.set(key, v);
        }
        if !self.state.build_args.iter().any(|k| k == key) {
            self.state.build_args.push(key.to_string());
        }
    }
}

/// `wrapSuggestAny`: ` (did you mean X?)` for the first unset name close to a set one.
fn suggest_any(unmatched: &[String], env: &EnvList) -> String {
    unmatched
        .iter()
        .find_map(|n| buildkit_suggestion(n, env.keys(), true))
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default()
}

/// An ARG word's name and default: `name=value` or `name`.
fn split_arg(word: &str) -> (&str, Option<&str>) {
    match word.split_once('=') {
        Some((k, v)) => (k, Some(v)),
        None => (word, None),
    }
}

/// `system.DefaultPathEnv`.
fn default_path(os: &str) -> &'static str {
    if os == "windows" {
        "c:\\Windows\\System32;c:\\Windows;C:\\Windows\\System32\\WindowsPowerShell\\v1.0"
    } else {
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    }
}

#[cfg(test)]
mod tests;
