"""Nghệ An as the demo has it: its units and accounts, the procedures of its catalogue, the
names and streets its applicants are drawn from, and the hours of its working day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from tracker.domain.custody import Role, UnitKind

DEMO_PASSWORD = "NgheAn@2026"

DEMO_UNITS = [
    ("BDT-NA", "Bưu điện tỉnh Nghệ An", UnitKind.POST),
    ("BC-VINH", "Bưu cục Trung tâm Vinh", UnitKind.POST),
    ("BC-DIENCHAU", "Bưu cục Diễn Châu", UnitKind.POST),
    ("BC-QUYNHLUU", "Bưu cục Quỳnh Lưu", UnitKind.POST),
    ("TTHCC", "Trung tâm Phục vụ hành chính công tỉnh Nghệ An", UnitKind.CENTRE),
    ("STP", "Sở Tư pháp", UnitKind.DEPARTMENT),
    ("CA", "Công an tỉnh", UnitKind.DEPARTMENT),
    ("SXD", "Sở Xây dựng", UnitKind.DEPARTMENT),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", UnitKind.DEPARTMENT),
    ("SYT", "Sở Y tế", UnitKind.DEPARTMENT),
    ("SGDDT", "Sở Giáo dục và Đào tạo", UnitKind.DEPARTMENT),
]

# username, full name, role, unit: the logins printed by `make run` and listed in the README.
DEMO_USERS = [
    ("buudien", "Nguyễn Thị Hoa", Role.POSTAL_STAFF, "BC-VINH"),
    ("buudien2", "Hồ Văn Nam", Role.POSTAL_STAFF, "BC-DIENCHAU"),
    ("buudien3", "Phan Thị Lan", Role.POSTAL_STAFF, "BC-QUYNHLUU"),
    ("buudientinh", "Trần Quốc Hưng", Role.POSTAL_STAFF, "BDT-NA"),
    ("trungtam", "Lê Thị Mai", Role.CENTRE_CLERK, "TTHCC"),
    ("sotuphap", "Đặng Văn Sơn", Role.DEPARTMENT_CLERK, "STP"),
    ("congan", "Thái Minh Đức", Role.DEPARTMENT_CLERK, "CA"),
    ("soxaydung", "Võ Thị Hằng", Role.DEPARTMENT_CLERK, "SXD"),
    ("sonnmt", "Nguyễn Đình Tuấn", Role.DEPARTMENT_CLERK, "SNNMT"),
    ("soyte", "Chu Thị Thảo", Role.DEPARTMENT_CLERK, "SYT"),
    ("sogddt", "Hoàng Văn Lực", Role.DEPARTMENT_CLERK, "SGDDT"),
    ("giamsat", "Bùi Thị Thu Hà", Role.SUPERVISOR, "TTHCC"),
    ("quantri", "Quản trị hệ thống", Role.ADMIN, "TTHCC"),
]


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    department: str
    working_days: int
    weight: int
    papers: tuple[str, ...]


ID_CARD = "Bản chụp Căn cước công dân hoặc Căn cước"
PROCEDURES = [
    Procedure(
        "2.001.008", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam (Phiếu số 1)", "STP", 10, 30,
        ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", ID_CARD, "Bản chụp giấy tờ chứng minh nơi thường trú"),
    ),
    Procedure(
        "2.001.010", "Cấp Phiếu lý lịch tư pháp số 2 theo yêu cầu của cá nhân", "STP", 10, 8,
        ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", ID_CARD),
    ),
    Procedure(
        "1.002.804", "Đổi giấy phép lái xe do ngành Công an cấp", "CA", 5, 25,
        ("Đơn đề nghị đổi giấy phép lái xe", "Giấy phép lái xe đang sử dụng", "Giấy khám sức khỏe của người lái xe"),
    ),
    Procedure(
        "1.009.994", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "SXD", 15, 8,
        ("Đơn đề nghị cấp giấy phép xây dựng", "Giấy tờ chứng minh quyền sử dụng đất", "Bản vẽ thiết kế xây dựng"),
    ),
    Procedure(
        "1.004.227", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "SNNMT", 10, 12,
        (
            "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất", "Bản gốc Giấy chứng nhận đã cấp",
            "Hợp đồng, văn bản về việc chuyển quyền",
        ),
    ),
    Procedure(
        "1.012.270", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "SYT", 20, 7,
        (
            "Đơn đề nghị cấp giấy phép hành nghề", "Bản sao văn bằng chuyên môn",
            "Giấy chứng nhận đủ sức khỏe hành nghề", ID_CARD,
        ),
    ),
    Procedure(
        "1.005.092", "Công nhận văn bằng tốt nghiệp do cơ sở giáo dục nước ngoài cấp", "SGDDT", 15, 5,
        (
            "Đơn đề nghị công nhận văn bằng", "Bản sao văn bằng cần công nhận",
            "Bản dịch công chứng văn bằng sang tiếng Việt",
        ),
    ),
    Procedure(
        "2.002.481", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "SGDDT", 5, 5,
        ("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc", ID_CARD),
    ),
]  # fmt: skip

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Thái"]
MIDDLE_NAMES = ["Văn", "Thị", "Đình", "Minh", "Ngọc", "Quang", "Thị Thu", "Hữu", "Xuân", "Thanh"]
GIVEN_NAMES = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tú",
    "Vân",
    "Yến",
    "Ánh",
]
STREETS = [
    "Lê Lợi",
    "Nguyễn Du",
    "Trường Thi",
    "Quang Trung",
    "Phan Đình Phùng",
    "Lê Hồng Phong",
    "Nguyễn Thị Minh Khai",
]
POST_AREAS = {
    "BC-VINH": "TP Vinh",
    "BC-DIENCHAU": "huyện Diễn Châu",
    "BC-QUYNHLUU": "huyện Quỳnh Lưu",
    "BDT-NA": "TP Vinh",
}

# Slots of a working day: what happens at each hour.
RECEIVE_SLOTS = (time(8, 0), time(13, 30))
DISPATCH_SLOTS = (time(10, 30), time(15, 30))
PICKUP_HOURS = (7, 16)
