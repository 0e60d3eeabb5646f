"""The default catalogue of a social department store, in German (data, not interface text).

The migration that creates the skill tables seeds it; coordinators edit it afterwards. Level 1 is
the first step, level 4 means the person can do it alone and show others.
"""

WORK = "work"
KEY = "key"

GROUPS = [
    (WORK, "Arbeitsfertigkeiten", 1),
    (KEY, "Schlüsselkompetenzen", 2),
]

# group, name, descriptors for levels 1–4
SKILLS = [
    (
        WORK,
        "Kasse bedienen",
        [
            "Schaut an der Kasse zu und hilft beim Einpacken.",
            "Kassiert einfache Verkäufe mit Hilfe.",
            "Kassiert selbstständig, auch Rückgaben und Kartenzahlung.",
            "Macht den Kassenabschluss und zeigt es anderen.",
        ],
    ),
    (
        WORK,
        "Warenannahme und Preisauszeichnung",
        [
            "Nimmt Spenden an und sortiert grob vor.",
            "Zeichnet Preise mit Hilfe aus.",
            "Prüft Ware und zeichnet Preise selbstständig aus.",
            "Schätzt auch schwierige Ware richtig ein und leitet an.",
        ],
    ),
    (
        WORK,
        "Sortieren und Warenpräsentation",
        [
            "Räumt Ware nach Anleitung ein.",
            "Sortiert Ware nach Art und Größe.",
            "Gestaltet Regale und Ständer ordentlich und ansprechend.",
            "Plant die Präsentation einer Abteilung und leitet an.",
        ],
    ),
    (
        WORK,
        "Kundenberatung",
        [
            "Grüßt Kundinnen und Kunden und holt bei Fragen Hilfe.",
            "Zeigt, wo Ware zu finden ist.",
            "Berät freundlich und findet passende Ware.",
            "Berät auch in schwierigen Gesprächen sicher.",
        ],
    ),
    (
        WORK,
        "Lager und Logistik",
        [
            "Trägt Ware nach Anleitung ins Lager.",
            "Lagert Ware am richtigen Platz ein.",
            "Hält das Lager selbstständig in Ordnung.",
            "Plant Lagerplatz und Nachschub und leitet an.",
        ],
    ),
    (
        WORK,
        "Möbeltransport",
        [
            "Hilft beim Tragen unter Anleitung.",
            "Trägt und sichert Möbel mit Hilfe richtig.",
            "Plant und erledigt einfache Transporte selbstständig.",
            "Leitet ein Transportteam sicher an.",
        ],
    ),
    (
        WORK,
        "Hygiene und Arbeitssicherheit",
        [
            "Kennt die wichtigsten Regeln, wenn man daran erinnert.",
            "Hält die Regeln meistens von selbst ein.",
            "Hält die Regeln immer ein und erkennt Gefahren.",
            "Achtet auch bei anderen auf Sicherheit und erklärt die Regeln.",
        ],
    ),
    (
        KEY,
        "Pünktlichkeit",
        [
            "Kommt oft zu spät.",
            "Kommt meistens pünktlich.",
            "Kommt pünktlich und meldet sich rechtzeitig ab.",
            "Ist immer pünktlich und verlässlich erreichbar.",
        ],
    ),
    (
        KEY,
        "Zuverlässigkeit",
        [
            "Erledigt Aufgaben nur mit Erinnerung.",
            "Erledigt die meisten Aufgaben wie vereinbart.",
            "Erledigt Aufgaben wie vereinbart.",
            "Übernimmt Verantwortung, man kann sich ganz auf sie/ihn verlassen.",
        ],
    ),
    (
        KEY,
        "Teamarbeit",
        [
            "Arbeitet lieber allein.",
            "Arbeitet mit anderen zusammen, wenn man sie/ihn bittet.",
            "Hilft anderen und spricht sich im Team ab.",
            "Bringt das Team voran und unterstützt Neue.",
        ],
    ),
    (
        KEY,
        "Kommunikation auf Deutsch",
        [
            "Versteht einfache Anweisungen mit Gesten.",
            "Versteht Anweisungen und antwortet in kurzen Sätzen.",
            "Spricht mit Kundschaft und Team in einfachen Gesprächen.",
            "Spricht sicher, auch am Telefon und bei Problemen.",
        ],
    ),
    (
        KEY,
        "Selbstständigkeit",
        [
            "Braucht für jeden Schritt Anleitung.",
            "Arbeitet nach einer Einweisung eine Zeit lang allein.",
            "Sieht selbst, was zu tun ist.",
            "Organisiert die eigene Arbeit und die von anderen.",
        ],
    ),
    (
        KEY,
        "Umgang mit Kritik",
        [
            "Fühlt sich durch Kritik schnell angegriffen.",
            "Hört Kritik an.",
            "Nimmt Kritik an und ändert etwas.",
            "Fragt selbst nach Rückmeldung und gibt faire Rückmeldung.",
        ],
    ),
]
