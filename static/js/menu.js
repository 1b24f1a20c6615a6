// The main menu folds behind a "Meny" button on narrow screens. Without JavaScript the menu stays
// open, so every link is always reachable; the button only appears once this script runs.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 48rem)");

  function setUp() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-toggle");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-closed", !open);
    }
    function fit() {
      button.hidden = !narrow.matches;
      show(!narrow.matches);
    }
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
        show(false);
        button.focus();
      }
    });
    narrow.addEventListener("change", fit);
    fit();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
