/* Shared behaviour for every page: CSRF for htmx, confirm dialogs, auto-submit controls. No inline JS (CSP). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx requests carry Django's CSRF token as a header.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // <button data-confirm="..."> or <form data-confirm="..."> asks before submitting or following a link.
  document.addEventListener(
    "click",
    function (event) {
      var trigger = event.target.closest("[data-confirm]");
      if (!trigger || trigger.tagName === "FORM") {
        return;
      }
      if (!window.confirm(trigger.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // Forms are submitted once: a second click while the first request is on its way does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("data-allow-resubmit") || (form.hasAttribute("hx-post") || form.hasAttribute("data-hx-post"))) {
      return;
    }
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    // Re-enable when the page is shown again from the back/forward cache.
    window.addEventListener("pageshow", function () {
      form.dataset.submitted = "";
    }, { once: true });
  });

  // <select data-autosubmit> / <input data-autosubmit> submit their form on change (filters).
  document.addEventListener("change", function (event) {
    var control = event.target.closest("[data-autosubmit]");
    if (control && control.form) {
      if (typeof control.form.requestSubmit === "function") {
        control.form.requestSubmit();
      } else {
        control.form.submit();
      }
    }
  });

  // <button data-print> prints the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  // htmx: keep Bootstrap tooltips working in swapped content; show a message on failed requests.
  function initTooltips(root) {
    if (!window.bootstrap) {
      return;
    }
    root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
      window.bootstrap.Tooltip.getOrCreateInstance(el);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    initTooltips(document);
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    initTooltips(event.detail.target);
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("htmx-error");
    if (box) {
      box.classList.remove("d-none");
    }
    if (window.console) {
      window.console.warn("htmx request failed", event.detail.xhr && event.detail.xhr.status);
    }
  });
})();
