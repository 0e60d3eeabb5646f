"""API: transfers of goods between branches."""

from flask import url_for
from flask_login import current_user
from pydantic import BaseModel, Field

from store.branches import services as branches
from store.core.access import STAFF
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Id, Text
from store.core.web import current_actor
from store.goods import services
from store.goods.services.transfers import MAX_CODES

bp = api_blueprint("transfers_api")


class TransferIn(Schema):
    from_branch: Id = Field(description="the branch the items leave (the caller must work there)")
    to_branch: Id = Field(description="the branch they go to")
    codes: list[Text(13, min_length=1)] = Field(min_length=1, max_length=MAX_CODES)


class TransferItemOut(BaseModel):
    code: str
    description: str


class TransferOut(BaseModel):
    number: str
    from_branch: str
    to_branch: str
    items: list[TransferItemOut]
    sheet_url: str  # the transfer sheet (PDF) to print and sign


@endpoint(
    bp,
    "/transfers",
    methods=["POST"],
    roles=STAFF,
    summary="Move items from one branch to another (booked on both sides of the stock ledger)",
    body=TransferIn,
    response=TransferOut,
    status=201,
    answers={409: "an item is sold, reserved, not in stock or of another branch"},
)
def transfer_create(body: TransferIn):
    branches.require_branch_of(current_user, body.from_branch)
    transfer = services.transfer_items(current_actor(), body.codes, body.from_branch, body.to_branch)
    return TransferOut(
        number=transfer.number,
        from_branch=transfer.from_branch.name,
        to_branch=transfer.to_branch.name,
        items=[TransferItemOut(code=i.code, description=i.description) for i in transfer.items],
        sheet_url=url_for("transfers.sheet", number=transfer.number, _external=True),
    )
