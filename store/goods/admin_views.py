"""Admin pages: the category tree, the price list of standard articles, and the store settings."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.branches import services as branches
from store.core.access import Role, roles
from store.core.settings import get_setting
from store.core.web import attempt, current_actor
from store.extensions import db
from store.goods import services
from store.goods.admin_forms import (
    ArticleForm,
    CategoryForm,
    SettingsForm,
    StockInForm,
    cents_or_none,
    euro_text,
    thousandths,
    thousandths_text,
)
from store.goods.models import Article, Category

bp = Blueprint("goods_admin", __name__, url_prefix="/admin")

MANAGE = (Role.SUPERVISOR, Role.ADMIN)
CATEGORY_FIELDS = {"price_min_cents": "price_min", "price_max_cents": "price_max"}  # service → form
SETTINGS_FIELDS = {"max_price_cents": "max_price", "delivery_fee_cents": "delivery_fee"}


# ---------------------------------------------------------------- categories


@bp.get("/categories")
@roles(Role.ADMIN)
def categories():
    return render_template(
        "goods/admin/categories.html", categories=services.list_categories(include_inactive=True)
    )


@bp.route("/categories/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def category_new():
    return _category_form(None)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def category_edit(category_id: int):
    return _category_form(db.get_or_404(Category, category_id))


def _category_initial(category: Category | None) -> dict:
    if category is None:
        return {"parent_id": request.args.get("parent", type=int)}
    return {
        "name": category.name,
        "parent_id": category.parent_id,
        "vat_rate_bp": category.vat_rate_bp,
        "price_min": euro_text(category.price_min_cents),
        "price_max": euro_text(category.price_max_cents),
        "markdown_steps": list(category.markdown_steps or []),
        "requires_safety_test": category.requires_safety_test,
        "has_clothing_fields": category.has_clothing_fields,
        "is_active": category.is_active,
        "sort": category.sort,
        **_impact_initial(category),
    }


def _impact_initial(category: Category) -> dict:
    factor, _own = services.impact_factors(category)
    return {
        "weight_kg": thousandths_text(factor.grams_per_item),
        "co2e_per_kg": thousandths_text(factor.co2e_g_per_kg),
        "impact_source": factor.source,
    }


def _save_impact(form: CategoryForm, category: Category) -> None:
    grams = thousandths(form.weight_kg.data, "weight_kg")
    co2e = thousandths(form.co2e_per_kg.data, "co2e_per_kg")
    if grams is None and co2e is None:
        return
    factor, _own = services.impact_factors(category)
    services.set_impact_factors(
        current_actor(),
        category,
        grams_per_item=factor.grams_per_item if grams is None else grams,
        co2e_g_per_kg=factor.co2e_g_per_kg if co2e is None else co2e,
        source=form.impact_source.data or "",
    )


def _category_form(category: Category | None):
    if request.method == "GET":
        form = CategoryForm(data=_category_initial(category))
    else:
        form = CategoryForm()
    form.parent_id.choices = [("", _("– none (top level) –"))] + [
        (c.id, c.path) for c in services.parent_choices(category)
    ]
    if form.validate_on_submit():
        with attempt(form, CATEGORY_FIELDS) as done:
            saved = services.save_category(
                current_actor(),
                category,
                name=form.name.data,
                parent_id=form.parent_id.data,
                vat_rate_bp=form.vat_rate_bp.data,
                price_min_cents=cents_or_none(form.price_min.data, "price_min_cents"),
                price_max_cents=cents_or_none(form.price_max.data, "price_max_cents"),
                markdown_steps=form.steps(),
                requires_safety_test=form.requires_safety_test.data,
                has_clothing_fields=form.has_clothing_fields.data,
                is_active=form.is_active.data,
                sort=form.sort.data or 0,
            )
            _save_impact(form, saved)
        if done:
            flash(_("The category %(name)s was saved.", name=saved.name), "success")
            return redirect(url_for("goods_admin.categories"))
    elif form.is_submitted():
        flash(_("Please check the marked fields."), "error")
    history = services.impact_history(category) if category is not None else []
    return render_template(
        "goods/admin/category_form.html", form=form, category=category, impact_history=history
    )


# ---------------------------------------------------------------- price list (articles)


@bp.get("/articles")
@roles(*MANAGE)
def articles():
    rows = services.list_articles(include_inactive=True)
    return render_template(
        "goods/admin/articles.html", articles=rows, stock={a.id: services.article_stock(a) for a in rows}
    )


@bp.route("/articles/new", methods=["GET", "POST"])
@roles(*MANAGE)
def article_new():
    return _article_form(None)


@bp.route("/articles/<int:article_id>", methods=["GET", "POST"])
@roles(*MANAGE)
def article_edit(article_id: int):
    return _article_form(db.get_or_404(Article, article_id))


def _article_form(article: Article | None):
    if request.method == "GET" and article is not None:
        form = ArticleForm(
            data={
                "name": article.name,
                "category": article.category_id,
                "price": euro_text(article.price_cents),
                "track_stock": article.track_stock,
                "is_active": article.is_active,
                "sort": article.sort,
            }
        )
    else:
        form = ArticleForm()
    form.category.choices = [("", _("– choose –"))] + [
        (c.id, c.path) for c in services.category_choices(article)
    ]
    if form.validate_on_submit():
        with attempt(form) as done:
            saved = services.save_article(
                current_actor(),
                article,
                name=form.name.data,
                category_id=form.category.data,
                price_cents=cents_or_none(form.price.data, "price"),
                track_stock=form.track_stock.data,
                is_active=form.is_active.data,
                sort=form.sort.data or 0,
            )
        if done:
            flash(_("The article %(name)s was saved.", name=saved.name), "success")
            return redirect(url_for("goods_admin.articles"))
    elif form.is_submitted():
        flash(_("Please check the marked fields."), "error")
    stock = services.article_stock(article) if article is not None else None
    return render_template(
        "goods/admin/article_form.html",
        form=form,
        article=article,
        stock=stock,
        stock_form=StockInForm(formdata=None),
    )


@bp.post("/articles/<int:article_id>/stock")
@roles(*MANAGE)
def article_stock_in(article_id: int):
    article = db.get_or_404(Article, article_id)
    form = StockInForm()
    if not form.validate_on_submit():
        flash(_("Please enter how many were added (a whole number)."), "error")
        return redirect(url_for("goods_admin.article_edit", article_id=article.id))
    with attempt() as done:
        services.add_article_stock(current_actor(), article, form.quantity.data, form.note.data)
    if done:
        flash(
            _(
                "%(n)s × %(name)s added to the stock. In stock now: %(total)s.",
                n=form.quantity.data,
                name=article.name,
                total=services.article_stock(article),
            ),
            "success",
        )
    return redirect(url_for("goods_admin.article_edit", article_id=article.id))


# ---------------------------------------------------------------- store settings


@bp.route("/settings", methods=["GET", "POST"])
@roles(Role.ADMIN)
def settings():
    current = services.goods_settings()
    if request.method == "GET":
        form = SettingsForm(
            data={
                "label_printer_id": current["label_printer_id"] or 0,
                "label_qr": bool(current["label_qr"]),
                "label_sheet": current["label_sheet"],
                "max_price": euro_text(current["max_price_cents"]),
                "receipt_impact_line": services.receipt_impact_line(),
                "delivery_fee": euro_text(get_setting("delivery_fee_cents")),
                "delivery_vat_bp": get_setting("delivery_vat_bp"),
                "deposit_on_lapse": get_setting("deposit_on_lapse"),
            }
        )
    else:
        form = SettingsForm()
    printers = services.label_printer_choices()
    form.label_printer_id.choices = [(0, _("– none: print labels as PDF –"))] + [
        (p.id, p.name if p.is_active else _("%(name)s (switched off)", name=p.name)) for p in printers
    ]
    names = {p.id: p.name for p in printers}
    branch_printers = [(b, names.get(b.label_printer_id)) for b in branches.all_branches()]
    if form.validate_on_submit():
        with attempt(form, SETTINGS_FIELDS) as done:
            changed = services.save_goods_settings(
                current_actor(),
                label_printer_id=form.label_printer_id.data,
                label_qr=form.label_qr.data,
                label_sheet=form.label_sheet.data,
                max_price_cents=cents_or_none(form.max_price.data, "max_price_cents"),
            )
            if services.set_receipt_impact_line(current_actor(), form.receipt_impact_line.data):
                changed.append("receipt_impact_line")
            fee = (form.delivery_fee.data or "").strip()
            vat = form.delivery_vat_bp.data
            changed += services.save_sale_settings(
                current_actor(),
                delivery_fee_cents=cents_or_none(fee, "delivery_fee_cents")
                if fee
                else get_setting("delivery_fee_cents"),
                delivery_vat_bp=get_setting("delivery_vat_bp") if vat is None else vat,
                deposit_on_lapse=form.deposit_on_lapse.data or get_setting("deposit_on_lapse"),
            )
        if done:
            if changed:
                flash(_("The settings were saved."), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("goods_admin.settings"))
    elif form.is_submitted():
        flash(_("Please check the marked fields."), "error")
    return render_template("goods/admin/settings.html", form=form, branch_printers=branch_printers)
