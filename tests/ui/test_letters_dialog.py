"""Generating letters from the Work page: off the GUI thread, previewed, archived."""

from PySide6.QtPdf import QPdfDocument

from ui.letters_dialog import LettersDialog
from ui.main_window import MainWindow


def test_letters_are_generated_in_the_background_and_previewed(qtbot, demo_store, app_paths):
    work = demo_store.get_work_order(2)  # the Toronto water shut-off, 27 tenants
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    assert dialog.kind.currentData() == "initial"
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    with qtbot.waitSignal(dialog.document.statusChanged, timeout=120_000,
                          check_params_cb=lambda status: status == QPdfDocument.Status.Ready):
        dialog.generate.click()
        assert not dialog.generate.isEnabled()  # the GUI thread is free while letters render
    # one page per tenant, two for the tenant who asked for large print
    assert dialog.document.pageCount() == dialog.batch.merged_pages == 28
    assert "27 letters issued and archived" in dialog.status.text()
    assert dialog.print_button.isEnabled()
    assert "Coupure d'eau" in dialog.document.getAllText(0).text()
    notices = demo_store.list_notices(work.id)
    assert len(notices) == 27 and {n.language for n in notices} == {"fr"}


def test_an_emergency_suggests_the_emergency_notice(qtbot, demo_store, app_paths):
    dialog = LettersDialog(app_paths.database, app_paths, demo_store.get_work_order(3), "en")
    qtbot.addWidget(dialog)
    assert dialog.kind.currentData() == "emergency"


def test_the_work_page_offers_letters_for_the_selected_work_order(qtbot, demo_store, app_paths):
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Work")
    page = window.pages["Work"]
    assert not page.letters_button.isEnabled()
    page.table.selectRow(0)
    assert page.letters_button.isEnabled() and page.sheet_button.isEnabled()
