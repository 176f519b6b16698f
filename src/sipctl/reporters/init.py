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
    if result.due:
        # The documents carry no comments: this is where a principal first sees who owns
        # each one and when it is due (the cycle file holds the dates; `status` tracks them).
        lines.append(f"Who owns each document, and when it is due ({result.due_from}):")
        width = max(len(due.doc_id) for due in result.due)
        owner_width = max(len(due.owner) for due in result.due)
        lines += [
            f"  {due.doc_id:<{width}}  {due.owner:<{owner_width}}  {due.when}" for due in result.due
        ]
    lines += [f"note: {note}" for note in result.notes]
    folder = f"schools/{result.school}/{result.cycle}/"
    lines.append(
        f"Next: fill in every TODO in {folder}, then run `sipctl check` to see what is left."
    )
    out.write("".join(line + "\n" for line in lines))
