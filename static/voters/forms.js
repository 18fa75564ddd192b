// Petition forms: disable the submit button once pressed, so a double click sends the form once.
(function () {
  "use strict";
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll('button[type="submit"]').forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
  // Answer form: the plan and target date matter only for "in progress, with a plan".
  var outcome = document.getElementById("id_outcome");
  if (outcome) {
    var toggle = function () {
      var show = outcome.value === "in_progress_with_plan";
      ["div_id_plan", "div_id_target_date"].forEach(function (id) {
        var element = document.getElementById(id);
        if (element) element.classList.toggle("d-none", !show);
      });
    };
    outcome.addEventListener("change", toggle);
    toggle();
  }
})();
