from __future__ import annotations

from sipctl.cli import main

main()
