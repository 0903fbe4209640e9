// Enhancements only: every page works without this file.
// Countdowns: <time datetime="..." data-countdown> keeps ticking once a minute.
document.documentElement.classList.add("js");

(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var units = [["day", 86400], ["hour", 3600], ["minute", 60]];
  var format = window.Intl && Intl.NumberFormat ? function (n, unit) {
    return new Intl.NumberFormat(lang, { style: "unit", unit: unit, unitDisplay: "long" }).format(n);
  } : function (n, unit) { return n + " " + unit + (n === 1 ? "" : "s"); };

  function render(el) {
    var seconds = Math.floor((new Date(el.getAttribute("datetime")) - Date.now()) / 1000);
    if (seconds <= 0) { return; }
    var parts = [];
    units.forEach(function (u) {
      var n = Math.floor(seconds / u[1]);
      if (n > 0 && parts.length < 2) { parts.push(format(n, u[0])); seconds -= n * u[1]; }
    });
    if (parts.length) { el.textContent = parts.join(" "); }
  }

  function tick() { document.querySelectorAll("time[data-countdown]").forEach(render); }
  tick();
  setInterval(tick, 60000);
})();

// Copy buttons: <button data-copy="#input-id"> copies that field's value.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) { return; }
  var field = document.querySelector(button.getAttribute("data-copy"));
  navigator.clipboard.writeText(field.value || field.textContent).then(function () {
    button.setAttribute("data-copied", "");
  });
});

// Print buttons: <button data-print hidden> shows only where a script can print.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});

// Formset rows (campaign editor variants): <button data-formset-add="prefix" hidden> appends a
// copy of <template id="prefix-row-template"> and counts it in prefix-TOTAL_FORMS. Without
// this script the page already has empty rows to fill.
document.querySelectorAll("[data-formset-add]").forEach(function (button) {
  var prefix = button.getAttribute("data-formset-add");
  var template = document.getElementById(prefix + "-row-template");
  var rows = document.querySelector('[data-formset-rows="' + prefix + '"]');
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  if (!template || !rows || !total) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
    rows.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    var first = rows.lastElementChild.querySelector("input:not([type=hidden])");
    if (first) { first.focus(); }
  });
});

// Suggested order windows (campaign editor): <a data-window-opens data-window-closes> fills in
// the two times where they are, keeping what the seller typed. Without this script the link
// loads the editor again with the window filled in.
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-window-opens]");
  var opens = document.getElementById("id_opens_at");
  var closes = document.getElementById("id_closes_at");
  if (!link || !opens || !closes) { return; }
  event.preventDefault();
  opens.value = link.getAttribute("data-window-opens");
  closes.value = link.getAttribute("data-window-closes");
  opens.focus();
});

// Customisation notes, one per unit: in <fieldset data-units>, as many .note-unit fields as the
// quantity says (the first is copied; at least one shows), numbered once there are two, and
// "(required)" only once a quantity is chosen. Without this script the server shows as many as
// the quantity sent and asks for the rest.
document.querySelectorAll("fieldset[data-units]").forEach(function (row) {
  var quantity = row.querySelector("input[name$='-quantity']");
  var box = row.querySelector(".note-units");
  if (!quantity || !box) { return; }
  var first = box.querySelector(".note-unit");
  function show() {
    var chosen = parseInt(quantity.value, 10) || 0;
    var wanted = Math.min(Math.max(chosen, 1), 50);
    var units = box.querySelectorAll(".note-unit");
    for (var i = units.length; i < wanted; i++) {
      var copy = first.cloneNode(true);
      copy.querySelectorAll("[id], [name], [for], [aria-describedby]").forEach(function (el) {
        ["id", "name", "for", "aria-describedby"].forEach(function (attribute) {
          var value = el.getAttribute(attribute);
          if (value) { el.setAttribute(attribute, value.replace(/note_\d+/, "note_" + i)); }
        });
      });
      copy.querySelectorAll(".error").forEach(function (error) { error.remove(); });
      copy.querySelector("textarea").value = "";
      box.appendChild(copy);
    }
    for (var j = units.length - 1; j >= wanted; j--) { units[j].remove(); }
    var all = box.querySelectorAll(".note-unit");
    all.forEach(function (unit, k) {
      var number = unit.querySelector(".unit-of");
      number.textContent = "(" + (k + 1) + ")";
      number.hidden = all.length === 1;
    });
    row.querySelectorAll(".required-hint").forEach(function (hint) { hint.hidden = chosen < 1; });
  }
  quantity.addEventListener("input", show);
});
