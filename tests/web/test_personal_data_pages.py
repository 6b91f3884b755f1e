"""The dossier pages mask the applicant's phone and address as the API does, and log unmasked reads."""

from __future__ import annotations

from tests.privacy.test_personal_data import ADDRESS, MASKED_PHONE, PHONE, reads, user_ids
from tests.web.test_pages import visible_text


def test_pages_mask_and_log_too(as_user, page_client, world):
    post = as_user("post1")
    code = post.register_dossier(applicant_phone=PHONE, applicant_address=ADDRESS)["code"]
    before = len(reads())
    stranger = visible_text(page_client("post2").get(f"/dossiers/{code}").get_data(as_text=True))
    assert MASKED_PHONE in stranger and PHONE not in stranger and "đường Lê Lợi" not in stranger
    assert "Số điện thoại và địa chỉ được ẩn" in stranger
    found = visible_text(page_client("post2").get("/dossiers", query_string={"q": code}).get_data(as_text=True))
    assert MASKED_PHONE in found and PHONE not in found
    assert len(reads()) == before
    own = visible_text(page_client("post1").get(f"/dossiers/{code}").get_data(as_text=True))
    assert PHONE in own and "đường Lê Lợi" in own
    user, _dossier, channel = reads()[-1]
    assert (user, channel) == (user_ids()["post1"], "page")
