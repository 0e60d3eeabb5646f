"""API: intake, item lookup, the price list, categories."""

from datetime import date

from flask_login import current_user
from pydantic import BaseModel, Field

from store.branches import services as branches
from store.core.access import STAFF, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Id, PositiveCents, Text
from store.core.timeutil import local_today
from store.core.web import current_actor
from store.goods import services
from store.goods.models import Article, Category, Condition, Item, ItemStatus, Reservation

bp = api_blueprint("goods_api")

FLOOR = [Role.TRAINEE, *STAFF]


class IntakeLine(Schema):
    category: Id
    description: Text(120, min_length=1)
    price_cents: PositiveCents
    quantity: int = Field(default=1, ge=1, le=services.MAX_QUANTITY)
    condition: Condition = Condition.GOOD
    size: Text(20) | None = None
    colour: Text(30) | None = None
    brand: Text(40) | None = None
    location: Text(40) | None = None


class IntakeIn(Schema):
    items: list[IntakeLine] = Field(min_length=1, max_length=200)


class SafetyTestOut(BaseModel):
    tested_on: date
    tester: str
    passed: bool
    values: str | None


class ItemOut(BaseModel):
    code: str
    description: str
    category: int
    category_path: str
    price_cents: int  # what the till charges today (markdown applied)
    label_price_cents: int
    markdown_percent: int
    weeks_in_stock: int
    status: ItemStatus
    condition: Condition
    location: str | None
    vat_rate_bp: int
    requires_safety_test: bool
    safety_test: SafetyTestOut | None
    sellable: bool
    # The active reservation's date: the item is held for a customer until then (not for sale).
    reserved_until: date | None = None
    branch: str | None = None  # the branch (Filiale) that has it

    @classmethod
    def of(cls, item: Item, today: date, reservation: Reservation | services.Hold | None) -> "ItemOut":
        """`reservation`: the item's active one (or None), as the caller read it with the item."""
        quote = services.current_price(item, today)
        # Safety tests are an appliance's (other items have none: not looked for).
        test = item.last_safety_test if item.category.requires_safety_test else None
        block = services.sale_state(item, reservation)
        return cls(
            branch=item.branch.name,
            code=item.code,
            description=item.description,
            category=item.category_id,
            category_path=item.category.path,
            price_cents=quote.price_cents,
            label_price_cents=quote.label_cents,
            markdown_percent=quote.percent,
            weeks_in_stock=quote.weeks,
            status=item.status,
            condition=item.condition,
            location=item.location,
            vat_rate_bp=item.category.vat_rate_bp,
            requires_safety_test=item.category.requires_safety_test,
            safety_test=SafetyTestOut(
                tested_on=test.tested_on, tester=test.tester, passed=test.passed, values=test.values
            )
            if test
            else None,
            sellable=block is None,
            reserved_until=reservation.until if reservation else None,
        )


class ItemList(BaseModel):
    items: list[ItemOut]


class ArticleOut(BaseModel):
    id: int
    name: str
    category: int
    price_cents: int
    vat_rate_bp: int
    stock: int | None

    @classmethod
    def of(cls, article: Article) -> "ArticleOut":
        return cls(
            id=article.id,
            name=article.name,
            category=article.category_id,
            price_cents=article.price_cents,
            vat_rate_bp=article.category.vat_rate_bp,
            stock=services.article_stock(article),
        )


class ArticleList(BaseModel):
    articles: list[ArticleOut]


class CategoryOut(BaseModel):
    id: int
    name: str
    path: str
    parent: int | None
    vat_rate_bp: int
    price_min_cents: int | None
    price_max_cents: int | None
    markdown_steps: list[dict]
    requires_safety_test: bool

    @classmethod
    def of(cls, c: Category) -> "CategoryOut":
        return cls(
            id=c.id,
            name=c.name,
            path=c.path,
            parent=c.parent_id,
            vat_rate_bp=c.vat_rate_bp,
            price_min_cents=c.price_min_cents,
            price_max_cents=c.price_max_cents,
            markdown_steps=c.markdown_steps or [],
            requires_safety_test=c.requires_safety_test,
        )


class CategoryList(BaseModel):
    categories: list[CategoryOut]


@endpoint(
    bp,
    "/items",
    methods=["POST"],
    roles=FLOOR,
    body=IntakeIn,
    response=ItemList,
    status=201,
    summary="Take in donated goods (one entry per label)",
)
def create_items(body: IntakeIn):
    """Books every line or none. Labels are queued on the label printer after the commit."""
    actor = current_actor()
    entries = [
        services.IntakeEntry(
            category_id=line.category,
            description=line.description,
            price_cents=line.price_cents,
            quantity=line.quantity,
            condition=line.condition.value,
            size=line.size,
            colour=line.colour,
            brand=line.brand,
            location=line.location,
        )
        for line in body.items
    ]
    branch = branches.current(current_user)
    items = services.take_in_items(actor, entries, branch_id=branch.id)
    services.queue_labels(actor, items)
    today = local_today()
    return ItemList(items=[ItemOut.of(i, today, None) for i in items])  # taken in now: not reserved


@endpoint(
    bp,
    "/items/<code>",
    roles=FLOOR,
    response=ItemOut,
    summary="An item by its code, with today's price and its status",
)
def get_item(code: str):
    item, reservation = services.look_up(code)
    return ItemOut.of(item, local_today(), reservation)


@endpoint(
    bp, "/articles", roles=FLOOR, response=ArticleList, summary="Standard articles of the price list"
)
def list_articles():
    return ArticleList(articles=[ArticleOut.of(a) for a in services.list_articles()])


@endpoint(bp, "/categories", roles=FLOOR, response=CategoryList, summary="The category tree")
def list_categories():
    return CategoryList(categories=[CategoryOut.of(c) for c in services.list_categories()])
