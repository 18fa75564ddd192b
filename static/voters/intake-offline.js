/* The batch intake with no connection: rows kept on the device (IndexedDB) until the server has stored them.
 *
 * Every row with content gets a key made here (a UUID, the hidden client_key input): the petition's
 * idempotency key on the server, so a row sent twice -- by the form, or by this queue after a timeout -- is
 * stored once. Rows are written to IndexedDB as they are typed, under the signed-in user's id (data-user):
 * another user of the same phone never sees them (rows of other users are skipped, never shown).
 *
 * A row's state on the device:
 *   draft    typed while online, not submitted: put back into the table if the page is opened again;
 *   queued   typed (or saved) with no connection, "not sent": sent by itself when the connection returns;
 *   pending  submitted with the form: if the form came back (errors), it is a draft again; if not (the
 *            page went elsewhere), it is sent on the next visit -- the key makes that safe;
 *   refused  the server said no (invalid, meeting closed, duplicate, session expired): kept with the reason,
 *            editable, sent again when edited or asked; never dropped silently.
 * A row leaves the device only when the server answers that it is stored (201, or 200 for a key seen before).
 * Texts come from data attributes of #intake-offline (translated server-side); no inline script (CSP).
 * A row's own marks are data-state, data-reason, data-duplicate, data-editing and data-confirm-duplicate -- never
 * data-confirm, which app.js reads on every click as "ask before" (an empty dialog that swallowed the click).
 */
(function () {
  "use strict";
  var panel = document.getElementById("intake-offline");
  var form = document.getElementById("batch-form");
  if (!panel || !form || !window.indexedDB) return;
  var body = document.getElementById("batch-rows");
  var labels = panel.dataset;
  var user = labels.user;
  if (!user) return;
  // The row's cells, and what the suggestion offered for it (suggest.js): all kept on the device and sent.
  var COLUMNS = ["voter_name", "voter_address", "locality", "content", "field", "kind", "suggestion_version",
    "suggested_field", "suggested_field_confidence", "suggested_agency", "suggested_agency_confidence"];
  var SENDABLE = ["queued", "pending"];

  if ("serviceWorker" in navigator && labels.sw) {
    var controlled = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.register(labels.sw, { scope: labels.swScope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // This very page, opened before the service worker existed, is kept too, so it opens offline (pages
      // opened through the service worker are kept by it as they load).
      if (registration.active && navigator.onLine && !controlled) {
        registration.active.postMessage({ type: "keep-shell", url: window.location.href });
      }
    }).catch(function () {
      /* no service worker (e.g. plain http on another host): the page still keeps rows in IndexedDB */
    });
  }

  // --- IndexedDB -------------------------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve, reject) {
    var request = window.indexedDB.open("phoihop-intake", 1);
    request.onupgradeneeded = function () {
      var store = request.result.createObjectStore("rows", { keyPath: "key" });
      store.createIndex("user", "user");
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function transact(mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("rows", mode);
        work(tx.objectStore("rows"));
        tx.oncomplete = function () { resolve(); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function myRows() {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var request = db.transaction("rows").objectStore("rows").index("user").getAll(user);
        request.onsuccess = function () { resolve(request.result || []); };
        request.onerror = function () { reject(request.error); };
      });
    });
  }

  function put(record) {
    record.user = user;
    record.savedAt = Date.now();
    return transact("readwrite", function (store) { store.put(record); });
  }

  function remove(key) {
    return transact("readwrite", function (store) { store.delete(key); });
  }

  // --- rows of the table ----------------------------------------------------------------------------
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function cell(row, name) {
    return row.querySelector('[data-col="' + name + '"]');
  }

  function keyOf(row) {
    var input = cell(row, "client_key");
    return input ? input.value : "";
  }

  function rowFor(key) {
    var found = null;
    body.querySelectorAll("tr.batch-row").forEach(function (row) {
      if (keyOf(row) === key) found = row;
    });
    return found;
  }

  function header() {
    function value(name) {
      var element = form.querySelector('[name="batch-' + name + '"]');
      return element ? element.value : "";
    }
    return { meeting: value("meeting"), source: value("source"), received_on: value("received_on") };
  }

  function recordOf(row, state) {
    var record = header();
    record.key = keyOf(row);
    COLUMNS.forEach(function (name) {
      var element = cell(row, name);
      record[name] = element ? element.value : "";
    });
    record.state = state;
    // The row's place in the table, so the rows come back in the order they were typed.
    record.order = Array.prototype.indexOf.call(body.querySelectorAll("tr.batch-row"), row);
    record.reason = row.dataset.reason || "";
    record.confirm = row.dataset.confirmDuplicate === "1";
    return record;
  }

  function showState(row, state, reason) {
    row.dataset.state = state;
    row.dataset.reason = reason || "";
    var note = row.querySelector(".intake-state");
    if (state === "draft" || !state) {
      if (note) note.remove();
      row.classList.remove("intake-refused", "intake-unsent");
      return;
    }
    if (!note) {
      note = document.createElement("div");
      note.className = "intake-state small mt-1";
      note.setAttribute("role", "status");
      var content = cell(row, "content");
      (content ? content.parentNode : row.lastElementChild).appendChild(note);
    }
    note.textContent = "";
    var badge = document.createElement("span");
    var refused = state === "refused";
    badge.className = "badge " + (refused ? "text-bg-danger" : "text-bg-warning");
    badge.textContent = refused ? labels.labelRefused : state === "sending" ? labels.labelSending : labels.labelUnsent;
    note.appendChild(badge);
    if (reason) {
      var text = document.createElement("span");
      text.className = "intake-reason ms-1";
      text.textContent = reason;
      note.appendChild(text);
    }
    if (refused) {
      var again = document.createElement("button");
      again.type = "button";
      again.className = "btn btn-sm btn-outline-danger ms-1 py-0 intake-retry";
      again.textContent = row.dataset.duplicate === "1" ? labels.labelConfirm : labels.labelRetry;
      note.appendChild(again);
    }
    row.classList.toggle("intake-refused", refused);
    row.classList.toggle("intake-unsent", !refused);
  }

  function hasContent(row) {
    var content = cell(row, "content");
    return content && content.value.trim() !== "";
  }

  // Every row with content on the device; a row emptied leaves it.
  function saveAll(nextState) {
    var writes = [];
    body.querySelectorAll("tr.batch-row").forEach(function (row) {
      var keyInput = cell(row, "client_key");
      if (!keyInput) return;
      if (!hasContent(row)) {
        if (keyInput.value) writes.push(remove(keyInput.value));
        return;
      }
      if (!keyInput.value) keyInput.value = uuid();
      var state = nextState(row);
      if (state !== row.dataset.state) showState(row, state, state === "refused" ? row.dataset.reason : "");
      writes.push(put(recordOf(row, state)));
    });
    return Promise.all(writes).then(updateQueue);
  }

  function typedState(row) {
    var state = row.dataset.state;
    if (state === "refused" && !row.dataset.editing) return "refused";
    if (!navigator.onLine || state === "queued" || state === "refused") return "queued";
    return "draft";
  }

  var saving = null;
  function saveSoon() {
    window.clearTimeout(saving);
    saving = window.setTimeout(function () { saveAll(typedState); }, 250);
  }
  form.addEventListener("input", function (event) {
    var row = event.target.closest("tr.batch-row");
    if (row && row.dataset.state === "refused") {
      row.dataset.editing = "1"; // an edited refused row is sent again
      row.dataset.confirmDuplicate = "";
    }
    saveSoon();
  });
  form.addEventListener("change", saveSoon);
  // Leaving the page (or the phone locking it) must not lose the last keystrokes.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") saveAll(typedState);
  });

  // Removing a row takes it off the device too (read before batch.js removes the row: capture phase).
  body.addEventListener("click", function (event) {
    var row = event.target.closest("tr.batch-row");
    if (row && event.target.closest(".batch-remove") && keyOf(row)) remove(keyOf(row)).then(updateQueue);
  }, true);

  // "Send again" / "Save it all the same" on a refused row.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".intake-retry");
    var row = button && button.closest("tr.batch-row");
    if (!row) return;
    if (row.dataset.duplicate === "1") row.dataset.confirmDuplicate = "1";
    row.dataset.editing = "";
    window.setTimeout(function () {
      showState(row, "queued", "");
      put(recordOf(row, "queued")).then(sendQueued);
    }, 0);
  });

  // --- the banner and the count ----------------------------------------------------------------------
  function showConnection() {
    var banner = document.getElementById("intake-offline-banner");
    document.getElementById("intake-offline-text").textContent = labels.labelOffline;
    banner.hidden = navigator.onLine;
    panel.hidden = false;
  }

  function updateQueue() {
    return myRows().then(function (records) {
      var waiting = records.filter(function (record) { return record.state !== "draft"; });
      var meeting = header().meeting;
      var other = waiting.filter(function (record) { return record.meeting !== meeting; }).length;
      var box = document.getElementById("intake-queue");
      document.getElementById("intake-queue-text").textContent = labels.labelKept;
      document.getElementById("intake-queue-count").textContent = String(waiting.length);
      var otherBox = document.getElementById("intake-other");
      otherBox.hidden = !other;
      otherBox.textContent = other ? other + " " + labels.labelOther : "";
      box.hidden = !waiting.length;
    });
  }

  // --- restoring rows into the table -------------------------------------------------------------------
  function emptyRow() {
    var rows = body.querySelectorAll("tr.batch-row");
    for (var i = 0; i < rows.length; i += 1) {
      if (!hasContent(rows[i]) && !keyOf(rows[i]) && !cell(rows[i], "voter_name").value) return rows[i];
    }
    return window.batchIntake ? window.batchIntake.addRow(false) : null;
  }

  function restore(record) {
    var row = emptyRow();
    if (!row) return;
    cell(row, "client_key").value = record.key;
    COLUMNS.forEach(function (name) {
      var element = cell(row, name);
      if (element && record[name] !== undefined) element.value = record[name];
    });
    row.dataset.duplicate = record.duplicate ? "1" : "";
    row.dataset.confirmDuplicate = record.confirm ? "1" : "";
    showState(row, record.state, record.reason);
  }

  function restoreAll() {
    return myRows().then(function (records) {
      var meeting = header().meeting;
      var writes = [];
      records.sort(function (a, b) { return (a.order || 0) - (b.order || 0) || a.savedAt - b.savedAt; });
      records.forEach(function (record) {
        var row = rowFor(record.key);
        if (row) {
          // The form came back from the server (errors or duplicates to confirm): these rows are drafts again.
          if (record.state === "pending") {
            record.state = "draft";
            writes.push(put(record));
          }
          showState(row, record.state, record.reason);
          return;
        }
        if (record.meeting === meeting) restore(record);
      });
      if (window.batchIntake) window.batchIntake.markRepeats();
      body.dispatchEvent(new Event("input", { bubbles: true })); // batch.js counts the rows with content
      return Promise.all(writes);
    });
  }

  // --- sending --------------------------------------------------------------------------------------
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function stored(record, answer) {
    var row = rowFor(record.key);
    if (row) {
      row.remove();
      if (!body.querySelector("tr.batch-row") && window.batchIntake) window.batchIntake.addRow(false);
      if (window.batchIntake) window.batchIntake.renumber();
    }
    var item = document.createElement("li");
    item.className = "intake-stored";
    var icon = document.createElement("i");
    icon.className = "bi bi-check-circle text-success me-1";
    icon.setAttribute("aria-hidden", "true");
    var link = document.createElement("a");
    link.href = answer.url;
    link.textContent = answer.reference;
    item.appendChild(icon);
    item.appendChild(document.createTextNode(labels.labelStored + " "));
    item.appendChild(link);
    if (answer.receipt_code) {
      // The receipt's code, issued with the row: shown here once (never kept in the queue), for the voter.
      item.appendChild(document.createTextNode(" · " + labels.labelCode + ": "));
      var code = document.createElement("strong");
      code.className = "font-monospace";
      code.textContent = answer.receipt_code;
      item.appendChild(code);
    }
    item.appendChild(document.createTextNode(" — " + (record.content || "").slice(0, 80)));
    document.getElementById("intake-sent").appendChild(item);
    panel.hidden = false;
    return remove(record.key);
  }

  function refused(record, reason, duplicate) {
    record.state = "refused";
    record.reason = reason;
    record.duplicate = !!duplicate;
    record.confirm = false;
    var row = rowFor(record.key);
    if (!row && record.meeting === header().meeting) {
      restore(record);
      row = rowFor(record.key);
    }
    if (row) {
      row.dataset.duplicate = duplicate ? "1" : "";
      row.dataset.confirmDuplicate = "";
      row.dataset.editing = "";
      showState(row, "refused", reason);
    }
    return put(record);
  }

  function sendOne(record) {
    var row = rowFor(record.key);
    if (row) showState(row, "sending", "");
    var payload = {};
    Object.keys(record).forEach(function (name) {
      if (["user", "state", "reason", "savedAt", "duplicate", "confirm", "key", "order"].indexOf(name) === -1) {
        payload[name] = record[name];
      }
    });
    payload.client_key = record.key;
    if (record.confirm) payload.confirm_duplicates = "1";
    return fetch(labels.rowsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload),
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return (json ? response.json() : Promise.resolve({})).then(function (answer) {
        if (response.status === 200 || response.status === 201) return stored(record, answer);
        if (response.status === 401 || response.status === 403) {
          return refused(record, answer.message || labels.labelExpired, false);
        }
        if (response.status >= 400 && response.status < 500) {
          return refused(record, answer.message || String(response.status), answer.error === "duplicate");
        }
        // A server error: not the row's fault; kept as it was, tried again later.
        if (row) showState(row, record.state, labels.labelServer);
        throw new Error("server " + response.status);
      });
    }, function (error) {
      if (row) showState(row, record.state, "");
      throw error; // no connection after all: stop, the next "online" tries again
    });
  }

  var sending = false;
  var again = false;
  function sendQueued() {
    if (!navigator.onLine) return Promise.resolve();
    if (sending) {
      again = true; // asked while a round is on its way: one more round after it
      return Promise.resolve();
    }
    sending = true;
    again = false;
    return myRows().then(function (records) {
      var queue = records.filter(function (record) { return SENDABLE.indexOf(record.state) !== -1; });
      queue = queue.filter(function (record) {
        var row = rowFor(record.key);
        // A pending row still in the table is part of the form being edited, not sent alone; nor is the row
        // being typed (it goes when the cursor leaves it).
        var typing = document.activeElement && document.activeElement.matches("input, textarea, select");
        return !(row && (record.state === "pending" || (typing && row.contains(document.activeElement))));
      });
      return queue.reduce(function (previous, record) {
        return previous.then(function () { return sendOne(record); });
      }, Promise.resolve());
    }).catch(function () { /* retried on the next "online" event or tick */ }).then(function () {
      sending = false;
      return updateQueue();
    }).then(function () {
      if (again) return sendQueued();
      return undefined;
    });
  }

  // --- submitting --------------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    window.clearTimeout(saving);
    if (form.dataset.intakeSaved === "1") {
      form.dataset.intakeSaved = ""; // the rows are on the device: the form goes as usual
      return;
    }
    event.preventDefault();
    if (!navigator.onLine) {
      // No connection: nothing to post; everything typed stays on the device, "not sent".
      event.preventDefault();
      saveAll(function (row) { return row.dataset.state === "refused" && !row.dataset.editing ? "refused" : "queued"; });
      showConnection();
      return;
    }
    body.querySelectorAll("tr.batch-row").forEach(function (row) {
      var keyInput = cell(row, "client_key");
      if (keyInput && hasContent(row) && !keyInput.value) keyInput.value = uuid();
    });
    var submitter = event.submitter;
    function go() {
      form.dataset.intakeSaved = "1";
      if (submitter && submitter.form === form) form.requestSubmit(submitter);
      else form.requestSubmit();
    }
    saveAll(function () { return "pending"; }).then(go, go);
  });

  body.addEventListener("focusout", function (event) {
    var row = event.target.closest("tr.batch-row");
    if (row && row.dataset.state === "queued" && navigator.onLine) {
      window.setTimeout(function () { saveAll(typedState).then(sendQueued); }, 300);
    }
  });

  window.addEventListener("offline", function () {
    showConnection();
    saveAll(function (row) { return row.dataset.state === "refused" && !row.dataset.editing ? "refused" : "queued"; });
  });
  window.addEventListener("online", function () {
    showConnection();
    sendQueued();
  });
  // navigator.onLine can say "online" on a network that answers nothing: try again now and then.
  window.setInterval(sendQueued, 30000);

  showConnection();
  restoreAll().then(updateQueue).then(function () {
    if (!navigator.onLine) saveAll(typedState);
    return sendQueued();
  });
})();
