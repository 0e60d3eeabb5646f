// The customer display: asks the till every second what to show (polling: no external service, and
// it recovers by itself after a lost connection). German, or English at the customer's tap.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("display");
    if (!root) return;
    var labels = JSON.parse(root.dataset.labels);
    var lang = localStorage.getItem("display-lang") === "en" ? "en" : "de";
    var last = null;
    function $(id) { return document.getElementById(id); }
    function money(cents) {
      return new Intl.NumberFormat(lang === "en" ? "en-GB" : "de-DE", { style: "currency", currency: "EUR" })
        .format(cents / 100);
    }
    function draw() {
      var data = last || { state: "idle", lines: [], total_cents: 0, paid_cents: 0, change_cents: 0 };
      var t = labels[lang];
      document.documentElement.lang = lang;
      $("d-title").textContent = data.state === "paid" ? t.thanks : t.title;
      $("d-welcome").textContent = t.welcome;
      $("d-welcome").hidden = data.state !== "idle";
      $("d-total-label").textContent = t.total;
      $("d-paid-label").textContent = t.paid;
      $("d-change-label").textContent = t.change;
      var body = $("d-lines").tBodies[0];
      body.textContent = "";
      data.lines.forEach(function (line) {
        var row = body.insertRow();
        row.insertCell().textContent = (line.quantity > 1 ? line.quantity + " × " : "") + line.text;
        var amount = row.insertCell();
        amount.textContent = money(line.total_cents);
        amount.className = "num";
      });
      $("d-total").textContent = money(data.total_cents);
      $("d-paid-row").hidden = data.state !== "paid";
      $("d-change-row").hidden = data.state !== "paid" || !data.change_cents;
      $("d-paid").textContent = money(data.paid_cents);
      $("d-change").textContent = money(data.change_cents);
      $("d-impact").hidden = !data.kg;
      if (data.kg) {
        var kg = new Intl.NumberFormat(lang === "en" ? "en-GB" : "de-DE", { maximumFractionDigits: 1 }).format(data.kg);
        $("d-impact").textContent = t.kg.replace("%(kg)s", kg);
      }
      root.dataset.state = data.state;
      document.querySelectorAll("[data-lang]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.lang === lang ? "true" : "false");
      });
    }
    function poll() {
      fetch(root.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { last = data; draw(); } })
        .catch(function () { /* try again in a second */ })
        .then(function () { setTimeout(poll, 1000); });
    }
    document.querySelectorAll("[data-lang]").forEach(function (b) {
      b.addEventListener("click", function () {
        lang = b.dataset.lang;
        localStorage.setItem("display-lang", lang);
        draw();
      });
    });
    draw();
    poll();
  });
})();
