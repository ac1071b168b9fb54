"""Every internal link on every page is relative and resolves to a file (and to an element, when it
names a fragment), so one site/ works at a domain root, under a sub-path and from disk."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from html_dom import parse_file

# Attributes that point at another resource, by element.
LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action",
           "source": "src", "iframe": "src", "area": "href", "use": "href"}
# Links that name the page's public address, not a file in site/.
ABSOLUTE_BY_DESIGN = {("link", "canonical")}


def internal_links(site: Path):
    """(page, element, link) for every link on every page that stays inside the site."""
    for page in sorted(site.rglob("*.html")):
        document = parse_file(page)
        for element in document.iter():
            attribute = LINKING.get(element.tag)
            link = element.get(attribute) if attribute else None
            if link is None or (element.tag, element.get("rel")) in ABSOLUTE_BY_DESIGN:
                continue
            scheme = urlsplit(link).scheme
            if scheme in ("http", "https", "mailto", "tel") or link.startswith("//"):
                continue
            yield page, element, link


@lru_cache(maxsize=None)
def ids_in(page: Path) -> frozenset[str]:
    return frozenset(e.get("id") for e in parse_file(page).iter() if e.get("id"))


def test_internal_links_are_relative(built_site):
    rooted = [(p.relative_to(built_site).as_posix(), link) for p, _, link in internal_links(built_site)
              if link.startswith("/") or urlsplit(link).scheme]
    assert not rooted, f"links that break under a sub-path or from disk: {rooted[:10]}"


def test_every_internal_link_resolves_to_a_file(built_site):
    broken = []
    count = 0
    for page, _, link in internal_links(built_site):
        count += 1
        parts = urlsplit(link)
        target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
        if target.is_dir():
            broken.append((page.relative_to(built_site).as_posix(), link, "a folder: add index.html"))
        elif not target.is_file():
            broken.append((page.relative_to(built_site).as_posix(), link, "no such file"))
        elif built_site.resolve() not in target.resolve().parents:
            broken.append((page.relative_to(built_site).as_posix(), link, "outside the site"))
        elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_in(target):
            broken.append((page.relative_to(built_site).as_posix(), link, "no such fragment"))
    assert count > 10000, "the whole site was checked"
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:10]}"


def test_every_page_is_reachable_from_home(built_site):
    """Following links from index.html reaches every page but the 404 page."""
    seen = set()
    queue = [built_site / "index.html"]
    links_by_page: dict[Path, list[Path]] = {}
    for page, _, link in internal_links(built_site):
        path = urlsplit(link).path
        if path.endswith(".html"):
            links_by_page.setdefault(page, []).append((page.parent / unquote(path)).resolve())
    while queue:
        page = queue.pop().resolve()
        if page in seen:
            continue
        seen.add(page)
        queue.extend(links_by_page.get(page, []))
    # Not the editor form either: no page links to admin/ (tests/test_editor_form_site.py).
    pages = {p.resolve() for p in built_site.rglob("*.html")} - {(built_site / "404.html").resolve(),
                                                                 (built_site / "admin" / "index.html").resolve()}
    assert pages - seen == set()


def test_stylesheet_urls_resolve(built_site):
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if not url.startswith("data:"):
                assert (css.parent / url).resolve().is_file(), f"{css}: {url}"
