"""The tenant form's written consent to email notices and lease notice, the property form's lease
notice: driven like a user would, checking what the form shows and what is saved."""

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt

from ui.dialogs.property import PropertyDialog
from ui.dialogs.tenant import TenantDialog

KEPT = "lease addendum, office binder 3"
NOT_A_DURATION = 'Lease notice "{}" is not a duration such as 24h, 2d, 3bd (business days) or 1w'


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def open_tenant(qtbot, store, tenant_id):
    dialog = TenantDialog(store, store.get_tenant(tenant_id))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def a_tenant(store):
    return store.list_tenants()[0].tenant


def test_the_consent_day_and_place_are_enabled_only_when_the_consent_is_ticked(qtbot, demo_store):
    dialog = open_tenant(qtbot, demo_store, a_tenant(demo_store).id)
    consent, day, kept = (dialog.fields[n] for n in ("email_consent", "email_consent_on", "email_consent_kept"))
    assert not consent.isChecked() and not day.isEnabled() and not kept.isEnabled()

    qtbot.mouseClick(consent, Qt.MouseButton.LeftButton, pos=consent.rect().center())

    assert consent.isChecked() and day.isEnabled() and kept.isEnabled()
    assert day.date().toPython() == date.today(), "a new consent starts on today"
    assert kept.placeholderText() == f"e.g. {KEPT}"


def test_a_consent_without_where_it_is_kept_stays_open_then_saves_when_completed(qtbot, demo_store):
    tenant = a_tenant(demo_store)
    dialog = open_tenant(qtbot, demo_store, tenant.id)
    consent = dialog.fields["email_consent"]
    qtbot.mouseClick(consent, Qt.MouseButton.LeftButton, pos=consent.rect().center())
    dialog.fields["email_consent_on"].setDate(QDate(2026, 3, 1))
    type_into(qtbot, dialog.fields["access_notes"], "Key with the caretaker")

    assert not dialog.save()

    assert dialog.isVisible() and dialog.result() != TenantDialog.DialogCode.Accepted
    assert dialog.message("email_consent_kept") == (
        f"Consent kept in is required with a consent: say where the signed consent is kept, e.g. {KEPT}")
    assert dialog.message("email_consent_on") == ""
    assert dialog.fields["email_consent_on"].date() == QDate(2026, 3, 1), "nothing typed is lost"
    assert dialog.fields["access_notes"].toPlainText() == "Key with the caretaker"
    assert demo_store.get_tenant(tenant.id) == tenant
    dialog.grab().save("/tmp/forms_tenant_consent_error.png")

    type_into(qtbot, dialog.fields["email_consent_kept"], KEPT)
    assert dialog.save()
    saved = demo_store.get_tenant(tenant.id)
    assert (saved.email_consent_on, saved.email_consent_kept) == (date(2026, 3, 1), KEPT)
    assert saved.access_notes == "Key with the caretaker"


def test_a_consent_in_the_future_is_refused_under_its_day(qtbot, demo_store):
    tenant = a_tenant(demo_store)
    dialog = open_tenant(qtbot, demo_store, tenant.id)
    consent = dialog.fields["email_consent"]
    qtbot.mouseClick(consent, Qt.MouseButton.LeftButton, pos=consent.rect().center())
    later = date.today() + timedelta(days=40)
    dialog.fields["email_consent_on"].setDate(QDate(later.year, later.month, later.day))
    type_into(qtbot, dialog.fields["email_consent_kept"], KEPT)

    assert not dialog.save()
    assert dialog.message("email_consent_on") == (
        f"{later.isoformat()} is in the future; give the day the tenant signed the consent")
    assert dialog.fields["email_consent_kept"].text() == KEPT
    assert demo_store.get_tenant(tenant.id) == tenant


def test_a_recorded_consent_is_shown_and_unticking_it_saves_none(qtbot, demo_store):
    tenant = demo_store.save_tenant(replace(a_tenant(demo_store), email_consent_on=date(2025, 11, 4),
                                            email_consent_kept=KEPT))
    dialog = open_tenant(qtbot, demo_store, tenant.id)
    consent, day, kept = (dialog.fields[n] for n in ("email_consent", "email_consent_on", "email_consent_kept"))
    assert consent.isChecked() and day.isEnabled() and kept.isEnabled()
    assert (day.text(), kept.text()) == ("2025-11-04", KEPT)
    dialog.grab().save("/tmp/forms_tenant_consent.png")

    qtbot.mouseClick(consent, Qt.MouseButton.LeftButton, pos=consent.rect().center())
    assert not day.isEnabled() and not kept.isEnabled()
    assert (day.text(), kept.text()) == ("2025-11-04", KEPT), "greyed out, still there if ticked again"
    assert dialog.save()

    saved = demo_store.get_tenant(tenant.id)
    assert (saved.email_consent_on, saved.email_consent_kept, saved.email_consent) == (None, "", False)


def test_a_tenant_s_lease_notice_that_is_not_a_duration_is_explained_then_saved_when_fixed(qtbot, demo_store):
    tenant = a_tenant(demo_store)
    dialog = open_tenant(qtbot, demo_store, tenant.id)
    type_into(qtbot, dialog.fields["lease_notice"], "two days")
    type_into(qtbot, dialog.fields["salutation"], "Dr")

    assert not dialog.save()
    assert dialog.message("lease_notice") == NOT_A_DURATION.format("two days")
    assert dialog.fields["lease_notice"].text() == "two days" and dialog.fields["salutation"].text() == "Dr"
    assert demo_store.get_tenant(tenant.id) == tenant

    type_into(qtbot, dialog.fields["lease_notice"], "48H")
    assert dialog.save()
    saved = demo_store.get_tenant(tenant.id)
    assert (saved.lease_notice, saved.salutation) == ("48h", "Dr")
    again = open_tenant(qtbot, demo_store, tenant.id)
    assert again.fields["lease_notice"].text() == "48h"


def test_the_property_form_shows_checks_and_saves_the_lease_notice(qtbot, demo_store):
    prop = demo_store.list_properties()[0]
    dialog = PropertyDialog(demo_store, prop)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.fields["lease_notice"]
    assert field.text() == "" and "48h, 2d, 3bd (business days), 1w" in field.placeholderText()
    type_into(qtbot, field, "abc")
    type_into(qtbot, dialog.fields["manager_name"], "Camille Rousseau-Petit")

    assert not dialog.save()
    assert dialog.message("lease_notice") == NOT_A_DURATION.format("abc")
    assert field.text() == "abc" and dialog.fields["manager_name"].text() == "Camille Rousseau-Petit"
    assert demo_store.get_property(prop.id) == prop
    dialog.grab().save("/tmp/forms_property_lease_error.png")

    type_into(qtbot, field, "1w")
    assert dialog.save()
    saved = demo_store.get_property(prop.id)
    assert (saved.lease_notice, saved.manager_name) == ("1w", "Camille Rousseau-Petit")
    again = PropertyDialog(demo_store, saved)
    qtbot.addWidget(again)
    assert again.fields["lease_notice"].text() == "1w"
    # Emptying it says the leases give no longer notice than the law.
    type_into(qtbot, again.fields["lease_notice"], "")
    assert again.save() and demo_store.get_property(prop.id).lease_notice == ""


def test_the_tenants_list_shows_consents_the_lease_and_the_paper_flag(qtbot, demo_store):
    from ui.pages.tenants import TenantsPage

    tenant = demo_store.save_tenant(replace(a_tenant(demo_store), email_consent_on=date(2025, 11, 4),
                                            email_consent_kept=KEPT, lease_notice="60d"))
    demo_store.flag_for_paper(tenant.id, "550 mailbox unavailable")
    page = TenantsPage(demo_store)
    qtbot.addWidget(page)
    page.refresh()
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Consents and lease")
    cells = {model.data(model.index(r, 0)): model.data(model.index(r, column)) for r in range(model.rowCount())}
    assert cells[tenant.name] == "email since 2025-11-04 · lease notice 60d · paper: email bounced"
    assert sum(1 for text in cells.values() if text) == 1, "the others record none"
