/* Themes page: a button that ticks every statement on the page (shown only when scripts run). */
(function () {
  "use strict";
  function reveal(root) {
    root.querySelectorAll("[data-tick-all]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-tick-all]") : null;
    if (!button) { return; }
    var form = document.querySelector(button.getAttribute("data-tick-all"));
    if (!form) { return; }
    var boxes = form.querySelectorAll("input[type=checkbox][name=challenges]");
    var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
    boxes.forEach(function (box) { box.checked = !all; });
  });
  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSwap", function (event) { reveal(event.target); });
})();
