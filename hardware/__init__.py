"""Printers and cash drawers. Knows nothing of the store: it sends bytes to devices.

Backends share one small protocol: `send(data: bytes)` pushes a finished ESC/POS job to the device and
raises PrinterError when it cannot. The store renders jobs to bytes first (see hardware.escpos_out), so
the virtual printer keeps exactly what a real printer would get.
"""

from hardware.backends import BACKENDS, PrinterError, make_backend

__all__ = ["BACKENDS", "PrinterError", "make_backend"]
