// Intake screen: category buttons (drill down, or search by name), price hint, F2 repeats.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("intake-form");
    if (!form) return;
    var select = document.getElementById("category");
    var filter = document.getElementById("category-filter");
    var up = document.getElementById("cat-up");
    var buttons = Array.prototype.slice.call(document.querySelectorAll(".cat-btn"));
    var hint = document.getElementById("price-hint");
    var clothing = document.getElementById("clothing-fields");
    var safety = document.getElementById("safety-fields");
    var open = "";  // the category whose children are shown; "" = top level

    function byId(id) {
      return buttons.filter(function (b) { return b.dataset.id === String(id); })[0] || null;
    }
    function hasChildren(id) {
      return buttons.some(function (b) { return b.dataset.parent === String(id); });
    }
    function show() {
      var q = filter.value.trim().toLowerCase();
      buttons.forEach(function (b) {
        if (q) {
          b.hidden = b.dataset.path.toLowerCase().indexOf(q) === -1;
          b.querySelector(".cat-name").textContent = b.dataset.path;
        } else {
          b.hidden = b.dataset.parent !== open && b.dataset.id !== open;
          b.querySelector(".cat-name").textContent = b.dataset.name;
        }
      });
      up.hidden = !open || !!q;
    }
    function choose(id, moveOn) {
      select.value = String(id);
      var chosen = byId(id);
      buttons.forEach(function (b) {
        var on = b === chosen;
        b.classList.toggle("selected", on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      var min = chosen ? chosen.dataset.min : "", max = chosen ? chosen.dataset.max : "";
      hint.textContent = chosen ? chosen.dataset.path +
        (min || max ? " · " + hint.dataset.label + " " + (min || "?") + " – " + (max || "?") : "") : "";
      clothing.hidden = !(chosen && chosen.dataset.clothing);
      safety.hidden = !(chosen && chosen.dataset.safety);
      if (chosen) {
        open = hasChildren(id) ? String(id) : chosen.dataset.parent;
        if (filter.value) filter.value = "";
        show();
      }
      if (moveOn && chosen && !hasChildren(id)) document.getElementById("description").focus();
    }

    buttons.forEach(function (b) {
      b.addEventListener("click", function () { choose(b.dataset.id, true); });
    });
    up.addEventListener("click", function () {
      var current = byId(open);
      open = current ? current.dataset.parent : "";
      show();
    });
    select.addEventListener("change", function () { choose(select.value, false); });
    filter.addEventListener("input", show);
    filter.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();  // Enter in the search picks the first match; it does not book
      var first = buttons.filter(function (b) { return !b.hidden; })[0];
      if (first) {
        choose(first.dataset.id, false);
        document.getElementById("description").focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "F2") {
        var repeat = document.getElementById("repeat-form");
        if (repeat) { event.preventDefault(); repeat.submit(); }
      }
    });

    // A pasted text longer than allowed stays whole, and the field says so at once.
    var description = document.getElementById("description");
    var tooLong = document.getElementById("description-long");
    function checkLength() {
      var max = parseInt(tooLong.dataset.max, 10), n = description.value.length;
      tooLong.hidden = n <= max;
      tooLong.textContent = n > max ? tooLong.dataset.text.replace("{n}", n) : "";
      description.setAttribute("aria-invalid", n > max ? "true" : "false");
    }
    description.addEventListener("input", checkLength);
    // Enter after the description goes on to the price; Enter after the price books.
    description.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      document.getElementById("price").focus();
    });

    show();
    choose(select.value, false);
    form.dataset.ready = "1";
    if (select.value && select.value !== "0") document.getElementById("description").focus();
  });
})();
