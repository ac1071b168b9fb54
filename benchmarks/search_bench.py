#!/usr/bin/env python3
"""Measure search against its budgets, and Pagefind on the same site beside it.

    .venv/bin/python benchmarks/search_bench.py [--runs N]

Builds the real content into benchmarks/out/site, then prints one table:

- index build time (lunr.py, median of N runs; budget 0.5 s);
- gzip bytes of the index and of what the search page loads to show results (budget 100 KB);
- in Chromium, from a keystroke to the results painted, median over every keystroke of the
  reader queries typed one character at a time (budget 50 ms);
- for this search and for Pagefind (npm package, run on a copy of the same site, indexing the
  task pages): bytes transferred for one query on a cold page, recall and precision on the same
  queries against substring matching on the content, and time from navigation to the first
  result on the page.

Everything is served by http.server on 127.0.0.1, without compression, so the gzip figures are
what a server that compresses would send; loopback hides network latency, so cold times are
lower bounds and bytes are what a slow connection feels. Needs Chromium at /usr/bin/chromium and
`npm ci` for Pagefind. Timings are printed, never asserted: tests do not time anything.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.pipeline import Paths, build  # noqa: E402
from catalogue.search import FIELDS, search_outputs, search_payload, searchable_fields  # noqa: E402
from catalogue.tokenizer import tokenize  # noqa: E402
from catalogue.tokenizer import normalise  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGEFIND = ROOT / "node_modules" / ".bin" / "pagefind"

# The browser tests' reader queries: a place, a unit, part of a unit, a leader, topics, Latin
# and digits in either case, one character, two words.
READER_QUERIES = ["鄱阳湖", "省科技厅", "科技厅", "孙菊生", "养老", "5G", "vr", "R&D", "12345", "湖",
                  "数字 经济", "文化 旅游"]
# A task page's address without index.html: tasks/1-5 or plans/hunan-2021/tasks/1-5.
TASK_HREF = re.compile(r"((?:plans/[^/]+/)?tasks/[^/]+)/(?:index\.html)?$")

BUDGET_BUILD_S = 0.5
BUDGET_BYTES = 100_000
BUDGET_KEYSTROKE_MS = 50


# --- the site ------------------------------------------------------------------------------

def build_site() -> tuple[Path, object]:
    """Build content/ into benchmarks/out/site; return the folder and the catalogue."""
    out = OUT / "site"
    result = build(Paths(out=out))
    return out, result.catalogue


def address(task) -> str:
    return task.path.removesuffix("/index.html")


def expected(catalogue, query: str, name=address) -> set[str]:
    """The tasks that contain every word of `query`, each named by `name`."""
    words = normalise(query).split()
    found = set()
    for task in catalogue.tasks:
        strings = [normalise(s) for values in searchable_fields(task).values() for s in values]
        if all(any(word in string for string in strings) for word in words):
            found.add(name(task))
    return found


def sample_queries(catalogue, count: int = 200) -> list[str]:
    """Random pieces (2–4 characters) of task texts and whole unit and leader names."""
    rng = random.Random(2021)
    pieces = set()
    texts = [task.text for task in catalogue.tasks]
    while len(pieces) < count * 3 // 4:
        text = rng.choice(texts)
        length = rng.randint(2, 4)
        start = rng.randrange(max(1, len(text) - length + 1))
        piece = text[start:start + length]
        if re.fullmatch(r"\w+", piece):
            pieces.add(piece)
    names = sorted({u.name for u in catalogue.units} | {l.name for l in catalogue.leaders})
    return sorted(pieces) + rng.sample(names, min(len(names), count - len(pieces)))


def serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def gz(data: bytes) -> int:
    return min(len(data), len(gzip.compress(data, 9)))


# --- measurements --------------------------------------------------------------------------

def lunr_py_index(catalogue) -> dict:
    """The index lunr.py's own Builder makes of the tasks' terms, with no pipeline and no length
    normalisation, serialized: what the catalogue's index is held to (tests/test_search_index.py)
    and, in size, compared with."""
    from lunr.builder import Builder

    builder = Builder()
    builder.ref("ref")
    builder.b(0)
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost)
    for position, task in enumerate(catalogue.tasks):
        builder.add({"ref": str(position), **{name: [term for string in strings for term in tokenize(string)]
                                              for name, strings in searchable_fields(task).items()}})
    return builder.build().serialize()


def time_index_build(catalogue, runs: int) -> tuple[float, float]:
    """Median seconds of making the index from scratch (with the payload search/index.js holds),
    and of writing search/index.js whole."""
    index_times, output_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        search_payload(catalogue)
        index_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        search_outputs(catalogue)
        output_times.append(time.perf_counter() - started)
    return statistics.median(index_times), statistics.median(output_times)


def page_files(site: Path) -> list[tuple[str, int, int]]:
    """(path, bytes, gzip bytes) of the search page and every local file it loads."""
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', html)
    refs += [re.search(r'href="([^"]+)"', tag).group(1)
             for tag in re.findall(r'<link\b[^>]*>', html)
             if re.search(r'rel="(?:stylesheet|preload|icon)"', tag)]
    paths = ["search/index.html"]
    for ref in refs:
        if "://" in ref or ref.startswith("//"):
            continue
        path = (Path("search") / ref).as_posix()
        parts = []
        for part in path.split("/"):
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        path = "/".join(parts)
        if path not in paths and (site / path).is_file():
            paths.append(path)
    return [(path, (site / path).stat().st_size, gz((site / path).read_bytes())) for path in paths]


def search_data(site: Path) -> dict:
    """The object search/index.js assigns to window.CatalogueSearchData."""
    text = (site / "search" / "index.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))


def payload_parts(payload: dict, catalogue) -> list[tuple[str, int, int]]:
    """(part, bytes, gzip bytes) of each key of search/index.js, and of lunr.py's own serialization
    of the same index, which the packed `index` replaces."""
    parts = []
    for key, value in payload.items():
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        parts.append((key, len(body), gz(body)))
    body = json.dumps(lunr_py_index(catalogue), ensure_ascii=False,
                      separators=(",", ":")).encode()
    parts.append(("lunr.py's serialize(), for comparison", len(body), gz(body)))
    return parts


SEARCH_FILES = ("search/index.js", "assets/vendor/lunr/lunr.min.js", "assets/js/tokenize.js",
                "assets/js/search-engine.js", "assets/js/search.js")
# The shards of a large catalogue's index, loaded on demand (docs/scale.md).
SHARDS = re.compile(r"/search/(terms/[0-9a-f]+|tasks/[0-9]+|subjects/[0-9]+|facets)\.js$")


def is_search_file(url: str) -> bool:
    """One of the files search adds to a page: ours, or Pagefind's."""
    return url.endswith(SEARCH_FILES) or "/pagefind/" in url or SHARDS.search(url) is not None


def bodies(responses, keep=lambda url: True):
    """(URL, body) of the responses whose URL `keep` accepts and whose body is still there."""
    for response in responses:
        if not keep(response.url):
            continue
        try:
            yield response.url, response.body()
        except Exception:
            continue


def search_files(responses) -> list[tuple[str, int]]:
    """The search files among the responses, each as its path on the site and its gzip bytes,
    the heaviest first."""
    files = [(urlsplit(url).path.lstrip("/"), gz(body)) for url, body in bodies(responses, is_search_file)]
    return sorted(files, key=lambda file: (-file[1], file[0]))


# Files of one kind, many to a query: named by their count and weight together.
RECORD_CHUNK = re.compile(r"^search/tasks/[0-9]+\.js$")


def describe_files(files: list[tuple[str, int]], named: int = 6) -> str:
    """What a query loaded, for a reader of the table: the heaviest files by name, the chunks of
    task records counted together, the rest summed."""
    chunks = [size for path, size in files if RECORD_CHUNK.match(path)]
    others = [(path, size) for path, size in files if not RECORD_CHUNK.match(path)]
    parts = [f"{path} {size / 1000:.1f}" for path, size in others[:named]]
    if chunks:
        parts.append(f"{len(chunks)} record chunk{'s' if len(chunks) > 1 else ''} {sum(chunks) / 1000:.1f}")
    if others[named:]:
        parts.append(f"{len(others) - named} more {sum(size for _, size in others[named:]) / 1000:.1f}")
    return ", ".join(parts)


def transferred(responses, keep=lambda url: True) -> tuple[int, int]:
    """Bytes and gzip bytes of the bodies of the responses whose URL `keep` accepts."""
    raw = packed = 0
    for _, body in bodies(responses, keep):
        raw += len(body)
        packed += gz(body)
    return raw, packed


KEYSTROKE_TIMER = """
(() => {
  window.__keystrokes = [];
  // A keystroke is timed from its first event: keydown, or beforeinput for text inserted without
  // a key (an input method; Playwright's type() of a character no key makes). It counts only once
  // its input event has changed the box: a key that changes nothing (Delete in an empty box, as
  // fill("") sends) draws nothing, and the next keystroke would otherwise be timed from it.
  let started = null;  // the first keystroke not yet drawn
  let key = null, before = null;  // the current key's first event and the box's value then
  const begin = (event) => {
    if (key === null) { key = event.timeStamp; before = event.target.value; }
  };
  window.addEventListener("keydown", begin, true);
  window.addEventListener("beforeinput", begin, true);
  window.addEventListener("input", (event) => {
    if (key !== null && event.target.value !== before && started === null) started = key;
    key = null;
  }, true);
  window.addEventListener("keyup", () => { key = null; }, true);
  // A large catalogue's page loads a script per shard and chunk: keep every timing entry.
  performance.setResourceTimingBufferSize(100000);
  window.addEventListener("search:shown", (event) => {
    const now = performance.now();
    if (event.detail.state === "results" && window.__firstResult === undefined) {
      window.__firstResult = now;
      // What had arrived when the first results were drawn (the facet table may follow them).
      window.__beforeFirst = performance.getEntriesByType("resource")
        .filter((entry) => entry.responseEnd > 0).map((entry) => entry.name);
    }
    if (started === null) return;
    const from = started;
    started = null;
    const query = event.detail.query;
    requestAnimationFrame(() => setTimeout(() => {
      window.__keystrokes.push({query: query, from: from, dom: now - from, painted: performance.now() - from});
    }, 0));
  }, true);
})();
"""


def typed_keystrokes(keystrokes: list[dict], typed: str = "") -> list[dict]:
    """The keystrokes that drew a query (part of `typed`, when given): not those that emptied the
    box between two queries, nor the last of the query before, whose drawings may be recorded
    after the list was read or cleared."""
    return [keystroke for keystroke in keystrokes
            if keystroke["query"] and (not typed or typed.startswith(keystroke["query"]))]


def cold_query(browser, url: str, query: str, settled_states: str, timeout: float = 30_000):
    """Open the search page with ?q= in a fresh browser context (nothing cached); return the
    responses it loaded before its first result (all of them when there was none, or when the
    page does not say when that was) and the milliseconds to it (None when there was none).
    `settled_states` is a JavaScript array of the states that end the wait."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    loaded = []

    def record(response) -> None:  # a function: Playwright marks its handlers
        loaded.append(response)

    page.on("response", record)
    page.add_init_script(KEYSTROKE_TIMER)
    page.goto(url + "?q=" + quote(query))
    page.wait_for_function(f"{settled_states}.includes(document.querySelector('[data-search]').dataset.state)",
                           timeout=timeout)
    first = page.evaluate("window.__firstResult")
    before_first = page.evaluate("window.__beforeFirst")
    page.wait_for_timeout(100)
    # The page goes on loading (the rest of the first page of results, the facet table) while
    # the bodies are read: what arrives from now on is not counted.
    page.remove_listener("response", record)
    responses = list(loaded)
    if before_first is not None:  # our page: what came after the first results is not counted
        arrived = set(before_first)
        responses = [response for response in responses if response.url in arrived]
    read = [_Read(response) for response in responses]  # bodies are gone once the context closes
    context.close()
    return read, first


class _Read:
    """A response whose body was read while its page was open."""

    def __init__(self, response):
        self.url = response.url
        try:
            self._body = response.body()
        except Exception:
            self._body = None

    def body(self) -> bytes:
        if self._body is None:
            raise ValueError(f"no body for {self.url}")
        return self._body


def ours_in_chromium(browser, base: str, catalogue, queries: list[str], runs: int) -> dict:
    """Keystroke latency, cold bytes and time to first result, recall, on the search page."""
    url = base + "search/index.html"
    found: dict[str, list[str]] = {}

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.add_init_script(KEYSTROKE_TIMER)
    page.goto(url)
    page.wait_for_function("document.querySelector('[data-search]').dataset.state !== 'loading'")
    box = page.locator("#search-input")
    for _ in range(runs):
        for query in READER_QUERIES:
            box.fill("")
            page.wait_for_function("document.querySelector('[data-search]').dataset.query === ''")
            for i, char in enumerate(query):
                page.keyboard.type(char)
                typed = query[:i + 1].strip()
                page.wait_for_function(
                    "q => document.querySelector('[data-search]').dataset.query === q", arg=typed)
    page.wait_for_timeout(100)
    keystrokes = typed_keystrokes(page.evaluate("window.__keystrokes"))
    for query in queries:
        box.fill(query)
        page.wait_for_function("q => document.querySelector('[data-search]').dataset.query === q",
                               arg=query.strip())
        settled = "() => !document.querySelector('[data-search]').hasAttribute('data-pending')"
        page.wait_for_function(settled)
        while page.locator("#search-more").is_visible():  # every page of results
            page.click("#search-more")
            page.wait_for_function(settled)
        hrefs = page.eval_on_selector_all("#search-results a[href]", "as => as.map(a => a.href)")
        found[query] = [m.group(1) for m in map(TASK_HREF.search, hrefs) if m]
    context.close()

    cold_bytes, first_result = [], []
    for query in READER_QUERIES:
        responses, first = cold_query(browser, url, query, "['results']")
        first_result.append(first)
        cold_bytes.append((transferred(responses), transferred(responses, is_search_file)))
    return {
        "keystroke_dom": [k["dom"] for k in keystrokes],
        "keystroke_painted": [k["painted"] for k in keystrokes],
        "found": found,
        "cold_bytes": cold_bytes,
        "first_result_ms": first_result,
    }


PAGEFIND_HARNESS = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><ol id="results"></ol>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.init();
window.pagefind = pagefind;
window.runQuery = async (q, all) => {
  const started = performance.now();
  const search = await pagefind.search(q);
  const shown = all ? search.results : search.results.slice(0, 1);
  const data = await Promise.all(shown.map((result) => result.data()));
  const list = document.getElementById("results");
  list.replaceChildren(...data.map((d) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = d.url; a.innerHTML = d.excerpt; li.append(a); return li;
  }));
  return {ms: performance.now() - started, urls: data.map((d) => d.url), count: search.results.length};
};
const q = new URLSearchParams(location.search).get("q");
if (q) {
  const answer = await window.runQuery(q, false);
  window.firstResult = {at: performance.now(), answer};
}
window.ready = true;
</script></body></html>
"""


def pagefind_site(site: Path) -> tuple[Path, float]:
    """A copy of the site with Pagefind's index of the task pages: the task's article, without
    its history, edit link and links to the neighbouring tasks. Returns it and the index time."""
    copy = OUT / "pagefind-site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy)
    for page in [*copy.glob("tasks/*/index.html"), *copy.glob("plans/*/tasks/*/index.html")]:
        html = page.read_text(encoding="utf-8")
        html = html.replace('<article class="task"', '<article class="task" data-pagefind-body', 1)
        for marker in ('<section class="history"', '<p class="edit-link"', '<nav class="pager"'):
            html = html.replace(marker, marker + " data-pagefind-ignore", 1)
        page.write_text(html, encoding="utf-8")
    (copy / "pagefind-bench.html").write_text(PAGEFIND_HARNESS, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([str(PAGEFIND), "--site", str(copy), "--glob", "{tasks,plans/*/tasks}/*/index.html"],
                   check=True, capture_output=True)
    return copy, time.perf_counter() - started


def pagefind_in_chromium(browser, base: str, queries: list[str], runs: int) -> dict:
    url = base + "pagefind-bench.html"
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("window.ready === true")
    found = {}
    for query in queries:
        answer = page.evaluate("q => window.runQuery(q, true)", query)
        found[query] = [m.group(1) for m in map(TASK_HREF.search, answer["urls"]) if m]
    warm = []
    for _ in range(runs):
        for query in READER_QUERIES:
            for i in range(len(query)):
                if query[:i + 1].strip():
                    warm.append(page.evaluate("q => window.runQuery(q, false)", query[:i + 1])["ms"])
    context.close()

    cold_first, cold_all, first_result = [], [], []
    for query in READER_QUERIES:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url + "?q=" + quote(query))
        page.wait_for_function("window.ready === true")
        first = page.evaluate("window.firstResult")
        if first and first["answer"]["count"]:
            first_result.append(first["at"])
        cold_first.append((transferred(responses), transferred(responses, is_search_file)))
        page.evaluate("q => window.runQuery(q, true)", query)
        page.wait_for_timeout(50)
        cold_all.append((transferred(responses), transferred(responses, is_search_file)))
        context.close()
    return {"found": found, "warm_ms": warm, "cold_first": cold_first, "cold_all": cold_all,
            "first_result_ms": first_result}


# --- report --------------------------------------------------------------------------------

def recall_precision(catalogue, found: dict[str, list[str]]) -> tuple[float, float, int]:
    """Micro-averaged recall and precision, and how many queries came back exactly right."""
    hits = wanted = got = exact = 0
    for query, ids in found.items():
        want = expected(catalogue, query)
        hits += len(want & set(ids))
        wanted += len(want)
        got += len(set(ids))
        exact += want == set(ids)
    return hits / max(wanted, 1), hits / max(got, 1), exact


# What readers type that the document does not say, and what they mean: (query, subject slug the
# reader means or None, the document's word they mean or None). Written by hand.
COLLOQUIAL = [
    ("養老", "elderly-care", "养老"), ("鄱陽湖", None, "鄱阳湖"), ("醫院", "health", "医院"),
    ("看病", "health", None), ("上学", "education", None), ("房子", "housing", None),
    ("老人", "elderly-care", None), ("公交", "transport", None), ("幼儿园", "preschool", None),
    ("找工作", "employment", None), ("养老阮", "elderly-care", "养老"), ("鄱阳胡", None, "鄱阳湖"), ("数字经挤", None, "数字经济"),
]


def colloquial_table(site: Path, catalogue) -> None:
    """What each forgiving step adds on COLLOQUIAL, from the engine run under Node: exact
    matches, those found after folding traditional characters, those found through a subject,
    the suggestion; and the share of the tasks the reader means that the page lists."""
    import json
    queries = [{"q": query, "filters": {}} for query, _, _ in COLLOQUIAL]
    done = subprocess.run(["node", str(ROOT / "tests" / "js" / "search_cli.js"), "search",
                           str(site / "search" / "index.js")], input=json.dumps(queries),
                          capture_output=True, text=True, check=True)
    answers = json.loads(done.stdout)
    print("\nColloquial queries (engine under Node; “meant” = the subject's tasks and those containing the word meant):\n")
    print("| query | meant | exact | + simplified | + subject | suggestion | meant tasks listed |")
    print("|---|---|---:|---:|---:|---|---:|")
    for (query, subject, word), answer in zip(COLLOQUIAL, answers):
        meant = set()
        if subject:
            meant |= {task.id for task in catalogue.tasks if any(s.slug == subject for s in task.subjects)}
        if word:
            # The real content is one plan: the engine's task ids name its tasks.
            meant |= expected(catalogue, word, name=lambda task: task.id)
        kinds = [match["reason"]["kind"] for match in answer["related"]]
        listed = {match["id"] for match in answer["matches"]} | {match["id"] for match in answer["related"]}
        suggestion = answer["suggestion"]
        names = [s.name for s in catalogue.subjects if s.slug == subject]
        names += [word] if word and word not in names else []
        print(f"| {query} | {'、'.join(names)} | {len(answer['matches'])} | "
              f"{kinds.count('folded')} | {kinds.count('subject')} | "
              f"{'“%s” %d 项' % (suggestion['text'], suggestion['count']) if suggestion else '—'} | "
              f"{len(meant & listed)}/{len(meant)} |")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each timing (default 5)")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    site, catalogue = build_site()
    index_s, outputs_s = time_index_build(catalogue, max(args.runs, 3))
    files = page_files(site)
    search_only = [f for f in files if f[0] in SEARCH_FILES]
    search_gz = sum(f[2] for f in search_only)
    page_gz = sum(f[2] for f in files)

    reader = READER_QUERIES
    sample = sample_queries(catalogue)
    pf_site, pf_build_s = pagefind_site(site) if PAGEFIND.exists() else (None, 0.0)

    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    pf_server, pf_base = serve(pf_site) if pf_site else (None, None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ours = ours_in_chromium(browser, base, catalogue, reader + sample, args.runs)
        theirs = pagefind_in_chromium(browser, pf_base, reader + sample, args.runs) if pf_site else None
        browser.close()
    server.shutdown()
    if pf_server:
        pf_server.shutdown()

    print(f"Search benchmark: {len(catalogue.tasks)} tasks, Chromium {CHROMIUM}, {args.runs} runs\n")
    print("Files the search page loads (gzip -9):\n")
    print("| file | bytes | gzip |")
    print("|---|---:|---:|")
    for path, raw, packed in files:
        print(f"| {path} | {raw:,} | {packed:,} |")
    print(f"| **search: index + scripts** | {sum(f[1] for f in search_only):,} | **{search_gz:,}** |")
    print(f"| whole page (HTML, CSS, all scripts, index) | {sum(f[1] for f in files):,} | {page_gz:,} |")

    print("\nWhat search/index.js holds (each key as compact JSON; gzip -9):\n")
    print("| key | bytes | gzip |")
    print("|---|---:|---:|")
    data = search_data(site)
    for key, raw, packed in payload_parts(data, catalogue):
        print(f"| {key} | {raw:,} | {packed:,} |")
    print(f"\n{len(data['index']['terms'].split(' '))} index terms; {len(data.get('fold', '')) // 2} "
          f"traditional → simplified pairs.")

    dom = statistics.median(ours["keystroke_dom"])
    painted = ours["keystroke_painted"]
    ours_rp = {name: recall_precision(catalogue, {q: ours["found"][q] for q in queries})
               for name, queries in (("reader", reader), ("sample", sample))}
    print("\nBudgets:\n")
    print("| budget | limit | measured | margin |")
    print("|---|---:|---:|---:|")
    print(f"| index and payload made (median) | {BUDGET_BUILD_S} s | {index_s:.3f} s "
          f"(search/index.js whole: {outputs_s:.3f} s) | {BUDGET_BUILD_S - index_s:.3f} s |")
    print(f"| index + what the page needs to show results, gzip | {BUDGET_BYTES / 1000:.0f} KB | "
          f"{search_gz / 1000:.1f} KB | {(BUDGET_BYTES - search_gz) / 1000:.1f} KB below |")
    print(f"| keystroke → results painted, median of {len(painted)} keystrokes | {BUDGET_KEYSTROKE_MS} ms | "
          f"{statistics.median(painted):.1f} ms (p90 {percentile(painted, 0.9):.1f}, max {max(painted):.1f}; "
          f"in the DOM after {dom:.1f}) | {BUDGET_KEYSTROKE_MS - statistics.median(painted):.1f} ms |")

    colloquial_table(site, catalogue)

    print(f"\nBeside Pagefind {subprocess.run([str(PAGEFIND), '--version'], capture_output=True, text=True).stdout.strip() if pf_site else '(not installed: npm ci)'}"
          f" on the same site ({len(reader)} reader queries; recall also on {len(sample)} random pieces of task text and names):\n")
    print("| | this search (Lunr) | Pagefind |")
    print("|---|---:|---:|")

    def kb(measured, search_only):
        """Median gzip KB over the queries, of everything or of the search files only."""
        return f"{statistics.median(m[1 if search_only else 0][1] for m in measured) / 1000:.1f} KB"

    pf = theirs
    print(f"| index built | {index_s:.2f} s (lunr.py) | {pf_build_s:.2f} s (whole CLI run) |")
    print(f"| bytes for one query on a cold page, search files, gzip (median) | "
          f"{kb(ours['cold_bytes'], True)} (every result) | "
          + (f"{kb(pf['cold_first'], True)} (first result), {kb(pf['cold_all'], True)} (every result)"
             if pf else "—") + " |")
    print(f"| same, everything the page fetched | {kb(ours['cold_bytes'], False)} (site page) | "
          + (f"{kb(pf['cold_all'], False)} (bare test page)" if pf else "—") + " |")
    for name in ("reader", "sample"):
        recall, precision, exact = ours_rp[name]
        if pf:
            pr, pp, pe = recall_precision(catalogue, {q: pf["found"][q] for q in (reader if name == "reader" else sample)})
        count = len(reader if name == "reader" else sample)
        print(f"| recall / precision, {name} queries ({count}) | {recall:.3f} / {precision:.3f} "
              f"({exact} exact) | " + (f"{pr:.3f} / {pp:.3f} ({pe} exact)" if pf else "—") + " |")
    print(f"| time to first result, cold page (median from navigation) | "
          f"{statistics.median(ours['first_result_ms']):.0f} ms | "
          + (f"{statistics.median(pf['first_result_ms']):.0f} ms" if pf and pf["first_result_ms"] else "—") + " |")
    print(f"| warm: keystroke → first result (median) | {dom:.1f} ms (all results in the DOM) | "
          + (f"{statistics.median(pf['warm_ms']):.1f} ms (search + first fragment)" if pf else "—") + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
