//! Node kind ids of the grammar, looked up once so views compare integers, not strings.

use std::sync::OnceLock;

use tree_sitter::Language;

use super::ast::InstructionKind;

pub(crate) struct Kinds {
    pub directive: u16,
    pub comment: u16,
    pub keyword: u16,
    pub heredoc: u16,
    pub heredoc_content: u16,
    pub heredoc_end: u16,
    pub heredoc_marker: u16,
    pub json_array: u16,
    pub line_continuation: u16,
    /// Indexed by `InstructionKind as usize`.
    instructions: [u16; InstructionKind::ALL.len()],
}

impl Kinds {
    pub fn instruction_kind(&self, id: u16) -> Option<InstructionKind> {
        self.instructions
            .iter()
            .position(|&k| k == id)
            .map(|i| InstructionKind::ALL[i])
    }
}

pub(crate) fn language() -> Language {
    tree_sitter_dockerfile_ls::LANGUAGE.into()
}

pub(crate) fn kinds() -> &'static Kinds {
    static KINDS: OnceLock<Kinds> = OnceLock::new();
    KINDS.get_or_init(|| {
        let lang = language();
        let id = |name: &str| {
            let id = lang.id_for_node_kind(name, true);
            debug_assert!(id != 0, "grammar has no node kind {name}");
            id
        };
        let mut instructions = [0u16; InstructionKind::ALL.len()];
        for (slot, kind) in instructions.iter_mut().zip(InstructionKind::ALL) {
            *slot = id(kind.node_kind());
        }
        Kinds {
            directive: id("directive"),
            comment: id("comment"),
            keyword: id("keyword"),
            heredoc: id("heredoc"),
            heredoc_content: id("heredoc_content"),
            heredoc_end: id("heredoc_end"),
            heredoc_marker: id("heredoc_marker"),
            json_array: id("json_array"),
            line_continuation: id("line_continuation"),
            instructions,
        }
    })
}
