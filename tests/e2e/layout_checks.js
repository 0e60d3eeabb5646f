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
