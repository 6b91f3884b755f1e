"""The pages through the Flask test client: sign-in, roles, CSRF, languages, what each page shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import func, select

from tests.pages_support import csrf_token_of
from tests.pdf_tools import pdf_text
from tracker.custody.models import CustodyEvent, Item
from tracker.delays.models import SlaRuleChange
from tracker.extensions import db

TRANSLATIONS = Path(__file__).resolve().parents[2] / "tracker" / "translations"


def visible_text(html: str) -> str:
    without_scripts = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", without_scripts))


def test_sign_in_page_is_vietnamese_by_default_and_english_on_request(client, world):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Đăng nhập" in page and "Mật khẩu" in page
    client.get("/language/en")
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="en">' in page and "Password" in page and "Mật khẩu" not in page


def test_wrong_password_is_refused_and_stays_signed_out(client, world):
    token = csrf_token_of(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/sign-in", data={"csrf_token": token, "username": "post1", "password": "sai"})
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
    assert client.get("/scan").status_code == 302


def test_pages_need_a_session_and_sign_out_ends_it(page_client, client):
    assert client.get("/dashboard").headers["Location"].startswith("/sign-in?next=/dashboard")
    post1 = page_client("post1")
    assert post1.get("/scan").status_code == 200
    token = csrf_token_of(post1.get("/scan").get_data(as_text=True))
    assert post1.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert post1.get("/scan").status_code == 302


@pytest.mark.parametrize(
    ("username", "home", "shown", "hidden"),
    [
        ("post1", "/counter", ["Tiếp nhận", "Quét và gửi", "Nhận", "Hồ sơ"], ["Tổng quan", "Thời hạn chặng"]),
        ("centre1", "/counter", ["Tiếp nhận", "Quét và gửi", "Nhận"], ["Tổng quan"]),
        ("super1", "/dashboard", ["Tổng quan", "Thời hạn chặng", "Hồ sơ"], ["Quét và gửi"]),
    ],
)
def test_navigation_shows_each_role_what_it_may_do(page_client, username, home, shown, hidden):
    client = page_client(username)
    assert client.get("/").headers["Location"] == home
    nav = re.search(r'<nav class="main">(.*?)</nav>', client.get(home).get_data(as_text=True), re.S).group(1)
    assert all(label in nav for label in shown)
    assert not any(label in nav for label in hidden)


def test_a_role_is_refused_pages_that_are_not_for_it(page_client):
    assert page_client("super1").get("/scan").status_code == 403
    response = page_client("post1").get("/dashboard")
    assert response.status_code == 403
    assert "Trang này không dành cho vai trò của bạn" in response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(page_client, client, world):
    refused = client.post("/sign-in", data={"username": "post1", "password": "mat-khau-thu-nghiem"})
    assert refused.status_code == 400
    assert client.get("/scan").status_code == 302  # not signed in
    post1 = page_client("post1")
    refused = post1.post("/scan", data={"to_unit": "TTHCC"})
    assert refused.status_code == 400
    assert "Tải lại trang rồi thử lại" in refused.get_data(as_text=True)
    assert "/scan/" not in post1.get("/scan").get_data(as_text=True)  # no transfer was opened


def test_the_api_called_with_a_session_cookie_needs_the_csrf_token(page_client, item):
    post1 = page_client("post1")
    refused = post1.post("/api/v1/transfers", json={"to_unit": "TTHCC"})
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "csrf_failed"
    token = csrf_token_of(post1.get("/scan").get_data(as_text=True))
    created = post1.post("/api/v1/transfers", json={"to_unit": "TTHCC"}, headers={"X-CSRFToken": token})
    assert created.status_code == 201


def open_transfer_page(client, to_unit: str) -> str:
    token = csrf_token_of(client.get("/scan").get_data(as_text=True))
    response = client.post("/scan", data={"csrf_token": token, "to_unit": to_unit})
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[1]


def test_scan_station_opens_a_draft_and_shows_its_items(page_client, post, item):
    client = page_client("post1")
    code = open_transfer_page(client, "TTHCC")
    post.add(code, item)
    page = client.get(f"/scan/{code}").get_data(as_text=True)
    assert f'data-code="{item}"' in page and "Giao phiếu này" in page
    assert page_client("post2").get(f"/scan/{code}").status_code == 403  # another post office's draft


def test_dispatched_transfer_offers_its_slip_and_unprinted_labels_once(page_client, post, item):
    transfer = post.send("TTHCC", [item])
    client = page_client("post1")
    page = client.get(f"/scan/{transfer}").get_data(as_text=True)
    assert f"/api/v1/transfers/{transfer}/manifest.pdf" in page
    assert "In các nhãn còn thiếu" in page
    token = csrf_token_of(page)
    labels = client.post(f"/scan/{transfer}/labels.pdf", data={"csrf_token": token})
    assert labels.mimetype == "application/pdf" and labels.data.startswith(b"%PDF")
    assert "In các nhãn còn thiếu" not in client.get(f"/scan/{transfer}").get_data(as_text=True)


def test_a_postal_user_cannot_open_another_units_receiving_page(page_client, post, item):
    transfer = post.send("TTHCC", [item])
    for outsider in ("post1", "post2"):
        response = page_client(outsider).get(f"/receive/{transfer}")
        assert response.status_code == 403
        assert "không gửi tới đơn vị của bạn" in response.get_data(as_text=True)
    assert page_client("centre1").get(f"/receive/{transfer}").status_code == 200


def test_receiving_inbox_lists_transfers_coming_and_opens_a_scanned_one(page_client, post, item):
    transfer = post.send("TTHCC", [item])
    centre = page_client("centre1")
    assert transfer in centre.get("/receive").get_data(as_text=True)
    assert centre.get(f"/receive/open?code={transfer.lower()}").headers["Location"] == f"/receive/{transfer}"
    assert transfer not in page_client("post2").get("/receive").get_data(as_text=True)


def test_receipt_page_summarises_what_was_found(page_client, post, as_user):
    dossier = post.register_dossier()["code"]
    arrived, lost = post.new_item(dossier), post.new_item(dossier)
    transfer = post.send("TTHCC", [arrived, lost])
    as_user("centre1").receive(transfer, [arrived], seal_intact=False)
    page = page_client("centre1").get(f"/receive/{transfer}").get_data(as_text=True)
    assert "Đã nhận, có sai lệch" in page
    assert re.search(r'id="missing">\s*' + lost, page)
    assert "Niêm phong: bị rách" in visible_text(page)


def test_dossier_search_by_anything_printed_on_the_papers(page_client, post):
    dossier = post.register_dossier(applicant_name="Hồ Văn Quyết", applicant_phone="0987.654.321")["code"]
    item = post.new_item(dossier, postal_id="EE123456785VN")
    client = page_client("dept1")
    for query in (dossier, item, "EE123456785VN", "Văn Quyết", "0987654321", "654 321"):
        page = client.get("/dossiers", query_string={"q": query}).get_data(as_text=True)
        assert f"/dossiers/{dossier}" in page, query
    assert "Tìm thấy 0 hồ sơ" in client.get("/dossiers?q=khong-co-ai").get_data(as_text=True)


def test_a_search_past_its_limit_asks_to_narrow_it_and_offers_more(app, page_client, post):
    app.config["SEARCH_TOTAL_COUNTED_UP_TO"] = 1  # a page of 30 is counted in any case
    for _ in range(31):
        post.register_dossier(applicant_name="Hồ Văn Quyết")
    page = page_client("dept1").get("/dossiers", query_string={"q": "ho van quyet"}).get_data(as_text=True)
    assert "Hơn 30 hồ sơ khớp: gõ thêm họ tên hoặc mã để thu hẹp." in page
    assert "page=2" in page


def test_dossier_timeline_shows_legs_against_their_limits_with_late_in_red(page_client, late_transfer, as_user):
    transfer, item = late_transfer
    as_user("centre1").receive(transfer, [item])
    dossier = as_user("post1").item(item)["dossier_code"]
    page = page_client("super1").get(f"/dossiers/{dossier}").get_data(as_text=True)
    late_leg = re.search(r'<tr class="late">(.*?)</tr>', page, re.S).group(1)
    assert "BC-VINH → TTHCC" in visible_text(late_leg) and "trễ" in late_leg
    assert "Bàn giao" in page and "Trung tâm Phục vụ hành chính công" in page
    centre = page_client("centre1")
    printable = centre.get(f"/dossiers/{dossier}").get_data(as_text=True)
    reprint = f"/dossiers/{dossier}/items/{item}/label.pdf"
    assert reprint in printable  # the holder may reprint
    assert reprint not in page  # a supervisor holds nothing


def test_a_label_reprinted_from_the_dossier_page_counts_as_printed(page_client, as_user, item):
    post = as_user("post1")
    dossier = post.item(item)["dossier_code"]
    printed_at = select(Item.label_printed_at).where(Item.code == item)
    assert db.session.scalar(printed_at) is None
    client = page_client("post1")
    token = csrf_token_of(client.get(f"/dossiers/{dossier}").get_data(as_text=True))
    response = client.post(f"/dossiers/{dossier}/items/{item}/label.pdf", data={"csrf_token": token})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert item in pdf_text(response.data)
    db.session.expire_all()
    assert db.session.scalar(printed_at) is not None


def test_dashboard_counts_the_late_and_lists_them(page_client, late_transfer):
    _, item = late_transfer
    page = page_client("super1").get("/dashboard").get_data(as_text=True)
    assert re.search(r'id="late-now">\s*1\s*<', page) or re.search(r'id="suspected-lost">\s*1\s*<', page)
    assert item in page
    filtered = page_client("super1").get("/dashboard?kind=at_risk").get_data(as_text=True)
    assert item not in filtered


def test_charts_are_svg_drawn_from_the_legs(page_client, late_transfer, as_user):
    transfer, item = late_transfer
    as_user("centre1").receive(transfer, [item])
    client = page_client("super1")
    for chart in ("transit", "on-time", "lateness"):
        response = client.get(f"/dashboard/charts/{chart}.svg")
        assert response.mimetype == "image/svg+xml"
        assert response.data.startswith(b"<?xml") and b"BC-VINH" in response.data, chart


def test_route_limits_page_saves_a_change_and_records_who_made_it(page_client, app):
    client = page_client("super1")
    page = client.get("/route-limits").get_data(as_text=True)
    rows = len(re.findall(r'name="limit_hours"', page)) - 1  # the last row is for a new rule
    form = {"csrf_token": csrf_token_of(page)}
    form |= {"leg_kind": [], "from_kind": [], "to_kind": [], "from_unit": [], "to_unit": [], "limit_hours": []}
    for select_name in ("leg_kind", "from_kind", "to_kind", "from_unit", "to_unit"):
        form[select_name] = [
            (re.search(r'value="([^"]*)" selected', block) or re.search(r'value="([^"]*)"', block)).group(1)
            for block in re.findall(rf'<select name="{select_name}"[^>]*>(.*?)</select>', page, re.S)
        ]
    form["limit_hours"] = re.findall(r'name="limit_hours"[^>]*value="([^"]*)"', page)
    form["limit_hours"][0] = "12,5"
    form["leg_kind"][rows], form["from_unit"][rows], form["to_unit"][rows] = "transit", "BC-VINH", "TTHCC"
    form["from_kind"][rows] = form["to_kind"][rows] = ""
    form["limit_hours"][rows] = "6"
    before = db.session.scalar(select(func.count()).select_from(SlaRuleChange))
    asked = client.post("/route-limits", data=form)  # first the page says what the change will do
    assert asked.status_code == 200 and 'id="limits-confirm"' in asked.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SlaRuleChange)) == before, "nothing saved yet"
    assert client.post("/route-limits", data=form | {"confirm": "1"}).status_code == 302
    page = client.get("/route-limits?saved=1").get_data(as_text=True)
    assert "Đã lưu thời hạn chặng" in page and 'value="12.5"' in page
    assert len(re.findall(r'name="limit_hours"', page)) == rows + 2
    assert db.session.scalar(select(func.count()).select_from(SlaRuleChange)) == before + 1
    form["limit_hours"][0] = "nhiều"
    assert client.post("/route-limits", data=form).status_code == 422


def pages_of_every_kind(page_client, post, as_user, late_transfer) -> list[tuple[str, str]]:
    draft_item = post.new_item(post.register_dossier()["code"])
    draft = post.open_transfer("TTHCC")
    post.add(draft, draft_item)
    transfer, item = late_transfer
    coming = post.send("TTHCC", [post.new_item(post.register_dossier()["code"])])
    as_user("centre1").receive(transfer, [item])
    dossier = post.item(item)["dossier_code"]
    return [
        ("post1", "/scan"), ("post1", f"/scan/{draft}"), ("post1", f"/scan/{transfer}"), ("centre1", "/receive"),
        ("centre1", f"/receive/{coming}"), ("centre1", f"/receive/{transfer}"), ("dept1", f"/dossiers?q={dossier}"),
        ("dept1", f"/dossiers/{dossier}"), ("super1", "/dashboard"), ("super1", "/route-limits"), ("super1", "/scan"),
        ("admin1", "/admin/users"), ("admin1", "/admin/users/new"), ("admin1", "/admin/users/dept1/edit"),
        ("admin1", "/admin/audit"), ("admin1", "/admin/units"), ("post1", "/account/password"),
        ("post1", "/counter"), ("centre1", f"/dossiers/{dossier}"), ("admin1", "/admin/procedures"),
        ("admin1", "/admin/procedures/new"), ("post1", "/tra-cuu"), ("admin1", "/admin/calendar"),
    ]  # fmt: skip


def multi_word_messages(language: str) -> list[tuple[str, str]]:
    """(message id, translation) of every message of more than one word in a catalogue."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po)
    pairs = []
    for message in catalogue:
        for msgid, text in zip(
            *(m if isinstance(m, tuple) else (m,) for m in (message.id, message.string)), strict=False
        ):
            if msgid and " " in msgid and "%(" not in msgid:
                pairs.append((msgid, text))
    return pairs


def test_every_message_in_the_code_has_a_vietnamese_translation(tmp_path):
    """Extracted afresh from the code and templates, as `make translations` does."""
    root = TRANSLATIONS.parents[1]
    template = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    extract = [pybabel, "extract", "-F", "babel.cfg", "-k", "lazy_gettext", "-k", "_l", "-o", template, "."]
    subprocess.run(extract, cwd=root, check=True, capture_output=True)
    with open(template, "rb") as pot:
        wanted = {message.id for message in read_po(pot) if message.id}
    with open(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po", "rb") as po:
        translated = {
            message.id
            for message in read_po(po)
            if message.id
            and not message.fuzzy
            and all(message.string if isinstance(message.string, tuple) else [message.string])
        }
    assert len(wanted) > 150
    assert sorted(wanted - translated, key=str) == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_renders_in_each_language_with_no_untranslated_message(
    page_client, post, as_user, late_transfer, language
):
    english_ids = [msgid for msgid, _ in multi_word_messages("vi")]
    # Three words or more: a unit's name (Trung tâm ...) is data, not an untranslated message.
    vietnamese = [text for _, text in multi_word_messages("vi") if text.count(" ") >= 2]
    for username, path in pages_of_every_kind(page_client, post, as_user, late_transfer):
        response = page_client(username, language).get(path)
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 403), path
        assert f'<html lang="{language}">' in html, path
        text = visible_text(html)
        if language == "vi":
            assert [m for m in english_ids if m in text] == [], path
        else:
            assert [m for m in vietnamese if m in text] == [], path


def test_scan_batch_answers_name_the_item_and_its_dossier(post, item):
    transfer = post.open_transfer("TTHCC")
    entries = [
        {"idempotency_key": "a", "code": item, "action": "add", "transfer_code": transfer,
         "occurred_at": "2026-11-24T09:00:00+07:00"},
        {"idempotency_key": "b", "code": item, "action": "add", "transfer_code": transfer,
         "occurred_at": "2026-11-24T09:01:00+07:00"},
    ]  # fmt: skip
    results = post.ok(post.post("/api/v1/scans/batch", entries))["results"]
    assert [r["outcome"] for r in results] == ["applied", "refused"]
    assert all(r["item"]["code"] == item and r["item"]["dossier_code"] for r in results)
    assert db.session.scalar(select(func.count()).select_from(CustodyEvent).where(CustodyEvent.kind == "packed")) == 1
