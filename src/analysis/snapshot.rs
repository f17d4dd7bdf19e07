//! An immutable view of one document: its text, tree and model, replaced on every change.

use std::sync::{Arc, Mutex, OnceLock};

use crate::model::Model;
use crate::shell::{ShellIndex, ShellState};
use crate::syntax::Document;
use crate::text::{ContentChange, PositionEncoding};

use super::index::SymbolIndex;
use super::registry::{ImageSite, image_sites, sites_after_edit};
use super::rules::{Found, Memo};
use super::shift::EditedStage;

/// Image references found in an earlier version, with its model and text length.
type EarlierSites = (Arc<[ImageSite]>, Arc<Model>, usize);

/// One version of a document. Share it as `Arc<Snapshot>`; a change makes a new one, reusing
/// the old tree (incremental reparse) and the unchanged instructions of the old model.
#[derive(Debug)]
pub struct Snapshot {
    pub doc: Document,
    pub model: Arc<Model>,
    /// The image references, found on first use: prefetching, registry diagnostics, hovers
    /// and code actions all ask for them, and on a large file finding them is not free.
    image_sites: OnceLock<Arc<[ImageSite]>>,
    /// The image references of an earlier version, with its model and length, until this
    /// version's are found: an edit inside one stage finds that stage's again only.
    previous_sites: Mutex<Option<EarlierSites>>,
    /// The symbol index, built on first use by the navigation features.
    index: OnceLock<SymbolIndex>,
    /// The shell model, built on first use from the previous version's, which is held
    /// until then (and dropped after) so that only the instructions an edit touched are
    /// parsed again.
    shell: OnceLock<Arc<ShellIndex>>,
    /// The shell in effect at each instruction, found before (and without) the scripts.
    shell_states: OnceLock<Arc<[ShellState]>>,
    previous_shell: Mutex<Option<Arc<ShellIndex>>>,
    /// The rule engine's findings on this text as the user last saw them (see
    /// [`Snapshot::remember_findings`]).
    findings: Mutex<Option<Arc<[Found]>>>,
    /// What the engine's last run on this text keeps for the next run, and, until there
    /// is one, what the last run on an earlier version kept (see [`Snapshot::previous_run`]).
    run: Mutex<Option<Arc<Memo>>>,
    /// What this version replaced (the previous run's memo, the previous shell model),
    /// freed with the snapshot: a large snapshot is freed off the handlers' threads, and
    /// freeing these where they were replaced cost a keystroke's diagnostics a tenth of
    /// their time.
    retired: Mutex<Vec<Retired>>,
}

/// Kept only to be dropped later.
type Retired = Box<dyn std::any::Any + Send + Sync>;

impl Clone for Snapshot {
    fn clone(&self) -> Snapshot {
        let previous = self.previous_shell.lock().ok().and_then(|p| p.clone());
        Snapshot {
            doc: self.doc.clone(),
            model: Arc::clone(&self.model),
            image_sites: self.image_sites.clone(),
            previous_sites: Mutex::new(self.previous_sites.lock().ok().and_then(|p| p.clone())),
            index: self.index.clone(),
            shell: self.shell.clone(),
            shell_states: self.shell_states.clone(),
            previous_shell: Mutex::new(previous),
            findings: Mutex::new(self.remembered_findings()),
            run: Mutex::new(self.previous_run()),
            retired: Mutex::new(Vec::new()),
        }
    }
}

impl Snapshot {
    pub fn new(text: impl Into<String>) -> Snapshot {
        let (doc, model) = Model::open(text);
        Snapshot::from_parts(doc, Arc::new(model))
    }

    /// The snapshot after applying LSP content changes in order.
    pub fn apply(&self, changes: &[ContentChange], encoding: PositionEncoding) -> Snapshot {
        let mut doc = self.doc.clone();
        let edits = doc.apply_changes(changes, encoding);
        let model = if edits.is_empty() {
            Arc::clone(&self.model)
        } else {
            Arc::new(Model::update(&self.model, &doc, &edits))
        };
        let snapshot = Snapshot::from_parts(doc, model);
        let previous = self.shell.get().cloned().or_else(|| {
            self.previous_shell
                .lock()
                .ok()
                .and_then(|p| p.as_ref().map(Arc::clone))
        });
        if let Ok(mut slot) = snapshot.previous_shell.lock() {
            *slot = previous;
        }
        if let Ok(mut slot) = snapshot.run.lock() {
            *slot = self.previous_run();
        }
        let sites = match self.image_sites.get() {
            Some(sites) => Some((
                Arc::clone(sites),
                Arc::clone(&self.model),
                self.text().len(),
            )),
            None => self.previous_sites.lock().ok().and_then(|p| p.clone()),
        };
        if let Ok(mut slot) = snapshot.previous_sites.lock() {
            *slot = sites;
        }
        snapshot
    }

    fn from_parts(doc: Document, model: Arc<Model>) -> Snapshot {
        Snapshot {
            doc,
            model,
            image_sites: OnceLock::new(),
            previous_sites: Mutex::new(None),
            index: OnceLock::new(),
            shell: OnceLock::new(),
            shell_states: OnceLock::new(),
            previous_shell: Mutex::new(None),
            findings: Mutex::new(None),
            run: Mutex::new(None),
            retired: Mutex::new(Vec::new()),
        }
    }

    fn retire(&self, value: impl std::any::Any + Send + Sync) {
        let value: Retired = Box::new(value);
        if let Ok(mut retired) = self.retired.lock() {
            retired.push(value);
        }
    }

    /// Keeps what an engine run on this text lets the next run reuse.
    pub fn remember_run(&self, memo: Arc<Memo>) {
        let replaced = self.run.lock().ok().and_then(|mut slot| slot.replace(memo));
        if let Some(replaced) = replaced {
            self.retire(replaced);
        }
    }

    /// What the engine's latest run on this text, or on the version this one was edited
    /// from, kept.
    pub fn previous_run(&self) -> Option<Arc<Memo>> {
        self.run.lock().ok().and_then(|m| m.clone())
    }

    /// Keeps the engine's findings on this text, as computed for publishing them: hover and
    /// code actions then explain and fix what the user sees without running every rule
    /// again (on a large file, a run takes tens of milliseconds). A later publication (other
    /// settings, registry data that arrived) replaces them.
    pub fn remember_findings(&self, findings: Arc<[Found]>) {
        if let Ok(mut slot) = self.findings.lock() {
            *slot = Some(findings);
        }
    }

    /// What [`Snapshot::remember_findings`] kept, if anything.
    pub fn remembered_findings(&self) -> Option<Arc<[Found]>> {
        self.findings.lock().ok().and_then(|f| f.clone())
    }

    /// The shell model of the document's scripts (see [`ShellIndex`]).
    ///
    /// Built outside the lock's initializer: the build runs on the rayon pool, and a pool
    /// thread blocked in `get_or_init` while another thread builds can be the one that
    /// build waits for (work stealing), a deadlock seen when a republication and a
    /// publication analysed one snapshot at once. Two callers may then both build; the
    /// first result is kept.
    pub fn shell(&self) -> &ShellIndex {
        if let Some(shell) = self.shell.get() {
            return shell;
        }
        let previous = self.previous_shell.lock().ok().and_then(|p| p.clone());
        let built = Arc::new(ShellIndex::build_with_states(
            &self.model,
            self.text(),
            previous.as_deref(),
            Arc::clone(self.shell_states()),
        ));
        let shell = self.shell.get_or_init(|| built);
        let replaced = self
            .previous_shell
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        if let Some(replaced) = replaced {
            self.retire(replaced);
        }
        shell
    }

    /// Takes the shell states of an earlier version, known to be this one's.
    pub(crate) fn reuse_shell_states(&self, states: &Arc<[ShellState]>) {
        let _ = self.shell_states.set(Arc::clone(states));
    }

    /// The shell in effect at each instruction (see [`crate::shell::states`]).
    pub fn shell_states(&self) -> &Arc<[ShellState]> {
        self.shell_states
            .get_or_init(|| crate::shell::states(&self.model, self.text()).into())
    }

    /// Every image reference of the document (FROM, `COPY --from`, `RUN --mount=from=`).
    pub fn image_sites(&self) -> &[ImageSite] {
        if let Some(sites) = self.image_sites.get() {
            return sites;
        }
        let previous = self.previous_sites.lock().ok().and_then(|mut p| p.take());
        let found: Arc<[ImageSite]> = previous
            .and_then(|(sites, model, len)| {
                let edited = EditedStage::between(&model, len, &self.model, self.text().len())?;
                Some(sites_after_edit(&sites, &self.model, self.text(), &edited).into())
            })
            .unwrap_or_else(|| image_sites(&self.model, self.text()).into());
        self.image_sites.get_or_init(|| found)
    }

    /// Every stage, variable and heredoc name and where each is declared and used.
    pub fn index(&self) -> &SymbolIndex {
        self.index
            .get_or_init(|| SymbolIndex::build(&self.model, self.text()))
    }

    pub fn text(&self) -> &str {
        self.doc.text()
    }
}
