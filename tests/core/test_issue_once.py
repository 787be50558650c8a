"""Two desks issuing the same work order's notices at the same moment keep one set: the second
is told who issued them and records nothing (issue 17). Real processes on one database, on
SQLite and on PostgreSQL; the whole issuing path in one process with a second desk in between."""

from __future__ import annotations

import multiprocessing

import pytest

from maintdesk.errors import IssuedElsewhere
from maintdesk.letters import issuing
from maintdesk.records.models import Notice
from maintdesk.records.store import Store
from pg_testing import run_desks, small_work_order



def _desk(where: str, work_order_id: int, barrier, name: str, results) -> None:
    """One desk: looks at what was issued, waits for the other desk, then issues its set."""
    store = Store.open(where)
    try:
        seen = store.issued_batches(work_order_id, "initial")
        notices = [Notice(work_order_id=work_order_id, kind="initial", language="en", channel="print",
                          recipient_name=f"Tenant {n}", subject="Boiler", state="generated", batch_id=name)
                   for n in range(3)]
        barrier.wait(timeout=60)
        try:
            store.add_notices(notices, seen=seen)
            results.put((name, "issued"))
        except IssuedElsewhere as exc:
            results.put((name, str(exc)))
    finally:
        store.close()


def test_two_desks_issuing_at_the_same_moment_keep_one_set(store, db_path):
    work_order_id = small_work_order(store)
    barrier = multiprocessing.get_context("spawn").Barrier(2)
    outcome = run_desks(_desk, str(db_path), work_order_id, barrier)

    winners = [name for name, said in outcome.items() if said == "issued"]
    assert len(winners) == 1, outcome
    (loser,) = set(outcome) - set(winners)
    issued = store.list_notices(work_order_id)
    assert {n.batch_id for n in issued} == set(winners) and len(issued) == 3
    by = issued[0].issued_by
    assert by and by == store.person
    assert outcome[loser] == (f"Notices for work order {work_order_id} were just issued from another desk by {by}; "
                              "nothing was issued twice")


def test_issuing_again_later_is_not_refused(store):
    work_order_id = small_work_order(store)
    notice = Notice(work_order_id=work_order_id, kind="initial", language="en", channel="print",
                    recipient_name="Ada", subject="Boiler", state="generated")
    from dataclasses import replace

    store.add_notices([replace(notice, batch_id="one")], seen=store.issued_batches(work_order_id, "initial"))
    store.add_notices([replace(notice, batch_id="two")], seen=store.issued_batches(work_order_id, "initial"))
    reminder = replace(notice, kind="reminder", batch_id="three")
    store.add_notices([reminder], seen=frozenset())  # another kind: its own set
    assert len(store.list_notices(work_order_id)) == 3


def test_the_letters_of_the_desk_that_came_second_are_not_recorded(demo_store, db_path, tmp_path, paths):
    """The whole print path: while this desk renders, another desk issues the same notices."""
    store = demo_store
    work = store.get_work_order(1)
    tenants = frozenset(t.id for _, t in issuing.recipients(store, work, None)[:2])
    request = issuing.BatchRequest(work_order_id=1, kind="initial", out_dir=tmp_path / "a", tenant_ids=tenants)
    here = tmp_path / "desk-a" / "maintdesk.sqlite"
    events = issuing.iter_issue_print_batch(store, here, paths, request)
    next(events)  # this desk has looked and begun rendering
    other = Store.open(db_path)
    try:
        elsewhere = issuing.issue_print_batch(other, tmp_path / "desk-b" / "maintdesk.sqlite", paths,
                                              issuing.BatchRequest(1, "initial", tmp_path / "b", tenant_ids=tenants))
    finally:
        other.close()
    with pytest.raises(IssuedElsewhere) as raised:
        list(events)
    assert raised.value.summary.startswith("Notices for work order 1 were just issued from another desk by ")
    assert [n.batch_id for n in store.list_notices(1)] == [elsewhere.batch_id] * 2
    assert not any((issuing.archive_dir(here) / "wo1").glob("*/*.pdf")), "nothing of ours kept in the archive"
