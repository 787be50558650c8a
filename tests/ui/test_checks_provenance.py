"""The Checks dialog says where its rules come from: when they were encoded, whether anyone read the
statute's text (and where), how periods are counted and what is uncertain."""

from __future__ import annotations

from ui.dialogs.checks import ChecksDialog


def open_checks(qtbot, store, paths, work_id: int) -> ChecksDialog:
    dialog = ChecksDialog(store, paths, work_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    return dialog


def test_an_unverified_rule_says_so_in_the_checks_dialog(qtbot, demo_store, app_paths):
    work = next(w for w in demo_store.list_work_orders() if not w.emergency
                and demo_store.get_property(w.property_id).jurisdiction == "FR")
    dialog = open_checks(qtbot, demo_store, app_paths, work.id)
    text = dialog.provenance.text()
    assert text.startswith("Rules: France — Loi n° 89-462")
    assert "Encoded 2026-11-26; NOT verified" in text and "#a11d1d" in text  # in red
    assert dialog.provenance_details.isHidden()
    dialog.details_button.click()
    details = dialog.provenance_details.text()
    assert dialog.provenance_details.isVisible() or not dialog.isVisible()
    assert details.startswith("Basis: ") and "Uncertain: " in details and "Counting: " in details


def test_a_verified_rule_names_the_text_that_was_read(qtbot, demo_store, app_paths):
    work = next(w for w in demo_store.list_work_orders() if demo_store.get_property(w.property_id).jurisdiction == "CA-ON")
    text = open_checks(qtbot, demo_store, app_paths, work.id).provenance.text()
    assert "#a11d1d" not in text
    assert "Rules: Ontario" in text and "verified on 2026-12-04 from a copy of the text: http" in text
    assert "NOT verified" not in text
