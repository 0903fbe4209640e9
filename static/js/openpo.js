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
