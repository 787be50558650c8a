"""Issuing a work order's notices from the Work page: drafts first, then off the GUI thread, archived."""

from PySide6.QtPdf import QPdfDocument

from notices_testing import WAIT, issue, wait_for_draft

from ui.dialogs.letters import LettersDialog
from ui.main_window import MainWindow


def test_letters_are_issued_in_the_background_after_the_confirmation(qtbot, demo_store, app_paths, confirmations):
    work = demo_store.get_work_order(2)  # the Toronto water shut-off, 27 tenants
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    assert dialog.kind.currentData() == "initial"
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    wait_for_draft(qtbot, dialog)
    with qtbot.waitSignal(dialog.document.statusChanged, timeout=WAIT,
                          check_params_cb=lambda status: status == QPdfDocument.Status.Ready):
        dialog.issue_button.click()
        assert not dialog.issue_button.isEnabled()  # the GUI thread is free while letters render
    qtbot.waitUntil(lambda: dialog.task is None, timeout=WAIT)
    tenants = [r.tenant for r in demo_store.list_tenants(work.property_id) if r.tenant.active]
    paper, email = [t for t in tenants if t.wants_print], [t for t in tenants if t.wants_email]
    assert len(tenants) == 27 and 0 < len(paper) < 27
    assert f"{len(paper)} letters to print: {len(paper)} French" in confirmations.shown[0]
    assert f"{len(email)} emails to send: {len(email)} French" in confirmations.shown[0]
    # one page per letter, two for a tenant in large print
    pages = len(paper) + sum(t.large_print for t in paper)
    assert dialog.document.pageCount() == dialog.batch.merged_pages == pages
    assert f"{len(paper)} printed for tenants on paper" in dialog.status.text()
    assert dialog.print_button.isEnabled()
    assert "Coupure d'eau" in dialog.document.getAllText(0).text()
    issued = demo_store.list_notices(work.id)
    letters = [n for n in issued if n.channel == "print"]
    assert {n.tenant_id for n in letters} == {t.id for t in paper} and {n.language for n in issued} == {"fr"}
    # No email server: one .eml file per tenant on email, recorded as exported
    assert sorted(n.tenant_id for n in issued if n.channel == "eml") == sorted(t.id for t in email)
    assert len(list(dialog.eml_dir.glob("*.eml"))) == len(email)


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

    dialog = ChecksDialog(demo_store, app_paths, 1)
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


def test_issue_emails_those_who_want_email_and_prints_for_those_on_paper(qtbot, demo_store, app_paths,
                                                                        loopback_smtp, confirmations):
    from maintdesk.mail import settings as mail_settings

    server, port = loopback_smtp
    mail_settings.save(app_paths, mail_settings.SmtpSettings(host="127.0.0.1", port=port, security="none"))
    work = demo_store.get_work_order(3)  # the emergency: every channel a tenant has
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    issue(qtbot, dialog)
    affected = {u.id for u in demo_store.affected_units(work)}
    tenants = [r.tenant for r in demo_store.list_tenants(work.property_id) if r.tenant.active and r.tenant.unit_id in affected]
    by_email = sorted(t.email for t in tenants if t.email)
    assert sorted(server.received) == by_email
    assert f"Emails go through 127.0.0.1:{port}" in confirmations.shown[0]
    assert f"{len(by_email)} sent by email" in dialog.status.text()
    assert f"{len(tenants)} printed for tenants on paper" in dialog.status.text()
    assert dialog.document.pageCount() >= len(tenants)


def test_clicking_a_tenant_shows_their_letter(qtbot, demo_store, app_paths, confirmations):
    work = demo_store.get_work_order(2)
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    wait_for_draft(qtbot, dialog)
    assert dialog.recipients.count() == 27  # before issuing: every tenant, with the channels the notice takes
    assert dialog.recipients.item(0).text().endswith(("letter", "letter + email"))
    dialog.recipients.setCurrentRow(4)
    wait_for_draft(qtbot, dialog)
    fifth = dialog.recipients.item(4).text().split(" · ")[0]
    assert fifth in dialog.status.text() and fifth.split()[0] in dialog.document.getAllText(0).text()
    with qtbot.waitSignal(dialog.document.statusChanged, timeout=WAIT,
                          check_params_cb=lambda status: status == QPdfDocument.Status.Ready):
        issue(qtbot, dialog)
    names = [n.recipient_name for n in dialog.batch.notices]
    assert dialog.recipients.item(5).text().startswith(names[5])
    dialog.recipients.setCurrentRow(5)
    page = dialog.view.pageNavigator().currentPage()
    assert page == dialog.first_pages[5] and names[5].split()[0] in dialog.document.getAllText(page).text()


def test_closing_the_dialog_removes_its_drafts(qtbot, demo_store, app_paths):
    dialog = LettersDialog(app_paths.database, app_paths, demo_store.get_work_order(1), "fr")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_draft(qtbot, dialog)
    assert list(dialog.draft_dir.glob("draft-*.pdf"))  # the draft shown is a file in the dialog's own folder
    dialog.close()
    assert not dialog.draft_dir.exists()


def test_the_other_tenants_drafts_are_made_in_the_background_and_shown_without_waiting(qtbot, demo_store, app_paths):
    work = demo_store.get_work_order(2)
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    wait_for_draft(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.every_draft is None and len(dialog.drafts) == 27, timeout=WAIT)

    dialog.recipients.setCurrentRow(7)

    assert dialog.preview is None  # nothing laid out: the file was there
    seventh = dialog.recipients.item(7).text().split(" · ")[0]
    assert seventh in dialog.status.text()
    qtbot.waitUntil(lambda: dialog.document.status() == QPdfDocument.Status.Ready, timeout=WAIT)
    assert seventh.split()[-1] in dialog.document.getAllText(0).text()
    # Another notice kind: the drafts made for the old one are not shown for it
    dialog.kind.setCurrentIndex(dialog.kind.findData("reminder"))
    assert dialog.drafts == {}
