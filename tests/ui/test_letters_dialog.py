"""Generating letters from the Work page: off the GUI thread, previewed, archived."""

from PySide6.QtPdf import QPdfDocument

from ui.dialogs.letters import LettersDialog
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


def test_the_checks_dialog_lists_findings_with_their_fix_and_records_an_accepted_one(qtbot, demo_store, app_paths,
                                                                                     monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from ui.dialogs.checks import ChecksDialog

    dialog = ChecksDialog(demo_store, app_paths.database, app_paths, 1)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    texts = [dialog.findings.item(i).text() for i in range(dialog.findings.count())]
    assert dialog.summary.text().startswith(("Needs attention", "Ready to send"))
    assert "FR" in dialog.summary.text() and "Europe/Paris" in dialog.summary.text()
    assert any("Fix:" in text for text in texts)
    assert "not legal advice" in dialog.disclaimer.text()
    open_rows = [i for i in range(dialog.findings.count()) if dialog._finding(i).overridden is None]
    dialog.findings.setCurrentRow(open_rows[0])
    code = dialog._finding(open_rows[0]).code
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *args, **kwargs: ("Tenants signed for it", True))
    before = dialog.report
    dialog.accept_finding()
    qtbot.waitUntil(lambda: dialog.report is not before, timeout=30_000)
    assert [o.code for o in demo_store.list_finding_overrides(1)] == [code]
    accepted = [dialog._finding(i) for i in range(dialog.findings.count()) if dialog._finding(i).code == code]
    assert accepted and accepted[0].overridden["reason"] == "Tenants signed for it"
    # Taking it back: the finding counts again; both decisions stay on record.
    row = next(i for i in range(dialog.findings.count()) if dialog._finding(i).code == code)
    dialog.findings.setCurrentRow(row)
    assert dialog.withdraw_button.isEnabled() and not dialog.accept_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *args, **kwargs: ("One tenant refused", True))
    before = dialog.report
    dialog.withdraw_button.click()
    qtbot.waitUntil(lambda: dialog.report is not before, timeout=30_000)
    [kept] = demo_store.list_finding_overrides(1)
    assert (kept.reason, kept.withdrawn_reason, kept.in_force) == ("Tenants signed for it", "One tenant refused", False)
    again = [dialog._finding(i) for i in range(dialog.findings.count()) if dialog._finding(i).code == code]
    assert again and again[0].overridden is None


def test_send_email_mails_those_who_want_email_and_prints_for_the_others(qtbot, demo_store, app_paths, loopback_smtp):
    from maintdesk.mail import settings as mail_settings

    server, port = loopback_smtp
    mail_settings.save(app_paths, mail_settings.SmtpSettings(host="127.0.0.1", port=port, security="none"))
    work = demo_store.get_work_order(2)
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    dialog.send_email()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=120_000)
    tenants = [r.tenant for r in demo_store.list_tenants(work.property_id) if r.tenant.active]
    by_email = sorted(t.email for t in tenants if t.wants_email)
    assert sorted(server.received) == by_email
    assert f"{len(by_email)} sent by email" in dialog.status.text()
    paper = [t for t in tenants if t.wants_print]
    assert f"{len(paper)} printed for tenants on paper" in dialog.status.text()
    assert dialog.document.pageCount() >= len(paper)


def test_clicking_a_tenant_shows_their_letter(qtbot, demo_store, app_paths):
    work = demo_store.get_work_order(2)
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.document.statusChanged, timeout=120_000,
                          check_params_cb=lambda status: status == QPdfDocument.Status.Ready):
        dialog.generate.click()
    assert dialog.recipients.count() == 27
    names = [n.recipient_name for n in dialog.batch.notices]
    assert dialog.recipients.item(5).text().startswith(names[5])
    dialog.recipients.setCurrentRow(5)
    page = dialog.view.pageNavigator().currentPage()
    assert page == dialog.first_pages[5] and names[5].split()[0] in dialog.document.getAllText(page).text()
