// A table or chart wider than the screen scrolls inside its own box (matchplats.css). Such a box
// must be reachable by keyboard, or people who do not use a mouse cannot scroll it: each one that
// scrolls right now gets a tab stop, and loses it again when the window is wide enough.
(function () {
  "use strict";
  var SELECTOR = "main table, main .chart-box, main .table-scroll";

  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-region", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-region")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-region");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 100);
  });
  document.addEventListener("htmx:afterSettle", mark);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
