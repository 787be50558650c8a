"""The JSON interchange file: a lossless round trip, and import errors that name their place."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from maintdesk.records import interchange
from maintdesk.errors import InvalidInput, ValidationError
from maintdesk.records.models import InboundMessage, Notice


UTC = timezone.utc


def a_document() -> dict:
    """A small valid interchange document, written by hand as a user or a script would."""
    return {
        "format": "maintdesk-data",
        "format_version": 2,
        "organization": {"name": "Horizon Gestion", "default_language": "fr"},
        "senders": [{"id": 4, "label": "Paris office", "name": "Horizon Gestion", "window_layout": "nf-z11-001",
                     "signer_name": "Camille Rousseau", "signer_titles": {"fr": "Gestionnaire"}}],
        "properties": [{
            "sender_id": 4,
            "name": "Résidence Les Tilleuls", "address_line1": "14 rue des Tilleuls", "city": "Paris",
            "country": "FR", "jurisdiction": "FR", "timezone": "Europe/Paris",
            "units": [
                {"label": "1A", "floor": 1, "tenants": [
                    {"name": "Léa Lefèvre", "email": "lea@example.org", "channel": "email", "language": "fr"}]},
                {"label": "2A", "floor": 2, "tenants": [{"name": "Noël Garnier", "large_print": True}]},
                {"label": "3A", "floor": 3},
                {"label": "3B", "floor": 3},
            ],
            "work_orders": [{
                "title": {"fr": "Entretien des radiateurs", "en": "Radiator servicing"},
                "window_start": "2026-06-02T06:30:00Z", "window_end": "2026-06-02T15:30:00Z",
                "affected_units": ["1A", "3B"],
                "slots": [{"unit": "1A", "start": "2026-06-02T06:30:00Z", "end": "2026-06-02T07:05:00Z"}],
                "actions": [{"fr": "Dégagez les radiateurs.", "en": "Clear the radiators."}],
            }],
        }],
    }


@pytest.fixture
def empty(store, state_of):
    """An empty target store, and a check that a failed import left it exactly empty."""
    before = state_of(store)
    yield store
    assert store.is_empty()
    assert store.get_organization().name == ""
    assert state_of(store) == before


def test_a_hand_written_document_imports(store):
    counts = interchange.import_data(store, a_document())

    assert counts == {"properties": 1, "units": 4, "tenants": 2, "work_orders": 1, "notices": 0}
    assert store.get_organization().name == "Horizon Gestion"
    [prop] = store.list_properties()
    assert store.sender_of(prop).signer_titles == {"fr": "Gestionnaire"} and store.sender_of(prop).id == 4
    tenants = {row.tenant.name: (row.unit_label, row.tenant) for row in store.list_tenants(prop.id)}
    assert tenants["Noël Garnier"][0] == "2A" and tenants["Noël Garnier"][1].large_print is True
    assert tenants["Léa Lefèvre"][1].channel == "email"
    [work] = store.list_work_orders()
    assert [u.label for u in store.affected_units(work)] == ["1A", "3B"]
    assert [(s.start, s.end) for s in work.slots] == [
        (datetime(2026, 6, 2, 6, 30, tzinfo=UTC), datetime(2026, 6, 2, 7, 5, tzinfo=UTC))]


def test_the_minimal_file_in_docs_data_format_md_imports(store):
    docs = (Path(__file__).resolve().parents[2] / "docs" / "data-format.md").read_text(encoding="utf-8")
    example = docs.split("## A minimal file", 1)[1].split("```json", 1)[1].split("```", 1)[0]

    counts = interchange.import_data(store, json.loads(example))

    assert counts == {"properties": 1, "units": 1, "tenants": 1, "work_orders": 1, "notices": 0}
    [work] = store.list_work_orders()
    assert work.scope == "building" and work.all_units
    assert work.created_at is not None, "created_at defaults to the time of import"


def test_an_offset_is_accepted_on_import_and_stored_in_utc(store):
    doc = a_document()
    doc["properties"][0]["work_orders"][0]["window_start"] = "2026-06-02T08:30:00+02:00"

    interchange.import_data(store, doc)

    [prop] = interchange.export_data(store)["properties"]
    assert prop["work_orders"][0]["window_start"] == "2026-06-02T06:30:00Z"


# The round trip ------------------------------------------------------------------------------

@pytest.fixture
def demo_with_notice(demo_store) -> tuple:
    radiators = next(w for w in demo_store.list_work_orders() if w.slots)
    row = demo_store.list_tenants(radiators.property_id)[0]
    notice = demo_store.add_notice(Notice(
        work_order_id=radiators.id, tenant_id=row.tenant.id, unit_id=row.tenant.unit_id, kind="initial",
        language="fr", channel="email", recipient_name=row.tenant.name, recipient_email=row.tenant.email,
        subject="Travaux : entretien annuel des radiateurs", body_html="<p>Madame, …</p>",
        body_text="Madame, …", pdf_sha256="5e" * 32, state="sent",
        created_at=datetime(2026, 5, 11, 8, 0, tzinfo=UTC), sent_at=datetime(2026, 5, 11, 8, 0, 4, tzinfo=UTC),
        message_id="<initial-1@example.org>",
    ))
    read = datetime(2026, 5, 11, 9, 30, tzinfo=UTC)
    for key, kind, text in (("<dsn-1@mx.example.org>", "bounce", ""),
                            ("<re-1@example.org>", "reply", "Je serai absente le matin ; passez l'après-midi.")):
        demo_store.add_inbound(InboundMessage(
            key, kind, read, folder="INBOX", uidvalidity=7, uid=len(key), notice_id=notice.id,
            tenant_id=row.tenant.id, sender=row.tenant.email, subject=f"Re: {notice.subject}", body_text=text,
            reason="550 5.1.1 mailbox unavailable" if kind == "bounce" else "",
            received_at="Mon, 11 May 2026 09:12:00 +0000", read_at=read if kind == "reply" else None))
    return demo_store, notice


def test_export_import_export_gives_the_same_file(demo_with_notice, open_store, tmp_path):
    source, notice = demo_with_notice
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    interchange.export_to_file(source, first)

    copy_store = open_store(tmp_path / "copy.sqlite")
    counts = interchange.import_from_file(copy_store, first)
    interchange.export_to_file(copy_store, second)

    assert counts == source.counts()
    assert second.read_bytes() == first.read_bytes()
    assert copy_store.get_notice(notice.id) == notice
    assert copy_store.list_tenants() == source.list_tenants()
    assert [m.kind for m in copy_store.list_inbound()] == ["bounce", "reply"]
    assert copy_store.list_inbound() == source.list_inbound()  # the bounce and the reply, read or not

    def comparable(works):
        return [replace(w, slots=[replace(s, id=None) for s in w.slots],
                        actions=[replace(a, id=None) for a in w.actions]) for w in works]

    assert comparable(copy_store.list_work_orders()) == comparable(source.list_work_orders())


def test_the_exported_file_holds_the_demo_buildings_work_and_notices(demo_with_notice, tmp_path):
    source, notice = demo_with_notice
    path = tmp_path / "export.json"
    interchange.export_to_file(source, path)

    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert "Résidence Les Tilleuls" in text, "accents are written as typed, not as \\u escapes"
    assert (data["format"], data["format_version"]) == ("maintdesk-data", 4)
    senders = {s["id"]: s["label"] for s in data["senders"]}
    assert {p["city"]: senders[p["sender_id"]] for p in data["properties"]} == {
        "Paris": "Paris office", "Toronto": "Toronto office"}
    places = {(p["city"], p["timezone"]) for p in data["properties"]}
    assert {("Paris", "Europe/Paris"), ("Toronto", "America/Toronto")} <= places
    assert sum(len(p["work_orders"]) for p in data["properties"]) == 3
    assert sum(len(u["tenants"]) for p in data["properties"] for u in p["units"]) == source.counts()["tenants"]
    [exported] = data["notices"]
    assert (exported["subject"], exported["state"], exported["sent_at"]) == (
        notice.subject, "sent", "2026-05-11T08:00:04Z")


def test_a_version_1_file_s_letterhead_becomes_the_first_sender_of_every_building(store):
    doc = a_document()
    doc["format_version"] = 1
    del doc["senders"], doc["properties"][0]["sender_id"]
    doc["organization"].update({"address": "8 boulevard Voltaire\n75011 Paris", "phone": "+33140213500",
                                "paper_size": "Letter", "sender_name": "Camille Rousseau",
                                "sender_title": "Gestionnaire", "sender_email": "notices@example.org"})
    interchange.import_data(store, doc)

    [prop] = store.list_properties()
    sender = store.sender_of(prop)
    assert (sender.label, sender.address, sender.window_layout, sender.signer_name, sender.signer_titles,
            sender.email_from) == ("Horizon Gestion", "8 boulevard Voltaire\n75011 Paris", "us-10",
                                   "Camille Rousseau", {"fr": "Gestionnaire"}, "notices@example.org")
    assert prop.sender_id == sender.id and store.get_organization().default_language == "fr"


def test_a_property_naming_a_sender_the_file_lacks_is_refused_by_place(empty):
    doc = a_document()
    doc["properties"][0]["sender_id"] = 9
    with pytest.raises(ValidationError) as caught:
        interchange.import_data(empty, doc)
    assert str(caught.value.problems[0]) == "properties[0].sender_id: there is no sender with id 9"


# Import errors -------------------------------------------------------------------------------

def _units(doc):
    return doc["properties"][0]["units"]


def _work(doc):
    return doc["properties"][0]["work_orders"][0]


def dup_label(doc):
    _units(doc)[2]["label"] = "3b"


def unknown_field(doc):
    _units(doc)[1]["colour"] = "blue"


def missing_city(doc):
    del doc["properties"][0]["city"]


def bad_date(doc):
    _work(doc)["window_start"] = "2026-06-31T06:30:00Z"


def naive_date(doc):
    _work(doc)["slots"][0]["end"] = "2026-06-02T09:05:00"


def unknown_slot_unit(doc):
    _work(doc)["slots"][0]["unit"] = "9Z"


def unknown_affected_unit(doc):
    _work(doc)["affected_units"] = ["1A", "4C"]


def bad_email(doc):
    _units(doc)[0]["tenants"][0]["email"] = "lea@"


def slot_outside_window(doc):
    _work(doc)["slots"][0] = {"unit": "1A", "start": "2026-06-03T06:30:00Z", "end": "2026-06-03T07:00:00Z"}


def floor_as_text(doc):
    _units(doc)[0]["floor"] = "first"


def flag_as_text(doc):
    _units(doc)[1]["tenants"][0]["large_print"] = "yes"


def wrong_format(doc):
    doc["format"] = "maintdesk-backup"


def unknown_top_level(doc):
    doc["tenants"] = []


def reply_to_no_notice(doc):
    doc["inbound_messages"] = [{"message_key": "<re-9@example.org>", "kind": "reply",
                                "recorded_at": "2026-06-01T08:00:00Z", "notice_id": 99}]


def unknown_inbound_kind(doc):
    doc["inbound_messages"] = [{"message_key": "<x@example.org>", "kind": "spam", "recorded_at": "2026-06-01T08:00:00Z"}]


def twice_the_same_message(doc):
    message = {"message_key": "<x@example.org>", "kind": "other", "recorded_at": "2026-06-01T08:00:00Z"}
    doc["inbound_messages"] = [message, dict(message)]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (dup_label, 'properties[0].units[3].label: duplicate "3B"'),
        (unknown_field, "properties[0].units[1].colour: unknown field"),
        (missing_city, "properties[0].city: is required"),
        (bad_date, 'properties[0].work_orders[0].window_start: "2026-06-31T06:30:00Z" is not an ISO 8601 '
                   "date-time with a time zone"),
        (naive_date, 'properties[0].work_orders[0].slots[0].end: "2026-06-02T09:05:00" is not an ISO 8601'),
        (unknown_slot_unit, 'properties[0].work_orders[0].slots[0].unit: no unit "9Z" in this property'),
        (unknown_affected_unit, 'properties[0].work_orders[0].affected_units[1]: no unit "4C" in this property'),
        (bad_email, 'properties[0].units[0].tenants[0].email: not a valid email address: "lea@"'),
        (slot_outside_window, "properties[0].work_orders[0].slots[0]: must lie inside the work window"),
        (floor_as_text, "properties[0].units[0].floor: must be a whole number"),
        (flag_as_text, "properties[0].units[1].tenants[0].large_print: must be true or false"),
        (wrong_format, 'format: must be "maintdesk-data"'),
        (unknown_top_level, "tenants: unknown field"),
        (reply_to_no_notice, "inbound_messages[0].notice_id: no notice 99 in notices[]"),
        (unknown_inbound_kind, "inbound_messages[0].kind: must be one of bounce, delay, reply"),
        (twice_the_same_message, "inbound_messages[1].message_key: duplicate '<x@example.org>'"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_an_import_error_names_its_place_and_imports_nothing(empty, damage, message):
    doc = a_document()
    damage(doc)

    with pytest.raises(ValidationError) as refused:
        interchange.import_data(empty, doc)

    assert refused.value.summary.startswith(message), refused.value.summary


def test_invalid_json_names_the_line_and_column(empty, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "maintdesk-data",\n  "format_version": 1,\n  "properties": [\n'
                    '    {"name": "Les Tilleuls",}\n  ]\n}\n', encoding="utf-8")

    with pytest.raises(InvalidInput) as refused:
        interchange.import_from_file(empty, path)

    assert refused.value.summary == (
        f"{path} is not valid JSON: Expecting property name enclosed in double quotes at line 5, column 29")


def test_a_file_that_is_not_utf8_is_refused(empty, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(a_document(), ensure_ascii=False).encode("latin-1"))

    with pytest.raises(InvalidInput, match="is not UTF-8 text"):
        interchange.import_from_file(empty, path)


def test_a_missing_file_is_refused(empty, tmp_path):
    with pytest.raises(InvalidInput, match="no such file: .*nothing.json"):
        interchange.import_from_file(empty, tmp_path / "nothing.json")


def test_importing_into_a_database_that_holds_records_is_refused(demo_store, state_of):
    before = state_of(demo_store)

    with pytest.raises(InvalidInput) as refused:
        interchange.import_data(demo_store, a_document())

    assert refused.value.summary.startswith("the database already holds records (2 properties, 0 notices)")
    assert "--db NEW.sqlite" in refused.value.summary
    assert state_of(demo_store) == before


# Ids in a hand-written file ------------------------------------------------------------------

def twice_the_same_tenant_id(doc):
    _units(doc)[0]["tenants"][0]["id"] = 7
    _units(doc)[1]["tenants"][0]["id"] = 7
    return "properties[0].units[1].tenants[0].id"


def twice_the_same_unit_id(doc):
    _units(doc)[0]["id"] = 1
    _units(doc)[1]["id"] = 1
    return "properties[0].units[1].id"


def twice_the_same_notice_id(doc):
    notice = {"id": 5, "work_order_id": 1, "kind": "initial", "language": "fr", "channel": "print",
              "recipient_name": "Léa Lefèvre", "subject": "Travaux", "created_at": "2026-05-11T08:00:00Z"}
    doc["notices"] = [notice, {**notice, "recipient_name": "Noël Garnier"}]
    return "notices[1].id"


@pytest.mark.parametrize("damage", [twice_the_same_tenant_id, twice_the_same_unit_id, twice_the_same_notice_id],
                         ids=lambda f: f.__name__)
def test_a_repeated_id_is_an_error_not_a_silent_overwrite(store, damage):
    """Two records with one id must not merge into one: the import must name the second one.
    (Today a second tenant or unit silently takes over the first one's row, so a record is lost;
    a second notice hits the archive trigger and escapes as a raw sqlite3.IntegrityError.)"""
    doc = a_document()
    where = damage(doc)

    with pytest.raises(InvalidInput) as refused:
        interchange.import_data(store, copy.deepcopy(doc))

    assert refused.value.summary.startswith(f"{where}:"), refused.value.summary
    assert store.is_empty()


def test_a_notice_naming_an_unknown_tenant_is_an_import_error(store):
    doc = a_document()
    doc["notices"] = [{
        "work_order_id": 1, "tenant_id": 999, "kind": "initial", "language": "fr", "channel": "print",
        "recipient_name": "Léa Lefèvre", "subject": "Travaux", "created_at": "2026-05-11T08:00:00Z",
    }]

    with pytest.raises(InvalidInput) as refused:  # not a raw sqlite3.IntegrityError
        interchange.import_data(store, doc)

    assert refused.value.summary.startswith("notices[0].tenant_id:"), refused.value.summary
    assert store.is_empty()


def test_work_terms_and_accepted_findings_survive_the_round_trip(tmp_path):
    from maintdesk.records.demo import create_demo
    from maintdesk.records.interchange import export_to_file, import_from_file
    from maintdesk.records.store import Store
    from maintdesk.records.terms import FindingOverride

    source = Store.open(tmp_path / "source.sqlite")
    create_demo(source, today=date(2026, 5, 11))
    terms = source.get_work_terms(1)
    terms.print_delivery, terms.vacate_days, terms.breaks = "registered", 2, ["12:30-13:15"]
    source.save_work_terms(terms)
    source.add_finding_override(FindingOverride(1, "FR/notification/method", "Tenants signed for the letter",
                                                "Camille Rousseau"))
    taken_back = source.add_finding_override(FindingOverride(1, "FR/off-days/days", "Saturday agreed", "Camille"))
    source.withdraw_finding_override(taken_back.id, "Hélène", "Two tenants said no")
    first = tmp_path / "first.json"
    export_to_file(source, first)
    copy = Store.open(tmp_path / "copy.sqlite")
    import_from_file(copy, first)
    again = tmp_path / "again.json"
    export_to_file(copy, again)
    assert first.read_bytes() == again.read_bytes()
    assert copy.get_work_terms(1).print_delivery == "registered"
    assert copy.get_work_terms(1).breaks == ["12:30-13:15"]
    override, withdrawn = copy.list_finding_overrides(1)
    assert (override.reason, override.decided_by, override.in_force) == (
        "Tenants signed for the letter", "Camille Rousseau", True)
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_reason, withdrawn.in_force) == (
        "Hélène", "Two tenants said no", False)
    assert '"withdrawn_reason": "Two tenants said no"' in first.read_text(encoding="utf-8")
    source.close()
    copy.close()
