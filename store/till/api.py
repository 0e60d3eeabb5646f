"""API: sales (idempotent by their id), voids, tills and their sessions."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from flask_login import current_user
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.exc import IntegrityError

from store.branches import services as branches
from store.core import transaction
from store.core.access import STAFF, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Cents, Id, PositiveCents, Quantity, Text
from store.core.errors import ConflictError
from store.core.web import current_actor
from store.extensions import db
from store.till import services
from store.till.models import Closing, Sale, Till
from store.tse import signing

bp = api_blueprint("till_api")

SELLERS = [Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN]


class LineIn(Schema):
    code: Text(13) | None = None
    article: Id | None = None
    quantity: Quantity = 1

    @model_validator(mode="after")
    def one_of(self):
        if bool(self.code) == bool(self.article):
            raise ValueError("give either code or article")
        return self


class PaymentIn(Schema):
    method: Literal["cash", "card", "voucher"]
    amount_cents: PositiveCents = Field(description="cash: what the customer handed over")
    voucher_number: Text(40) | None = None
    voucher_issuer: Text(80) | None = None


class SaleIn(Schema):
    id: UUID
    till: Id | Text(40, min_length=1) = Field(description="the till's id or name")
    lines: list[LineIn] = Field(min_length=1, max_length=500)
    payments: list[PaymentIn] = Field(min_length=1, max_length=10)
    eligibility: bool = False


class VatOut(BaseModel):
    rate_bp: int
    gross_cents: int
    net_cents: int
    vat_cents: int


class LineOut(BaseModel):
    position: int
    code: str | None
    article: int | None
    description: str
    quantity: int
    unit_price_cents: int
    label_price_cents: int
    markdown_percent: int
    discount_cents: int
    eligibility_discount_cents: int
    vat_rate_bp: int
    total_cents: int


class PaymentOut(BaseModel):
    method: str
    amount_cents: int
    tendered_cents: int | None
    change_cents: int
    voucher_number: str | None
    voucher_issuer: str | None


class TseOut(BaseModel):
    state: str  # signed | failed
    error: str | None
    transaction_number: int | None
    signature_counter: int | None
    start: datetime | None
    end: datetime | None
    signature: str | None
    algorithm: str | None
    time_format: str | None
    public_key: str | None
    tse_serial: str | None
    client_serial: str
    process_type: str
    process_data: str
    qr_code_data: str | None
    certified: bool

    @classmethod
    def of(cls, tx) -> "TseOut":
        return cls(
            state=tx.state,
            error=tx.error,
            transaction_number=tx.tx_number,
            signature_counter=tx.signature_counter,
            start=tx.started_at,
            end=tx.finished_at,
            signature=tx.signature,
            algorithm=tx.algorithm,
            time_format=tx.time_format,
            public_key=tx.public_key,
            tse_serial=tx.tse_serial,
            client_serial=tx.client_serial,
            process_type=tx.process_type,
            process_data=tx.process_data,
            qr_code_data=tx.qr_code_data,
            certified=bool(
                tx.device_certified
                if hasattr(tx, "device_certified")
                else tx.device and tx.device.certified
            ),
        )


class SaleOut(BaseModel):
    id: str
    kind: str
    till: str
    branch: str  # the branch (Filiale) of its till
    receipt_number: int
    created_at: datetime
    cashier: str
    total_cents: int
    change_cents: int
    eligibility: bool
    reverses: str | None
    reason: str | None
    vat: list[VatOut]
    lines: list[LineOut]
    payments: list[PaymentOut]
    training: bool
    tse: TseOut | None

    @classmethod
    def of(cls, sale: Sale) -> "SaleOut":
        tx = getattr(sale, "fiscal", None) or signing.for_sale(sale.id)
        return cls(
            training=sale.training,
            tse=TseOut.of(tx) if tx else None,
            id=sale.uuid,
            kind=sale.kind.value,
            till=sale.till.name,
            branch=sale.till.branch.name,
            receipt_number=sale.receipt_number,
            created_at=sale.created_at,
            cashier=sale.cashier_label,
            total_cents=sale.total_cents,
            change_cents=sale.change_cents,
            eligibility=sale.eligibility,
            reverses=sale.reverses.uuid if sale.reverses else None,
            reason=sale.reason,
            vat=[VatOut(**vars(r)) for r in services.sale_vat(sale)],
            lines=[
                LineOut(
                    position=line.position,
                    code=line.code,
                    article=line.article_id,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price_cents=line.unit_price_cents,
                    label_price_cents=line.label_price_cents,
                    markdown_percent=line.markdown_percent,
                    discount_cents=line.discount_cents,
                    eligibility_discount_cents=line.eligibility_discount_cents,
                    vat_rate_bp=line.vat_rate_bp,
                    total_cents=line.total_cents,
                )
                for line in sale.lines
            ],
            payments=[
                PaymentOut(
                    method=p.method.value,
                    amount_cents=p.amount_cents,
                    tendered_cents=p.tendered_cents,
                    change_cents=p.change_cents,
                    voucher_number=p.voucher_number,
                    voucher_issuer=p.voucher_issuer,
                )
                for p in sale.payments
            ],
        )


class VoidIn(Schema):
    reason: Text(200, min_length=1, multiline=True)


class TillOut(BaseModel):
    id: int
    name: str
    location: str
    serial: str
    is_open: bool
    training: bool
    receipt_printer: str | None
    label_printer: str | None
    branch: str  # the branch (Filiale) the till stands in

    @classmethod
    def of(cls, till: Till) -> "TillOut":
        return cls(
            branch=till.branch.name,
            id=till.id,
            name=till.name,
            location=till.location,
            serial=till.serial,
            is_open=till.current_session_id is not None,
            training=till.training,
            receipt_printer=till.receipt_printer.name if till.receipt_printer else None,
            label_printer=till.label_printer.name if till.label_printer else None,
        )


class TillList(BaseModel):
    tills: list[TillOut]


class OpenIn(Schema):
    float_cents: Cents


class SessionOut(BaseModel):
    id: int
    till: str
    opened_at: datetime
    float_cents: int


class CloseIn(Schema):
    counted_cents: Cents
    reason: Text(200, multiline=True) = ""


class ClosingOut(BaseModel):
    number: int
    till: str
    closed_at: datetime
    expected_cents: int
    counted_cents: int
    difference_cents: int
    report: dict

    @classmethod
    def of(cls, closing: Closing) -> "ClosingOut":
        return cls(
            number=closing.number,
            till=closing.till.name,
            closed_at=closing.closed_at,
            expected_cents=closing.expected_cents,
            counted_cents=closing.counted_cents,
            difference_cents=closing.difference_cents,
            report=closing.report,
        )


@endpoint(
    bp,
    "/sales",
    methods=["POST"],
    roles=SELLERS,
    body=SaleIn,
    response=SaleOut,
    status=201,
    summary="Book a sale (idempotent: the same id books once)",
    answers={
        200: "The same sale was sent before with this id: the sale booked then (nothing new)",
        409: "An item is sold already, or this id was used for a different sale (other till, "
        "lines, payments or entitlement card)",
    },
)
def create_sale(body: SaleIn):
    """Lines by item code or article id; payments with cash last. Sold-out item: 409. Sending the
    same sale again (the same id and body) answers 200 with the sale booked the first time; the same
    id with another body is refused with 409."""
    till = services.find_till(body.till)
    branches.check_visible(current_user, till.branch_id)  # a till of another branch: not found
    sale_id = str(body.id)
    lines = [
        services.LineIn(code=line.code, article=line.article, quantity=line.quantity)
        for line in body.lines
    ]
    payments = [
        services.PaymentIn(p.method, p.amount_cents, p.voucher_number, p.voucher_issuer)
        for p in body.payments
    ]
    try:
        sale, created = services.sell(
            current_actor(), till, sale_id, lines, payments, eligibility=body.eligibility
        )
        answer = SaleOut.of(sale) if created else None  # from memory, before the commit expires it
        # Committed here on purpose (the booking committed in sell(), before the TSE was asked; this
        # stores the signature and the receipt): when the same id arrives twice at the same moment,
        # the second insert clashes on the sale's unique id, and its answer is the sale the other
        # request booked. (A SAVEPOINT would not do on SQLite: it commits at its RELEASE.)
        transaction.commit(keep=True)  # the answer is made; nothing is read after it
    except IntegrityError:
        db.session.rollback()  # only this request's duplicate is undone; the other one's sale stands
        sale, created = services.find_sale(sale_id), False
        if sale is None:
            raise ConflictError("conflicting sale, please retry") from None
        services.same_sale(sale, services.find_till(body.till), lines, payments, body.eligibility)
    if created:
        return answer, 201
    sale.fiscal = services.await_signature(sale)
    return SaleOut.of(sale), 200


@endpoint(
    bp,
    "/sales/<sale_id>",
    roles=SELLERS + [Role.COORDINATOR],
    response=SaleOut,
    summary="A sale by its id",
)
def get_sale(sale_id: str):
    return SaleOut.of(services.get_sale(sale_id))


@endpoint(
    bp,
    "/sales/<sale_id>/void",
    methods=["POST"],
    roles=[Role.SUPERVISOR, Role.ADMIN],
    body=VoidIn,
    response=SaleOut,
    status=201,
    summary="Void a whole sale (a counter-sale; the caller confirms as supervisor)",
)
def void_sale(sale_id: str, body: VoidIn):
    sale = services.get_sale(sale_id)
    try:
        void = services.void_sale(current_actor(), sale, body.reason, confirmed_by=current_user)
    except IntegrityError:
        # Two voids of one sale at the same moment: the database lets one through (uq_sale_void_of).
        raise ConflictError("this sale was voided already") from None
    return SaleOut.of(void)


@endpoint(bp, "/tills", roles=list(STAFF | {Role.TRAINEE}), response=TillList, summary="The tills")
def list_tills():
    tills = services.list_tills(branch_ids=branches.visible_ids(current_user))
    return TillList(tills=[TillOut.of(t) for t in tills])


@endpoint(
    bp,
    "/tills/<till>/session",
    methods=["POST"],
    roles=SELLERS,
    body=OpenIn,
    response=SessionOut,
    status=201,
    summary="Open a till with its counted float",
)
def open_session(till: str, body: OpenIn):
    t = services.find_till(till)
    branches.check_visible(current_user, t.branch_id)
    session = services.open_session(current_actor(), t, float_cents=body.float_cents)
    return SessionOut(
        id=session.id, till=t.name, opened_at=session.opened_at, float_cents=session.float_cents
    )


@endpoint(
    bp,
    "/tills/<till>/session/close",
    methods=["POST"],
    roles=[Role.SUPERVISOR, Role.ADMIN],
    body=CloseIn,
    response=ClosingOut,
    summary="Close the till with the counted cash; returns the Z report",
)
def close_session(till: str, body: CloseIn):
    t = services.find_till(till)
    branches.check_visible(current_user, t.branch_id)
    closing = services.close_session(
        current_actor(), t, counted_cents=body.counted_cents, reason=body.reason
    )
    return ClosingOut.of(closing)


class TrainingIn(Schema):
    enabled: bool


@endpoint(
    bp,
    "/tills/<till>/training",
    methods=["POST"],
    roles=[Role.SUPERVISOR, Role.ADMIN],
    body=TrainingIn,
    response=TillOut,
    summary="Switch training mode (receipts say TRAINING, signed AVTraining, no revenue)",
)
def set_training(till: str, body: TrainingIn):
    t = services.find_till(till)
    branches.check_visible(current_user, t.branch_id)
    services.set_training(current_actor(), t, body.enabled)
    return TillOut.of(t)
