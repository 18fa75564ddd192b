/* Browser-side drafts: what a clerk types into a form marked data-draft="<key>" survives an expired session.
 *
 * Saved to localStorage on every change, under the signed-in user's id (data-draft-owner on this script tag,
 * rendered by base.html), so another user of the same computer never sees it. Restored when the form is shown
 * again with a notice and a discard button; texts come from this tag's data attributes (translated server-side).
 *
 * When a draft is cleared: the form is submitted -> the draft is marked "pending" but kept. If the server
 * accepted it, the next page is the Post/Redirect/Get target showing a success message (.alert-success):
 * pending drafts are deleted. If the session had expired, the next page is the sign-in page (no owner there:
 * nothing happens); after signing in the user comes back to the form and the draft is restored. A form
 * re-rendered with errors already holds the user's input (server-side): it is left as the server sent it.
 * Hidden inputs (CSRF token, version, idempotency key), files and passwords are never stored.
 * Drafts expire after MAX_AGE_DAYS; signing out deletes the user's drafts.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = (script && script.dataset) || {};
  var storage;
  try {
    storage = window.localStorage;
  } catch (error) {
    return; // storage disabled by policy: forms work as before
  }
  if (!storage) return;

  var ROOT = "phoihop-draft:";
  var MAX_AGE_DAYS = 3;
  var PENDING_WINDOW_MS = 30 * 60 * 1000;
  var SKIPPED_TYPES = ["hidden", "file", "password", "submit", "button", "reset", "image"];
  var owner = config.draftOwner || "";

  function keys() {
    var found = [];
    for (var i = 0; i < storage.length; i += 1) {
      var key = storage.key(i);
      if (key && key.indexOf(ROOT) === 0) found.push(key);
    }
    return found;
  }

  function read(key) {
    try {
      return JSON.parse(storage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function write(key, draft) {
    try {
      storage.setItem(key, JSON.stringify(draft));
    } catch (error) {
      /* quota exceeded: the server-side form still works */
    }
  }

  // Old drafts of anyone go; they may hold voters' personal data.
  var now = Date.now();
  keys().forEach(function (key) {
    var draft = read(key);
    if (!draft || now - (draft.savedAt || 0) > MAX_AGE_DAYS * 86400000) storage.removeItem(key);
  });

  if (!owner) return; // signed out (e.g. the sign-in page): keep the drafts for after signing in
  var prefix = ROOT + owner + ":";

  // The server confirmed a save (Post/Redirect/Get target with a success message): submitted drafts are done.
  if (document.querySelector(".app-messages .alert-success")) {
    keys().forEach(function (key) {
      if (key.indexOf(prefix) !== 0) return;
      var draft = read(key);
      if (draft && draft.pending && now - draft.pending < PENDING_WINDOW_MS) storage.removeItem(key);
    });
  }

  // Signing out on purpose ends the drafts too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (config.logoutUrl && form.getAttribute("action") === config.logoutUrl) {
      keys().forEach(function (key) {
        if (key.indexOf(prefix) === 0) storage.removeItem(key);
      });
    }
  });

  function storable(element) {
    if (!element.name || element.disabled || element.name === "csrfmiddlewaretoken") return false;
    var type = (element.type || "").toLowerCase();
    return SKIPPED_TYPES.indexOf(type) === -1 && element.tagName !== "BUTTON" && element.tagName !== "FIELDSET";
  }

  function serialize(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!storable(element)) return;
      var type = (element.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        if (!(element.name in fields)) fields[element.name] = [];
        if (element.checked) fields[element.name].push(element.value);
      } else if (element.tagName === "SELECT" && element.multiple) {
        fields[element.name] = Array.prototype.filter
          .call(element.options, function (option) { return option.selected; })
          .map(function (option) { return option.value; });
      } else {
        fields[element.name] = element.value;
      }
    });
    return fields;
  }

  function hasContent(fields, initial) {
    return Object.keys(fields).some(function (name) {
      return JSON.stringify(fields[name]) !== JSON.stringify(initial[name]);
    });
  }

  // A formset row that is not on the page yet (rows added in the browser): click the form's add-row button.
  function ensureField(form, name) {
    if (form.elements.namedItem(name)) return true;
    if (!/^.+-\d+-/.test(name)) return false;
    var add = form.querySelector("[data-formset-add], button[id$='-add']");
    for (var tries = 0; add && tries < 300 && !form.elements.namedItem(name); tries += 1) add.click();
    return Boolean(form.elements.namedItem(name));
  }

  function apply(form, fields) {
    Object.keys(fields).forEach(function (name) {
      if (!ensureField(form, name)) return;
      var value = fields[name];
      var item = form.elements.namedItem(name);
      var elements = item instanceof Element ? [item] : Array.prototype.slice.call(item);
      elements.forEach(function (element) {
        if (!storable(element)) return;
        var type = (element.type || "").toLowerCase();
        if (type === "checkbox" || type === "radio") {
          element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
        } else if (element.tagName === "SELECT" && element.multiple) {
          Array.prototype.forEach.call(element.options, function (option) {
            option.selected = Array.isArray(value) && value.indexOf(option.value) !== -1;
          });
        } else if (typeof value === "string") {
          element.value = value;
        }
        element.dispatchEvent(new Event("input", { bubbles: true }));
        element.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  function notice(form, key, initial) {
    var box = document.createElement("div");
    box.className = "alert alert-info d-flex flex-wrap align-items-center justify-content-between gap-2 draft-notice";
    box.setAttribute("role", "status");
    box.setAttribute("data-draft-notice", "");
    var text = document.createElement("span");
    text.textContent = config.restored || "Unsent draft restored";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-secondary";
    discard.setAttribute("data-draft-discard", "");
    discard.textContent = config.discard || "Discard the draft";
    discard.addEventListener("click", function () {
      storage.removeItem(key);
      apply(form, initial);
      storage.removeItem(key);
      box.remove();
    });
    box.appendChild(text);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  function rendersErrors(form) {
    return Boolean(form.querySelector(".is-invalid, .invalid-feedback, .alert-danger, .errorlist"));
  }

  // After every script of the page has run (pages load theirs after this one), so restoring can use their
  // behaviour, e.g. the batch intake's add-row button.
  function setup() {
    document.querySelectorAll("form[data-draft]").forEach(setupForm);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }

  function setupForm(form) {
    var key = prefix + form.getAttribute("data-draft");
    var initial = serialize(form);
    var draft = read(key);
    if (draft && draft.fields) {
      if (rendersErrors(form)) {
        // The server re-rendered the submitted input with its errors: that is the current state.
        draft.pending = 0;
        write(key, draft);
      } else if (hasContent(draft.fields, initial)) {
        apply(form, draft.fields);
        notice(form, key, initial);
      }
    }

    var timer = null;
    function save(pending) {
      var fields = serialize(form);
      if (!hasContent(fields, initial)) {
        storage.removeItem(key);
        return;
      }
      write(key, { savedAt: Date.now(), pending: pending ? Date.now() : 0, path: window.location.pathname, fields: fields });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(false); }, 300);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      save(true);
    });
  }
})();
