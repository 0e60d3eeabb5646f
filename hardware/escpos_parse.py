"""Read ESC/POS bytes into blocks: a small interpreter for the commands python-escpos emits (text
styles, code pages, barcodes, QR codes, raster images, cut, cash drawer). Unknown commands are
skipped (the ESC/GS and one more byte), so any bytes can be read. Knows nothing of the store;
escpos_preview draws the blocks as HTML or PNG.
"""

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import barcode
import qrcode
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CELL_A, CELL_B = (12, 24), (9, 17)  # character cells in dots (203 dpi), fonts A and B
LINE_GAP = 6  # dots between printed rows
PAD = 12  # white paper above and below the printout
MAX_HEIGHT = 40_000  # longest PNG rendered (about 5 m of paper); the rest is dropped

# ESC t n -> Python codec (Epson numbering, as in python-escpos' capabilities)
CODEPAGES = {
    0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 13: "cp857", 14: "cp737",
    15: "iso8859_7", 16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858", 32: "cp720",
    33: "cp775", 34: "cp855", 35: "cp861", 36: "cp862", 37: "cp864", 38: "cp869",
    39: "iso8859_2", 40: "iso8859_15", 44: "cp1125", 45: "cp1250", 46: "cp1251", 47: "cp1253",
    48: "cp1254", 49: "cp1255", 50: "cp1256", 51: "cp1257", 52: "cp1258", 53: "kz1048",
}  # fmt: skip
# GS k m -> (name, python-barcode class); function A is m 0-6 (NUL-terminated), B is m+65 (counted)
_BC_A = {0: ("UPC-A", "upca"), 1: ("UPC-E", None), 2: ("EAN13", "ean13"), 3: ("EAN8", "ean8"),
         4: ("CODE39", "code39"), 5: ("ITF", "itf"), 6: ("CODABAR", "codabar")}  # fmt: skip
BARCODES = _BC_A | {m + 65: v for m, v in _BC_A.items()} | {
    72: ("CODE93", None), 73: ("CODE128", "code128"), 74: ("GS1-128", "gs1_128"),
    75: ("GS1 DATABAR", None), 76: ("GS1 DATABAR", None), 77: ("GS1 DATABAR", None),
    78: ("GS1 DATABAR EXPANDED", None)}  # fmt: skip
_BARCODE_OPTIONS = {"code39": {"add_checksum": False}}
# fixed-length commands: byte after ESC/GS -> number of argument bytes
_ESC_ARGS = {"@": 0, "t": 1, "E": 1, "-": 1, "a": 1, "!": 1, "M": 1, "d": 1, "p": 3, "2": 0,
             "3": 1, "A": 1, "+": 1, "G": 1, "r": 1, "{": 1, "=": 1, "J": 1, "V": 1, " ": 1,
             "R": 1, "U": 1, "T": 1, "%": 1, "e": 1, "c": 2, "B": 2, "?": 2, "$": 2, "\\": 2,
             "i": 0, "m": 0, "L": 0, "S": 0, "W": 8}  # fmt: skip
_GS_ARGS = {"!": 1, "h": 1, "w": 1, "f": 1, "H": 1, "B": 1, "b": 1, "|": 1, "a": 1, "r": 1,
            "I": 1, "/": 1, "L": 2, "W": 2, "$": 2, "\\": 2, "P": 2, "^": 3, ":": 0}  # fmt: skip
ALIGNS = ("left", "center", "right")
ESC, GS, FS, DLE, LF, HT = 0x1B, 0x1D, 0x1C, 0x10, 0x0A, 0x09


@dataclass(frozen=True)
class Style:
    """Character attributes in effect when the text was received."""

    bold: bool = False
    underline: int = 0
    width: int = 1
    height: int = 1
    font_b: bool = False


@dataclass
class Segment:
    """A run of text printed in one style."""

    text: str
    style: Style = field(default_factory=Style)


@dataclass
class TextLine:
    """One line of text (may wrap on paper), with the alignment set when it began."""

    segments: list[Segment]
    align: str = "left"

    @property
    def text(self) -> str:
        """The line's plain text."""
        return "".join(s.text for s in self.segments)


@dataclass
class Image:
    """A printed raster bitmap (GS v 0), e.g. a logo or a QR code sent as an image."""

    image: PILImage.Image
    align: str = "left"


@dataclass
class Barcode:
    """A barcode or native QR code; `image` is None when it cannot be drawn."""

    kind: str
    data: str
    image: PILImage.Image | None
    align: str = "left"


@dataclass
class Cut:
    """The paper is cut here."""

    partial: bool = False


@dataclass
class DrawerKick:
    """A pulse to open the cash drawer (nothing printed)."""

    pin: int = 2


Block = TextLine | Image | Barcode | Cut | DrawerKick


class _Parser:
    """Walks the bytes once, keeping the printer's state, and collects blocks."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.blocks: list[Block] = []
        self.line: list[Segment] = []
        self.line_align = "left"
        self.qr_data, self.qr_size, self.qr_ec = b"", 3, 0
        self.reset()

    def reset(self) -> None:
        """ESC @: back to power-on modes."""
        self.style, self.align, self.codec = Style(), "left", "cp437"
        self.bc_height, self.bc_width, self.hri = 162, 3, 0

    def byte(self, i: int) -> int:
        """The byte at i, or 0 past the end (truncated commands)."""
        return self.data[i] if i < len(self.data) else 0

    def run(self) -> list[Block]:
        """Interpret all bytes and return the blocks."""
        d, i = self.data, 0
        while i < len(d):
            b = d[i]
            if b == ESC:
                i = self.esc(i)
            elif b == GS:
                i = self.gs(i)
            elif b == FS:
                i += 2
            elif b == DLE:
                i += 5 if self.byte(i + 1) == 0x14 else 3
            elif b == LF:
                self.newline()
                i += 1
            elif b == HT:
                self.add_text(" " * (8 - len("".join(s.text for s in self.line)) % 8))
                i += 1
            elif b < 0x20 or b == 0x7F:
                i += 1
            else:
                j = i
                while j < len(d) and d[j] >= 0x20 and d[j] != 0x7F:
                    j += 1
                self.add_text(_printable(d[i:j].decode(self.codec, "replace")))
                i = j
        if self.line:
            self.newline()
        return self.blocks

    def add_text(self, text: str) -> None:
        """Append text in the current style to the open line."""
        if not self.line:
            self.line_align = self.align
        if self.line and self.line[-1].style == self.style:
            self.line[-1].text += text
        else:
            self.line.append(Segment(text, self.style))

    def newline(self) -> None:
        """LF: print the open line (an empty one is a blank line)."""
        self.blocks.append(TextLine(self.line, self.line_align if self.line else self.align))
        self.line = []

    def emit(self, block: Block) -> None:
        """Add a non-text block after any pending text."""
        if self.line:
            self.newline()
        self.blocks.append(block)

    def set_style(self, **changes: object) -> None:
        """Change some character attributes."""
        self.style = replace(self.style, **changes)

    def esc(self, i: int) -> int:
        """ESC commands; returns the index after the command."""
        cmd, n = chr(self.byte(i + 1)), self.byte(i + 2)
        if cmd == "*":  # column bit image: not drawn, data skipped
            return i + 5 + (self.byte(i + 3) + 256 * self.byte(i + 4)) * (3 if n & 32 else 1)
        if cmd == "D":  # tab stops, NUL-terminated
            end = self.data.find(b"\0", i + 2)
            return len(self.data) if end < 0 else end + 1
        if cmd not in _ESC_ARGS:
            return i + 2
        if cmd == "@":
            self.reset()
        elif cmd == "t":
            self.codec = CODEPAGES.get(n, "cp437")
        elif cmd == "E":
            self.set_style(bold=bool(n & 1))
        elif cmd == "-":
            self.set_style(underline=min(n & 3, 2))
        elif cmd == "a":
            self.align = ALIGNS[min(n & 3, 2)]
        elif cmd == "M":
            self.set_style(font_b=bool(n & 3))
        elif cmd == "!":
            self.set_style(font_b=bool(n & 1), bold=bool(n & 8), height=2 if n & 16 else 1,
                           width=2 if n & 32 else 1, underline=1 if n & 128 else 0)  # fmt: skip
        elif cmd == "d":
            for _ in range(max(n, 1 if self.line else 0)):
                self.newline()
        elif cmd == "p":
            self.emit(DrawerKick(pin=5 if n & 1 else 2))
        return i + 2 + _ESC_ARGS[cmd]

    def gs(self, i: int) -> int:
        """GS commands; returns the index after the command."""
        cmd, n = chr(self.byte(i + 1)), self.byte(i + 2)
        if cmd == "V":
            self.emit(Cut(partial=n in (1, 49, 66, 98, 104)))
            return i + (4 if n in (65, 66, 97, 98, 103, 104) else 3)
        if cmd == "k" and (n <= 6 or 65 <= n <= 78):
            return self.barcode(i)
        if cmd == "v" and n == 0x30:
            return self.raster(i)
        if cmd == "(":  # GS ( fn pL pH payload: only fn k (2D codes) is drawn
            end = i + 5 + self.byte(i + 3) + 256 * self.byte(i + 4)
            if n == ord("k"):
                self.qr(self.data[i + 5 : end])
            return end
        if cmd == "8" and n == ord("L"):  # graphics with a 4-byte length: skipped
            return i + 7 + int.from_bytes(self.data[i + 3 : i + 7], "little")
        if cmd == "*":  # define downloaded bit image: x * y * 8 bytes
            return i + 4 + n * self.byte(i + 3) * 8
        if cmd not in _GS_ARGS:
            return i + 2
        if cmd == "!":
            self.set_style(width=(n >> 4 & 7) + 1, height=(n & 7) + 1)
        elif cmd == "h":
            self.bc_height = n or 162
        elif cmd == "w":
            self.bc_width = min(max(n, 1), 6)
        elif cmd == "H":
            self.hri = n & 3
        return i + 2 + _GS_ARGS[cmd]

    def barcode(self, i: int) -> int:
        """GS k m: function A (data up to NUL) or B (length byte, then data)."""
        m = self.byte(i + 2)
        if m <= 6:
            end = self.data.find(b"\0", i + 3)
            end = len(self.data) if end < 0 else end
            raw, after = self.data[i + 3 : end], end + 1
        else:
            after = i + 4 + self.byte(i + 3)
            raw = self.data[i + 4 : after]
        kind, cls = BARCODES.get(m, (f"BARCODE{m}", None))
        data = raw.decode("latin-1")
        if kind in ("CODE128", "GS1-128"):
            data = _code128_text(data)
        img = _barcode_image(cls, data, self.bc_width, self.bc_height, self.hri)
        self.emit(Barcode(kind, data, img, self.align))
        return after

    def raster(self, i: int) -> int:
        """GS v 0 m xL xH yL yH data: raster bit image."""
        m, wb = self.byte(i + 3), self.byte(i + 4) + 256 * self.byte(i + 5)
        end = i + 8 + wb * (self.byte(i + 6) + 256 * self.byte(i + 7))
        img = _bitmap(self.data[i + 8 : end], wb)
        if img:
            self.emit(Image(img.resize((img.width * (1 + (m & 1)),
                                        img.height * (1 + (m >> 1 & 1)))), self.align))  # fmt: skip
        return end

    def qr(self, payload: bytes) -> None:
        """GS ( k cn fn ...: QR code (cn '1') size, error level, data, print; PDF417 skipped."""
        cn, fn, arg = payload[:1], payload[1:2], payload[2] if len(payload) > 2 else 0
        if cn != b"1":
            return
        if fn == b"C":
            self.qr_size = arg
        elif fn == b"E":
            self.qr_ec = arg - 48
        elif fn == b"P":
            self.qr_data = payload[3:]
        elif fn == b"Q":
            img = _qr_image(self.qr_data, self.qr_size, self.qr_ec)
            self.emit(Barcode("QR", self.qr_data.decode("utf-8", "replace"), img, self.align))


def _printable(text: str) -> str:
    """Text with control and other unprintable characters shown as �."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


def _bitmap(data: bytes, width_bytes: int) -> PILImage.Image | None:
    """Raster data (1 = black dot, MSB left) as a 1-bit image; truncated data gives fewer rows."""
    rows = len(data) // width_bytes if width_bytes else 0
    if not rows:
        return None
    size = (width_bytes * 8, rows)
    return PILImage.frombytes("1", size, data[: rows * width_bytes], "raw", "1;I")


def _code128_text(raw: str) -> str:
    """Code128 payload as read by a scanner: code-set switches dropped, set C pairs as digits."""
    out, cset, i = [], "B", 0
    while i < len(raw):
        if raw[i] == "{" and i + 1 < len(raw):
            if raw[i + 1] in "ABC":
                cset = raw[i + 1]
            elif raw[i + 1] == "{":
                out.append("{")
            i += 2
            continue
        out.append(f"{ord(raw[i]):02d}" if cset == "C" else raw[i])
        i += 1
    return "".join(out)


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = False) -> tuple[ImageFont.FreeTypeFont, bool]:
    """DejaVu Sans Mono (or Pillow's default) at this pixel size, and whether to fake bold."""
    bold_path, regular = FONT_DIR / "DejaVuSansMono-Bold.ttf", FONT_DIR / "DejaVuSansMono.ttf"
    if bold and bold_path.is_file():
        return ImageFont.truetype(str(bold_path), size), False
    if regular.is_file():
        return ImageFont.truetype(str(regular), size), bold
    return ImageFont.load_default(size=size), bold


def _barcode_image(
    cls: str | None, data: str, module: int, height: int, hri: int
) -> PILImage.Image | None:
    """Bars drawn dot-exact from python-barcode's module pattern, digits above/below per GS H."""
    if cls is None:
        return None
    try:
        code = barcode.get_barcode_class(cls)(data, **_BARCODE_OPTIONS.get(cls, {}))
        modules, label = code.build()[0], _printable(code.get_fullcode())
    except Exception:  # invalid data: the printer would print nothing either
        return None
    quiet, text_h = 10 * module, CELL_A[1] + 4
    above, below = text_h * (hri & 1), text_h * (hri >> 1 & 1)
    img = PILImage.new("L", (len(modules) * module + 2 * quiet, above + height + below), 255)
    draw = ImageDraw.Draw(img)
    for k, bit in enumerate(modules):
        if bit != "0":
            x = quiet + k * module
            draw.rectangle((x, above, x + module - 1, above + height - 1), fill=0)
    font = _font(20)[0]
    for on, y in ((above, 2), (below, above + height + 2)):
        if on:
            draw.text((img.width // 2, y), label, font=font, fill=0, anchor="mt")
    return img


def _qr_image(data: bytes, size: int, ec: int) -> PILImage.Image | None:
    """A native QR code (GS ( k) as the printer would draw it."""
    levels = (qrcode.ERROR_CORRECT_L, qrcode.ERROR_CORRECT_M,
              qrcode.ERROR_CORRECT_Q, qrcode.ERROR_CORRECT_H)  # fmt: skip
    if not data:
        return None
    try:
        qr = qrcode.QRCode(box_size=min(max(size, 1), 16), border=1,
                           error_correction=levels[ec if 0 <= ec < 4 else 0])  # fmt: skip
        qr.add_data(data)
        qr.make(fit=True)
        return qr.make_image().get_image().convert("L")
    except Exception:  # too much data for a QR code
        return None


def parse(data: bytes) -> list[Block]:
    """Interpret ESC/POS bytes into printed blocks."""
    return _Parser(bytes(data)).run()


def _plain(b: Block) -> str:
    """One block as a line of plain text."""
    if isinstance(b, TextLine):
        return b.text
    if isinstance(b, Image):
        return f"[image {b.image.width}x{b.image.height}]"
    if isinstance(b, Barcode):
        return f"[{b.kind} {b.data}]"
    return "--- cut ---" if isinstance(b, Cut) else "[drawer]"


def text_of(data: bytes) -> str:
    """The printout as plain text, one line per block."""
    return "\n".join(_plain(b) for b in parse(data))
