"""Standard articles of the price list (sold by button, not by label)."""

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.core.exports import safe_cell
from store.core.settings import get_setting
from store.extensions import db
from store.goods.models import Article, Category
from store.goods.services.categories import get_category, list_categories


def list_articles(include_inactive: bool = False) -> list[Article]:
    query = sa.select(Article).order_by(Article.sort, Article.name)
    if not include_inactive:
        query = query.where(Article.is_active.is_(True))
    return list(db.session.scalars(query))


def category_choices(article: Article | None) -> list[Category]:
    """The categories an article may be put in: those in use, and the one it is in now."""
    return [
        c
        for c in list_categories(include_inactive=True)
        if c.is_active or (article is not None and c.id == article.category_id)
    ]


def get_article(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None or not article.is_active:
        raise NotFoundError(_("This article does not exist."))
    return article


def save_article(
    actor: Actor,
    article: Article | None,
    *,
    name: str,
    category_id: int,
    price_cents: int,
    track_stock: bool = False,
    is_active: bool = True,
    sort: int = 0,
) -> Article:
    name = safe_cell((name or "").strip())  # no formula in the DSFinV-K export (see intake)
    if not name:
        raise ValidationError(_("Please give the article a name."), field="name")
    category = get_category(category_id)
    if price_cents is None or price_cents <= 0 or price_cents > get_setting("max_price_cents"):
        raise ValidationError(_("Please enter a sensible price."), field="price")
    old = {"name": article.name, "price_cents": article.price_cents} if article else None
    if article is None:
        article = Article()
        db.session.add(article)
    article.name, article.category, article.price_cents = name[:80], category, price_cents
    article.track_stock, article.is_active, article.sort = track_stock, is_active, sort
    audit(
        actor,
        "article.save",
        article,
        {"old": old, "name": name, "price_cents": price_cents, "category": category.id},
    )
    return article
