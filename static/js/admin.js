// Names for two kinds of Django admin markup that have none (WCAG 1.3.1, 4.1.2): the fields
// of tabular inlines, labelled by their column heading, and the search icons of
// filter_horizontal, which carry an aria-label on a role-less span.
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

function nameSearchIcons(root) {
  for (const icon of root.querySelectorAll(".help-tooltip[aria-label]:not([role])")) {
    icon.setAttribute("role", "img");
  }
}

// After the admin's own scripts, which build the filters on load.
window.addEventListener("load", () =>
  setTimeout(() => {
    labelTabularFields(document);
    nameSearchIcons(document);
  })
);
document.addEventListener("formset:added", (event) => labelTabularFields(event.target));
