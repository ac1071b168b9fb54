/* 关怀版 (elderly-friendly mode): larger text and stronger contrast, remembered by the browser.
   The page works without this script; the toggle only appears when the script runs. */
(function () {
  "use strict";
  var KEY = "gzbg-care";
  var root = document.documentElement;

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function remember(on) {
    try {
      if (on) { window.localStorage.setItem(KEY, "on"); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage unavailable (private mode, some file:// setups): the switch still works */ }
  }

  function apply(on) {
    root.classList.toggle("care", on);
    var buttons = document.querySelectorAll("[data-care-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].title = on ? "切换回标准版" : "切换到关怀版：字号更大、对比更强";
      // Government sites name the way back once the mode is on (退出关怀版), not the mode itself.
      var label = buttons[i].querySelector("[data-care-label]");
      if (label) { label.textContent = on ? "退出关怀版" : "关怀版"; }
    }
  }

  var buttons = document.querySelectorAll("[data-care-toggle]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      var on = !root.classList.contains("care");
      apply(on);
      remember(on);
    });
  }
  apply(remembered() || root.classList.contains("care"));

  // Term pages (a leader, a unit, a subject…): filter the listed tasks by status and section,
  // kept in the address (?status=&section=) so that a filtered list can be shared.
  var filter = document.querySelector("[data-term-filter]");
  if (filter) {
    var selects = filter.querySelectorAll("select");
    var counter = filter.querySelector("[data-term-filter-count]");
    var params = new URLSearchParams(window.location.search);
    for (var s = 0; s < selects.length; s++) {
      var wanted = params.get(selects[s].name);
      if (wanted && selects[s].querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        selects[s].value = wanted;
      }
    }
    var filterTasks = function () {
      var chosen = {};
      var query = new URLSearchParams(window.location.search);
      for (var i = 0; i < selects.length; i++) {
        chosen[selects[i].name] = selects[i].value;
        if (selects[i].value) { query.set(selects[i].name, selects[i].value); } else { query.delete(selects[i].name); }
      }
      var shown = new Set();
      var all = new Set();
      var groups = document.querySelectorAll(".task-group");
      for (var g = 0; g < groups.length; g++) {
        var items = groups[g].querySelectorAll("li.task-item");
        var visible = 0;
        for (var t = 0; t < items.length; t++) {
          var item = items[t];
          var keep = (!chosen.status || item.getAttribute("data-status") === chosen.status) &&
                     (!chosen.section || item.getAttribute("data-section") === chosen.section);
          item.hidden = !keep;
          all.add(item.getAttribute("data-task-id"));
          if (keep) { visible += 1; shown.add(item.getAttribute("data-task-id")); }
        }
        groups[g].hidden = !visible;
        var count = groups[g].querySelector("h2 .count");
        if (count) { count.textContent = visible + " 项"; }
        var entry = document.querySelector('.toc a[href="#' + CSS.escape(groups[g].id) + '"]');
        if (entry) {
          entry.parentNode.hidden = !visible;
          entry.querySelector(".count").textContent = visible + " 项";
        }
      }
      var filtering = chosen.status || chosen.section;
      counter.textContent = !filtering ? "" : shown.size ? "显示 " + shown.size + " 项，共 " + all.size + " 项"
        : "没有符合所选条件的任务（共 " + all.size + " 项）";
      var text = query.toString();
      try {
        window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : "") + window.location.hash);
      } catch (e) { /* file:// in some browsers: the filter still works */ }
    };
    filter.hidden = false;
    filter.addEventListener("change", filterTasks);
    filter.addEventListener("submit", function (event) { event.preventDefault(); });
    filterTasks();
  }

  // "/" jumps to the search box from anywhere, as on most search-led sites; the search page's
  // own script handles the key first and marks it handled.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) { return; }
    var box = document.getElementById("site-search-q");
    if (!box) { return; }
    event.preventDefault();
    box.focus();
  });
})();
