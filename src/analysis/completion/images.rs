//! The seam for registry data: image names after `FROM ` and tags after `image:`.
//!
//! The analysis layer does no I/O. Whoever has registry data (the registry module, through
//! the LSP layer) implements [`ImageCatalog`] and passes it to
//! [`completion_with`](super::completion_with). Implementations must answer at once from
//! what they already know, start any fetch in the background, and report `incomplete`
//! while one runs: the client then asks again as the user types, and the next answer
//! carries the fresh list.

use super::{CompletionList, Ctx, item, order, stages};
use crate::analysis::CompletionKind;
use crate::analysis::cursor::At;
use crate::model::image_ref::{self, ImageRef};

/// An image name to offer after `FROM `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageSuggestion {
    /// As users write it: `python`, `bitnami/redis`, `ghcr.io/org/app`.
    pub name: String,
    /// One line beside the label, e.g. "Docker Official Image · 10K+ stars".
    pub detail: Option<String>,
    /// Markdown shown for the selected item (description, link).
    pub documentation: Option<String>,
}

/// A tag to offer after `image:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagSuggestion {
    pub tag: String,
    /// One line beside the label, e.g. "2 days ago · 48 MB · linux/amd64, linux/arm64".
    pub detail: Option<String>,
    /// Markdown shown for the selected item (digest, other tags of the same image).
    pub documentation: Option<String>,
}

/// Registry knowledge for completion. Both methods return suggestions in the order to show
/// them (it is kept), and whether the answer is partial.
pub trait ImageCatalog {
    /// Image names matching what has been typed after `FROM ` (`prefix` may be empty, or a
    /// partial name such as `pyt` or `ghcr.io/org/`).
    fn image_names(&self, prefix: &str) -> (Vec<ImageSuggestion>, bool);

    /// Tags of `image` (parsed from the text before `:`; its own tag and digest are empty).
    /// The client filters them by what follows the `:`.
    fn tags(&self, image: &ImageRef) -> (Vec<TagSuggestion>, bool);
}

/// The first argument of a FROM: a tag after `name:`, or else stages, images and `scratch`.
pub(super) fn base(ctx: &Ctx<'_>, at: At<'_>, start: usize, out: &mut CompletionList) {
    let before = ctx.before(start);
    // A tag's `:` comes after the last `/` (a registry port's `:` comes before one).
    let path_start = before.rfind('/').map_or(0, |i| i + 1);
    if let Some(colon) = before[path_start..].find(':').map(|i| path_start + i) {
        let range = start + colon + 1..ctx.word_end(|c| c != '@');
        tags(ctx, &before[..colon], range, out);
        return;
    }
    if before.contains('@') {
        return;
    }
    let range = start..ctx.word_end(|c| c != ':' && c != '@');
    stages::for_base(ctx, at, range.clone(), out);
    let Some(catalog) = ctx.images else {
        return;
    };
    let (names, incomplete) = catalog.image_names(before);
    out.incomplete |= incomplete;
    for (i, s) in names.into_iter().enumerate() {
        let mut it = item(s.name, CompletionKind::Image, range.clone());
        it.detail = s.detail;
        it.documentation = s.documentation;
        it.sort_text = order(3, i);
        it.incomplete = incomplete;
        out.items.push(it);
    }
}

fn tags(ctx: &Ctx<'_>, image: &str, range: std::ops::Range<usize>, out: &mut CompletionList) {
    let (Some(catalog), Ok(image)) = (ctx.images, image_ref::parse(image)) else {
        return;
    };
    let (tags, incomplete) = catalog.tags(&image);
    out.incomplete |= incomplete;
    for (i, t) in tags.into_iter().enumerate() {
        let mut it = item(t.tag, CompletionKind::Tag, range.clone());
        it.detail = t.detail;
        it.documentation = t.documentation;
        it.sort_text = order(1, i);
        it.incomplete = incomplete;
        out.items.push(it);
    }
}
