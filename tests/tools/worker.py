"""A queue worker in a process of its own, for the tests that run several against one database:

    python tests/tools/worker.py DATABASE_URL PRINTED_LOG [STOP_FILE]

runs the print worker's rounds (`flask print-worker --once`: print jobs, TSE recovery, the day store)
again and again until a few rounds in a row find nothing left to do (and, with STOP_FILE, not before
that file exists), with the virtual printers writing every job they print as one line (its bytes,
hex) to PRINTED_LOG, appended, so the test counts how often each job reached paper.
KAUFHAUS_INSTANCE names the instance folder as for the app."""

import os
import sys
import time
import traceback
from pathlib import Path

import sqlalchemy as sa

from hardware import backends
from store import create_app
from store.extensions import db


def count_prints(log: str) -> None:
    """Virtual printers append each job they print to `log` as a line of hex."""
    send = backends.VirtualBackend.send

    def printed(self, data: bytes) -> None:
        send(self, data)
        with open(log, "a", encoding="ascii") as out:  # one write per line: whole lines only
            out.write(data.hex() + "\n")

    backends.VirtualBackend.send = printed


def main() -> int:
    url, log, *rest = sys.argv[1:]
    stop = Path(rest[0]) if rest else None
    count_prints(log)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret",
            "PRINT_RETRY_SECONDS": 0,
            "TSE_RECOVERY_SECONDS": 0,
        }
    )
    runner = app.test_cli_runner()
    idle = 0
    while idle < 3 or (stop is not None and not stop.exists()):
        with app.app_context():
            result = runner.invoke(args=["print-worker", "--once"])
            if result.exit_code != 0:
                traceback.print_exception(result.exception)
                print(result.output, file=sys.stderr)
                return 1
            left = _left()
            db.session.remove()
        idle = idle + 1 if not left else 0
        if not left:
            time.sleep(0.1)
    return 0


def _left() -> int:
    from store.printing.models import JobStatus, PrintJob

    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(PrintJob)
        .where(PrintJob.status.in_([JobStatus.PENDING, JobStatus.PRINTING]))
    )


if __name__ == "__main__":
    os.environ.setdefault("KAUFHAUS_INSTANCE", os.getcwd() + "/instance")
    sys.exit(main())
