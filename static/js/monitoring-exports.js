/* Poll each job still being built and update its bar; reload once all are
   finished so the download links appear. */
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.export-job[data-status-url]"));
  function poll() {
    Promise.all(rows.map(function (row) {
      return fetch(row.getAttribute("data-status-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { return true; }
          var bar = row.querySelector(".mon-progress");
          if (bar) {
            bar.setAttribute("aria-valuenow", state.progress);
            bar.firstElementChild.style.width = state.progress + "%";
          }
          row.querySelector(".export-status").textContent = state.status_label;
          var step = row.querySelector(".export-step");
          if (step) { step.textContent = state.progress + "% · " + state.step_label; }
          return state.done || state.failed;
        })
        .catch(function () { return false; });
    })).then(function (finished) {
      if (finished.every(Boolean)) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
    });
  }
  window.setTimeout(poll, 1500);
})();
