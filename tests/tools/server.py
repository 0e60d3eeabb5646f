"""An app server in a process of its own, for the tests that run several against one database:

    python tests/tools/server.py DATABASE_URL PRINTED_LOG

serves the app on 127.0.0.1 on a free port (threaded, as gunicorn's gthread workers) and prints
`PORT <n>` when it listens. Its virtual printers append every job they print to PRINTED_LOG (one
line of hex per job), as tests/tools/worker.py does. KAUFHAUS_INSTANCE names the instance folder."""

import sys

from werkzeug.serving import make_server

from store import create_app
from tests.tools.worker import count_prints


def main() -> None:
    url, log = sys.argv[1:3]
    count_prints(log)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret",
            "PRINT_RETRY_SECONDS": 0,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
