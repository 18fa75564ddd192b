/* Suggested field and agency for the petition being typed (voters/views_suggest.py): asked a moment after the
 * content stops changing; the clerk applies the field or keeps their own. What was suggested goes with the form
 * (hidden inputs) so the server records it beside what was chosen. No inline script (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("suggestion-box");
  var content = document.getElementById("id_content");
  if (!box || !content) return;
  var labels = box.dataset;
  var field = document.getElementById("id_field");
  var timer = null;
  var asked = "";

  function hidden(name, value) {
    var input = document.getElementById("id_" + name);
    if (input) input.value = value === null || value === undefined ? "" : value;
  }

  function percent(value) {
    return Math.round(value * 100) + "%";
  }

  function show(suggestion) {
    box.textContent = "";
    if (!suggestion) {
      box.hidden = true;
      ["suggestion_version", "suggested_field", "suggested_field_confidence", "suggested_agency",
        "suggested_agency_confidence"].forEach(function (name) { hidden(name, ""); });
      return;
    }
    hidden("suggestion_version", suggestion.version);
    hidden("suggested_field", suggestion.field.value);
    hidden("suggested_field_confidence", suggestion.field.confidence);
    hidden("suggested_agency", suggestion.agency ? suggestion.agency.id : "");
    hidden("suggested_agency_confidence", suggestion.agency ? suggestion.agency.confidence : "");
    var text = document.createElement("span");
    text.className = "text-muted me-1";
    text.textContent = labels.label;
    box.appendChild(text);
    var strong = document.createElement("strong");
    strong.textContent = labels.fieldLabel + ": " + suggestion.field.label + " (" + percent(suggestion.field.confidence) + ")";
    box.appendChild(strong);
    if (suggestion.agency) {
      box.appendChild(document.createTextNode(" — " + labels.agencyLabel + " " + suggestion.agency.name
        + " (" + percent(suggestion.agency.confidence) + ")"));
    }
    if (field && field.value !== suggestion.field.value) {
      var apply = document.createElement("button");
      apply.type = "button";
      apply.className = "btn btn-sm btn-outline-primary ms-2 py-0";
      apply.textContent = labels.apply;
      apply.addEventListener("click", function () {
        field.value = suggestion.field.value;
        field.dispatchEvent(new Event("change", { bubbles: true }));
        apply.remove();
      });
      box.appendChild(apply);
    }
    box.hidden = false;
  }

  function ask() {
    var text = content.value.trim();
    if (text === asked) return;
    asked = text;
    if (text.length < 8) { show(null); return; }
    fetch(labels.url + "?content=" + encodeURIComponent(text.slice(0, 2000)), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.ok ? response.json() : { suggestion: null };
    }).then(function (answer) {
      if (content.value.trim() === text) show(answer.suggestion);
    }).catch(function () { /* offline: no suggestion */ });
  }

  content.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 500);
  });
  if (content.value.trim()) ask();
})();

/* The batch intake's rows: the same suggestion under each row's content, with a button that sets the row's field.
 * What was suggested goes with the row (its hidden inputs, kept on the device with the row by intake-offline.js),
 * so the server records it beside what was chosen, as for the single form. */
(function () {
  "use strict";
  var table = document.getElementById("batch-table");
  if (!table || !table.dataset.suggestUrl) return;
  var labels = table.dataset;
  var timers = new WeakMap();

  function remember(row, suggestion) {
    var values = {
      suggestion_version: suggestion ? suggestion.version : "",
      suggested_field: suggestion ? suggestion.field.value : "",
      suggested_field_confidence: suggestion ? suggestion.field.confidence : "",
      suggested_agency: suggestion && suggestion.agency ? suggestion.agency.id : "",
      suggested_agency_confidence: suggestion && suggestion.agency ? suggestion.agency.confidence : "",
    };
    Object.keys(values).forEach(function (name) {
      var input = row.querySelector('input[data-col="' + name + '"]');
      if (input) input.value = values[name];
    });
    // Kept on the device with the row (intake-offline.js saves on "change").
    row.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function hint(row, suggestion) {
    var box = row.querySelector(".batch-suggestion");
    remember(row, suggestion);
    if (!suggestion) {
      if (box) box.remove();
      return;
    }
    var area = row.querySelector('textarea[data-col="content"]');
    if (!box) {
      box = document.createElement("div");
      box.className = "batch-suggestion small mt-1 text-muted";
      area.parentNode.appendChild(box);
    }
    box.textContent = labels.suggestLabel + " " + suggestion.field.label + " ("
      + Math.round(suggestion.field.confidence * 100) + "%)"
      + (suggestion.agency ? " — " + suggestion.agency.name + " (" + Math.round(suggestion.agency.confidence * 100) + "%)" : "");
    var select = row.querySelector('select[data-col="field"]');
    if (select && select.value !== suggestion.field.value) {
      var apply = document.createElement("button");
      apply.type = "button";
      apply.className = "btn btn-sm btn-link py-0";
      apply.textContent = labels.suggestApply;
      apply.addEventListener("click", function () {
        select.value = suggestion.field.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        apply.remove();
      });
      box.appendChild(apply);
    }
  }

  table.addEventListener("input", function (event) {
    var area = event.target.closest('textarea[data-col="content"]');
    if (!area || !navigator.onLine) return;
    var row = area.closest("tr");
    window.clearTimeout(timers.get(row));
    timers.set(row, window.setTimeout(function () {
      var text = area.value.trim();
      if (text.length < 8) { hint(row, null); return; }
      fetch(labels.suggestUrl + "?content=" + encodeURIComponent(text.slice(0, 2000)), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        return response.ok ? response.json() : { suggestion: null };
      }).then(function (answer) {
        if (area.value.trim() === text) hint(row, answer.suggestion);
      }).catch(function () { /* offline: no suggestion */ });
    }, 600));
  });
})();
