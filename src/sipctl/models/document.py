"""The header every plan document shares, and the registry of document models."""

from __future__ import annotations

from pydantic import Field

from sipctl.models.blocks import Block, CycleId, Slug, Status

# Each document model narrows `document` to its own id (a Literal), which replaces this
# field and its description, so every model repeats the description from here.
DOCUMENT = "Which form this file holds, as `sipctl init` wrote it; leave it as it is."


class PlanDocument(Block):
    """Every document file starts with these four keys, then its content."""

    document: str = Field(description=DOCUMENT)
    school: Slug = Field(
        description="Your school's short name, the same as its folder under schools/, e.g. maple."
    )
    cycle: CycleId
    status: Status = Field(
        description="not-started, in-progress, draft (submitted as a draft), final (submitted), "
        "approved (accepted by the district; changes need the status set back first). Commit the "
        "change on or before the deadline: the commit dates the submission."
    )
