// Charter pages: compliance bar widths (no inline styles under the CSP), confirmations, and adding rows to a Django formset from its <template> ("Add article"), so a paper charter can be entered in one sitting.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.getAttribute("data-formset-add");
      var template = document.getElementById(prefix + "-empty");
      var container = document.getElementById(prefix + "-rows");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      if (!template || !container || !total) { return; }
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var wrapper = document.createElement("div");
      wrapper.innerHTML = html.trim();
      var row = wrapper.firstElementChild;
      var numberInput = row.querySelector("input[name$='-number']");
      if (numberInput) {
        var numbers = Array.prototype.map.call(container.querySelectorAll("input[name$='-number']"), function (input) {
          return parseInt(input.value, 10) || 0;
        });
        numberInput.value = String((numbers.length ? Math.max.apply(null, numbers) : 0) + 1);
      }
      container.appendChild(row);
      total.value = String(index + 1);
      var focus = row.querySelector("input[name$='-title']");
      if (focus) { focus.focus(); }
    });
  });
  document.querySelectorAll("[data-width]").forEach(function (segment) {
    segment.style.width = Math.max(0, Math.min(100, parseInt(segment.getAttribute("data-width"), 10) || 0)) + "%";
  });
  // Confirm buttons (status changes) without inline handlers: data-confirm="message".
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
