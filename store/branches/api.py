"""API: the branches (Filialen)."""

from flask_login import current_user
from pydantic import BaseModel

from store.branches import services
from store.branches.models import Branch
from store.core.access import SIGNED_IN, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Text
from store.core.web import current_actor

bp = api_blueprint("branches_api")


class BranchOut(BaseModel):
    id: int
    name: str
    address: str
    tax_number: str
    vat_id: str
    is_active: bool

    @classmethod
    def of(cls, branch: Branch) -> "BranchOut":
        return cls(
            id=branch.id,
            name=branch.name,
            address=branch.address,
            tax_number=branch.tax_number,
            vat_id=branch.vat_id,
            is_active=branch.is_active,
        )


class BranchList(BaseModel):
    branches: list[BranchOut]


class BranchIn(Schema):
    name: Text(80, min_length=1)
    address: Text(200) = ""
    tax_number: Text(40) = ""
    vat_id: Text(20) = ""


@endpoint(
    bp, "/branches", roles=SIGNED_IN, summary="The branches the caller may see", response=BranchList
)
def branches():
    return BranchList(branches=[BranchOut.of(b) for b in services.visible(current_user)])


@endpoint(
    bp,
    "/branches",
    methods=["POST"],
    roles=[Role.ADMIN],
    summary="Open a branch",
    body=BranchIn,
    response=BranchOut,
    status=201,
)
def branch_create(body: BranchIn):
    branch = services.save_branch(
        current_actor(),
        None,
        name=body.name,
        address=body.address,
        tax_number=body.tax_number,
        vat_id=body.vat_id,
    )
    return BranchOut.of(branch)
