"""flask labels print-pending: one PDF of every label a unit still has to print."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from labels.item_labels import LabelSize, render_item_labels
from tracker.extensions import db
from tracker.printing.services import item_label, mark_printed, unprinted_items
from tracker.units.services import find_unit

labels_cli = AppGroup("labels", help="Print item labels.")


@labels_cli.command("print-pending")
@click.option("--unit", "unit_code", required=True, help="The unit whose held items need labels, e.g. BC-VINH.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="PDF file (default: nhan-UNIT.pdf).")
@click.option(
    "--size", type=click.Choice([s.value for s in LabelSize]), default=LabelSize.THERMAL.value, show_default=True
)
def print_pending(unit_code: str, output: Path | None, size: str) -> None:
    """Write the labels of items UNIT holds that never had one, and record them as printed."""
    unit = find_unit(unit_code)
    items = unprinted_items(unit)
    if not items:
        click.echo(f"{unit.name}: không có bưu gửi nào chờ in nhãn.")
        return
    with click.progressbar(items, label=f"Chuẩn bị {len(items)} nhãn", show_pos=True) as progress:
        labels = [item_label(item) for item in progress]
    click.echo("Đang dựng PDF...")
    output = output or Path(f"nhan-{unit.code}.pdf")
    output.write_bytes(render_item_labels(labels, LabelSize(size)))
    mark_printed(items)
    db.session.commit()
    click.echo(f"Đã ghi {len(items)} nhãn vào {output}.")
