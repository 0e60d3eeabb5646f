"""Build static/icons.svg, the app's one SVG sprite, from the Tabler icon set (MIT, npm @tabler/icons).

    cd /tmp && npm pack @tabler/icons && tar xzf tabler-icons-*.tgz
    python tests/tools/make_icon_sprite.py /tmp/package

Each <symbol id="NAME"> is the outline icon named beside it; templates use {{ icon(NAME) }}. The
licence goes to static/vendor/tabler/LICENSE.
"""

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# our name → Tabler's outline icon
ICONS = {
    # start-screen tiles (the names the areas register)
    "users": "users",
    "person": "user",
    "key": "key",
    "list": "list",
    "printer": "printer",
    "box": "box",
    "tag": "tag",
    "cart": "shopping-cart",
    "clock": "clock",
    "calendar": "calendar",
    "star": "star",
    "chart": "chart-bar",
    "folder": "folder",
    "cash": "cash-register",
    "settings": "settings",
    # the till: payment, returns, help, sound, the customer display, practice
    "pay-cash": "cash",
    "pay-card": "credit-card",
    "pay-voucher": "ticket",
    "pay-entitlement": "id-badge-2",
    "trash": "trash",
    "return": "receipt-refund",
    "receipt": "receipt",
    "help": "help-circle",
    "sound": "volume",
    "sound-off": "volume-off",
    "display": "device-desktop",
    "practice": "school",
    "scan": "scan",
    "barcode": "barcode",
    "coins": "coins",
    "arrow-back": "arrow-back-up",
    "hand-stop": "hand-stop",
    # categories and articles (store/goods/pictograms.py picks them by name)
    "shirt": "shirt",
    "jacket": "jacket",
    "shoe": "shoe",
    "hanger": "hanger",
    "book": "book",
    "book-2": "book-2",
    "kitchen": "tools-kitchen-2",
    "cup": "cup",
    "glass": "glass-full",
    "armchair": "armchair",
    "sofa": "sofa",
    "bed": "bed",
    "lamp": "lamp",
    "plug": "plug",
    "tv": "device-tv",
    "laptop": "device-laptop",
    "toy": "horse-toy",
    "kid": "mood-kid",
    "baby": "baby-carriage",
    "flower": "flower",
    "bike": "bike",
    "music": "music",
    "diamond": "diamond",
    "bag": "shopping-bag",
    "hammer": "hammer",
    "store": "building-store",
}


def symbol(name: str, svg: str) -> str:
    body = svg[svg.index(">", svg.index("<svg")) + 1 : svg.rindex("</svg>")]
    body = re.sub(r'<path stroke="none" d="M0 0h24v24H0z" fill="none"\s*/>', "", body)
    body = " ".join(line.strip() for line in body.splitlines() if line.strip())
    return f'  <symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>'


def main(package: Path) -> None:
    version = json.loads((package / "package.json").read_text())["version"]
    outline = package / "icons" / "outline"
    lines = [
        f"<!-- Tabler Icons {version} (MIT, https://tabler.io/icons), built by "
        "tests/tools/make_icon_sprite.py; licence: static/vendor/tabler/LICENSE -->",
        '<svg xmlns="http://www.w3.org/2000/svg">',
        *(symbol(ours, (outline / f"{theirs}.svg").read_text()) for ours, theirs in ICONS.items()),
        "</svg>",
    ]
    (ROOT / "static" / "icons.svg").write_text("\n".join(lines) + "\n")
    vendor = ROOT / "static" / "vendor" / "tabler"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy(package / "LICENSE", vendor / "LICENSE")
    (vendor / "VERSION").write_text(f"@tabler/icons {version}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
