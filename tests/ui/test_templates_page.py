"""The template editor: live preview on sample data, errors with their line, own copies saved and reverted."""

from PySide6.QtPdf import QPdfDocument

from ui.pages.templates import TemplatesPage, preview_target


def open_page(qtbot, app_paths, name):
    page = TemplatesPage(app_paths)
    qtbot.addWidget(page)
    page.refresh()
    page.names.setCurrentRow(next(i for i in range(page.names.count()) if page.names.item(i).text() == name))
    return page


def test_preview_targets():
    assert preview_target("fr/reminder.html.j2") == ("fr", "reminder", "units")
    assert preview_target("en/initial-building.html.j2") == ("en", "initial", "building")
    assert preview_target("layout/letter.html.j2") == ("en", "initial", "units")
    assert preview_target("fr/_parts.html.j2") == ("fr", "initial", "units")


def test_the_preview_shows_the_real_letter(qtbot, app_paths):
    page = open_page(qtbot, app_paths, "fr/reminder.html.j2")
    qtbot.waitUntil(lambda: page.document.status() == QPdfDocument.Status.Ready, timeout=60_000)
    assert "Rappel" in page.document.getAllText(0).text()
    assert page.origin.text() == "Built-in template" and not page.revert_button.isEnabled()


def test_a_syntax_error_shows_its_line_and_cannot_be_saved(qtbot, app_paths):
    page = open_page(qtbot, app_paths, "en/reminder.html.j2")
    lines = page.editor.toPlainText().splitlines()
    lines[5] = lines[5] + " {% if %}"
    page.editor.setPlainText("\n".join(lines))
    page.preview()
    assert "en/reminder.html.j2, line 6" in page.error.text()
    assert not page.save_button.isEnabled()
    assert page.editor.textCursor().blockNumber() == 5  # the faulty line is selected
    page.save()
    assert not (app_paths.user_templates_dir / "en/reminder.html.j2").exists()


def test_an_own_copy_is_saved_used_and_reverted(qtbot, app_paths):
    page = open_page(qtbot, app_paths, "en/reminder.html.j2")
    text = page.editor.toPlainText().replace("Reminder:", "Friendly reminder:")
    page.editor.setPlainText(text)
    page.preview()
    page.save()
    own = app_paths.user_templates_dir / "en/reminder.html.j2"
    assert own.read_text(encoding="utf-8") == text
    assert page.origin.text().startswith("Your own version") and page.revert_button.isEnabled()
    assert "Friendly reminder:" in page.templates().source("en/reminder.html.j2")
    page.revert()
    assert not own.exists()
    assert "Friendly reminder:" not in page.editor.toPlainText()
