"""The table printed at the end of a run: the machine, every measurement, every ratio
and the peak memory, from the JSON's data."""

from __future__ import annotations

from typing import Any


def table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(data: dict[str, Any]) -> str:
    machine, district, source = data["machine"], data["district"], data["sipctl_source"]
    mib = district["plan_bytes"] / 1024 / 1024
    lines = [
        f"sipctl benchmark: {district['schools']} schools, {district['commits']} commits, "
        f"{district['plan_files']} plan files ({mib:.1f} MiB)",
        f"machine: {machine['cpu_model']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, Python {machine['python']}, git {machine['git']}, "
        f"{machine['os']}",
        f"sipctl source: {source['commit']} + {source['src_files_changed_since_commit']} "
        "changed files under src/"
        + (" (src/ changed during the run!)" if source["src_changed_during_run"] else ""),
        "",
    ]
    rows = [["measurement", "median s", "runs", "max RSS MiB", "status / note"]]
    for m in data["measurements"].values():
        median = m["median_seconds"]
        note = m["note"]
        if m["status"] != "ok" and not note.startswith(m["status"]):
            note = f"{m['status']}: {note}" if note else m["status"]
        rows.append(
            [
                m["label"],
                f"{median:.3f}" if median is not None else "-",
                str(len(m["runs_seconds"])),
                f"{m['max_rss_mib']:.1f}" if m["max_rss_mib"] is not None else "-",
                " ".join(note.split())[:120],
            ]
        )
    lines.append(table(rows, {1, 2, 3}))
    lines.append("")
    rows = [["ratio (issue 8)", "figures", "value", "target", "result"]]
    for r in data["ratios"]:
        value = f"{r['value']:.2f}" if r["value"] is not None else "-"
        result = "n/a" if r["pass"] is None else "pass" if r["pass"] else "FAIL"
        if r["informational"]:
            result += " (info)"
        rows.append([r["name"], r["figures"], value, f"{r['comparison']} {r['limit']:g}", result])
    lines.append(table(rows, {2}))
    memory = data["memory"]
    lines += [
        "",
        f"peak memory: full check {memory['check_full_max_rss_mib']} MiB, "
        f"one-school check {memory['check_one_school_max_rss_mib']} MiB",
    ]
    return "\n".join(lines)
