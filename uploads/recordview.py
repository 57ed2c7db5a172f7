"""An input record as the error report shows it: in blocks of ten columns that wrap inside the
page, each under a ruler of column numbers ("····+···10"), the columns of the field in error
marked in both. Plain Python: the template only prints the runs."""
from dataclasses import dataclass
from itertools import groupby

BLOCK = 10


@dataclass(frozen=True)
class Run:
    marked: bool  # columns of the field in error
    ruler: str
    text: str


@dataclass(frozen=True)
class Block:
    first: int  # 1-based column of the block's first character
    runs: tuple[Run, ...]


def ruler(first: int, width: int) -> str:
    """The ruler over columns first..first+width-1: "+" on a column ending in 5, the column number
    ending on a column ending in 0, "·" elsewhere."""
    marks = ["+" if (first + i) % 10 == 5 else "·" for i in range(width)]
    for i in range(width):
        column = first + i
        if column % 10 == 0:
            digits = str(column)
            start = max(0, i - len(digits) + 1)
            marks[start:i + 1] = digits[len(digits) - (i + 1 - start):]
    return "".join(marks)


def record_blocks(text: str, position: int | None, length: int | None) -> list[Block]:
    """`text` in blocks of BLOCK columns; `position` (1-based) and `length`: the field in error."""
    start = (position or 0) - 1
    end = start + (length or 0) if start >= 0 else -1
    blocks = []
    for first in range(0, len(text), BLOCK):
        chunk = text[first:first + BLOCK]
        scale = ruler(first + 1, len(chunk))
        runs = []
        offset = 0
        for marked, group in groupby(range(first, first + len(chunk)), key=lambda i: start <= i < end):
            n = len(list(group))
            runs.append(Run(marked, scale[offset:offset + n], chunk[offset:offset + n]))
            offset += n
        blocks.append(Block(first + 1, tuple(runs)))
    return blocks
