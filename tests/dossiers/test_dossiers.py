import pytest

from tests.support import dossier_payload


def test_register_and_read_a_dossier(as_user):
    post = as_user("post1")
    created = post.register_dossier(code="000.00.18.H40-261102-9999")
    assert created["department"] == "STP" and created["status"] == "open"
    assert created["applicant_name"] == "Nguyễn Thị Ngọc Ánh"
    assert created["received_at"] == "2026-11-02T08:00:00+07:00"
    detail = post.ok(post.get("/api/v1/dossiers/000.00.18.H40-261102-9999"))
    assert detail["items"] == []


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"department": "BC-VINH"}, "not_a_department", "department"),
        ({"due_at": "2026-11-01T08:00:00+07:00"}, "due_before_received", "due_at"),
        ({"applicant_name": "   "}, "validation_error", "applicant_name"),
        ({"applicant_phone": "call me"}, "validation_error", "applicant_phone"),
    ],
)
def test_bad_dossiers_are_refused(as_user, overrides, code, field):
    response = as_user("post1").post("/api/v1/dossiers", dossier_payload(**overrides))
    assert response.status_code == 422
    assert response.json["error"]["code"] == code
    assert field in response.json["error"]["details"]


def test_a_dossier_code_is_registered_once(as_user):
    post = as_user("post1")
    post.register_dossier(code="DUP-1")
    again = post.post("/api/v1/dossiers", dossier_payload(code="DUP-1"))
    assert again.status_code == 409 and again.json["error"]["code"] == "dossier_exists"


def test_filters(as_user):
    post, centre = as_user("post1"), as_user("centre1")
    judicial = post.register_dossier(applicant_name="Trần Văn Bình")["code"]
    licence = post.register_dossier(department="CA", applicant_phone="0988 000 111")["code"]
    item = post.new_item(licence, postal_id="RR473124829VN")
    centre.receive(post.send("TTHCC", [item]), [item])

    def codes(query):
        return [d["code"] for d in post.ok(post.get(f"/api/v1/dossiers?{query}"))["items"]]

    assert codes("department=STP") == [judicial]
    assert codes("holder=TTHCC") == [licence]
    assert codes("q=Bình") == [judicial]
    assert codes("q=0988") == [licence]
    assert codes(f"q={item}") == [licence]
    assert codes("q=RR473124829VN") == [licence]
    assert codes("status=delivered") == []
    assert post.get("/api/v1/dossiers?holder=NOWHERE").status_code == 404


def test_search_finds_people_as_they_type(as_user):
    post = as_user("post1")
    anh = post.register_dossier(
        code="000.00.18.H40-261102-0101", applicant_name="Nguyễn Thị Ánh", applicant_phone="0388 111 222"
    )["code"]
    dung = post.register_dossier(
        code="000.00.18.H40-261102-0102", applicant_name="Đặng Văn Dũng", applicant_phone="0912.345.678"
    )["code"]
    item = post.new_item(dung, postal_id="RR473124829VN")

    def codes(q):
        return [d["code"] for d in post.ok(post.get("/api/v1/dossiers", query_string={"q": q}))["items"]]

    assert codes("nguyen thi anh") == [anh]
    assert codes("NGUYEN ANH") == [anh], "every word, in any order"
    assert codes("dang dung") == [dung], "d finds đ"
    assert codes("0912345678") == [dung] and codes("345 678") == [dung]
    assert codes(item[:6]) == [dung], "the start of an item code"
    assert codes("RR4731") == [dung], "the start of an S10 number"
    assert codes("H40-261102-010") == [dung, anh], "part of a mã hồ sơ, newest first"
    assert codes("000.00.18.H40-261102-0101")[0] == anh
    assert codes("%") == [] and codes("_") == [], "LIKE wildcards are text"


def test_an_exact_code_comes_first(as_user):
    post = as_user("post1")
    exact = post.register_dossier(code="HSX-1", received_at="2026-11-02T08:00:00+07:00")["code"]
    post.register_dossier(code="HSX-10", received_at="2026-11-03T08:00:00+07:00")
    found = [d["code"] for d in post.ok(post.get("/api/v1/dossiers", query_string={"q": "HSX-1"}))["items"]]
    assert found == [exact, "HSX-10"]


def test_the_tracking_code_finds_a_dossier_without_a_ma_ho_so(as_user):
    post = as_user("post1")
    created = post.ok(post.post("/api/v1/dossiers", dossier_payload(code=None, due_at=None)), 201)
    assert created["code"] is None and created["tracking_code"].startswith("HS")
    detail = post.ok(post.get(f"/api/v1/dossiers/{created['tracking_code'].lower()}"))
    assert detail["tracking_code"] == created["tracking_code"]
    found = post.ok(post.get("/api/v1/dossiers", query_string={"q": created["tracking_code"]}))["items"]
    assert [d["tracking_code"] for d in found] == [created["tracking_code"]]


def test_a_search_counts_each_dossier_once_and_pages_through_them(as_user):
    post = as_user("post1")
    # "RR5" is in this applicant's name and starts the S10 number: matched two ways, counted once
    twice = post.register_dossier(applicant_name="Lê RR5 Văn")["code"]
    post.new_item(twice, postal_id="RR500000018VN")
    others = [post.register_dossier(applicant_name=f"Lê Văn RR5{n}")["code"] for n in range(4)]

    def page(**query):
        return post.ok(post.get("/api/v1/dossiers", query_string={"q": "rr5", "per_page": 2, **query}))

    first, last = page(), page(page=3)
    assert first["total"] == 5 and len(first["items"]) == 2 and len(last["items"]) == 1
    seen = [d["code"] for n in (1, 2, 3) for d in page(page=n)["items"]]
    assert sorted(seen) == sorted([twice, *others])
    assert page(page=9) == {"items": [], "page": 9, "per_page": 2, "total": 5, "total_exact": True}
    assert page(department="CA")["total"] == 0  # every filter still applies
    assert page(holder="BC-VINH")["total"] == 1  # only the dossier with a packet, found two ways
    assert page(holder="TTHCC")["total"] == 0


def test_past_its_limit_a_search_says_at_least_and_still_pages_on(app, as_user):
    post = as_user("post1")
    app.config["SEARCH_TOTAL_COUNTED_UP_TO"] = 3
    exact = post.register_dossier(code="HSY-1", received_at="2026-11-01T08:00:00+07:00")["code"]
    newest_first = [
        post.register_dossier(code=f"HSY-1{n}", received_at=f"2026-11-0{n + 2}T08:00:00+07:00")["code"]
        for n in reversed(range(4))
    ]

    def page(**query):
        return post.ok(post.get("/api/v1/dossiers", query_string={"q": "HSY-1", "per_page": 2, **query}))

    first = page()
    assert (first["total"], first["total_exact"]) == (3, False), "at least 3"
    assert [d["code"] for d in first["items"]] == [exact, newest_first[0]], "the exact code first, then newest"
    second = page(page=2)
    assert (second["total"], second["total_exact"]) == (4, False), "counted to the end of the page asked for"
    assert [d["code"] for d in second["items"]] == newest_first[1:3]
    last = page(page=3)
    assert (last["total"], last["total_exact"]) == (5, True)
    assert [d["code"] for d in last["items"]] == newest_first[3:]
    assert page(page=4) == {"items": [], "page": 4, "per_page": 2, "total": 5, "total_exact": True}
    assert post.ok(post.get("/api/v1/dossiers", query_string={"q": "HSY-12"}))["total_exact"] is True
