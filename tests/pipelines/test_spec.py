"""The rules of a pipeline (pipelines.spec): each refusal with its message, and what passes at every boundary."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from pipelines.spec import Basis, Kind, Method, Stage, first, problems

T0 = datetime(2027, 1, 4, 12, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def civtech() -> list[Stage]:
    return [
        Stage(Kind.CALL, "Call for applications", day(0), day(28), questions_close=day(21)),
        Stage(Kind.ASSESSMENT, "Shortlisting", day(28), day(35), teams=6),
        Stage(Kind.INTERVIEW, "Interviews", day(42), day(49), teams=3),
        Stage(Kind.PAID, "Exploration", day(56), day(77), teams=3, payment=Decimal(5000), payment_basis=Basis.PER_TEAM),
        Stage(Kind.SELECTION, "Accelerator pitches", day(77), teams=1, method=Method.PITCH),
        Stage(Kind.PAID, "Accelerator", day(91), day(196), teams=1, payment=Decimal(350000),
              payment_basis=Basis.MAXIMUM),
        Stage(Kind.SHOWCASE, "Demo Day", day(196)),
    ]  # fmt: skip


def messages(stages) -> list[str]:
    return [problem.message for problem in problems(stages)]


def changed(index: int, **fields) -> list[Stage]:
    stages = civtech()
    stages[index] = replace(stages[index], **fields)
    return stages


def test_civtechs_own_funnel_is_possible():
    assert problems(civtech()) == []


def test_a_stage_may_start_the_moment_the_one_before_ends():
    stages = changed(3, starts=day(49))  # exploration starts as interviews end
    assert problems(stages) == []


def test_a_stage_starting_before_the_one_before_ends_is_refused_naming_both():
    stages = changed(3, starts=day(49) - timedelta(seconds=1))
    assert messages(stages) == ["Stage 4 (Exploration) starts before stage 3 (Interviews) ends."]
    assert [(p.index, p.field) for p in problems(stages)] == [(3, "starts")]


def test_after_a_single_date_the_next_stage_may_start_on_it_but_not_before():
    assert problems(changed(5, starts=day(77))) == []
    assert messages(changed(5, starts=day(77) - timedelta(minutes=1))) == [
        "Stage 6 (Accelerator) starts before stage 5 (Accelerator pitches) happens."
    ]


def test_a_stage_ending_before_it_starts_is_refused():
    assert messages(changed(1, ends=day(28) - timedelta(seconds=1))) == [
        "Stage 2 (Shortlisting) ends before it starts."
    ]
    assert problems(changed(1, ends=day(28))) == []  # a zero-length stage is possible


def test_questions_must_close_while_the_call_is_open():
    for moment in (day(0), day(28)):
        assert problems(changed(0, questions_close=moment)) == []
    for moment in (day(0) - timedelta(seconds=1), day(28) + timedelta(seconds=1)):
        assert messages(changed(0, questions_close=moment)) == [
            "Stage 1 (Call for applications): clarification questions must close while the call is open."
        ]


def test_the_first_stage_is_the_one_call():
    stages = civtech()
    assert messages(stages[1:])[0] == "The first stage must be the call for applications."
    assert "A round has one call for applications." in messages([*stages[:1], *stages])
    assert messages([]) == ["A round needs at least one stage: its call for applications."]


def test_a_paid_stage_needs_someone_to_choose_its_teams_first():
    stages = civtech()
    del stages[4]  # no pitches before the accelerator: its team was never chosen
    assert messages(stages) == [
        "Stage 5 (Accelerator) pays teams nobody has chosen: put an assessment, interviews or a selection before it."
    ]
    # Straight from the call to a paid stage: refused too.
    assert "Stage 2 (Exploration) pays teams nobody has chosen" in messages([stages[0], *stages[3:4]])[0]


def test_no_stage_takes_more_teams_than_the_one_before():
    assert messages(changed(5, teams=2)) == [
        "Stage 6 (Accelerator) takes 2 teams, more than the 1 of stage 5 (Accelerator pitches)."
    ]
    assert problems(changed(4, teams=3)) == []  # as many as the stage before: possible
    assert (
        messages(changed(2, teams=7))[0]
        == "Stage 3 (Interviews) takes 7 teams, more than the 6 of stage 2 (Shortlisting)."
    )


@pytest.mark.parametrize(
    ("index", "fields", "message"),
    [
        (0, {"starts": None}, "Stage 1 (Call for applications): enter the date it starts."),
        (2, {"ends": None}, "Stage 3 (Interviews): enter the date it ends."),
        (6, {"ends": day(197)}, "Stage 7 (Demo Day): a showcase is a single date."),
        (3, {"teams": None}, "Stage 4 (Exploration): enter how many teams it takes."),
        (3, {"name": ""}, "Stage 4 (Paid stage): name the paid stage (for example Exploration)."),
        (3, {"payment": None}, "Stage 4 (Exploration): enter the payment, in pounds, more than £0."),
        (3, {"payment": Decimal(0)}, "Stage 4 (Exploration): enter the payment, in pounds, more than £0."),
        (3, {"payment_basis": ""}, "Stage 4 (Exploration): say whether the payment is per team or a maximum."),
        (3, {"tranches": 0}, "Stage 4 (Exploration): pay in one tranche or more."),
        (4, {"method": ""}, "Stage 5 (Accelerator pitches): choose a pitch or a second application."),
        (4, {"form_id": 3}, "Stage 5 (Accelerator pitches): a pitch has no form; leave it empty."),
        (4, {"method": Method.SECOND_APPLICATION},
         "Stage 5 (Accelerator pitches): choose the form of the second application."),
        (1, {"payment": Decimal(1)}, "Stage 2 (Shortlisting): an assessment has no payment; leave it empty."),
        (6, {"teams": 1}, "Stage 7 (Demo Day): a showcase has no number of teams; leave it empty."),
        (2, {"questions_close": day(43)},
         "Stage 3 (Interviews): an interview stage has no clarification questions close; leave it empty."),
        (0, {"kind": "lottery"}, "Stage 1 (Call for applications): choose a kind of stage."),
    ],
)  # fmt: skip
def test_each_stage_holds_what_its_kind_needs_and_nothing_else(index, fields, message):
    assert message in messages(changed(index, **fields))


def test_a_second_application_with_its_form_and_a_deadline_is_possible():
    stages = changed(4, method=Method.SECOND_APPLICATION, form_id=3, ends=day(84))
    stages[5] = replace(stages[5], starts=day(91))
    assert problems(stages) == []


def test_first_finds_the_nth_stage_of_a_kind():
    stages = civtech()
    assert first(stages, Kind.PAID).name == "Exploration"
    assert first(stages, Kind.PAID, 1).name == "Accelerator"
    assert first(stages, Kind.PAID, 2) is None
    assert first(stages[:3], Kind.SHOWCASE) is None
