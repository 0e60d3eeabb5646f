// Intake screen: category buttons and search, price hint, F2 repeats the last entry.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("intake-form");
    if (!form) return;
    var select = document.getElementById("category");
    var filter = document.getElementById("category-filter");
    var buttons = Array.prototype.slice.call(document.querySelectorAll(".cat-btn"));
    var hint = document.getElementById("price-hint");
    var clothing = document.getElementById("clothing-fields");
    var safety = document.getElementById("safety-fields");

    function choose(id, moveOn) {
      select.value = String(id);
      var chosen = null;
      buttons.forEach(function (b) {
        var on = b.dataset.id === String(id);
        b.classList.toggle("selected", on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) chosen = b;
      });
      var min = chosen ? chosen.dataset.min : "", max = chosen ? chosen.dataset.max : "";
      hint.textContent = chosen ? (chosen.dataset.path + (min || max ? " · " + hint.dataset.label + " " + (min || "?") + " – " + (max || "?") : "")) : "";
      clothing.hidden = !(chosen && chosen.dataset.clothing);
      safety.hidden = !(chosen && chosen.dataset.safety);
      if (moveOn) document.getElementById("description").focus();
    }

    hint.dataset.label = hint.dataset.label || document.documentElement.lang === "en" ? "Suggested price:" : "Preisvorschlag:";
    buttons.forEach(function (b) {
      b.addEventListener("click", function () { choose(b.dataset.id, true); });
    });
    select.addEventListener("change", function () { choose(select.value, false); });

    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      buttons.forEach(function (b) {
        b.hidden = q !== "" && b.dataset.path.toLowerCase().indexOf(q) === -1;
      });
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();  // Enter in the search picks the first match, it does not book
      var first = buttons.filter(function (b) { return !b.hidden; })[0];
      if (first) choose(first.dataset.id, true);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "F2") {
        var repeat = document.getElementById("repeat-form");
        if (repeat) { event.preventDefault(); repeat.submit(); }
      }
    });

    choose(select.value, false);
    if (select.value && select.value !== "0") document.getElementById("description").focus();
  });
})();
