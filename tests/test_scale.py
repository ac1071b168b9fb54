"""The catalogue beyond 166 tasks: synthetic content that the build accepts, and what only
shows at scale (section numbers past 110)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalogue.pipeline import Paths, check
from catalogue.model import chinese_numeral

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("number, numeral", [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
    (110, "一百一十"), (119, "一百一十九"), (1005, "一千零五"), (1010, "一千零一十"),
    (10_000, "一万"), (10_086, "一万零八十六"), (12_345, "一万二千三百四十五"),
])
def test_chinese_numeral_beyond_ninety_nine(number, numeral):
    assert chinese_numeral(number) == numeral


def test_synthetic_content_passes_the_check(tmp_path):
    out = tmp_path / "content"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--tasks", "400", "--out", str(out)],
                   check=True, capture_output=True)
    checked = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(out)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    catalogue = check(Paths(content=out))
    assert len(catalogue.tasks) == 400
    assert len({task.key for task in catalogue.tasks}) == 400
    # Beyond the first 166, each province's plan is a plan of its own, as further plans are.
    assert [plan.id for plan in catalogue.plans] == ["2021", "hubei-2021", "hunan-2021"]
    assert [len(plan.tasks) for plan in catalogue.plans] == [166, 68, 166]
    # Each further 166 tasks are another province's: new leaders, units and words to search.
    assert len(catalogue.leaders) > 16
    assert any(unit.name.startswith("湖南省") for unit in catalogue.units)
    assert any("湖北" in task.text for task in catalogue.tasks)
    log = subprocess.run(["git", "log", "--oneline"], cwd=out, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 2


def test_synthetic_content_is_deterministic(tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--tasks", "200",
                        "--out", str(out), "--no-git"], check=True, capture_output=True)
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*.yaml"))
    assert files == sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*.yaml"))
    assert all((outs[0] / f).read_bytes() == (outs[1] / f).read_bytes() for f in files)


def test_term_pages_split_past_the_limit(tmp_path, monkeypatch):
    from catalogue import pages
    from catalogue.pipeline import Paths, build
    from html_dom import parse_file

    monkeypatch.setattr(pages, "TASKS_PER_PAGE", 50)
    result = build(Paths(out=tmp_path / "site"))
    status = result.catalogue.status("no_information")
    assert len(status.tasks) > 100  # so that the split shows
    folder = tmp_path / "site" / "status" / "no_information"
    files = [folder / "index.html"] + [folder / "page" / str(n) / "index.html"
                                       for n in range(2, -(-len(status.tasks) // 50) + 1)]
    listed = []
    for number, file in enumerate(files, start=1):
        root = parse_file(file)
        items = [li.get("data-task-id") for li in root.find_all("li", cls="task-item")]
        assert 0 < len(items) <= 50
        listed += items
        nav = root.one("nav", cls="pagination")
        assert len(nav.find_all("li")) == len(files)
        assert nav.one("span").get("aria-current") == "page" and f"第 {number} 页" in nav.one("span").text()
        assert len(nav.find_all("a")) == len(files) - 1
    assert listed == [task.id for task in status.tasks]
    assert not (folder / "page" / str(len(files) + 1)).exists()
    # A leader's page under the limit is one page, without page links.
    small = parse_file(tmp_path / "site" / result.catalogue.leaders[-1].path)
    assert small.find("nav", cls="pagination") is None


def test_sitemap_index_past_the_limit():
    from catalogue.pipeline import Paths, check
    from catalogue.pages import all_pages
    from catalogue.render import sitemaps
    from catalogue.strings import Strings

    catalogue = check(Paths(content=ROOT / "content"))  # its own: the address is set below
    pages = all_pages(catalogue, Strings.read(ROOT / "templates"), ROOT / "templates")
    assert sitemaps(catalogue, pages) == {}, "without an address there is no sitemap"
    catalogue.site.base_url = "https://catalogue.example.test/plan/"
    whole = sitemaps(catalogue, pages)
    assert list(whole) == ["sitemap.xml"] and b"<urlset" in whole["sitemap.xml"]
    split = sitemaps(catalogue, pages, limit=100)
    parts = sorted(path for path in split if path.startswith("sitemaps/"))
    assert len(parts) == -(-whole["sitemap.xml"].count(b"<url>") // 100)
    assert b"<sitemapindex" in split["sitemap.xml"]
    assert split["sitemap.xml"].count(b"<sitemap>") == len(parts)
    locs = b"".join(split[p] for p in parts).count(b"<url>")
    assert locs == whole["sitemap.xml"].count(b"<url>")
    assert all(split[p].count(b"<url>") <= 100 for p in parts)
    # Each part is a sitemap of its own, not an index: the protocol's urlset, in its namespace.
    assert all(split[p].startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                                   b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
               and split[p].endswith(b"\n</urlset>\n") for p in parts)


def test_indexes_and_the_home_page_stay_small_with_many_terms(tmp_path, monkeypatch):
    from catalogue import pages
    from catalogue.pipeline import Paths, build
    from html_dom import parse_file

    monkeypatch.setattr(pages, "TERMS_PER_PAGE", 20)
    monkeypatch.setattr(pages, "HOME_SECTIONS", 3)
    result = build(Paths(out=tmp_path / "site"))
    site, catalogue = tmp_path / "site", result.catalogue
    files = [site / "agencies" / "index.html"] + sorted((site / "agencies" / "page").glob("*/index.html"),
                                                          key=lambda p: int(p.parent.name))
    assert len(files) == -(-len(catalogue.units) // 20)
    names = []
    for file in files:
        entries = parse_file(file).find_all("li", cls="term")
        assert 0 < len(entries) <= 20
        names += [entry.one("a", cls="term-name").text() for entry in entries]
    assert sorted(names) == sorted(unit.name for unit in catalogue.units)

    home = parse_file(site / "index.html")
    listed = home.one("ol", cls="section-list").find_all("li")
    assert len(listed) == 3
    rows = home.one("table").one("tbody").find_all("tr")
    assert len(rows) == 4 and "其余 5 个篇章" in rows[-1].text()
    rest = sum(len(section.tasks) for section in catalogue.sections[3:])
    assert rows[-1].find_all("td")[-1].text() == str(rest)


def test_a_registry_broken_at_scale_lists_the_first_errors_and_counts_the_rest(tmp_path):
    """Every task naming a leader the registry lost is an error: a report spells out the first
    LISTED_ERRORS, in file order, and counts the rest by file, on the command line and on the
    preview's error page."""
    from catalogue.errors import LISTED_ERRORS, ContentErrors
    from catalogue.pipeline import Paths, check
    from catalogue.serve import error_page
    from html_dom import parse

    out = tmp_path / "content"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--tasks", "400", "--out", str(out),
                    "--no-git"], check=True, capture_output=True)
    kept = yaml.safe_load((out / "leaders.yaml").read_text(encoding="utf-8"))[0]
    (out / "leaders.yaml").write_text(yaml.safe_dump([kept], allow_unicode=True), encoding="utf-8")
    lost = [(path, name) for path in out.rglob("tasks/*.yaml")
            for name in yaml.safe_load(path.read_text(encoding="utf-8"))["leaders"] if name != kept["name"]]
    assert len(lost) > LISTED_ERRORS + 100

    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    headers = [line for line in done.stderr.splitlines() if line.startswith("content/")]
    assert len(headers) == LISTED_ERRORS
    assert headers == sorted(headers, key=lambda h: (h.split(":")[0], int(h.split(":")[1])))
    assert f"另有 {len(lost) - LISTED_ERRORS} 个问题未列出" in done.stderr
    assert f"{len(lost) - LISTED_ERRORS} more problem(s) not listed" in done.stderr
    assert f"内容检查发现 {len(lost)} 个问题" in done.stderr
    named = {path.relative_to(out.parent).as_posix() for path, _ in lost}
    assert all(header.split(":")[0] in named for header in headers)

    with pytest.raises(ContentErrors) as caught:
        check(Paths(content=out))
    page = parse(error_page(caught.value))
    items = page.one("ol").find_all("li")
    assert len(items) == LISTED_ERRORS + 1
    assert f"另有 {len(lost) - LISTED_ERRORS} 个问题未列出" in items[-1].text()
    assert f"发现 {len(lost)} 个问题" in page.text()


def test_many_plans_name_their_documents_where_they_are_used_and_list_the_plans_once(tmp_path, monkeypatch):
    """Seven plans (benchmarks/synth.py, 1,000 tasks): a page of every plan cites the documents
    of the plans its tasks come from, up to CITED_PLANS; past it, it points to the site's list of
    plans. Past PLANS_LISTED plans, only the site's home lists them."""
    from catalogue import pages
    from catalogue.pipeline import Paths, build
    from html_dom import parse_file

    content = tmp_path / "content"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--tasks", "1000", "--out", str(content),
                    "--no-git"], check=True, capture_output=True)
    monkeypatch.setattr(pages, "PLANS_LISTED", 3)
    site = tmp_path / "site"
    build(Paths(content=content, out=site))

    # From the files: each plan's document, each leader's plans, each subject's plans.
    def load(path):
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    documents = {"2021": load(content / "site.yaml")["source_title"]}
    documents.update({folder.name: load(folder / "plan.yaml")["source_title"] for folder in (content / "plans").iterdir()})
    assert len(documents) == 7 > pages.CITED_PLANS
    slug = {leader["name"]: leader["slug"] for leader in load(content / "leaders.yaml")}
    leader_plans, subject_plans = {}, {}
    for path in content.rglob("tasks/*.yaml"):
        plan = path.parent.parent.name if path.parent.parent != content else "2021"
        task = load(path)
        for name in task["leaders"]:
            leader_plans.setdefault(slug[name], set()).add(plan)
        for subject in task.get("subjects") or []:
            subject_plans.setdefault(subject, set()).add(plan)

    def footer(path: str):
        return parse_file(site / path).one("footer")

    for leader, plans in leader_plans.items():
        cited = [cite.text() for cite in footer(f"leaders/{leader}/index.html").find_all("cite")]
        assert sorted(cited) == sorted(documents[plan] for plan in plans), leader
    widest = max(subject_plans, key=lambda subject: len(subject_plans[subject]))
    assert len(subject_plans[widest]) > pages.CITED_PLANS
    note = footer(f"subjects/{widest}/index.html")
    assert note.find_all("cite") == []
    assert f"依据 {len(subject_plans[widest])} 个计划的原文件" in note.text()
    assert note.one("a", href="../../index.html#plans-title")

    home = parse_file(site / "index.html")
    assert home.one("h2", id="plans-title")
    assert sorted(li.get("data-plan") for li in home.find_all("li") if li.get("data-plan")) == sorted(documents)
    for plan in documents:
        plan_home = parse_file(site / "plans" / plan / "index.html")
        assert [li for li in plan_home.find_all("li") if li.get("data-plan")] == []
        assert "本站收录 7 个计划" in plan_home.one("p", cls="all-plans").text()
