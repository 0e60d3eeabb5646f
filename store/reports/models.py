"""The reports keep no tables of their own. They read the bookings of the areas below by time, and
these covering indexes let both databases answer the dashboard's grouped queries from the index
alone (a year of 150 000 sales). Declared here, beside the queries that need them; the migration
20261203_e1a2b3c4d5e6 creates them."""

import sqlalchemy as sa

from store.goods.models import Item, StockMovement
from store.till.models import Payment, Sale, SaleLine

INDEXES = [
    sa.Index(
        "ix_sale_report",
        Sale.created_at,
        Sale.training,
        Sale.id,
        Sale.till_id,
        Sale.kind,
        Sale.eligibility,
        Sale.total_cents,
    ),
    sa.Index(
        "ix_sale_line_report",
        SaleLine.sale_id,
        SaleLine.vat_rate_bp,
        SaleLine.category_id,
        SaleLine.quantity,
        SaleLine.total_cents,
    ),
    sa.Index("ix_payment_report", Payment.sale_id, Payment.method, Payment.amount_cents),
    sa.Index("ix_item_report", Item.taken_in_at, Item.category_id),
    sa.Index(
        "ix_stock_movement_report",
        StockMovement.at,
        StockMovement.kind,
        StockMovement.item_id,
        StockMovement.quantity,
    ),
]
