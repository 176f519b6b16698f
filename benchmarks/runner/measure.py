"""One measurement's spec and result, and the rounds that run them interleaved (every
spec once per round), so that noise on the machine hits every command alike."""

from __future__ import annotations

import shutil
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .processes import run_process, tail

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class Spec:
    key: str
    make: Callable[[Path], list[list[str]]]  # scratch dir -> the processes of one run
    repeats: int
    cwd: Path | None = None
    ok_codes: tuple[int, ...] = (0,)
    warm_up: bool = False
    keep_output: bool = False  # keep the last run's stdout (check's JSON summary)
    note: str = ""
    unavailable: str | None = None  # set before running: not measured, and why
    history_cache: bool = False  # sipctl may use .git/sipctl/ (default: walk from scratch)
    # A run of this spec right before each of this one's runs, timed into pair_runs: the
    # ratio to it is then the median of the pairs, each timed within the same minute.
    pair: Spec | None = None


@dataclass
class Result:
    key: str
    label: str
    command: str = ""
    status: str = "ok"  # ok | not available | skipped | failed
    note: str = ""
    runs: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    max_rss_kib: list[int] = field(default_factory=list)
    processes_per_run: int = 1
    output: str = ""
    pair_key: str | None = None
    pair_runs: list[float] = field(default_factory=list)  # one per run, right before it

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs and self.status == "ok" else None

    def as_dict(self) -> dict[str, Any]:
        median = self.median
        rss = max(self.max_rss_kib) if self.max_rss_kib else None
        return {
            "label": self.label,
            "command": self.command,
            "status": self.status,
            "note": self.note,
            "median_seconds": round(median, 4) if median is not None else None,
            "runs_seconds": [round(r, 4) for r in self.runs],
            "exit_codes": self.exit_codes,
            "max_rss_mib": round(rss / 1024, 1) if rss is not None else None,
            "processes_per_run": self.processes_per_run,
            "paired_with": self.pair_key,
            "paired_runs_seconds": [round(r, 4) for r in self.pair_runs],
        }


# Every measurement's result by key, in table order; filled by measure().
RESULTS: dict[str, Result] = {}


def reset_results(labels: dict[str, str]) -> None:
    """One empty result per measurement key, with its label."""
    RESULTS.clear()
    RESULTS.update({key: Result(key, label) for key, label in labels.items()})


def shown(command: list[str], district: Path) -> str:
    parts = []
    for part in command:
        text = part.replace(str(district), "D").replace(str(ROOT) + "/", "")
        if "\n" in text:
            text = "<snippet>"
        parts.append(text if " " not in text else repr(text))
    return " ".join(parts)


def measure(specs: list[Spec], district: Path, timeout: float, log: Callable[[str], None]) -> None:
    """Run the specs round by round (interleaved); fills RESULTS."""
    rounds = max((spec.repeats for spec in specs), default=0)
    with tempfile.TemporaryDirectory(prefix="sipctl-bench-") as tmp:
        base = Path(tmp)
        for spec in specs:
            result = RESULTS[spec.key]
            commands = spec.make(base / "probe")
            result.command = " && ".join(shown(c, district) for c in commands[:1])
            if len(commands) > 1:
                result.command += f" (and {len(commands) - 1} more like it)"
            result.processes_per_run = len(commands)
            result.pair_key = spec.pair.key if spec.pair is not None else None
            if spec.note:
                result.note = spec.note
            if spec.unavailable is not None:
                skipped = spec.unavailable.startswith("skipped")
                result.status = "skipped" if skipped else "not available"
                result.note = spec.unavailable
            elif spec.warm_up:
                one_run(spec, result, base, timeout, record=False)
        for round_index in range(rounds):
            for spec in specs:
                result = RESULTS[spec.key]
                if round_index >= spec.repeats or result.status != "ok":
                    continue
                log(f"  [{round_index + 1}/{spec.repeats}] {spec.key}")
                if spec.pair is None:
                    one_run(spec, result, base, timeout, record=True)
                else:
                    paired_run(spec, spec.pair, result, base, timeout)


def paired_run(spec: Spec, pair: Spec, result: Result, base: Path, timeout: float) -> None:
    """One run of `pair`, then one of `spec`; the pair's time is kept beside the run's."""
    before = Result(pair.key, "")
    one_run(pair, before, base, timeout, record=True)
    runs = len(result.runs)
    one_run(spec, result, base, timeout, record=True)
    if before.status != "ok":  # the ratio falls back to the rows' medians
        result.pair_key, result.pair_runs = None, []
        spec.pair = None
    elif len(result.runs) > runs:
        result.pair_runs.append(before.runs[-1])


def one_run(spec: Spec, result: Result, base: Path, timeout: float, record: bool) -> None:
    scratch = Path(tempfile.mkdtemp(dir=base))
    try:
        total, rss, codes = 0.0, 0, []
        for index, command in enumerate(spec.make(scratch)):
            proc = run_process(command, spec.cwd, scratch, timeout, index, spec.history_cache)
            total += proc.seconds
            rss = max(rss, proc.max_rss_kib)
            codes.append(proc.code)
            if proc.code not in spec.ok_codes:
                message = tail(proc.stderr) or tail(proc.stdout)
                if proc.code in (2, 3) and "not available" in message:
                    result.status, result.note = "not available", message
                else:
                    result.status = "failed"
                    result.note = f"exit {proc.code}: {message}"
                result.exit_codes.append(proc.code)
                return
            if spec.keep_output:
                result.output = proc.stdout.read_text(encoding="utf-8", errors="replace")
        if record:
            # kept as the JSON keeps it, so that every ratio can be recomputed from the
            # JSON's own figures (on a tiny district, a 0.08 s floor rounded to 4
            # decimals moved a ratio of 7 by 0.005)
            result.runs.append(round(total, 4))
            result.max_rss_kib.append(rss)
            result.exit_codes.extend(sorted(set(codes)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
