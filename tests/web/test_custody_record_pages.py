"""The previous holder of an item that turned up at another unit sees it on its pages."""

import re

from tests.web.test_pages import visible_text


def test_previous_holder_sees_where_its_item_arrived(as_user, page_client):
    post, other_post, centre = as_user("post1"), as_user("post2"), as_user("centre1")
    dossier = other_post.register_dossier()["code"]
    stray = other_post.new_item(dossier)
    draft = other_post.open_transfer("STP")
    other_post.add(draft, stray)
    centre.receive(post.send("TTHCC", [post.new_item(post.register_dossier()["code"])]), [stray])

    pages = page_client("post2")
    inbox = visible_text(pages.get("/receive").get_data(as_text=True))
    assert "Bưu gửi của đơn vị bạn đã đến nhầm nơi khác" in inbox
    assert stray in inbox and f"trước đó trong phiếu {draft}" in inbox
    assert "đến ngoài dự kiến tại Trung tâm Phục vụ hành chính công tỉnh Nghệ An" in inbox

    timeline = visible_text(pages.get(f"/dossiers/{dossier}").get_data(as_text=True))
    assert "Xuất hiện tại đơn vị khác" in timeline
    assert "đến ngoài dự kiến tại Trung tâm Phục vụ hành chính công tỉnh Nghệ An" in timeline

    english = visible_text(page_client("post2", "en").get("/receive").get_data(as_text=True))
    assert "arrived unexpectedly at Trung tâm" in english
    # Units that never held it are not told.
    assert stray not in visible_text(page_client("dept1").get("/receive").get_data(as_text=True))


def test_dashboard_shows_the_digest_verify_prints(as_user, page_client, runner):
    post = as_user("post1")
    post.send("TTHCC", [post.new_item(post.register_dossier()["code"])])
    printed = runner.invoke(args=["custody", "verify"]).output
    year, month, day, count, root = re.search(
        r"(\d{4})-(\d{2})-(\d{2})\s+(\d+) events\s+([0-9a-f]{64})", printed
    ).groups()
    for language in ("vi", "en"):
        page = visible_text(page_client("super1", language).get("/dashboard").get_data(as_text=True))
        assert f"{day}/{month}/{year} {count} {root}" in page
    assert "Mã tóm lược sổ bàn giao" in visible_text(page_client("super1").get("/dashboard").get_data(as_text=True))
