"""The README's Python examples run as written, and say what they give."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
#: ``expression   # value: comment`` on one line of an example: the value it shows.
SHOWN = re.compile(r"^(?P<code>\S.*?)\s+# (?P<value>[(\[].*?[)\]])(?::.*)?$")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def run_block(block: str) -> None:
    """Run the block line by line; where a line shows a value in its comment, check it."""
    namespace: dict[str, object] = {"reviews": ["A superb film.", "Dull."]}
    lines = block.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("for "):  # a loop with its body
            body = [line]
            while i + 1 < len(lines) and lines[i + 1].startswith(" "):
                i += 1
                body.append(lines[i])
            exec("\n".join(body), namespace)
        elif (shown := SHOWN.match(line)) and "=" not in shown["code"].split("(")[0]:
            assert repr(eval(shown["code"], namespace)) == shown["value"], line
        elif line.strip():
            exec(line.split("  #")[0], namespace)
        i += 1


def test_the_readme_has_python_examples() -> None:
    assert len(python_blocks()) >= 2


def test_from_python_and_the_building_blocks_run_as_written() -> None:
    for block in python_blocks():
        run_block(block)
