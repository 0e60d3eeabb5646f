"""The goods area's services, one module per use case. Views, API, CLI, the till and tests call them
through this package (`services.take_in_items(...)`).

- categories:     the category tree, its VAT rate, price range and markdown steps
- intake:         donated goods become items, one intake booking per label
- items:          find items (by code, by filters, old stock), whether one may be sold, today's
                  price, photos
- safety:         electrical safety tests of appliances
- stock:          ledger movements after intake: write-offs and corrections, new prices, the till's
                  sales and returns, counted articles
- stocktake:      count a shelf with the scanner, write off what is missing
- articles:       standard articles of the price list
- label_printing: which printer prints labels, one print job per label
- settings:       the store settings of the goods area (label printer, labels, highest price)
- donors:         donors' names are erased when no longer needed
- ledger:         the two primitives the others share: a ledger booking, a race-safe status change
- impact:         a category's environmental factors (weight per item, CO₂e per kg), versioned
- reservations:   a unique item held for a customer until a date; the till brings it in by the
                  reservation's number; lapsing after the date
"""

# The errors these services raise, for callers that catch them.
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.goods.services.articles import (
    category_choices,
    get_article,
    list_articles,
    save_article,
)
from store.goods.services.categories import (
    CATEGORY_FIELDS,
    get_category,
    list_categories,
    parent_choices,
    save_category,
    service_category,
)
from store.goods.services.donors import DONOR_KEEP_DAYS, erase_donor_names
from store.goods.services.impact import (
    FactorTable,
    default_factor,
    impact_factors,
    impact_history,
    kg_of_lines,
    receipt_impact_line,
    receipt_impact_text,
    set_impact_factors,
    set_receipt_impact_line,
)
from store.goods.services.intake import MAX_QUANTITY, IntakeEntry, take_in_items, validate_entry
from store.goods.services.items import (
    PHOTO_MAX_PIXELS,
    Hold,
    ItemSearch,
    active_reservation,
    ageing,
    check_goods_sellable,
    check_sellable,
    current_price,
    find_item,
    get_item,
    item_branch_id,
    items_by_codes,
    locations,
    look_up,
    photo_folder,
    photo_key,
    reserved_note,
    sale_block,
    sale_state,
    save_photo,
    search_items,
)
from store.goods.services.label_printing import label_printer, queue_labels
from store.goods.services.reservations import (
    check_deposit,
    claim_for_sale,
    claim_reserved,
    deposits_to_settle,
    find_reservation,
    get_reservation,
    is_reservation_number,
    item_for_till,
    lapse_due,
    list_reservations,
    may_reserve,
    record_deposit,
    release,
    reservation_for_till,
    reservations_for,
    reserve,
    settle_deposit,
)
from store.goods.services.safety import record_safety_test
from store.goods.services.settings import (
    GOODS_SETTINGS,
    goods_settings,
    label_printer_choices,
    save_goods_settings,
    save_sale_settings,
)
from store.goods.services.stock import (
    STOCK_IN_MAX,
    add_article_stock,
    article_stock,
    book_article,
    change_price,
    correct_movement,
    mark_returned,
    mark_sold,
    write_off,
)
from store.goods.services.stocktake import (
    ScanNote,
    StocktakeResult,
    finish_stocktake,
    list_stocktakes,
    missing_items,
    open_stocktake,
    scan_for_stocktake,
    scan_note,
    start_stocktake,
    stocktake_branch_id,
    stocktake_result,
)
from store.goods.services.transfers import Transfer, get_transfer, transfer_items

__all__ = [
    "Transfer",
    "get_transfer",
    "transfer_items",
    "save_sale_settings",
    "service_category",
    "FactorTable",
    "default_factor",
    "impact_factors",
    "impact_history",
    "kg_of_lines",
    "receipt_impact_line",
    "receipt_impact_text",
    "set_impact_factors",
    "set_receipt_impact_line",
    "sale_block",
    "Hold",
    "look_up",
    "sale_state",
    "category_choices",
    "parent_choices",
    "scan_note",
    "ScanNote",
    "CATEGORY_FIELDS",
    "DONOR_KEEP_DAYS",
    "GOODS_SETTINGS",
    "MAX_QUANTITY",
    "PHOTO_MAX_PIXELS",
    "STOCK_IN_MAX",
    "ConflictError",
    "IntakeEntry",
    "ItemSearch",
    "NotFoundError",
    "StocktakeResult",
    "ValidationError",
    "add_article_stock",
    "ageing",
    "article_stock",
    "book_article",
    "change_price",
    "check_sellable",
    "active_reservation",
    "check_goods_sellable",
    "reserved_note",
    "photo_folder",
    "photo_key",
    "claim_for_sale",
    "claim_reserved",
    "check_deposit",
    "deposits_to_settle",
    "record_deposit",
    "reservation_for_till",
    "settle_deposit",
    "find_reservation",
    "get_reservation",
    "is_reservation_number",
    "item_for_till",
    "lapse_due",
    "list_reservations",
    "may_reserve",
    "release",
    "reservations_for",
    "reserve",
    "correct_movement",
    "current_price",
    "erase_donor_names",
    "find_item",
    "finish_stocktake",
    "get_article",
    "get_category",
    "get_item",
    "item_branch_id",
    "goods_settings",
    "items_by_codes",
    "label_printer",
    "label_printer_choices",
    "list_articles",
    "list_categories",
    "list_stocktakes",
    "locations",
    "mark_returned",
    "mark_sold",
    "missing_items",
    "open_stocktake",
    "queue_labels",
    "record_safety_test",
    "save_article",
    "save_category",
    "save_goods_settings",
    "save_photo",
    "scan_for_stocktake",
    "search_items",
    "start_stocktake",
    "stocktake_branch_id",
    "stocktake_result",
    "take_in_items",
    "validate_entry",
    "write_off",
]
