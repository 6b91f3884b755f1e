import pytest

from tests.support import ApiClient

PROCEDURE = {
    "code": "2.001.008",
    "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    "department": "STP",
    "processing_days": 10,
    "papers": ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp Căn cước công dân"],
}


@pytest.fixture
def procedure(as_user) -> dict:
    """The catalogue's Phiếu lý lịch tư pháp procedure, added by the admin."""
    admin: ApiClient = as_user("admin1")
    return admin.ok(admin.post("/api/v1/procedures", PROCEDURE), 201)
