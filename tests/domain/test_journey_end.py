from tracker.domain.journey_end import (
    DELIVERY_FAILURE_REASONS,
    RECIPIENT_KINDS,
    RETURN_REASONS,
    flagged_for_return,
    reason_text,
)
from tracker.web import names


def test_the_pages_name_every_reason_the_domain_knows_and_no_other():
    assert list(names.RETURN_REASONS) == list(RETURN_REASONS)
    assert list(names.DELIVERY_FAILURE_REASONS) == list(DELIVERY_FAILURE_REASONS)
    assert list(names.RECIPIENT_KINDS) == [kind.value for kind in RECIPIENT_KINDS]


def test_a_reason_is_the_lists_words_then_the_clerks_own():
    assert reason_text(DELIVERY_FAILURE_REASONS, "not_home", None) == "Không có nhà"
    assert reason_text(DELIVERY_FAILURE_REASONS, "not_home", "  ") == "Không có nhà"
    assert reason_text(RETURN_REASONS, "other", " Sai thủ tục ") == "Lý do khác: Sai thủ tục"


def test_the_packet_is_flagged_from_the_last_allowed_attempt_on():
    assert [flagged_for_return(n, 3) for n in range(5)] == [False, False, False, True, True]
