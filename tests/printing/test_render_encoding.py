"""The receipt's text is encoded for the printer's code page exactly as python-escpos does it."""

import pytest
from escpos.printer import Dummy

from store.printing.render import document

TEXT = "".join(chr(c) for c in range(32, 0x250)) + "€ Ärger über Öl — „gut“ ☃ 漢 ٣ Ї"


class _Printer:
    def __init__(self, codepage):
        self.codepage = codepage


@pytest.mark.parametrize("codepage", ["CP858", "CP437", "CP850", "CP1252", "CP866", "ISO_8859-15"])
def test_our_encoding_gives_the_bytes_of_python_escpos(codepage):
    plain = Dummy(profile="TM-T88V")
    plain.charcode(codepage)
    plain.text(TEXT)
    ours = document(_Printer(codepage))
    ours.text(TEXT)
    assert ours.output == plain.output
    assert b"?" in ours.output  # what the code page lacks is printed as "?", as python-escpos does
