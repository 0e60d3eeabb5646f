"""A pictogram for every category and article button: picked by words in the name (German and
English), so a trainee who reads little finds "Bücher" by its book. The icons are Tabler's, in the
sprite static/icons.svg."""

# word in the name (lower case, a part of a word is enough) → icon; the first match wins
WORDS: list[tuple[tuple[str, ...], str]] = [
    (("jacke", "mantel", "coat", "jacket"), "jacket"),
    (("schuh", "stiefel", "shoe", "boot"), "shoe"),
    (("kleid", "hemd", "hose", "pullover", "shirt", "cloth", "textil", "mode"), "shirt"),
    (("taschenbuch", "buch", "bücher", "book", "roman", "comic"), "book"),
    (("zeitschrift", "heft", "magazin", "magazine"), "book-2"),
    (("tasse", "becher", "cup", "mug", "kaffee"), "cup"),
    (("glas", "glass", "vase"), "glass"),
    (("geschirr", "teller", "besteck", "küche", "kitchen", "hausrat", "topf", "pfanne"), "kitchen"),
    (("sofa", "couch"), "sofa"),
    (("bett", "bed", "matratze"), "bed"),
    (("möbel", "stuhl", "sessel", "tisch", "schrank", "regal", "furniture", "chair"), "armchair"),
    (("lampe", "leuchte", "lamp", "licht"), "lamp"),
    (("fernseh", "tv", "radio", "hifi"), "tv"),
    (("computer", "laptop", "handy", "telefon"), "laptop"),
    (("elektr", "gerät", "appliance", "electr", "kabel"), "plug"),
    (("baby", "kinderwagen"), "baby"),
    (("spiel", "puzzle", "toy", "game"), "toy"),
    (("kinder", "kid", "child"), "kid"),
    (("deko", "blume", "pflanze", "flower", "kerze", "bild", "rahmen"), "flower"),
    (("fahrrad", "rad", "bike"), "bike"),
    (("musik", "cd", "schallplatte", "music", "instrument"), "music"),
    (("schmuck", "uhr", "jewel"), "diamond"),
    (("tasche", "koffer", "bag", "rucksack"), "bag"),
    (("werkzeug", "garten", "tool", "heimwerk"), "hammer"),
]
DEFAULT = "tag"


def pictogram(*names: str | None) -> str:
    """The icon for the first of `names` (e.g. the article's, then its category's path) that has
    a known word in it."""
    for name in names:
        text = (name or "").lower()
        for words, icon in WORDS:
            if any(word in text for word in words):
                return icon
    return DEFAULT
