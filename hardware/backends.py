"""Where a print job's bytes go: python-escpos connections, or the virtual printer."""

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class PrinterError(Exception):
    """The device did not take the job (off, no paper, unplugged, unreachable)."""


class Backend(Protocol):
    def send(self, data: bytes) -> None: ...


class VirtualBackend:
    """Keeps every job as a file of the exact bytes, for the preview pages and for tests.

    `fail_flag`: if that file exists, the printer acts as if it were off (to try the retry path).
    """

    def __init__(self, folder: str, fail_flag: str | None = None, **_ignored):
        self.folder = Path(folder)
        self.fail_flag = Path(fail_flag) if fail_flag else self.folder / "OFFLINE"

    def send(self, data: bytes) -> None:
        if self.fail_flag.exists():
            raise PrinterError("virtual printer is switched off (remove the OFFLINE file)")
        self.folder.mkdir(parents=True, exist_ok=True)


class EscposBackend:
    """A real printer through python-escpos; one connection per job, closed in any case."""

    def __init__(self, kind: str, timeout: float = 5.0, **params):
        self.kind = kind
        self.timeout = timeout
        self.params = params

    def _connect(self):
        from escpos import printer

        p = self.params
        if self.kind == "network":
            return printer.Network(p["host"], port=int(p.get("port", 9100)), timeout=self.timeout)
        if self.kind == "usb":
            return printer.Usb(
                int(str(p["vendor_id"]), 16),
                int(str(p["product_id"]), 16),
                timeout=int(self.timeout * 1000),
            )
        if self.kind == "serial":
            return printer.Serial(
                p["device"], baudrate=int(p.get("baudrate", 9600)), timeout=self.timeout
            )
        if self.kind == "file":
            return printer.File(p["device"])
        if self.kind == "cups":
            return printer.CupsPrinter(p["printer_name"])
        raise PrinterError(f"unknown printer backend {self.kind}")

    def send(self, data: bytes) -> None:
        device = None
        try:
            device = self._connect()
            if hasattr(device, "open"):
                device.open()
            device._raw(data)
            if self.kind == "cups":
                device.close()  # CUPS sends the job on close
                device = None
        except PrinterError:
            raise
        except Exception as error:  # python-escpos raises many kinds (USB, socket, serial)
            raise PrinterError(f"{type(error).__name__}: {error}") from error
        finally:
            if device is not None:
                try:
                    device.close()
                except Exception:  # noqa: BLE001 - closing a broken device must not mask the error
                    log.debug("closing printer failed", exc_info=True)


BACKENDS: dict[str, Callable[..., Backend]] = {
    "virtual": VirtualBackend,
    "network": lambda **kw: EscposBackend("network", **kw),
    "usb": lambda **kw: EscposBackend("usb", **kw),
    "serial": lambda **kw: EscposBackend("serial", **kw),
    "file": lambda **kw: EscposBackend("file", **kw),
    "cups": lambda **kw: EscposBackend("cups", **kw),
}


def make_backend(kind: str, **params) -> Backend:
    try:
        factory = BACKENDS[kind]
    except KeyError:
        raise PrinterError(f"unknown printer backend {kind}") from None
    return factory(**params)
