/* Service worker of the batch intake page (rendered by voters/offline.py; scope: the intake page's path).
 *
 * It keeps two kinds of responses, nothing else: the intake page itself (its HTML, as the network last gave it,
 * so that the page opens with no connection) and the page's own static files (listed below). Every other
 * request -- other pages, JSON, the rows sent to the server, another page's personal data -- is not touched:
 * it goes to the network as if there were no service worker, and nothing of it is stored.
 * Network first, the stored copy only when the network does not answer (or takes longer than TIMEOUT_MS).
 */
"use strict";
{% autoescape off %}
var CACHE = "intake-" + {{ version }};
var SHELL = {{ scope }};
var ASSETS = {{ assets }};
{% endautoescape %}
var TIMEOUT_MS = 6000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("intake-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromNetwork(request, keep) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, TIMEOUT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (keep(response)) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      resolve(response);
    }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true });
  }).then(function (hit) {
    return hit || Response.error();
  });
}

// The intake page as the signed-in user got it: never a redirect (to the sign-in page), an error or another page.
function isShell(response) {
  return response.ok && !response.redirected && response.type === "basic"
    && new URL(response.url).pathname === SHELL
    && (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

function isAsset(response) {
  return response.ok && response.type === "basic";
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(fromNetwork(request, isShell).catch(function () { return fromCache(request); }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) !== -1 && !url.search) {
    event.respondWith(fromNetwork(request, isAsset).catch(function () { return fromCache(url.pathname); }));
  }
});

// The page opened before this worker existed asks to be kept: fetched again here, kept only if it is the
// intake page as the signed-in user gets it (see isShell).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep-shell" || typeof data.url !== "string") return;
  var url = new URL(data.url, self.location.origin);
  if (url.origin !== self.location.origin || url.pathname !== SHELL) return;
  // A signed-out browser is not sent on to the sign-in page (which would hand it a new CSRF cookie).
  var request = new Request(url.href, { credentials: "same-origin", redirect: "manual" });
  event.waitUntil(fetch(request).then(function (response) {
    if (!isShell(response)) return undefined;
    return caches.open(CACHE).then(function (cache) { return cache.put(request, response); });
  }).catch(function () { return undefined; }));
});
