// The merge page: when the clerk picks another organization to keep, the fields and roles
// they have not touched follow it (its value when it has one), as the page's defaults do.
"use strict";

function keptId(form) {
  const keep = form.querySelector("input[name=keep]:checked");
  return keep ? keep.value : null;
}

function followKeep(form) {
  const keep = keptId(form);
  if (!keep) return;
  for (const row of form.querySelectorAll("tr[data-field]:not([data-touched])")) {
    const radios = [...row.querySelectorAll("input[type=radio]")];
    const own = radios.find((r) => r.value === keep);
    const filled = radios.filter((r) => r.dataset.empty === "0");
    const choice = own && own.dataset.empty === "0" ? own : filled[0] || own;
    if (choice) choice.checked = true;
  }
  for (const group of form.querySelectorAll("fieldset[data-role]:not([data-touched])")) {
    const own = group.querySelector(`input[type=radio][value="${keep}"]`);
    if (own) own.checked = true;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".merge-page form");
  if (!form) return;
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.name === "keep") {
      followKeep(form);
      return;
    }
    const group = target.closest("tr[data-field], fieldset[data-role]");
    if (group) group.dataset.touched = "1";
  });
});
