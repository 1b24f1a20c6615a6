// "Add another" for Django formsets: a button [data-formset-add="<prefix>"] appends a copy of the
// formset's empty form, kept in <template id="<prefix>-empty">, and counts it in TOTAL_FORMS.
// Without JavaScript the button stays hidden and the form's one empty row is still there.
document.querySelectorAll("[data-formset-add]").forEach((button) => { button.hidden = false; });

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const maximum = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
  const template = document.getElementById(`${prefix}-empty`);
  const index = Number(total.value);
  if (maximum && index >= Number(maximum.value)) return;
  const holder = document.createElement("div");
  holder.innerHTML = template.innerHTML.replaceAll("__prefix__", String(index));
  const row = holder.firstElementChild;
  template.before(row);
  total.value = String(index + 1);
  const first = row.querySelector("input, select, textarea");
  if (first) first.focus();
});
