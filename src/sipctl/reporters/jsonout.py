"""Machine-readable check output: one object with a versioned shape."""

from __future__ import annotations

import json
from typing import TextIO

from sipctl.services.check import CheckResult

# Bump when a key changes meaning or disappears; adding keys keeps the version.
JSON_VERSION = 1


def report(result: CheckResult, out: TextIO) -> None:
    payload = {
        "version": JSON_VERSION,
        "summary": {
            **result.counts,
            "files": result.files,
            "schools": result.schools,
            "failed": result.failed,
        },
        "notes": result.notes,
        "findings": [f.to_json() for f in result.findings],
    }
    # one write: json.dump writes each of a district's ~100,000 pieces on its own
    out.write(json.dumps(payload, indent=2, sort_keys=False, default=str) + "\n")
