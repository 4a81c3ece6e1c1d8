/* Humas Portal forms: a form shown again with errors starts at its error
 * summary (templates/core/_error_summary.html). Loaded with defer, so the
 * page is parsed when this runs. */
(() => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();

  // A link in the summary moves the focus to its field and shows the field's
  // label or legend with it (a plain jump would scroll the label away and
  // leave the focus on the link).
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    const folded = target.closest("details");
    if (folded) {
      folded.open = true;
    }
    const group = target.closest("fieldset");
    const caption =
      (group && group.querySelector("legend")) || document.querySelector(`label[for="${CSS.escape(target.id)}"]`);
    (caption || target).scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });
})();
