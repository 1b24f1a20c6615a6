// A "Copy" button beside what the person must copy: a field (a new API key) or a text (a live
// session's invite link). Without JavaScript, or where the browser has no clipboard access (an
// insecure origin), the button stays hidden; a field is then selected on focus, so copying by
// hand stays easy.
(function () {
  "use strict";

  function setUp(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!field) {
      return;
    }
    var isField = typeof field.select === "function";
    if (isField) {
      field.addEventListener("focus", function () {
        field.select();
      });
    }
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText((isField ? field.value : field.textContent).trim()).then(function () {
        status.textContent = button.getAttribute("data-copied");
      }, function () {
        if (isField) {
          field.focus();
        }
        status.textContent = button.getAttribute("data-failed");
      });
    });
  }

  document.querySelectorAll("button[data-copy-target]").forEach(setUp);
})();
