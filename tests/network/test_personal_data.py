"""Each area declares what it holds about a person (store.core.personal_data); the network only
collects: the Art. 15 document lists every section in the documented order, and the retention run
calls every area's anonymiser."""

import json
from datetime import UTC, date, datetime

from store.core import personal_data
from store.core.audit import Actor
from store.network import exports, retention
from store.network.personal_data import SECTION_ORDER

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_every_registered_section_has_its_place_in_the_document(app):
    names = [s.name for s in personal_data.sections(SECTION_ORDER)]
    assert names == list(SECTION_ORDER)


def test_the_document_follows_the_documented_order(app, net):
    data = exports.person_data(net.olena, now=NOW)
    assert list(data) == ["generated_at", "controller", *SECTION_ORDER, "audit"]
    assert data["generated_at"] == NOW


def test_a_new_section_is_collected_and_anonymised(app, net, monkeypatch):
    """A section nobody placed yet still goes into the document (after the placed ones), the log
    entries about its rows come with it, and the retention run calls its anonymiser."""
    anonymised = []
    section = personal_data.Section(
        "zz_borrowed_tools",
        export=lambda user, now: [{"id": user.id, "tool": "drill"}],
        anonymise=lambda user, actor, now: anonymised.append((user.id, now)),
        audit_type="user",
    )
    monkeypatch.setitem(personal_data._SECTIONS, section.name, section)
    data = exports.person_data(net.olena, now=NOW)
    assert list(data)[-2:] == ["zz_borrowed_tools", "audit"]
    assert data["zz_borrowed_tools"] == [{"id": net.olena.id, "tool": "drill"}]
    json.dumps(data, default=str)
    retention.anonymise(Actor.system(), net.olena, now=NOW)
    assert anonymised == [(net.olena.id, NOW)]


def test_exported_ids_and_who():
    assert personal_data.exported_ids({"id": 3, "x": 1}) == [3]
    assert personal_data.exported_ids([{"id": 1}, {"id": 2}, {"x": 0}]) == [1, 2]
    assert personal_data.exported_ids(None) == []
    assert personal_data.exported_ids(date(2026, 1, 1)) == []


def test_who_names_staff_but_never_another_participant(app, net):
    assert personal_data.who(None, net.olena.id) is None
    assert personal_data.who(net.olena, net.olena.id) == "self"
    assert personal_data.who(net.supervisor, net.olena.id) == net.supervisor.short_name
    assert personal_data.who(net.ahmad, net.olena.id) is None


def test_the_export_forms_offer_the_last_full_months():
    assert exports.default_hours_month(date(2026, 11, 20)) == date(2026, 10, 1)
    assert exports.default_hours_month(date(2027, 1, 1)) == date(2026, 12, 1)
    assert exports.default_evaluation_period(date(2026, 11, 20)) == (
        date(2025, 11, 1),
        date(2026, 10, 31),
    )
    assert exports.default_evaluation_period(date(2027, 1, 15)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert exports.default_evaluation_period(date(2026, 3, 31)) == (date(2025, 3, 1), date(2026, 2, 28))
    assert exports.esf_year(None, date(2026, 5, 1)) == 2026
    assert exports.esf_year(2024, date(2026, 5, 1)) == 2024
