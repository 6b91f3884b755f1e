"""The citizen's public lookup: the journey for the right code and phone digits, nothing personal."""

from __future__ import annotations

import pytest

from tests.pages_support import csrf_token_of
from tests.support import dossier_payload
from tracker.lookup.services import THROTTLE_LIMIT

S10 = "EE123456785VN"


@pytest.fixture
def journey(post, as_user) -> dict:
    """A dossier without a mã hồ sơ, picked up with an S10 number and received by the centre."""
    payload = dossier_payload(applicant_phone="0912 345 678", due_at=None)
    del payload["code"]
    dossier = post.ok(post.post("/api/v1/dossiers", payload), 201)
    item = post.new_item(dossier["tracking_code"], postal_id=S10)
    transfer = post.send("TTHCC", [item])
    as_user("centre1").receive(transfer, [item])
    return dossier


def look_up(client, code: str, digits: str, *, address: str = "203.0.113.7"):
    token = csrf_token_of(client.get("/tra-cuu").get_data(as_text=True))
    return client.post("/tra-cuu", data={"csrf_token": token, "code": code, "phone_digits": digits},
                       environ_base={"REMOTE_ADDR": address})  # fmt: skip


@pytest.mark.parametrize("which", ["tracking_code", "s10"])
def test_the_right_code_and_digits_show_each_step_and_nothing_personal(client, journey, which):
    code = journey["tracking_code"] if which == "tracking_code" else S10.lower()
    response = look_up(client, code, "5678")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="vi">' in page and "Tra cứu hồ sơ" in page
    assert "Bưu điện đã tiếp nhận" in page and "Bưu cục Vinh" in page
    assert "Đã bàn giao đến Trung tâm Phục vụ hành chính công" in page and "Chưa có kết quả." in page
    for personal in ("Nguyễn Thị Ngọc Ánh", "0912", "345 678", "Lê Lợi", "User post1", "User centre1"):
        assert personal not in page, personal


def test_the_receipt_link_prefills_the_code_and_still_asks_the_digits(client, journey):
    page = client.get(f"/tra-cuu/{journey['tracking_code']}").get_data(as_text=True)
    assert f'value="{journey["tracking_code"]}"' in page and 'id="phone_digits"' in page
    assert "Bưu điện đã tiếp nhận" not in page


def test_a_wrong_code_and_a_wrong_phone_get_the_same_answer(client, journey):
    wrong_phone = look_up(client, journey["tracking_code"], "0000")
    wrong_code = look_up(client, "HS0000000000", "5678")
    assert wrong_phone.status_code == wrong_code.status_code == 404

    def refusal(response):
        page = response.get_data(as_text=True)
        return page[page.index('id="refusal"') : page.index("</p>", page.index('id="refusal"'))]

    assert refusal(wrong_phone) == refusal(wrong_code)
    assert "Không tìm thấy hồ sơ khớp" in refusal(wrong_code)


def test_lookups_are_throttled_per_client_address(client, journey):
    for _ in range(THROTTLE_LIMIT):
        assert look_up(client, "HS0000000000", "1234").status_code == 404
    throttled = look_up(client, journey["tracking_code"], "5678")
    assert throttled.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần" in throttled.get_data(as_text=True)
    assert look_up(client, journey["tracking_code"], "5678", address="198.51.100.9").status_code == 200
