"""The filing's state machine (portal.filings.states): pure, no database.

Every action is tried from every position of a three-step chain (县/区审核 → 市审核 → 省认定); the
table below is the whole graph. Whatever is not in it must be refused.
"""

from __future__ import annotations

import itertools

import pytest

from portal.filings import states
from portal.filings.states import Action, ChainStep, Position, ReviewLevel, State, StepRole

CHAIN = (
    ChainStep(ReviewLevel.COUNTY),
    ChainStep(ReviewLevel.CITY),
    ChainStep(ReviewLevel.PROVINCE, StepRole.DECIDE),
)
LAST = len(CHAIN) - 1

POSITIONS = {
    "draft": Position(State.DRAFT),
    "pending@0": Position(State.PENDING, 0),
    "pending@1": Position(State.PENDING, 1),
    "pending@last": Position(State.PENDING, LAST),
    "returned@1": Position(State.RETURNED, 1),
    "approved": Position(State.APPROVED, LAST),
    "publicising": Position(State.PUBLICISING, LAST),
    "recognised": Position(State.RECOGNISED, LAST),
    "rejected@1": Position(State.REJECTED, 1),
    "withdrawn": Position(State.WITHDRAWN),
}

# (position, action) → the next position; every other pair is refused
ALLOWED = {
    ("draft", Action.SUBMIT): Position(State.PENDING, 0),
    ("draft", Action.WITHDRAW): Position(State.WITHDRAWN),
    ("pending@0", Action.PASS): Position(State.PENDING, 1),
    ("pending@0", Action.RETURN): Position(State.RETURNED, 0),
    ("pending@0", Action.REJECT): Position(State.REJECTED, 0),
    ("pending@1", Action.PASS): Position(State.PENDING, 2),
    ("pending@1", Action.RETURN): Position(State.RETURNED, 1),
    ("pending@1", Action.REJECT): Position(State.REJECTED, 1),
    ("pending@last", Action.PASS): Position(State.APPROVED, LAST),
    ("pending@last", Action.RETURN): Position(State.RETURNED, LAST),
    ("pending@last", Action.REJECT): Position(State.REJECTED, LAST),
    ("returned@1", Action.RESUBMIT): Position(State.PENDING, 1),
    ("returned@1", Action.WITHDRAW): Position(State.WITHDRAWN),
    ("approved", Action.PUBLICISE): Position(State.PUBLICISING, LAST),
    ("approved", Action.RECOGNISE): Position(State.RECOGNISED, LAST),
    ("publicising", Action.RECOGNISE): Position(State.RECOGNISED, LAST),
}

PAIRS = list(itertools.product(POSITIONS, list(Action)))
ALLOWED_PAIRS = [pair for pair in PAIRS if pair in ALLOWED]
REFUSED_PAIRS = [pair for pair in PAIRS if pair not in ALLOWED]


def pair_id(pair) -> str:
    return f"{pair[0]}-{pair[1].value}"


@pytest.mark.parametrize("pair", ALLOWED_PAIRS, ids=pair_id)
def test_transition_moves_to_the_next_position(pair):
    position, action = pair
    assert states.transition(POSITIONS[position], action, CHAIN) == ALLOWED[pair]


@pytest.mark.parametrize("pair", REFUSED_PAIRS, ids=pair_id)
def test_transition_is_refused_when_the_graph_has_no_such_edge(pair):
    position, action = pair
    with pytest.raises(states.TransitionNotAllowedError) as refused:
        states.transition(POSITIONS[position], action, CHAIN)
    assert refused.value.code == "transition_not_allowed"
    assert refused.value.action == action and refused.value.position == POSITIONS[position]


@pytest.mark.parametrize("position", list(POSITIONS))
def test_allowed_actions_lists_exactly_the_edges_of_the_graph(position):
    expected = [str(action) for action in Action if (position, action) in ALLOWED]
    assert states.allowed_actions(POSITIONS[position], CHAIN) == expected


def test_resubmit_goes_back_to_the_step_that_returned_it():
    returned = states.transition(Position(State.PENDING, 2), Action.RETURN, CHAIN)
    assert states.transition(returned, Action.RESUBMIT, CHAIN) == Position(State.PENDING, 2)


def test_pass_of_a_one_step_chain_approves():
    chain = (ChainStep(ReviewLevel.PROVINCE, StepRole.DECIDE),)
    assert states.transition(Position(State.PENDING, 0), Action.PASS, chain) == Position(State.APPROVED, 0)


def test_submit_is_refused_when_the_chain_is_empty():
    with pytest.raises(states.TransitionNotAllowedError) as refused:
        states.transition(Position(State.DRAFT), Action.SUBMIT, ())
    assert refused.value.code == "chain_empty"


def test_unknown_action_is_refused():
    with pytest.raises(states.TransitionNotAllowedError) as refused:
        states.transition(Position(State.DRAFT), "approve_everything", CHAIN)
    assert refused.value.code == "unknown_action"


@pytest.mark.parametrize("step", [None, -1, len(CHAIN)])
@pytest.mark.parametrize("action", [Action.PASS, Action.RETURN, Action.REJECT])
def test_review_actions_are_refused_when_the_step_is_off_the_chain(action, step):
    with pytest.raises(states.TransitionNotAllowedError):
        states.transition(Position(State.PENDING, step), action, CHAIN)


def test_resubmit_is_refused_when_the_returning_step_is_unknown():
    with pytest.raises(states.TransitionNotAllowedError):
        states.transition(Position(State.RETURNED, None), Action.RESUBMIT, CHAIN)


@pytest.mark.parametrize(
    ("state", "editable", "open_", "final"),
    [
        (State.DRAFT, True, True, False),
        (State.PENDING, False, True, False),
        (State.RETURNED, True, True, False),
        (State.APPROVED, False, True, False),
        (State.PUBLICISING, False, True, False),
        (State.RECOGNISED, False, True, True),
        (State.REJECTED, False, True, True),
        (State.WITHDRAWN, False, False, True),
    ],
)
def test_state_sets_classify_every_state(state, editable, open_, final):
    assert (state in states.EDITABLE_STATES, state in states.OPEN_STATES, state in states.FINAL_STATES) == (
        editable,
        open_,
        final,
    )


def test_chain_step_label_names_level_and_role():
    assert ChainStep(ReviewLevel.CITY).label == "市级审核"
    assert ChainStep(ReviewLevel.MINISTRY, StepRole.DECIDE).label == "部级认定"


def test_chain_step_round_trips_through_a_dict():
    step = ChainStep(ReviewLevel.PROVINCE, StepRole.RECOMMEND)
    assert ChainStep.from_dict(step.as_dict()) == step


def test_chain_step_from_a_dict_without_role_reviews():
    assert ChainStep.from_dict({"level": "county"}) == ChainStep(ReviewLevel.COUNTY, StepRole.REVIEW)


def test_state_label_names_the_pending_step():
    assert states.state_label(State.PENDING, 1, CHAIN) == "待审核（市级审核）"


@pytest.mark.parametrize(("state", "step"), [(State.RETURNED, 1), (State.DRAFT, None), (State.PENDING, 9)])
def test_state_label_is_the_plain_state_when_not_pending_on_the_chain(state, step):
    assert states.state_label(state, step, CHAIN) == str(State(state).label)


def test_check_chain_accepts_a_chain_going_up_and_ending_deciding():
    assert states.check_chain(CHAIN) is None  # accepted: no ChainInvalidError


@pytest.mark.parametrize(
    ("chain", "code"),
    [
        ((), "chain_empty"),
        ((ChainStep(ReviewLevel.CITY), ChainStep(ReviewLevel.COUNTY, StepRole.DECIDE)), "chain_order"),
        ((ChainStep(ReviewLevel.CITY), ChainStep(ReviewLevel.CITY, StepRole.DECIDE)), "chain_order"),
        ((ChainStep(ReviewLevel.COUNTY), ChainStep(ReviewLevel.CITY)), "chain_decider"),
        (
            (ChainStep(ReviewLevel.COUNTY, StepRole.DECIDE), ChainStep(ReviewLevel.CITY, StepRole.DECIDE)),
            "chain_decider",
        ),
    ],
    ids=["empty", "downwards", "level-twice", "no-decider", "two-deciders"],
)
def test_check_chain_refuses_a_chain_that_cannot_be_followed(chain, code):
    with pytest.raises(states.ChainInvalidError) as refused:
        states.check_chain(chain)
    assert refused.value.code == code
