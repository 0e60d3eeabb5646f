// The sale screen. Keyboard and scanner first: the scan field keeps the focus, Enter on a code adds it,
// Enter on an empty field pays cash, F4/F5/F6 pay cash/card/voucher, F8 entitlement card.
// Scans typed while a request runs wait in a queue, so a fast scanner loses nothing.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  document.addEventListener("DOMContentLoaded", function () {
    var root = $("till");
    if (!root) return;
    var base = root.dataset.base;
    var limit = parseInt(root.dataset.limit || "0", 10);
    var isSupervisor = !!root.dataset.supervisor;
    var token = document.querySelector("meta[name=csrf-token]").content;
    var lang = document.documentElement.lang || "de";
    // The page's language, with Latin digits as on the notes, labels and receipts.
    var money = new Intl.NumberFormat((lang === "en" ? "en-GB" : lang) + "-u-nu-latn", { style: "currency", currency: "EUR", currencyDisplay: "narrowSymbol" });
    var scan = $("scan"), message = $("message"), cart = $("cart"), done = $("done");
    var queue = [], busy = false, newUuid = null, discountLine = null, paying = false;

    function uuid4() {
      var b = new Uint8Array(16);
      crypto.getRandomValues(b);
      b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
      var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
      return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
    }
    function state() { return $("cart-state").dataset; }
    function cartUuid() {
      // The sale id is made here, before the first line, so a retried payment books once.
      var current = state().uuid;
      if (current) return current;
      if (!newUuid) newUuid = uuid4();
      return newUuid;
    }
    function cents(text) {
      // Arabic-Indic and Persian digits and the Arabic decimal sign read as 0-9 and a comma.
      text = String(text || "").replace(/[\u0660-\u0669\u06f0-\u06f9]/g, function (d) {
        return String(d.charCodeAt(0) & 0xf);
      }).replace("\u066b", ",");
      var m = String(text || "").trim().replace("€", "").trim().match(/^(\d{1,7})(?:[.,](\d{1,2}))?$/);
      if (!m) return 0;
      return parseInt(m[1], 10) * 100 + parseInt((m[2] || "0").padEnd(2, "0"), 10);
    }
    // Amounts in the fields use the page's decimal sign too (37,50; in Arabic 37.50); both are read.
    var decimal = money.formatToParts(1.5).filter(function (p) { return p.type === "decimal"; })[0].value;
    function euro(c) { return (c / 100).toFixed(2).replace(".", decimal); }
    document.querySelectorAll("#till ~ dialog input[inputmode=decimal]").forEach(function (input) {
      input.placeholder = euro(0);
    });

    // Tones made in the browser (WebAudio, no sound files): a short high one for a good scan, two
    // low ones for a refused scan. Switchable per till; data-tone tells tests what played.
    var audio = null;
    function tone(kind) {
      root.dataset.tone = kind;
      if (!root.dataset.sound) return;
      try {
        audio = audio || new (window.AudioContext || window.webkitAudioContext)();
        var notes = kind === "good" ? [[1320, 0, 0.08]] : [[220, 0, 0.14], [180, 0.18, 0.2]];
        notes.forEach(function (n) {
          var osc = audio.createOscillator(), gain = audio.createGain();
          osc.type = kind === "good" ? "sine" : "square";
          osc.frequency.value = n[0];
          gain.gain.value = kind === "good" ? 0.25 : 0.12;
          osc.connect(gain); gain.connect(audio.destination);
          osc.start(audio.currentTime + n[1]);
          osc.stop(audio.currentTime + n[1] + n[2]);
        });
      } catch (e) { /* no sound: the message is enough */ }
    }
    function beep() { tone("bad"); }
    $("sound-toggle").addEventListener("click", function () {
      var on = !root.dataset.sound;
      post("/sound", { on: on }).then(function (data) {
        root.dataset.sound = data.sound ? "1" : "";
        $("sound-toggle").setAttribute("aria-pressed", data.sound ? "true" : "false");
        if (data.sound) tone("good");
      });
      scan.focus();
    });
    function say(text, isError) {
      message.textContent = text || "";
      message.className = "till-message" + (text ? (isError ? " is-error" : " is-ok") : "");
      if (isError) beep();
    }
    function render(data) {
      if (data.html) cart.innerHTML = data.html;
      if (!state().uuid) newUuid = null;
      $("eligibility").setAttribute("aria-pressed", state().eligibility ? "true" : "false");
      if (data.error) say(data.error, true);
      else say(data.message || "", false);
    }

    function post(path, body) {
      return fetch(base + path, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
        body: JSON.stringify(body || {})
      }).then(function (response) {
        if (response.redirected || response.status === 401) { window.location.reload(); throw new Error("signed out"); }
        if (response.status === 503) { var lost = new Error("unavailable"); lost.retryAfter = parseInt(response.headers.get("Retry-After"), 10); throw lost; }
        return response.json();
      });
    }
    function postRetrying(path, body) {
      // The connection or the database is lost (no answer, or 503): say so and send the same body
      // again, with the same sale id, until the server answers; the server books an id once.
      return post(path, body).catch(function (error) {
        if (error && error.message === "signed out") throw error;
        var wait = (error && error.retryAfter) || 3;
        $("pay-error").textContent = root.dataset.retrying || "Verbindung verloren, versuche erneut …";
        return new Promise(function (resolve) { setTimeout(resolve, wait * 1000); })
          .then(function () { return postRetrying(path, body); });
      });
    }
    function enqueue(path, body) {
      return new Promise(function (resolve) {
        queue.push({ path: path, body: body, resolve: resolve });
        pump();
      });
    }
    function afterQueue(fn) {
      // Keys like F4 right after a scan wait until the scan has been answered.
      queue.push({ run: fn });
      pump();
    }
    function pump() {
      if (busy || !queue.length) return;
      var job = queue.shift();
      if (job.run) { job.run(); pump(); return; }
      busy = true;
      if (typeof job.body === "function") job.body = job.body();
      post(job.path, job.body).then(function (data) {
        render(data);
        if (data.ok && (job.path === "/scan" || job.path === "/article")) tone("good");
        job.resolve(data);
      }).catch(function () {
        say(root.dataset.offline || "Keine Verbindung. Bitte noch einmal.", true);
        job.resolve(null);
      }).then(function () { busy = false; pump(); });
    }

    // --- scanning and the price list -------------------------------------------------------
    var articles = Array.prototype.slice.call(document.querySelectorAll(".article-btn"));
    function filterArticles(text) {
      var q = /[a-zäöüß]/i.test(text) ? text.trim().toLowerCase() : "";
      articles.forEach(function (b) { b.hidden = q !== "" && b.dataset.name.indexOf(q) === -1; });
    }
    function addArticle(id) {
      var qty = /^\d{1,3}$/.test(scan.value.trim()) ? parseInt(scan.value.trim(), 10) : 1;
      scan.value = "";
      filterArticles("");
      enqueue("/article", function () { return { article_id: id, quantity: qty, uuid: cartUuid() }; });
      scan.focus();
    }
    articles.forEach(function (b) {
      b.addEventListener("click", function () { addArticle(b.dataset.article); });
    });
    scan.addEventListener("input", function () { filterArticles(scan.value); showMore(); });
    // The price list shows that it scrolls: a bar below it while more articles are hidden.
    var grid = $("articles"), more = $("articles-more");
    function showMore() {
      more.hidden = grid.scrollHeight - grid.clientHeight - grid.scrollTop < 4;
    }
    grid.addEventListener("scroll", showMore, { passive: true });
    window.addEventListener("resize", showMore);
    more.addEventListener("click", function () {
      grid.scrollBy({ top: grid.clientHeight * 0.8, behavior: "smooth" });
      scan.focus();
    });
    showMore();
    $("scan-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = scan.value.trim();
      scan.value = "";
      if (!text) {
        afterQueue(function () { if (parseInt(state().lines || "0", 10) > 0) openPay("cash"); });
        return;
      }
      if (/[a-zäöüß]/i.test(text)) {
        var first = articles.filter(function (b) { return !b.hidden; })[0];
        filterArticles("");
        if (first) addArticle(first.dataset.article);
        else say($("t-notfound").content.textContent.replace("{text}", text), true);
        return;
      }
      enqueue("/scan", function () { return { code: text, uuid: cartUuid() }; });
    });

    // --- lines: remove, discount -----------------------------------------------------------
    cart.addEventListener("click", function (event) {
      var remove = event.target.closest(".line-remove");
      if (remove) { enqueue("/lines/" + remove.dataset.line + "/remove", {}); scan.focus(); return; }
      var disc = event.target.closest(".line-discount");
      if (disc) openDiscount(disc.dataset.line, disc.dataset.text);
    });
    function openDiscount(line, text) {
      discountLine = line;
      $("discount-text").textContent = text;
      $("discount-percent").value = "";
      $("discount-reason").value = "";
      $("discount-badge").value = "";
      $("discount-pin").value = "";
      $("discount-supervisor").value = "";
      $("discount-error").textContent = "";
      $("discount-confirm").hidden = true;
      $("discount-dialog").showModal();
      $("discount-percent").focus();
    }
    function updateConfirm() {
      var p = parseInt($("discount-percent").value || "0", 10);
      $("discount-confirm").hidden = isSupervisor || p <= limit;
    }
    $("discount-percent").addEventListener("input", updateConfirm);
    document.querySelectorAll("[data-percent]").forEach(function (b) {
      b.addEventListener("click", function () {
        $("discount-percent").value = b.dataset.percent;
        updateConfirm();
        $("discount-reason").focus();
      });
    });
    $("discount-back").addEventListener("click", function () { $("discount-dialog").close(); });
    $("discount-dialog").addEventListener("close", function () { scan.focus(); });
    $("discount-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { percent: parseInt($("discount-percent").value || "0", 10),
                   reason: $("discount-reason").value, badge: $("discount-badge").value,
                   supervisor_id: $("discount-supervisor").value || null, pin: $("discount-pin").value };
      enqueue("/lines/" + discountLine + "/discount", body).then(function (data) {
        if (data && data.ok) $("discount-dialog").close();
        else if (data) { $("discount-error").textContent = data.error; updateConfirm(); }
      });
    });

    // --- entitlement card, cancel ------------------------------------------------------------
    function toggleEligibility() {
      enqueue("/eligibility", function () { return { on: !state().eligibility, uuid: cartUuid() }; });
    }
    $("eligibility").addEventListener("click", toggleEligibility);
    // A delivery at the store's fee (issue 18): the address and day come after paying.
    if ($("add-delivery")) {
      $("add-delivery").addEventListener("click", function () {
        enqueue("/delivery", function () { return { uuid: cartUuid() }; });
      });
    }
    $("cancel-receipt").addEventListener("click", function () {
      if (parseInt(state().lines || "0", 10) === 0) return;
      $("cancel-dialog").showModal();
      $("cancel-no").focus();  // the safe answer has the focus: Enter keeps the receipt
    });
    $("cancel-no").addEventListener("click", function () { $("cancel-dialog").close(); });
    $("cancel-yes").addEventListener("click", function () {
      $("cancel-dialog").close();
      enqueue("/cancel", {});
    });
    $("cancel-dialog").addEventListener("close", function () { scan.focus(); });

    // --- paying ------------------------------------------------------------------------------
    var payDialog = $("pay-dialog");
    function total() { return parseInt(state().total || "0", 10); }
    function updateRest() {
      var paid = cents($("pay-card-amount").value) + cents($("pay-voucher-amount").value) + cents($("pay-cash-amount").value);
      var rest = total() - paid;
      $("pay-rest").textContent = rest > 0 ? $("t-rest").innerHTML + " " + money.format(rest / 100)
                                           : $("t-change").innerHTML + " " + money.format(Math.abs(rest) / 100);
      $("pay-rest").className = "pay-rest" + (rest > 0 ? " is-open" : " is-change");
    }
    function openPay(mode) {
      if (parseInt(state().lines || "0", 10) === 0) { say($("cart").querySelector(".cart-empty") ? $("cart").querySelector(".cart-empty").textContent : "", true); return; }
      ["pay-card-amount", "pay-voucher-amount", "pay-voucher-number", "pay-cash-amount"].forEach(function (id) { $(id).value = ""; });
      $("pay-error").textContent = "";
      $("pay-total").textContent = money.format(total() / 100);
      $("row-card").classList.toggle("is-active", mode === "card");
      $("row-voucher").classList.toggle("is-active", mode === "voucher");
      payDialog.showModal();
      if (mode === "card") { $("pay-card-amount").value = euro(total()); $("pay-card-amount").focus(); }
      else if (mode === "voucher") { $("pay-voucher-amount").value = euro(total()); $("pay-voucher-number").focus(); }
      else {
        // The amount due is filled in and selected: Enter books it, a typed amount replaces it.
        $("pay-cash-amount").value = euro(total());
        $("pay-cash-amount").focus();
        $("pay-cash-amount").select();
      }
      updateRest();
    }
    ["pay-card-amount", "pay-voucher-amount", "pay-cash-amount"].forEach(function (id) {
      $(id).addEventListener("input", updateRest);
    });
    document.querySelectorAll("#quick-cash [data-cash], #quick-cash [data-exact]").forEach(function (b) {
      b.addEventListener("click", function () {
        var other = cents($("pay-card-amount").value) + cents($("pay-voucher-amount").value);
        $("pay-cash-amount").value = euro(b.dataset.exact ? Math.max(total() - other, 0) : parseInt(b.dataset.cash, 10));
        updateRest();
        $("pay-submit").focus();
      });
    });
    payDialog.addEventListener("keydown", function (event) {
      // One key per note: F5 5 €, F6 10 €, F7 20 €, F8 50 €, F9 100 €; F4 the exact amount.
      var button = event.key === "F4" ? $("cash-exact")
        : document.querySelector("#quick-cash [data-key='" + event.key + "']");
      if (button) { event.preventDefault(); button.click(); }
    });
    $("pay-back").addEventListener("click", function () { payDialog.close(); });
    payDialog.addEventListener("close", function () { if (done.hidden) scan.focus(); });
    $("pay-form").addEventListener("submit", function (event) {
      event.preventDefault();
      if (paying) return;  // a double press sends one payment; a retry sends the same sale id
      var payments = [];
      if (cents($("pay-card-amount").value)) payments.push({ method: "card", amount: $("pay-card-amount").value });
      if (cents($("pay-voucher-amount").value)) payments.push({ method: "voucher", amount: $("pay-voucher-amount").value,
        voucher_number: $("pay-voucher-number").value, voucher_issuer: $("pay-voucher-issuer").value });
      if (cents($("pay-cash-amount").value)) payments.push({ method: "cash", amount: $("pay-cash-amount").value });
      if (!payments.length && total() === 0) payments.push({ method: "cash", amount: "0" });
      paying = true;
      $("pay-submit").disabled = true;
      var body = { uuid: state().uuid, payments: payments };
      postRetrying("/pay", body).then(function (data) {
        if (data.ok) {
          payDialog.close();
          render(data);
          showDone(data.done);
        } else {
          $("pay-error").textContent = data.error;
          render({ html: data.html });
        }
      }).catch(function () {
        $("pay-error").textContent = root.dataset.offline || "Keine Verbindung. Bitte noch einmal (Enter).";
      }).then(function () { paying = false; $("pay-submit").disabled = false; });
    });

    function showDone(html) {
      done.innerHTML = html;
      done.hidden = false;
      var next = $("next-customer");
      next.focus();
      next.addEventListener("click", hideDone);
      $("show-qr").addEventListener("click", function () {
        $("qr-img").src = $("show-qr").dataset.src;
        $("qr-box").hidden = false;
      });
    }
    function hideDone() {
      done.hidden = true;
      done.innerHTML = "";
      say("", false);
      scan.focus();
    }

    // --- keys --------------------------------------------------------------------------------
    document.addEventListener("keydown", function (event) {
      if (!done.hidden) {
        if (event.key === "Enter" || event.key === "Escape") { event.preventDefault(); hideDone(); }
        else if (/^\d$/.test(event.key)) { hideDone(); }  // the next scan starts the next customer
        return;
      }
      if (payDialog.open || $("discount-dialog").open || $("cancel-dialog").open) return;
      var keys = { F4: "cash", F5: "card", F6: "voucher" };
      if (keys[event.key]) { event.preventDefault(); var mode = keys[event.key]; afterQueue(function () { openPay(mode); }); }
      else if (event.key === "F8") { event.preventDefault(); toggleEligibility(); }
    });
    ["cash", "card", "voucher"].forEach(function (mode) {
      $("pay-" + mode).addEventListener("click", function () { afterQueue(function () { openPay(mode); }); });
    });
    scan.focus();
    root.dataset.ready = "1";
  });
})();
