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
