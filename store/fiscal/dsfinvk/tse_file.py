"""The TSE's own export (a TAR of its signed log), which the tax office gets next to the DSFinV-K
export."""

from flask_babel import gettext as _

from store.core.errors import ConflictError, NotFoundError
from store.core.timeutil import to_local, utcnow
from store.fiscal.registration import active_tse
from store.tse.backends.base import TseError
from store.tse.devices import backend
from store.tse.models import TseDevice


def tse_export(device: TseDevice | None = None) -> tuple[str, bytes]:
    """The TSE's own export (a TAR), which the tax office gets next to the DSFinV-K export."""
    device = device or active_tse()
    if device is None:
        raise NotFoundError(_("No TSE is set up."))
    try:
        data = backend(device).export()
    except TseError as error:
        raise ConflictError(_("The TSE export failed: %(error)s", error=str(error))) from None
    stamp = to_local(utcnow()).strftime("%Y%m%d-%H%M%S")
    return f"tse_export_{device.backend}_{device.serial[:16]}_{stamp}.tar", data
