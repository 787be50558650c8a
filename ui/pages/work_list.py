"""The work orders as a list: every work order with its property, and the next 14 days for Today."""

from __future__ import annotations

from datetime import timedelta

from maintdesk.records.models import Property, WorkOrder, pick_text
from maintdesk.records.store import Store
from maintdesk.timeutil import local, utc_now
from ui.pages.list_page import ListPage
from ui.labels import STATUS_LABELS
from ui.models.table_model import Column


class WorkCatalog:
    """Work orders with the property each belongs to, for display."""

    def __init__(self, store: Store):
        self.store = store

    def rows(self) -> list[tuple[WorkOrder, Property]]:
        properties = {p.id: p for p in self.store.list_properties()}
        return [(w, properties[w.property_id]) for w in self.store.list_work_orders()]


def _when(work: WorkOrder, prop: Property) -> str:
    start, end = local(work.window_start, prop.timezone), local(work.window_end, prop.timezone)
    end_text = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%a %d %b %H:%M")
    return f"{start.strftime('%a %d %b %Y, %H:%M')} – {end_text} ({prop.timezone})"


def _title(work: WorkOrder, language: str) -> str:
    title = pick_text(work.title, language)
    return f"⚠ {title}" if work.emergency else title


def work_columns(language: str) -> list[Column[tuple[WorkOrder, Property]]]:
    return [
        Column("Work", lambda r: _title(r[0], language)),
        Column("Property", lambda r: r[1].name),
        Column("When", lambda r: _when(*r)),
        Column("Status", lambda r: STATUS_LABELS.get(r[0].status, r[0].status)),
        Column("Slots", lambda r: len(r[0].slots), align_right=True),
        Column("Actions", lambda r: len(r[0].actions), align_right=True),
    ]


def today_page(store: Store, language: str) -> ListPage:
    catalog = WorkCatalog(store)

    def upcoming() -> list[tuple[WorkOrder, Property]]:
        now = utc_now()
        horizon = now + timedelta(days=14)
        return [
            (w, p) for w, p in catalog.rows()
            if w.status not in ("completed", "cancelled") and w.window_end >= now and w.window_start <= horizon
        ]

    return ListPage("Coming up", work_columns(language), upcoming,
                    hint="Work in progress and work starting in the next 14 days.")
