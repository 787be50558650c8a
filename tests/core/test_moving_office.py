"""Moving an office (issue 17): `data export` from SQLite, `data import` into PostgreSQL and back
give identical JSON files, with issued notices, voids, checks, accepted findings, agreements, and the
bounces and replies read from the office mailbox."""

from __future__ import annotations

import contextlib
import io
from datetime import date, datetime, timezone

from maintdesk.cli.app import main
from maintdesk.records.agreements import EntryAgreement
from maintdesk.records.demo import create_demo
from maintdesk.records.models import InboundMessage, IssueCheck, Notice
from maintdesk.records.store import Store
from maintdesk.records.terms import FindingOverride

UTC = timezone.utc


def cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(list(argv), out=out)
    assert status == 0, err.getvalue()
    return out.getvalue()


def a_busy_office(path) -> None:
    """The demo, with notices issued (one voided and corrected), the checks at issue, an accepted
    finding withdrawn, an entry agreement, and work terms changed."""
    store = Store.open(path)
    try:
        create_demo(store, today=date(2026, 5, 11))
        work = next(w for w in store.list_work_orders() if w.slots)
        rows = store.list_tenants(work.property_id)[:3]
        notices = [store.add_notice(Notice(
            work_order_id=work.id, tenant_id=r.tenant.id, unit_id=r.tenant.unit_id, kind="initial",
            language=r.tenant.language, channel="email" if n else "print", recipient_name=r.tenant.name,
            recipient_email=r.tenant.email, subject=f"Travaux n° {n} – 100 % « radiateurs »",
            body_html="<p>Madame, …</p>", body_text="Madame, …", pdf_sha256="5e" * 32,
            state="sent" if n else "printed", batch_id="batch-1", property_name="Les Tilleuls", unit_label=r.unit_label,
            created_at=datetime(2026, 5, 11, 8, 0, n, tzinfo=UTC),
            sent_at=datetime(2026, 5, 11, 8, 1, n, tzinfo=UTC) if n else None,
            message_id=f"<initial-{n}@example.org>" if n else "")) for n, r in enumerate(rows)]
        store.add_issue_check(IssueCheck("batch-1", work.id, datetime(2026, 5, 11, 7, 59, tzinfo=UTC), False,
                                         {"findings": [{"code": "FR/notice/period", "level": "warning"}]}))
        store.void_notice(notices[1].id, "wrong date", "Camille", datetime(2026, 5, 12, 9, 0, tzinfo=UTC))
        store.add_notice(Notice(
            work_order_id=work.id, tenant_id=rows[1].tenant.id, unit_id=rows[1].tenant.unit_id, kind="initial",
            language="fr", channel="print", recipient_name=rows[1].tenant.name, subject="Correction",
            corrects_notice_id=notices[1].id, created_at=datetime(2026, 5, 12, 9, 5, tzinfo=UTC)))
        terms = store.get_work_terms(work.id)
        terms.print_delivery, terms.vacate_days = "registered", 2
        store.save_work_terms(terms)
        store.add_finding_override(FindingOverride(work.id, "FR/notification/method", "Signed for", "Camille"))
        taken = store.add_finding_override(FindingOverride(work.id, "FR/off-days/days", "Saturday", "Camille"))
        store.withdraw_finding_override(taken.id, "Hélène", "Two tenants said no")
        store.add_entry_agreement(EntryAgreement(work.id, work.slots[0].unit_id, "Agreed by phone, confirmed by letter",
                                                 "Camille"))
        store.add_inbound(InboundMessage("<re-2@example.org>", "reply", datetime(2026, 5, 11, 9, 0, tzinfo=UTC),
                                         folder="INBOX", uidvalidity=3, uid=12, notice_id=notices[2].id,
                                         tenant_id=rows[2].tenant.id, subject="Re: Travaux",
                                         body_text="Je ne serai pas là le matin ; l'après-midi me convient."))
    finally:
        store.close()


def test_sqlite_to_postgresql_and_back_gives_identical_json(tmp_path, postgres_url):
    office = tmp_path / "office.sqlite"
    a_busy_office(office)
    from_sqlite, from_server, back_again = (tmp_path / n for n in ("sqlite.json", "server.json", "back.json"))

    cli("--db", str(office), "data", "export", str(from_sqlite))
    cli("--db", postgres_url, "data", "import", str(from_sqlite))
    cli("--db", postgres_url, "data", "export", str(from_server))
    cli("--db", str(tmp_path / "back.sqlite"), "data", "import", str(from_server))
    cli("--db", str(tmp_path / "back.sqlite"), "data", "export", str(back_again))

    assert from_server.read_bytes() == from_sqlite.read_bytes()
    assert back_again.read_bytes() == from_sqlite.read_bytes()
    text = from_sqlite.read_text(encoding="utf-8")
    assert "l'après-midi me convient" in text, "the reply moved with the office"
    assert '"corrects_notice_id": 2' in text and '"reason": "wrong date"' in text and "100 % « radiateurs »" in text

    server = Store.open(postgres_url)
    try:
        sqlite = Store.open(office)
        try:
            assert server.counts() == sqlite.counts()
            assert server.list_notices() == sqlite.list_notices()
            assert server.list_tenants() == sqlite.list_tenants()
        finally:
            sqlite.close()
        # the server hands out new ids after the imported ones, as the file would
        work = server.list_work_orders()[0]
        assert server.reserve_notice_numbers(2)[0] == max(n.id for n in server.list_notices()) + 1
        assert server.save_work_order(work.__class__(**{**work.__dict__, "id": None, "slots": [], "actions": []})).id \
            == max(w.id for w in server.list_work_orders())
    finally:
        server.close()
