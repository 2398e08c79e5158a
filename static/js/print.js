// A button marked data-print prints the page. Pages carry no inline scripts or event handlers,
// so that the Content-Security-Policy can forbid them.
document.addEventListener("click", function (event) {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
