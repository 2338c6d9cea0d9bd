// Names for admin markup that has none (WCAG 1.3.1, 4.1.2): the fields of tabular inlines,
// labelled by their column heading; the search icons of filter_horizontal, which carry an
// aria-label on a role-less span; the export page's select-all checkbox.
"use strict";

function labelTabularFields(root) {
  for (const cell of root.querySelectorAll(".inline-group .tabular tbody td")) {
    const field = cell.querySelector("input:not([type=hidden]), select, textarea");
    if (!field || field.labels.length || field.hasAttribute("aria-label")) continue;
    const name = [...cell.classList].find((c) => c.startsWith("field-"));
    const heading = cell.closest("table").querySelector(
      name ? `thead th.column-${name.slice(6)}` : "thead th:last-child"
    );
    if (heading) field.setAttribute("aria-label", heading.textContent.trim());
  }
}

// django-import-export's 「すべて選択」 label points at an id its checkbox lacks.
function nameSelectAllToggles(root) {
  for (const toggle of root.querySelectorAll("input.select-toggle:not([aria-label])")) {
    const label = toggle.parentElement.querySelector("label");
    if (label) toggle.setAttribute("aria-label", label.textContent.trim());
  }
}

function nameSearchIcons(root) {
  for (const icon of root.querySelectorAll(".help-tooltip[aria-label]:not([role])")) {
    icon.setAttribute("role", "img");
  }
}

// An empty autocomplete (select2) is labelled by its own empty text: name it by its field's label.
function nameEmptyAutocompletes(root) {
  for (const select of root.querySelectorAll("select.admin-autocomplete")) {
    const label = select.labels.length ? select.labels[0].textContent.replace(/[:：]\s*$/, "") : "";
    const container = select.nextElementSibling;
    if (!label || !container || !container.classList.contains("select2")) continue;
    for (const part of container.querySelectorAll("[role=combobox], [role=textbox]")) {
      if (!part.hasAttribute("aria-label")) part.setAttribute("aria-label", label.trim());
    }
  }
}

// After the admin's own scripts, which build the filters on load.
window.addEventListener("load", () =>
  setTimeout(() => {
    labelTabularFields(document);
    nameSearchIcons(document);
    nameSelectAllToggles(document);
    nameEmptyAutocompletes(document);
  })
);
document.addEventListener("formset:added", (event) => labelTabularFields(event.target));
