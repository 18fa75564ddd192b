// Type-ahead filters (no inline scripts: CSP). A <select data-typeahead="URL"> holds only its chosen
// option (the page ships no list of thousands); this puts a search box in front of it that asks URL?q=…
// for matching choices (JSON {results: [{id, text}], more}) and sets the <select> to the one picked.
// Without JavaScript the <select> stays usable with its chosen value and "all".
// A <select multiple data-typeahead> (e.g. a meeting's participating agencies) keeps its chosen options as
// removable chips above the search box; each one picked is added to them.
(function () {
  "use strict";
  var DELAY = 200;
  var counter = 0;

  function setup(select) {
    // Once per <select>: the base template loads this script on every page, some pages load it again.
    if (select.hasAttribute("data-typeahead-ready")) return;
    select.setAttribute("data-typeahead-ready", "");
    counter += 1;
    var url = select.getAttribute("data-typeahead");
    var listId = "typeahead-list-" + counter;
    var multiple = select.multiple;
    var chosen = multiple ? null : select.options[select.selectedIndex];
    var emptyLabel = select.options.length && select.options[0].value === "" ? select.options[0].text : "";

    var wrapper = document.createElement("div");
    wrapper.className = "typeahead position-relative";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control";
    input.id = select.id + "_search";
    input.autocomplete = "off";
    input.placeholder = emptyLabel;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.value = chosen && chosen.value ? chosen.text : "";
    var chips = null;
    if (multiple) {
      chips = document.createElement("div");
      chips.className = "typeahead-chips d-flex flex-wrap gap-1 mb-1";
      chips.setAttribute("aria-live", "polite");
      wrapper.appendChild(chips);
    }
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "typeahead-list list-group position-absolute w-100 shadow-sm";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    select.parentNode.insertBefore(wrapper, select);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) label.htmlFor = input.id;

    var timer = null;
    var active = -1;
    var items = [];
    var request = 0;

    function renderChips() {
      if (!chips) return;
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected || !option.value) return;
        var chip = document.createElement("span");
        chip.className = "badge text-bg-light border d-inline-flex align-items-center gap-1 text-wrap text-start";
        chip.textContent = option.text;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn-close btn-close-sm";
        remove.setAttribute("aria-label", (select.getAttribute("data-typeahead-remove") || "×") + ": " + option.text);
        remove.addEventListener("click", function () {
          option.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          renderChips();
          input.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }
    renderChips();

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(item) {
      var option = null;
      for (var i = 0; i < select.options.length; i += 1) {
        if (select.options[i].value === String(item.id)) option = select.options[i];
      }
      if (!option) {
        option = document.createElement("option");
        option.value = item.id;
        option.textContent = item.text;
        select.appendChild(option);
      }
      if (multiple) {
        option.selected = true;
        input.value = "";
        renderChips();
      } else {
        select.value = String(item.id);
        input.value = item.text;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    function highlight(index) {
      items.forEach(function (node, i) {
        node.classList.toggle("active", i === index);
        node.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
    }

    function render(data) {
      list.textContent = "";
      items = [];
      (data.results || []).forEach(function (item, i) {
        var node = document.createElement("li");
        node.id = listId + "-" + i;
        node.className = "list-group-item list-group-item-action";
        node.setAttribute("role", "option");
        node.textContent = item.text;
        node.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(item);
        });
        list.appendChild(node);
        items.push(node);
        node.item = item;
      });
      if (!items.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-muted small";
        none.textContent = select.getAttribute("data-typeahead-none") || "—";
        list.appendChild(none);
      } else if (data.more) {
        var more = document.createElement("li");
        more.className = "list-group-item text-muted small";
        more.textContent = "…";
        list.appendChild(more);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      request += 1;
      var mine = request;
      fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(input.value.trim()), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === request) render(data); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      if (!multiple && !input.value.trim()) select.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("focus", function () {
      if (list.hidden) search();
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
      if (!multiple && !input.value.trim()) select.value = "";
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) return search();
        if (!items.length) return;
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        highlight((next + items.length) % items.length);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(items[active].item);
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  function setupWithin(node) {
    if (node.nodeType !== 1) return;
    if (node.matches("select[data-typeahead]")) setup(node);
    Array.prototype.forEach.call(node.querySelectorAll("select[data-typeahead]"), setup);
  }

  setupWithin(document.body);
  // Rows a formset adds from its template (meetings' attendance, charters' parties) and htmx swaps.
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      Array.prototype.forEach.call(mutation.addedNodes, setupWithin);
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
