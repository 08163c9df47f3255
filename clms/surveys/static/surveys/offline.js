/* CLMS offline support on every page: registers the service worker (/sw.js), keeps the phone's
   queue of unsent forms in IndexedDB, and empties queue and cached pages at log-out (after a
   warning when something is still waiting).  No inline script: the CSP forbids it. */
(function () {
  "use strict";
  var DB_NAME = "clms-field";
  var CACHES = ["clms-field-pages"];

  function open() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "key" });
        if (!db.objectStoreNames.contains("sent")) db.createObjectStore("sent", { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { db.close(); reject(t.error); };
        t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }

  var api = {
    all: function (store) { return tx(store, "readonly", function (s) { return s.getAll(); }); },
    put: function (store, item) { return tx(store, "readwrite", function (s) { s.put(item); }); },
    remove: function (store, key) { return tx(store, "readwrite", function (s) { s.delete(key); }); },
    clear: function () {
      var stores = ["queue", "sent"].map(function (name) {
        return tx(name, "readwrite", function (s) { s.clear(); });
      });
      var caches = window.caches ? CACHES.map(function (name) { return window.caches.delete(name); }) : [];
      return Promise.all(stores.concat(caches));
    },
    waiting: function (user) {
      return api.all("queue").then(function (items) {
        return items.filter(function (item) { return String(item.user) === String(user); });
      });
    }
  };
  window.CLMSOffline = api;

  var meta = document.querySelector("meta[name=clms-offline]");
  if (!meta) return;  // not logged in: nothing to keep, nothing to clear

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(meta.dataset.worker, { scope: "/" }).catch(function () {});
  }

  /* Log-out: a queued item would be lost, so say so first; then delete queue and cached pages. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[action='" + meta.dataset.logout + "']")) return;
    if (form.dataset.cleared) return;
    event.preventDefault();
    api.all("queue").catch(function () { return []; }).then(function (items) {
      if (items.length && !window.confirm(meta.dataset.warning.replace("{n}", String(items.length)))) return;
      return api.clear().catch(function () {}).then(function () {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  }, true);
})();
