"""The machine measured (CPU, memory, Python, git, OS, package versions), the sipctl
source (its commit and how far ``src/`` has moved from it) and the district."""

from __future__ import annotations

import hashlib
import json
import os
import platform
from pathlib import Path
from typing import Any

from .processes import Tools, output

ROOT = Path(__file__).resolve().parent.parent.parent


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


VERSIONS = """\
import importlib.metadata as md, json, platform, yaml
names = ["sipctl", "PyYAML", "pydantic", "pydantic-core", "typer", "click", "rich",
         "check-jsonschema", "ruamel.yaml", "jsonschema"]
out = {}
for name in names:
    try:
        out[name] = md.version(name)
    except md.PackageNotFoundError:
        out[name] = None
out["libyaml"] = yaml._yaml.get_version_string() if yaml.__with_libyaml__ else None
out["python"] = platform.python_version() + " (" + platform.python_implementation() + ")"
print(json.dumps(out))
"""


def describe_machine(tools: Tools) -> dict[str, Any]:
    cpu = "unknown"
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = None
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    distro = ""
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            distro = line.split("=", 1)[1].strip('"')
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    try:
        versions = json.loads(output([tools.python, "-c", VERSIONS]))
    except json.JSONDecodeError:
        versions = {}
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": memory,
        "python": versions.pop("python", platform.python_version()),
        "git": output([tools.git, "--version"]).removeprefix("git version "),
        "os": f"{distro} ({platform.platform()})" if distro else platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "packages": versions,
    }


def describe_source() -> dict[str, Any]:
    """Which sipctl was measured: the source tree's commit and how far src/ has moved."""
    head = output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    changed = output(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"])
    return {
        "commit": head or None,
        "src_files_changed_since_commit": len(changed.splitlines()) if changed else 0,
        "src_fingerprint": source_fingerprint(),
    }


def source_fingerprint() -> str:
    """Changes whenever a file under src/ is edited, added or removed."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "src").rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}\n".encode())
    return digest.hexdigest()[:12]


def describe_district(district: Path) -> dict[str, Any]:
    files = sorted(district.glob("schools/*/*/*.yaml"))
    commits = output(["git", "-C", str(district), "rev-list", "--count", "HEAD"])
    schools = sorted(p.name for p in (district / "schools").iterdir() if p.is_dir())
    return {
        "path": str(district),
        "schools": len(schools),
        "commits": int(commits) if commits.isdigit() else None,
        "plan_files": len(files),
        "plan_bytes": sum(p.stat().st_size for p in files),
        "school_profiles": len(list(district.glob("schools/*/school.yaml"))),
    }
