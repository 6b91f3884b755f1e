"""The pages at the end of the journey through the test client: results, returns, delivery, holdings."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.journey_end import result_at_post, signature_data_url
from tests.pages_support import csrf_token_of
from tests.web.test_pages import multi_word_messages, visible_text
from tracker.delivery.models import DeliveryRecord
from tracker.extensions import db
from tracker.outcomes.models import DossierReturn


def form_post(client, page_path: str, action: str, data: dict):
    token = csrf_token_of(client.get(page_path).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **data})


def test_the_department_creates_the_result_and_is_offered_its_label(page_client, post):
    dossier = post.register_dossier()["code"]
    clerk = page_client("dept1")
    page = clerk.get(f"/dossiers/{dossier}").get_data(as_text=True)
    assert "Tạo kết quả" in page and "Trả lại / rút hồ sơ" in page
    for outsider in ("dept2", "post1"):
        assert 'id="create-result"' not in page_client(outsider).get(f"/dossiers/{dossier}").get_data(as_text=True)
    made = form_post(clerk, f"/dossiers/{dossier}", f"/dossiers/{dossier}/result", {})
    assert made.status_code == 302
    item = re.search(r"result=(IT\w+)", made.headers["Location"]).group(1)
    page = clerk.get(made.headers["Location"]).get_data(as_text=True)
    assert f"/api/v1/items/{item}/label.pdf" in page and "In nhãn" in page
    assert 'id="create-result"' not in page  # one result per dossier
    assert clerk.get(f"/api/v1/items/{item}/label.pdf").data.startswith(b"%PDF")
    assert page_client("dept2").post(f"/dossiers/{dossier}/result", data={}).status_code == 400  # no CSRF token
    refused = form_post(page_client("dept2"), f"/dossiers/{dossier}", f"/dossiers/{dossier}/result", {})
    assert refused.status_code == 403


def test_a_return_keeps_what_was_typed_when_refused_then_is_recorded(page_client, post):
    dossier = post.register_dossier()["code"]
    clerk = page_client("dept1")
    path = f"/dossiers/{dossier}/return"
    refused = form_post(clerk, path, path, {"ending": "withdrawn", "reason_code": "other", "reason_text": " "})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Với lý do khác, hãy ghi rõ lý do" in html
    assert re.search(r'checked[^>]*value="withdrawn"', html) and 'selected value="other"' in html
    assert db.session.scalar(select(func.count()).select_from(DossierReturn)) == 0
    done = form_post(
        clerk, path, path, {"ending": "returned", "reason_code": "missing_papers", "reason_text": "Thiếu CCCD"}
    )
    assert done.status_code == 302
    page = clerk.get(done.headers["Location"]).get_data(as_text=True)
    assert "trả lại, không giải quyết" in page and "Trả lại hồ sơ: Thiếu giấy tờ: Thiếu CCCD" in page
    assert "In nhãn" in page
    assert page_client("post1").get(path).status_code == 403
    dashboard = page_client("super1").get("/dashboard").get_data(as_text=True)
    row = re.search(r'<table class="stack" id="returns-department">(.*?)</table>', dashboard, re.S).group(1)
    assert "STP" in row and re.search(r"<td>1</td><td>0</td><td><strong>1</strong>", row)


def test_a_delivery_fails_once_then_succeeds_with_a_signature(app, page_client, as_user):
    dossier, result = result_at_post(as_user)
    clerk = page_client("post1")
    found = clerk.get("/delivery", query_string={"code": dossier})
    assert found.headers["Location"] == f"/delivery/{result}"
    page_path = f"/delivery/{result}"
    failed = form_post(clerk, page_path, f"{page_path}/attempts", {"attempt-reason_code": "not_home"})
    assert failed.status_code == 302
    unsigned = {"recipient_kind": "authorised", "recipient_name": "Trần Văn Bình", "id_last_digits": "6789"}
    refused = form_post(clerk, page_path, page_path, unsigned)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Mời người nhận ký" in html and 'value="Trần Văn Bình"' in html and 'value="6789"' in html
    incomplete = form_post(
        clerk, page_path, page_path, {"recipient_kind": "authorised", "signature": signature_data_url()}
    )
    assert incomplete.status_code == 422 and 'id="recipient_name-error"' in incomplete.get_data(as_text=True)
    delivered = form_post(clerk, page_path, page_path, {**unsigned, "signature": signature_data_url()})
    assert delivered.status_code == 302
    page = clerk.get(page_path).get_data(as_text=True)
    assert "Đã giao cho Trần Văn Bình (Người được uỷ quyền)" in page
    assert f"/api/v1/items/{result}/delivery-note.pdf" in page
    assert db.session.scalar(select(DeliveryRecord.signature_png).where(DeliveryRecord.outcome == "delivered"))
    timeline = visible_text(clerk.get(f"/dossiers/{dossier}").get_data(as_text=True))
    assert "Phát không thành công" in timeline and "Không có nhà" in timeline
    assert "Đã trả cho người nộp" in timeline and "Đã giao cho Trần Văn Bình" in timeline


def test_the_packet_is_flagged_after_the_failed_attempts(app, page_client, as_user):
    app.config["DELIVERY_MAX_ATTEMPTS"] = 1
    dossier, result = result_at_post(as_user)
    as_user("post1").ok(
        as_user("post1").post(f"/api/v1/items/{result}/delivery-attempts", {"reason_code": "refused"}), 201
    )
    clerk = page_client("post1")
    assert "chuyển bưu gửi này về Trung tâm" in clerk.get(f"/dossiers/{dossier}").get_data(as_text=True)
    flagged = clerk.get("/holdings", query_string={"status": "flagged"}).get_data(as_text=True)
    assert f'data-item="{result}"' in flagged and "1 lần phát không thành công" in flagged


@pytest.mark.parametrize(("username", "status"), [("post1", 200), ("centre1", 200), ("dept1", 403), ("super1", 403)])
def test_who_may_open_the_delivery_page(page_client, username, status):
    assert page_client(username).get("/delivery").status_code == status


def test_holdings_page_filters_and_puts_a_selection_into_a_new_transfer(page_client, post):
    kept, sent = (
        post.new_item(post.register_dossier(applicant_name=name)["code"]) for name in ("Lê Văn Tám", "Hà Thị Hoa")
    )
    clerk = page_client("post1")
    page = clerk.get("/holdings").get_data(as_text=True)
    assert f'data-item="{kept}"' in page and f'data-item="{sent}"' in page
    searched = clerk.get("/holdings", query_string={"q": "Hoa"}).get_data(as_text=True)
    assert f'data-item="{sent}"' in searched and f'data-item="{kept}"' not in searched
    assert f'data-item="{sent}"' not in clerk.get("/holdings?kind=result").get_data(as_text=True)
    nothing = form_post(clerk, "/holdings", "/holdings/transfer", {"to_unit": "TTHCC"})
    assert nothing.status_code == 422 and "Chọn ít nhất một bưu gửi" in nothing.get_data(as_text=True)
    opened = form_post(clerk, "/holdings", "/holdings/transfer", {"to_unit": "TTHCC", "item": [sent]})
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/scan/TR")
    station = clerk.get(opened.headers["Location"]).get_data(as_text=True)
    assert f'data-code="{sent}"' in station and f'data-code="{kept}"' not in station
    assert page_client("super1").get("/holdings").status_code == 403


def test_a_refused_selection_opens_no_transfer_and_keeps_the_ticks(page_client, post, item):
    clerk = page_client("post1")
    draft = post.open_transfer("TTHCC")
    other = post.new_item(post.register_dossier()["code"])
    post.add(draft, item)
    refused = form_post(clerk, "/holdings", "/holdings/transfer", {"to_unit": "STP", "item": [other, item]})
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert re.search(rf'value="{other}"[^>]*checked', html) and re.search(r'value="STP"\s+selected', html)
    assert post.ok(post.get("/api/v1/transfers", query_string={"status": "draft"}))["total"] == 1


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_new_pages_render_in_each_language(page_client, as_user, language):
    dossier, result = result_at_post(as_user)
    english_ids = [msgid for msgid, _ in multi_word_messages("vi")]
    vietnamese = [text for _, text in multi_word_messages("vi") if text.count(" ") >= 2]
    pages = [
        ("post1", "/holdings"), ("post1", "/delivery"), ("post1", f"/delivery/{result}"),
        ("post1", f"/dossiers/{dossier}"), ("dept1", f"/dossiers/{dossier}"),
        ("centre1", f"/dossiers/{dossier}/return"), ("super1", "/dashboard"),
    ]  # fmt: skip
    for username, path in pages:
        response = page_client(username, language).get(path)
        assert response.status_code == 200, path
        text = visible_text(response.get_data(as_text=True))
        if language == "vi":
            assert [m for m in english_ids if m in text] == [], path
        else:
            assert [m for m in vietnamese if m in text] == [], path
