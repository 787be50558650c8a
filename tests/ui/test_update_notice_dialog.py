"""A progress update from the letters dialog: the text is typed there and printed as typed."""

from PySide6.QtPdf import QPdfDocument

from ui.dialogs.letters import LettersDialog


def test_an_update_needs_its_text_before_generate_and_prints_it(qtbot, demo_store, app_paths):
    work = demo_store.get_work_order(3)  # the emergency in progress, three French tenants
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message_en.isHidden() and dialog.generate.isEnabled()  # other kinds: no boxes

    dialog.kind.setCurrentIndex(dialog.kind.findData("update"))
    assert not dialog.message_en.isHidden() and not dialog.message_fr.isHidden()
    assert not dialog.generate.isEnabled() and not dialog.email_button.isEnabled()
    assert "Write the update" in dialog.generate.toolTip()
    dialog.message_en.setPlainText("The pump is in.")
    assert dialog.generate.isEnabled()
    dialog.message_fr.setPlainText("La <b>pompe</b> est posée & testée.")

    with qtbot.waitSignal(dialog.document.statusChanged, timeout=120_000,
                          check_params_cb=lambda status: status == QPdfDocument.Status.Ready):
        dialog.generate.click()
    assert "3 letters issued and archived" in dialog.status.text()
    assert "La <b>pompe</b> est posée & testée." in " ".join(dialog.document.getAllText(0).text().split())
    notices = demo_store.list_notices(work.id)
    assert [n.kind for n in notices] == ["update"] * 3
    assert dialog.message_fr.toPlainText() == "La <b>pompe</b> est posée & testée."  # kept for the next batch

    dialog.kind.setCurrentIndex(dialog.kind.findData("emergency"))
    assert dialog.message_en.isHidden() and dialog.generate.isEnabled()
