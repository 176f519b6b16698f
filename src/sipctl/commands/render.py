from __future__ import annotations

from sipctl.commands.options import RepoOption
from sipctl.commands.planned import not_built


def render(repo: RepoOption = None) -> None:
    """Publish plans as HTML or Markdown, with a district index.

    Example: sipctl render --format html --out site
    """
    not_built("render", "write readable HTML and Markdown plans")
