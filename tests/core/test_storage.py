"""The shared file storage: the same behaviour in a folder, in the database and in an S3 bucket (moto,
no network); photos go through it whatever backend is configured."""

import io
from pathlib import Path

import pytest
from PIL import Image

from store.core import storage
from store.extensions import db


@pytest.fixture(params=["folder", "db", "s3"])
def backend(request, app, tmp_path):
    if request.param == "folder":
        yield storage.FolderStorage(tmp_path / "files")
    elif request.param == "db":
        yield storage.DatabaseStorage()
    else:
        moto = pytest.importorskip("moto")
        boto3 = pytest.importorskip("boto3")
        with moto.mock_aws():
            client = boto3.client("s3", region_name="eu-central-1")
            client.create_bucket(
                Bucket="kaufhaus", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
            )
            yield storage.S3Storage("kaufhaus", "shop-1/", client=client)


def test_put_get_replace_delete(backend):
    assert not backend.exists("photos/A1.jpg")
    with pytest.raises(FileNotFoundError):
        backend.get("photos/A1.jpg")
    backend.put("photos/A1.jpg", b"first", "image/jpeg")
    assert backend.exists("photos/A1.jpg") and backend.get("photos/A1.jpg") == b"first"
    backend.put("photos/A1.jpg", b"second", "image/jpeg")
    assert backend.get("photos/A1.jpg") == b"second"
    backend.put("offer_photos/7-x.jpg", bytes(range(256)) * 100)
    assert backend.get("offer_photos/7-x.jpg") == bytes(range(256)) * 100
    backend.delete("photos/A1.jpg")
    backend.delete("photos/A1.jpg")  # twice: no error
    assert not backend.exists("photos/A1.jpg")
    assert backend.exists("offer_photos/7-x.jpg")


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", "photos/../x", "a//b", "", "ä.jpg"])
def test_a_key_never_leaves_its_storage(backend, key):
    with pytest.raises(ValueError):
        backend.put(key, b"x")
    with pytest.raises(ValueError):
        backend.get(key)


def test_the_url_chooses_the_backend(app, tmp_path):
    default = storage.from_url("", app.instance_path)
    assert isinstance(default, storage.FolderStorage) and default.folder == Path(app.instance_path)
    assert isinstance(storage.from_url("db://", app.instance_path), storage.DatabaseStorage)
    shared = storage.from_url(str(tmp_path / "share"), app.instance_path)
    assert isinstance(shared, storage.FolderStorage) and shared.folder == tmp_path / "share"
    pytest.importorskip("boto3")
    s3 = storage.from_url(
        "s3://bucket/some/prefix", app.instance_path, endpoint_url="http://127.0.0.1:1"
    )
    assert isinstance(s3, storage.S3Storage)
    assert (s3.bucket, s3.prefix) == ("bucket", "some/prefix/")


@pytest.fixture
def app_config():
    return {"STORAGE_URL": "db://"}


def test_item_photos_live_in_the_database_storage(app, client, make_user, login, make_category, take_in):
    """With STORAGE_URL=db:// an uploaded photo is a row, so every app server serves it."""
    category = make_category()
    item = take_in(category, "Jacke", 1250)[0]
    login(make_user("supervisor"))
    picture = io.BytesIO()
    Image.new("RGB", (2000, 1000), "red").save(picture, "PNG")
    picture.seek(0)
    answer = client.post(
        f"/items/{item.id}/photo",
        data={"ph-photo": (picture, "jacke.png")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert storage.DatabaseStorage().exists(f"photos/{item.code}.jpg")
    assert not (Path(app.instance_path) / "photos").exists()  # nothing on this machine
    served = client.get(f"/items/{item.id}/photo.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(served.data)).size == (1200, 600)
