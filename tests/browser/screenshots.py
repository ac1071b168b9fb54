"""Screenshots of each kind of page at 1280 px and 375 px, for looking at the design.

    .venv/bin/python tests/browser/screenshots.py [OUT_DIR] [--care]

Builds a copy of content/ in which one task has dated updates (so that every kind of page shows
up), and writes PNGs to screenshots/ (git-ignored): each page whole, and its top cut into parts
that are legible at a glance.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(HERE)]

from conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402
from site_pages import build_with_updates, kinds_of_page  # noqa: E402

WIDTHS = (1280, 375)
SEGMENT = {1280: 1000, 375: 800}
PARTS = 4


def main(argv: list[str]) -> None:
    care = "--care" in argv
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0]) if args else ROOT / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    site, task_with_updates = build_with_updates(Path(tempfile.mkdtemp()))
    pages = {**kinds_of_page(site), "task-updates": task_with_updates}
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
            suffix = "-care" if care else ""
            for name, path in pages.items():
                page.goto(url + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / f"{name}-{width}{suffix}.png"), full_page=True)
                height = page.evaluate("document.documentElement.scrollHeight")
                segment = SEGMENT[width]
                for part, top in enumerate(range(0, min(height, segment * PARTS), segment), 1):
                    clip = {"x": 0, "y": top, "width": width, "height": min(segment, height - top)}
                    page.screenshot(path=str(out / f"{name}-{width}{suffix}-{part}.png"),
                                    full_page=True, clip=clip)
            context.close()
        browser.close()
    server.shutdown()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
