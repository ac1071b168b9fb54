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
})();
