/* Humas Portal: the few behaviours a page needs, no inline script.
 * Loaded in <head> so the "js" class is set before the page is drawn (the
 * phone menu starts closed without a flash of open links). */
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // The header menu on a phone: one button shows and hides the links.
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
});
