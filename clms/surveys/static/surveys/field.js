/* The offline forms page (/field/): every save goes into the phone's queue (IndexedDB) with an
   idempotency key, and the queue is sent whenever the phone is online.  The server answers each
   item on its own; an item it refuses stays here with its message, to be corrected. */
(function () {
  "use strict";
  var root, store, user, busy = false, editing = {};

  function label(name) { return root.dataset["label" + name] || ""; }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function status(text) {
    var box = root.querySelector("[data-field-status]");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function formData(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (form.elements[name] && form.elements[name].length && form.elements[name][0] &&
          form.elements[name][0].type === "checkbox") {
        (data[name] = data[name] || []).push(value);
      } else if (value !== "") {
        data[name] = value;
      }
    });
    return data;
  }

  function fill(form, data) {
    form.reset();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data)) return;
      var value = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var values = Array.isArray(value) ? value : [value];
        el.checked = values.indexOf(el.value) !== -1 || (el.type === "checkbox" && value === "on" && el.value === "on");
      } else {
        el.value = value;
      }
    });
  }

  function summary(item) {
    var d = item.data, name = "";
    if (item.kind === "report") name = d.new_name || childName(d.children) || (d.what_seen || "").slice(0, 40);
    else name = childName(d.child);
    return root.dataset["kind" + item.kind.charAt(0).toUpperCase() + item.kind.slice(1)] + (name ? ": " + name : "");
  }

  var children = [];
  function childName(id) {
    for (var i = 0; i < children.length; i++) if (String(children[i].id) === String(id)) return children[i].name;
    return "";
  }

  function render() {
    return Promise.all([store.waiting(user), store.all("sent")]).then(function (both) {
      var waiting = both[0], sent = both[1].filter(function (s) { return String(s.user) === String(user); });
      waiting.sort(function (a, b) { return a.created - b.created; });
      root.querySelector("[data-pending-counter]").textContent = label("Pending") + " (" + waiting.length + ")";
      var list = root.querySelector("[data-queue-list]");
      list.textContent = "";
      waiting.forEach(function (item) {
        var li = document.createElement("li");
        li.dataset.key = item.key;
        li.className = item.status === "rejected" ? "rejected" : "pending";
        var title = document.createElement("strong");
        title.textContent = summary(item);
        li.appendChild(title);
        var note = document.createElement("div");
        note.className = item.status === "rejected" ? "errorlist" : "muted";
        note.dataset.itemMessage = "";
        note.textContent = item.status === "rejected" ? label("Rejected") + ": " + item.message : label("Pending");
        li.appendChild(note);
        if (item.duplicates && item.duplicates.length) {
          var dup = document.createElement("div");
          dup.className = "muted";
          dup.textContent = label("Maybe") + " " + item.duplicates.map(function (c) {
            return c.name + " (" + c.born + (c.village ? ", " + c.village : "") + ")";
          }).join("; ");
          li.appendChild(dup);
        }
        if (item.status === "rejected") {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "secondary";
          button.dataset.editKey = item.key;
          button.textContent = label("Edit");
          li.appendChild(button);
        }
        list.appendChild(li);
      });
      sent.sort(function (a, b) { return b.at - a.at; }).slice(0, 20).forEach(function (item) {
        var li = document.createElement("li");
        li.className = "sent";
        li.textContent = label("Sent") + " · " + item.summary + " · " + item.message;
        list.appendChild(li);
      });
    });
  }

  function send() {
    if (busy || !navigator.onLine) return Promise.resolve();
    busy = true;
    return store.waiting(user).then(function (items) {
      var pending = items.filter(function (i) { return i.status === "pending"; });
      if (!pending.length) return;
      status(label("Sending"));
      return fetch(root.dataset.syncUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) {
          if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("json") === -1) throw new Error("login");
          return r.json();
        })
        .then(function (who) {
          if (String(who.user) !== String(user)) { status(label("OtherUser")); return; }
          var body = pending.slice(0, 50).map(function (i) { return { key: i.key, kind: i.kind, data: i.data }; });
          return fetch(root.dataset.syncUrl, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": who.csrf, "Accept": "application/json" },
            body: JSON.stringify({ items: body })
          }).then(function (r) {
            if (!r.ok) throw new Error("http " + r.status);
            return r.json();
          }).then(function (answer) {
            var byKey = {};
            pending.forEach(function (i) { byKey[i.key] = i; });
            return answer.results.reduce(function (chain, result) {
              var item = byKey[result.key];
              if (!item) return chain;
              if (result.status === "accepted") {
                return chain.then(function () {
                  return store.put("sent", { key: item.key, user: user, summary: summary(item), message: result.message, at: Date.now() });
                }).then(function () { return store.remove("queue", item.key); });
              }
              item.status = "rejected";
              item.message = result.message;
              item.errors = result.errors || {};
              item.duplicates = result.duplicates || [];
              return chain.then(function () { return store.put("queue", item); });
            }, Promise.resolve()).then(function () { status(""); });
          });
        })
        .catch(function (error) {
          status(error && error.message === "login" ? label("Login") : label("Offline"));
        });
    }).then(function () { busy = false; return render(); }, function () { busy = false; });
  }

  function save(event) {
    var form = event.target.closest("[data-field-form]");
    if (!form) return;
    event.preventDefault();
    var kind = form.dataset.fieldForm;
    var key = editing[kind] || newKey();
    var item = { key: key, kind: kind, user: user, data: formData(form), status: "pending", message: "", created: Date.now() };
    store.put("queue", item).then(function () {
      delete editing[kind];
      form.querySelector("[data-form-error]").textContent = "";
      var keep = { received_on: 1, received_time: 1, visited_on: 1, observed_on: 1, source: 1, village: 1 };
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || keep[el.name]) return;
        if (el.type === "checkbox" || el.type === "radio") el.checked = el.defaultChecked;
        else if (el.tagName === "SELECT") el.selectedIndex = 0;
        else el.value = "";
      });
      status(navigator.onLine ? label("Saved") : label("Offline"));
      return render();
    }).then(send);
  }

  function edit(event) {
    var button = event.target.closest && event.target.closest("[data-edit-key]");
    if (!button) return;
    store.waiting(user).then(function (items) {
      var item = items.filter(function (i) { return i.key === button.dataset.editKey; })[0];
      if (!item) return;
      var form = root.querySelector("[data-field-form='" + item.kind + "']");
      fill(form, item.data);
      editing[item.kind] = item.key;  // the same key: a refused item was never written
      form.querySelector("[data-form-error]").textContent = item.message;
      form.scrollIntoView();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("field");
    store = window.CLMSOffline;
    if (!root || !store) return;
    user = root.dataset.user;
    var data = document.getElementById("field-children");
    children = data ? JSON.parse(data.textContent) : [];
    root.querySelectorAll("[data-children-select]").forEach(function (select) {
      children.forEach(function (c) {
        var option = document.createElement("option");
        option.value = c.id;
        option.textContent = c.name + " (" + c.born + (c.village ? ", " + c.village : "") + ")";
        select.appendChild(option);
      });
    });
    status("");
    root.addEventListener("submit", save);
    root.addEventListener("click", edit);
    window.addEventListener("online", send);
    /* Keep this page for use offline: the service worker serves it when there is no network. */
    if (navigator.onLine && window.caches && "serviceWorker" in navigator) {
      navigator.serviceWorker.ready.then(function () {
        return window.caches.open("clms-field-pages").then(function (cache) { return cache.add(window.location.pathname); });
      }).then(function () { root.dataset.cached = "1"; }).catch(function () {});
    }
    render().then(send);
  });
})();
