"""A tenant's written consent to notices by email and a lease's longer notice period: stored, checked,
exported and imported, set from the command line, and handed to the rules engine."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from maintdesk.cli.app import main
from maintdesk.errors import ValidationError
from maintdesk.planning.rules import Duration
from maintdesk.records import interchange
from maintdesk.records.models import Tenant
from maintdesk.records.store import Store
from maintdesk.records.validation import lease_notice


SIGNED = date(2026, 3, 1)
KEPT = "lease addendum, office binder 3"


def problems(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in excinfo.value.problems]


@pytest.fixture
def lea(store, paris) -> Tenant:
    return store.save_tenant(Tenant(paris.unit_id("1A"), "Léa Lefèvre", email="lea@example.org", channel="email"))


# The store ----------------------------------------------------------------------------------

def test_a_consent_and_lease_notices_are_stored_and_read_back(store, paris, lea):
    saved = store.save_tenant(replace(lea, email_consent_on=SIGNED, email_consent_kept=f"  {KEPT} ",
                                      lease_notice=" 48 H "))
    prop = store.save_property(replace(paris.prop, lease_notice="1w"))

    again = store.get_tenant(lea.id)
    assert again == saved
    assert (again.email_consent_on, again.email_consent_kept, again.lease_notice) == (SIGNED, KEPT, "48h")
    assert again.email_consent is True and isinstance(again.email_consent_on, date)
    assert store.get_property(prop.id).lease_notice == "1w"
    [row] = [r for r in store.list_tenants(paris.id) if r.tenant.id == lea.id]
    assert row.tenant.email_consent_on == SIGNED
    # Withdrawn: nothing recorded any more.
    cleared = store.save_tenant(replace(again, email_consent_on=None, email_consent_kept="", lease_notice=""))
    assert store.get_tenant(lea.id) == cleared and not cleared.email_consent


def test_many_tenants_added_at_once_keep_their_consent(store, paris):
    store.add_tenants([Tenant(paris.unit_id("2A"), "Noël Garnier", email_consent_on=SIGNED, email_consent_kept=KEPT)])
    [row] = store.list_tenants(paris.id)
    assert (row.tenant.email_consent_on, row.tenant.email_consent_kept) == (SIGNED, KEPT)


@pytest.mark.parametrize("typed, message", [
    ("abc", 'Lease notice "abc" is not a duration such as 24h, 2d, 3bd (business days) or 1w'),
    ("48", 'Lease notice "48" is not a duration such as 24h, 2d, 3bd (business days) or 1w'),
    ("2 days", 'Lease notice "2 days" is not a duration such as 24h, 2d, 3bd (business days) or 1w'),
    ("-1d", 'Lease notice "-1d" is not a duration such as 24h, 2d, 3bd (business days) or 1w'),
    ("0d", 'Lease notice "0d" is no notice at all; leave it empty when the lease asks for no longer notice '
           "than the law"),
])
def test_a_lease_notice_that_is_not_a_duration_is_refused_with_what_to_type(store, paris, lea, state_of, typed, message):
    before = state_of(store)
    with pytest.raises(ValidationError) as tenant_error:
        store.save_tenant(replace(lea, lease_notice=typed))
    with pytest.raises(ValidationError) as property_error:
        store.save_property(replace(paris.prop, lease_notice=typed))
    assert problems(tenant_error) == problems(property_error) == [("lease_notice", message)]
    assert state_of(store) == before


def test_a_consent_needs_its_day_and_where_it_is_kept(store, lea, state_of):
    before = state_of(store)
    with pytest.raises(ValidationError) as no_place:
        store.save_tenant(replace(lea, email_consent_on=SIGNED))
    assert problems(no_place) == [("email_consent_kept", "is required with a consent: say where the signed consent "
                                                         "is kept, e.g. lease addendum, office binder 3")]
    with pytest.raises(ValidationError) as no_day:
        store.save_tenant(replace(lea, email_consent_kept=KEPT))
    assert [field for field, _ in problems(no_day)] == ["email_consent_kept"]
    later = date.today() + timedelta(days=30)
    with pytest.raises(ValidationError) as future:
        store.save_tenant(replace(lea, email_consent_on=later, email_consent_kept=KEPT))
    assert problems(future) == [("email_consent_on", f"{later.isoformat()} is in the future; give the day the "
                                                     "tenant signed the consent")]
    assert state_of(store) == before


@pytest.mark.parametrize("text", ["48h", "2d", "1w", "3mo", "24h", "10d", "01w", "abc", "h", "48", "2.5d", "1y",
                                  "-1d", "1 w", "4H", "2bd", "1hd", ""])
def test_every_lease_notice_the_records_accept_reads_as_a_duration_of_the_rules(text):
    """records may not import the rules; the pattern it keeps must agree with Duration.parse."""
    try:
        stored = lease_notice(text)
    except ValueError:
        return
    if stored:
        parsed = Duration.parse(stored)
        assert f"{parsed.amount}{parsed.unit}" == stored


def test_what_the_rules_cannot_read_is_refused():
    for text in ("abc", "48", "2.5d", "1y", "-1d", "week"):
        with pytest.raises(ValueError):
            Duration.parse(text)
        with pytest.raises(ValueError):
            lease_notice(text)


# The data file --------------------------------------------------------------------------------

def test_the_data_file_carries_consent_and_lease_notices_and_round_trips(store, paris, lea, open_store, tmp_path):
    store.save_tenant(replace(lea, email_consent_on=SIGNED, email_consent_kept=KEPT, lease_notice="48h"))
    store.save_property(replace(paris.prop, lease_notice="2d"))
    first = tmp_path / "first.json"
    interchange.export_to_file(store, first)

    data = json.loads(first.read_text(encoding="utf-8"))
    [prop] = data["properties"]
    [tenant] = [t for u in prop["units"] for t in u["tenants"]]
    assert data["format_version"] == 4 and prop["lease_notice"] == "2d"
    assert (tenant["email_consent_on"], tenant["email_consent_kept"], tenant["lease_notice"]) == (
        "2026-03-01", KEPT, "48h")

    copy = open_store(tmp_path / "copy.sqlite")
    interchange.import_from_file(copy, first)
    assert copy.get_tenant(lea.id) == store.get_tenant(lea.id)
    second = tmp_path / "second.json"
    interchange.export_to_file(copy, second)
    assert second.read_bytes() == first.read_bytes()


def older_document() -> dict:
    """A version 2 file, written before consent and lease notices existed."""
    return {"format": "maintdesk-data", "format_version": 2, "properties": [{
        "name": "Maple Court", "address_line1": "220 Wellesley St E", "city": "Toronto", "country": "CA",
        "timezone": "America/Toronto", "jurisdiction": "CA-ON",
        "units": [{"label": "101", "tenants": [{"name": "Priya Raghunathan", "email": "priya@example.org",
                                                "channel": "email"}]}]}]}


def test_an_older_data_file_imports_without_consent_or_lease_notice(store):
    interchange.import_data(store, older_document())
    [prop] = store.list_properties()
    [row] = store.list_tenants()
    assert prop.lease_notice == "" and row.tenant.lease_notice == ""
    assert (row.tenant.email_consent_on, row.tenant.email_consent_kept) == (None, "")


@pytest.mark.parametrize("tenant_fields, where, message", [
    ({"email_consent_on": "1 March 2026", "email_consent_kept": KEPT},
     "properties[0].units[0].tenants[0].email_consent_on", '"1 March 2026" is not a date such as 2026-03-01'),
    ({"email_consent_on": 20260301}, "properties[0].units[0].tenants[0].email_consent_on",
     "must be a date text such as 2026-03-01"),
    ({"lease_notice": "two days"}, "properties[0].units[0].tenants[0].lease_notice",
     'Lease notice "two days" is not a duration such as 24h, 2d, 3bd (business days) or 1w'),
])
def test_a_wrong_consent_or_lease_notice_in_a_data_file_names_its_place(empty_store, tenant_fields, where, message):
    doc = older_document()
    doc["format_version"] = 3
    doc["properties"][0]["units"][0]["tenants"][0].update(tenant_fields)
    with pytest.raises(ValidationError) as error:
        interchange.import_data(empty_store, doc)
    assert problems(error)[0] == (where, message)
    assert empty_store.is_empty()


@pytest.fixture
def empty_store(store) -> Store:
    return store


# The command line -----------------------------------------------------------------------------

def run(db, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["--db", str(db), *args], out=out)
    return status, out.getvalue()


def test_tenant_set_records_and_withdraws_a_consent_and_a_lease_notice(store, paris, lea, db_path, capsys):
    status, text = run(db_path, "tenant", "set", str(lea.id), "--email-consent", "2026-03-01",
                       "--consent-kept", KEPT, "--lease-notice", "48h")
    assert status == 0, capsys.readouterr().err
    assert text.splitlines() == ["Léa Lefèvre (Résidence Les Tilleuls, unit 1A)",
                                 f"  email consent: given in writing on 2026-03-01 (kept: {KEPT})",
                                 "  lease notice: 48h"]
    assert store.get_tenant(lea.id).email_consent_on == SIGNED

    status, text = run(db_path, "property", "set", str(paris.id), "--lease-notice", "1w", "--json")
    assert status == 0 and json.loads(text) == {"id": paris.id, "name": paris.prop.name, "lease_notice": "1w"}

    status, text = run(db_path, "tenant", "set", str(lea.id), "--no-email-consent", "--no-lease-notice", "--json")
    view = json.loads(text)
    assert status == 0
    assert (view["email_consent_on"], view["email_consent_kept"], view["lease_notice"]) == (None, "", "")
    status, text = run(db_path, "tenant", "set", str(lea.id), "--lease-notice", "")
    assert status == 0 and text.splitlines()[-1] == "  lease notice: as the building's (1w)"
    tenant_list = json.loads(run(db_path, "tenant", "list", "--json")[1])
    assert {"email_consent_on", "email_consent_kept", "lease_notice"} <= tenant_list[0].keys()


@pytest.mark.parametrize("args, error", [
    (["tenant", "set", "{t}", "--lease-notice", "abc"],
     'maintdesk: error: lease_notice: Lease notice "abc" is not a duration such as 24h, 2d, 3bd (business days) or 1w'),
    (["property", "set", "{p}", "--lease-notice", "abc"],
     'maintdesk: error: lease_notice: Lease notice "abc" is not a duration such as 24h, 2d, 3bd (business days) or 1w'),
    (["tenant", "set", "{t}", "--email-consent", "2026-03-01"],
     "maintdesk: error: email_consent_kept: is required with a consent: say where the signed consent is kept, "
     "e.g. lease addendum, office binder 3"),
    (["tenant", "set", "{t}", "--email-consent", "1 March"],
     'maintdesk tenant set: error: argument --email-consent: "1 March" is not a date such as 2026-03-01'),
    (["tenant", "set", "{t}", "--no-email-consent", "--consent-kept", "binder"],
     "maintdesk: error: consent-kept: a tenant without a consent has none kept; leave out --consent-kept or "
     "--no-email-consent"),
    (["tenant", "set", "{t}"],
     "maintdesk: error: tenant set: say what to set: --email-consent DATE --consent-kept TEXT, --no-email-consent, "
     "--lease-notice DURATION or --no-lease-notice"),
    (["property", "set", "{p}"],
     "maintdesk: error: property set: say what to set: --lease-notice DURATION (48h, 2d, 1w) or --no-lease-notice"),
    (["tenant", "set", "999", "--lease-notice", "2d"], "maintdesk: error: no tenant with id 999"),
])
def test_set_refuses_bad_input_with_one_line_and_status_2(store, paris, lea, db_path, capsys, state_of, args, error):
    before = state_of(store)
    status, _ = run(db_path, *[a.format(t=lea.id, p=paris.id) for a in args])
    assert (status, capsys.readouterr().err.strip()) == (2, error)
    assert state_of(store) == before


# The rules engine's facts ---------------------------------------------------------------------

def test_each_recipient_carries_the_consent_and_the_lease_notice_the_tenant_s_over_the_building_s(store, toronto):
    from datetime import datetime, timezone

    from maintdesk.planning.communication import gather_facts
    from maintdesk.records.models import WorkOrder

    store.save_property(replace(toronto.prop, lease_notice="48h"))
    consented = store.save_tenant(Tenant(toronto.unit_id("101"), "Priya Raghunathan", email="priya@example.org",
                                         channel="email", email_consent_on=SIGNED, email_consent_kept=KEPT))
    own_lease = store.save_tenant(Tenant(toronto.unit_id("102"), "Liam O'Connor", lease_notice="1w"))
    work = store.save_work_order(WorkOrder(
        toronto.id, {"en": "Smoke alarm test"}, datetime(2026, 6, 2, 13, tzinfo=timezone.utc),
        datetime(2026, 6, 2, 17, tzinfo=timezone.utc), status="scheduled"))

    facts = gather_facts(store, work, at=datetime(2026, 5, 1, tzinfo=timezone.utc))

    found = {r.tenant_id: (r.email_consent, r.lease_notice) for r in facts.recipients}
    assert found == {consented.id: (True, "48h"), own_lease.id: (False, "1w")}
