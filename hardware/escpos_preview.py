"""Show what a receipt printer would print: ESC/POS bytes in, HTML fragment or PNG of paper out.
The bytes are read by escpos_parse; this draws its blocks. Knows nothing of the store.
"""

import base64
import html
import io
from functools import lru_cache

from PIL import Image as PILImage
from PIL import ImageDraw

from hardware.escpos_parse import (  # noqa: F401 - the blocks and readers, for the preview's callers
    CELL_A,
    CELL_B,
    LINE_GAP,
    MAX_HEIGHT,
    PAD,
    Barcode,
    Block,
    Cut,
    DrawerKick,
    Image,
    Segment,
    Style,
    TextLine,
    _font,
    _plain,
    _printable,
    parse,
    text_of,
)


def _png_uri(img: PILImage.Image) -> str:
    """An image as a data: URI."""
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _style_classes(s: Style) -> list[str]:
    """CSS classes for a text style."""
    classes = ["bold"] if s.bold else []
    if s.underline:
        classes += ["underline", f"underline-{s.underline}"]
    if s.width == s.height > 1:
        classes.append(f"size-{s.width}x")
    else:
        classes += [f"width-{s.width}x"] * (s.width > 1) + [f"height-{s.height}x"] * (s.height > 1)
    return classes + ["font-b"] * s.font_b


def to_html(data: bytes, columns: int = 48) -> str:
    """An escaped HTML fragment of the printout: classes only, images as data: URIs (CSP-safe)."""
    out = [f'<div class="receipt cols-{int(columns)}">']
    for b in parse(data):
        if isinstance(b, TextLine):
            spans = "".join(
                f'<span class="{" ".join(cls)}">{html.escape(s.text)}</span>'
                if (cls := _style_classes(s.style)) else html.escape(s.text)
                for s in b.segments
            )  # fmt: skip
            out.append(f'<div class="line align-{b.align}">{spans or "&nbsp;"}</div>')
        elif isinstance(b, Image | Barcode):
            kind = "image" if isinstance(b, Image) else "barcode"
            alt = html.escape(_plain(b)[1:-1])
            if b.image is None:
                inner = f"<span>[{alt}]</span>"
            else:
                inner = (f'<img src="{_png_uri(b.image)}" width="{b.image.width}" '
                         f'height="{b.image.height}" alt="{alt}">')  # fmt: skip
            out.append(f'<div class="{kind} align-{b.align}">{inner}</div>')
        elif isinstance(b, Cut):
            cls = "cut partial" if b.partial else "cut"
            out.append(f'<div class="{cls}" role="separator">Schnitt / cut</div>')
        else:
            out.append(f'<div class="drawer">[Schublade] drawer opened (pin {b.pin})</div>')
    out.append("</div>")
    return "\n".join(out)


@lru_cache(maxsize=4096)
def _glyph(char: str, style: Style) -> PILImage.Image:
    """One character cell as an ink mask (255 = black), scaled as the printer scales it."""
    cw, ch = CELL_B if style.font_b else CELL_A
    h, char = style.height, _printable(char)
    font, fake_bold = _font(round(ch * h * 5 / 6), style.bold)
    cell = PILImage.new("L", (cw * h, ch * h), 0)
    draw = ImageDraw.Draw(cell)
    for dx in (0, 1) if fake_bold else (0,):
        draw.text((cw * h / 2 + dx, round(ch * h * 0.79)), char, font=font, fill=255, anchor="ms")
    if style.underline:
        draw.rectangle((0, ch * h - style.underline * h, cw * h, ch * h - 1), fill=255)
    return cell.resize((cw * style.width, ch * h)) if style.width != h else cell


def _text_image(line: TextLine, width: int) -> PILImage.Image:
    """A text line wrapped at the paper width, rows bottom-aligned like on the printer."""
    rows: list[list[PILImage.Image]] = [[]]
    used = 0
    for glyph in (_glyph(c, s.style) for s in line.segments for c in s.text):
        if rows[-1] and used + glyph.width > width:
            rows.append([])
            used = 0
        rows[-1].append(glyph)
        used += glyph.width
    heights = [max((g.height for g in row), default=CELL_A[1]) for row in rows]
    img = PILImage.new("L", (width, sum(heights) + LINE_GAP * len(rows)), 255)
    y = 0
    for row, h in zip(rows, heights, strict=True):
        free = width - sum(g.width for g in row)
        x = {"center": free // 2, "right": free}.get(line.align, 0)
        for g in row:
            img.paste(0, (x, y + h - g.height, x + g.width, y + h), g)
            x += g.width
        y += h + LINE_GAP
    return img


def _placed(img: PILImage.Image, align: str, width: int) -> PILImage.Image:
    """An image on a paper-wide strip, aligned, shrunk if wider than the paper."""
    img = img.convert("L")
    if img.width > width:
        img = img.resize((width, max(1, img.height * width // img.width)))
    strip = PILImage.new("L", (width, img.height + LINE_GAP), 255)
    free = width - img.width
    strip.paste(img, ({"center": free // 2, "right": free}.get(align, 0), 0))
    return strip


def _marker(text: str, width: int, cut: bool) -> PILImage.Image:
    """A grey cut line or drawer box: visible in the preview, not printed."""
    img = PILImage.new("L", (width, 44), 255)
    draw = ImageDraw.Draw(img)
    font = _font(16)[0]
    if cut:
        for x in range(0, width, 16):
            draw.line((x, 22, x + 8, 22), fill=96, width=2)
        box = draw.textbbox((width // 2, 22), text, font=font, anchor="mm")
        draw.rectangle((box[0] - 6, box[1] - 2, box[2] + 6, box[3] + 2), fill=255)
    else:
        draw.rounded_rectangle((4, 4, width - 5, 39), radius=6, outline=128, width=2)
    draw.text((width // 2, 22), text, font=font, fill=96, anchor="mm")
    return img


def _render(b: Block, width: int) -> PILImage.Image:
    """One block as a paper-wide image strip."""
    if isinstance(b, TextLine):
        return _text_image(b, width)
    if isinstance(b, Image | Barcode):
        if b.image is not None:
            return _placed(b.image, b.align, width)
        return _text_image(TextLine([Segment(f"[{b.kind} {b.data}]")], b.align), width)
    if isinstance(b, Cut):
        return _marker("Schnitt / cut", width, cut=True)
    return _marker(f"[Schublade] drawer opened (pin {b.pin})", width, cut=False)


def to_png(data: bytes, width_px: int = 576) -> bytes:
    """The printout as a PNG of white paper, width_px dots wide (576 = 80 mm at 203 dpi)."""
    strips, height = [], 2 * PAD
    for block in parse(data):
        strip = _render(block, width_px)
        strip = strip.crop((0, 0, width_px, min(strip.height, MAX_HEIGHT - height)))
        strips.append(strip)
        height += strip.height
        if height >= MAX_HEIGHT:
            break
    page = PILImage.new("L", (width_px, height), 255)
    y = PAD
    for strip in strips:
        page.paste(strip, (0, y))
        y += strip.height
    buf = io.BytesIO()
    page.save(buf, "PNG")
    return buf.getvalue()
