"""The search page in Chromium, hosted over HTTP and opened from disk: a reader types queries and
the tasks listed in #search-results must be exactly those whose text, section, leaders, units,
status or targets contain every word typed."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlparse

import pytest

from catalogue.charts import short_label

pytestmark = pytest.mark.browser

# As a reader would type them: a place, a unit, part of a unit's name, a leader, topics,
# Latin letters and digits in either case, a single character, two words.
QUERIES = ["鄱阳湖", "省科技厅", "科技厅", "孙菊生", "养老", "5G", "vr", "R&D", "12345", "湖",
           "数字 经济", "文化 旅游"]

TASK_HREF = re.compile(r"(?:^|/)tasks/([^/]+)/index\.html$")


def expected(catalogue, query: str) -> set[str]:
    """Tasks with every word of the query in one of their strings, by plain substring test."""
    found = set()
    for task in catalogue.tasks:
        strings = [task.text, task.section.title, task.subsection.title, task.status.label]
        strings += [leader.name for leader in task.leaders]
        strings += [name for unit in task.lead_units + task.responsible_units
                    for name in [unit.name, *unit.aliases, *unit.short_names]]
        strings += [target.label for target in task.targets]
        strings = [s.lower() for s in strings]
        if all(any(word in s for s in strings) for word in query.lower().split()):
            found.add(task.id)
    return found


@pytest.fixture(scope="module")
def search_site(built_site):
    if not (built_site / "search" / "index.js").exists():
        pytest.fail("the build wrote no search/index.js: catalogue.pipeline.produce must add "
                    "catalogue.search.search_outputs(catalogue) to the site's files")
    return built_site


@pytest.fixture(params=["http", "file"])
def site_url(request, search_site):
    """Base URL of the built site, once served over HTTP and once as files on disk."""
    if request.param == "http":
        return request.getfixturevalue("site_server")
    return search_site.resolve().as_uri() + "/"


def shown(page, query: str) -> None:
    """Wait until the page shows the outcome of `query`. A link followed loads a new page, whose
    search box may not be parsed yet when this is first asked."""
    page.wait_for_function(
        """q => { const p = document.querySelector('[data-search]');
                  return p !== null && p.dataset.query === q && p.dataset.state !== 'loading'; }""",
        arg=query.strip())


def listed(page) -> list[str]:
    """The tasks listed, once every page of them has been asked for."""
    settled = "() => { const p = document.querySelector('[data-search]'); return p !== null && !p.hasAttribute('data-pending'); }"
    for _ in range(100):  # a button that never goes away fails the test instead of hanging it
        page.wait_for_function(settled)  # a sharded index loads the further records first
        if not page.locator("#search-more").is_visible():
            break
        page.click("#search-more")
    else:
        pytest.fail("the 显示其余 button is still shown after 100 clicks")
    hrefs = page.eval_on_selector_all("#search-results a[href]", "links => links.map(a => a.getAttribute('href'))")
    ids = [TASK_HREF.search(href).group(1) for href in hrefs if TASK_HREF.search(href)]
    assert len(ids) == len(hrefs), hrefs
    return ids


def type_query(page, query: str) -> None:
    box = page.locator("#search-input")
    box.fill("")
    box.press_sequentially(query)
    shown(page, query)


def test_typed_queries_list_every_task_that_contains_them(page, site_url, catalogue):
    typed_queries_list_every_task_that_contains_them(page, site_url, catalogue)


# The checks below run on this page and on the same page over a sharded index
# (test_search_shards_browser.py).

def typed_queries_list_every_task_that_contains_them(page, site_url, catalogue):
    page.goto(site_url + "search/index.html")
    shown(page, "")
    for query in QUERIES:
        type_query(page, query)
        ids = listed(page)
        want = expected(catalogue, query)
        assert want, f"pick queries that find something: {query}"
        assert sorted(ids) == sorted(want), query
        assert len(ids) == len(set(ids))
        assert f"找到 {len(want)} 项" in page.inner_text("#search-status")
        page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
        assert parse_qs(urlparse(page.url).query) == {"q": [query]}


def test_results_link_to_task_pages_and_back_returns_to_the_results(page, site_url):
    page.goto(site_url + "search/index.html")
    shown(page, "")
    type_query(page, "鄱阳湖")
    first = page.locator("#search-results a.task-link").first
    task_id = TASK_HREF.search(first.get_attribute("href")).group(1)
    first.click()  # at once, before the address has caught up with the typing
    page.wait_for_url(re.compile(f"tasks/{task_id}/index.html$"))
    assert "鄱阳湖" in page.inner_text("main")
    page.go_back()
    shown(page, "鄱阳湖")
    assert page.input_value("#search-input") == "鄱阳湖"
    assert task_id in listed(page)


def test_a_shared_link_shows_its_results_and_matches_are_highlighted(page, site_url, catalogue):
    page.goto(site_url + "search/index.html?q=" + quote("R&D"))
    shown(page, "R&D")
    assert page.input_value("#search-input") == "R&D"
    assert sorted(listed(page)) == sorted(expected(catalogue, "R&D"))
    marks = page.eval_on_selector_all("#search-results mark", "marks => marks.map(m => m.textContent)")
    assert marks and all(mark.lower() == "r&d" for mark in marks)


def test_the_search_box_on_every_page_submits_to_the_search_page(page, site_url, catalogue):
    for path in ("index.html", "tasks/1-5/index.html"):
        page.goto(site_url + path)
        page.fill("#site-search-q", "养老")
        page.press("#site-search-q", "Enter")
        page.wait_for_url(re.compile(r"search/index\.html\?q="))
        shown(page, "养老")
        assert sorted(listed(page)) == sorted(expected(catalogue, "养老"))


def test_the_best_match_comes_first(page, site_url, catalogue):
    """A unit's own tasks before those it only shares; the phrase before the words apart."""
    page.goto(site_url + "search/index.html?q=" + quote("省科技厅"))
    shown(page, "省科技厅")
    ids = listed(page)
    led = [task.id for task in catalogue.tasks if any(u.name == "省科技厅" for u in task.lead_units)]
    assert set(ids[:len(led)]) == set(led)

    type_query(page, "文化 旅游")
    ids = listed(page)
    phrase = expected(catalogue, "文化旅游")
    assert 0 < len(phrase) < len(ids)
    assert set(ids[:len(phrase)]) == phrase


def test_facets_narrow_the_results_and_stay_in_the_url(page, site_url, catalogue):
    page.goto(site_url + "search/index.html?q=" + quote("科技"))
    shown(page, "科技")
    everything = set(listed(page))
    leader = page.locator('#search-facets a[data-facet="leader"]').first
    slug = leader.get_attribute("data-value")
    count = int(leader.locator(".search-facet-count").inner_text())
    leader.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('leader')")
    narrowed = listed(page)
    mine = {task.id for task in catalogue.tasks if any(l.slug == slug for l in task.leaders)}
    assert set(narrowed) == everything & mine and len(narrowed) == count
    assert parse_qs(urlparse(page.url).query) == {"q": ["科技"], "leader": [slug]}

    page.reload()
    shown(page, "科技")
    assert listed(page) == narrowed
    assert page.get_attribute(f'#search-facets a[data-value="{slug}"]', "aria-current") == "true"
    for facet in ("status", "section", "leader", "unit"):
        assert page.locator(f'#search-facets a[data-facet="{facet}"]').count() > 0

    page.click("[data-clear-filters]")
    page.wait_for_function("() => !new URLSearchParams(location.search).get('leader')")
    assert set(listed(page)) == everything


def test_empty_query_no_results_and_loading_have_their_own_messages(page, site_url):
    page.goto(site_url + "search/index.html")
    shown(page, "")
    assert page.get_attribute("[data-search]", "data-state") == "empty"
    assert page.is_visible("#search-examples")
    assert listed(page) == []

    type_query(page, "没有这样的任务")
    assert page.get_attribute("[data-search]", "data-state") == "none"
    assert "没有找到" in page.inner_text("#search-status")
    assert listed(page) == []


def test_the_page_says_so_while_the_index_is_loading(page, site_server):
    held = []
    page.route("**/search/index.js", lambda route: held.append(route))
    page.goto(site_server + "search/index.html?q=" + quote("养老"), wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelector('[data-search]').dataset.state === 'loading'")
    assert "正在加载" in page.inner_text("#search-status")
    assert listed(page) == []
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page asked for its index"
    for route in held:
        route.continue_()
    shown(page, "养老")
    assert listed(page)


def test_keyboard_slash_focuses_the_box_and_arrows_move_through_results(page, site_url):
    page.goto(site_url + "search/index.html?q=" + quote("养老"))
    shown(page, "养老")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    assert page.input_value("#search-input") == "养老"  # the slash is not typed

    links = page.locator("#search-results a.task-link")
    assert links.count() >= 2
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links.nth(0).evaluate("a => a.href")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links.nth(1).evaluate("a => a.href")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-input"


def test_nothing_is_fetched_from_another_host(page, site_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "search/index.html?q=" + quote("鄱阳湖"))
    shown(page, "鄱阳湖")
    base = urlparse(site_url)
    foreign = [url for url in requested
               if urlparse(url).scheme not in ("file", "data") and urlparse(url).netloc != base.netloc]
    assert not foreign


# Counts, once the page has loaded its index, every lookup in the badge template and every use
# of a registry other than reading one entry by its position.
COUNT_LOOKUPS = r"""() => {
  window.lookups = {badges: 0, registries: 0};
  const content = document.getElementById('search-badges').content;
  for (const name of ['querySelector', 'querySelectorAll', 'getElementById']) {
    const original = content[name].bind(content);
    content[name] = (...args) => { window.lookups.badges++; return original(...args); };
  }
  const data = window.CatalogueSearchData;
  for (const name of ['statuses', 'sections', 'leaders', 'units']) {
    data[name] = new Proxy(data[name], {get(target, key, receiver) {
      if (typeof key !== 'string' || !/^\d+$/.test(key)) window.lookups.registries++;
      return Reflect.get(target, key, receiver);
    }});
  }
}"""


def test_typing_looks_up_no_badge_or_filter_label_again(page, site_server, catalogue):
    """Badges and filter labels are prepared when the index loads, not for every keystroke."""
    page.goto(site_server + "search/index.html")
    shown(page, "")
    page.evaluate(COUNT_LOOKUPS)
    for query in ("科技", "养老", "数字 经济"):
        type_query(page, query)
        results = page.locator("#search-results li.task-item")
        assert results.count() == len(expected(catalogue, query))
        assert page.locator("#search-results li.task-item .badge").count() == results.count()
    assert page.evaluate("window.lookups") == {"badges": 0, "registries": 0}

    labels = page.eval_on_selector_all(
        "#search-facets a[data-facet]",
        "links => links.map(a => [a.dataset.facet, a.dataset.value, a.querySelector('.search-facet-label').textContent])")
    names = {("status", s.code): s.label for s in catalogue.statuses}
    names |= {("section", str(s.number)): short_label(s) for s in catalogue.sections}
    names |= {("leader", l.slug): l.name for l in catalogue.leaders}
    names |= {("unit", u.slug): u.name for u in catalogue.units}
    names |= {("subject", s.slug): s.name for s in catalogue.subjects}
    assert labels and all(label == names.get((facet, value)) for facet, value, label in labels), labels
    for facet in ("status", "section"):  # in registry order
        values = [value for shown_facet, value, _ in labels if shown_facet == facet]
        order = [key for shown_facet, key in names if shown_facet == facet]
        assert values == sorted(values, key=order.index)


def test_a_city_search_points_to_the_city_page_with_the_tasks_of_all_cities(page, site_url, catalogue):
    city = catalogue.unit("南昌市政府")
    page.goto(site_url + "search/index.html?q=" + quote("南昌市政府"))
    shown(page, "南昌市政府")
    assert sorted(listed(page)) == sorted(expected(catalogue, "南昌市政府")), "results stay substring matches"
    hint = page.locator("#search-unit-hint")
    assert hint.is_visible()
    assert f"全部 {len(city.all_tasks)} 项任务" in hint.inner_text() and "各设区市政府" in hint.inner_text()
    hint.locator("a").click()
    page.wait_for_load_state()
    assert page.url.endswith(city.path)
    page.go_back()
    type_query(page, "鄱阳湖")
    assert page.locator("#search-unit-hint").is_hidden(), "no hint when no such unit is named"


# --- what readers mean, not only what they type -------------------------------------------------

def related_ids(page) -> list[str]:
    hrefs = page.eval_on_selector_all("#search-related-results a.task-link",
                                      "links => links.map(a => a.getAttribute('href'))")
    return [TASK_HREF.search(href).group(1) for href in hrefs]


@pytest.fixture(params=["desktop", "care-phone"])
def reader(request, browser, site_server):
    """A page as a reader at a desk sees it (1280 px), and on a 375 px phone in 关怀版."""
    if request.param == "desktop":
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    else:
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", has_touch=True)
    page = context.new_page()
    if request.param == "care-phone":
        page.goto(site_server + "index.html")
        page.evaluate("localStorage.setItem('gzbg-care', 'on')")
    yield page
    context.close()


def search(page, base: str, query: str) -> None:
    page.goto(base + "search/index.html?q=" + quote(query))
    shown(page, query)


def status_text(page) -> str:
    return page.inner_text("#search-status")


def test_the_search_page_has_one_search_box(reader, site_server):
    search(reader, site_server, "养老")
    boxes = reader.locator("input[type=search]")
    assert boxes.count() == 1 and boxes.first.is_visible() and boxes.first.get_attribute("id") == "search-input"


def test_traditional_characters_are_read_as_simplified_among_the_exact_results(reader, site_server, catalogue):
    search(reader, site_server, "養老")
    folded = expected(catalogue, "养老")
    assert set(listed(reader)) == folded and folded
    assert "已按简体字“养老”查找" in status_text(reader) and "没有找到" not in status_text(reader)
    assert f"找到 {len(folded)} 项包含“养老”的任务" in status_text(reader)
    marks = reader.eval_on_selector_all("#search-results mark", "marks => marks.map(m => m.textContent)")
    assert marks and set(marks) == {"养老"}
    subject = {task.id for task in catalogue.tasks if any(s.name == "养老" for s in task.subjects)}
    assert set(related_ids(reader)) == subject - folded
    reasons = reader.eval_on_selector_all("#search-related-results .search-reason", "ps => ps.map(p => p.textContent)")
    assert reasons == ["属于主题“养老”"] * len(subject - folded)

    type_query(reader, "养老")
    assert set(listed(reader)) == folded  # exact results: complete, and nothing else
    assert "简体字" not in status_text(reader)


@pytest.mark.parametrize("query, unit_name", [("发改委", "省发展改革委"), ("省工信厅", "省工业和信息化厅"),
                                              ("卫健委", "省卫生健康委"), ("人社厅", "省人力资源社会保障厅"),
                                              ("住建厅", "省住房城乡建设厅")])
def test_a_units_short_name_finds_its_tasks_and_says_which_unit_it_names(reader, site_server, catalogue, query,
                                                                          unit_name):
    unit = catalogue.unit(unit_name)
    search(reader, site_server, query)
    ids = listed(reader)
    assert set(ids) == expected(catalogue, query)
    assert {task.id for task in unit.led_tasks + unit.co_tasks} <= set(ids)
    hint = reader.locator("#search-unit-hint")
    assert hint.is_visible() and f"“{query}”即{unit_name}" in hint.inner_text()
    assert hint.locator("a").first.get_attribute("href").endswith(unit.path)
    first = reader.locator("#search-results li.task-item").first
    assert f"{unit_name}（" in first.inner_text()  # the name, and the short name that found it
    assert query in first.locator("mark").all_inner_texts()


@pytest.mark.parametrize("query, slug", [("房价", "housing"), ("买房", "housing"), ("学区", "education"),
                                         ("双减", "education"), ("看病", "health")])
def test_everyday_words_list_their_subjects_tasks(reader, site_server, catalogue, query, slug):
    search(reader, site_server, query)
    subject = next(s for s in catalogue.subjects if s.slug == slug)
    assert set(listed(reader)) | set(related_ids(reader)) == expected(catalogue, query) | {t.id for t in subject.tasks}
    assert related_ids(reader), "a dead end otherwise"
    assert "可能相关" in status_text(reader)


def test_related_results_start_with_the_task_that_says_what_the_word_holds(reader, site_server, catalogue):
    """停车难: no task says it; the one that says 停车 comes first, then the other tasks of 城市建设."""
    search(reader, site_server, "停车难")
    related = related_ids(reader)
    says = sorted(expected(catalogue, "停车"))
    assert says and related[:len(says)] == says
    reasons = reader.eval_on_selector_all("#search-related-results .search-reason", "ps => ps.map(p => p.textContent)")
    assert reasons[0] == "包含“停车”" and reasons[len(says)] == "属于主题“城市建设”"


@pytest.mark.parametrize("query, meant", [("赣洲", "赣州"), ("鄱阳胡", "鄱阳湖"), ("省发改局", "省发改委"),
                                          ("鄱阳湖阮", "鄱阳湖")])
def test_a_typo_is_offered_a_whole_name_and_never_rewritten(reader, site_server, catalogue, query, meant):
    search(reader, site_server, query)
    assert listed(reader) == [] and "没有找到包含" in status_text(reader)
    assert reader.input_value("#search-input") == query  # what was typed stays typed
    suggestion = reader.locator("#search-status a[data-suggestion]")
    assert suggestion.get_attribute("data-suggestion") == meant
    assert suggestion.inner_text() == "“%s”：%d 项" % (meant, len(expected(catalogue, meant)))
    suggestion.click()
    shown(reader, meant)
    assert set(listed(reader)) == expected(catalogue, meant)


def test_a_suggestion_is_never_a_cut_piece_of_what_was_typed(page, site_server, catalogue):
    """省发改委 once suggested “省发”, a piece of it: a suggestion is a unit's, leader's or subject's
    name, the words typed (fewer of them), or a word with one character mended."""
    names = {name for unit in catalogue.units for name in [unit.name, *unit.aliases, *unit.short_names]}
    names |= {leader.name for leader in catalogue.leaders}
    names |= {name for subject in catalogue.subjects for name in [subject.name, *subject.synonyms]}
    page.goto(site_server + "search/index.html")
    offered = 0
    for query in ("省发改局", "省工信听", "发改卫", "住建局长", "省发展改革局", "科技厅长", "数字经济区", "孙菊声同志",
                  "鄱阳湖水库", "智慧交通 火星人"):
        type_query(page, query)
        suggested = page.locator("#search-status a[data-suggestion]")
        if not suggested.count():
            continue
        offered += 1
        words = query.split()
        for word in suggested.get_attribute("data-suggestion").split():
            mended = any(len(word) == len(typed) and sum(a != b for a, b in zip(word, typed)) == 1 for typed in words)
            assert word in names or word in words or mended, (query, word)
    assert offered >= 8


def test_a_typo_offers_a_whole_name(page, site_server, catalogue):
    typo_offers_a_whole_name(page, site_server, catalogue)


def typo_offers_a_whole_name(page, site_server, catalogue):
    page.goto(site_server + "search/index.html?q=" + quote("鄱阳湖阮"))
    shown(page, "鄱阳湖阮")
    suggestion = page.locator("#search-status a[data-suggestion]")
    assert suggestion.get_attribute("data-suggestion") == "鄱阳湖"
    assert suggestion.inner_text() == "“鄱阳湖”：%d 项" % len(expected(catalogue, "鄱阳湖"))
    suggestion.click()
    shown(page, "鄱阳湖")
    assert set(listed(page)) == expected(catalogue, "鄱阳湖")


def test_filters_without_a_keyword_list_and_count_the_tasks(page, site_server, catalogue):
    filters_without_a_keyword_list_and_count_the_tasks(page, site_server, catalogue)


def filters_without_a_keyword_list_and_count_the_tasks(page, site_server, catalogue):
    leader = max(catalogue.leaders, key=lambda l: len(l.tasks))
    page.goto(site_server + "search/index.html")
    shown(page, "")
    facet = page.locator(f'#search-facets a[data-facet="leader"][data-value="{leader.slug}"]')
    assert int(facet.locator(".search-facet-count").inner_text()) == len(leader.tasks)
    facet.click()
    # A sharded index draws the first screen, then the rest of the fifty once their records come.
    page.wait_for_function("""() => { const p = document.querySelector('[data-search]');
                                       return p.dataset.state === 'browse' && !p.hasAttribute('data-pending'); }""")
    assert page.locator("#search-results li.task-item").count() == min(50, len(leader.tasks))
    assert f"按牵头领导“{leader.name}”共有 {len(leader.tasks)} 项任务" in page.inner_text("#search-status")
    ids = listed(page)  # every page of them
    assert ids == [task.id for task in catalogue.tasks if leader in task.leaders]  # document order
    assert parse_qs(urlparse(page.url).query) == {"leader": [leader.slug]}


def test_tab_reaches_the_filters_before_the_results(page, site_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_server + "search/index.html?q=" + quote("科技"))
    shown(page, "科技")
    page.focus("#search-input")
    order = []
    for _ in range(40):
        page.keyboard.press("Tab")
        order.append(page.evaluate(
            "() => document.activeElement.closest('#search-facets') ? 'filter'"
            " : document.activeElement.closest('#search-results') ? 'result' : 'other'"))
    assert "filter" in order and "result" in order
    assert order.index("filter") < order.index("result")
    filters_box = page.locator("#search-filter-panel").bounding_box()
    results_box = page.locator("#search-results").bounding_box()
    assert filters_box["x"] < results_box["x"]  # on the left, as Tab meets them


def test_on_a_phone_the_filters_start_folded_and_name_what_is_chosen(page, site_server):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site_server + "search/index.html?q=" + quote("科技") + "&status=no_information")
    shown(page, "科技")
    assert page.evaluate("document.getElementById('search-filter-panel').open") is False
    assert page.inner_text("#search-filter-panel summary") == "按条件筛选（已选 1 项）"
    assert "进展状态“暂无进展信息”" in page.inner_text("#search-status")
    assert page.locator("#search-results li.task-item").first.bounding_box()["y"] < 812
