"""Helpers for the end of the journey: a result brought back to the post office, a drawn signature."""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageDraw


def result_at_post(as_user, result_kind: str = "result") -> tuple[str, str]:
    """A dossier of STP whose result (or returned papers) the department sent back to BC-VINH."""
    post, centre, dept = as_user("post1"), as_user("centre1"), as_user("dept1")
    dossier = post.register_dossier()["code"]
    if result_kind == "result":
        packet = dept.ok(dept.post(f"/api/v1/dossiers/{dossier}/result"), 201)["code"]
    else:
        body = {"reason_code": "missing_papers", "reason_text": "Thiếu bản sao CCCD"}
        packet = dept.ok(dept.post(f"/api/v1/dossiers/{dossier}/return", body), 201)["item"]["code"]
    centre.receive(dept.send("TTHCC", [packet]), [packet])
    post.receive(centre.send("BC-VINH", [packet]), [packet])
    return dossier, packet


def signature_data_url(width: int = 300, height: int = 100) -> str:
    """A signature as a canvas would send it: a PNG data URL with a stroke on it."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 70), (80, 20), (150, 80), (280, 30)], fill=(0, 0, 80, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
