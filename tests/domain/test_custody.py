import pytest

from tracker.domain.custody import TransferAction, TransferStatus, allows, status_after_receipt


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        (TransferStatus.DRAFT, TransferAction.EDIT_ITEMS, True),
        (TransferStatus.DRAFT, TransferAction.DISPATCH, True),
        (TransferStatus.DRAFT, TransferAction.RECEIVE, False),
        (TransferStatus.DISPATCHED, TransferAction.EDIT_ITEMS, False),
        (TransferStatus.DISPATCHED, TransferAction.DISPATCH, False),
        (TransferStatus.DISPATCHED, TransferAction.RECEIVE, True),
        (TransferStatus.DISPATCHED, TransferAction.CANCEL, False),
        (TransferStatus.RECEIVED, TransferAction.RECEIVE, False),
        (TransferStatus.RECEIVED_WITH_DISCREPANCIES, TransferAction.RECEIVE, False),
        (TransferStatus.CANCELLED, TransferAction.DISPATCH, False),
    ],
)
def test_transfer_state_machine(status, action, allowed):
    assert allows(status, action) is allowed


def test_a_clean_receipt_needs_everything_right():
    assert status_after_receipt(missing=0, unexpected=0, damaged=0, seal_intact=True) is TransferStatus.RECEIVED
    assert status_after_receipt(missing=0, unexpected=0, damaged=0, seal_intact=None) is TransferStatus.RECEIVED


@pytest.mark.parametrize(
    "problem",
    [{"missing": 1}, {"unexpected": 1}, {"damaged": 1}, {"seal_intact": False}],
)
def test_any_problem_makes_a_discrepancy(problem):
    counts = {"missing": 0, "unexpected": 0, "damaged": 0, "seal_intact": True, **problem}
    assert status_after_receipt(**counts) is TransferStatus.RECEIVED_WITH_DISCREPANCIES
