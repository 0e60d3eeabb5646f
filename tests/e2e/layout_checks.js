// Layout checks the browser tests run in the page.

// Buttons, links and fields that lie (partly) where one cannot scroll to (a closed menu's are hidden).
function unreachable() {
  const out = [];
  const maxX = document.documentElement.scrollWidth, maxY = document.documentElement.scrollHeight;
  for (const el of document.querySelectorAll("main a, main button, main input, main select, header a, header button")) {
    if (el.closest("dialog:not([open]), details:not([open]) > :not(summary), [hidden], template, .sr-only") || el.type === "hidden") continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    const x = r.left + window.scrollX, y = r.top + window.scrollY;
    if (x < -1 || y < -1 || x + r.width > maxX + 1 || y + r.height > maxY + 1) {
      out.push("outside: " + el.outerHTML.slice(0, 80));
    }
  }
  return out;
}

// Touch targets under 44×44 CSS px (links inside running text excepted, as WCAG 2.5.8 does).
function tooSmall() {
  const out = [];
  for (const el of document.querySelectorAll("a, button, input, select, summary")) {
    if (el.closest("dialog:not([open]), details:not([open]) > :not(summary), [hidden], template, .sr-only, p, li, td.cart-desc") || el.type === "hidden") continue;
    // a radio or check box inside its label is tapped through the whole label
    const target = el.matches("input[type=radio], input[type=checkbox]") && el.closest("label") || el;
    const r = target.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.width < 43.5 || r.height < 43.5) {
      out.push(Math.round(r.width) + "x" + Math.round(r.height) + " " + el.outerHTML.slice(0, 90));
    }
  }
  return out;
}

function shown(el) {
  return !el.closest("dialog:not([open]), details:not([open]) > :not(summary), [hidden], template, .sr-only")
    && el.getClientRects().length > 0;
}

// Boxes whose content spills out of them (text too wide for its button, an amount wider than its card).
// Boxes that scroll or clip on purpose are left to themselves.
function spilling() {
  const out = [];
  for (const el of document.querySelectorAll("main button, main a.btn, main .card, main .cart-total, main .tile, header button")) {
    if (!shown(el) || getComputedStyle(el).overflowX !== "visible") continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push(el.scrollWidth + ">" + el.clientWidth + " " + el.outerHTML.slice(0, 90));
    }
  }
  return out;
}

// Words broken across lines ("Kas-se" as "Ka / sse", an Arabic word letter by letter): a button or a
// heading too narrow for its words. Each word of each line of text must lie on one line.
function brokenWords() {
  const out = [];
  const roots = document.querySelectorAll("main button, main a, main h1, main h2, main label, main .amount, header button, header a");
  for (const root of roots) {
    if (!shown(root)) continue;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\S{2,}/g;
      for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects(), r => Math.round(r.top / 4)));
        if (tops.size > 1) out.push(JSON.stringify(m[0]) + " in " + root.outerHTML.slice(0, 70));
      }
    }
  }
  return out;
}

// A minus sign shown after its number ("20−" for "−20"): on a right-to-left page a sign needs its
// number kept left to right (a LRM before it, as CLDR does).
function signsAfterNumbers() {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || !shown(node.parentElement)) continue;
    const re = /[−-](?=\d)/g;
    for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
      const sign = document.createRange(), digit = document.createRange();
      sign.setStart(node, m.index); sign.setEnd(node, m.index + 1);
      digit.setStart(node, m.index + 1); digit.setEnd(node, m.index + 2);
      const s = sign.getBoundingClientRect(), d = digit.getBoundingClientRect();
      if (s.width && d.width && s.left > d.left) out.push(JSON.stringify(node.data.trim().slice(0, 40)));
    }
  }
  return out;
}
