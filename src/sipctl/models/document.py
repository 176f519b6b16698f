"""The header every plan document shares, and the registry of document models."""

from __future__ import annotations

from pydantic import Field

from sipctl.models.blocks import Block, CycleId, Slug, Status


class PlanDocument(Block):
    """Every document file starts with these four keys, then its content."""

    document: str = Field(description="The document's id in the framework.")
    school: Slug = Field(description="The school's slug: the folder name under schools/.")
    cycle: CycleId
    status: Status = Field(
        description="not-started, in-progress, draft (submitted as a draft), final (submitted), "
        "approved (accepted by the district; changes need the status set back first)."
    )
