"""Fuzz sipctl's one YAML loader: any bytes give data or a YamlLoadError, never a crash.

Each input goes the way a plan file does: `decode` (BOM, UTF-8, NUL), `load_yaml`
(events, depth, aliases, tags, duplicate keys, control characters), then the
document model's validation and `format_path` on every data path, which turn what
was read into findings. Anything but a YamlLoadError is a bug.

Two engines (docs/security.md says how to run each for longer):

    # hypothesis: installed with the test extras; generates YAML-ish text and bytes
    .venv/bin/python fuzz/fuzz_loader.py --examples 200000

    # atheris (libFuzzer, coverage-guided): pip install atheris
    .venv/bin/python fuzz/fuzz_loader.py --atheris fuzz/corpus -max_total_time=3600

With --atheris the remaining arguments go to libFuzzer; a crash is saved as
crash-<sha1> in the current folder, to replay with `fuzz_loader.py --replay FILE`.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Any

SEEDS = [
    b"document: priority-levers\nschool: maple\ncycle: 2022-23\nstatus: draft\n",
    b"levers:\n  - id: L1\n    lever: no\n    evidence: 8:30\n  - id: L2\n",
    b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    b"<<: {a: 1}\nx: !!python/object/apply:os.system ['true']\n",
    b"a: 1\n---\nb: 2\n",
    b"a:\n\tb: 1\n",
    b'"k\\n::error::x": "\\e[31m"\n',
    b"\xef\xbb\xbfa: 2022-02-30\r\nb: 2022-05-06T16:00\r\n",
    b"[" * 64 + b"]" * 64,
    b"? [a]\n: b\n",
]

# Pieces of YAML structure, the YAML 1.1 surprises and what an attacker types.
ATOMS = [
    "a", "id", "levers", "status", ":", ": ", "- ", "? ", "[", "]", "{", "}", ",",
    "&a ", "*a", "!!str ", "!!python/object:os.system ", "!x ", "<<", "---", "...",
    "#", '"', "'", "\\", "\\e", "\\x9b", "|", ">", "\t", "\n", "\n  ", "\r\n",
    "yes", "no", "on", "1:30", "2022-02-30", "2022-05-06T16:00", "~", "null",
    ".nan", "0x1F", "1e3", "\ufeff", "\u2028", "\x85", "é", "😀", "%YAML 1.1\n",
]  # fmt: skip


def one_input(data: bytes) -> None:
    """The fuzz target: raise only for a bug."""
    from sipctl.domain.validation import Place, validate
    from sipctl.models.sezp import LeverGoals
    from sipctl.source.datapaths import format_path
    from sipctl.source.files import YamlLoadError, decode
    from sipctl.source.positions import load_yaml

    try:
        loaded = load_yaml(decode(data))
    except YamlLoadError as exc:
        problem = exc.problem
        assert problem.rule and problem.message and "\n" not in problem.message, problem
        assert problem.line is None or problem.line >= 1, problem
        return
    for path in loaded.positions:
        line, column = loaded.position(path)
        assert line >= 1 and column >= 1, (path, line, column)
        shown = format_path(path, loaded.data)
        assert "\n" not in shown and "\r" not in shown, shown
    _, findings = validate(LeverGoals, loaded, Place("fuzz.yaml"))
    for finding in findings:
        assert "\n" not in finding.message, finding


def _yamlish() -> Any:
    from hypothesis import strategies as st

    atoms = st.sampled_from(ATOMS)
    text = st.lists(st.one_of(atoms, st.text(max_size=4)), max_size=60).map("".join)
    return st.one_of(text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary())


def run_hypothesis(examples: int, seed: int | None) -> int:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as fix_seed

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(_yamlish())
    def fuzz(data: bytes) -> None:
        one_input(data)

    if seed is not None:
        fuzz = fix_seed(seed)(fuzz)
    for sample in SEEDS:
        one_input(sample)
    fuzz()
    print(f"fuzz_loader: {examples} hypothesis examples and {len(SEEDS)} seeds, no crash")
    return 0


def run_atheris(argv: list[str]) -> int:
    import atheris

    with atheris.instrument_imports():
        pass

    def target(data: bytes) -> None:
        one_input(data)

    for folder in (a for a in argv if not a.startswith("-")):
        corpus = Path(folder)
        corpus.mkdir(parents=True, exist_ok=True)
        for n, sample in enumerate(SEEDS):
            (corpus / f"seed-{n:02d}.yaml").write_bytes(sample)
    atheris.Setup([sys.argv[0], *argv], target)
    atheris.Fuzz()
    return 0


def replay(path: Path) -> int:
    try:
        one_input(path.read_bytes())
    except Exception:
        traceback.print_exc()
        return 1
    print(f"{path}: no crash")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="hypothesis examples")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed, to reproduce")
    parser.add_argument("--atheris", action="store_true", help="fuzz with atheris/libFuzzer")
    parser.add_argument("--replay", type=Path, help="run one saved input and show any crash")
    args, rest = parser.parse_known_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    if args.replay:
        return replay(args.replay)
    if args.atheris:
        return run_atheris(rest)
    return run_hypothesis(args.examples, args.seed)


if __name__ == "__main__":
    sys.exit(main())
