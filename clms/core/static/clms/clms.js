/* CLMS page behaviour. No inline scripts (the CSP forbids them): every page loads this file. */
(function () {
  "use strict";

  /* A village list follows the commune picked in the same form: options carry data-commune. */
  function filterVillages(select) {
    var form = select.form;
    if (!form) return;
    var commune = form.elements[select.dataset.villagesOf];
    if (!commune || commune.type === "hidden" && !commune.value) return;
    var chosen = commune.value;
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      if (!option.dataset.commune) continue;
      var hide = chosen !== "" && option.dataset.commune !== chosen;
      option.hidden = hide;
      option.disabled = hide;
      if (hide && option.selected) select.value = "";
    }
  }

  function bindVillages(root) {
    var selects = root.querySelectorAll("select[data-villages-of]");
    selects.forEach(function (select) {
      if (select.dataset.bound) return;
      select.dataset.bound = "1";
      var commune = select.form && select.form.elements[select.dataset.villagesOf];
      if (commune && commune.addEventListener) {
        commune.addEventListener("change", function () { filterVillages(select); });
      }
      filterVillages(select);
    });
  }

  /* Picker: a ticked search result moves to the "chosen" list, so a new search keeps it. */
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-picker-results] input[type=checkbox]")) return;
    var picker = box.closest("[data-picker]");
    var chosen = picker && picker.querySelector("[data-picker-chosen]");
    if (!chosen) return;
    var item = box.closest("[data-picker-item]");
    if (box.checked && item) {
      if (!chosen.querySelector("input[value='" + box.value + "']")) chosen.appendChild(item);
    }
  });

  /* Navigation menu on a phone: the button shows or hides it. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-menu-toggle]");
    if (!button) return;
    var header = button.closest("header");
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  /* Inline help on the hard forms: open beside the fields on a desktop, folded on a phone
     (the markup ships it closed, so a phone without this script keeps the form short). */
  function openWideHelp(root) {
    if (!window.matchMedia || !window.matchMedia("(min-width: 641px)").matches) return;
    root.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }

  document.addEventListener("DOMContentLoaded", function () { bindVillages(document); openWideHelp(document); });
  document.addEventListener("htmx:afterSettle", function (event) { bindVillages(event.target); });
})();
