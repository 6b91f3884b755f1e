"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1): the daily digest and immediate mail."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from tests.pages_support import csrf_token_of
from tests.receivers import run_worker
from tracker.extensions import db
from tracker.notifications.models import OutgoingMail

VN = timezone(timedelta(hours=7))


def at(day: int, hour: int, minute: int = 0) -> str:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN).isoformat()


def choose_mail(page_client, username: str, email: str, kinds: list[str]):
    client = page_client(username)
    token = csrf_token_of(client.get("/notifications").get_data(as_text=True))
    return client.post("/notifications", data={"csrf_token": token, "email": email, "kinds": kinds})


def item_at(api, letter: str, when: str) -> tuple[str, str]:
    dossier = api.register_dossier(code=f"HS-{letter}", received_at=when, due_at=at(30, 17))["code"]
    return dossier, api.new_item(dossier, occurred_at=when)


def test_the_daily_digest_lists_what_is_late_for_the_unit(page_client, as_user, smtp_server, runner):
    post, other_post = as_user("post1"), as_user("post2")
    lost_dossier, lost = item_at(post, "LOST", at(16, 8))
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, lost, occurred_at=at(16, 10))
    post.dispatch(transfer, occurred_at=at(16, 10))  # 33.5 working hours in transit by Friday noon
    waiting_dossier, _ = item_at(post, "WAIT", at(19, 8))  # held at BC-VINH: 4 + 3.5 + 4 = 11.5 > 8
    elsewhere_dossier, _ = item_at(other_post, "ELSEWHERE", at(16, 8))  # late, but at BC-DIENCHAU
    risky = post.register_dossier(code="HS-RISK", received_at=at(16, 8), due_at=at(23, 11, 30))["code"]
    assert choose_mail(page_client, "post1", "post1@buudien.vn", ["digest"]).status_code == 302
    assert choose_mail(page_client, "super1", "giamsat@nghean.gov.vn", ["digest", "immediate"]).status_code == 302

    run_worker(runner, at(20, 6))  # before the digest hour: only the lost item, told at once
    [lost_mail] = smtp_server.messages
    assert lost_mail["To"] == "giamsat@nghean.gov.vn"
    assert lost_mail["Subject"] == f"Nghi thất lạc: bưu gửi {lost} (hồ sơ {lost_dossier}) vận chuyển quá lâu"
    smtp_server.messages.clear()
    run_worker(runner, at(20, 12))
    run_worker(runner, at(20, 15))  # once a day
    by_recipient = {message["To"]: message for message in smtp_server.messages}
    assert len(smtp_server.messages) == 2 and set(by_recipient) == {"post1@buudien.vn", "giamsat@nghean.gov.vn"}
    text, html = smtp_server.bodies(by_recipient["post1@buudien.vn"])
    assert "Tình hình hồ sơ ngày 20/11/2026" in by_recipient["post1@buudien.vn"]["Subject"]
    late, lost_part = text.split("Thất lạc hoặc nghi thất lạc")
    assert waiting_dossier in late and lost_dossier not in late
    assert lost_dossier in lost_part.split("Có nguy cơ")[0] and lost in lost_part
    assert elsewhere_dossier not in text
    assert f'<a href="http://127.0.0.1:5000/dossiers/{waiting_dossier}">{waiting_dossier}</a>' in html
    supervisor_text, _ = smtp_server.bodies(by_recipient["giamsat@nghean.gov.vn"])
    assert elsewhere_dossier in supervisor_text and "toàn tỉnh" in supervisor_text
    assert risky in supervisor_text.split("Có nguy cơ trễ ngày hẹn trả")[1] and risky not in text

    run_worker(runner, at(21, 8))  # the next day, another digest
    assert len(smtp_server.messages) == 4


def test_a_missing_item_is_mailed_at_once_to_the_units_concerned(page_client, as_user, smtp_server, runner):
    post, centre = as_user("post1"), as_user("centre1")
    assert choose_mail(page_client, "centre1", "tthcc@nghean.gov.vn", ["immediate"]).status_code == 302
    assert choose_mail(page_client, "post2", "post2@buudien.vn", ["immediate", "digest"]).status_code == 302
    dossier = post.register_dossier()["code"]
    kept, lost = post.new_item(dossier), post.new_item(dossier)
    transfer = post.send("TTHCC", [kept, lost])
    centre.receive(transfer, [kept])
    run_worker(runner, at(24, 6))  # before the digest hour: only the immediate mail
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "tthcc@nghean.gov.vn"
    assert message["Subject"] == f"Thất lạc: bưu gửi {lost} (hồ sơ {dossier}) không có khi nhận"
    text, html = smtp_server.bodies(message)
    assert transfer in text and "BC-VINH → TTHCC" in text
    assert f'href="http://127.0.0.1:5000/dossiers/{dossier}"' in html and '<html lang="vi">' in html
    run_worker(runner, at(24, 6))
    assert len(smtp_server.messages) == 1


def test_nothing_is_mailed_without_smtp_url(page_client, as_user, runner):
    choose_mail(page_client, "centre1", "tthcc@nghean.gov.vn", ["immediate", "digest"])
    post = as_user("post1")
    items = [post.new_item(post.register_dossier()["code"]) for _ in range(2)]
    as_user("centre1").receive(post.send("TTHCC", items), items[:1])
    run_worker(runner, at(24, 12))
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail)) == 0


def test_the_mail_page_keeps_what_was_typed_when_refused(page_client):
    refused = choose_mail(page_client, "post1", "không-phải-thư", ["digest"])
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'value="không-phải-thư"' in page and "ten@coquan.gov.vn" in page
    assert 'value="digest" style="width: 24px; height: 24px;" checked' in page
    assert choose_mail(page_client, "post1", "", ["digest"]).status_code == 422
    assert choose_mail(page_client, "post1", "", []).status_code == 302
