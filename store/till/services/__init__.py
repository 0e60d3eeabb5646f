"""The till's services, one module per use case. Views, the API, commands and other areas call them
as `services.checkout(...)`; every public name is imported here.

- tills: the tills, their settings and printers, their per-till counters (receipt and Z numbers);
- cash: opening a session with the float, deposits and withdrawals, the cash the drawer should hold;
- cart: the receipt being rung up (scans, articles, quantities, discounts, training, cancelling) and
  its prices;
- change: the change as the notes and coins to hand over;
- display: what the customer display shows, live;
- practice: a trainee starts practising on a training till by themselves;
- sound: the scan tones of a till, on or off;
- till_returns: returns and voids started at the till, confirmed there by a supervisor;
- supervisors: who confirms at the till with a badge or PIN;
- payments: checking how the customer pays (change, vouchers), cash and non-cash for the TSE;
- deposits: deposits on reservations taken, refunded or kept at the till (receipts of their own);
- sales: paying the cart (checkout) or a whole sale at once (sell): the booking of a sale;
- reversals: voids and returns, booked as negative receipts;
- printouts: receipts and copies, the drawer kick, the Z report, queued for the printer;
- closing: X and Z reports, the daily closing;
- lookups: sales, receipts of a till or session, reversals of a sale, closings;
- vouchers: vouchers to invoice to their issuers, per month;
- registration: the dates a till went into and out of service (for the tax office).
"""

from store.till.services.cart import (
    Priced,
    PricedLine,
    add_article,
    add_code,
    add_delivery,
    cancel_cart,
    open_cart,
    price_cart,
    remove_line,
    set_discount,
    set_eligibility,
    set_quantity,
    set_training,
    start_cart,
)
from store.till.services.cash import (
    DENOMINATIONS,
    cash_movements,
    count_difference,
    counted_total,
    current_session,
    expected_cash,
    move_cash,
    open_session,
)
from store.till.services.change import QUICK_NOTES, Piece, change_pieces
from store.till.services.closing import (
    close_session,
    counted_pieces,
    print_x_report,
    session_report,
    x_report,
)
from store.till.services.deposits import deposit_rule, settle_deposit, take_deposit
from store.till.services.display import customer_view
from store.till.services.lookups import (
    find_sale,
    get_closing,
    get_sale,
    list_closings,
    recent_sales,
    reversals_of,
    sale_vat,
    sales_of_session,
)
from store.till.services.payments import PaymentIn
from store.till.services.practice import practice_tills, start_practice
from store.till.services.printouts import printer_problems, queue_closing, queue_receipt
from store.till.services.registration import put_into_service, take_out_of_service
from store.till.services.reversals import (
    ReversalOptions,
    return_lines,
    reversal_options,
    reversed_quantities,
    void_sale,
)
from store.till.services.sales import (
    LineIn,
    await_signature,
    checkout,
    same_sale,
    sell,
    sign_unsigned,
)
from store.till.services.sound import set_sound
from store.till.services.supervisors import CONFIRMING_ROLES, confirming_supervisor, confirms_alone
from store.till.services.till_returns import find_receipt, take_back
from store.till.services.tills import (
    find_till,
    get_till,
    list_tills,
    receipt_printer,
    save_till,
    till_branch_id,
    till_printer,
)
from store.till.services.vouchers import (
    VoucherRow,
    report_month,
    voucher_report,
    voucher_total,
    voucher_totals,
)

__all__ = [
    "CONFIRMING_ROLES",
    "DENOMINATIONS",
    "LineIn",
    "PaymentIn",
    "Piece",
    "QUICK_NOTES",
    "Priced",
    "PricedLine",
    "ReversalOptions",
    "VoucherRow",
    "add_article",
    "add_delivery",
    "deposit_rule",
    "settle_deposit",
    "take_deposit",
    "await_signature",
    "add_code",
    "cancel_cart",
    "cash_movements",
    "change_pieces",
    "checkout",
    "close_session",
    "confirming_supervisor",
    "confirms_alone",
    "count_difference",
    "counted_pieces",
    "counted_total",
    "current_session",
    "customer_view",
    "expected_cash",
    "find_receipt",
    "find_sale",
    "find_till",
    "get_closing",
    "get_sale",
    "get_till",
    "list_closings",
    "list_tills",
    "till_branch_id",
    "move_cash",
    "open_cart",
    "open_session",
    "practice_tills",
    "price_cart",
    "print_x_report",
    "printer_problems",
    "put_into_service",
    "queue_closing",
    "queue_receipt",
    "receipt_printer",
    "recent_sales",
    "remove_line",
    "return_lines",
    "reversal_options",
    "report_month",
    "reversals_of",
    "reversed_quantities",
    "sale_vat",
    "sales_of_session",
    "save_till",
    "same_sale",
    "sell",
    "sign_unsigned",
    "session_report",
    "set_discount",
    "set_eligibility",
    "set_quantity",
    "set_sound",
    "set_training",
    "start_cart",
    "start_practice",
    "take_back",
    "take_out_of_service",
    "till_printer",
    "void_sale",
    "voucher_report",
    "voucher_total",
    "voucher_totals",
    "x_report",
]
