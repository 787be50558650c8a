"""Bad input is refused with a sentence naming the field, and nothing stored changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from maintdesk.errors import InvalidInput, ValidationError
from maintdesk.records.models import Property, Slot, Tenant, Unit, WorkOrder

UTC = timezone.utc
START = datetime(2026, 6, 2, 6, 30, tzinfo=UTC)
END = START + timedelta(hours=9)


@pytest.fixture
def refused(store, state_of):
    """Runs a save that must fail; checks the database is exactly as before; returns the error."""

    def _refused(save, record) -> ValidationError:
        before = state_of(store)
        with pytest.raises(ValidationError) as info:
            save(record)
        assert state_of(store) == before, "a refused save must not change what is stored"
        assert isinstance(info.value, InvalidInput)  # the command line exits 2 for it
        return info.value

    return _refused


def work_in(building, **changes) -> WorkOrder:
    work = WorkOrder(
        property_id=building.id, title={"fr": "Entretien des radiateurs"}, window_start=START, window_end=END,
        all_units=False, affected_unit_ids=[building.unit_id("1A"), building.unit_id("1B")],
        slots=[Slot(building.unit_id("1A"), START, START + timedelta(minutes=35))],
    )
    return replace(work, **changes)


# Tenants -------------------------------------------------------------------------------------

def test_a_bad_email_is_refused(store, paris, refused):
    error = refused(store.save_tenant, Tenant(paris.unit_id("1A"), "Léa Lefèvre", email="lea.lefevre@"))
    assert error.summary.startswith('email: not a valid email address: "lea.lefevre@"')


def test_a_phone_number_is_read_in_the_property_country(store, paris, toronto, refused):
    error = refused(store.save_tenant, Tenant(toronto.unit_id("101"), "Liam O'Connor", phone="06 12 34 56 78"))
    assert error.summary == 'phone: not a valid phone number for CA: "06 12 34 56 78"'

    saved = store.save_tenant(Tenant(paris.unit_id("1A"), "Léa Lefèvre", phone="06 12 34 56 78"))
    assert store.get_tenant(saved.id).phone == "+33612345678"


def test_a_phone_number_with_its_country_code_is_accepted_anywhere(store, toronto):
    saved = store.save_tenant(Tenant(toronto.unit_id("101"), "Léa Lefèvre", phone="+33 6 12 34 56 78"))
    assert store.get_tenant(saved.id).phone == "+33612345678"


def test_the_email_channel_needs_an_email_address(store, paris, refused):
    error = refused(store.save_tenant, Tenant(paris.unit_id("1A"), "Zoé Núñez", channel="email"))
    assert error.summary == 'email: is required when the preferred channel is "email"'
    error = refused(store.save_tenant, Tenant(paris.unit_id("1A"), "Zoé Núñez", channel="both"))
    assert error.summary == 'email: is required when the preferred channel is "both"'


def test_an_unknown_language_is_refused(store, paris, refused):
    error = refused(store.save_tenant, Tenant(paris.unit_id("1A"), "Thérèse Müller", language="it"))
    assert error.summary == 'language: "it" is not one of en, fr, de, es'


def test_every_problem_is_listed_and_the_summary_names_the_first(store, paris, refused):
    error = refused(store.save_tenant, Tenant(paris.unit_id("1A"), " ", email="x@", language="pt"))
    assert [p.field for p in error.problems] == ["name", "email", "language"]
    assert error.summary == "name: is required (and 2 more)"
    assert error.detail is not None and 'language: "pt" is not one of en, fr, de, es' in error.detail.splitlines()


def test_a_tenant_in_a_unit_that_does_not_exist_is_refused(store, paris, refused):
    error = refused(store.save_tenant, Tenant(9999, "Léa Lefèvre"))
    assert error.summary == "unit_id: no unit with id 9999"


def test_a_refused_update_leaves_the_stored_tenant_unchanged(store, paris, refused):
    tenant = store.save_tenant(Tenant(paris.unit_id("1A"), "Léa Lefèvre", email="lea@example.org", channel="email"))

    error = refused(store.save_tenant, replace(tenant, name="Léa Martin", email="lea.martin@@example.org"))

    assert error.summary.startswith("email: not a valid email address")
    assert store.get_tenant(tenant.id) == tenant


def test_tenant_fields_are_normalized(store, paris):
    saved = store.save_tenant(Tenant(paris.unit_id("1A"), "  Léa Lefèvre ", email=" Lea@Example.ORG "))
    assert (saved.name, saved.email) == ("Léa Lefèvre", "Lea@example.org")
    assert store.get_tenant(saved.id) == saved


# Properties ----------------------------------------------------------------------------------

def a_property(**changes) -> Property:
    return replace(Property("Les Tilleuls", "14 rue des Tilleuls", "Paris", "FR", "Europe/Paris"), **changes)


def test_an_unknown_time_zone_is_refused(store, refused):
    error = refused(store.save_property, a_property(timezone="Europe/Pariss"))
    assert error.summary == 'timezone: unknown time zone "Europe/Pariss"; use an IANA name such as Europe/Paris'


def test_an_unknown_country_code_is_refused(store, refused):
    error = refused(store.save_property, a_property(country="XX"))
    assert error.summary == 'country: "XX" is not a two-letter country code such as FR, US or CA'


@pytest.mark.parametrize("code", ["ZZ", "EU", "UN"])
def test_region_codes_that_are_not_countries_are_refused(store, refused, code):
    """Babel's territory list also holds "ZZ" (Unknown Region), "EU", "UN": not countries."""
    error = refused(store.save_property, a_property(country=code))
    assert error.summary.startswith(f'country: "{code}" is not a two-letter country code')


def test_a_manager_phone_is_read_in_the_property_country(store, refused):
    error = refused(store.save_property, a_property(country="US", timezone="America/New_York",
                                                    manager_phone="01 43 55 12 34"))
    assert error.summary == 'manager_phone: not a valid phone number for US: "01 43 55 12 34"'
    saved = store.save_property(a_property(country=" fr ", manager_phone="01 43 55 12 34"))
    assert (saved.country, saved.manager_phone) == ("FR", "+33143551234")


def test_a_refused_property_update_leaves_it_unchanged(store, paris, refused):
    error = refused(store.save_property, replace(paris.prop, name="Renamed", timezone="Paris"))
    assert error.summary.startswith('timezone: unknown time zone "Paris"')
    assert store.get_property(paris.id) == paris.prop


# Units ---------------------------------------------------------------------------------------

def test_a_unit_label_that_differs_only_in_case_is_a_duplicate(store, paris, refused):
    error = refused(store.save_unit, Unit(paris.id, "3b", 3))
    assert error.summary == 'label: duplicate "3b": the property already has a unit with this label'
    error = refused(store.save_unit, replace(paris.units["3A"], label="3b"))
    assert error.summary.startswith('label: duplicate "3b"')


def test_the_same_label_in_another_property_or_a_case_change_is_fine(store, paris, toronto):
    assert store.save_unit(Unit(toronto.id, "3B", 3)).label == "3B"
    assert store.save_unit(replace(paris.units["3B"], label=" 3b ")).label == "3b"
    assert [u.label for u in store.list_units(paris.id)][-1] == "3b"


# Work orders ---------------------------------------------------------------------------------

def test_a_window_that_ends_before_it_starts_is_refused(store, paris, refused):
    error = refused(store.save_work_order, work_in(paris, window_end=START - timedelta(hours=1), slots=[]))
    assert error.summary == "window_end: must be after window_start"


def test_a_slot_outside_the_window_is_refused(store, paris, refused):
    late = START + timedelta(hours=10)
    error = refused(store.save_work_order, work_in(paris, slots=[
        Slot(paris.unit_id("1A"), START, START + timedelta(minutes=30)),
        Slot(paris.unit_id("1B"), late, late + timedelta(minutes=30)),
    ]))
    assert error.summary == "slots[1]: must lie inside the work window"


def test_a_slot_for_a_unit_that_is_not_affected_is_refused(store, paris, toronto, refused):
    error = refused(store.save_work_order, work_in(paris, slots=[
        Slot(paris.unit_id("3A"), START, START + timedelta(minutes=30))]))
    assert error.summary == f"slots[0].unit: unit {paris.unit_id('3A')} is not among the affected units"
    error = refused(store.save_work_order, work_in(paris, all_units=True, slots=[
        Slot(toronto.unit_id("101"), START, START + timedelta(minutes=30))]))
    assert error.summary == f"slots[0].unit: unit {toronto.unit_id('101')} is not among the affected units"


def test_a_slot_that_ends_before_it_starts_is_refused(store, paris, refused):
    error = refused(store.save_work_order, work_in(paris, slots=[
        Slot(paris.unit_id("1A"), START + timedelta(hours=1), START + timedelta(minutes=30))]))
    assert error.summary == "slots[0].end: must be after the slot's start"


def test_two_slots_for_one_unit_are_refused(store, paris, refused):
    error = refused(store.save_work_order, work_in(paris, slots=[
        Slot(paris.unit_id("1A"), START, START + timedelta(minutes=30)),
        Slot(paris.unit_id("1A"), START + timedelta(hours=1), START + timedelta(hours=2))]))
    assert error.summary == f"slots[1].unit: unit {paris.unit_id('1A')} already has a slot in this work order"


def test_affected_units_must_belong_to_the_property(store, paris, toronto, refused):
    error = refused(store.save_work_order, work_in(paris, affected_unit_ids=[toronto.unit_id("101")], slots=[]))
    assert error.summary == f"affected_units: unit {toronto.unit_id('101')} is not in this property"
    error = refused(store.save_work_order, work_in(paris, affected_unit_ids=[], slots=[]))
    assert error.summary == "affected_units: choose at least one unit, or all units"


def test_a_work_order_needs_a_title_in_a_known_language(store, paris, refused):
    error = refused(store.save_work_order, work_in(paris, title={"fr": "  "}))
    assert error.summary == "title: is required in at least one language"
    error = refused(store.save_work_order, work_in(paris, title={"it": "Riscaldamento"}))
    assert error.summary.startswith('title.it: unknown language "it"')


def test_a_window_without_time_zone_is_refused_as_bad_input(store, paris, refused):
    """A naive window (e.g. from a form that forgot the zone) must be a ValidationError naming
    the field, not a TypeError from comparing it with the slots' aware times."""
    error = refused(store.save_work_order, work_in(paris, window_start=START.replace(tzinfo=None)))
    assert error.summary.startswith("window_start: has no time zone")


def test_every_problem_of_a_work_order_is_reported_at_once(store, paris, refused):
    """ValidationError.problems "lists them all" (errors.py): a form can mark every wrong field,
    so a missing title must not hide a window that ends before it starts."""
    error = refused(store.save_work_order, work_in(paris, title={}, window_end=START - timedelta(hours=1), slots=[]))
    assert [p.field for p in error.problems] == ["title", "window_end"]


def test_a_refused_work_order_update_leaves_it_unchanged(store, paris, refused):
    work = store.save_work_order(work_in(paris))
    late = END + timedelta(hours=1)

    error = refused(store.save_work_order, replace(
        work, title={"fr": "Nouveau titre"}, slots=[Slot(paris.unit_id("1B"), late, late + timedelta(minutes=30))]))

    assert error.summary == "slots[0]: must lie inside the work window"
    assert store.get_work_order(work.id) == work
