// Meetings forms: add formset rows, show fields that apply to the chosen kind, copy the feed link.
(function () {
  "use strict";

  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.getAttribute("data-formset-add");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-empty-row");
      var body = document.querySelector('[data-formset-prefix="' + prefix + '"] tbody');
      if (!total || !template || !body) {
        return;
      }
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = body.lastElementChild && body.lastElementChild.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
  });

  var kind = document.getElementById("id_kind");
  function applyKind() {
    document.querySelectorAll("[data-show-for-kinds]").forEach(function (block) {
      var kinds = block.getAttribute("data-show-for-kinds").split(" ");
      block.hidden = kinds.indexOf(kind.value) === -1;
    });
  }
  if (kind) {
    kind.addEventListener("change", applyKind);
    applyKind();
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy-target"));
      if (!input) {
        return;
      }
      input.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value);
      }
    });
  });
})();
