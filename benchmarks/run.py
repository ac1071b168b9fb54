#!/usr/bin/env python3
"""How the catalogue scales: one table for synthetic content of 166, 1,000 and 10,000 tasks
(and 100,000 with --huge).

    .venv/bin/python benchmarks/run.py [--sizes 166,1000,10000] [--huge] [--runs 3]
                                       [--no-browser] [--no-preview] [--no-pagefind]

For each size, content made by benchmarks/synth.py (kept in benchmarks/out/ between runs):

- the full build in a child process (`python build.py`), cold (no site, no cache beside it):
  CPU seconds (user + system) and wall seconds, median of --runs; peak memory (the child's
  maximum resident set); CPU per task; the system part, beside the least this machine's file
  system allows (its cost of one new file or folder, measured, times the site's files and folders);
- a second `python build.py` after one task file changed (the cache beside the site kept from
  the build before): CPU seconds and peak memory, median of --runs, each after another edit;
  then one after a registry changed, which makes every page again;
- the site: files, bytes, and the gzip bytes of the search index (everything under search/
  but the page);
- in Chromium, on the site served from 127.0.0.1 without compression: gzip bytes of the search
  files fetched before the first result, time from navigation to the first result on a cold
  page (median over the reader queries), keystroke to results painted for a one-character
  query (数) and a longer one (数字经济, typed one character at a time), five times each on each
  of five fresh pages, p90 (the first keystroke of each page among them); recall and
  precision against substring matching on the content;
- Pagefind on the same site (task pages only, as in search_bench.py): bytes before the first
  result, and recall;
- the preview (`build.py serve`): seconds from saving a task file to its page served with the
  change, to its section's page served with it (a page the build must find changed: by then
  every page is), and the slowest answer of the server to other requests meanwhile.

The commit measured heads the table. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import search_bench  # noqa: E402
from catalogue.reader import RACY_NS  # noqa: E402
from catalogue.write import cache_folder  # noqa: E402
from search_bench import (CHROMIUM, CHROMIUM_ARGS, KEYSTROKE_TIMER, cold_query, PAGEFIND, READER_QUERIES,  # noqa: E402
                          TASK_HREF, describe_files, percentile, recall_precision, sample_queries,
                          search_files, typed_keystrokes)

OUT = ROOT / "benchmarks" / "out"
SYNTH = ROOT / "benchmarks" / "synth.py"
ONE_CHARACTER, LONGER = "数", "数字经济"
# Opened on a cold page: reader queries (a lake, units, a leader, a topic, Latin) and the two typed.
COLD_QUERIES = READER_QUERIES[:6] + [ONE_CHARACTER, LONGER]
# Fresh pages the two are typed on. The first keystroke of a page waits for its term shard and
# runs code the page has not run yet: with one page, the p90 of 数's five keystrokes is that one
# keystroke, and one stall of a shared machine decides it.
KEYSTROKE_PAGES = 5


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return head + (" with uncommitted changes" if dirty else "")


# A fixed piece of work in the kinds a build does (dictionaries of texts, a sort by key, pickling,
# SHA-256), timed in a child process: the machine's speed at the hour of the figures beside it.
# Figures from different hours compare by their ratio to it, not as they are.
REFERENCE_WORK = """
import hashlib, pickle
texts = {str(number) * 3: number for number in range(200_000)}
ordered = sorted(texts, key=lambda text: text[::-1])
kept = pickle.loads(pickle.dumps([texts, ordered]))
hashlib.sha256(pickle.dumps(kept) * 8).digest()
"""


def machine_reference(runs: int = 5) -> float:
    """The median CPU seconds (user + system) of REFERENCE_WORK in a child process."""
    timings = []
    for _ in range(runs):
        child = subprocess.Popen([sys.executable, "-c", REFERENCE_WORK])
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit("the reference work failed")
        timings.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(timings)


def content_for(size: int) -> Path:
    """benchmarks/out/content-N, made again only when synth.py changed."""
    folder = OUT / f"content-{size}"
    stamp = OUT / f"content-{size}.stamp"
    digest = hashlib.sha256(SYNTH.read_bytes()).hexdigest()
    if not folder.is_dir() or not stamp.is_file() or stamp.read_text() != digest:
        subprocess.run([sys.executable, str(SYNTH), "--tasks", str(size), "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
        stamp.write_text(digest)
    return folder


def timed_build(content: Path, out: Path, cold: bool = True,
                build_py: Path = ROOT / "build.py") -> tuple[float, float, float, float]:
    """CPU seconds, wall seconds, peak MB and system CPU seconds of `build.py` in a child process;
    `cold`: with no site and no memory of one (the cache folder beside it) left by an earlier
    build. `build_py`: another checkout's (benchmarks/compare.py)."""
    if cold:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache_folder(out), ignore_errors=True)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(build_py), "--content", str(content),
                              "--out", str(out), "-q"], cwd=build_py.parent)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"build of {content} failed ({child.returncode})")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, usage.ru_stime


def new_entry_cost(beside: Path, count: int = 1000) -> float:
    """System CPU seconds this machine's file system takes to make one new file or folder, measured
    beside the site: a cold build makes one per page and one per folder, so this times the site's
    files and folders is the least system time a cold build can take here."""
    scratch = beside / ".new-entry-cost"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        before = os.times().system
        for number in range(count):
            folder = scratch / str(number)
            folder.mkdir()
            (folder / "index.html").write_bytes(b"")
        return (os.times().system - before) / (2 * count)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def warm_builds(content: Path, catalogue, runs: int) -> list[tuple[float, float, float]]:
    """`build.py` again after one task file changed, on a copy of the content, each run after
    another edit to another task."""
    work, site = OUT / "warm-content", OUT / "warm-site"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(content, work, ignore=shutil.ignore_patterns(".git"))
    try:
        timed_build(work, site)
        measured = []
        for run in range(runs):
            edit_text(work, catalogue.tasks[(run + 1) * len(catalogue.tasks) // (runs + 1)], f"改{run}")
            measured.append(timed_build(work, site, cold=False))
        # A registry edited: every page is made again, the most a build with memory writes.
        statuses = work / "statuses.yaml"
        text = statuses.read_text(encoding="utf-8")
        statuses.write_text(text.replace("meaning: ", "meaning: 说明有改动。", 1), encoding="utf-8")
        measured.append(timed_build(work, site, cold=False))
        return measured
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(cache_folder(site), ignore_errors=True)


def edit_text(content: Path, task, mark: str) -> None:
    """The task's text in its file under `content`, with `mark` added at its end."""
    path = content / task.file
    text = path.read_text(encoding="utf-8")
    edited = text.replace(f"text: {task.text}", f"text: {task.text}{mark}", 1)
    if edited == text:
        raise SystemExit(f"cannot find the text of {task.file} to edit it")
    path.write_text(edited, encoding="utf-8")


def site_figures(site: Path) -> dict:
    entries = list(site.rglob("*"))
    files = [p for p in entries if p.is_file()]
    index = [p for p in (site / "search").rglob("*") if p.is_file() and p.suffix != ".html"]
    biggest = max(files, key=lambda p: p.stat().st_size)
    return {"files": len(files), "folders": len(entries) - len(files), "bytes": sum(p.stat().st_size for p in files),
            "index_gz": sum(gz(p.read_bytes()) for p in index),
            "biggest": (biggest.relative_to(site).as_posix(), biggest.stat().st_size)}


def ours(browser, base: str, catalogue, queries: list[str]) -> dict:
    """Cold bytes and first result, keystrokes, and what each query lists."""
    url = base + "search/index.html"
    cold_bytes, first, cold_files = [], [], {}
    for query in COLD_QUERIES:
        responses, first_ms = cold_query(browser, url, query, "['results', 'empty', 'none']", timeout=120_000)
        first.append(first_ms or float("nan"))
        files = search_files(responses)
        cold_bytes.append(sum(size for _, size in files))
        cold_files[query] = (files, first_ms is not None)

    strokes: dict[str, list[float]] = {ONE_CHARACTER: [], LONGER: []}
    first_keystrokes = []
    for _ in range(KEYSTROKE_PAGES):
        typed = keystrokes(browser, url)
        first_keystrokes.append(typed[ONE_CHARACTER][0])
        for query, times in typed.items():
            strokes[query] += times

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.querySelector('[data-search]').dataset.state !== 'loading'",
                           timeout=120_000)
    box = page.locator("#search-input")
    found = {}
    for query in queries:
        box.fill(query)
        page.wait_for_function("q => document.querySelector('[data-search]').dataset.query === q",
                               arg=query.strip(), timeout=60_000)
        found[query] = all_result_ids(page)
    context.close()
    return {"cold_gz": cold_bytes, "cold_files": cold_files, "first_ms": first, "strokes": strokes,
            "first_keystrokes": first_keystrokes, "found": found}


def keystrokes(browser, url: str) -> dict[str, list[float]]:
    """On a page opened with nothing asked, 数 and 数字经济 typed five times each, one character at
    a time: milliseconds from each keystroke to its results painted, in order, per query."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.add_init_script(KEYSTROKE_TIMER)
    page.goto(url)
    page.wait_for_function("document.querySelector('[data-search]').dataset.state !== 'loading'",
                           timeout=120_000)
    # A reader types into the page they see: once what it drew with the index is painted.
    page.evaluate("() => new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)))")
    box = page.locator("#search-input")
    strokes: dict[str, list[float]] = {ONE_CHARACTER: [], LONGER: []}
    for query in [ONE_CHARACTER, LONGER] * 5:
        box.fill("")
        page.wait_for_function("document.querySelector('[data-search]').dataset.query === ''")
        page.evaluate("window.__keystrokes = []")
        for i, char in enumerate(query):
            page.keyboard.type(char)
            page.wait_for_function("q => document.querySelector('[data-search]').dataset.query === q",
                                   arg=query[:i + 1], timeout=60_000)
        page.wait_for_timeout(50)
        strokes[query] += [k["painted"] for k in typed_keystrokes(page.evaluate("window.__keystrokes"), query)]
    context.close()
    return strokes


def all_result_ids(page) -> list[str]:
    """Task ids of every result, asking for the further pages of results when there are any."""
    settled = "() => !document.querySelector('[data-search]').hasAttribute('data-pending')"
    page.wait_for_function(settled, timeout=60_000)
    while page.locator("#search-more:not([hidden])").count():
        page.click("#search-more")
        page.wait_for_function(settled, timeout=60_000)  # a sharded index loads further records
    hrefs = page.eval_on_selector_all("#search-results a[href]", "as => as.map(a => a.href)")
    return [m.group(1) for m in map(TASK_HREF.search, hrefs) if m]


def pagefind(browser, site: Path, queries: list[str]) -> dict:
    copy, _ = search_bench.pagefind_site(site)
    server, base = search_bench.serve(copy)
    try:
        measured = search_bench.pagefind_in_chromium(browser, base, queries, 1)
    finally:
        server.shutdown()
        shutil.rmtree(copy, ignore_errors=True)
    return {"cold_gz": [m[1][1] for m in measured["cold_first"]], "found": measured["found"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def preview(content: Path, catalogue, build_py: Path = ROOT / "build.py") -> tuple[float, float, float]:
    """Seconds from saving a task file to its page served with the change and to its section's
    page served with it, and the slowest answer (seconds) to other requests while the preview
    rebuilt. `build_py`: the build.py whose preview is timed (compare.py: another commit's)."""
    work = OUT / "preview-content"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(content, work, ignore=shutil.ignore_patterns(".git"))
    # Files an editor previews were written before the preview started. Files written within
    # reader.RACY_NS of being read are read again by the next build (their stamps may not show a
    # second write in the same tick): the copy waits that long, or the edit's build reads them all.
    time.sleep(RACY_NS / 1e9)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, str(build_py), "serve", "--content", str(work),
                               "--out", str(OUT / "preview-site"), "--port", str(port), "-q"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    task = catalogue.tasks[len(catalogue.tasks) // 2]
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                if fetch(base + task.path, 1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.0)  # let the watcher settle after the first build
        marker = f"预览计时{time.monotonic_ns()}"
        path = work / task.file
        text = path.read_text(encoding="utf-8")
        slowest = [0.0]
        stop = threading.Event()

        def probe() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    fetch(base + "index.html", 30)
                except OSError:
                    pass
                slowest[0] = max(slowest[0], time.perf_counter() - started)
                time.sleep(0.05)

        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        saved = time.perf_counter()
        path.write_text(text.replace(f"text: {task.text}", f"text: {task.text}{marker}", 1), encoding="utf-8")
        # One page asked for at a time, the task's first: every request takes the server's time
        # from the build it measures.
        seen = {task.path: float("nan"), task.section.path: float("nan")}
        for path in seen:
            while time.perf_counter() - saved < 300:
                try:
                    if marker.encode() in fetch(base + path, 30)[1]:
                        seen[path] = time.perf_counter() - saved
                        break
                except OSError:
                    pass
                time.sleep(0.02)
        stop.set()
        prober.join()
        return seen[task.path], seen[task.section.path], slowest[0]
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(OUT / "preview-site", ignore_errors=True)


def fmt_kb(value: float) -> str:
    return f"{value / 1000:,.0f} KB" if value >= 10_000 else f"{value / 1000:.1f} KB"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="166,1000,10000", help="task counts (default 166,1000,10000)")
    parser.add_argument("--huge", action="store_true", help="add 100,000 tasks (build figures only)")
    parser.add_argument("--runs", type=int, default=3, help="builds per size; the median is shown")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium and Pagefind")
    parser.add_argument("--no-pagefind", action="store_true", help="skip Pagefind")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview timing")
    parser.add_argument("--no-warm", action="store_true", help="skip the second build after an edit")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] + ([100_000] if args.huge else [])
    OUT.mkdir(parents=True, exist_ok=True)
    browser_ok = not args.no_browser and Path(CHROMIUM).exists()

    from catalogue.pipeline import Paths, check

    rows = []
    for size in sizes:
        content = content_for(size)
        site = OUT / f"site-{size}"
        runs = 1 if size >= 100_000 else args.runs
        builds = [timed_build(content, site) for _ in range(runs)]
        row = {"size": size,
               "cpu": statistics.median(b[0] for b in builds),
               "wall": statistics.median(b[1] for b in builds),
               "peak": max(b[2] for b in builds), "system": statistics.median(b[3] for b in builds),
               "entry_cost": new_entry_cost(OUT), **site_figures(site)}
        print(f"… {size} tasks: built in {row['cpu']:.1f} s CPU", file=sys.stderr, flush=True)
        if size < 100_000 and (browser_ok or not args.no_preview or not args.no_warm):
            catalogue = check(Paths(content=content))
            if not args.no_warm:
                *warm, every_page = warm_builds(content, catalogue, args.runs)
                row["warm"] = (statistics.median(w[0] for w in warm), max(w[2] for w in warm), every_page[0],
                               every_page[2])
            if browser_ok:
                from playwright.sync_api import sync_playwright

                queries = READER_QUERIES + sample_queries(catalogue, 60)
                server, base = search_bench.serve(site)
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    row["ours"] = ours(browser, base, catalogue, queries)
                    row["ours_rp"] = recall_precision(catalogue, row["ours"]["found"])
                    if PAGEFIND.exists() and not args.no_pagefind:
                        row["pf"] = pagefind(browser, site, queries)
                        row["pf_rp"] = recall_precision(catalogue, row["pf"]["found"])
                    browser.close()
                server.shutdown()
            if not args.no_preview:
                row["preview"] = preview(content, catalogue)
            del catalogue
        rows.append(row)

    print(f"Scale benchmark at commit {commit()}; {os.cpu_count()} cores; build median of {args.runs} "
          "(CPU = user + system of the build process)")
    print(f"Machine reference (benchmarks/run.py REFERENCE_WORK): {machine_reference():.3f} CPU s, median of 5\n")
    print("| tasks | build CPU s | per task ms | wall s | peak MB | files | site MB | biggest file |"
          " index gzip |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        print(f"| {r['size']:,} | {r['cpu']:.2f} | {1000 * r['cpu'] / r['size']:.2f} | {r['wall']:.2f} |"
              f" {r['peak']:.0f} | {r['files']:,} | {r['bytes'] / 1e6:.1f} |"
              f" {r['biggest'][0]} {r['biggest'][1] / 1000:,.0f} KB | {fmt_kb(r['index_gz'])} |")
    print("\nSystem time of the cold builds, and the least this machine's file system allows: a new file"
          " or folder costs it the time measured just after the builds, and a cold build makes every one.\n")
    print("| tasks | system CPU s | new file or folder ms | files + folders | least system s |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        entries = r["files"] + r["folders"]
        print(f"| {r['size']:,} | {r['system']:.2f} | {1000 * r['entry_cost']:.3f} | {entries:,} |"
              f" {entries * r['entry_cost']:.2f} |")
    if any("warm" in r for r in rows):
        print("\nA second `build.py` after one task file changed (the cache beside the site kept), and one"
              " after a registry changed (every page made again):\n")
        print("| tasks | build CPU s | peak MB | every page: CPU s | peak MB |")
        print("|---:|---:|---:|---:|---:|")
        for r in rows:
            if "warm" in r:
                print(f"| {r['size']:,} | {r['warm'][0]:.2f} | {r['warm'][1]:.0f} | {r['warm'][2]:.2f} |"
                      f" {r['warm'][3]:.0f} |")
    if any("ours" in r for r in rows):
        print("\nSearch in Chromium (loopback, no compression; gzip bytes as a compressing server would send):\n")
        print("| tasks | before first result gzip (median / max) | first result ms (median / max) |"
              f" keystroke p90 {ONE_CHARACTER} | keystroke p90 {LONGER} | recall / precision |"
              " Pagefind before first result | Pagefind recall / precision |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            if "ours" not in r:
                continue
            o = r["ours"]
            pf = (f"{fmt_kb(statistics.median(r['pf']['cold_gz']))} | {r['pf_rp'][0]:.3f} / {r['pf_rp'][1]:.3f}"
                  if "pf" in r else "— | —")
            print(f"| {r['size']:,} | {fmt_kb(statistics.median(o['cold_gz']))} / {fmt_kb(max(o['cold_gz']))} |"
                  f" {statistics.median(o['first_ms']):.0f} / {max(o['first_ms']):.0f} |"
                  f" {percentile(o['strokes'][ONE_CHARACTER], 0.9):.1f} ms |"
                  f" {percentile(o['strokes'][LONGER], 0.9):.1f} ms |"
                  f" {r['ours_rp'][0]:.3f} / {r['ours_rp'][1]:.3f} | {pf} |")
    for r in rows:
        if "ours" in r:
            o = r["ours"]
            print(f"\nKeystrokes at {r['size']:,} tasks, ms to the results painted, on {KEYSTROKE_PAGES} fresh pages:"
                  f" {ONE_CHARACTER} typed first on each, {', '.join(f'{ms:.1f}' for ms in o['first_keystrokes'])};"
                  + "".join(f" {query}: median {statistics.median(times):.1f}, p90 {percentile(times, 0.9):.1f},"
                            f" max {max(times):.1f} of {len(times)};" for query, times in o["strokes"].items()))
            print(f"\nBefore the first result at {r['size']:,} tasks, per query (gzip KB; the heaviest first):\n")
            print("| query | gzip | files |")
            print("|---|---:|---|")
            for query, (files, had_result) in r["ours"]["cold_files"].items():
                total = fmt_kb(sum(size for _, size in files))
                print(f"| {query} | {total if had_result else total + ' (no result: all it loaded)'} |"
                      f" {describe_files(files)} |")
    if any("preview" in r for r in rows):
        print("\nPreview (`build.py serve`): a saved task file until its page is served with the change,"
              " and until its section's page is (every page is then); the slowest answer to other"
              " requests meanwhile.\n")
        print("| tasks | save → task page s | save → section page s | slowest other answer s |")
        print("|---:|---:|---:|---:|")
        for r in rows:
            if "preview" in r:
                print(f"| {r['size']:,} | {r['preview'][0]:.2f} | {r['preview'][1]:.2f} | {r['preview'][2]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
