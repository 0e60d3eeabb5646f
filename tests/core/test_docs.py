"""The manual: it builds with MkDocs in strict mode (a broken link or a page missing from the nav
fails), every relative link in README.md and docs/ leads to a file or heading that exists (checked by
a small checker of our own, independent of the tool), and the table of allowed imports in
docs/architecture.md is the one the code-shape test enforces.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_code_shape import ALLOWED

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


# ---------------------------------------------------------------- building with MkDocs


def build(config: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `config` into `site`; the output says what went wrong."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's end-of-life notice
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_manual_builds_without_a_warning(tmp_path):
    result = build(ROOT / "mkdocs.yml", tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output, output
    pages = list((tmp_path / "site").glob("*.html"))
    assert tmp_path / "site" / "index.html" in pages
    assert tmp_path / "site" / "architecture.html" in pages
    # Diagrams are drawn by the vendored Mermaid; nothing comes from a CDN.
    assert '<pre class="mermaid">' in (tmp_path / "site" / "architecture.html").read_text(
        encoding="utf-8"
    )
    assert (tmp_path / "site" / "assets" / "javascripts" / "mermaid.min.js").exists()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<script[^>]+src="(https?:)?//', html), page.name
        assert not re.search(r'<link[^>]+href="(https?:)?//', html), page.name


def test_a_broken_link_fails_the_build(tmp_path):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(DOCS, tmp_path / "docs")
    with open(tmp_path / "docs" / "index.md", "a", encoding="utf-8") as page:
        page.write("\n[gone](no-such-page.md) and [nowhere](till.md#no-such-heading)\n")
    result = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "no-such-page.md" in output
    assert "no-such-heading" in output


# ---------------------------------------------------------------- links, checked without the tool

FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
INLINE_CODE = re.compile(r"(`+).*?\1")
LINK = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
EXPLICIT_ID = re.compile(r"""\{\s*#([\w-]+)[^}]*\}|\bid=["']([^"']+)["']""")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code removed."""
    lines, fenced = [], None
    for line in text.splitlines():
        mark = FENCE.match(line.strip())
        if mark and fenced is None:
            fenced = mark.group(1)
        elif mark and line.strip().startswith(fenced):
            fenced = None
        elif fenced is None:
            lines.append(INLINE_CODE.sub("", line))
    return lines


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it (and mkdocs.yml's pymdownx slugify with case lower)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = re.sub(r"</?[^>]*>", "", text).replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors a Markdown file has: its headings (duplicates numbered as GitHub does) and ids."""
    found: set[str] = set()
    fenced = None
    for line in path.read_text(encoding="utf-8").splitlines():
        mark = FENCE.match(line.strip())
        if mark and fenced is None:
            fenced = mark.group(1)
            continue
        if mark and line.strip().startswith(fenced):
            fenced = None
            continue
        if fenced is not None:
            continue
        for explicit in EXPLICIT_ID.finditer(line):
            found.add(explicit.group(1) or explicit.group(2))
        heading = HEADING.match(line)
        if heading:
            base = slug(EXPLICIT_ID.sub("", heading.group(2)))
            name, n = base, 0
            while name in found:
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


def link_targets(text: str) -> list[str]:
    targets = []
    for line in prose_lines(text):
        targets += LINK.findall(line)
        reference = REFERENCE.match(line)
        if reference:
            targets.append(reference.group(1))
    return targets


def broken_links(path: Path, root: Path, docs: Path) -> list[str]:
    """The relative links in `path` whose file or heading does not exist. A page in `docs` may only
    link inside `docs` (the built site has nothing else)."""
    wrong = []
    for target in link_targets(path.read_text(encoding="utf-8")):
        if not target or SCHEME.match(target):
            continue
        if target.startswith("/"):
            wrong.append(f"{target}: an absolute link (use a relative one)")
            continue
        file_part, _sep, anchor = target.partition("#")
        goal = (path.parent / file_part).resolve() if file_part else path
        if not goal.exists():
            wrong.append(f"{target}: no such file")
        elif path.is_relative_to(docs) and not goal.is_relative_to(docs):
            wrong.append(f"{target}: outside docs/, which the built manual does not have")
        elif anchor and goal.suffix == ".md" and anchor not in anchors(goal):
            wrong.append(f"{target}: no heading #{anchor} in {goal.relative_to(root)}")
    return wrong


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_somewhere(path: Path):
    assert broken_links(path, ROOT, DOCS) == []


def test_the_link_checker_finds_a_broken_link(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "b.md").write_text(
        "# B\n\n## Über uns\n\n## Step 2: `make docs`\n\n## Step 2: `make docs`\n", encoding="utf-8"
    )
    (tmp_path / "README.md").write_text(
        "See [b](docs/b.md#über-uns) and [gone](docs/c.md).\n", encoding="utf-8"
    )
    (docs / "a.md").write_text(
        "# A\n\n"
        "[ok](b.md) [ok](b.md#über-uns) [ok](b.md#step-2-make-docs-1) [ok](#a) "
        "[ok](https://example.org/x.md) [ok](mailto:x@example.org)\n"
        "[no file](c.md) [no heading](b.md#ueber-uns) [no heading here](#b) [up](../README.md)\n"
        "[ref]: missing.md\n"
        "`[in code](nothing.md)`\n\n"
        "```\n[in a block](nothing.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(docs / "a.md", tmp_path, docs) == [
        "c.md: no such file",
        "b.md#ueber-uns: no heading #ueber-uns in docs/b.md",
        "#b: no heading #b in docs/a.md",
        "../README.md: outside docs/, which the built manual does not have",
        "missing.md: no such file",
    ]
    assert broken_links(tmp_path / "README.md", tmp_path, docs) == ["docs/c.md: no such file"]


# ---------------------------------------------------------------- the architecture's table


def documented_arrows() -> dict[str, set[str]]:
    """The table "area | may import | …" under "Areas and their allowed imports"."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Areas and their allowed imports", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"`\w+`", cells[0]):
            table[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[1]))
    return table


def test_the_documented_arrows_are_the_enforced_ones():
    assert documented_arrows() == ALLOWED
