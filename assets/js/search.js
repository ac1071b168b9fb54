/*
 * The search page (templates/search.html): reads the query and filters from the URL, loads
 * search/index.js with a <script> tag (which works from file://, where fetch() is refused),
 * and shows the results of CatalogueSearchEngine as the reader types.
 */
(function () {
  "use strict";

  var page = document.querySelector("[data-search]");
  if (!page) return;

  var Engine = window.CatalogueSearchEngine;
  var FACETS = Engine.FACETS;
  var FACET_NAMES = {plan: "计划", status: "进展状态", section: "篇章", subject: "主题", leader: "牵头领导",
                     unit: "单位"};
  var FACET_VISIBLE = 8;

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var examples = document.getElementById("search-examples");
  var facetsBox = document.getElementById("search-facets");
  var list = document.getElementById("search-results");
  var relatedBox = document.getElementById("search-related");
  var relatedList = document.getElementById("search-related-results");
  var facetPanel = document.getElementById("search-filter-panel");
  var facetTitle = facetPanel.querySelector("summary");
  var moreButton = document.getElementById("search-more");
  var badges = document.getElementById("search-badges");
  var siteRoot = page.getAttribute("data-site-root").replace(/index\.html$/, "");
  var hint = document.getElementById("search-unit-hint");
  var baseTitle = document.title;

  var URL_DELAY = 300;
  // Results drawn at once: a phone shows a few screens of them; the rest on request, so that a
  // query that matches most tasks costs no more per keystroke than one that matches a few.
  var RESULTS_PAGE = 50;
  // A large catalogue's page draws the first screen of results as soon as their records are
  // there, and the rest of the fifty when theirs arrive (its manifest says how many a screen is).
  var FIRST_SCREEN = 10;
  // What comes behind the results drawn (the rest of the first fifty, the facet table) is fetched
  // once the reader pauses this long after the first screen is painted: while they type, the
  // next keystroke overtakes the search before it would show them, and their dozens of requests
  // and scripts held up its term shard (a browser sends six requests to a host at a time).
  var PAUSE = 150;

  var engine = null;
  var failed = false;
  var facetInfo = null;  // facet -> {values: Map(value -> {label, order}), size}, from the data
  var badgeTemplates = null;  // Map(status code -> the template's badge)
  var urlTimer = 0;
  var state = readUrl();
  var openFacets = {};
  var drawnFor = "";  // the query and filters the results were drawn for
  var resultLimit = RESULTS_PAGE;

  // On a phone the filters start folded: open, they would push the results off the screen.
  if (window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) facetPanel.open = false;
  input.value = state.q;
  show();
  writeUrl(false);
  loadIndex();

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    FACETS.forEach(function (facet) { filters[facet] = params.get(facet) || ""; });
    return {q: params.get("q") || "", filters: filters};
  }

  function queryString(q, filters) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    FACETS.forEach(function (facet) { if (filters[facet]) params.set(facet, filters[facet]); });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  /** Put the query and the filters in the address and the title. */
  function writeUrl(push) {
    window.clearTimeout(urlTimer);
    urlTimer = 0;
    var q = state.q.trim();
    document.title = q ? "“" + q + "”的搜索结果 — " + baseTitle : baseTitle;
    var url = window.location.pathname + queryString(state.q, state.filters);
    if (url === window.location.pathname + window.location.search) return;
    try {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    } catch (error) {
      // Some browsers refuse history changes on file:// pages; the search still works.
    }
  }

  /** The same once the reader pauses: each history change costs the browser milliseconds. */
  function writeUrlSoon() {
    window.clearTimeout(urlTimer);
    urlTimer = window.setTimeout(writeUrl, URL_DELAY, false);
  }

  function writeUrlNow() {
    if (urlTimer) writeUrl(false);
  }

  function loadIndex() {
    var script = document.createElement("script");
    script.src = page.getAttribute("data-index-src");
    script.onload = function () {
      try {
        engine = new Engine.Engine(window.CatalogueSearchData);
        prepare(engine.data);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        show();
      }
    };
    script.onerror = function () {
      failed = true;
      show();
    };
    document.head.appendChild(script);
  }

  /** What every keystroke would otherwise look up again: the label and registry position of
   * each filter value, and each status's badge as the template rendered it. */
  function prepare(data) {
    var registries = {plan: data.plans || [], status: data.statuses, section: data.sections,
                      subject: data.subjects, leader: data.leaders, unit: data.units};
    facetInfo = {};
    FACETS.forEach(function (facet) {
      var registry = registries[facet];
      var values = new Map();
      registry.forEach(function (item, i) {
        var key = facet === "plan" ? item.id : facet === "status" ? item.code
          : facet === "section" ? item.key || String(item.number) : item.key || item.slug;
        if (!values.has(key)) values.set(key, {label: item.label || item.name, order: i});
      });
      facetInfo[facet] = {values: values, size: registry.length};
    });
    badgeTemplates = new Map();
    Array.prototype.forEach.call(badges.content.querySelectorAll("[data-status]"), function (holder) {
      var rendered = holder.querySelector(".badge");
      var code = holder.getAttribute("data-status");
      if (rendered && !badgeTemplates.has(code)) badgeTemplates.set(code, rendered);
    });
  }

  // --- showing ------------------------------------------------------------------------------

  function filtered() {
    return FACETS.some(function (facet) { return state.filters[facet]; });
  }

  /** States: error, loading, empty (nothing asked: examples, and filters over every task),
   * browse (filters without words), results and none. */
  function show(then) {
    var q = state.q.trim();
    var drawing = q + "\n" + queryString("", state.filters);
    if (drawing !== drawnFor) resultLimit = RESULTS_PAGE;
    if (!engine || failed) {
      draw(q, null, drawing);
      return;
    }
    // A large catalogue's engine may first need shards of the index and chunks of task records
    // (loaded with <script> tags); a newer keystroke makes an answer still on its way stale.
    var ticket = ++searches;
    var answered = false;
    var screen = (engine.sharded && engine.sharded.screen) || FIRST_SCREEN;
    var drawnEarly = false;
    var early = {count: screen, show: function (search) {
      answered = true;
      if (ticket !== searches) return;
      draw(q, search, drawing, screen);
      drawnEarly = true;
      page.setAttribute("data-pending", "");  // the rest of the first fifty are on their way
    }};
    // Once the first screen is drawn, the rest is fetched behind it (PAUSE). A search a later
    // keystroke overtook loads nothing more and is not run again.
    function load(needs, then, fail) {
      var again = function () { if (ticket === searches) then(); };
      if (!drawnEarly) return loadShards(needs, again, fail);
      drawnEarly = false;
      behind(function () { loadShards(needs, again, fail, true); });
    }
    function behind(fetch) {
      window.requestAnimationFrame(function () {
        window.setTimeout(function () { if (ticket === searches) fetch(); }, PAUSE);
      });
    }
    // With nothing asked nothing is listed: no record is needed (the counts over every task
    // come with the index).
    var limit = q || filtered() ? resultLimit : 0;
    engine.ready(q, state.filters, limit, load, function (search) {
      answered = true;
      if (ticket !== searches) return;
      draw(q, search, drawing);
      if (then) then();
      var facetTable = search.facets ? null : engine.needsFacets();
      if (facetTable) {  // the results first, then their facet counts
        behind(function () {
          loadShards(facetTable, function () { if (ticket === searches) show(); }, function (error) {
            if (window.console) console.error(error);
          }, true);
        });
      }
    }, function (error) {
      answered = true;
      if (ticket !== searches) return;
      failed = true;
      draw(q, null, drawing);
      if (window.console) console.error(error);
    }, resultLimit === RESULTS_PAGE ? early : null);
    // Waiting for shards: data-pending says so until the answer is drawn.
    if (!answered) page.setAttribute("data-pending", "");
  }

  var searches = 0;
  var inflight = new Map();  // address of a shard being loaded -> callbacks waiting for it

  /** Add the shards `needs` names to the engine, then call `then` (or `fail`). What comes
      `behind` the results drawn yields to what a keystroke waits for (PAUSE). */
  function loadShards(needs, then, fail, behind) {
    var base = page.getAttribute("data-index-src").replace(/index\.js$/, "");
    var pending = needs.length;
    needs.forEach(function (need) {
      var src = base + (need.kind === "facets" ? "facets.js" : need.kind + "/" + need.name + ".js");
      var callback = {loaded: function () { if (--pending === 0) then(); }, fail: fail};
      var waiting = inflight.get(src);
      if (waiting) {
        waiting.push(callback);
        return;
      }
      inflight.set(src, [callback]);
      var script = document.createElement("script");
      script.fetchPriority = behind ? "low" : "high";
      script.src = src;
      script.onload = function () {
        var callbacks = inflight.get(src);
        inflight.delete(src);
        script.remove();
        callbacks.forEach(function (c) { c.loaded(); });
      };
      script.onerror = function () {
        var callbacks = inflight.get(src);
        inflight.delete(src);
        callbacks.forEach(function (c) { c.fail(new Error("could not load " + src)); });
      };
      document.head.appendChild(script);
    });
  }

  window.CatalogueSearchShard = function (kind, name, value) {
    if (engine) engine.add(kind, name, value);
  };

  /** Draw the outcome of a search: its first `limit` results (resultLimit unless given). */
  function draw(q, search, drawing, limit) {
    limit = limit || resultLimit;
    page.removeAttribute("data-pending");
    var stateName = failed ? "error" : !engine ? "loading"
      : !q ? (filtered() ? "browse" : "empty")
      : search.results.length || search.relatedResults.length ? "results" : "none";
    var listed = stateName === "browse" || stateName === "results";
    drawnFor = drawing;
    examples.hidden = stateName !== "empty";
    status.replaceChildren.apply(status, statusMessage(stateName, q, search));
    var exact = listed ? search.results.slice(0, limit) : [];
    var related = listed ? search.relatedResults.slice(0, Math.max(0, limit - exact.length)) : [];
    list.replaceChildren(resultItems(exact, listed ? search.words : []));
    list.hidden = !exact.length;
    relatedList.replaceChildren(resultItems(related, listed ? search.words : []));
    relatedBox.hidden = !related.length;
    var rest = listed ? search.results.length + search.relatedResults.length - exact.length - related.length : 0;
    moreButton.hidden = !rest || limit < resultLimit;  // not while the rest of the first page loads
    moreButton.textContent = "显示其余 " + rest + " 项";
    showUnitHint(stateName === "results" || stateName === "none" ? q : "", listed ? search : null);
    showFacets(stateName === "error" || stateName === "loading" ? null : search);
    page.setAttribute("data-state", stateName);
    page.setAttribute("data-query", q);
    page.dispatchEvent(new CustomEvent("search:shown", {
      detail: {query: q, state: stateName, count: listed ? search.results.length : 0,
               related: listed ? search.relatedResults.length : 0}
    }));
  }

  // A city's tasks include those given to all cities (各设区市政府), whose text never names the
  // city: substring search cannot find them, so point to the unit page that lists them all.
  function showUnitHint(q, search) {
    var shared = engine && q ? engine.data.shared : [];
    var words = q.split(/\s+/).filter(function (word) { return word.length >= 2; });
    var units = shared.filter(function (unit) {
      return words.some(function (word) {
        return [unit.name].concat(unit.aliases).some(function (name) { return name.indexOf(word) >= 0; });
      });
    });
    hint.replaceChildren();
    var lines = shortNameLines(search);
    if (units.length <= 3) units.forEach(function (unit) {
      lines.push([unit.name + "还承担“" + unit.via.join("”“") + "”的任务，这些任务的原文不写单位名称：",
                  link("查看" + unit.name + "的全部 " + unit.total + " 项任务", siteRoot + unit.path)]);
    });
    hint.hidden = !lines.length;
    lines.forEach(function (line, index) {
      if (index) hint.append(document.createElement("br"));
      hint.append.apply(hint, line);
    });
  }

  /** “发改委”即省发展改革委: which unit a word names by a short name, linked to its page;
      several governments' units of one name are named once. */
  function shortNameLines(search) {
    if (!search || !search.shortNamed) return [];
    return search.shortNamed.map(function (found) {
      var byName = new Map();
      found.units.forEach(function (position) {
        var unit = engine.data.units[position];
        byName.set(unit.name, (byName.get(unit.name) || []).concat([unit]));
      });
      var line = ["“" + found.word + "”即"];
      Array.from(byName.values()).forEach(function (units, index) {
        if (index) line.push("、");
        if (units.length === 1) line.push(link(units[0].label || units[0].name, siteRoot + units[0].path));
        else line.push(units[0].name + "（" + units.length + " 个政府）");
      });
      line.push("。");
      return line;
    });
  }

  function statusMessage(stateName, q, search) {
    if (stateName === "error") return ["搜索索引加载失败，请刷新页面重试。"];
    if (stateName === "loading") {
      return [q ? "正在加载搜索索引，稍后显示“" + q + "”的结果……" : "正在加载搜索索引……"];
    }
    if (stateName === "empty") return ["请输入关键词：地名、单位、领导姓名或任何词语；也可以直接在下方按条件筛选。"];
    var clear = link("清除筛选", queryString(state.q, {}));
    clear.setAttribute("data-clear-filters", "");
    if (stateName === "browse") {
      return [chosenFilters() + "共有 " + search.results.length + " 项任务。", clear];
    }
    var read = search.readAs || q;
    var quoted = read.split(/\s+/).map(function (word) { return "“" + word + "”"; }).join("");
    var parts = [];
    if (search.readAs) parts.push("已按简体字“" + search.readAs + "”查找。");
    if (!search.matches.length) {
      parts.push("没有找到包含" + quoted + "的任务。");
    } else {
      var all = "找到 " + search.matches.length + " 项包含" + quoted + "的任务";
      if (!filtered()) parts.push(all + "。");
      else if (!search.results.length) parts.push(all + "，" + chosenFilters() + "没有结果。");
      else parts.push(all + "，" + chosenFilters() + "有 " + search.results.length + " 项。");
    }
    if (search.relatedResults.length) {
      parts.push("另有 " + search.relatedResults.length + " 项可能相关的任务列在后面。");
    }
    if (search.suggestion) {
      var suggested = link("“" + search.suggestion.text + "”：" + search.suggestion.count + " 项",
                           queryString(search.suggestion.text, state.filters));
      suggested.setAttribute("data-suggestion", search.suggestion.text);
      parts.push("是否要找", suggested, "？");
    } else if (!search.matches.length && !search.relatedResults.length) {
      parts.push("请试试更短的词，或减少关键词。");
    }
    if (filtered()) parts.push(clear);
    return parts;
  }

  /** "按牵头领导“殷美根”、进展状态“尚未报送”": the filters chosen, also when they are folded away. */
  function chosenFilters() {
    var chosen = FACETS.filter(function (facet) { return state.filters[facet]; }).map(function (facet) {
      return FACET_NAMES[facet] + "“" + facetLabel(facet, state.filters[facet]).label + "”";
    });
    return chosen.length ? "按" + chosen.join("、") : "";
  }

  function link(text, href) {
    var a = document.createElement("a");
    a.href = href || window.location.pathname;
    a.textContent = text;
    return a;
  }

  function element(tag, className, children) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  /** Text with <mark> around the ranges [start, end). */
  function marked(text, ranges) {
    var nodes = [];
    var at = 0;
    ranges.forEach(function (range) {
      if (range[0] > at) nodes.push(text.slice(at, range[0]));
      nodes.push(element("mark", "", [text.slice(range[0], range[1])]));
      at = range[1];
    });
    if (at < text.length) nodes.push(text.slice(at));
    return nodes;
  }

  var SNIPPET = 120;
  var BEFORE = 30;

  /** The task's text, or a window of it around the first match, with the matches marked. */
  function snippet(text, ranges) {
    if (text.length <= SNIPPET) return marked(text, ranges);
    var start = ranges.length ? Math.max(0, ranges[0][0] - BEFORE) : 0;
    var end = Math.min(text.length, start + SNIPPET);
    start = Math.max(0, Math.min(start, end - SNIPPET));
    if (isLowSurrogate(text, start)) start -= 1;
    if (isLowSurrogate(text, end)) end += 1;
    var inside = [];
    ranges.forEach(function (range) {
      if (range[1] > start && range[0] < end) {
        inside.push([Math.max(range[0], start) - start, Math.min(range[1], end) - start]);
      }
    });
    var nodes = marked(text.slice(start, end), inside);
    if (start > 0) nodes.unshift("…");
    if (end < text.length) nodes.push("…");
    return nodes;
  }

  function isLowSurrogate(text, at) {
    var code = text.charCodeAt(at);
    return at > 0 && at < text.length && code >= 0xdc00 && code <= 0xdfff;
  }

  /** The site's badge for a status, as the template rendered it. */
  function badge(code) {
    var rendered = badgeTemplates.get(code);
    return rendered ? rendered.cloneNode(true) : null;
  }

  /** Each string with the ranges of the words in it. */
  function found(values, words) {
    return values.map(function (value) { return {text: value, ranges: Engine.highlights(value, words)}; });
  }

  /** Each unit's name, or the other spelling under which the words found it; a short name that
      found it follows the name: 省发展改革委（发改委）. */
  function unitNames(positions, words) {
    return positions.map(function (position) {
      var unit = engine.data.units[position];
      var named = found(Engine.unitNames(unit), words);
      var hit = named.slice(1).filter(function (entry) { return entry.ranges.length; })[0];
      if (named[0].ranges.length || !hit) return named[0];
      if (named.indexOf(hit) <= unit.aliases.length) return hit;
      var head = unit.name + "（";
      return {text: head + hit.text + "）", ranges: hit.ranges.map(function (range) {
        return [range[0] + head.length, range[1] + head.length];
      })};
    });
  }

  /** "label：name、name" with the matches marked; only the matching names when `onlyMatching`. */
  function names(label, values, onlyMatching) {
    var shown = onlyMatching ? values.filter(function (value) { return value.ranges.length; }) : values;
    if (!shown.length) return null;
    var nodes = [label + "："];
    shown.forEach(function (value, i) {
      if (i) nodes.push("、");
      nodes.push.apply(nodes, marked(value.text, value.ranges));
    });
    if (shown.length < values.length) nodes.push("等");
    return element("span", "", nodes);
  }

  /** Why a task the exact search missed is listed: what it says, or the subject it is of. */
  function reasonLine(reason) {
    var text = reason.kind === "holds"
      ? "包含“" + reason.text.split(" ").join("”“") + "”"
      : "属于主题" + reason.subjects.map(function (name) { return "“" + name + "”"; }).join("、");
    return element("p", "search-reason", [text]);
  }

  function resultItems(matches, words) {
    var fragment = document.createDocumentFragment();
    if (!matches.length) return fragment;
    var data = engine.data;
    matches.forEach(function (match) {
      var task = engine.taskAt(match.position);
      var section = data.sections[task.section];
      var shownWords = match.reason && match.reason.kind === "holds" ? Engine.queryWords(match.reason.text) : words;
      var anchor = element("a", "task-link", [element("span", "task-id", [task.id]),
        element("span", "task-title", marked(task.title || task.text, Engine.highlights(task.title || task.text, shownWords)))]);
      anchor.href = siteRoot + task.path;
      var fields = shownWords.length && !match.reason ? engine.matchedFields(match.position, shownWords) : [];
      var meta = [
        // With several plans a task's number alone is ambiguous: 2-1 of which document.
        data.plans ? element("span", "search-plan", [data.plans[task.plan].label]) : null,
        fields.length ? element("span", "search-where", ["匹配：" + fields.join("、")]) : null,
        badge(data.statuses[task.status].code),
        names("牵头领导", found(task.leaders.map(function (i) { return data.leaders[i].name; }), shownWords), false),
        names("牵头单位", unitNames(task.lead, shownWords), false),
        names("责任单位", unitNames(task.units, shownWords), true),
        names("篇章", found([section.title, section.subsections[task.subsection]], shownWords), true),
        names("量化指标", found(task.targets, shownWords), true)
      ].filter(Boolean);
      var parts = [anchor];
      if (match.reason) parts.push(reasonLine(match.reason));
      parts.push(element("p", "task-text-line", snippet(task.text, Engine.highlights(task.text, shownWords))),
                 element("p", "task-meta", meta));
      var item = element("li", "task-item", parts);
      item.setAttribute("data-task-id", task.id);
      fragment.append(item);
    });
    return fragment;
  }

  /** A filter value's label and its position in the registry (unknown values last). */
  function facetLabel(facet, value) {
    var info = facetInfo[facet];
    return info.values.get(value) || {label: value, order: info.size};
  }

  function showFacets(search) {
    facetsBox.replaceChildren();
    facetPanel.hidden = !(search && search.facets && (search.matches.length || search.related.length));
    var count = FACETS.filter(function (facet) { return state.filters[facet]; }).length;
    facetTitle.textContent = count ? "按条件筛选（已选 " + count + " 项）" : "按条件筛选";
    if (facetPanel.hidden) return;
    FACETS.forEach(function (facet) {
      var counts = search.facets[facet];
      var chosen = state.filters[facet];
      var options = [];
      counts.forEach(function (count, value) {
        options.push({value: value, count: count, info: facetLabel(facet, value)});
      });
      if (chosen && !counts.has(chosen)) options.push({value: chosen, count: 0, info: facetLabel(facet, chosen)});
      if (!options.length) return;
      var byRegistry = facet === "status" || facet === "section";
      options.sort(function (a, b) {
        return byRegistry ? a.info.order - b.info.order : b.count - a.count || a.info.order - b.info.order;
      });
      var group = element("section", "search-facet", [element("h2", "", [FACET_NAMES[facet]])]);
      group.setAttribute("data-facet", facet);
      function item(option) {
        var filters = Object.assign({}, state.filters);
        filters[facet] = option.value === chosen ? "" : option.value;
        var a = link("", queryString(state.q, filters));
        a.append(element("span", "search-facet-label", [option.info.label]),
                 element("span", "search-facet-count", [String(option.count)]));
        a.setAttribute("data-facet", facet);
        a.setAttribute("data-value", option.value);
        a.setAttribute("aria-label", option.info.label + "，" + option.count + " 项" +
                       (option.value === chosen ? "，已选中，点击取消" : ""));
        if (option.value === chosen) a.setAttribute("aria-current", "true");
        return element("li", "", [a]);
      }
      var first = [], rest = [];
      options.forEach(function (option, i) {
        (i < FACET_VISIBLE || option.value === chosen ? first : rest).push(option);
      });
      group.append(element("ul", "", first.map(item)));
      if (rest.length) {
        // Drawn when opened: a common word in 10,000 tasks names a thousand units, and drawing
        // them all at each keystroke took longer than the results themselves.
        var more = element("ul");
        var details = element("details", "search-facet-more", [
          element("summary", "", ["更多" + FACET_NAMES[facet] + "（" + rest.length + "）"]), more
        ]);
        var fill = function () {
          if (details.open && !more.children.length) more.append.apply(more, rest.map(item));
        };
        details.open = Boolean(openFacets[facet]);
        fill();
        details.addEventListener("toggle", function () { openFacets[facet] = details.open; fill(); });
        group.append(details);
      }
      facetsBox.append(group);
    });
  }

  // --- reacting -----------------------------------------------------------------------------

  function setQuery(value) {
    if (value === state.q) return;
    state.q = value;
    show();
    writeUrlSoon();
  }

  moreButton.addEventListener("click", function () {
    var first = list.querySelectorAll("a.task-link").length + relatedList.querySelectorAll("a.task-link").length;
    resultLimit += RESULTS_PAGE * 4;
    moreButton.hidden = true;  // until the further results are drawn
    show(function () {
      // Focus the first task drawn now, so that a keyboard or screen reader continues from there.
      var links = Array.prototype.slice.call(list.querySelectorAll("a.task-link"))
        .concat(Array.prototype.slice.call(relatedList.querySelectorAll("a.task-link")));
      if (links[first]) links[first].focus();
    });
  });

  // A result followed, the page left: the address must already hold the query, for Back.
  page.addEventListener("click", writeUrlNow, true);
  window.addEventListener("pagehide", writeUrlNow);

  input.addEventListener("input", function (event) {
    if (event.isComposing) return;  // an input method is still composing the characters
    setQuery(input.value);
  });
  input.addEventListener("compositionend", function () { setQuery(input.value); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = input.value;
    writeUrl(true);
    show();
  });

  page.addEventListener("click", function (event) {
    var a = event.target.closest("a[data-facet], a[data-clear-filters]");
    if (!a || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (a.hasAttribute("data-clear-filters")) {
      FACETS.forEach(function (facet) { state.filters[facet] = ""; });
    } else {
      var facet = a.getAttribute("data-facet");
      var value = a.getAttribute("data-value");
      state.filters[facet] = state.filters[facet] === value ? "" : value;
    }
    writeUrl(true);
    show();
    var again = facetsBox.querySelector('a[data-facet="' + a.getAttribute("data-facet") + '"][data-value="' +
                                        CSS.escape(a.getAttribute("data-value") || "") + '"]');
    (again || input).focus();
  });

  window.addEventListener("popstate", function () {
    state = readUrl();
    input.value = state.q;
    show();
    writeUrl(false);
  });

  function editable(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || editable(event.target)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    input.focus();
    input.select();
  }, true);

  function resultLinks() {
    return Array.prototype.slice.call(list.querySelectorAll("a.task-link"));
  }

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && !event.isComposing) {
      var links = resultLinks();
      if (links.length) {
        event.preventDefault();
        links[0].focus();
      }
    }
  });

  list.addEventListener("keydown", function (event) {
    var links = resultLinks();
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    var next = null;
    if (event.key === "ArrowDown") next = links[Math.min(at + 1, links.length - 1)];
    else if (event.key === "ArrowUp") next = at === 0 ? input : links[at - 1];
    else if (event.key === "Home") next = links[0];
    else if (event.key === "End") next = links[links.length - 1];
    else if (event.key === "Escape") next = input;
    if (!next) return;
    event.preventDefault();
    next.focus();
  });
})();
