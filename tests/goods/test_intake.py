"""Intake books items and their labels; bad input books nothing; the ledger keeps everything."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from store.core.audit import Actor
from store.core.errors import ConflictError, ValidationError
from store.extensions import db
from store.goods import codes, services
from store.goods.models import Item, ItemStatus, MovementKind, StockMovement
from store.printing.models import PrintJob
from tests.conftest import tr


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_three_mugs_get_three_labels_with_three_codes(make_category, take_in):
    items = take_in(make_category(), "Tasse blau", 100, quantity=3)
    assert len({i.code for i in items}) == 3
    assert all(codes.is_valid(i.code) and i.status == ItemStatus.IN_STOCK for i in items)
    movements = db.session.scalars(
        sa.select(StockMovement).where(StockMovement.kind == MovementKind.INTAKE)
    ).all()
    assert [m.item_id for m in movements] == [i.id for i in items]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price_cents": None}, "price"),
        ({"price_cents": -100}, "price"),
        ({"price_cents": 0}, "price"),
        ({"price_cents": 99_999_999}, "price"),
        ({"description": "  "}, "description"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1000}, "quantity"),
        ({"category_id": 999999}, "category"),
        ({"condition": "broken"}, "condition"),
    ],
)
def test_bad_input_books_nothing(make_category, changes, field):
    category = make_category()
    entry = services.IntakeEntry(category_id=category.id, description="Vase", price_cents=300)
    for key, value in changes.items():
        setattr(entry, key, value)
    before = count(Item), count(StockMovement)
    with pytest.raises(ValidationError) as error:
        services.take_in_items(Actor.system(), [entry])
    db.session.rollback()
    assert error.value.field == field
    assert (count(Item), count(StockMovement)) == before


def test_a_bad_line_stops_the_whole_intake(make_category):
    category = make_category()
    good = services.IntakeEntry(category_id=category.id, description="Vase", price_cents=300)
    bad = services.IntakeEntry(category_id=category.id, description="Vase", price_cents=None)
    with pytest.raises(ValidationError):
        services.take_in_items(Actor.system(), [good, bad])
    db.session.rollback()
    assert count(Item) == 0


def test_inactive_category_is_refused(make_category):
    category = make_category(is_active=False)
    with pytest.raises(ValidationError):
        services.take_in_items(
            Actor.system(),
            [services.IntakeEntry(category_id=category.id, description="x", price_cents=100)],
        )


def test_intake_page_books_and_queues_labels(app, client, make_user, login, make_category):
    from store.core.settings import set_setting
    from store.printing.services import save_printer

    printer = save_printer(Actor.system(), None, name="Etiketten", backend="virtual", params={})
    db.session.flush()
    set_setting(Actor.system(), "label_printer_id", printer.id)
    db.session.commit()
    category = make_category("Bücher", vat_rate_bp=700)
    login(make_user("trainee"))
    response = client.post(
        "/intake",
        data={
            "category": category.id,
            "description": "Kochbuch",
            "price": "2,50",
            "quantity": "2",
            "condition": "good",
        },
    )
    assert response.status_code == 302
    items = db.session.scalars(sa.select(Item)).all()
    assert [(i.description, i.price_cents) for i in items] == [("Kochbuch", 250)] * 2
    jobs = db.session.scalars(sa.select(PrintJob)).all()
    assert len(jobs) == 2 and all(j.status.value == "done" for j in jobs)
    assert items[0].code.encode() in jobs[0].payload
    page = client.get("/intake").get_data(as_text=True)
    assert items[1].code in page
    # one key repeats the last entry
    client.post("/intake/repeat")
    assert count(Item) == 4


def test_intake_page_shows_the_error_and_books_nothing(client, make_user, login, make_category):
    category = make_category()
    login(make_user("trainee"))
    page = client.post(
        "/intake",
        data={
            "category": category.id,
            "description": "Vase",
            "price": "zwölf",
            "quantity": "1",
            "condition": "good",
        },
    )
    assert page.status_code == 200
    assert "12,50" in page.get_data(as_text=True)  # the message shows how to write an amount
    page = client.post(
        "/intake",
        data={
            "category": "0",
            "description": "Vase",
            "price": "3",
            "quantity": "1",
            "condition": "good",
        },
    )
    assert "Kategorie" in page.get_data(as_text=True)
    assert count(Item) == 0


def test_write_off_and_its_correction_are_counter_bookings(make_category, take_in):
    item = take_in(make_category())[0]
    actor = Actor.system()
    with pytest.raises(ValidationError):
        services.write_off(actor, item, "other", "")  # "other" needs a note
    wrong = services.write_off(actor, item, "damaged", "Sprung")
    db.session.commit()
    assert item.status == ItemStatus.WRITTEN_OFF
    with pytest.raises(ConflictError):
        services.write_off(actor, item, "damaged")
    db.session.rollback()
    counter = services.correct_movement(actor, wrong, "war doch heil")
    db.session.commit()
    db.session.refresh(item)
    assert item.status == ItemStatus.IN_STOCK
    assert counter.reverses_id == wrong.id and counter.quantity == 1
    kinds = [m.kind for m in item.movements]
    assert kinds == [MovementKind.INTAKE, MovementKind.WRITE_OFF, MovementKind.CORRECTION]
    assert sum(m.quantity for m in item.movements) == 1
    with pytest.raises(ConflictError):
        services.correct_movement(actor, wrong, "nochmal")


def test_ledger_rows_cannot_be_changed_in_the_database(make_category, take_in):
    take_in(make_category())
    for statement in ("UPDATE stock_movement SET quantity = 5", "DELETE FROM stock_movement"):
        with pytest.raises(sa.exc.DatabaseError):
            with db.engine.begin() as conn:
                conn.execute(sa.text(statement))
    assert count(StockMovement) == 1


def test_price_change_is_booked_with_old_and_new(make_category, take_in):
    item = take_in(make_category(), price_cents=500)[0]
    services.change_price(Actor.system(), item, 350, "Fleck")
    db.session.commit()
    last = item.movements[-1]
    assert (last.kind, last.price_cents, item.price_cents) == (MovementKind.PRICE, 350, 350)


def test_markdown_applies_from_intake_date(make_category, take_in):
    category = make_category(markdown_steps=[{"weeks": 4, "percent": 30}, {"weeks": 8, "percent": 50}])
    old = datetime.now(UTC) - timedelta(weeks=5)
    item = take_in(category, price_cents=1000, now=old)[0]
    assert services.current_price(item).price_cents == 700


def test_appliance_needs_passed_safety_test(make_category, take_in):
    category = make_category("Elektro", requires_safety_test=True)
    item = take_in(category, "Toaster", 800)[0]
    with pytest.raises(ConflictError) as error:
        services.check_sellable(item)
    assert error.value.message == tr(
        "This appliance has no safety test yet. It must not be sold until it has passed one."
    )
    services.record_safety_test(
        Actor.system(),
        item,
        tested_on="2026-01-05",
        tester="M. Schulz",
        passed=False,
        values="RISO 0,1 MΩ",
    )
    db.session.commit()
    with pytest.raises(ConflictError) as error:
        services.check_sellable(item)
    assert error.value.message == tr("This appliance failed its safety test. It must not be sold.")
    services.record_safety_test(
        Actor.system(), item, tested_on="2026-01-06", tester="M. Schulz", passed=True
    )
    db.session.commit()
    db.session.refresh(item)
    services.check_sellable(item)  # no error


def test_find_item_explains_misread_codes(make_category, take_in):
    item = take_in(make_category())[0]
    assert services.find_item(item.code) == item
    misread = item.code[:12] + str((int(item.code[12]) + 1) % 10)
    with pytest.raises(services.NotFoundError) as error:
        services.find_item(misread)
    assert error.value.message == tr(
        "The code %(code)s was not read correctly. Please scan again.", code=misread
    )
    with pytest.raises(services.NotFoundError) as error:
        services.find_item(codes.make_code(999_999))
    assert error.value.message == tr("No item has the code %(code)s.", code=codes.make_code(999_999))


def test_label_pdf_has_one_label_per_code(client, make_user, login, make_category, take_in):
    items = take_in(make_category(), "Teller", 250, quantity=3)
    login(make_user("trainee"))
    response = client.get("/labels.pdf?codes=" + ",".join(i.code for i in items))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get("/labels.pdf?codes=123").status_code == 404


def test_photo_upload_is_resized_and_bad_files_refused(client, make_user, login, make_category, take_in):
    import io

    from PIL import Image

    item = take_in(make_category())[0]
    login(make_user("trainee"))
    big = io.BytesIO()
    Image.new("RGB", (3000, 2000), "red").save(big, "PNG")
    big.seek(0)
    response = client.post(
        f"/items/{item.id}/photo",
        data={"ph-photo": (big, "jacke.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.photo == f"{item.code}.jpg"
    served = client.get(f"/items/{item.id}/photo.jpg")
    assert served.status_code == 200
    assert max(Image.open(io.BytesIO(served.data)).size) == 1200
    client.post(
        f"/items/{item.id}/photo",
        data={"ph-photo": (io.BytesIO(b"no image"), "x.jpg")},
        content_type="multipart/form-data",
    )
    db.session.refresh(item)
    assert item.photo == f"{item.code}.jpg"


def test_donor_names_are_erased_when_due(make_category, take_in):
    from datetime import date, timedelta

    taken_in = datetime(2026, 11, 20, 10, tzinfo=UTC)
    item = take_in(make_category(), donor_name="Frau Beispiel", now=taken_in)[0]
    assert item.donor_erase_on == date(2027, 2, 18)  # 90 days after the intake
    assert services.erase_donor_names(Actor.system(), today=date(2026, 11, 20)) == 0
    later = item.donor_erase_on + timedelta(days=1)
    assert services.erase_donor_names(Actor.system(), today=later) == 1
    db.session.commit()
    assert item.donor_name is None
