"""Document models by name, as frameworks refer to them.

Each framework's models live in their own module and are imported only when a
document of that framework is read: a check of an SEZP district never pays for
building the DESE models (pydantic class creation is most of sipctl's start-up).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

from sipctl.models.document import PlanDocument

_MODULES = {
    "sipctl.models.sezp": (
        "PriorityLevers",
        "WorkingConditions",
        "Calendars",
        "SpsOptionalServices",
        "SezpSupportServices",
        "SummerSchoolLaunch",
        "LeverGoals",
        "TltTransition",
        "SummerPlan",
        "StrategicActionPlan",
        "FacultyHandbook",
        "MidYearTargets",
        "TltSelection",
    ),
    "sipctl.models.planning": ("SchoolImprovementPlan", "ActionPlan"),
    "sipctl.models.dese": (
        "StakeholderEngagement",
        "EnvisionTheFuture",
        "RootCauseAnalysis",
        "StrategicObjectives",
        "GoalsBenchmarks",
        "DistrictSystems",
        "ExecutiveSummary",
        "ProgressMonitoring",
        "AnnualRenewal",
    ),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}


class _Registry(Mapping[str, type[PlanDocument]]):
    """Model name -> class, importing a framework's module on first use."""

    def __getitem__(self, name: str) -> type[PlanDocument]:
        model = getattr(import_module(_MODULE_OF[name]), name)
        assert issubclass(model, PlanDocument)
        return model

    def __contains__(self, name: object) -> bool:
        return name in _MODULE_OF

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULE_OF)

    def __len__(self) -> int:
        return len(_MODULE_OF)


DOCUMENT_MODELS: Mapping[str, type[PlanDocument]] = _Registry()

__all__ = ["DOCUMENT_MODELS", "PlanDocument"]
