// A "Copy" button beside a field the person must copy (a new API key). Without JavaScript, or where
// the browser has no clipboard access (an insecure origin), the button stays hidden and the field
// is selected on focus, so copying by hand stays easy.
(function () {
  "use strict";

  function setUp(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!field) {
      return;
    }
    field.addEventListener("focus", function () {
      field.select();
    });
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value.trim()).then(function () {
        status.textContent = button.getAttribute("data-copied");
      }, function () {
        field.focus();
        status.textContent = button.getAttribute("data-failed");
      });
    });
  }

  document.querySelectorAll("button[data-copy-target]").forEach(setUp);
})();
