"""The funders' report as a PDF, in German: key figures against the period before, the charts, the
tables, the ESF+ participant counts and the method. Counts and sums only, no person's name."""

import io
from datetime import date
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from store.core.exports import euro
from store.core.pdf import fonts
from store.network import labels as network_labels
from store.network.models import ExitReason
from store.reports import charts, tables
from store.reports.tables import Minutes, Money

DARK = colors.HexColor("#222222")


def escape_plain(text) -> str:
    return escape(plain(text))


def plain(text) -> str:
    """The PDF's font has no subscript two: CO₂e is written CO2e."""
    return str(text).replace("₂", "2")


def cell_text(value) -> str:
    if isinstance(value, Money):
        return euro(value.cents) + " €"
    if isinstance(value, Minutes):
        return f"{value.minutes // 60}:{value.minutes % 60:02d}"
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if value is None:
        return "–"
    return plain(value)


def drawing(chart: charts.Chart, scale: float = 0.72) -> Drawing:
    """A chart's geometry as a reportlab drawing (y grows upwards there), hatching as lines."""
    regular, _bold = fonts()
    d = Drawing(chart.width * scale, chart.height * scale)

    def y(v: float) -> float:
        return (chart.height - v) * scale

    for bar in chart.bars:
        x0, y0, w, h = bar.x * scale, y(bar.y + bar.h), bar.w * scale, bar.h * scale
        d.add(
            Rect(
                x0,
                y0,
                w,
                h,
                fillColor=colors.white if bar.hatched else DARK,
                strokeColor=DARK,
                strokeWidth=0.6,
            )
        )
        if bar.hatched:  # vertical hatching: the period before, told apart without colour
            k = x0 + 2
            while k < x0 + w:
                d.add(Line(k, y0, k, y0 + h, strokeColor=DARK, strokeWidth=0.3))
                k += 3
    for label in chart.labels:
        d.add(
            String(
                label.x * scale,
                y(label.y),
                plain(label.text),
                fontName=regular,
                fontSize=7,
                textAnchor=label.anchor,
            )
        )
    for x1, y1, x2, y2 in chart.lines:
        d.add(Line(x1 * scale, y(y1), x2 * scale, y(y2), strokeColor=DARK, strokeWidth=0.5))
    return d


LONG_CELL = 30  # characters: a column with longer texts (a source, a note) wraps within the page
PAGE_WIDTH = 178 * mm  # A4 less the margins


def _table(header: list[str], rows: list[list], regular: str, bold: str, widths=None) -> Table:
    data = [[plain(h) for h in header]] + [[cell_text(v) for v in row] for row in rows]
    long = [any(len(str(row[c])) > LONG_CELL for row in data[1:]) for c in range(len(header))]
    if widths is None and any(long):
        # short columns as wide as their longest text, the long ones share the rest and wrap
        widths = [
            None if wide else max(len(str(row[c])) for row in data) * 1.6 * mm + 4 * mm
            for c, wide in enumerate(long)
        ]
        rest = (PAGE_WIDTH - sum(w for w in widths if w)) / sum(long)
        widths = [w or rest for w in widths]
        wrap = ParagraphStyle("cell", fontName=regular, fontSize=7, leading=8.5)
        data = data[:1] + [
            [Paragraph(escape(str(v)), wrap) if long[c] else v for c, v in enumerate(row)]
            for row in data[1:]
        ]
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 8),
                ("FONT", (0, 0), (-1, 0), bold, 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, DARK),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    for c, wide in enumerate(long):
        if wide:
            t.setStyle(TableStyle([("ALIGN", (c, 0), (c, 0), "LEFT")]))  # as its wrapped cells
    return t


def funders_pdf(report) -> bytes:
    with force_locale(current_app.config.get("FUNDERS_LOCALE", "de")):
        return _render(report)


# long function: the report's sections one after the other, in the order the funder reads them
def _render(report) -> bytes:
    regular, bold = fonts()
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3)
    body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11)
    small = ParagraphStyle("small", fontName=regular, fontSize=7, leading=9)
    period, before = report.figures.current.period, report.figures.previous.period
    cfg = current_app.config
    story = [
        Paragraph(escape_plain(_("Report for funders: %(store)s", store=cfg["STORE_NAME"])), h1),
        Paragraph(
            escape(
                _(
                    "Period %(first)s to %(last)s, compared with %(pfirst)s to %(plast)s",
                    first=period.first.strftime("%d.%m.%Y"),
                    last=period.last.strftime("%d.%m.%Y"),
                    pfirst=before.first.strftime("%d.%m.%Y"),
                    plast=before.last.strftime("%d.%m.%Y"),
                )
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(escape_plain(_("Key figures")), h2),
        _table(
            [_("Figure"), _("Period"), _("Period before")],
            tables.key_figures(report),
            regular,
            bold,
            [95 * mm, 35 * mm, 35 * mm],
        ),
        Paragraph(
            escape(_("Legend of the charts: solid bars = period, hatched bars = period before.")), small
        ),
    ]
    views = _charts(report)
    for chart in views:
        story += [KeepTogether([Paragraph(escape_plain(chart.title), h2), drawing(chart)])]
    for name, title in tables.TABLES.items():
        header, rows = tables.table_rows(name, report.figures.current)
        if not rows:
            continue
        story += [
            KeepTogether([Paragraph(escape_plain(str(title)), h2), _table(header, rows, regular, bold)])
        ]
    story += _esf(report, regular, bold, h2, body)
    story += [Paragraph(escape_plain(_("Method")), h2)]
    for heading, text in report.figures.methods:
        story.append(Paragraph(f"<b>{escape(str(heading))}</b>: {escape_plain(str(text))}", small))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=_("Report for funders"),
        author=cfg["STORE_NAME"],
    )
    doc.build(story)
    return out.getvalue()


def _charts(report) -> list[charts.Chart]:
    now, before = report.figures.current, report.figures.previous
    money = lambda cents: euro(int(cents)).split(",")[0] + " €"  # noqa: E731
    prev_cat = {r["key"]: r["gross_cents"] for r in before.by_category}
    prev_kg = {g["key"]: g["kg"] for g in before.impact["groups"]}
    return [
        charts.columns(
            _("Turnover (gross) over time"), [(r["key"], r["gross_cents"]) for r in now.by_day], money
        ),
        charts.paired_bars(
            _("Turnover (gross) by category"),
            [(r["label"], r["gross_cents"], prev_cat.get(r["key"], 0)) for r in now.by_category[:8]],
            money,
        ),
        charts.paired_bars(
            _("kg kept in use by category"),
            [(g["label"], g["kg"], prev_kg.get(g["key"], 0)) for g in now.impact["groups"][:8]],
            lambda kg: f"{kg:.1f} kg".replace(".", ","),
        ),
    ]


def _esf(report, regular: str, bold: str, h2, body) -> list:
    esf = report.esf
    rows = [
        [_("Entries with complete records"), esf.entries],
        [_("Entries not counted (record incomplete)"), esf.incomplete],
        [_("Exits with complete records"), esf.exits],
        [_("Exits not counted (record incomplete)"), esf.exits_not_counted],
    ]
    for code, n in esf.exit_reason.items():
        if n:
            rows.append(
                [_("Exit: %(reason)s", reason=str(network_labels.EXIT_REASONS[ExitReason(code)])), n]
            )
    return [
        Paragraph(escape_plain(_("Participants counted for ESF+")), h2),
        Paragraph(
            escape(_("Only participants whose entry record is complete are counted; no names.")), body
        ),
        _table([_("Figure"), _("Persons")], rows, regular, bold, [120 * mm, 30 * mm]),
    ]
