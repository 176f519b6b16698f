"""The rule modules, imported for their registrations."""

from __future__ import annotations
