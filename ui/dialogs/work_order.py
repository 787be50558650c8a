"""Add or edit a work order: its texts in English and French, window in the property's time zone,
affected units, actions and visit slots (spread like `maintdesk work slots ID --auto`, or one unit's
slot set, moved or removed by hand like `--set` / `--remove`).

Save goes through Store.save_work_order: its problems appear beside their fields and nothing typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta

from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from maintdesk.i18n import english
from maintdesk.errors import Problem, UserFacingError
from maintdesk.records.models import LANGUAGES, WORK_CATEGORIES, WORK_SCOPES, WORK_STATUSES, Property, WorkOrder
from maintdesk.planning.communication import auto_slots
from maintdesk.planning.slot_edit import slot_warnings
from maintdesk.records.sharing import ChangedElsewhere
from maintdesk.records.store import Store
from maintdesk.records.terms import NATURES, WorkTerms
from maintdesk.timeutil import from_local, local, utc_now
from ui.labels import LANGUAGE_LABELS
from ui.widgets.forms import FormDialog
from ui.dialogs.slot import SlotDialog
from ui.dialogs.work_order_view import (
    ActionList, LocalizedEdit, SlotTable, UnitChooser, WallClockEdit, pretty,
)

TEXTS = (  # field, label, lines (0: one line)
    ("title", "Title", 0), ("description", "Description", 3), ("reason", "Reason", 2), ("impact", "Impact", 2),
    ("alternatives", "Alternatives", 2), ("access_conditions", "Access conditions", 2),
    ("updates_info", "Updates posted at", 0),
)
SCOPE_NAMES = {"units": "Work in each unit", "building": "Building-wide / common areas"}
_INDEXED = re.compile(r"^(actions|slots)\[(\d+)\]")


PURPOSE_NAMES = {"auto": "From the category (inspection or repair)", "inspection": "Inspection", "repair": "Repair",
                 "maintenance": "Maintenance", "major": "Major works", "modernisation": "Modernisation",
                 "showing": "Showing the flat to a buyer or tenant"}


class WorkOrderDialog(FormDialog):
    def __init__(self, store: Store, work: WorkOrder | None = None, parent: QWidget | None = None):
        editing = work is not None and work.id is not None
        super().__init__("Edit work order" if editing else "New work order", parent=parent)
        self.save_function = lambda _form: self._save()
        self.store = store
        self.properties = {p.id: p for p in store.list_properties()}
        self.work = work or self._new_work()
        self.terms = store.get_work_terms(self.work.id) if editing else WorkTerms(0)
        self.terms_changed = False
        w = self.work

        self.tabs = QTabWidget()
        self.body.insertWidget(self.body.indexOf(self.form), self.tabs)
        self.body.removeItem(self.form)
        general, texts, visits = (self._page(name) for name in ("General", "Tenant texts", "Units and visits"))

        self.form = general
        choices = [(p.name, p.id) for p in self.properties.values()]
        self.property_box = self.combo("property_id", "Property", choices, w.property_id)
        self.property_box.setEnabled(not editing)
        self.property_box.currentIndexChanged.connect(self._property_changed)
        self.title_edit = self._localized("title", "Title", w.title, 0)
        self.combo("category", "Category", [(pretty(c), c) for c in WORK_CATEGORIES], w.category)
        self.combo("scope", "Scope", [(SCOPE_NAMES[s], s) for s in WORK_SCOPES], w.scope)
        purpose = self.combo("nature", "Purpose of entry", [(PURPOSE_NAMES[n], n) for n in NATURES], self.terms.nature)
        purpose.setToolTip("The notice law of some places asks a different notice for each purpose "
                           "(an inspection, a repair, showing the flat to a buyer or tenant)")
        self.check("emergency", "Emergency", w.emergency, "Urgent work: notices go out at once, by every channel")
        self.combo("status", "Status", [(pretty(s), s) for s in WORK_STATUSES], w.status)
        self.zone_labels = [QLabel(), QLabel()]
        self.start_edit, self.end_edit = WallClockEdit(), WallClockEdit()
        self.add_field("window_start", "Window start", self.start_edit, self.zone_labels[0])
        self.add_field("window_end", "Window end", self.end_edit, self.zone_labels[1])
        self.line("contractor", "Contractor", w.contractor)
        self.line("contact_name", "Contact", w.contact_name)
        self.line("contact_phone", "Contact phone", w.contact_phone)
        self.line("contact_email", "Contact email", w.contact_email)
        notes = self.text("internal_notes", "Internal notes", w.internal_notes, lines=2)
        notes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo("crew_language", "Crew sheet in", [("The building's language", "")]
                   + [(LANGUAGE_LABELS[code], code) for code in LANGUAGES], w.crew_language)

        self.form = texts
        self.localized = {"title": self.title_edit}
        for name, label, lines in TEXTS[1:]:
            self.localized[name] = self._localized(name, label, getattr(w, name), lines)

        self.form = visits
        self.units = self.add_field("affected_units", "Affected units", UnitChooser())  # type: ignore[assignment]
        self.action_list = self.add_field("actions", "Actions", ActionList())  # type: ignore[assignment]
        for action in w.actions:
            self.action_list.append(replace(action))
        self.slot_table = SlotTable()
        self.slot_note = QLabel()
        self.slot_note.setWordWrap(True)
        self.add_field("slots", "Visit slots", self.slot_table, self._slot_controls())
        self.slot_table.parentWidget().layout().addWidget(self.slot_note)
        self.slot_table.doubleClicked.connect(self.edit_slot)
        self.slot_table.itemSelectionChanged.connect(self._update_slot_buttons)

        self._show_property(w.window_start, w.window_end)
        self.units.set_units(self._property_units(), w.all_units, w.affected_unit_ids)
        self.slot_table.set_slots(w.slots, self._labels(), self.zone_name())
        self.slot_dialog: SlotDialog | None = None
        self._update_slot_buttons()
        if not self.properties:
            self.show_top_message("Add a property first: a work order belongs to a property.")
            self.buttons.button(self.buttons.StandardButton.Save).setEnabled(False)
        self.setMinimumWidth(700)

    # Building -------------------------------------------------------------------------------

    def _page(self, name: str) -> QFormLayout:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.tabs.addTab(page, name)
        return form

    def _localized(self, name: str, label: str, text: dict, lines: int) -> LocalizedEdit:
        for code in ("en", "fr"):
            self.aliases[f"{name}.{code}"] = name
        return self.add_field(name, label, LocalizedEdit(text, lines))  # type: ignore[return-value]

    def _slot_controls(self) -> QWidget:
        self.duration = QSpinBox(suffix=" min", minimum=5, maximum=600, singleStep=5, value=self.terms.slot_minutes)
        self.buffer = QSpinBox(suffix=" min", minimum=0, maximum=240, singleStep=5, value=self.terms.buffer_minutes)
        self.duration.setObjectName("slot_minutes")
        self.buffer.setObjectName("buffer_minutes")
        self.spread_button = QPushButton("Spread automatically")
        self.spread_button.setToolTip("One visit per affected unit inside the window, within the working hours "
                                      "and the days the law allows; no visit before now")
        self.spread_button.clicked.connect(self.spread)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(lambda: self.set_slots([]))
        self.add_slot_button = QPushButton("Add slot…")
        self.add_slot_button.setToolTip("A visit for an affected unit that has none, at the time you choose")
        self.add_slot_button.clicked.connect(self.add_slot)
        self.edit_slot_button = QPushButton("Edit slot…")
        self.edit_slot_button.setToolTip("Move the selected unit's visit (or double-click it)")
        self.edit_slot_button.clicked.connect(self.edit_slot)
        self.remove_slot_button = QPushButton("Remove slot")
        self.remove_slot_button.setToolTip("The selected unit's letters then give the whole window")
        self.remove_slot_button.clicked.connect(self.remove_slot)
        buttons = (self.spread_button, self.clear_button, self.add_slot_button, self.edit_slot_button,
                   self.remove_slot_button)
        for button in buttons:
            button.setAutoDefault(False)
            button.setMinimumWidth(button.sizeHint().width())
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        for widgets in ((QLabel("Visit:"), self.duration, QLabel("Between visits:"), self.buffer, self.spread_button,
                         self.clear_button), (self.add_slot_button, self.edit_slot_button, self.remove_slot_button)):
            row = QHBoxLayout()
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
            column.addLayout(row)
        return box

    def _new_work(self) -> WorkOrder:
        prop = next(iter(self.properties.values()), None)
        zone_name = prop.timezone if prop else "UTC"
        tomorrow = local(utc_now(), zone_name).date() + timedelta(days=1)
        return WorkOrder(prop.id if prop else 0, {}, from_local(datetime.combine(tomorrow, time(8)), zone_name),
                         from_local(datetime.combine(tomorrow, time(18)), zone_name))

    # Property, zone and units -----------------------------------------------------------------

    def current_property(self) -> Property | None:
        return self.properties.get(self.value("property_id"))

    def zone_name(self) -> str:
        prop = self.current_property()
        return prop.timezone if prop else "UTC"

    def _property_units(self):
        prop = self.current_property()
        return self.store.list_units(prop.id) if prop else []

    def _labels(self) -> dict[int, str]:
        return {u.id: u.label for u in self._property_units()}

    def _show_property(self, start: datetime, end: datetime) -> None:
        zone_name = self.zone_name()
        self.start_edit.set_moment(start, zone_name)
        self.end_edit.set_moment(end, zone_name)
        for label in self.zone_labels:
            label.setText(f"Time in {zone_name}, the property's time zone")

    def _property_changed(self) -> None:
        """Another property: same wall-clock times in its zone, its units, no slots."""
        start, end = self.start_edit.wall_time(), self.end_edit.wall_time()
        zone_name = self.zone_name()
        self._show_property(from_local(start, zone_name), from_local(end, zone_name))
        self.units.set_units(self._property_units())
        self.set_slots([])

    def set_slots(self, slots) -> None:
        self.slot_table.set_slots(slots, self._labels(), self.zone_name())
        self.slot_note.clear()
        self._update_slot_buttons()

    # Reading ----------------------------------------------------------------------------------

    def typed_work(self) -> WorkOrder:
        zone_name = self.zone_name()
        texts = {name: edit.text() for name, edit in self.localized.items()}
        plain = {n: self.value(n) for n in ("category", "scope", "status", "emergency", "contractor", "contact_name",
                                            "contact_phone", "contact_email", "internal_notes", "crew_language")}
        return replace(self.work, **texts, **plain, property_id=self.value("property_id"),
                       window_start=self.start_edit.moment(zone_name), window_end=self.end_edit.moment(zone_name),
                       all_units=self.units.all_units(), affected_unit_ids=self.units.chosen(),
                       actions=[replace(a) for a in self.action_list.actions()], slots=list(self.slot_table.slots))

    # Slots ------------------------------------------------------------------------------------

    def _work_with_window(self) -> WorkOrder | None:
        """The work as typed, or None (and the message beside the field) when its window is backwards."""
        self.set_message("slots", "")
        work = self.typed_work()
        if work.window_end <= work.window_start:
            self.set_message("window_end", "Window end must be after the window start")
            self.tabs.setCurrentIndex(0)
            return None
        return work

    def spread(self) -> None:
        """The same as `work slots ID --auto`: the law's hours and closed days, and nothing before now."""
        work = self._work_with_window()
        if work is None:
            return
        if not work.all_units and not work.affected_unit_ids:
            self.set_message("affected_units", "Choose at least one unit, or all units")
            return
        terms = replace(self.terms, slot_minutes=self.duration.value(), buffer_minutes=self.buffer.value())
        try:
            slots, notes = auto_slots(self.store, work, terms, utc_now())
        except UserFacingError as error:
            self.set_message("slots", error.summary)
            return
        self.terms, self.terms_changed = terms, True
        self.set_slots(slots)
        notes = [f"{note[:1].upper()}{note[1:]}." for note in notes]
        self.slot_note.setText(" ".join(notes + [english(len(slots), "{n} visit placed; Save keeps it.", "{n} visits placed; Save keeps them.")]))

    def add_slot(self) -> None:
        self._open_slot_dialog(None)

    def edit_slot(self) -> None:
        slot = self.slot_table.current_slot()
        if slot is not None:
            self._open_slot_dialog(slot)

    def _open_slot_dialog(self, slot) -> None:
        work = self._work_with_window()
        if work is None:
            return
        dialog = SlotDialog(work, self.zone_name(), self.store.affected_units(work), slot, self.duration.value(), self)
        dialog.accepted.connect(lambda: self._slots_changed(dialog.result_value, dialog.unit_id()))
        dialog.finished.connect(dialog.deleteLater)
        self.slot_dialog = dialog
        dialog.open()

    def remove_slot(self) -> None:
        slot = self.slot_table.current_slot()
        if slot is not None:
            self._slots_changed([s for s in self.slot_table.slots if s is not slot], None)

    def _slots_changed(self, slots, unit_id: int | None) -> None:
        """The table takes the new slots; what the checks say about them shows under it."""
        self.set_slots(slots)
        if unit_id is not None:
            self.slot_table.select_unit(unit_id)
        try:
            findings = slot_warnings(self.store, self.typed_work(), self.terms, unit_id)
        except UserFacingError:  # e.g. no property yet; Save will say what is missing
            findings = []
        shown = [f"{f.message} {f.fix[:1].upper()}{f.fix[1:]}." for f in findings
                 if f.severity != "info" and (unit_id is None or not f.units or self._label(unit_id) in f.units)]
        self.slot_note.setText(" ".join(shown + ["Save keeps the change."]))
        self.grow_to_fit()

    def _label(self, unit_id: int) -> str:
        return self._labels().get(unit_id, "")

    def _update_slot_buttons(self) -> None:
        chosen = self.slot_table.current_slot() is not None
        self.edit_slot_button.setEnabled(chosen)
        self.remove_slot_button.setEnabled(chosen)

    # Saving -----------------------------------------------------------------------------------

    def show_problems(self, problems) -> None:
        """Problems of one action or slot go beside the list, numbered; the tab with the first is shown."""
        readable = []
        for problem in problems:
            match = _INDEXED.match(problem.field)
            if match:
                what = "action" if match[1] == "actions" else "slot"
                sep = " " if problem.message.startswith(("is ", "must ")) else ": "
                readable.append(Problem(match[1], f"{what} {int(match[2]) + 1}{sep}{problem.message}"))
            elif problem.field == "window_end" and "window_start" in problem.message:
                readable.append(Problem("window_end", "must be after the window start"))
            else:
                readable.append(problem)
        super().show_problems(readable)
        for name, message in self.messages.items():
            if not message.isHidden():
                for index in range(self.tabs.count()):
                    if self.tabs.widget(index).isAncestorOf(message):
                        self.tabs.setCurrentIndex(index)
                        return

    def grow_to_fit(self) -> None:
        """Taller for a message when needed; the tabs' wrapped labels would ask for far too much."""
        self.layout().activate()
        wanted = self.layout().totalSizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def _save(self) -> WorkOrder:
        work = self.typed_work()
        opened = self.work if self.work.id is not None else None
        try:
            with self.store.transaction():
                saved = self.store.save_work_order(work, opened=opened)
                if self.terms_changed or self.value("nature") != self.terms.nature:
                    terms = replace(self.terms, work_order_id=saved.id, nature=self.value("nature"),
                                    slot_rules_saved=self.terms.slot_rules_saved or self.terms_changed)
                    self.store.save_work_terms(terms)
                    self.terms = terms
        except ChangedElsewhere as error:
            if not error.deleted:   # told once: Save again replaces theirs
                self.work = self.store.get_work_order(self.work.id)
            raise
        self.work = saved
        return saved
