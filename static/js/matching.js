// Run form: a peer found by search is added to the last line of "keep together" or "keep apart".
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.add-peer");
  if (!button) { return; }
  var area = document.getElementById(button.dataset.target);
  if (!area) { return; }
  var lines = area.value.replace(/\s+$/, "").split("\n");
  var last = lines[lines.length - 1].trim();
  if (last.split(/\s*,\s*/).indexOf(button.dataset.email) === -1) {
    lines[lines.length - 1] = last ? last + ", " + button.dataset.email : button.dataset.email;
  }
  area.value = lines.join("\n");
  area.focus();
});
