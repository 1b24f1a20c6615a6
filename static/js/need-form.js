// Fills the need form from the interpretation of the free-text description (the user confirms by saving).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-need]");
  if (!button) return;
  const form = button.closest("form");
  const set = (name, value) => {
    const field = form.elements.namedItem(name);
    if (value && field) field.value = value;
  };
  if (!form.elements.namedItem("title").value) set("title", button.dataset.title);
  set("headcount", button.dataset.headcount);
  set("kommun", button.dataset.kommun);
  if (button.dataset.horizon) {
    const radio = form.querySelector(`input[name="horizon"][value="${button.dataset.horizon}"]`);
    if (radio) radio.checked = true;
  } else if (button.dataset.horizonUnread) {
    // The time could not be read: leave "When" unanswered rather than keep the default silently.
    form.querySelectorAll('input[name="horizon"]').forEach((radio) => { radio.checked = false; });
  }
  button.textContent = button.dataset.done || "✓";
});
