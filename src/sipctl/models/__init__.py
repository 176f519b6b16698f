"""Document models by name, as frameworks refer to them."""

from __future__ import annotations

from sipctl.models import dese, planning, sezp
from sipctl.models.document import PlanDocument

DOCUMENT_MODELS: dict[str, type[PlanDocument]] = {
    model.__name__: model
    for module in (sezp, planning, dese)
    for model in vars(module).values()
    if isinstance(model, type) and issubclass(model, PlanDocument) and model is not PlanDocument
}

__all__ = ["DOCUMENT_MODELS", "PlanDocument"]
