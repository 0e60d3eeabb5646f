"""Backups: SQLite's online backup API, or pg_dump / pg_restore for PostgreSQL."""

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from store.core.errors import ServiceError


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise ServiceError("an in-memory database cannot be backed up")
    return url.database


def _pg_env(url) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    return args, env


def backup(database_url: str, target: str) -> Path:
    """Write a consistent copy of the live database to `target`."""
    url = make_url(database_url)
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        dest = sqlite3.connect(path)
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        return path
    if url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args], env)
        return path
    raise ServiceError(f"backup is not available for {url.get_backend_name()}")


def restore(database_url: str, source: str) -> None:
    """Replace the database's contents with the backup in `source`."""
    url = make_url(database_url)
    path = Path(source)
    if not path.exists():
        raise ServiceError(f"{source} does not exist")
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(path) as check:
            check.execute("PRAGMA integrity_check").fetchone()
        src = sqlite3.connect(path)
        dest = sqlite3.connect(_sqlite_path(url))
        try:
            with dest:
                src.backup(dest)
        finally:
            dest.close()
            src.close()
        return
    if url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(path),
            ],
            env,
        )
        return
    raise ServiceError(f"restore is not available for {url.get_backend_name()}")


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ServiceError(f"{command[0]} failed: {result.stderr.strip()}")
