"""Files the store keeps (item photos, photos of donation offers), in a storage that every app
server reaches, chosen by `STORAGE_URL`:

- empty (the default): the instance folder, as always: a key `photos/AB12.jpg` is the file
  `instance/photos/AB12.jpg`. Right for one machine.
- `db://`: the database (table `stored_file`), which every app server shares already. Written in the
  request's transaction, so a photo and the row that names it are kept or lost together.
- `s3://bucket/prefix`: an S3-compatible object store (AWS, MinIO, Ceph, Hetzner, …) through boto3,
  installed with the `s3` extra (`pip install 'kaufhaus[s3]'`) and imported only when configured.
  `S3_ENDPOINT_URL` names a store other than AWS; credentials and region come the usual boto3 way
  (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION`, or an instance role).
- any other value: a folder (e.g. a network share mounted on every app server).

Keys are relative paths of letters, digits, `._-` and `/`; a key never leaves its storage.

Generated files (PDF sheets, DSFinV-K ZIPs, label sheets, exports) are made per request and sent at
once, never kept, so they need no storage. The virtual printer's folder is a device's and stays on the
machine that prints (docs/deployment.md).
"""

import io
import os
import re
import secrets
from datetime import datetime
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Response, abort, current_app, send_file

from store.core.timeutil import utcnow
from store.core.types import UTCDateTime
from store.extensions import db

_KEY = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


def check_key(key: str) -> str:
    """The key, if it is a plain relative path (no `..`, no leading `/`); else ValueError."""
    if not _KEY.fullmatch(key or "") or any(part in (".", "..") for part in key.split("/")):
        raise ValueError(f"not a storage key: {key!r}")
    if len(key) > 255:
        raise ValueError("storage key longer than 255 characters")
    return key


class Storage(Protocol):
    """Where files are kept. `get` raises FileNotFoundError for a key that is not there."""

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...


class FolderStorage:
    """Files in a folder (the instance folder by default)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / check_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside it, then renamed into place: a reader never sees half a file.
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        temp.write_bytes(data)
        temp.replace(path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class StoredFile(db.Model):
    """A file kept in the database (STORAGE_URL=db://)."""

    __tablename__ = "stored_file"

    key: so.Mapped[str] = so.mapped_column(sa.String(255), primary_key=True)
    content_type: so.Mapped[str] = so.mapped_column(sa.String(100))
    size: so.Mapped[int]
    data: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)


class DatabaseStorage:
    """Files in the table stored_file, in the caller's transaction (the request commits it)."""

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        row = db.session.get(StoredFile, check_key(key))
        if row is None:
            row = StoredFile(key=key)
            db.session.add(row)
        row.data, row.size, row.content_type = data, len(data), content_type[:100]
        row.updated_at = utcnow()
        db.session.flush()

    def get(self, key: str) -> bytes:
        data = db.session.scalar(sa.select(StoredFile.data).where(StoredFile.key == check_key(key)))
        if data is None:
            raise FileNotFoundError(key)
        return bytes(data)

    def exists(self, key: str) -> bool:
        found = db.session.scalar(sa.select(StoredFile.key).where(StoredFile.key == check_key(key)))
        return found is not None

    def delete(self, key: str) -> None:
        db.session.execute(sa.delete(StoredFile).where(StoredFile.key == check_key(key)))


class S3Storage:
    """Objects in an S3-compatible bucket, under a prefix, through boto3 (the `s3` extra)."""

    def __init__(self, bucket: str, prefix: str = "", *, client=None, endpoint_url: str | None = None):
        if client is None:
            import boto3  # only when configured: the `s3` extra

            client = boto3.client("s3", endpoint_url=endpoint_url or None)
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        name = self._name(key)
        self.client.put_object(Bucket=self.bucket, Key=name, Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None
        return answer["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


def from_url(url: str | None, instance_path: str, *, endpoint_url: str | None = None) -> Storage:
    """The storage a STORAGE_URL names (see the module's text)."""
    url = (url or "").strip()
    if not url:
        return FolderStorage(instance_path)
    if url.rstrip("/") in ("db:", "db:/", "db://"):
        return DatabaseStorage()
    if url.startswith("s3://"):
        bucket, _slash, prefix = url[len("s3://") :].partition("/")
        if not bucket:
            raise ValueError("STORAGE_URL=s3://bucket/prefix needs a bucket")
        return S3Storage(bucket, prefix, endpoint_url=endpoint_url)
    return FolderStorage(url.removeprefix("file://"))


def storage() -> Storage:
    """The app's storage (made once per app from STORAGE_URL)."""
    app = current_app._get_current_object()
    made = app.extensions.get("kaufhaus_storage")
    if made is None:
        url, endpoint = app.config.get("STORAGE_URL"), app.config.get("S3_ENDPOINT_URL")
        made = from_url(url, app.instance_path, endpoint_url=endpoint)
        app.extensions["kaufhaus_storage"] = made
    return made


def send(key: str, mimetype: str, *, max_age: int | None = None) -> Response:
    """A response with the stored file, or 404 if it is not there."""
    try:
        data = storage().get(key)
    except (FileNotFoundError, ValueError):
        abort(404)
    return send_file(io.BytesIO(data), mimetype=mimetype, max_age=max_age)
