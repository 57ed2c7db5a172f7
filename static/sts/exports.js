// Exports in place: a status block swapped in by htmx polls itself; when the file is ready the
// block carries data-auto-download and the download starts once. A refusal (403/400) is shown
// in place too, and a request that joined a running export does not show the block twice.
(function () {
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "export-jobs" && [400, 403, 404].includes(e.detail.xhr.status)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var seen = {};
    document.querySelectorAll("#export-jobs [data-export-job]").forEach(function (el) {
      if (seen[el.dataset.exportJob]) { el.remove(); } else { seen[el.dataset.exportJob] = true; }
    });
    document.querySelectorAll("a[data-auto-download]").forEach(function (a) {
      a.removeAttribute("data-auto-download");
      a.click();
    });
  });
})();
