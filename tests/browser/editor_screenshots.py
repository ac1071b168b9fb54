"""Screenshots of the editor form, for docs/editor-guide.md and for looking at it:

    .venv/bin/python tests/browser/editor_screenshots.py [OUT_DIR]

Builds a copy of content/ in a git repository of its own, starts decap-server over it in its git
mode (where the form shows the editorial workflow, as on GitHub: 保存, then 草稿 / 就绪), and
writes PNGs (default: docs/screenshots/): the task list, a task's form (its top and the editors' fields), a new update filled in,
and the form refusing an empty update, at 1280 px. (Decap's editor is made for a computer's
screen: at 375 px its form runs off the right edge, so the guide asks for a computer.)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from catalogue.pipeline import Paths, Settings, build  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402
from tests.browser.test_editor_form import add_update, choose, open_form, start_local_backend, stop  # noqa: E402


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    repository = work / "repository"
    shutil.copytree(ROOT / "content", repository / "content")
    git = ["git", "-C", str(repository), "-c", "user.name=editor", "-c", "user.email=editor@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "content"], check=True)
    # As published: with a repository named, the page carries no note that it has none.
    build(Paths(content=repository / "content", out=work / "site"), Settings(site={"repository": "https://github.com/owner/repository"}))
    server, url = serve_directory(work / "site")
    process, port = start_local_backend(repository, "git")
    admin = (url + "admin/index.html", port)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN").new_page()
            open_form(page, admin, entry=None)
            page.get_by_text("4-10", exact=False).first.wait_for()
            page.screenshot(path=out / "editor-list.png")
            page.goto(admin[0] + "#/collections/plan-2021/entries/4-10")
            page.get_by_label("当前状态", exact=True).wait_for()
            page.screenshot(path=out / "editor-task.png")
            page.get_by_text("主题", exact=True).first.evaluate("label => label.scrollIntoView({block: 'start'})")
            page.screenshot(path=out / "editor-task-fields.png")
            choose(page, page.get_by_label("当前状态", exact=True), "持续推进")
            add_update(page, "2022-09-30", "持续推进", "（示例）上市后备企业培育持续推进。", "（示例）某某报道", "新闻报道")
            page.get_by_label("日期", exact=True).last.scroll_into_view_if_needed()
            page.screenshot(path=out / "editor-update.png")
            page.get_by_role("button", name="新增进展").click()
            page.get_by_role("button", name="保存", exact=True).click()
            page.get_by_text("“进展说明”是必填项").first.wait_for()
            page.get_by_text("“状态”是必填项").last.scroll_into_view_if_needed()
            page.screenshot(path=out / "editor-refused.png")
            browser.close()
    finally:
        stop(process)
        server.shutdown()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
