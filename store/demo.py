"""Demo data that looks like a real shop. Each part loads only if it is not there yet."""

from collections.abc import Callable

import sqlalchemy as sa

from store.auth import services as auth
from store.auth.models import User
from store.branches import services as branches
from store.branches.models import Branch, first_branch
from store.core.audit import Actor
from store.extensions import db
from store.goods import demo as goods_demo
from store.goods import services as goods_services
from store.goods.models import Item, ItemStatus, Reservation, ReservationStatus
from store.logistics import demo as logistics_demo
from store.network import demo as network_demo
from store.printing import services as printing
from store.printing.models import Printer
from store.shifts import demo as shifts_demo
from store.shifts.models import Station
from store.skills import demo as skills_demo
from store.till import demo as till_demo
from store.till.models import Till

PASSWORD = "kaufhaus"  # noqa: S105 - the published demo password

STAFF = [
    ("admin", "admin", "Andrea", "Admin", None, None),
    ("koordination", "coordinator", "Katrin", "Vogel", None, None),
    ("schulz", "supervisor", "Michael", "Schulz", "9000001", "9001"),
    ("yilmaz", "supervisor", "Ayşe", "Yılmaz", "9000002", "9002"),
    ("becker", "supervisor", "Thomas", "Becker", "9000003", "9003"),
]
TRAINEES = [
    ("Olena", "Kovalenko"),
    ("Ahmad", "Haidari"),
    ("Marek", "Nowak"),
    ("Fatma", "Demir"),
    ("Samir", "Al-Hassan"),
    ("Jessica", "Meyer"),
    ("Tigist", "Bekele"),
    ("Dariusz", "Wójcik"),
    ("Leonie", "Krüger"),
    ("Yusuf", "Öztürk"),
    ("Amina", "Rahimi"),
    ("Kevin", "Hoffmann"),
]


def trainee_logins() -> list[tuple[str, str, str, str]]:
    """(username, name, badge, pin) of the demo trainees."""
    rows = []
    for n, (first, last) in enumerate(TRAINEES, start=1):
        rows.append((f"azubi{n:02d}", f"{first} {last}", f"10000{n:02d}", f"{1000 + n}"))
    return rows


def load_users(actor: Actor) -> bool:
    if db.session.scalar(sa.select(User.id).where(User.username == "admin")):
        return False
    for username, role, first, last, badge, pin in STAFF:
        auth.create_user(
            actor,
            username=username,
            role=role,
            first_name=first,
            last_name=last,
            password=PASSWORD,
            badge=badge,
            pin=pin,
        )
    for (username, _name, badge, pin), (first, last) in zip(trainee_logins(), TRAINEES, strict=True):
        auth.create_user(
            actor,
            username=username,
            role="trainee",
            first_name=first,
            last_name=last,
            password=PASSWORD,
            badge=badge,
            pin=pin,
        )
    return True


def load_printers(actor: Actor) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Printer)):
        return False
    for name in (
        "Bondrucker Kasse 1",
        "Bondrucker Kasse 2",
        "Bondrucker Kasse 3",
        "Etikettendrucker Annahme",
    ):
        printing.save_printer(actor, None, name=name, backend="virtual", params={})
    return True


BRANCHES = [
    ("Kaufhaus Mitte", "Marktstraße 12, 49191 Belm"),
    ("Kaufhaus Nord", "Nordring 5, 49191 Belm"),
]
# What stands in Nord; the rest stays in Mitte (the first branch, where everything was made).
NORTH_TILLS, NORTH_PRINTERS, NORTH_STATIONS = ("Kasse 3",), ("Bondrucker Kasse 3",), ("Möbel/Transport",)
NORTH_USERS = ("becker", "azubi09", "azubi10", "azubi11", "azubi12")
NORTH_SHARE = 5  # every fifth item in stock is in Nord


def load_branches(actor: Actor) -> bool:
    """Two branches: the shop so far becomes "Kaufhaus Mitte"; "Kaufhaus Nord" gets a till, its
    printer, a station, a share of the stock and its people. The coordinator and the admin see
    both; a few items go from Mitte to Nord by a transfer, as staff would move them."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Branch)) > 1:
        return False
    (mitte_name, mitte_address), (nord_name, nord_address) = BRANCHES
    mitte = first_branch(db.session)
    branches.save_branch(actor, mitte, name=mitte_name, address=mitte_address)
    nord = branches.save_branch(actor, None, name=nord_name, address=nord_address)
    for model, names in ((Till, NORTH_TILLS), (Printer, NORTH_PRINTERS), (Station, NORTH_STATIONS)):
        db.session.execute(sa.update(model).where(model.name.in_(names)).values(branch_id=nord.id))
    held = sa.select(Reservation.item_id).where(Reservation.status == ReservationStatus.ACTIVE)
    stock = list(
        db.session.scalars(
            sa.select(Item.id)
            .where(Item.status == ItemStatus.IN_STOCK, Item.id.not_in(held))
            .order_by(Item.id)
        )
    )
    north_items = stock[::NORTH_SHARE]
    db.session.execute(sa.update(Item).where(Item.id.in_(north_items[5:])).values(branch_id=nord.id))
    for user in db.session.scalars(sa.select(User)):
        home = nord if user.username in NORTH_USERS else mitte
        branches.set_user_branches(actor, user, [home])
    db.session.expire_all()
    codes = list(db.session.scalars(sa.select(Item.code).where(Item.id.in_(north_items[:5]))))
    if codes:
        goods_services.transfer_items(actor, codes, mitte.id, nord.id)
    return True


LOADERS: list[Callable[[Actor], bool]] = [
    load_users,
    load_printers,
    goods_demo.load_categories,
    goods_demo.load_items,
    goods_demo.load_settings,
    till_demo.load_tills,
    till_demo.load_history,
    shifts_demo.load_stations,
    shifts_demo.load_agreements,
    shifts_demo.load_templates,
    shifts_demo.load_shifts,
    skills_demo.load_assessments,
    network_demo.load_records,
    logistics_demo.load_pickups,
    goods_demo.load_reservations,  # after the pick-ups: the collected sofa is among them
    load_branches,  # last: it splits what the others made between two branches
]


def load() -> bool:
    """Load every part that is missing. True if anything was added."""
    actor = Actor.system("cli")
    added = False
    for loader in LOADERS:
        added = loader(actor) or added
        db.session.flush()
    return added


def print_logins(echo: Callable[[str], None]) -> None:
    echo("")
    echo(f"Demo logins (password for all: {PASSWORD})")
    echo("  admin          admin")
    echo("  koordination   coordinator")
    for username, _role, first, last, badge, pin in STAFF[2:]:
        echo(f"  {username:14} supervisor   {first} {last}  badge {badge}  PIN {pin}")
    for username, name, badge, pin in trainee_logins()[:3]:
        echo(f"  {username:14} trainee      {name}  badge {badge}  PIN {pin}")
    echo("  … azubi04 to azubi12 likewise (badge 1000004…, PIN 1004…)")
    echo("At the till (/login/till) scan or type a badge number, or pick a name and type the PIN.")
