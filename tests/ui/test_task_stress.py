"""The letters dialog's email path, fifty times in a row, with the preview on screen.

Each round reads the draft, then issues a progress update by email through a loopback server and prints it for the
tenants on paper, shows the printed letters in the dialog's PDF view and closes the dialog at
once, while the view may still be rendering pages and the server's thread is still busy. The
work of a round runs on a worker thread (ui/tasks/runner.py); Python's garbage is collected on
the GUI thread only (ui/garbage.py).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from maintdesk.planning.communication import law_wants_paper
from notices_testing import issue
from ui.dialogs.letters import LettersDialog
from ui.tasks import runner

ROUNDS = 50
WAIT = 120_000


def test_fifty_rounds_of_emailing_from_the_letters_dialog(qtbot, demo_store, app_paths, loopback_smtp, confirmations):
    from maintdesk.mail import settings as mail_settings

    server, port = loopback_smtp
    mail_settings.save(app_paths, mail_settings.SmtpSettings(host="127.0.0.1", port=port, security="none"))
    work = demo_store.get_work_order(3)
    tenants = [r.tenant for r in demo_store.list_tenants(work.property_id) if r.tenant.active]
    affected = {u.id for u in demo_store.affected_units(work)}
    by_email = [t for t in tenants if t.unit_id in affected and t.wants_email]
    paper_for_all = law_wants_paper(demo_store, work)  # France: every tenant gets the letter too
    on_paper = [t for t in tenants if t.unit_id in affected and (t.wants_print or paper_for_all)]
    assert by_email and on_paper, "the round must both send and print"
    for round_number in range(1, ROUNDS + 1):
        dialog = LettersDialog(app_paths.database, app_paths, work, "en")
        dialog.kind.setCurrentIndex(dialog.kind.findData("update"))
        dialog.message_en.setPlainText(f"Round {round_number}: the plumbers are still at work.")
        dialog.show()
        issue(qtbot, dialog)
        assert f"{len(by_email)} sent by email" in dialog.status.text(), dialog.status.text()
        assert f"{len(on_paper)} printed for tenants on paper" in dialog.status.text()
        assert dialog.document.pageCount() >= len(on_paper)
        QApplication.processEvents()  # the view starts rendering the printed letters…
        dialog.close()                # …and the dialog goes at once
        dialog.deleteLater()
        dialog = None  # the last reference: the dialog goes with it
        QApplication.processEvents()
    assert len(server.received) == ROUNDS * len(by_email)
    assert runner.running() == 0
