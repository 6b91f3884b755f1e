"""The mail the worker sends, in Vietnamese, as plain text and HTML with links to the dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app
from markupsafe import Markup, escape

from tracker.delays.services import Delay

DELAY_HEADINGS = {
    "late": "Đang chậm so với thời hạn",
    "lost": "Thất lạc hoặc nghi thất lạc",
    "at_risk": "Có nguy cơ trễ ngày hẹn trả",
}
DELAY_SECTIONS = {"overdue_transit": "late", "overdue_dwell": "late", "suspected_lost": "lost", "at_risk": "at_risk"}
IMMEDIATE_SUBJECTS = {
    "item.missing": "Thất lạc: bưu gửi {item} (hồ sơ {dossier}) không có khi nhận",
    "delay.suspected_lost": "Nghi thất lạc: bưu gửi {item} (hồ sơ {dossier}) vận chuyển quá lâu",
}


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def dossier_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/dossiers/{quote(code, safe='')}"


def _link(code: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(dossier_url(code), code)


def _html_page(title: str, body: Markup) -> str:
    return str(
        Markup(
            '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{}</title></head>'
            '<body style="font-family:sans-serif;color:#1a1a1a">{}'
            '<p style="color:#555">Thư tự động từ hệ thống theo dõi hồ sơ; đổi cách nhận thư ở trang '
            "“Nhận thư thông báo”.</p></body></html>"
        ).format(title, body)
    )


def immediate_mail(event_type: str, data: dict) -> Composed:
    """One loss, told at once."""
    dossier, item = data.get("dossier", ""), data.get("item", "")
    subject = IMMEDIATE_SUBJECTS[event_type].format(item=item, dossier=dossier)
    route = f"{data.get('from_unit', '?')} → {data.get('to_unit', '?')}"
    lines = [
        f"Hồ sơ: {dossier} ({dossier_url(dossier)})",
        f"Bưu gửi: {item}",
        f"Phiếu bàn giao: {data.get('transfer', '-')}",
        f"Tuyến: {route}",
    ]
    text = subject + "\n\n" + "\n".join(lines) + "\n\nHãy kiểm tra và tìm bưu gửi ngay.\n"
    html = Markup('<h1 style="font-size:1.2em">{}</h1><ul>{}</ul><p>Hãy kiểm tra và tìm bưu gửi ngay.</p>').format(
        subject,
        Markup("").join(
            [
                Markup("<li>Hồ sơ: {}</li>").format(_link(dossier)),
                Markup("<li>Bưu gửi: {}</li>").format(item),
                Markup("<li>Phiếu bàn giao: {}</li>").format(data.get("transfer", "-")),
                Markup("<li>Tuyến: {}</li>").format(route),
            ]
        ),
    )
    return Composed(subject, text, _html_page(subject, html))


def _describe(delay: Delay) -> str:
    route = delay.from_unit.code + (f" → {delay.to_unit.code}" if delay.to_unit else "")
    item = f"bưu gửi {delay.item.code}, " if delay.item else ""
    return f"{item}{route}, {delay.elapsed_hours:g}/{delay.limit_hours:g} giờ làm việc"


def digest_mail(scope: str, day: str, delays: list[Delay]) -> Composed:
    """The day's digest: what is late now, what went missing, what may miss its appointment."""
    subject = f"Tình hình hồ sơ ngày {day}: {scope}"
    sections: dict[str, list[Delay]] = {key: [] for key in DELAY_HEADINGS}
    for delay in delays:
        if delay.kind in DELAY_SECTIONS:
            sections[DELAY_SECTIONS[delay.kind]].append(delay)
    text_parts, html_parts = [subject, ""], []
    for key, heading in DELAY_HEADINGS.items():
        rows = sections[key]
        text_parts.append(f"{heading} ({len(rows)}):")
        text_parts.extend(f"- {d.dossier.reference}: {_describe(d)} ({dossier_url(d.dossier.reference)})" for d in rows)
        text_parts.append("")
        line = Markup("<li>{}: {}</li>")
        items = Markup("").join(line.format(_link(d.dossier.reference), _describe(d)) for d in rows)
        html_parts.append(
            Markup('<h2 style="font-size:1.1em">{} ({})</h2>{}').format(
                heading, len(rows), Markup("<ul>{}</ul>").format(items) if rows else Markup("<p>Không có.</p>")
            )
        )
    html = Markup('<h1 style="font-size:1.2em">{}</h1>{}').format(escape(subject), Markup("").join(html_parts))
    return Composed(subject, "\n".join(text_parts), _html_page(subject, html))
