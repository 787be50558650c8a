"""Add or edit a tenant: the unit they live in, how to reach them, and how they want their notices."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from maintdesk.errors import Problem, ValidationError
from maintdesk.records.models import CHANNELS, LANGUAGES, Tenant
from maintdesk.records.sharing import ChangedElsewhere
from maintdesk.records.store import Store
from ui.widgets.forms import FormDialog
from ui.labels import CHANNEL_LABELS, LANGUAGE_LABELS


class TenantDialog(FormDialog):
    def __init__(self, store: Store, tenant: Tenant | None = None, property_id: int | None = None,
                 parent: QWidget | None = None):
        editing = tenant is not None and tenant.id is not None
        super().__init__("Edit tenant" if editing else "Add tenant", parent=parent)
        self.save_function = lambda _form: self._save()
        self.store = store
        self.tenant = tenant or Tenant(unit_id=0, name="")
        self.opened = self.tenant if editing else None   # as shown: a save checks nobody changed it since
        t = self.tenant
        if editing:
            property_id = store.get_unit(t.unit_id).property_id

        properties = store.list_properties()
        if property_id is None and properties:
            property_id = properties[0].id
        self.property_box = self.combo("property", "Property", [(p.name, p.id) for p in properties], property_id)
        self.unit_box = self.combo("unit_id", "Unit", [])
        self.property_box.currentIndexChanged.connect(lambda _i: self._fill_units())
        self._fill_units(t.unit_id or None)
        self.line("name", "Name", t.name)
        self.line("salutation", "Salutation", t.salutation, "Ms, Mr, Mme, M. (printed before the name)")
        self.line("email", "Email", t.email)
        self.line("phone", "Phone", t.phone)
        self.combo("language", "Language", [(LANGUAGE_LABELS[c], c) for c in LANGUAGES], t.language)
        self.combo("channel", "Notices by", [(CHANNEL_LABELS[c], c) for c in CHANNELS], t.channel)
        self.text("mailing_address", "Mailing address", t.mailing_address)
        self.check("active", "Active", t.active, "Lives here and gets notices")
        self.check("large_print", "Large print", t.large_print, "Letters in large type")
        self.text("access_notes", "Access notes", t.access_notes)
        self._consent_fields("email_consent", "Email consent", t.email_consent_on, "Consented in writing to notices by email",
                             ("email_consent_kept", "Consent kept in", t.email_consent_kept,
                              "e.g. lease addendum, office binder 3"),
                             "Where the signed consent is kept, so it can be shown when asked")
        self._consent_fields("sms_consent", "SMS consent", t.sms_consent_on,
                             "Agreed to emergencies and reminders by SMS (to the phone above, a mobile)",
                             ("sms_consent_how", "Given how", t.sms_consent_how, "e.g. signed form, replied YES"),
                             "How the tenant agreed to SMS, so it can be shown when asked")
        if t.paper_reason:
            self.check("paper_flag", "Paper", True, f"Gets paper: {t.paper_reason} (untick once the address is fixed)")
        lease = self.line("lease_notice", "Lease notice", t.lease_notice, "48h, 2d, 3bd (business days), 1w, if longer than the law")
        lease.setToolTip("Only when the tenant's lease gives longer notice than the law (and than the "
                         "property's leases); empty otherwise")
        self.setMinimumWidth(500)

    def _consent_fields(self, name: str, label: str, given: date | None, meaning: str,
                        note: tuple[str, str, str, str], tip: str) -> None:
        """A consent (to notices by email, by SMS): ticked, the day it was given, and a note on it
        (where the signed paper is kept, how it was given)."""
        consent = self.check(name, label, given is not None, meaning)
        signed = given or date.today()
        day = QDateEdit(QDate(signed.year, signed.month, signed.day))
        day.setCalendarPopup(True)
        day.setDisplayFormat("yyyy-MM-dd")
        self.add_field(f"{name}_on", "Given on" if name != "email_consent" else "Consent signed on", day)
        self.line(*note).setToolTip(tip)
        consent.toggled.connect(lambda checked: self._consent_toggled((f"{name}_on", note[0]), checked))
        self._consent_toggled((f"{name}_on", note[0]), consent.isChecked())

    def _consent_toggled(self, names: tuple[str, str], checked: bool) -> None:
        # Unticking only greys the day and the note out: ticking again brings them back as typed.
        for name in names:
            self.fields[name].setEnabled(checked)
            if not checked:
                self.set_message(name, "")

    def _fill_units(self, unit_id: int | None = None) -> None:
        self.unit_box.clear()
        property_id = self.property_box.currentData()
        if property_id is None:
            return
        for unit in self.store.list_units(property_id):
            self.unit_box.addItem(unit.label, unit.id)
        index = self.unit_box.findData(unit_id)
        if index >= 0:
            self.unit_box.setCurrentIndex(index)

    def typed_tenant(self) -> Tenant:
        consented, texts = self.value("email_consent"), self.value("sms_consent")
        flagged = "paper_flag" in self.fields and self.value("paper_flag")
        return replace(
            self.tenant,
            unit_id=self.value("unit_id"),
            name=self.value("name"),
            salutation=self.value("salutation"),
            email=self.value("email"),
            phone=self.value("phone"),
            language=self.value("language"),
            channel=self.value("channel"),
            mailing_address=self.value("mailing_address"),
            active=self.value("active"),
            large_print=self.value("large_print"),
            access_notes=self.value("access_notes"),
            email_consent_on=self.value("email_consent_on") if consented else None,
            email_consent_kept=self.value("email_consent_kept") if consented else "",
            lease_notice=self.value("lease_notice"),
            sms_consent_on=self.value("sms_consent_on") if texts else None,
            sms_consent_how=self.value("sms_consent_how") if texts else "",
            paper_reason=self.tenant.paper_reason if flagged else "",
            paper_since=self.tenant.paper_since if flagged else None,
        )

    def _save(self) -> Tenant:
        if self.value("unit_id") is None:
            raise ValidationError([Problem("unit_id", "choose a unit; a property without units needs one first")])
        try:
            self.tenant = self.store.save_tenant(self.typed_tenant(), opened=self.opened)
        except ChangedElsewhere as error:
            if not error.deleted:   # told once: Save again replaces theirs
                self.opened = self.store.get_tenant(self.tenant.id)
            raise
        return self.tenant
