// Petition list: tick petitions to forward them together (no inline scripts: CSP).
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  var button = document.getElementById("bulk-forward");
  if (!form || !button) return;
  var all = document.getElementById("bulk-all");
  var counter = document.getElementById("bulk-count");
  var items = function () { return Array.prototype.slice.call(form.querySelectorAll(".bulk-item")); };

  function update() {
    var ticked = items().filter(function (box) { return box.checked; }).length;
    button.disabled = ticked === 0;
    if (counter) counter.textContent = ticked ? ticked + " " + (counter.dataset.label || "") : "";
    if (all) all.checked = ticked > 0 && ticked === items().length;
  }

  if (all) {
    if (items().length === 0) all.disabled = true;
    all.addEventListener("change", function () {
      items().forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("bulk-item")) update();
  });
  update();
})();
