"""Goods with 200 000 items: code lookup over HTTP, one intake, a PDF sheet of 240 labels.

Each figure is printed beside the same work done with raw SQL (or bare reportlab for the PDF).
    .venv/bin/python bench/goods.py [--items 200000]
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/goods.py
"""

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from common import Client, database_url, in_first_branch, live, make_app, report, timed  # noqa: I001


def seed(app, count: int) -> list[str]:
    """Bulk-load `count` items with their intake bookings (as an old store would have)."""
    from store.auth import services as auth
    from store.core.audit import Actor
    from store.extensions import db
    from store.goods import codes
    from store.goods import services as goods
    from store.goods.models import Item, StockMovement

    with app.app_context():
        actor = Actor.system()
        auth.create_user(actor, username="bench", role="trainee", password="bench-pass")
        category = goods.save_category(
            actor, None, name="Hausrat", vat_rate_bp=1900, markdown_steps=[{"weeks": 4, "percent": 30}]
        )
        db.session.commit()
        now = datetime.now(UTC)
        rng = random.Random(1)
        batch = 10_000
        all_codes = []
        for start in range(1, count + 1, batch):
            ids = range(start, min(start + batch, count + 1))
            items = [
                {
                    "id": i,
                    "code": codes.make_code(i),
                    "category_id": category.id,
                    "description": f"Artikel {i}",
                    "price_cents": rng.randrange(50, 5000),
                    "condition": "good",
                    "taken_in_at": now - timedelta(days=rng.randrange(0, 400)),
                    "status": "in_stock",
                }
                for i in ids
            ]
            db.session.execute(sa.insert(Item), in_first_branch(items))
            db.session.execute(
                sa.insert(StockMovement),
                [
                    {
                        "at": it["taken_in_at"],
                        "kind": "intake",
                        "item_id": it["id"],
                        "quantity": 1,
                        "price_cents": it["price_cents"],
                    }
                    for it in items
                ],
            )
            db.session.commit()
            all_codes.extend(it["code"] for it in items)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("SELECT setval('item_id_seq', (SELECT max(id) FROM item))"))
            db.session.commit()
        token = auth.create_api_token(actor, auth.list_users()[0])[1]
        db.session.commit()
        return all_codes, token, category.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    url, label = database_url()
    app = make_app(url)
    started = time.perf_counter()
    all_codes, token, category_id = seed(app, args.items)
    print(f"Goods on {label}: {args.items} items loaded in {time.perf_counter() - started:.1f} s")
    rng = random.Random(2)
    from store.extensions import db
    from store.goods import labels, services

    with live(app) as port:
        client = Client(port, token)
        sample = [rng.choice(all_codes) for _ in range(args.runs)]
        it = iter(sample * 2)

        def lookup():
            status, body = client.request("GET", f"/api/v1/items/{next(it)}")
            assert status == 200, body

        ours = timed(lookup, args.runs)
        engine = sa.create_engine(url)
        raw_codes = iter(sample)
        with engine.connect() as conn:

            def raw_lookup():
                conn.execute(
                    sa.text(
                        "SELECT i.code, i.description, i.price_cents, i.status, i.taken_in_at, "
                        "c.markdown_steps, c.vat_rate_bp FROM item i JOIN category c "
                        "ON c.id = i.category_id WHERE i.code = :code"
                    ),
                    {"code": next(raw_codes)},
                ).one()

            raw = timed(raw_lookup, args.runs)
        report("look up a code (HTTP round trip)", ours, raw)

        body = {"items": [{"category": category_id, "description": "Tasse", "price_cents": 150}]}

        def intake():
            status, answer = client.request("POST", "/api/v1/items", body)
            assert status == 201, answer

        ours = timed(intake, args.runs // 3)
        with engine.begin() as conn:
            next_id = [conn.execute(sa.text("SELECT max(id) FROM item")).scalar() + 1000]

        def raw_intake():
            with engine.begin() as conn:
                next_id[0] += 1
                conn.execute(
                    sa.text(
                        "INSERT INTO item (id, code, category_id, description, price_cents, "
                        "condition, taken_in_at, status) VALUES (:id, :code, :cat, 'Tasse', 150, "
                        "'good', :at, 'in_stock')"
                    ),
                    {
                        "id": next_id[0],
                        "code": str(next_id[0]),
                        "cat": category_id,
                        "at": datetime.now(UTC),
                    },
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO stock_movement (at, kind, item_id, quantity, price_cents) "
                        "VALUES (:at, 'intake', :id, 1, 150)"
                    ),
                    {"at": datetime.now(UTC), "id": next_id[0]},
                )

        raw = timed(raw_intake, args.runs // 3)
        report("intake of one item (HTTP, commit, audit)", ours, raw)
        engine.dispose()

    with app.app_context():
        chosen = services.items_by_codes(rng.sample(all_codes, 240))

        def sheet():
            labels.pdf_sheet(chosen, "3x8")

        ours = timed(sheet, 10)
        import io

        from reportlab.graphics import renderPDF
        from reportlab.graphics.barcode import eanbc
        from reportlab.graphics.shapes import Drawing
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        def bare():
            out = io.BytesIO()
            pdf = canvas.Canvas(out, pagesize=A4)
            for n, item in enumerate(chosen):
                if n and n % 24 == 0:
                    pdf.showPage()
                x, y = (n % 3) * 198, 800 - ((n % 24) // 3) * 105
                pdf.drawString(x + 8, y, item.description)
                widget = eanbc.Ean13BarcodeWidget(item.code)
                drawing = Drawing(150, 50)
                drawing.add(widget)
                renderPDF.draw(drawing, pdf, x + 8, y - 70)
            pdf.save()

        base = timed(bare, 10)
        report("PDF sheet of 240 labels", ours, base, "bare reportlab")
        db.session.remove()


if __name__ == "__main__":
    main()
