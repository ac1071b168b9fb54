"""Render the pages (pages.py) in the Jinja environment (templating.py), and the files made from
the list of pages: sitemap.xml and robots.txt."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import jinja2

from .errors import BuildError
from .fingerprint import Reads, identities
from .model import Catalogue
from .pages import ADMIN_PATH, CITED_PLANS, Page, cited_plans
from .strings import Strings
from .templating import make_environment

Outputs = dict[str, bytes]


def render_page(env: jinja2.Environment, catalogue: Catalogue, page: Page) -> str:
    try:
        template = env.get_template(page.template)
        env.page_path = page.path
        several = len(catalogue.plans) > 1 and page.plan is None
        cited = cited_plans(catalogue, page) if several else []
        return template.render(catalogue=catalogue, site=catalogue.site, page=page, page_path=page.path,
                               plan=catalogue.plan_for(page), cited=cited, cite_each=len(cited) <= CITED_PLANS)
    except jinja2.TemplateError as error:
        where = f"{error.filename}:{error.lineno}" if getattr(error, "lineno", None) else page.template
        raise BuildError(f"template {where} failed while rendering {page.path}: {error}") from error


SITEMAP_LIMIT = 50_000  # URLs in one sitemap file, by the sitemaps.org protocol
SITEMAP_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


class Listed(Protocol):
    """A page as the sitemap lists it (a Page, or a page as the memory of a build knows it)."""

    path: str
    in_sitemap: bool


def sitemaps(catalogue: Catalogue, pages: Sequence[Listed], limit: int = SITEMAP_LIMIT) -> Outputs:
    """sitemap.xml; past `limit` URLs, an index of sitemaps/1.xml, sitemaps/2.xml … instead.
    A sitemap lists absolute addresses: without a base URL there is none."""
    if not catalogue.site.base_url:
        return {}
    urls = sorted(catalogue.site.absolute(p.path) for p in pages if p.in_sitemap)
    if len(urls) <= limit:
        return {"sitemap.xml": _sitemap_file("urlset", "url", urls)}
    parts = {f"sitemaps/{n}.xml": urls[start:start + limit]
             for n, start in enumerate(range(0, len(urls), limit), start=1)}
    outputs = {path: _sitemap_file("urlset", "url", part) for path, part in parts.items()}
    outputs["sitemap.xml"] = _sitemap_file("sitemapindex", "sitemap",
                                           [catalogue.site.absolute(path) for path in parts])
    return outputs


def _sitemap_file(root: str, entry: str, urls: list[str]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{SITEMAP_XMLNS}">']
    lines += [f"  <{entry}><loc>{_xml_escape(url)}</loc></{entry}>" for url in urls]
    lines.append(f"</{root}>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def robots(catalogue: Catalogue) -> bytes:
    """Everything but the editor form; the path is the site's own when it lives under one."""
    base_path = urlsplit(catalogue.site.base_url).path if catalogue.site.base_url else "/"
    admin = base_path + ADMIN_PATH.rsplit("/", 1)[0] + "/"
    sitemap_line = f"\nSitemap: {catalogue.site.base_url}sitemap.xml\n" if catalogue.site.base_url else ""
    return f"User-agent: *\nDisallow: {admin}\nAllow: /\n{sitemap_line}".encode("utf-8")


class Renderer:
    """Renders pages one at a time in one environment, noting what each read from the task files
    beyond its context (templating.RecordingEnvironment)."""

    def __init__(self, catalogue: Catalogue, say: Strings, templates_dir: Path):
        self.catalogue = catalogue
        self.env = make_environment(templates_dir, catalogue, say)
        self.rendered = 0

    def __call__(self, page: Page) -> tuple[bytes, Reads]:
        self.rendered += 1
        data = self.bytes_of(page)
        return data, identities(self.env.reads)

    def close(self) -> None:
        """Let go of the items kept for the pages, once every page is made."""
        self.env.task_items_made.clear()

    def bytes_of(self, page: Page) -> bytes:
        """The page, not counted among those the build made: the preview's pages made ahead
        (pipeline.py), which the build makes again in its turn."""
        self.env.reads = set()
        return render_page(self.env, self.catalogue, page).encode("utf-8")
