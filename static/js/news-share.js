/* Humas Portal: "Salin tautan" on a news page copies the page's address.
 * Without this script the button is a plain link to the page itself, which
 * a reader can press and hold (or right-click) to copy. The texts come from
 * the page (data-copied, data-copy-failed), in the reader's language. */
(() => {
  const copyWithSelection = (text) => {
    // Browsers without the asynchronous clipboard (a page over plain http).
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    field.remove();
    return copied;
  };

  const copy = async (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (error) {
        // Refused (no permission): try the older way.
      }
    }
    return copyWithSelection(text);
  };

  document.addEventListener("click", async (event) => {
    const link = event.target.closest(".share-copy");
    if (!link) {
      return;
    }
    event.preventDefault();
    const status = link.parentElement.querySelector(".share-status");
    const copied = await copy(link.href);
    if (status) {
      status.textContent = copied ? link.dataset.copied : `${link.dataset.copyFailed} ${link.href}`;
      clearTimeout(status.clearing);
      if (copied) {
        status.clearing = setTimeout(() => {
          status.textContent = "";
        }, 5000);
      }
    }
  });
})();
