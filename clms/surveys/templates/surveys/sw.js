/* CLMS service worker: keeps the offline forms (/field/) and the site's own static files.
   Workbox is vendored under static/surveys/workbox/ (clms/surveys/frontend/vendor.mjs): no CDN. */
importScripts("{{ workbox|escapejs }}workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "{{ workbox|escapejs }}", debug: false });

var FIELD_CACHE = "clms-field-pages";
var STATIC_CACHE = "clms-static";
var WEEK = 7 * 24 * 60 * 60;

workbox.core.clientsClaim();
self.skipWaiting();

/* The site's own files the forms page needs, kept at install: the page that registered the
   worker fetched them before the worker was there to keep them. */
var SHELL = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(SHELL); }));
});

/* The forms page: from the network when there is one (fresh lists), else the copy kept at the
   last visit online.  Kept at most a week; logging out deletes it (surveys/offline.js). */
workbox.routing.registerRoute(
  function (ctx) { return ctx.request.mode === "navigate" && ctx.url.pathname.indexOf("/field/") === 0; },
  new workbox.strategies.NetworkFirst({
    cacheName: FIELD_CACHE,
    networkTimeoutSeconds: 6,
    matchOptions: { ignoreVary: true, ignoreSearch: true },
    plugins: [new workbox.expiration.ExpirationPlugin({ maxEntries: 4, maxAgeSeconds: WEEK })]
  })
);

/* CSS, scripts and icons of the site itself. */
workbox.routing.registerRoute(
  function (ctx) { return ctx.url.origin === self.location.origin && ctx.url.pathname.indexOf("{{ static_prefix|default:'/static/'|escapejs }}") === 0; },
  new workbox.strategies.StaleWhileRevalidate({ cacheName: STATIC_CACHE })
);
