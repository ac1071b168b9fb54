"""Screenshots of each kind of page at 1280 px and 375 px, for looking at the design.

    .venv/bin/python tests/browser/screenshots.py [SITE_DIR] [OUT_DIR] [--care]

Builds content/ into a temporary folder when SITE_DIR is not given; writes PNGs to
screenshots/ (git-ignored).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402

from catalogue.pipeline import Paths, build  # noqa: E402

WIDTHS = (1280, 375)
SEGMENT = {1280: 1000, 375: 800}


def kinds_of_page(site: Path) -> dict[str, str]:
    """One page of each kind, by name; the unit and task pages are picked from what exists."""
    def first(pattern: str) -> str:
        found = sorted(site.glob(pattern))
        return found[0].relative_to(site).as_posix() if found else ""

    pages = {
        "home": "index.html",
        "sections": "sections/index.html",
        "section": "sections/1/index.html",
        "leaders": "leaders/index.html",
        "leader": first("leaders/*/index.html"),
        "units": "agencies/index.html",
        "unit-city": "agencies/nanchang/index.html",
        "unit-department": first("agencies/*/index.html"),
        "statuses": "status/index.html",
        "status": first("status/*/index.html"),
        "task": "tasks/1-1/index.html",
        "data": "data/index.html",
        "search": "search/index.html",
        "404": "404.html",
    }
    return {name: path for name, path in pages.items() if path and (site / path).exists()}


def main(argv: list[str]) -> None:
    care = "--care" in argv
    args = [a for a in argv if not a.startswith("--")]
    if args:
        site = Path(args[0])
    else:
        site = Path(tempfile.mkdtemp()) / "site"
        build(Paths(out=site))
    out = Path(args[1]) if len(args) > 1 else ROOT / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    server, url = serve_directory(site)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            page = context.new_page()
            if care:
                page.goto(url + "index.html")
                page.evaluate("localStorage.setItem('gzbg-care', 'on')")
            for name, path in kinds_of_page(site).items():
                page.goto(url + path)
                suffix = "-care" if care else ""
                page.screenshot(path=str(out / f"{name}-{width}{suffix}.png"), full_page=True)
                # Long full pages shrink to illegible thumbnails: also save the top in parts.
                height = page.evaluate("document.documentElement.scrollHeight")
                segment = SEGMENT[width]
                for part, top in enumerate(range(0, min(height, segment * 4), segment), 1):
                    clip = {"x": 0, "y": top, "width": width, "height": min(segment, height - top)}
                    page.screenshot(path=str(out / f"{name}-{width}{suffix}-{part}.png"),
                                    full_page=True, clip=clip)
            context.close()
        browser.close()
    server.shutdown()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
