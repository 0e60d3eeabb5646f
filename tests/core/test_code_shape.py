"""The shape of the code, as docs/architecture.md describes it: areas import only the areas below them,
modules and functions stay small enough to read, and views leave the transaction to the request.

Each check is a plain function over source text, so a test can show that it catches what it should.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STORE = ROOT / "store"

# Which areas an area may import (besides itself, store.extensions and store.config). The table in
# docs/architecture.md is this one; change both together.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "branches": {"core"},
    "auth": {"core", "branches"},
    "printing": {"core", "branches", "auth"},
    "goods": {"core", "branches", "auth", "printing"},
    "tse": {"core", "branches", "auth"},
    "till": {"core", "branches", "auth", "printing", "goods", "tse"},
    "fiscal": {"core", "branches", "auth", "printing", "goods", "tse", "till"},
    "shifts": {"core", "branches", "auth", "printing"},
    "skills": {"core", "branches", "auth", "goods", "till", "shifts"},
    "network": {"core", "branches", "auth", "goods", "till", "shifts", "skills"},
    "reports": {"core", "branches", "auth", "goods", "till", "shifts", "skills", "network"},
    "logistics": {"core", "branches", "auth", "printing", "goods", "till"},
}
ALWAYS = {"extensions", "config"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
# A longer function is allowed when the comment line just above its def (or its decorators) says why.
LONG_REASON = re.compile(r"^\s*# long function: \S")


def modules() -> list[Path]:
    return sorted(p for p in STORE.rglob("*.py") if "migrations" not in p.parts)


def ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in the source, those inside functions included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, node.module)]
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def forbidden_imports(area: str, source: str) -> list[str]:
    """The imports of `source` (a module of `area`) that go to an area it may not use."""
    allowed = ALLOWED[area] | ALWAYS | {area}
    wrong = []
    for line, name in imported_modules(source):
        parts = name.split(".")
        if parts[0] == "store" and len(parts) > 1 and parts[1] in set(ALLOWED) | ALWAYS:
            if parts[1] not in allowed:
                wrong.append(f"line {line}: {name}")
    return sorted(set(wrong))


def store_imports(source: str) -> list[str]:
    return [
        f"line {line}: {name}"
        for line, name in imported_modules(source)
        if name == "store" or name.startswith("store.")
    ]


def long_functions(source: str) -> list[str]:
    """Functions longer than MAX_FUNCTION_LINES without a comment saying why."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = node.end_lineno - node.lineno + 1
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        reason = first >= 2 and LONG_REASON.match(lines[first - 2])
        if length > MAX_FUNCTION_LINES and not reason:
            found.append(f"{node.name} (line {node.lineno}): {length} lines")
    return found


TRANSACTION_CALL = re.compile(r"\.(commit|rollback)\(\)")


def transaction_calls(source: str) -> list[str]:
    """commit()/rollback() calls without a comment on their line or the line above saying why."""
    lines = source.splitlines()
    found = []
    for number, line in enumerate(lines, 1):
        if TRANSACTION_CALL.search(line.split("#")[0]):
            above = lines[number - 2].strip() if number > 1 else ""
            if "#" not in line and not above.startswith("#"):
                found.append(f"line {number}: {line.strip()}")
    return found


# ---------------------------------------------------------------- the checks on the code


@pytest.mark.parametrize("path", modules(), ids=ids(modules()))
def test_areas_import_only_what_lies_below(path: Path):
    parts = path.relative_to(STORE).parts
    if len(parts) < 2 or parts[0] not in ALLOWED:
        return  # store/__init__.py, cli.py, demo.py: the top, which may use every area
    assert forbidden_imports(parts[0], path.read_text()) == []


@pytest.mark.parametrize(
    "path", sorted((ROOT / "hardware").rglob("*.py")), ids=ids(sorted((ROOT / "hardware").rglob("*.py")))
)
def test_hardware_knows_nothing_of_the_store(path: Path):
    assert store_imports(path.read_text()) == []


@pytest.mark.parametrize("path", modules(), ids=ids(modules()))
def test_modules_and_functions_stay_small(path: Path):
    source = path.read_text()
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    assert long_functions(source) == []


VIEWS = [
    p for p in modules() if re.search(r"(^|_)(views|api)$", p.stem) or p.parent.name in ("views", "api")
]


@pytest.mark.parametrize("path", VIEWS, ids=ids(VIEWS))
def test_views_leave_the_transaction_to_the_request(path: Path):
    assert transaction_calls(path.read_text()) == []


# ---------------------------------------------------------------- the checks catch what they should


def test_a_forbidden_import_is_found():
    source = (
        "import store.core.money\nfrom store.till import services\n\ndef f():\n"
        "    from store.network.models import Partner\n"
    )
    assert forbidden_imports("goods", source) == [
        "line 2: store.till",
        "line 2: store.till.services",
        "line 5: store.network.models",
        "line 5: store.network.models.Partner",
    ]
    assert forbidden_imports("network", source) == []
    assert store_imports("from store.extensions import db\n") == [
        "line 1: store.extensions",
        "line 1: store.extensions.db",
    ]


def test_a_long_function_needs_a_reason():
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def f():\n{body}") == [f"f (line 1): {MAX_FUNCTION_LINES + 1} lines"]
    assert long_functions(f"# long function: one table, row by row\ndef f():\n{body}") == []
    assert long_functions(f"def f():\n{body[:-12]}") == []


def test_a_commit_in_a_view_needs_a_reason():
    assert transaction_calls("def v():\n    db.session.commit()\n") == ["line 2: db.session.commit()"]
    assert (
        transaction_calls("def v():\n    # two commits on purpose: …\n    db.session.commit()\n") == []
    )
    assert transaction_calls("def v():\n    db.session.rollback()  # why\n") == []


def test_every_area_imports_on_its_own():
    """Each area's services import in a fresh interpreter, before any app exists: nothing at import
    time may need the models of an area that was not imported yet (a statement with loader options
    built at module level configures every mapper)."""
    import subprocess
    import sys

    areas = sorted(a for a in ALLOWED if (STORE / a / "services").exists())
    runs = {
        area: subprocess.Popen(
            [sys.executable, "-c", f"import store.{area}.services"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for area in areas
    }
    failed = {area: run.communicate()[0].decode()[-400:] for area, run in runs.items() if run.wait()}
    assert failed == {}
