"""The ESC/POS preview reads back what python-escpos writes: text, styles, barcodes, QR, images."""

import io
import random
import subprocess

import pytest
from escpos.printer import Dummy
from PIL import Image as PILImage

from hardware.escpos_preview import (
    Barcode,
    Cut,
    DrawerKick,
    Image,
    TextLine,
    parse,
    text_of,
    to_html,
    to_png,
)

EAN = "2000000000015"


def printer(codepage: str = "CP858") -> Dummy:
    """A Dummy printer like the store uses."""
    p = Dummy(profile="TM-T88V")
    p.charcode(codepage)
    return p


def receipt() -> bytes:
    """A German receipt with every kind of block."""
    p = printer()
    p.set(align="center", bold=True, double_height=True, double_width=True)
    p.text("Sozialkaufhaus\n")
    p.set(align="left", bold=False, normal_textsize=True)
    p.text("Größe 12,50 €\nÄÖÜäöüß\n")
    p.barcode(EAN, "EAN13", function_type="A")
    p.barcode("{BABC-123", "CODE128", function_type="B")
    p.qr("https://example.org/beleg/42", native=True, size=4)
    p.qr("https://example.org/bild")
    p.cut()
    p.cashdraw(2)
    return p.output


@pytest.mark.parametrize(
    ("codepage", "text"),
    [("CP858", "Größe 12,50 €"), ("CP1252", "Größe 12,50 €"), ("CP437", "Größe ÄÖÜäöüß"),
     ("CP850", "Größe ÄÖÜäöüß"), ("AUTO", "Größe 12,50 € ÄÖÜäöüß")],
)  # fmt: skip
def test_text_is_decoded_with_the_selected_code_page(codepage: str, text: str) -> None:
    p = printer(codepage)
    p.text(f"{text}\n")
    assert text_of(p.output) == text


def test_receipt_as_plain_text() -> None:
    lines = text_of(receipt()).splitlines()
    assert lines[:3] == ["Sozialkaufhaus", "Größe 12,50 €", "ÄÖÜäöüß"]
    assert f"[EAN13 {EAN}]" in lines
    assert "[CODE128 ABC-123]" in lines
    assert "[QR https://example.org/beleg/42]" in lines
    assert any(line.startswith("[image ") for line in lines)
    assert lines[-2:] == ["--- cut ---", "[drawer]"]


def test_alignment_bold_and_size_are_kept() -> None:
    p = printer()
    p.set(align="center", bold=True, double_height=True, double_width=True)
    p.text("Kopf\n")
    p.set(align="right", bold=False, normal_textsize=True, underline=1)
    p.text("rechts\n")
    p.set(custom_size=True, width=3, height=2, underline=0, font="b")
    p.text("groß")
    head, right, big = parse(p.output)
    assert (head.align, head.text) == ("center", "Kopf")
    assert head.segments[0].style.bold and head.segments[0].style.width == 2
    assert head.segments[0].style.height == 2
    assert right.align == "right" and right.segments[0].style.underline == 1
    assert not right.segments[0].style.bold and right.segments[0].style.width == 1
    style = big.segments[0].style
    assert (style.width, style.height, style.font_b, big.text) == (3, 2, True, "groß")


@pytest.mark.parametrize("function_type", ["A", "B"])
def test_ean13_data_is_recovered(function_type: str) -> None:
    p = printer()
    p.barcode(EAN, "EAN13", function_type=function_type, pos="BELOW")
    p.text("danach\n")
    blocks = parse(p.output)
    assert isinstance(blocks[0], Barcode)
    assert (blocks[0].kind, blocks[0].data, blocks[0].align) == ("EAN13", EAN, "center")
    assert blocks[0].image is not None and blocks[0].image.width > 95 * 3
    assert isinstance(blocks[1], TextLine) and blocks[1].text == "danach"


def test_code128_and_native_qr() -> None:
    p = printer()
    p.barcode("{BABC-123", "CODE128", function_type="B")
    p.qr("Beleg 42 · 12,50 €", native=True)
    code, qr = parse(p.output)
    assert (code.kind, code.data) == ("CODE128", "ABC-123")
    assert (qr.kind, qr.data) == ("QR", "Beleg 42 · 12,50 €")
    assert code.image is not None and qr.image is not None


def test_raster_image_keeps_its_pixels() -> None:
    img = PILImage.new("1", (16, 8), 1)
    img.paste(0, (0, 0, 8, 8))  # left half black
    p = printer()
    p.image(img)
    (block,) = parse(p.output)
    assert isinstance(block, Image) and block.image.size == (16, 8)
    assert block.image.getpixel((0, 0)) == 0 and block.image.getpixel((15, 7)) == 255


def test_cut_and_drawer() -> None:
    p = printer()
    p.text("x\n")
    p.cut(feed=False)
    p.cashdraw(5)
    blocks = parse(p.output)
    assert isinstance(blocks[1], Cut) and isinstance(blocks[2], DrawerKick)
    assert blocks[2].pin == 5


@pytest.mark.parametrize("width", [576, 384])
def test_png_is_paper_width(width: int) -> None:
    png = to_png(receipt(), width_px=width)
    with PILImage.open(io.BytesIO(png)) as img:
        assert img.format == "PNG" and img.width == width and img.height > 500


def test_html_is_escaped_and_free_of_inline_styles() -> None:
    p = printer()
    p.text('<script>alert("x")</script> & Co\n')
    p.qr("qr", native=True)
    out = to_html(p.output + receipt())
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp; Co" in out
    assert out.startswith('<div class="receipt cols-48">') and "style=" not in out
    assert '<img src="data:image/png;base64,' in out and 'class="bold size-2x"' in out
    assert 'class="cut"' in out and 'class="drawer"' in out and 'alt="EAN13 2000' in out
    assert to_html(b"x", columns=32).startswith('<div class="receipt cols-32">')


def test_unknown_command_skips_two_bytes() -> None:
    assert text_of(b"\x1bZAB\n\x1d\x99CD\n") == "AB\nCD"


@pytest.mark.parametrize(
    "data",
    [random.Random(seed).randbytes(4000) for seed in range(5)]
    + [b"\x1b", b"\x1d", b"\x1dv0\x00\xff\xff\xff\xff\x01", b"\x1dk\x02123", b"\x1dkI\xff12",
       b"\x1d(k\xff\xff1P0", b"\x1d(k\x03\x001Q0", b"\x1b*\x21\xff\xff\x00", b"\x1dV",
       b"\x1dkC\x05abcde", b"\x1d(k\x04\x001E\xff\x1d(k\x05\x001P0x\x1d(k\x03\x001Q0",
       b"\x1dw\xff\x1dh\x00\x1dH\x03\x1dk\x021\x00", b"\x1bt\xfe\x80\x81\n" * 3],
)  # fmt: skip
def test_garbage_does_not_raise(data: bytes) -> None:
    parse(data)
    text_of(data)
    to_html(data)
    with PILImage.open(io.BytesIO(to_png(data))) as img:
        assert img.width == 576


def test_png_scans_back(tmp_path) -> None:
    path = tmp_path / "receipt.png"
    path.write_bytes(to_png(receipt()))
    found = subprocess.run(
        ["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    assert EAN in found
    assert "ABC-123" in found
    assert "https://example.org/beleg/42" in found


def test_png_without_dejavu_uses_pillows_font(monkeypatch, tmp_path) -> None:
    from hardware import escpos_parse, escpos_preview

    def clear() -> None:
        escpos_parse._font.cache_clear()
        escpos_preview._glyph.cache_clear()

    clear()
    monkeypatch.setattr(escpos_parse, "FONT_DIR", tmp_path)
    try:
        with PILImage.open(io.BytesIO(to_png(receipt()))) as img:
            assert img.width == 576
    finally:
        clear()
