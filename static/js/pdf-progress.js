// The PDF progress page: ask every second how far the book is, and download it once ready.
// Without this file the page reloads itself (meta refresh) and the download starts the same way.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-pdf-progress]");
  if (!box) return;
  const url = box.dataset.pdfProgress;
  const count = box.querySelector("[data-progress-ready]");
  const bar = box.querySelector("progress");
  const poll = async () => {
    let state;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return; // e.g. rate limited: the page's own refresh takes over
      state = await response.json();
    } catch {
      return;
    }
    count.textContent = state.ready;
    bar.value = state.ready;
    if (!state.done) {
      setTimeout(poll, 1000);
      return;
    }
    box.querySelector("[data-progress-note]").hidden = true;
    box.querySelector("[data-progress-done]").hidden = false;
    window.location.replace(url);
  };
  setTimeout(poll, 1000);
});
