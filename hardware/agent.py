"""The print agent: runs on a small machine inside a shop, where the printers are, and pulls their
jobs from a Kaufhaus server that cannot reach them (a cloud server; docs/deployment.md).

    python -m hardware.agent --url https://kaufhaus.example.org --token kh_… \\
        --printer "Bondrucker Filiale A=usb:vendor_id=04b8,product_id=0202" \\
        --printer "Etiketten A=network:host=192.168.1.50,port=9100"

A printer is `NAME=BACKEND[:key=value,…]`: NAME as the printer is called in Kaufhaus (its connection
there is "print agent"), BACKEND one of hardware.BACKENDS with its settings. The token is an API token
with the scope "print" (admin → API tokens), which may do nothing else.

Each round it claims the due jobs of its printers (`POST /api/v1/print-agent/claim`: each job goes to
one agent, with a lease), prints them and reports each (`POST /api/v1/print-jobs/{id}/done` with
`{"ok": true}` or `{"ok": false, "error": "…"}`); a failed job is tried again by the server's back-off.
When the server is away it waits longer each time (doubling, at most `--max-pause` seconds).

Never twice: before reporting, a printed job is written to the journal (`--journal`, a small JSON
file). A report that did not arrive is sent again from the journal, and a job that comes back (its
lease lapsed while the server was away) is reported as printed without printing it again.
"""

import argparse
import base64
import json
import logging
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from hardware.backends import BACKENDS, PrinterError, make_backend

log = logging.getLogger("kaufhaus.agent")
KEEP_PRINTED = 5000  # job ids remembered as printed


class ServerAway(Exception):
    """No answer, or an answer that is not a success (5xx, 401, …)."""


def parse_printer(spec: str) -> tuple[str, str, dict]:
    """`NAME=BACKEND[:key=value,…]` → (name, backend, settings)."""
    name, sep, rest = spec.partition("=")
    backend, _colon, params = rest.partition(":")
    if not sep or not name.strip() or backend not in BACKENDS:
        raise ValueError(
            f"not a printer: {spec!r} (NAME=BACKEND[:key=value,…], BACKEND one of {BACKENDS})"
        )
    settings = {}
    for pair in filter(None, params.split(",")):
        key, eq, value = pair.partition("=")
        if not eq:
            raise ValueError(f"not key=value: {pair!r}")
        settings[key.strip()] = value.strip()
    return name.strip(), backend, settings


@dataclass
class Journal:
    """What this agent printed and has not reported yet, and the ids it printed lately (a file)."""

    path: Path
    unreported: dict  # job id (str) → {"lease", "ok", "error"}
    printed: list  # job ids, oldest first

    @classmethod
    def open(cls, path: str | os.PathLike) -> "Journal":
        path = Path(path)
        data = json.loads(path.read_text()) if path.exists() else {}
        return cls(path, data.get("unreported", {}), data.get("printed", []))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(self.path.name + ".tmp")
        temp.write_text(
            json.dumps({"unreported": self.unreported, "printed": self.printed[-KEEP_PRINTED:]})
        )
        temp.replace(self.path)  # a crash leaves the old journal or the new one, never half

    def was_printed(self, job_id: int) -> bool:
        return job_id in self.printed

    def outcome(self, job_id: int, lease: str, ok: bool, error: str = "") -> None:
        if ok and job_id not in self.printed:
            self.printed.append(job_id)
        self.unreported[str(job_id)] = {"lease": lease, "ok": ok, "error": error[:500]}
        self.save()

    def reported(self, job_id: int) -> None:
        self.unreported.pop(str(job_id), None)
        self.save()


class Agent:
    def __init__(self, url: str, token: str, printers: dict, journal: Journal, *, timeout: float = 15.0):
        self.url = url.rstrip("/") + "/api/v1"
        self.printers = printers  # name → backend (has send(bytes))
        self.journal = journal
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers.update(
            {"Authorization": f"Bearer {token}", "User-Agent": "Kaufhaus print agent"}
        )

    def _post(self, path: str, body: dict) -> dict:
        try:
            answer = self.http.post(self.url + path, json=body, timeout=self.timeout)
        except requests.RequestException as error:
            raise ServerAway(str(error)) from error
        if answer.status_code >= 400:
            raise ServerAway(f"{path}: HTTP {answer.status_code} {answer.text[:200]}")
        return answer.json()

    def report_pending(self) -> None:
        """Send the outcomes that did not arrive yet (from the journal)."""
        for job_id, outcome in list(self.journal.unreported.items()):
            self._post(f"/print-jobs/{job_id}/done", outcome)
            self.journal.reported(int(job_id))

    def round(self, limit: int = 10) -> int:
        """Report what is pending, claim the due jobs, print and report them. How many it claimed."""
        self.report_pending()
        claimed = self._post("/print-agent/claim", {"printers": sorted(self.printers), "limit": limit})
        for job in claimed["jobs"]:
            self._print(job)
            self.report_pending()
        return len(claimed["jobs"])

    def _print(self, job: dict) -> None:
        job_id, lease = job["id"], job["lease"]
        if self.journal.was_printed(job_id):
            log.warning("job %s came back; it was printed already: reported, not printed", job_id)
            self.journal.outcome(job_id, lease, True)
            return
        try:
            self.printers[job["printer"]].send(base64.b64decode(job["payload"]))
        except (PrinterError, OSError) as error:
            log.warning("job %s on %s failed: %s", job_id, job["printer"], error)
            self.journal.outcome(job_id, lease, False, str(error) or type(error).__name__)
            return
        self.journal.outcome(job_id, lease, True)
        log.info("job %s printed on %s", job_id, job["printer"])

    def run(self, poll: float = 2.0, max_pause: float = 300.0, once: bool = False) -> None:
        """Rounds until stopped; while the server is away, a pause that doubles up to max_pause."""
        failures = 0
        while True:
            try:
                busy = self.round()
                failures = 0
            except ServerAway as error:
                failures += 1
                busy = False
                log.warning("server away (%s); trying again", error)
            if once:
                return
            if busy:
                continue
            pause = poll if not failures else min(max_pause, poll * 2 ** min(failures, 16))
            time.sleep(pause * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not a secret


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m hardware.agent", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--url", required=True, help="the Kaufhaus server, e.g. https://kaufhaus.example.org"
    )
    parser.add_argument(
        "--token", default=os.environ.get("KAUFHAUS_AGENT_TOKEN"), help="API token (print)"
    )
    parser.add_argument("--printer", action="append", required=True, help="NAME=BACKEND[:key=value,…]")
    parser.add_argument("--journal", default="kaufhaus-agent.json", help="what was printed (a file)")
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between rounds")
    parser.add_argument("--max-pause", type=float, default=300.0, help="longest wait for the server")
    parser.add_argument("--once", action="store_true", help="one round, then stop")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token or KAUFHAUS_AGENT_TOKEN is needed")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    printers = {}
    for spec in args.printer:
        name, backend, settings = parse_printer(spec)
        printers[name] = make_backend(backend, **settings)
    agent = Agent(args.url, args.token, printers, Journal.open(args.journal))
    try:
        agent.run(poll=args.poll, max_pause=args.max_pause, once=args.once)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
