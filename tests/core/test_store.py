"""Reading and writing records: round trips, updates, deletes, the notice archive, transactions."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from maintdesk.errors import ConflictError, NotFound, ValidationError
from maintdesk.records.migrations import NOTICE_CONTENT_COLUMNS
from maintdesk.records.models import ActionItem, Notice, Organization, SenderProfile, Slot, Tenant, Unit, WorkOrder

UTC = timezone.utc
START = datetime(2026, 6, 2, 6, 30, tzinfo=UTC)  # 08:30 in Paris


def a_work_order(building, **changes) -> WorkOrder:
    """Radiator servicing in 1A and 2B only, two slots (given out of order), three actions."""
    work = WorkOrder(
        property_id=building.id,
        title={"fr": "Entretien des radiateurs", "en": "Radiator servicing"},
        window_start=START, window_end=START + timedelta(hours=9),
        category="heating", scope="units", status="scheduled", emergency=False,
        description={"fr": "Purge et contrôle.", "en": "Bleeding and checks."},
        reason={"en": "Yearly servicing."}, impact={"en": "Heating off for 35 minutes."},
        alternatives={"en": "None needed."}, access_conditions={"fr": "Soyez présent."},
        updates_info={"en": "Posted in the hall."},
        contractor="Thermo Services", contact_name="Camille Rousseau", contact_phone="+33143551234",
        contact_email="tilleuls@example.org", internal_notes="Quote TS-2291",
        all_units=False, affected_unit_ids=[building.unit_id("2B"), building.unit_id("1A")],
        slots=[
            Slot(building.unit_id("2B"), START + timedelta(minutes=40), START + timedelta(minutes=75)),
            Slot(building.unit_id("1A"), START, START + timedelta(minutes=35)),
        ],
        actions=[
            ActionItem({"fr": "Dégagez les radiateurs.", "en": "Clear the radiators."}),
            ActionItem({"fr": "Soyez présent.", "en": "Be at home."}),
            ActionItem({"en": "Tell us about pets."}),
        ],
    )
    return replace(work, **changes)


def a_notice(work_id: int, tenant: Tenant | None = None, **changes) -> Notice:
    notice = Notice(
        work_order_id=work_id, kind="initial", language="fr", channel="email",
        recipient_name=tenant.name if tenant else "Léa Lefèvre",
        recipient_email=tenant.email if tenant else "lea@example.org",
        subject="Travaux : entretien des radiateurs le 2 juin",
        body_html="<p>Madame,</p>", body_text="Madame,", pdf_path="notices/1.pdf",
        pdf_sha256="ab" * 32, tenant_id=tenant.id if tenant else None, unit_id=tenant.unit_id if tenant else None,
        created_at=datetime(2026, 5, 20, 9, 0, tzinfo=UTC), batch_id="batch-1",
    )
    return replace(notice, **changes)


@pytest.fixture
def lea(store, paris) -> Tenant:
    return store.save_tenant(Tenant(paris.unit_id("1A"), "Léa Lefèvre", salutation="Mme",
                                    email="lea@example.org", language="fr", channel="email"))


# Round trips ---------------------------------------------------------------------------------

def test_organization_and_senders_round_trip(store, open_store, db_path):
    org = Organization(name="Horizon Gestion", default_language="de")
    store.save_organization(org)
    paris = store.save_sender(SenderProfile(
        label="Paris office", name="Horizon Gestion", address="8 boulevard Voltaire\n75011 Paris", phone="+33140213500",
        email="office@example.org", website="https://www.example.org", logo_path="/srv/logo.png",
        window_layout="nf-z11-001", default_language="fr", time_format="24h", signer_name="Camille Rousseau",
        signer_titles={"fr": "Gestionnaire", "es": "Administradora"}, email_from="notices@example.org",
        reply_to="office@example.org",
    ))
    toronto = store.save_sender(SenderProfile(label="Toronto office", window_layout="canada"))
    store.close()
    again = open_store(db_path)
    assert again.get_organization() == org
    assert again.list_senders() == [paris, toronto]
    assert (paris.paper_size, toronto.paper_size) == ("A4", "Letter")


def test_a_sender_is_checked_and_kept_while_a_building_uses_it(store, paris):
    with pytest.raises(ValidationError) as caught:
        store.save_sender(SenderProfile(label=" ", window_layout="din-5008", phone="01 40 21 35 00",
                                        signer_titles={"it": "Amministratore"}, email_from="not an address"))
    assert {p.field for p in caught.value.problems} == {"label", "window_layout", "phone", "signer_titles.it", "email_from"}
    office = store.save_sender(SenderProfile(label="Paris office"))
    with pytest.raises(ValidationError, match="another sender has this name"):
        store.save_sender(SenderProfile(label="paris OFFICE"))
    with pytest.raises(ValidationError, match="no sender with id 99"):
        store.save_property(replace(paris.prop, sender_id=99))
    store.save_property(replace(paris.prop, sender_id=office.id))
    with pytest.raises(ConflictError, match="Résidence Les Tilleuls uses it"):
        store.delete_sender(office.id)
    assert store.sender_of(store.get_property(paris.prop.id)) == office


def test_property_and_units_round_trip(store, paris, open_store, db_path):
    store.save_unit(Unit(paris.id, "Loge", None, notes="Gardienne"))
    store.close()
    reopened = open_store(db_path)
    assert reopened.get_property(paris.id) == paris.prop
    assert reopened.list_properties() == [paris.prop]
    assert [(u.label, u.floor, u.notes) for u in reopened.list_units(paris.id)] == [
        ("1A", 1, ""), ("1B", 1, ""), ("2A", 2, ""), ("2B", 2, ""), ("3A", 3, ""), ("3B", 3, ""),
        ("Loge", None, "Gardienne")]
    assert reopened.get_unit(paris.unit_id("2B")) == paris.units["2B"]


def test_tenant_round_trip(store, paris, open_store, db_path):
    tenant = store.save_tenant(Tenant(
        paris.unit_id("2A"), "Noël Garnier", salutation="M.", email="noel@example.org", phone="+33612345678",
        language="fr", channel="both", mailing_address="BP 1204\n75521 Paris Cedex 11", active=False,
        large_print=True, access_notes="Malvoyant : gros caractères",
    ))
    store.close()
    assert open_store(db_path).get_tenant(tenant.id) == tenant


def test_work_order_round_trip_keeps_slots_actions_and_affected_units(store, paris, open_store, db_path):
    saved = store.save_work_order(a_work_order(paris))
    store.close()

    reopened = open_store(db_path)
    work = reopened.get_work_order(saved.id)

    assert work == saved
    assert work.title == {"fr": "Entretien des radiateurs", "en": "Radiator servicing"}
    assert (work.window_start, work.window_end) == (START, START + timedelta(hours=9))
    assert work.all_units is False
    assert work.affected_unit_ids == sorted([paris.unit_id("1A"), paris.unit_id("2B")])
    assert [(s.unit_id, s.start, s.end) for s in work.slots] == [
        (paris.unit_id("1A"), START, START + timedelta(minutes=35)),
        (paris.unit_id("2B"), START + timedelta(minutes=40), START + timedelta(minutes=75)),
    ], "slots come back in time order"
    assert [a.text for a in work.actions] == [
        {"fr": "Dégagez les radiateurs.", "en": "Clear the radiators."},
        {"fr": "Soyez présent.", "en": "Be at home."},
        {"en": "Tell us about pets."},
    ], "actions keep the order they were given in"
    assert work.contact_phone == "+33143551234" and work.internal_notes == "Quote TS-2291"
    assert work.created_at is not None and work.created_at.tzinfo is not None
    assert [u.label for u in reopened.affected_units(work)] == ["1A", "2B"]


def test_notice_round_trip(store, paris, lea, open_store, db_path):
    work = store.save_work_order(a_work_order(paris))
    notice = store.add_notice(a_notice(work.id, lea, state="sent", message_id="<n1@example.org>",
                                       sent_at=datetime(2026, 5, 20, 9, 0, 5, tzinfo=UTC)))
    store.close()
    reopened = open_store(db_path)
    assert reopened.get_notice(notice.id) == notice
    assert reopened.list_notices(work.id) == [notice]


# Updates -------------------------------------------------------------------------------------

def test_saving_with_an_id_updates_in_place(store, paris, lea):
    changed = store.save_tenant(replace(lea, name="Léa Martin", email="lea.martin@example.org", large_print=True))
    unit = store.save_unit(replace(paris.units["3B"], label="3 bis", notes="Duplex"))
    prop = store.save_property(replace(paris.prop, name="Les Tilleuls (bât. A)"))

    assert changed.id == lea.id
    assert store.get_tenant(lea.id) == changed
    assert [row.tenant for row in store.list_tenants()] == [changed]
    assert store.get_unit(unit.id).label == "3 bis"
    assert len(store.list_units(paris.id)) == 6
    assert [p.name for p in store.list_properties()] == ["Les Tilleuls (bât. A)"]
    assert prop.id == paris.id


def test_updating_a_work_order_replaces_its_slots_actions_and_units(store, paris):
    saved = store.save_work_order(a_work_order(paris))
    updated = store.save_work_order(replace(
        saved,
        affected_unit_ids=[paris.unit_id("3A")],
        slots=[Slot(paris.unit_id("3A"), START + timedelta(hours=2), START + timedelta(hours=3))],
        actions=[saved.actions[2], saved.actions[0]],
        status="postponed",
    ))

    work = store.get_work_order(saved.id)
    assert work == updated
    assert len(store.list_work_orders()) == 1
    assert work.affected_unit_ids == [paris.unit_id("3A")]
    assert [(s.unit_id, s.start) for s in work.slots] == [(paris.unit_id("3A"), START + timedelta(hours=2))]
    assert [a.text.get("en") for a in work.actions] == ["Tell us about pets.", "Clear the radiators."]
    assert work.status == "postponed" and work.created_at == saved.created_at


def test_list_tenants_filters_by_property(store, paris, toronto):
    store.add_tenants([
        Tenant(paris.unit_id("1A"), "Léa Lefèvre"),
        Tenant(paris.unit_id("2B"), "Zoé Núñez"),
        Tenant(toronto.unit_id("101"), "Priya Raghunathan"),
    ])

    in_paris = store.list_tenants(paris.id)
    in_toronto = store.list_tenants(toronto.id)

    assert [(r.tenant.name, r.unit_label, r.property_name) for r in in_paris] == [
        ("Léa Lefèvre", "1A", "Résidence Les Tilleuls"), ("Zoé Núñez", "2B", "Résidence Les Tilleuls")]
    assert [(r.tenant.name, r.unit_label, r.property_id) for r in in_toronto] == [
        ("Priya Raghunathan", "101", toronto.id)]
    assert len(store.list_tenants()) == 3


# Deleting ------------------------------------------------------------------------------------

def test_a_property_whose_work_orders_issued_notices_cannot_be_deleted(store, paris, lea, state_of):
    work = store.save_work_order(a_work_order(paris))
    store.add_notice(a_notice(work.id, lea))
    before = state_of(store)

    with pytest.raises(ConflictError) as refused:
        store.delete_property(paris.id)

    assert refused.value.summary.startswith('"Résidence Les Tilleuls" cannot be deleted: 1 issued notices')
    assert state_of(store) == before


def test_a_property_without_notices_is_deleted_with_everything_in_it(store, paris, lea):
    store.save_work_order(a_work_order(paris))
    store.delete_property(paris.id)
    assert store.counts() == {"properties": 0, "units": 0, "tenants": 0, "work_orders": 0, "notices": 0}
    with pytest.raises(NotFound, match=f"no property with id {paris.id}"):
        store.get_property(paris.id)


def test_a_work_order_with_issued_notices_cannot_be_deleted(store, paris, lea, state_of):
    work = store.save_work_order(a_work_order(paris))
    store.add_notice(a_notice(work.id, lea))
    before = state_of(store)

    with pytest.raises(ConflictError, match=f"work order {work.id} cannot be deleted: 1 notices .*cancel it"):
        store.delete_work_order(work.id)

    assert state_of(store) == before


def test_a_work_order_without_notices_is_deleted(store, paris):
    work = store.save_work_order(a_work_order(paris))
    store.delete_work_order(work.id)
    assert store.list_work_orders() == []
    assert store.db.execute("SELECT count(*) FROM slots").fetchone()[0] == 0


def test_deleting_a_tenant_keeps_their_notices(store, paris, lea):
    work = store.save_work_order(a_work_order(paris))
    notice = store.add_notice(a_notice(work.id, lea))

    store.delete_tenant(lea.id)

    kept = store.get_notice(notice.id)
    assert kept.tenant_id is None
    assert (kept.recipient_name, kept.recipient_email, kept.subject) == (
        "Léa Lefèvre", "lea@example.org", notice.subject)
    assert kept.unit_id == paris.unit_id("1A")
    with pytest.raises(NotFound):
        store.get_tenant(lea.id)


# The notice archive --------------------------------------------------------------------------

@pytest.fixture
def issued(store, paris, lea) -> Notice:
    work = store.save_work_order(a_work_order(paris))
    return store.add_notice(a_notice(work.id, lea))


@pytest.mark.sqlite_only
@pytest.mark.parametrize("column", NOTICE_CONTENT_COLUMNS)
def test_an_issued_notice_cannot_be_edited(store, db_path, issued, column):
    value = 2 if column == "work_order_id" else "2027-01-01T00:00:00Z" if column == "created_at" else "edited"
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="issued notices cannot be changed"):
            conn.execute(f"UPDATE notices SET {column} = ? WHERE id = ?", (value, issued.id))
    finally:
        conn.close()
    assert store.get_notice(issued.id) == issued


@pytest.mark.sqlite_only
def test_an_issued_notice_cannot_be_deleted(store, db_path, issued):
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="issued notices cannot be deleted"):
            conn.execute("DELETE FROM notices WHERE id = ?", (issued.id,))
    finally:
        conn.close()
    assert store.list_notices() == [issued]


def test_update_notice_state_records_the_outcome_and_nothing_else(store, issued):
    sent_at = datetime(2026, 5, 20, 9, 1, tzinfo=UTC)

    updated = store.update_notice_state(issued.id, "sent", sent_at=sent_at, message_id="<n1@example.org>")

    stored = store.get_notice(issued.id)
    assert stored == updated
    assert (stored.state, stored.sent_at, stored.message_id) == ("sent", sent_at, "<n1@example.org>")
    assert replace(stored, state=issued.state, sent_at=None, message_id="") == issued


def test_update_notice_state_refuses_content_fields_and_unknown_states(store, issued):
    with pytest.raises(ValueError, match="not a delivery field: \\['subject'\\]"):
        store.update_notice_state(issued.id, "sent", subject="Corrected subject")
    with pytest.raises(ValidationError, match='state: "posted" is not one of'):
        store.update_notice_state(issued.id, "posted")
    assert store.get_notice(issued.id) == issued


# Transactions --------------------------------------------------------------------------------

def test_a_transaction_keeps_nothing_when_it_fails(store, paris, state_of):
    before = state_of(store)

    with pytest.raises(RuntimeError, match="power cut"):
        with store.transaction():
            prop = store.save_property(replace(paris.prop, id=None, name="Maple Court"))
            unit = store.save_unit(Unit(prop.id, "101", 1))
            store.save_tenant(Tenant(unit.id, "Priya Raghunathan"))
            store.save_organization(Organization(name="Horizon"))
            raise RuntimeError("power cut")

    assert state_of(store) == before
    assert [p.name for p in store.list_properties()] == ["Résidence Les Tilleuls"]
    assert store.get_organization().name == ""


def test_a_transaction_keeps_everything_when_it_succeeds(store, paris):
    with store.transaction():
        store.save_unit(Unit(paris.id, "4A", 4))
        store.save_tenant(Tenant(paris.unit_id("1A"), "Léa Lefèvre"))
    assert store.counts()["units"] == 7 and store.counts()["tenants"] == 1


def test_add_tenants_is_all_or_nothing_and_names_the_bad_row(store, paris, state_of):
    before = state_of(store)
    tenants = [
        Tenant(paris.unit_id("1A"), "Léa Lefèvre", email="lea@example.org"),
        Tenant(paris.unit_id("1B"), "Zoé Núñez", phone="06 12 34 56 78"),
        Tenant(paris.unit_id("2A"), "Mathis Dupont", email="mathis.dupont@"),
    ]

    with pytest.raises(ValidationError) as refused:
        store.add_tenants(tenants)

    assert refused.value.summary.startswith('[2].email: not a valid email address: "mathis.dupont@"')
    assert state_of(store) == before

    assert store.add_tenants(tenants[:2]) == 2
    assert [(r.tenant.name, r.tenant.phone) for r in store.list_tenants(paris.id)] == [
        ("Léa Lefèvre", ""), ("Zoé Núñez", "+33612345678")]
