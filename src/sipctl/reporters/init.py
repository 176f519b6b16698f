"""What `sipctl init` did, in words: each file written, kept or carried forward, and what
to do next."""

from __future__ import annotations

from typing import TextIO

from sipctl.services.init import InitResult


def report_init(result: InitResult, out: TextIO) -> None:
    lines = []
    if result.new_district:
        lines.append(f"Started a district in {result.root}")
    lines += [f"  wrote    {rel}" for rel in result.written]
    if result.schemas:
        lines.append(f"  wrote    schemas/ ({len(result.schemas)} JSON Schemas for editors)")
    lines += [f"  rewrote  {rel}" for rel in result.rewritten]
    lines += [f"  using    {rel} (it exists)" for rel in result.reused]
    lines += [f"  kept     {rel} (it exists; init leaves it alone)" for rel in result.kept]
    lines += [
        f"  carried  {doc_id}: {', '.join(fields)}" for doc_id, fields in result.carried.items()
    ]
    lines += [f"note: {note}" for note in result.notes]
    folder = f"schools/{result.school}/{result.cycle}/"
    lines.append(
        f"Next: fill in every TODO in {folder}, then run `sipctl check` to see what is left."
    )
    out.write("".join(line + "\n" for line in lines))
