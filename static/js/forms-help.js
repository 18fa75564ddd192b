// Forms that help (every page; no inline scripts: strict CSP):
// - the error summary (partials/form_errors.html) takes the focus; its links move to their field;
// - <textarea data-counter maxlength> shows how many characters are left;
// - <select data-search> gets a search box that narrows its options as you type (accents ignored);
// - <select data-days> (the meeting picker) fills in the form's date received with the meeting's day.
(function () {
  "use strict";

  function fold(text) {
    return (text || "")
      .replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function fieldFor(id) {
    var element = document.getElementById(id);
    if (element) return element;
    // Radio buttons and check boxes: Django numbers them id_name_0, id_name_1...
    return document.getElementById(id + "_0");
  }

  // --- error summary ---------------------------------------------------------------------------
  function initErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-error-link]");
      if (!link) return;
      var field = fieldFor(link.getAttribute("data-error-link"));
      if (!field) return;
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  }

  // --- character counters ----------------------------------------------------------------------
  function initCounter(area) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!max || area.dataset.counterReady) return;
    area.dataset.counterReady = "1";
    var counter = document.createElement("div");
    counter.className = "form-text text-end char-counter";
    counter.setAttribute("aria-live", "polite");
    counter.id = (area.id || area.name) + "-counter";
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var label = area.dataset.counterLabel || "";
    area.insertAdjacentElement("afterend", counter);
    function update() {
      var used = area.value.length;
      counter.textContent = used.toLocaleString("vi-VN") + " / " + max.toLocaleString("vi-VN") + (label ? " " + label : "");
      counter.classList.toggle("text-danger", used >= max);
      counter.classList.toggle("text-warning-emphasis", used < max && used >= max * 0.9);
    }
    area.addEventListener("input", update);
    update();
  }

  // --- searchable drop-downs -------------------------------------------------------------------
  function initSearch(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 select-search";
    box.placeholder = select.dataset.searchPlaceholder || "";
    box.setAttribute("aria-label", select.dataset.searchPlaceholder || "");
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    select.insertAdjacentElement("beforebegin", box);
    var options = Array.prototype.map.call(select.options, function (option) {
      return { option: option, text: fold(option.textContent) };
    });
    box.addEventListener("input", function () {
      var words = fold(box.value).split(" ").filter(Boolean);
      var first = null;
      options.forEach(function (item) {
        var match = !item.option.value || words.every(function (word) { return item.text.indexOf(word) !== -1; });
        item.option.hidden = !match;
        item.option.disabled = !match && item.option.value !== select.value;
        if (match && item.option.value && !first) first = item.option;
      });
      // One match left: choose it, as a type-ahead would.
      var matches = options.filter(function (item) { return item.option.value && !item.option.hidden; });
      if (matches.length === 1 && select.value !== matches[0].option.value) {
        select.value = matches[0].option.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var match = options.filter(function (item) { return item.option.value && !item.option.hidden; })[0];
      if (match) {
        select.value = match.option.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        select.focus();
      }
    });
  }

  // --- the meeting's day as the date received ----------------------------------------------------
  function initMeetingDays(select) {
    var days;
    try { days = JSON.parse(select.dataset.days || "{}"); } catch (error) { return; }
    var form = select.form;
    if (!form) return;
    var prefix = select.name.replace(/meeting$/, "");
    var date = form.querySelector('input[name="' + prefix + 'received_on"]');
    if (!date) return;
    select.addEventListener("change", function () {
      if (days[select.value]) date.value = days[select.value];
    });
  }

  function init(root) {
    root.querySelectorAll("textarea[data-counter][maxlength]").forEach(initCounter);
    root.querySelectorAll("select[data-search]").forEach(initSearch);
    root.querySelectorAll("select[data-days]").forEach(initMeetingDays);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initErrorSummary();
    init(document);
  });
  document.body.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
