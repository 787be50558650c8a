"""A progress update from the notices dialog: the text is typed there, drafted as typed, issued as typed."""

from PySide6.QtPdf import QPdfDocument

from notices_testing import WAIT, issue, wait_for_draft
from ui.dialogs.letters import LettersDialog


def test_an_update_needs_its_text_before_issuing_and_prints_it(qtbot, demo_store, app_paths, confirmations):
    work = demo_store.get_work_order(3)  # the emergency in progress, three French tenants
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_draft(qtbot, dialog)
    assert dialog.message_en.isHidden() and dialog.issue_button.isEnabled()  # other kinds: no boxes

    dialog.kind.setCurrentIndex(dialog.kind.findData("update"))
    assert not dialog.message_en.isHidden() and not dialog.message_fr.isHidden()
    wait_for_draft(qtbot, dialog)
    assert not dialog.issue_button.isEnabled()
    assert "Write the update" in dialog.status.text()
    dialog.message_en.setPlainText("The pump is in.")
    dialog.message_fr.setPlainText("La <b>pompe</b> est posée & testée.")
    wait_for_draft(qtbot, dialog)
    assert dialog.issue_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.document.status() == QPdfDocument.Status.Ready, timeout=WAIT)
    draft = " ".join(dialog.document.getAllText(0).text().split())
    assert "La <b>pompe</b> est posée & testée." in draft and "PROJET" in draft
    assert demo_store.list_notices(work.id) == []  # a draft is never archived

    issue(qtbot, dialog)
    assert "Issued and archived" in dialog.status.text()
    assert "La <b>pompe</b> est posée & testée." in " ".join(dialog.document.getAllText(0).text().split())
    notices = demo_store.list_notices(work.id)
    affected = {u.id for u in demo_store.affected_units(work)}
    assert {n.kind for n in notices} == {"update"}
    assert {n.tenant_id for n in notices} == {r.tenant.id for r in demo_store.list_tenants(work.property_id)
                                              if r.tenant.active and r.tenant.unit_id in affected}
    assert dialog.message_fr.toPlainText() == "La <b>pompe</b> est posée & testée."  # kept for the next one

    dialog.kind.setCurrentIndex(dialog.kind.findData("emergency"))
    assert dialog.message_en.isHidden()
    wait_for_draft(qtbot, dialog)
    assert dialog.issue_button.isEnabled()
