"""The notices of a work order: read the drafts, then issue after a confirmation, then print.

The dialog opens on drafts: the chosen tenant's letter (marked DRAFT on every page) and email,
rendered off the GUI thread, with what issuing would do. Nothing is archived until "Issue…" and
its confirmation; then the letters for the tenants on paper come back to print and the emails
leave through the office's server or as .eml files.
"""

from __future__ import annotations

import shutil
from html import escape
from datetime import datetime
from pathlib import Path

import pikepdf

from PySide6.QtCore import QPointF, QStandardPaths, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget,
    QListWidgetItem, QPlainTextEdit, QProgressBar, QPushButton, QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from maintdesk.errors import UserFacingError
from maintdesk.letters import issuing
from maintdesk.mail.outbox import EmailOutcome
from maintdesk.notices.issue import IssueRequest
from maintdesk.notices.plan import IssuePlan
from maintdesk.paths import AppPaths
from maintdesk.records.location import Location
from maintdesk.records.models import NOTICE_KINDS, WorkOrder, pick_text
from ui.dialogs.issue_confirm import confirm_issue, for_the_window, status_step
from ui.labels import STATUS_LABELS
from ui.messages import show_crash, show_error
from ui.tasks.email_sending import outcome_text
from ui.tasks.issuing import DraftPreview, DraftRequest, issue_task, preview_task
from ui.tasks.runner import Task, start
from ui.widgets.printing import print_pdf
from ui import scratch
from ui.scratch import scratch_dir

KIND_LABELS = {
    "initial": "Initial notice", "reminder": "Reminder (24 h before)", "final-reminder": "Final reminder (same day)",
    "emergency": "Emergency notice", "update": "Progress update", "postponed": "Postponement", "cancelled": "Cancellation",
    "completed": "Completion",
}
PREVIEW_DELAY_MS = 400  # typing an update redraws the draft once the typing pauses
EVERY_DRAFT_LIMIT = 200  # up to this many recipients, all drafts are made in the background (~0.07 s each)


def pdf_page_count(path: Path) -> int:
    with pikepdf.open(path) as document:
        return len(document.pages)


def channel_words(on_paper: bool, by_email: bool) -> str:
    return " + ".join(word for word, used in (("letter", on_paper), ("email", by_email)) if used) or "nothing"


class LettersDialog(QDialog):
    def __init__(self, database: Location, paths: AppPaths, work: WorkOrder, language: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.database, self.paths, self.work = database, paths, work  # the window's file or office server
        self.task: Task | None = None          # issuing
        self.preview: Task | None = None       # the draft being rendered
        # After the first draft, every recipient's in the background: a click on a tenant then
        # shows a file already made instead of laying one out.
        self.every_draft: Task | None = None
        self.drafts: dict[int, tuple[Path, issuing.PreparedLetter]] = {}
        self.draft_rounds = 0
        self.plan: IssuePlan | None = None
        self.may_not_issue = ""  # the desk's role on an office server may not issue: why
        self.batch: issuing.IssuedBatch | None = None
        self.first_pages: list[int] = []
        self.draft_dir = scratch_dir("drafts", owner=self)  # never archived, removed with the dialog
        self.setWindowTitle(f"Notices — {pick_text(work.title, language)}")
        self.resize(980, 800)

        self.kind = QComboBox()
        for kind in NOTICE_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.setCurrentIndex(NOTICE_KINDS.index(self.suggested_kind()))
        self.language = QComboBox()
        self.language.addItem("Each tenant's language", None)
        self.language.addItem("English", "en")
        self.language.addItem("French", "fr")
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
        self.out_dir = paths.data_dir / "letters" / f"wo{work.id}-{stamp}"
        self.eml_dir = paths.data_dir / "emails" / f"wo{work.id}-{stamp}"

        # The text of a progress update, written here: it is the news the letter carries.
        self.message_en, self.message_fr = QPlainTextEdit(), QPlainTextEdit()
        for box, placeholder in ((self.message_en, "What has happened since the last notice (English)"),
                                 (self.message_fr, "Ce qui s'est passé depuis le dernier avis (français)")):
            box.setPlaceholderText(placeholder)
            box.setMaximumHeight(70)
            box.textChanged.connect(self._changed)

        form = QFormLayout()
        self.form = form
        form.addRow("Notice:", self.kind)
        form.addRow("Language:", self.language)
        form.addRow("Update (English):", self.message_en)
        form.addRow("Update (French):", self.message_fr)
        self.kind.currentIndexChanged.connect(self._changed)
        self.language.currentIndexChanged.connect(self._changed)

        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        self.plan_label.setObjectName("planLabel")
        self.issue_button = QPushButton("Issue…")
        self.issue_button.setToolTip("See what will be printed and sent, then issue and archive the notice")
        self.issue_button.clicked.connect(self.issue)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.email_view = QTextBrowser()
        self.email_view.setOpenLinks(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.view, "Letter")
        self.tabs.addTab(self.email_view, "Email")

        self.print_button = QPushButton("Print…")
        self.print_button.clicked.connect(self.print_letters)
        self.save_button = QPushButton("Save PDF…")
        self.save_button.setToolTip("Save a copy of the issued letters to print as one PDF file")
        self.save_button.clicked.connect(self.save_pdf)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save_pdf)
        self.open_button = QPushButton("Open folder")
        self.open_button.clicked.connect(self.open_folder)
        for button in (self.print_button, self.save_button, self.open_button):
            button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        self.recipients = QListWidget()
        self.recipients.setMinimumWidth(300)
        self.recipients.setMaximumWidth(360)
        self.recipients.setToolTip("Click a tenant to read their notice")
        self.recipients.currentRowChanged.connect(self.show_recipient)

        actions = QHBoxLayout()
        actions.addWidget(self.issue_button)
        actions.addWidget(self.progress, 1)
        actions.addStretch(0)
        actions.addWidget(self.print_button)
        actions.addWidget(self.save_button)
        actions.addWidget(self.open_button)
        preview = QHBoxLayout()
        preview.addWidget(self.recipients)
        preview.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.plan_label)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addLayout(preview, 1)
        layout.addWidget(buttons)

        self.redraw = QTimer(self)
        self.redraw.setSingleShot(True)
        self.redraw.setInterval(PREVIEW_DELAY_MS)
        self.redraw.timeout.connect(self.render_draft)
        self._show_update_boxes()
        self._update_buttons()
        QTimer.singleShot(0, self.render_draft)  # the draft shows as soon as the dialog opens

    # --- what is chosen --------------------------------------------------------------------
    def message(self) -> dict[str, str]:
        if self.kind.currentData() != "update":
            return {}
        texts = {"en": self.message_en.toPlainText().strip(), "fr": self.message_fr.toPlainText().strip()}
        return {lang: text for lang, text in texts.items() if text}

    def suggested_kind(self) -> str:
        """The message the work order's state calls for: its status first, then emergency or initial."""
        by_status = {"completed": "completed", "cancelled": "cancelled", "postponed": "postponed"}
        if self.work.status in by_status:
            return by_status[self.work.status]
        return "emergency" if self.work.emergency else "initial"

    def selected_tenant(self) -> int | None:
        item = self.recipients.currentItem()
        return item.data(256) if item is not None else None

    def _show_update_boxes(self) -> None:
        is_update = self.kind.currentData() == "update"
        for box in (self.message_en, self.message_fr):
            self.form.setRowVisible(box, is_update)

    def _changed(self) -> None:
        """Another kind, language or update text: the issued letters are no longer what is shown."""
        self._show_update_boxes()
        self._forget_drafts()
        self.batch = None
        self.first_pages = []
        self.redraw.start()
        self._update_buttons()

    # --- drafts ----------------------------------------------------------------------------
    def render_draft(self) -> None:
        if self.preview is not None:
            self.preview.cancel()  # a newer choice replaces it; a cancelled task reports nothing
        request = DraftRequest(self.work.id, self.kind.currentData(), self.language.currentData(), self.message(),
                               self.selected_tenant(), self.draft_dir)
        self.preview = preview_task(self.database, self.paths, request)
        self.preview.signals.finished.connect(self._draft_ready)
        self.preview.signals.failed.connect(self._draft_failed)
        self.preview.signals.crashed.connect(self._crashed)
        self.status.setText("Preparing the draft…")
        start(self.preview)

    def _draft_ready(self, preview: DraftPreview) -> None:
        self.preview = None
        self.plan = preview.plan
        self.may_not_issue = preview.may_not_issue
        self.show_plan(preview.plan)
        self.list_plan_recipients(preview.plan, preview.draft)
        if preview.draft is None:
            self.document.close()
            self.email_view.clear()
            self.status.setText(preview.why_no_draft)
        else:
            self._show_draft(preview.draft.files[0], preview.draft.letters[0])
            if self.every_draft is None and not self.drafts and 1 < len(self.recipients_ids()) <= EVERY_DRAFT_LIMIT:
                self._render_every_draft()
        self._update_buttons()

    def _show_draft(self, path: Path, letter: issuing.PreparedLetter) -> None:
        self.document.load(str(path))
        self.email_view.setHtml(f"<p><b>Subject:</b> {escape(letter.rendered.subject)}</p><hr>"
                                + letter.rendered.email_html)
        self.status.setText(f"Draft for {letter.tenant.name} ({letter.unit.label}, {letter.language}): marked "
                            "DRAFT, not issued, nothing archived.")

    def recipients_ids(self) -> list[int]:
        return [self.recipients.item(row).data(256) for row in range(self.recipients.count())]

    def _render_every_draft(self) -> None:
        self.draft_rounds += 1
        request = DraftRequest(self.work.id, self.kind.currentData(), self.language.currentData(), self.message(),
                               None, self.draft_dir / f"every-{self.draft_rounds}", every_tenant=True)
        task = self.every_draft = preview_task(self.database, self.paths, request)
        task.signals.finished.connect(lambda preview: self._every_draft_ready(task, preview))
        task.signals.failed.connect(lambda _error: self._every_draft_ready(task, None))
        task.signals.crashed.connect(lambda _report: self._every_draft_ready(task, None))
        start(task)

    def _every_draft_ready(self, task: Task, preview: DraftPreview | None) -> None:
        if task is not self.every_draft:
            return  # the choice changed since: this round is of no use
        self.every_draft = None
        if preview is not None and preview.draft is not None:
            self.drafts = {letter.tenant.id: (path, letter)
                           for letter, path in zip(preview.draft.letters, preview.draft.files)}

    def _forget_drafts(self) -> None:
        if self.every_draft is not None:
            self.every_draft.cancel()
            self.every_draft = None
        self.drafts = {}

    def _draft_failed(self, error: UserFacingError) -> None:
        self.preview = None
        self.document.close()
        self.status.setText(f"No draft: {error.summary}")
        self._update_buttons()

    def show_plan(self, plan: IssuePlan) -> None:
        step = status_step(plan)
        text = " ".join(plan.lines(show_refusal=step is None))
        if step is not None:
            text += (f" The work order is {STATUS_LABELS[plan.work.status].lower()}: issuing offers to mark it "
                     f"{STATUS_LABELS[step].lower()}.")
        if self.may_not_issue:
            text += f" {self.may_not_issue}. You can read the drafts."
        self.plan_label.setText(for_the_window(text))
        problem = not plan.allowed or bool(self.may_not_issue)
        self.plan_label.setProperty("problem", problem)
        self.plan_label.setStyleSheet("color: #a33;" if problem else "")

    def list_plan_recipients(self, plan: IssuePlan, draft: issuing.DraftBatch | None) -> None:
        """Every tenant with the channels the notice takes to them; the one drafted stays selected."""
        shown = draft.letters[0].tenant.id if draft else None
        on_paper = {t.id for _, t, _ in plan.letters}
        by_email = {t.id for _, t, _ in plan.emails}
        people: dict[int, tuple] = {}
        for unit, tenant, language in plan.letters + plan.emails:
            people.setdefault(tenant.id, (unit, tenant, language))
        self.recipients.blockSignals(True)
        self.recipients.clear()
        for tenant_id, (unit, tenant, language) in people.items():
            item = QListWidgetItem(f"{tenant.name} · {unit.label} · {language} · "
                                   f"{channel_words(tenant_id in on_paper, tenant_id in by_email)}")
            item.setData(256, tenant_id)
            self.recipients.addItem(item)
            if tenant_id == shown:
                self.recipients.setCurrentItem(item)
        self.recipients.blockSignals(False)

    def show_recipient(self, row: int) -> None:
        if self.batch is not None and 0 <= row < len(self.first_pages):
            self.tabs.setCurrentWidget(self.view)
            self.view.pageNavigator().jump(self.first_pages[row], QPointF(0, 0))
        elif self.batch is None:
            drafted = self.drafts.get(self.selected_tenant())
            if drafted is not None and self.preview is None:
                self._show_draft(*drafted)
            else:
                self.render_draft()

    # --- issuing ---------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        ready = self.task is None and self.preview is None and self.plan is not None
        self.issue_button.setEnabled(ready and self.plan is not None and (self.plan.letters or self.plan.emails)
                                     and not self.may_not_issue
                                     and (self.kind.currentData() != "update" or bool(self.message())))
        printable = self.batch is not None and self.batch.merged_path is not None
        self.print_button.setEnabled(printable)
        self.save_button.setEnabled(printable)
        self.open_button.setEnabled(self.batch is not None)

    def issue(self) -> None:
        if self.plan is None:
            return
        if self.plan.blocked or self.plan.email_problem or (self.plan.refusal and status_step(self.plan) is None):
            why = for_the_window(self.plan.blocked or self.plan.email_problem or self.plan.refusal or "")
            show_error(self, UserFacingError(f"This notice cannot be issued now: {why}."))
            return
        chosen = confirm_issue(self, self.plan, self.paths, self.eml_dir)
        if chosen is None:
            return
        delivery, new_status = chosen
        kind = self.kind.currentData()
        request = IssueRequest(self.work.id, kind, self.out_dir, language=self.language.currentData(),
                               message=self.message(), again=kind == "update")  # every update is a new one
        self.task = issue_task(self.database, self.paths, request, delivery, new_status)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._issued)
        self.task.signals.failed.connect(self._failed)
        self.task.signals.crashed.connect(self._crashed)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText("Issuing…")
        self._update_buttons()
        start(self.task)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(f"Issuing… {done} of {total}")

    def _issued(self, outcome: EmailOutcome) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.status.setText("Issued and archived: " + outcome_text(outcome))
        self.plan_label.setText("")
        batch = outcome.printed
        if batch is not None:
            self.batch = batch
            self.list_issued(batch)
            if batch.merged_path:
                self.document.load(str(batch.merged_path))
                self.tabs.setCurrentWidget(self.view)
        else:
            self.document.close()
            self.recipients.clear()
        self._update_buttons()

    def list_issued(self, batch: issuing.IssuedBatch) -> None:
        """One line per printed letter, remembering where it starts in the print file."""
        self.recipients.blockSignals(True)
        self.recipients.clear()
        self.first_pages = []
        page = 0
        for notice, path in zip(batch.notices, batch.files):
            self.first_pages.append(page)
            page += pdf_page_count(path)
            self.recipients.addItem(f"{notice.recipient_name} ({notice.language}) · letter")
        self.recipients.blockSignals(False)

    def _failed(self, error: UserFacingError) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.status.setText(error.summary)
        self._update_buttons()
        show_error(self, error)
        self.render_draft()  # the plan may have changed (a notice issued by someone else, a check)

    def _crashed(self, report: str) -> None:
        self.task = self.preview = None
        self.progress.setVisible(False)
        self._update_buttons()
        show_crash(self, report)

    # --- after issuing ---------------------------------------------------------------------
    def print_letters(self) -> None:
        if self.batch and self.batch.merged_path:
            print_pdf(self, self.document)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.out_dir)))

    def save_pdf(self) -> None:
        """A copy of the merged print file wherever the user chooses (Documents by default)."""
        merged = self.batch.merged_path if self.batch else None
        if merged is None or not Path(merged).exists():
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        default = Path(documents or Path.home()) / Path(merged).name
        chosen, _filter = QFileDialog.getSaveFileName(self, "Save letters as PDF", str(default), "PDF files (*.pdf)")
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            shutil.copyfile(merged, target)
        except OSError as exc:
            self.status.setText(f"Could not save the PDF to {target}: {exc.strerror or exc}")
            return
        self.status.setText(f"Letters saved to {target}")

    def done(self, result: int) -> None:
        self._forget_drafts()
        for task in (self.task, self.preview):
            if task is not None:
                task.cancel()
        self.redraw.stop()
        self.document.close()
        scratch.remove(self.draft_dir)
        super().done(result)
