"""Settings: the organization with messages beside the fields, and the SMTP server with a test email."""

from ui.main_window import MainWindow


def settings_page(qtbot, store, paths):
    window = MainWindow(store, paths, paths.database)
    qtbot.addWidget(window)
    window.show_page("Settings")
    return window.pages["Settings"]


def test_the_organization_is_shown_and_saved(qtbot, demo_store, app_paths):
    page = settings_page(qtbot, demo_store, app_paths)
    assert page.edits["name"].text() == "Horizon Property Management"
    assert page.paper.currentData() == "A4"
    page.edits["name"].setText("Horizon Gestion")
    page.paper.setCurrentIndex(page.paper.findData("Letter"))
    assert page.save_organization()
    org = demo_store.get_organization()
    assert (org.name, org.paper_size) == ("Horizon Gestion", "Letter")


def test_a_bad_email_is_shown_beside_its_field_and_nothing_typed_is_lost(qtbot, demo_store, app_paths):
    page = settings_page(qtbot, demo_store, app_paths)
    page.edits["name"].setText("Horizon Gestion")
    page.edits["sender_email"].setText("notices@@example")
    assert not page.save_organization()
    assert not page.errors["sender_email"].isHidden()
    assert "not a valid email address" in page.errors["sender_email"].text()
    assert page.edits["name"].text() == "Horizon Gestion"  # still as typed
    assert demo_store.get_organization().name == "Horizon Property Management"  # nothing half-saved


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
