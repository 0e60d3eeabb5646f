"""A trainee's own till figures as evidence of their skills: sales, items per minute, seconds per
sale, voided receipts and differences at the closings they did. Shown to the trainee and their
supervisors only; never part of an export to a partner."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.reports.services.period import Period
from store.reports.services.sql import read, read_scalar, seconds_between
from store.till.models import Closing, Sale, SaleKind, SaleLine


def cashier_figures(user_id: int, period: Period) -> dict:
    """The figures of one cashier in the period (training sales apart)."""
    mine = sa.and_(
        Sale.cashier_id == user_id,
        Sale.kind == SaleKind.SALE,
        Sale.created_at >= period.start,
        Sale.created_at < period.end,
    )
    real = sa.and_(mine, Sale.training.is_(False))
    sales, seconds, gross = read(
        sa.select(
            sa.func.count(),
            sa.func.sum(seconds_between(Sale.created_at, Sale.started_at)),
            sa.func.sum(Sale.total_cents),
        ).where(real)
    ).one()
    items = read_scalar(
        sa.select(sa.func.coalesce(sa.func.sum(SaleLine.quantity), 0))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(real)
    )
    training = read_scalar(
        sa.select(sa.func.count()).select_from(Sale).where(mine, Sale.training.is_(True))
    )
    void = so.aliased(Sale)
    voided = read_scalar(
        sa.select(sa.func.count())
        .select_from(Sale)
        .join(void, sa.and_(void.reverses_id == Sale.id, void.kind == SaleKind.VOID))
        .where(real)
    )
    closings = (
        read(
            sa.select(Closing.difference_cents).where(
                Closing.closed_by_id == user_id,
                Closing.closed_at >= period.start,
                Closing.closed_at < period.end,
            )
        )
        .scalars()
        .all()
    )
    seconds = float(seconds or 0)
    sales = int(sales or 0)
    return {
        "sales": sales,
        "items": int(items or 0),
        "gross_cents": int(gross or 0),
        "seconds_per_sale": round(seconds / sales) if sales else None,
        "items_per_minute": round(int(items or 0) / (seconds / 60), 1) if seconds > 0 else None,
        "voided_receipts": int(voided or 0),
        "training_sales": int(training or 0),
        "closings": len(closings),
        "closings_with_difference": sum(1 for d in closings if d),
        "difference_cents": sum(closings),
        "absolute_difference_cents": sum(abs(d) for d in closings),
    }
