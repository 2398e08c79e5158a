// The shared layout's small behaviours, added to pages that work without them:
// - the menu button shows and hides the navigation on a phone (a disclosure: aria-expanded);
// - the language switcher changes the language when a language is chosen (its button stays
//   for browsers without scripts). Choosing with the arrow keys waits for Enter or leaving the
//   list, so that moving through the options does not reload the page at each step.
// - a table too wide for the screen scrolls in its box, which then takes keyboard focus (so it
//   can be scrolled without a mouse) and is named after the table's caption or heading.
// Pages carry no inline scripts or handlers: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpMenu() {
    var button = document.querySelector(".menu-button");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  function setUpLanguageSwitcher() {
    var form = document.querySelector("form.language-switcher");
    if (!form) {
      return;
    }
    var select = form.querySelector("select");
    var button = form.querySelector("button");
    var initial = select.value;
    var browsing = false;
    function submitIfChanged() {
      browsing = false;
      if (select.value !== initial) {
        form.submit();
      }
    }
    if (button) {
      button.hidden = true;
    }
    select.addEventListener("keydown", function (event) {
      if (["ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"].indexOf(event.key) >= 0) {
        browsing = true;
      } else if (event.key === "Enter") {
        event.preventDefault();
        submitIfChanged();
      }
    });
    select.addEventListener("change", function () {
      if (!browsing) {
        submitIfChanged();
      }
    });
    select.addEventListener("blur", function () {
      if (browsing) {
        submitIfChanged();
      }
    });
  }

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var section = box.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : "";
  }

  function markScrollingTables() {
    var boxes = document.querySelectorAll(".table-wrap");
    Array.prototype.forEach.call(boxes, function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
        if (!box.hasAttribute("role")) {
          box.setAttribute("role", "region");
        }
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", nameOf(box) || document.title);
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  function start() {
    setUpMenu();
    setUpLanguageSwitcher();
    markScrollingTables();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(markScrollingTables, 150);
    });
    document.addEventListener("htmx:afterSettle", markScrollingTables);
    // An opened <details> may reveal a wide table ("toggle" does not bubble: listen on the way down).
    document.addEventListener("toggle", markScrollingTables, true);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
