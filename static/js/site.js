// Enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const narrow = window.matchMedia("(max-width: 800px)");
  for (const details of document.querySelectorAll("[data-collapse-on-narrow]")) {
    const hasActive = details.querySelector("input:checked");
    if (narrow.matches && !hasActive) details.open = false;
  }
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form && select.form.requestSubmit());
  }
});
