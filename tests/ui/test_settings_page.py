"""Settings: the organization, its senders with messages beside the fields, and the SMTP server with a test email."""

from ui.main_window import MainWindow


def settings_page(qtbot, store, paths):
    window = MainWindow(store, paths, paths.database)
    qtbot.addWidget(window)
    window.show_page("Settings")
    return window.pages["Settings"]


def test_the_organization_is_shown_and_saved(qtbot, demo_store, app_paths):
    page = settings_page(qtbot, demo_store, app_paths)
    assert page.name.text() == "Horizon Property Management"
    page.name.setText("Horizon Gestion")
    page.language.setCurrentIndex(page.language.findData("de"))
    assert page.save_organization()
    org = demo_store.get_organization()
    assert (org.name, org.default_language) == ("Horizon Gestion", "de")


def test_each_office_is_a_sender_listed_with_its_paper_and_buildings(qtbot, demo_store, app_paths):
    page = settings_page(qtbot, demo_store, app_paths)
    rows = [page.senders.item(i).text() for i in range(page.senders.count())]
    assert rows == [
        "Paris office · A4, window on the right (French NF Z 11-001) · French · Résidence Les Tilleuls",
        "Toronto office · Letter, Canadian #10 window envelope · English · Maple Court Apartments",
    ]


def test_a_sender_with_a_bad_email_shows_it_beside_the_field_and_keeps_what_was_typed(qtbot, demo_store, app_paths):
    page = settings_page(qtbot, demo_store, app_paths)
    dialog = page.add_sender()
    qtbot.addWidget(dialog)
    dialog.fields["label"].setText("Lyon office")
    dialog.fields["email_from"].setText("notices@@example")
    dialog.fields["title_de"].setText("Hausverwalterin")
    dialog.fields["window_layout"].setCurrentIndex(dialog.fields["window_layout"].findData("din5008"))
    assert not dialog.save()
    assert dialog.message("email_from").startswith("Not a valid email address: \"notices@@example\"")
    assert dialog.fields["label"].text() == "Lyon office" and dialog.isVisible()
    assert [s.label for s in demo_store.list_senders()] == ["Paris office", "Toronto office"]  # nothing half-saved

    dialog.fields["email_from"].setText("lyon@example.org")
    assert dialog.save()
    lyon = demo_store.list_senders()[-1]
    assert (lyon.label, lyon.signer_titles, lyon.paper_size) == ("Lyon office", {"de": "Hausverwalterin"}, "A4")
    assert page.senders.currentItem().text().startswith("Lyon office · A4, window on the left (DIN 5008)")


def test_a_sender_a_building_uses_is_not_deleted(qtbot, demo_store, app_paths, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    page = settings_page(qtbot, demo_store, app_paths)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    page.senders.setCurrentRow(1)
    assert not page.delete_sender()
    assert "Maple Court Apartments uses it" in page.senders_status.text()
    assert len(demo_store.list_senders()) == 2


def test_a_building_chooses_its_sender_in_its_form(qtbot, demo_store):
    from ui.dialogs.property import PropertyDialog

    toronto = next(p for p in demo_store.list_properties() if p.city == "Toronto")
    dialog = PropertyDialog(demo_store, toronto)
    qtbot.addWidget(dialog)
    combo = dialog.fields["sender_id"]
    assert combo.currentText() == "Toronto office"
    combo.setCurrentIndex(combo.findText("Paris office"))
    assert dialog.save()
    assert demo_store.sender_of(demo_store.get_property(toronto.id)).label == "Paris office"


def test_a_test_email_goes_through_the_office_server(qtbot, demo_store, app_paths, loopback_smtp):
    server, port = loopback_smtp
    page = settings_page(qtbot, demo_store, app_paths)
    page.host.setText("127.0.0.1")
    page.port.setValue(port)
    page.security.setCurrentIndex(page.security.findData("none"))
    page.test_to.setText("manager@example.org")
    page.send_test()
    qtbot.waitUntil(lambda: page.task is None, timeout=20_000)
    assert "Test email accepted" in page.smtp_status.text(), page.smtp_status.text()
    [(sender, recipients, content)] = server.messages
    assert (sender, recipients) == ("notices@example.org", ["manager@example.org"])
    assert b"MaintDesk: test email" in content
    assert (app_paths.config_dir / "smtp.json").is_file()


def test_an_unreachable_server_is_one_sentence(qtbot, demo_store, app_paths, unused_loopback_port):
    page = settings_page(qtbot, demo_store, app_paths)
    page.host.setText("127.0.0.1")
    page.port.setValue(unused_loopback_port)  # nobody listens there
    page.security.setCurrentIndex(page.security.findData("none"))
    page.test_to.setText("manager@example.org")
    page.send_test()
    qtbot.waitUntil(lambda: page.task is None, timeout=20_000)
    assert page.smtp_status.text().startswith("cannot reach 127.0.0.1:")
    assert "Traceback" not in page.smtp_status.text()
