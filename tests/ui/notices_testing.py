"""Driving the notices dialog as a user does: wait for the draft, press Issue, answer the confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QDialog

from ui.dialogs.issue_confirm import IssueConfirmDialog

WAIT = 120_000


@dataclass
class Confirmations:
    """Every confirmation shown; `set_status` ticks its status box (mark scheduled or completed);
    Issue is pressed when it can be."""

    shown: list[str] = field(default_factory=list)
    issue_enabled: list[bool] = field(default_factory=list)
    set_status: bool = False

    def answer(self, dialog: IssueConfirmDialog) -> QDialog.DialogCode:
        self.shown.append(dialog.summary.text() + "\n" + dialog.email_note.text())
        if self.set_status and dialog.can_mark:
            dialog.mark_completed.setChecked(True)
        self.issue_enabled.append(dialog.issue_button.isEnabled())
        return QDialog.DialogCode.Accepted if dialog.issue_button.isEnabled() else QDialog.DialogCode.Rejected


@pytest.fixture
def confirmations(monkeypatch) -> Confirmations:
    answers = Confirmations()
    monkeypatch.setattr(IssueConfirmDialog, "exec", lambda dialog: answers.answer(dialog))
    return answers


def wait_for_draft(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.preview is None and dialog.plan is not None and not dialog.redraw.isActive(),
                    timeout=WAIT)


def issue(qtbot, dialog) -> None:
    """Issue… once the draft is there; waits until the issue has finished (or was refused)."""
    wait_for_draft(qtbot, dialog)
    assert dialog.issue_button.isEnabled(), dialog.plan_label.text()
    dialog.issue_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=WAIT)
