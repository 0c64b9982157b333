"""The choice of commit, with no server: what `choose` decides from listings, recorded heads and push times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from checker.scan.choose import (
    LISTING,
    Choice,
    History,
    Late,
    Listed,
    Need,
    Push,
    Pushes,
    choose,
    settle,
    with_counts,
)
from checker.scan.snapshot import FetchFailure, Plan, RecordedHead

DEADLINE = datetime(2031, 1, 24, 12, 0, tzinfo=UTC)
KEY = "dtu/team"


def commits(*hours: float) -> tuple[Listed, ...]:
    """Return a branch, newest first, of commits made `hours` after the deadline (oldest first, negative: before)."""
    made = [Listed(f"{index + 1:02d}" + "c" * 38, DEADLINE + timedelta(hours=h)) for index, h in enumerate(hours)]
    return tuple(reversed(made))


def history(branch: tuple[Listed, ...], touched: tuple[int, ...] | None = ()) -> History:
    """Return a complete listing of `branch`; `touched` holds the positions (0: head) that touched the folder."""
    folder = None if touched is None else tuple(branch[i] for i in touched)
    return History(head=branch[0], commits=branch, complete=True, touched=folder)


def decided(plan: Plan, seen: History) -> Choice:
    decision = choose(plan, KEY, seen)
    assert isinstance(decision, Choice), decision
    return decision


def test_without_deadline_the_head_is_chosen_and_nothing_is_late() -> None:
    branch = commits(-2, -1, 3)
    choice = decided(Plan(), History(head=branch[0], commits=branch[:1]))
    assert (choice.commit, choice.source, choice.late, choice.notes) == (branch[0].sha, "head", Late(0, 0), ())
    assert choice.date == DEADLINE + timedelta(hours=3)
    assert not choice.counted


def test_deadline_picks_the_last_commit_at_or_before_it_and_counts_what_came_after() -> None:
    branch = commits(-48, -24, 0, 1, 2, 3)
    choice = decided(Plan(deadline=DEADLINE), history(branch, touched=(0, 2, 4)))
    assert choice.commit == branch[3].sha  # committed exactly at the deadline: still on time
    assert choice.date == DEADLINE
    assert (choice.source, choice.late, choice.notes) == ("commit-date", Late(2, 3), ())
    assert choice.counted


def test_late_counts_are_asked_for_when_the_folder_listing_is_missing() -> None:
    branch = commits(-1, 1)
    assert choose(Plan(deadline=DEADLINE), KEY, history(branch, touched=None)) == Need("late", branch[1].sha)


def test_late_counts_known_from_the_cache_are_not_worked_out_again() -> None:
    branch = commits(-1, 1)
    seen = with_counts(history(branch, touched=None), branch[1].sha, Late(7, 1))
    choice = decided(Plan(deadline=DEADLINE), seen)
    assert (choice.late, choice.counted) == (Late(7, 1), False)
    assert with_counts(seen, "x", None) is seen


def test_a_report_at_the_top_counts_every_commit_as_touching_its_folder() -> None:
    branch = commits(-1, 1, 2)
    choice = decided(Plan(deadline=DEADLINE, report_path="README.md"), history(branch, touched=None))
    assert choice.late == Late(2, 2)


def test_no_commit_before_the_deadline_is_a_failure_value() -> None:
    failure = choose(Plan(deadline=DEADLINE), KEY, history(commits(1, 2)))
    assert isinstance(failure, FetchFailure)
    assert failure.status == "no-commit"
    assert failure.reason == "no commit on the branch at or before 2031-01-24T12:00:00Z"


def test_a_listing_longer_than_a_page_asks_the_server_for_the_deadline_commit() -> None:
    branch = commits(-5, *range(1, LISTING + 5))
    page = History(head=branch[0], commits=branch[:LISTING], complete=False, touched=branch[:3])
    assert choose(Plan(deadline=DEADLINE), KEY, page) == Need("until")
    choice = decided(Plan(deadline=DEADLINE), replace(page, until=branch[-1:]))
    assert choice.commit == branch[-1].sha
    assert choice.late == Late(3, None)  # the folder's commits counted by date; the whole count is unknown
    assert choice.notes == (f"more than {LISTING - 1} commits came after the deadline",)
    nothing = choose(Plan(deadline=DEADLINE), KEY, replace(page, until=()))
    assert isinstance(nothing, FetchFailure) and nothing.status == "no-commit"


def test_the_deadline_commit_from_a_batched_heads_answer_needs_the_listing_only_for_late_counts() -> None:
    branch = commits(-1, 1)
    seen = History(head=branch[0], until=branch[1:])
    assert choose(Plan(deadline=DEADLINE), KEY, seen) == Need("late", branch[1].sha)
    cached = decided(Plan(deadline=DEADLINE), with_counts(seen, branch[1].sha, Late(1, None)))
    assert cached.notes == (f"more than {LISTING - 1} commits came after the deadline",)
    on_time = History(head=branch[1], until=branch[1:])
    assert decided(Plan(deadline=DEADLINE), on_time).late == Late(0, 0)


def test_a_recorded_head_is_checked_even_when_later_commits_are_dated_before_the_deadline() -> None:
    branch = commits(-3, -2, -1)
    plan = Plan(deadline=DEADLINE, heads={KEY: RecordedHead(branch[1].sha, "2031-01-24T12:00:05Z")})
    choice = decided(plan, history(branch, touched=(0,)))
    assert (choice.commit, choice.source, choice.late, choice.notes) == (branch[1].sha, "heads", Late(1, 1), ())


def test_a_recorded_head_force_pushed_away_is_noted() -> None:
    branch = commits(-3, -2)
    gone = "ab" * 20
    plan = Plan(deadline=DEADLINE, heads={KEY: RecordedHead(gone, "")})
    choice = decided(plan, history(branch))
    assert (choice.commit, choice.date, choice.late) == (gone, None, Late(None, None))
    assert choice.notes == ("the recorded head abababababab is no longer on the branch (force-pushed?)",)
    page = History(head=branch[0], commits=branch, complete=False)
    assert decided(plan, page).notes == ()  # an incomplete listing cannot tell


def test_a_recorded_head_needs_a_listing_unless_it_is_the_head() -> None:
    branch = commits(-3, -2)
    plan = Plan(heads={KEY: RecordedHead(branch[1].sha, "")})
    assert choose(plan, KEY, History(head=branch[0])) == Need("listing", branch[1].sha)
    at_head = Plan(heads={KEY: RecordedHead(branch[0].sha, "")})
    assert decided(at_head, History(head=branch[0])).late == Late(0, 0)


def pushes(*events: tuple[Listed, float, bool], ref: str = "refs/heads/main") -> Pushes:
    return Pushes(tuple(Push(c.sha, ref, DEADLINE + timedelta(hours=h), force) for c, h, force in events))


def test_push_times_replace_a_backdated_commit_pushed_after_the_deadline() -> None:
    branch = commits(-3, -2, -0.5)  # the last one is dated before the deadline but pushed two hours after it
    plan = Plan(deadline=DEADLINE, push_times=True)
    seen = history(branch, touched=(0,))
    assert choose(plan, KEY, seen) == Need("pushes")
    choice = decided(plan, replace(seen, pushes=pushes((branch[1], -1, False), (branch[0], 2, True))))
    assert (choice.commit, choice.source, choice.branch) == (branch[1].sha, "push-time", "main")
    assert choice.late == Late(1, 1)
    assert choice.notes == (
        "1 push(es) to the branch after the deadline",
        "force-pushed after the deadline at 2031-01-24T14:00:00Z",
        f"commit {branch[0].sha[:12]} (dated before the deadline) was pushed after it; "
        f"checking {branch[1].sha[:12]}, the head pushed before the deadline",
    )


def test_push_times_that_agree_with_the_commit_date() -> None:
    branch = commits(-2, 1)
    plan = Plan(deadline=DEADLINE, push_times=True)
    seen = replace(history(branch, touched=(0,)), pushes=pushes((branch[1], -1.5, False), (branch[0], 1.5, False)))
    choice = decided(plan, seen)
    assert (choice.commit, choice.source, choice.late) == (branch[1].sha, "push-time", Late(1, 1))
    assert choice.notes == ("1 push(es) to the branch after the deadline",)


@pytest.mark.parametrize(
    ("log", "note"),
    [
        (Pushes(unavailable="GitHub answered 404"), "push times unavailable (GitHub answered 404); commit chosen by "
         "commit date"),
        (Pushes(), "push times: no push of the current head is recorded; commit chosen by commit date"),
    ],
)
def test_without_usable_push_times_the_commit_date_decides(log: Pushes, note: str) -> None:
    branch = commits(-2, 1)
    seen = replace(history(branch, touched=(0,)), pushes=log)
    choice = decided(Plan(deadline=DEADLINE, push_times=True), seen)
    assert (choice.commit, choice.source, choice.notes, choice.branch) == (branch[1].sha, "commit-date", (note,), None)


def test_push_times_that_do_not_reach_back_to_the_deadline() -> None:
    branch = commits(-2, 1)
    seen = replace(history(branch, touched=(0,)), pushes=pushes((branch[0], 1, False)))
    choice = decided(Plan(deadline=DEADLINE, push_times=True), seen)
    assert choice.source == "commit-date"
    assert choice.notes == (
        "1 push(es) to the branch after the deadline",
        "push times do not reach back to the deadline; commit chosen by commit date",
    )


def test_the_branch_named_by_the_plan_selects_the_pushes_and_names_the_choice() -> None:
    branch = commits(-2, -1)
    log = Pushes((*pushes((branch[1], -3, False), ref="refs/heads/dev").events, *pushes((branch[0], -2, False)).events))
    seen = replace(history(branch, touched=(0,)), pushes=log)
    choice = decided(Plan(deadline=DEADLINE, push_times=True, branch="dev"), seen)
    assert (choice.commit, choice.branch) == (branch[1].sha, "dev")
    assert decided(Plan(), History(head=branch[0], branch="main")).branch == "main"


def test_settle_reads_what_choose_asks_for_until_it_decides() -> None:
    branch = commits(-5, *range(1, LISTING + 2))
    asked: list[Need] = []

    def answer(need: Need, seen: History) -> History:
        asked.append(need)
        if need.what == "until":
            return replace(seen, until=branch[-1:])
        return replace(seen, touched=branch[:2])

    start = History(head=branch[0], commits=branch[:LISTING], complete=False)
    choice = settle(Plan(deadline=DEADLINE), KEY, start, answer)
    assert [need.what for need in asked] == ["until", "late"]
    assert (choice.commit, choice.late) == (branch[-1].sha, Late(2, None))
    with pytest.raises(FetchFailure, match="no commit on the branch"):
        settle(Plan(deadline=DEADLINE), KEY, history(commits(1)), answer)
    with pytest.raises(RuntimeError, match="did not answer"):
        settle(Plan(deadline=DEADLINE), KEY, start, lambda need, seen: seen)
