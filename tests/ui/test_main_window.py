"""The main window on the demo database, driven like a user would."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from maintdesk.errors import DatabaseError
from maintdesk.records.store import Store
from ui.app import open_store, resolve, parse_args
from ui.pages.list_page import ListPage
from ui.main_window import NAVIGATION, MainWindow


def make_window(qtbot, store, paths):
    window = MainWindow(store, paths, paths.database)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def visible_texts(page: ListPage, column: int) -> list[str]:
    proxy = page.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_navigation_lists_every_part_of_the_job(qtbot, demo_store, app_paths):
    window = make_window(qtbot, demo_store, app_paths)
    names = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert names == list(NAVIGATION)
    assert window.current_page_name() == "Today"
    assert "2 properties" in window.statusBar().currentMessage()


def test_today_shows_upcoming_demo_work_with_time_zones(qtbot, demo_store, app_paths):
    window = make_window(qtbot, demo_store, app_paths)
    today = window.pages["Today"].upcoming
    assert today.proxy.rowCount() == 3
    when = " ".join(visible_texts(today, 2))
    assert "Europe/Paris" in when and "America/Toronto" in when
    assert any(title.startswith("⚠") for title in visible_texts(today, 0))


def test_tenant_search_filters_as_you_type(qtbot, demo_store, app_paths):
    window = make_window(qtbot, demo_store, app_paths)
    window.show_page("Tenants")
    page = window.pages["Tenants"]
    assert page.proxy.rowCount() == 49
    qtbot.keyClicks(page.search, "rochefou")
    assert visible_texts(page, 0) == ["Jean-Baptiste de La Rochefoucauld-Montbel"]
    assert page.count.text() == "1 of 49"
    # QTest types ASCII only; accented text arrives as an input method commits it.
    page.search.setText("LŒTITIA")
    assert visible_texts(page, 0) == ["Lœtitia Bérénice Château"]
    page.table.selectRow(0)
    assert page.selected().tenant.name == "Lœtitia Bérénice Château"


def test_ctrl_f_selects_the_search_of_the_current_page(qtbot, demo_store, app_paths):
    window = make_window(qtbot, demo_store, app_paths)
    window.show_page("Properties")
    page = window.pages["Properties"]
    page.search.setText("Paris")
    page.search.deselect()
    find = next(a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+F"))
    find.trigger()  # the offscreen platform has no active window to deliver the key press to
    assert page.search.selectedText() == "Paris"
    assert visible_texts(page, 0) == ["Résidence Les Tilleuls"]


def test_table_models_are_well_behaved(qtbot, qtmodeltester, demo_store, app_paths):
    window = make_window(qtbot, demo_store, app_paths)
    for name in ("Properties", "Tenants", "Work"):
        window.show_page(name)
        qtmodeltester.check(window.pages[name].model)


def test_first_start_creates_a_demo_database_in_the_data_folder(tmp_path):
    paths, db_path, seed = resolve(parse_args(["--basedir", str(tmp_path)]))
    assert db_path == paths.database and seed
    store = open_store(db_path, seed)
    try:
        assert store.counts()["work_orders"] == 3
    finally:
        store.close()
    reopened = open_store(db_path, seed)  # an existing database is opened, never re-seeded
    try:
        assert reopened.counts()["work_orders"] == 3
    finally:
        reopened.close()


def test_an_explicit_db_is_never_seeded(tmp_path):
    paths, db_path, seed = resolve(parse_args(["--db", str(tmp_path / "empty.sqlite")]))
    store = open_store(db_path, seed)
    try:
        assert store.is_empty()
    finally:
        store.close()


def test_a_database_newer_than_the_code_is_refused_before_any_window(tmp_path):
    path = tmp_path / "future.sqlite"
    Store.open(path).close()
    import sqlite3
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    try:
        open_store(path, False)
    except DatabaseError as exc:
        assert "newer MaintDesk" in exc.summary
    else:
        raise AssertionError("a newer database was opened")


def answer_boxes(monkeypatch, questions: list[str], summaries: list[str]) -> None:
    """Yes to the confirmation (its text kept); the summary at the end read and closed."""
    from PySide6.QtWidgets import QMessageBox

    def question(parent, title, text, *args, **kwargs):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: summaries.append(box.text()))


def test_today_lists_the_messages_due_and_issues_printed_ones(qtbot, demo_store, app_paths, monkeypatch):
    questions, summaries = [], []
    answer_boxes(monkeypatch, questions, summaries)
    window = make_window(qtbot, demo_store, app_paths)
    page = window.pages["Today"]
    groups = [page.model.row_object(i) for i in range(page.model.rowCount())]
    assert groups, "the demo has messages due today"
    assert page.due_count.text().startswith(f"{len(groups)} due")
    printed = next(i for i, g in enumerate(groups) if g.channel == "print" and g.kind != "update")
    group = groups[printed]
    page.table.selectRow(printed)
    assert page.issue_button.isEnabled()
    page.issue_selected()
    qtbot.waitUntil(lambda: page.task is None and bool(summaries), timeout=60_000)
    assert f"{len(group.tenants)} letters to print" in questions[0] or f"{len(group.tenants)} letter to print" in questions[0]
    assert f"work order {group.work_order_id}: {len(group.tenants)} {group.kind} letter" in summaries[0]
    issued = demo_store.list_notices(group.work_order_id)
    assert {n.tenant_id for n in issued} == {m.tenant_id for m in group.tenants}
    assert all((g.work_order_id, g.kind, g.channel) != (group.work_order_id, group.kind, "print")
               for g in (page.model.row_object(i) for i in range(page.model.rowCount())))


def test_today_names_each_work_order_as_the_work_page_does(qtbot, demo_store, app_paths):
    window = make_window(qtbot, demo_store, app_paths)
    window.show_page("Work")
    today, work = window.pages["Today"].model, window.pages["Work"].model
    column = next(c for c in range(today.columnCount()) if today.headerData(c, Qt.Orientation.Horizontal) == "Work")
    due = {today.data(today.index(r, column)) for r in range(today.rowCount())}
    listed = {work.data(work.index(r, 0)).removeprefix("⚠ ") for r in range(work.rowCount())}
    assert due and due <= listed, (due, listed)


def test_issue_all_due_issues_every_group_after_one_confirmation(qtbot, demo_store, app_paths, monkeypatch,
                                                                 loopback_smtp):
    from maintdesk.mail import settings as mail_settings
    from maintdesk.notices.due import plan_due

    server, port = loopback_smtp
    mail_settings.save(app_paths, mail_settings.SmtpSettings(host="127.0.0.1", port=port, security="none"))
    questions, summaries = [], []
    answer_boxes(monkeypatch, questions, summaries)
    window = make_window(qtbot, demo_store, app_paths)
    window.resize(1200, 800)
    page = window.pages["Today"]
    before = plan_due(demo_store, app_paths)
    going = [line.group for line in before if line.held is None]
    held = [line for line in before if line.held is not None]
    assert going, "the demo has messages that can go today"
    assert page.table.height() >= page.table.rowHeight(0) * page.model.rowCount()  # every due row in sight
    page.issue_all_button.click()
    qtbot.waitUntil(lambda: page.task is None and bool(summaries), timeout=120_000)
    assert len(questions) == 1  # one confirmation for everything
    letters = sum(len(g.tenants) for g in going if g.channel == "print")
    emails = sum(len(g.tenants) for g in going if g.channel == "email")
    assert (f"{letters} letters to print" in questions[0]) == bool(letters > 1)
    assert (f"{emails} emails to send" in questions[0]) == bool(emails > 1)
    for line in held:
        assert f"Held back: work order {line.group.work_order_id}" in questions[0]
    for group in going:
        assert f"work order {group.work_order_id}: " in summaries[0]
    assert len(server.received) == emails
    issued = demo_store.list_notices()
    assert len(issued) == letters + emails, summaries[0]
    left = [page.model.row_object(i) for i in range(page.model.rowCount())]
    assert {(g.work_order_id, g.kind, g.channel) for g in left} == {
        (line.group.work_order_id, line.group.kind, line.group.channel) for line in held}


def test_the_status_bar_counts_follow_the_records(qtbot, demo_store, app_paths):
    window = make_window(qtbot, demo_store, app_paths)
    assert "49 tenants" in window.statusBar().currentMessage()
    demo_store.delete_tenant(demo_store.list_tenants()[0].tenant.id)
    window.show_page("Tenants")
    assert "48 tenants" in window.statusBar().currentMessage()


def test_today_sends_the_emails_that_are_due(qtbot, demo_store, app_paths, loopback_smtp, monkeypatch):
    from maintdesk.mail import settings as mail_settings

    server, port = loopback_smtp
    mail_settings.save(app_paths, mail_settings.SmtpSettings(host="127.0.0.1", port=port, security="none"))
    questions, summaries = [], []
    answer_boxes(monkeypatch, questions, summaries)
    window = make_window(qtbot, demo_store, app_paths)
    page = window.pages["Today"]
    groups = [page.model.row_object(i) for i in range(page.model.rowCount())]
    row = next(i for i, g in enumerate(groups) if g.channel == "email" and g.kind != "update")
    group = groups[row]
    page.table.selectRow(row)
    page.issue_selected()
    qtbot.waitUntil(lambda: page.task is None and bool(summaries), timeout=60_000)
    expected = sorted(demo_store.get_tenant(m.tenant_id).email for m in group.tenants)
    assert sorted(server.received) == expected
    assert f"{len(expected)} {group.kind} emails sent" in summaries[0]


def test_every_table_model_of_the_window_is_well_behaved(qtbot, qtmodeltester, demo_store, app_paths):
    window = make_window(qtbot, demo_store, app_paths)
    qtmodeltester.check(window.pages["Today"].model)
    qtmodeltester.check(window.pages["Today"].upcoming.model)
    for name in ("Outbox & records",):
        window.show_page(name)
        qtmodeltester.check(window.pages[name].model)


def test_a_50000_tenant_model_filters_without_creating_widgets(qtbot, qtmodeltester, tmp_path):
    from maintdesk.records.models import Property, Tenant, Unit
    from maintdesk.records.store import Store
    from ui.pages.tenants import TenantsPage

    store = Store.open(tmp_path / "big.sqlite")
    prop = store.save_property(Property(name="Tower", address_line1="1 Main St", city="Lyon", country="FR",
                                        timezone="Europe/Paris"))
    units = store.add_units(prop.id, [Unit(prop.id, f"U{n:05d}") for n in range(50_000)])
    store.add_tenants(Tenant(unit_id=u.id, name=f"Tenant {i:05d} {'Lefèvre' if i % 1000 == 7 else 'Martin'}")
                      for i, u in enumerate(units))
    page = TenantsPage(store)
    qtbot.addWidget(page)
    page.refresh()   # 50,000 tenants: read on the pool, shown when read
    qtbot.waitUntil(lambda: page.loading is None, timeout=30_000)
    assert page.model.rowCount() == 50_000
    page.search.setText("lefevre")  # accent-insensitive
    assert page.model.rowCount() == 50
    assert page.count.text() == "50 of 50,000"
    from PySide6.QtWidgets import QWidget

    assert len(page.findChildren(QWidget)) < 60  # rows are painted by the view, never built as widgets
    qtmodeltester.check(page.model)
    store.close()
