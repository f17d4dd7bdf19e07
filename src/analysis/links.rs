//! Document links: image references to their page on the registry, `# syntax=` to the
//! frontend image's page, and local `COPY`/`ADD` sources that exist in the build context to
//! the file (its path is resolved by `documentLink/resolve`, the costly part).

use std::ops::Range;
use std::path::PathBuf;

use super::Snapshot;
use super::build_context::{BuildContext, copy_sources, source_path};
use crate::model::image_ref::{self, ImageRef};

/// Where a link goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A web page.
    Url(String),
    /// A file or folder of the build context.
    File(PathBuf),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub range: Range<usize>,
    pub target: LinkTarget,
    pub tooltip: String,
}

/// The links of a document; local sources only when a build context is given.
pub fn document_links(snapshot: &Snapshot, ctx: Option<&BuildContext>) -> Vec<Link> {
    let mut out = Vec::new();
    for d in &snapshot.model.directives {
        if d.name == "syntax"
            && let Ok(image) = image_ref::parse(&d.value)
            && let Some(url) = image_page(&image)
        {
            out.push(Link {
                range: d.value_range.clone(),
                tooltip: format!("Open {} on its registry", image.familiar_name()),
                target: LinkTarget::Url(url),
            });
        }
    }
    for site in snapshot.image_sites() {
        let Some(url) = image_page(&site.image) else {
            continue;
        };
        // Only the name part links, when it is written as is (no variables in it).
        let text = snapshot.text();
        let written = text.get(site.range.clone()).unwrap_or("");
        let name = &site.image.spans.name;
        let range = if written == site.image.source {
            site.range.start + name.start..site.range.start + name.end
        } else {
            site.range.clone()
        };
        out.push(Link {
            range,
            tooltip: format!("Open {} on its registry", site.image.familiar_name()),
            target: LinkTarget::Url(url),
        });
    }
    if let Some(ctx) = ctx {
        for source in copy_sources(snapshot) {
            if let Some(path) = source_path(ctx, &source.path) {
                out.push(Link {
                    range: source.range,
                    tooltip: format!("Open {}", path.display()),
                    target: LinkTarget::File(path),
                });
            }
        }
    }
    out.sort_by_key(|l| l.range.start);
    out
}

/// The web page of an image on its registry, for the registries that have one.
pub fn image_page(image: &ImageRef) -> Option<String> {
    let repo = image.repository.as_str();
    if image.is_official() {
        return Some(format!(
            "https://hub.docker.com/_/{}",
            image.familiar_name()
        ));
    }
    if image.is_docker_hub() {
        return Some(format!("https://hub.docker.com/r/{repo}"));
    }
    let host = image.registry.as_str();
    Some(match host {
        "ghcr.io" => format!("https://ghcr.io/{repo}"),
        "quay.io" => format!("https://quay.io/repository/{repo}"),
        "mcr.microsoft.com" => format!("https://mcr.microsoft.com/artifact/mar/{repo}"),
        "public.ecr.aws" => format!("https://gallery.ecr.aws/{repo}"),
        "gcr.io" | "us.gcr.io" | "eu.gcr.io" | "asia.gcr.io" => {
            let (project, path) = repo.split_once('/')?;
            format!("https://console.cloud.google.com/gcr/images/{project}/global/{path}")
        }
        _ if host.ends_with("-docker.pkg.dev") => {
            let location = host.strip_suffix("-docker.pkg.dev")?;
            let mut parts = repo.splitn(3, '/');
            let (project, repository, path) = (parts.next()?, parts.next()?, parts.next()?);
            format!(
                "https://console.cloud.google.com/artifacts/docker/{project}/{location}/{repository}/{path}"
            )
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_pages() {
        let page = |r: &str| image_ref::parse(r).ok().and_then(|i| image_page(&i));
        let cases = [
            ("python:3", Some("https://hub.docker.com/_/python")),
            (
                "bitnami/redis",
                Some("https://hub.docker.com/r/bitnami/redis"),
            ),
            ("ghcr.io/org/app:1", Some("https://ghcr.io/org/app")),
            (
                "quay.io/prometheus/node-exporter",
                Some("https://quay.io/repository/prometheus/node-exporter"),
            ),
            (
                "mcr.microsoft.com/dotnet/sdk:8.0",
                Some("https://mcr.microsoft.com/artifact/mar/dotnet/sdk"),
            ),
            (
                "gcr.io/distroless/static",
                Some("https://console.cloud.google.com/gcr/images/distroless/global/static"),
            ),
            (
                "us-docker.pkg.dev/proj/repo/img:1",
                Some("https://console.cloud.google.com/artifacts/docker/proj/us/repo/img"),
            ),
            (
                "public.ecr.aws/docker/library/alpine",
                Some("https://gallery.ecr.aws/docker/library/alpine"),
            ),
            ("registry.example.com/x", None),
        ];
        for (reference, want) in cases {
            assert_eq!(page(reference).as_deref(), want, "{reference}");
        }
    }

    #[test]
    fn links_in_a_document() {
        let text =
            "# syntax=docker/dockerfile:1\nFROM python:3 AS a\nFROM a\nCOPY --from=nginx:1 /x /y\n";
        let snapshot = Snapshot::new(text);
        let got: Vec<(String, LinkTarget)> = document_links(&snapshot, None)
            .into_iter()
            .map(|l| (text[l.range].to_string(), l.target))
            .collect();
        let url = |u: &str| LinkTarget::Url(u.to_string());
        assert_eq!(
            got,
            [
                (
                    "docker/dockerfile:1".to_string(),
                    url("https://hub.docker.com/r/docker/dockerfile")
                ),
                ("python".to_string(), url("https://hub.docker.com/_/python")),
                ("nginx".to_string(), url("https://hub.docker.com/_/nginx")),
            ]
        );
    }
}
