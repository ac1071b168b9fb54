"""The build, top to bottom: load, validate, model, render, write.

`build()` is the only way a site is made: the command line, the preview server and the tests
all call it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .corrections import attach_corrections, source_text_outputs
from .exports import export_outputs
from .feed import feed_outputs
from .history import attach_history
from .publish import apply_settings
from .load import load_catalogue
from .model import Catalogue
from .render import render_pages
from .search import search_outputs
from .write import Outputs, copy_tree_outputs, guard_output, merge_outputs, write_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    content: Path = PROJECT_ROOT / "content"
    out: Path = PROJECT_ROOT / "site"
    templates: Path = PROJECT_ROOT / "templates"
    assets: Path = PROJECT_ROOT / "assets"

    def read(self) -> list[Path]:
        """The folders a build reads, which its output must stay clear of."""
        return [self.content, self.templates, self.assets]


@dataclass(frozen=True)
class BuildResult:
    catalogue: Catalogue
    files: int
    pages: int
    seconds: float

    def summary(self) -> str:
        text = (f"built {self.pages} pages ({self.files} files) in {self.seconds:.2f} s"
                f" — 已生成 {self.pages} 个页面")
        if not self.catalogue.site.base_url:
            text += ("\nno base_url: relative links only; no canonical links, no sitemap.xml, "
                     "no feed — 未设置 base_url：只用相对链接，不生成 sitemap.xml 和 feed.xml。"
                     "Set base_url in content/site.yaml or pass --base-url to publish.")
        return text


def produce(catalogue: Catalogue, paths: Paths) -> Outputs:
    """Every file of the site, by its path in site/, before anything is written."""
    producers: list[tuple[str, Callable[[], Outputs]]] = [
        ("pages", lambda: render_pages(catalogue, paths.templates)),
        ("open data", lambda: export_outputs(catalogue)),
        ("search index", lambda: search_outputs(catalogue)),
        ("feed", lambda: feed_outputs(catalogue)),
        ("source text", lambda: source_text_outputs(paths.content)),
        ("assets", lambda: copy_tree_outputs(paths.assets, "assets")),
    ]
    return merge_outputs([(name, make()) for name, make in producers])


def build(paths: Paths = Paths(), base_url: str | None = None,
          progress: Callable[[str], None] = lambda message: None,
          site: dict[str, str] | None = None, site_defaults: dict[str, str] | None = None,
          check_site: Callable[[Catalogue], None] | None = None) -> BuildResult:
    """Load and validate content, render everything in memory, then swap it into paths.out.

    `site` overrides fields of site.yaml (the command line); `site_defaults` fills the ones it
    leaves empty (what CI knows);
    `check_site` may refuse the resolved settings (a publishing build refuses placeholders)
    before anything is rendered."""
    started = time.perf_counter()
    guard_output(paths.out, paths.read())  # refuse a folder that is not ours before any work
    progress("reading content")
    catalogue = load_catalogue(paths.content)
    if base_url:
        catalogue.site.base_url = base_url if base_url.endswith("/") else base_url + "/"
    apply_settings(catalogue.site, site or {}, site_defaults or {})
    attach_corrections(catalogue, paths.content)
    if check_site:
        check_site(catalogue)
    commits = attach_history(catalogue, paths.content)
    progress("history from dated updates (not a git checkout)" if commits is None
             else f"history from dated updates and {commits} commits")
    progress(f"rendering {len(catalogue.tasks)} tasks")
    outputs = produce(catalogue, paths)
    progress(f"writing {len(outputs)} files")
    write_site(outputs, paths.out, paths.read())
    pages = sum(1 for path in outputs if path.endswith(".html"))
    return BuildResult(catalogue, len(outputs), pages, time.perf_counter() - started)


def check(paths: Paths = Paths()) -> Catalogue:
    """Validate content without writing anything; raise ContentErrors on problems."""
    catalogue = load_catalogue(paths.content)
    attach_corrections(catalogue, paths.content)
    return catalogue
