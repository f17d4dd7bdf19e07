//! Where the user is typing, so that the registry is asked only about references they have
//! finished: `FROM ubun` is half a name, and asking Docker Hub about it costs a 404, a token
//! and another 404 per keystroke against an anonymous rate limit.
//!
//! Each `didChange` records its focus (where the last edit ended, and when). An image
//! reference containing a recent focus is being typed: handlers read what the cache holds
//! for it but start no fetch. It is finished when the focus leaves it (an edit elsewhere,
//! such as the newline after it) or when the document rests for [`SETTLE`]; a timer started
//! by every change then starts the fetches its diagnostics need, and their answers
//! republish the diagnostics. Opening a document fetches for all its references at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tower_lsp_server::ls_types::Uri;

use crate::analysis::Snapshot;
use crate::analysis::registry::ImageSite;
use crate::text::{ContentChange, PositionEncoding};

use super::documents::Document;
use super::registry;
use super::session::Session;

/// How long a document must rest before the reference under the last edit counts as
/// finished.
pub(crate) const SETTLE: Duration = Duration::from_millis(800);

/// Where an edit left the text, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Focus {
    /// Byte offset in the edited text just after what the last change inserted.
    pub offset: usize,
    pub at: Instant,
}

/// The focus of `changes`, which turned `old` into `new`: the end of the last change's
/// inserted text. A whole-document replacement (clients without incremental sync) is
/// compared with the old text to find where it differs. `None` when nothing changed.
pub(crate) fn focus_of(
    old: &Snapshot,
    new: &Snapshot,
    changes: &[ContentChange],
    enc: PositionEncoding,
) -> Option<Focus> {
    let last = changes.last()?;
    let offset = match last.range {
        // The text before the change's start is the same before and after it, so the start
        // converts in the new text as it did in the old.
        Some((start, _)) => {
            let start = new.doc.line_index().offset(new.text(), start, enc);
            (start + last.text.len()).min(new.text().len())
        }
        None => changed_end(old.text(), new.text())?,
    };
    Some(Focus {
        offset,
        at: Instant::now(),
    })
}

/// The end, in `new`, of the part that differs from `old`; `None` when they are equal.
fn changed_end(old: &str, new: &str) -> Option<usize> {
    if old == new {
        return None;
    }
    let (_, suffix) = crate::text::common_ends(old, new);
    Some(new.len() - suffix)
}

/// The offset being typed at in `doc`, while its last edit is recent.
pub(crate) fn typing_at(doc: &Document) -> Option<usize> {
    doc.focus
        .filter(|f| f.at.elapsed() < SETTLE)
        .map(|f| f.offset)
}

/// Whether the image reference at `site` is being typed at `typing` (the cursor inside it or
/// just after it).
pub(crate) fn is_typed(site: &ImageSite, typing: Option<usize>) -> bool {
    typing.is_some_and(|at| site.range.start <= at && at <= site.range.end)
}

/// After [`SETTLE`] without another change to `doc`, starts the fetches of the reference
/// its last edit was in (see the module documentation).
pub(crate) fn settle_later(session: &Session, uri: Uri, doc: &Document) {
    let Some(focus) = doc.focus else {
        return;
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    // The timer keeps the document's generation, not its snapshot: a user typing fast starts
    // hundreds of timers within one `SETTLE`, and each would hold a whole snapshot alive
    // until it fired (then free it on the runtime's threads).
    let (me, generation) = (session.weak(), doc.generation);
    runtime.spawn(async move {
        tokio::time::sleep(SETTLE).await;
        let Some(session) = me.upgrade() else {
            return;
        };
        let Some(doc) = session.documents.get_generation(&uri, generation) else {
            return;
        };
        if let Some(r) = session.registry() {
            let settings = session.settings();
            let snapshot: &Arc<Snapshot> = &doc.snapshot;
            registry::warm_at(&r, snapshot, focus.offset, &settings.diagnostics);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Position;

    #[test]
    fn focus_of_ranged_and_full_changes() {
        let old = Snapshot::new("FROM ubun\nRUN true\n");
        let insert = [ContentChange::ranged(
            Position::new(0, 9),
            Position::new(0, 9),
            "tu",
        )];
        let new = old.apply(&insert, PositionEncoding::Utf16);
        let f = focus_of(&old, &new, &insert, PositionEncoding::Utf16).expect("focus");
        assert_eq!(&new.text()[..f.offset], "FROM ubuntu");

        let full = [ContentChange::full("FROM ubuntu:2\nRUN true\n")];
        let newer = new.apply(&full, PositionEncoding::Utf16);
        let f = focus_of(&new, &newer, &full, PositionEncoding::Utf16).expect("focus");
        assert_eq!(&newer.text()[..f.offset], "FROM ubuntu:2");

        let same = [ContentChange::full(newer.text().to_string())];
        let unchanged = newer.apply(&same, PositionEncoding::Utf16);
        assert_eq!(
            focus_of(&newer, &unchanged, &same, PositionEncoding::Utf16),
            None
        );
        // A deletion leaves the focus where the text was taken out.
        assert_eq!(changed_end("FROM ab\n", "FROM a\n"), Some(6));
        assert_eq!(changed_end("aaa", "aaaa"), Some(4));
    }
}
