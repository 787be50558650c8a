"""A long tenant list is read off the GUI thread; a short one at once."""

from pathlib import Path

import pytest

from maintdesk.records.models import Property, Tenant, Unit
from maintdesk.records.store import Store
from ui.pages import tenants as tenants_page
from ui.pages.tenants import LOAD_IN_BACKGROUND_OVER, TenantsPage

WAIT = 30_000


def fill(store: Store, count: int) -> None:
    with store.transaction():
        prop = store.save_property(Property(name="Les Lilas", address_line1="2 rue des Lilas", city="Paris",
                                            country="FR", jurisdiction="FR", timezone="Europe/Paris"))
        units = store.add_units(prop.id, [Unit(prop.id, f"U{n:05d}", n // 100) for n in range(count)])
        store.add_tenants(Tenant(unit_id=u.id, name=f"Tenant {u.label} Lefèvre") for u in units)


@pytest.fixture
def big(tmp_path: Path):
    path = tmp_path / "big.sqlite"
    store = Store.open(path)
    fill(store, LOAD_IN_BACKGROUND_OVER + 1)
    yield store, path
    store.close()


def test_a_long_list_loads_in_the_background_and_keeps_the_page_usable(qtbot, big, monkeypatch):
    monkeypatch.setattr(tenants_page, "show_crash", lambda parent, report: pytest.fail(report))
    store, path = big
    page = TenantsPage(store)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.loading is not None and page.count.text() == "Loading…"   # refresh() returned before the rows
    assert page.model.total_count() == 0
    page.refresh()   # asked again while loading: one more load, after this one
    qtbot.waitUntil(lambda: page.loading is None and page.model.total_count() == LOAD_IN_BACKGROUND_OVER + 1,
                    timeout=WAIT)
    assert page.count.text().replace(",", "").replace("\u202f", "").startswith(str(LOAD_IN_BACKGROUND_OVER + 1))
    page.search.setText("U00042")
    assert [page.model.row_object(r).unit_label for r in range(page.model.rowCount())] == ["U00042"]


def test_a_tenant_added_while_loading_is_in_the_list_after_it(qtbot, big):
    store, path = big
    page = TenantsPage(store)
    qtbot.addWidget(page)
    page.refresh()
    unit = store.save_unit(Unit(store.list_properties()[0].id, "Z1", 9))
    store.add_tenants([Tenant(unit_id=unit.id, name="Zoé Núñez")])
    page.refresh()
    qtbot.waitUntil(lambda: page.loading is None and page.model.total_count() == LOAD_IN_BACKGROUND_OVER + 2,
                    timeout=WAIT)
    assert "Zoé Núñez" in {page.model.row_object(r).tenant.name for r in range(page.model.rowCount())}


def test_a_short_list_is_there_at_once(qtbot, demo_store, app_paths):
    page = TenantsPage(demo_store)
    qtbot.addWidget(page)
    page.refresh()
    assert page.loading is None and page.model.total_count() == len(demo_store.list_tenants()) > 0
