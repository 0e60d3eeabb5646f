"""The one-page skills report (Kompetenznachweis) of a participant, as PDF: each skill's current
level in words with a small chart of its levels over time, the evidence from the work, the goals."""

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from store.auth.models import User
from store.core.i18n import local_date, money
from store.core.pdf import fonts
from store.core.timeutil import local_today
from store.shifts.services import hours_plain
from store.skills import services
from store.skills.chart import step_chart, time_axis

CHART_W, CHART_H = 34 * mm, 8 * mm
LINE = colors.HexColor("#1f5f8b")


def _chart(states_points, first, last, goal) -> Drawing:
    chart = step_chart(states_points, first, last, goal=goal, width=int(CHART_W), height=int(CHART_H))
    drawing = Drawing(CHART_W, CHART_H)
    for y, _level in chart.grid:
        drawing.add(
            Line(0, CHART_H - y, CHART_W, CHART_H - y, strokeColor=colors.lightgrey, strokeWidth=0.3)
        )
    if chart.goal_y is not None:
        drawing.add(
            Line(
                0,
                CHART_H - chart.goal_y,
                CHART_W,
                CHART_H - chart.goal_y,
                strokeColor=colors.orange,
                strokeWidth=0.6,
                strokeDashArray=[2, 1],
            )
        )
    if chart.dots:
        coords = []
        for n, (x, y, _level) in enumerate(chart.dots):
            if n:
                coords += [x, CHART_H - chart.dots[n - 1][1]]
            coords += [x, CHART_H - y]
        coords += [CHART_W - 4, CHART_H - chart.dots[-1][1]]
        drawing.add(PolyLine(coords, strokeColor=LINE, strokeWidth=1.2))
        for x, y, _level in chart.dots:
            drawing.add(Circle(x, CHART_H - y, 1.3, fillColor=LINE, strokeColor=LINE))
    return drawing


@dataclass(frozen=True)
class Styles:
    """The fonts and paragraph styles of the report."""

    small: ParagraphStyle
    body: ParagraphStyle
    strong: ParagraphStyle
    head: ParagraphStyle
    sub: ParagraphStyle

    @classmethod
    def make(cls) -> "Styles":
        regular, bold = fonts()
        return cls(
            small=ParagraphStyle("small", fontName=regular, fontSize=7, leading=8.5),
            body=ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=10.5),
            strong=ParagraphStyle("strong", fontName=bold, fontSize=8.5, leading=10.5),
            head=ParagraphStyle("head", fontName=bold, fontSize=15, leading=18),
            sub=ParagraphStyle("sub", fontName=bold, fontSize=10, leading=13, spaceBefore=4),
        )

    def p(self, text, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(str(text)), style or self.body)


def skills_report(participant: User) -> bytes:
    """One page: each skill's level in words with its chart, the evidence from the work, the goals."""
    st = Styles.make()
    today = local_today()
    states = services.skill_states(participant.id)
    first, last = time_axis([pt.day for s in states for pt in s.history], today)
    config = current_app.config
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Skills report"),
        author=config["STORE_NAME"],
    )
    story = [
        st.p(_("Skills report"), st.head),
        st.p(f"{participant.display_name} · {config['STORE_NAME']}", st.strong),
        st.p(
            _("Period: %(first)s to %(last)s", first=local_date(first), last=local_date(last)), st.small
        ),
        Spacer(1, 3 * mm),
        _skills_table(st, states, first, last),
        Spacer(1, 3 * mm),
        st.p(_("Evidence from the work"), st.sub),
        _evidence_table(st, services.evidence(participant.id, today=today)),
        *_goals(st, participant),
        Spacer(1, 8 * mm),
        st.p(_("Created on %(day)s", day=local_date(today)), st.small),
        st.p(
            _("Levels: 1 = first steps, 2 = with help, 3 = on one's own, 4 = can show others."),
            st.small,
        ),
    ]
    doc.build(story)
    return out.getvalue()


def _skills_table(st: Styles, states: list, first: date, last: date) -> Table:
    """The skills by group: level, what it means, and the chart over time."""
    p = st.p
    rows = [
        [
            p(_("Skill"), st.strong),
            p(_("Level"), st.strong),
            p(_("What it means"), st.strong),
            p(_("Over time"), st.strong),
        ]
    ]
    group_rows = []
    for group in services.groups():
        group_rows.append(len(rows))
        rows.append([p(group.name, st.strong), "", "", ""])
        for state in (s for s in states if s.skill.group_id == group.id):
            level = f"{state.level} / 4" if state.level else "–"
            words = state.words or _("not assessed yet")
            if state.current and state.current.note:
                words += f" ({state.current.note})"
            rows.append(
                [
                    p(state.skill.name),
                    p(level),
                    p(words, st.small),
                    _chart(state.history, first, last, state.goal.target_level if state.goal else None),
                ]
            )
    table = Table(rows, colWidths=[50 * mm, 15 * mm, 79 * mm, 36 * mm], repeatRows=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for index in group_rows:
        style += [
            ("SPAN", (0, index), (-1, index)),
            ("BACKGROUND", (0, index), (-1, index), colors.HexColor("#eef3f7")),
        ]
    table.setStyle(TableStyle(style))
    return table


def _evidence_table(st: Styles, evidence: services.Evidence) -> Table:
    """The figures from the bookings, in two columns."""
    p = st.p
    facts = [(_("Hours worked"), hours_plain(evidence.total_minutes))]
    for station, minutes in evidence.minutes_by_station.items():
        facts.append(("– " + (station or _("no planned station")), hours_plain(minutes)))
    facts += [
        (_("Sales handled"), str(evidence.sales)),
        (_("Voids"), str(evidence.voids)),
        (_("Items taken in"), str(evidence.items_taken_in)),
        (
            _("Till closings (with a difference)"),
            f"{evidence.closings} ({evidence.closings_with_difference})",
        ),
        (_("Till differences in total"), money(evidence.difference_cents)),
    ]
    half = (len(facts) + 1) // 2
    left, right = facts[:half], facts[half:] + [("", "")] * (2 * half - len(facts))
    facts_table = Table(
        [[p(a), p(b), p(c), p(d)] for (a, b), (c, d) in zip(left, right, strict=True)],
        colWidths=[55 * mm, 25 * mm, 60 * mm, 30 * mm],
        hAlign="LEFT",
    )
    facts_table.setStyle(
        TableStyle([("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)])
    )
    return facts_table


def _goals(st: Styles, participant: User) -> list:
    """The open goals, each with its level and date."""
    goals = services.open_goals(participant.id)
    found = [st.p(_("Goals"), st.sub)]
    for goal in goals:
        found.append(
            st.p(
                _(
                    "%(skill)s: level %(level)s by %(day)s",
                    skill=goal.skill.name,
                    level=goal.target_level,
                    day=local_date(goal.due_on),
                )
            )
        )
    if not goals:
        found.append(st.p(_("No open goals."), st.small))
    return found
