// Searchable picker over a plain <select multiple data-picker> (target occupations, kommuner, …).
// The select stays in the form and is what is submitted; without JavaScript it is used as it is.
// Type to filter (every word must match, codes included); ↑/↓ move, Enter picks, Escape closes;
// each chosen item is a button that removes it.
(() => {
  const MAX_SHOWN = 40;
  let counter = 0;
  const norm = (text) => text.toLocaleLowerCase("sv");

  function enhance(select) {
    const id = `picker-${++counter}`;
    const texts = select.dataset.pickerTexts ? JSON.parse(select.dataset.pickerTexts) : {};
    const label = document.querySelector(`label[for="${select.id}"]`);
    const box = document.createElement("div");
    box.className = "picker";
    const chosen = document.createElement("ul");
    chosen.className = "picker-chosen";
    chosen.setAttribute("role", "list");
    chosen.setAttribute("aria-label", texts.chosen || "Chosen");
    const input = document.createElement("input");
    input.type = "search";
    input.id = `${id}-input`;
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", `${id}-list`);
    input.placeholder = texts.placeholder || "";
    if (select.getAttribute("aria-describedby")) input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    const list = document.createElement("ul");
    list.id = `${id}-list`;
    list.className = "picker-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.append(chosen, input, list, status);
    select.after(box);
    select.hidden = true;
    if (label) {
      label.htmlFor = input.id;
      list.setAttribute("aria-label", label.textContent.trim());
    }
    let active = -1;

    const options = () => Array.from(select.options).filter((option) => option.value);

    function renderChosen() {
      chosen.replaceChildren(...options().filter((o) => o.selected).map((option) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "picker-token";
        button.textContent = `${option.text} ×`;
        button.setAttribute("aria-label", `${texts.remove || "Remove"} ${option.text}`);
        button.addEventListener("click", () => {
          option.selected = false;
          renderChosen();
          input.focus();
        });
        item.append(button);
        return item;
      }));
    }

    function setActive(index) {
      const items = list.querySelectorAll("[role=option]");
      items.forEach((item, i) => item.classList.toggle("active", i === index));
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function renderOptions() {
      const words = norm(input.value).split(/\s+/).filter(Boolean);
      if (!words.length) {
        close();
        status.textContent = "";
        return;
      }
      const hits = options().filter((o) => !o.selected && words.every((word) => norm(o.text).includes(word)));
      list.replaceChildren(...hits.slice(0, MAX_SHOWN).map((option, index) => {
        const item = document.createElement("li");
        item.id = `${id}-option-${index}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.value = option.value;
        item.textContent = option.text;
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => pick(option.value));
        return item;
      }));
      list.hidden = !hits.length;
      input.setAttribute("aria-expanded", String(!list.hidden));
      setActive(hits.length ? 0 : -1);
      status.textContent = hits.length ? `${hits.length} ${texts.hits || "hits"}` : (texts.none || "No hits");
    }

    function pick(value) {
      const option = options().find((o) => o.value === value);
      if (!option) return;
      option.selected = true;
      input.value = "";
      close();
      renderChosen();
      status.textContent = `${option.text} ${texts.added || "added"}`;
      input.focus();
    }

    input.addEventListener("input", renderOptions);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", (event) => {
      const items = list.querySelectorAll("[role=option]");
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        if (list.hidden) renderOptions(); else setActive(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        setActive(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        pick(items[active].dataset.value);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    renderChosen();
  }

  const enhanceAll = () => {
    document.querySelectorAll("select[multiple][data-picker]:not([data-picker-ready])").forEach((select) => {
      select.dataset.pickerReady = "";
      enhance(select);
    });
  };
  enhanceAll();
  // Lists that arrive later (e.g. the skills of the occupation group picked in the need form).
  document.addEventListener("htmx:afterSettle", enhanceAll);
})();
