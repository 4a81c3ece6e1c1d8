/* A <select data-autosubmit> sends its form as soon as another option is
   chosen (the form keeps a submit button for browsers without scripts). A
   file of its own: the Content-Security-Policy allows no inline script. */
(function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    if (select.dataset.autosubmitBound) { return; }
    select.dataset.autosubmitBound = "1";
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
})();
