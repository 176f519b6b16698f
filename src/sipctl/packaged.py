"""Files shipped inside sipctl: the templates (init's documents and kit, render's pages).

In a wheel they are package data (`sipctl/templates/`); in the source tree they are the
top-level `templates/` folder that reviewers read. Reporters and services both find them
here, so neither imports the other for it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import sipctl


def templates_dir() -> Path:
    """The templates folder: packaged in a wheel, or the source tree's top-level templates/."""
    packaged = resources.files("sipctl") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(sipctl.__file__).resolve().parents[2] / "templates"
