// Kaufhaus: the little JavaScript the pages need. No inline scripts (the CSP forbids them).
(function () {
  "use strict";

  // Till mode: sign out after a period without input, so the next person starts clean.
  function idleLogout() {
    var seconds = parseInt(document.body.dataset.idleSeconds || "0", 10);
    var form = document.getElementById("logout-form");
    if (!seconds || !form) return;
    var timer;
    function reset() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        form.querySelector("input[name=reason]").value = "idle";
        form.submit();
      }, seconds * 1000);
    }
    ["keydown", "pointerdown", "touchstart", "input"].forEach(function (name) {
      document.addEventListener(name, reset, { passive: true });
    });
    reset();
  }

  // Scan fields keep the focus, so a scanner always types into them.
  function keepFocus() {
    var field = document.querySelector("[data-keep-focus]");
    if (!field) return;
    document.addEventListener("click", function (event) {
      if (!event.target.closest("a, button, input, select, textarea")) field.focus();
    });
  }

  // On-screen PIN keypad for touch screens.
  function keypads() {
    document.querySelectorAll(".keypad").forEach(function (pad) {
      var target = document.getElementById(pad.dataset.target);
      pad.addEventListener("click", function (event) {
        var key = event.target.closest("[data-key]");
        if (!key || !target) return;
        if (key.dataset.key === "clear") target.value = target.value.slice(0, -1);
        else if (target.value.length < (target.maxLength > 0 ? target.maxLength : 8)) target.value += key.dataset.key;
        target.focus();
      });
    });
  }

  // Forms that ask before they do something that cannot be undone.
  function confirms() {
    document.addEventListener("submit", function (event) {
      var message = event.target.dataset.confirm;
      if (message && !window.confirm(message)) event.preventDefault();
    });
  }

  // Forms sent once: a second Enter while the next page loads sends nothing. (Disabled a moment later,
  // so the pressed button's own name and value still go with the form.)
  function submitOnce() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.hasAttribute("data-submit-once") || event.defaultPrevented) return;
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  }

  // The "?" help: a dialog of at most three steps, closed with its button or Escape.
  function help() {
    var open = document.getElementById("help-open"), dialog = document.getElementById("help-dialog");
    if (!open || !dialog) return;
    open.addEventListener("click", function () { dialog.showModal(); });
    document.getElementById("help-close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      var field = document.querySelector("[data-keep-focus]");
      if (field) field.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    idleLogout();
    help();
    submitOnce();
    keepFocus();
    keypads();
    confirms();
  });
})();

// A select marked data-autosubmit (the header's branch switcher) sends its form when changed.
document.addEventListener("change", function (event) {
  var select = event.target.closest && event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
