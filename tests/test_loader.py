"""The one YAML loader: positions, duplicate keys, aliases, tags, encodings, sizes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sipctl.source.datapaths import format_path
from sipctl.source.files import MAX_FILE_BYTES, YamlLoadError, read_text
from sipctl.source.positions import _MAYBE_CONTROL, _maybe_control, load_yaml, load_yaml_file


def problem_of(text: str) -> tuple[str, int | None, int | None, str]:
    with pytest.raises(YamlLoadError) as info:
        load_yaml(text)
    p = info.value.problem
    return p.rule, p.line, p.column, p.message


def test_positions_of_values_and_keys() -> None:
    loaded = load_yaml("levers:\n  - id: L1\n    evidence: low scores\n  - id: L2\n")
    assert loaded.data == {"levers": [{"id": "L1", "evidence": "low scores"}, {"id": "L2"}]}
    assert loaded.position(("levers", 0, "evidence")) == (3, 15)
    assert loaded.position(("levers", 0, "evidence"), key=True) == (3, 5)
    assert loaded.position(("levers", 1)) == (4, 5)
    # A missing key is placed at its nearest existing ancestor.
    assert loaded.position(("levers", 1, "evidence")) == (4, 5)


def test_every_list_is_recorded_in_file_order_except_under_a_repeated_key() -> None:
    loaded = load_yaml("a:\n  - id: A1\n    b: [x, y]\nc: []\na:\n  - id: dropped\nd:\n  - - 1\n")
    assert loaded.data == {"a": [{"id": "A1", "b": ["x", "y"]}], "c": [], "d": [[1]]}
    assert loaded.lists == [
        (("a",), [{"id": "A1", "b": ["x", "y"]}]),
        (("a", 0, "b"), ["x", "y"]),
        (("c",), []),
        (("d",), [[1]]),
        (("d", 0), [1]),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Long text that starts like a yes/no or null word is text, without its patterns.
        ("Yesterday's data", "Yesterday's data"),
        ("Offline days", "Offline days"),
        ("NULLABLE", "NULLABLE"),
        ("Falsehood", "Falsehood"),
        ("true story", "true story"),
        ("nothing yet", "nothing yet"),
        # The words themselves keep YAML 1.1's reading.
        ("FALSE", False),
        ("false", False),
        ("Off", False),
        ("yes", True),
        ("TRUE", True),
        ("NULL", None),
        ("null", None),
        ("Null", None),
        ("no", False),
    ],
)
def test_words_that_start_like_yes_no_or_null(text: str, value: object) -> None:
    assert load_yaml(f"answer: {text}\n").data == {"answer": value}


def test_data_path_uses_ids() -> None:
    data = {"levers": [{"id": "L1"}, {"id": "L2", "x": 1}], "plain": [1, 2]}
    assert format_path(("levers", 1, "x"), data) == "levers[L2].x"
    assert format_path(("plain", 1), data) == "plain[1]"


def test_duplicate_key_is_reported_and_first_value_kept() -> None:
    loaded = load_yaml("status: draft\nschool: maple\nstatus: final\n")
    assert loaded.data["status"] == "draft"
    [dup] = loaded.problems
    assert (dup.rule, dup.line, dup.column) == ("yaml-duplicate-key", 3, 1)
    assert "first at line 1" in dup.message


def test_alias_bomb_is_refused_without_expanding() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    rule, line, column, message = problem_of(bomb)
    assert rule == "yaml-alias"
    assert (line, column) == (2, 8)  # the first alias, before anything expands
    assert "alias" in message


def test_merge_key_is_refused() -> None:
    assert problem_of("base: &b {x: 1}\nother:\n  <<: *b\n")[0] == "yaml-alias"


def test_python_tag_is_refused_and_not_executed() -> None:
    rule, line, column, _ = problem_of("x: !!python/object/apply:os.system ['touch /tmp/pwned']\n")
    assert (rule, line, column) == ("yaml-tag", 1, 4)


def test_several_documents_in_one_file() -> None:
    rule, line, _, message = problem_of("a: 1\n---\nb: 2\n")
    assert (rule, line) == ("yaml-syntax", 2)
    assert "more than one YAML document" in message


def test_tab_indentation_is_explained() -> None:
    rule, line, column, message = problem_of("a:\n\tb: 1\n")
    assert (rule, line, column) == ("yaml-syntax", 2, 1)
    assert "tab" in message


def test_impossible_date() -> None:
    rule, line, column, _ = problem_of("due: 2022-02-30\n")
    assert (rule, line, column) == ("yaml-date", 1, 6)


def test_yaml_11_surprises_are_noted() -> None:
    loaded = load_yaml("vote: no\nstart: 8:30\non: 2022-05-06\n")
    assert loaded.data == {"vote": False, "start": 510, "on": dt.date(2022, 5, 6)}
    assert "'no' as false" in loaded.surprise(("vote",))
    assert "510" in loaded.surprise(("start",))
    assert "as a date" in loaded.surprise(("on",))


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_bytes(b"\xef\xbb\xbfschool: maple\r\nstatus: draft\r\n")
    loaded = load_yaml_file(path)
    assert loaded.data == {"school": "maple", "status": "draft"}
    assert loaded.position(("status",)) == (2, 9)


def test_non_utf8_file_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_bytes(b"school: maple\nname: Caf\xe9\n")
    with pytest.raises(YamlLoadError) as info:
        read_text(path)
    p = info.value.problem
    assert (p.rule, p.line, p.column) == ("file-encoding", 2, 10)


def test_nul_byte_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_bytes(b"a: 1\nb: \x00\n")
    with pytest.raises(YamlLoadError) as info:
        read_text(path)
    assert (info.value.problem.rule, info.value.problem.line) == ("file-encoding", 2)


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(YamlLoadError) as info:
        read_text(path)
    assert info.value.problem.rule == "file-too-large"


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(YamlLoadError) as info:
        read_text(fifo)
    assert info.value.problem.rule == "file-unreadable"


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlLoadError) as info:
        read_text(tmp_path)
    assert info.value.problem.rule == "file-unreadable"


def test_empty_text_is_none() -> None:
    assert load_yaml("").data is None
    assert load_yaml("# only a comment\n").data is None


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 60 + "]" * 60 + "\n",
        # PyYAML's composer recurses per level: these crashed the process before.
        "a: " + "[" * 200_000 + "]" * 200_000 + "\n",
        "- " * 200_000 + "x\n",
        "{a: " * 100_000 + "1" + "}" * 100_000 + "\n",
    ],
)
def test_deep_nesting_is_refused_without_crashing(text: str) -> None:
    assert problem_of(text)[0] == "yaml-too-deep"


def test_repeated_key_keeps_first_value_and_its_positions() -> None:
    loaded = load_yaml("a:\n  b: 1\na:\n  b: 2\n  c: 3\n")
    assert loaded.data == {"a": {"b": 1}}
    assert loaded.position(("a", "b")) == (2, 6)


def test_the_quick_control_test_agrees_with_the_pattern_on_every_character() -> None:
    # A file with no character that could put a control character in a value skips the
    # per-value check; the ASCII fast path must see exactly what the pattern sees.
    for code in [*range(0x100), 0x2028, 0xFEFF, 0x1F600]:
        for text in (chr(code), f"key: value {chr(code)} more\n", f"é{chr(code)}"):
            assert _maybe_control(text) == (_MAYBE_CONTROL.search(text) is not None), hex(code)
    assert not _maybe_control("vision: Every student reads by grade 3.\n")
    assert _maybe_control('vision: "a \\e[31m red"\n')
