// The shared layout's small behaviours, added to pages that work without them:
// - the menu button shows and hides the navigation on a phone (a disclosure: aria-expanded);
// - the language switcher changes the language when a language is chosen (its button stays
//   for browsers without scripts). Choosing with the arrow keys waits for Enter or leaving the
//   list, so that moving through the options does not reload the page at each step.
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

  function start() {
    setUpMenu();
    setUpLanguageSwitcher();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
