// Batch intake of petitions: keyboard-friendly rows of a Django formset (no inline scripts: CSP).
(function () {
  "use strict";
  var form = document.getElementById("batch-form");
  if (!form) return;
  var body = document.getElementById("batch-rows");
  var template = document.getElementById("batch-empty-row");
  var total = form.querySelector('input[name="rows-TOTAL_FORMS"]');
  var maxForms = parseInt(form.querySelector('input[name="rows-MAX_NUM_FORMS"]').value, 10) || 300;
  var counter = document.getElementById("batch-count");

  function renumber() {
    var rows = body.querySelectorAll("tr.batch-row");
    rows.forEach(function (row, index) {
      row.querySelector(".batch-num").textContent = index + 1;
      row.querySelectorAll("input, select, textarea, label").forEach(function (element) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(/rows-(\d+|__prefix__)-/, "rows-" + index + "-"));
        });
      });
    });
    total.value = rows.length;
    updateCount();
  }

  function updateCount() {
    if (!counter) return;
    var filled = 0;
    body.querySelectorAll('textarea[data-col="content"]').forEach(function (area) {
      if (area.value.trim()) filled += 1;
    });
    counter.textContent = filled + " " + (counter.dataset.label || "");
  }

  function addRow(focus) {
    if (body.querySelectorAll("tr.batch-row").length >= maxForms) return null;
    var fragment = template.content.cloneNode(true);
    body.appendChild(fragment);
    renumber();
    var row = body.lastElementChild;
    if (focus) {
      var first = row.querySelector("input, textarea, select");
      if (first) first.focus();
    }
    return row;
  }

  document.getElementById("batch-add").addEventListener("click", function () {
    addRow(true);
  });

  body.addEventListener("click", function (event) {
    var button = event.target.closest(".batch-remove");
    if (!button) return;
    var rows = body.querySelectorAll("tr.batch-row");
    if (rows.length <= 1) {
      rows[0].querySelectorAll("input, textarea").forEach(function (element) { element.value = ""; });
    } else {
      button.closest("tr.batch-row").remove();
    }
    renumber();
    markRepeats();
  });

  body.addEventListener("input", updateCount);

  // A row repeating another row is marked as soon as its content is typed (the server checks again, against
  // the unit's petitions too, and asks before saving): pg_trgm's similarity, as voters.selectors computes it.
  var table = document.getElementById("batch-table");
  var REPEAT = 0.6;
  function trigrams(text) {
    var grams = {};
    var folded = (text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase();
    (folded.match(/[\p{L}\p{N}]+/gu) || []).forEach(function (word) {
      var padded = "  " + word + " ";
      for (var i = 0; i < padded.length - 2; i += 1) grams[padded.slice(i, i + 3)] = true;
    });
    return grams;
  }
  function similarity(a, b) {
    var shared = 0, total = 0, key;
    for (key in a) { total += 1; if (b[key]) shared += 1; }
    for (key in b) { if (!a[key]) total += 1; }
    return total ? shared / total : 0;
  }
  function markRepeats() {
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr.batch-row"));
    var seen = [];
    rows.forEach(function (row, index) {
      var area = row.querySelector('textarea[data-col="content"]');
      var note = row.querySelector(".batch-repeat");
      var text = area ? area.value.trim() : "";
      var grams = text ? trigrams(text) : null;
      var earlier = null;
      if (grams) {
        seen.some(function (item) {
          if (similarity(grams, item.grams) >= REPEAT) { earlier = item.index; return true; }
          return false;
        });
        seen.push({ index: index, grams: grams });
      }
      // The server's own note (after a submit) already says so.
      if (row.querySelector(".batch-duplicate")) earlier = null;
      if (earlier === null) {
        if (note) note.remove();
        row.classList.remove("batch-row-repeat");
        return;
      }
      if (!note) {
        note = document.createElement("div");
        note.className = "batch-repeat small mt-1 text-warning-emphasis";
        note.setAttribute("role", "note");
        area.insertAdjacentElement("afterend", note);
      }
      note.textContent = "⚠ " + (table.dataset.repeatLabel || "").replace("#", earlier + 1);
      row.classList.add("batch-row-repeat");
    });
  }
  // Marked a moment after typing stops, not when the field loses focus: a note appearing on blur would move
  // the Save button away from under the pointer between mouse down and up, and the click would be lost.
  var pending = null;
  body.addEventListener("input", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(markRepeats, 500);
  });
  markRepeats();

  body.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var target = event.target;
    if (!target.matches("input, textarea, select")) return;
    // Shift+Enter keeps a line break inside the content; plain Enter never submits the whole batch by accident.
    if (target.tagName === "TEXTAREA" && event.shiftKey) return;
    event.preventDefault();
    // Enter goes to the next row, adding one at the end of the table.
    var next = target.closest("tr.batch-row").nextElementSibling || addRow(false);
    if (next) {
      var first = next.querySelector("input, textarea, select");
      if (first) first.focus();
    }
  });

  updateCount();
  // For the offline queue (intake-offline.js): it puts rows kept on the device back and takes stored ones out.
  window.batchIntake = { addRow: addRow, renumber: renumber, markRepeats: markRepeats };
})();
