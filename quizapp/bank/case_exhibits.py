"""A case's exhibits (the chart tabs), read and checked with file and line."""

from __future__ import annotations

from typing import Any

from quizapp.bank.fields import FieldReader
from quizapp.bank.yaml_lines import LineDict, LineList
from quizapp.domain.case_steps import ITEMS_PER_CASE, TABS, Exhibit

EXHIBIT_FIELDS = frozenset({"id", "tab", "from_item", "text", "table"})
TEXT_LIMIT = 20_000  # characters of one exhibit's Markdown
MAX_COLUMNS = 12
MAX_ROWS = 60
CELL_LIMIT = 200


def read_exhibits(node: LineDict, r: FieldReader) -> tuple[dict[str, Any], ...]:
    """The case's `exhibits` list, each checked; problems go to `r`."""
    raw = node.get("exhibits")
    if not isinstance(raw, LineList) or not raw:
        r.problem(node.line_of("exhibits"), "'exhibits' must be a non-empty list of tabs")
        return ()
    exhibits: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, value in enumerate(raw):
        item = r.mapping(value, raw.line_of_item(index), "an exhibit")
        if item is None:
            continue
        exhibit = _read_exhibit(item, r)
        if exhibit is None:
            continue
        if exhibit.id in seen:
            r.problem(item.line_of("id"), f"exhibit id {exhibit.id!r} is used twice in this case")
        seen.add(exhibit.id)
        exhibits.append(exhibit.as_dict())
    if exhibits and not any(e["from_item"] == 1 for e in exhibits):
        r.problem(raw.line, "at least one exhibit must be shown from item 1 (the first page)")
    return tuple(exhibits)


def _read_exhibit(node: LineDict, r: FieldReader) -> Exhibit | None:
    before = len(r.problems)
    r.unknown(node, EXHIBIT_FIELDS, "an exhibit")
    key = r.key(node, "id")
    tab = r.text(node, "tab")
    if tab and tab not in TABS:
        r.problem(node.line_of("tab"), f"tab {tab!r} is not one of: {', '.join(TABS)}")
    from_item = 1
    if "from_item" in node:
        from_item = r.integer(node, "from_item", low=1, high=ITEMS_PER_CASE) or 1
    has_text, has_table = "text" in node, "table" in node
    if has_text == has_table:
        r.problem(node.line, "an exhibit has either 'text' or 'table', not both nor neither")
        return None
    text, table = "", None
    if has_text:
        text = r.text(node, "text")
        if len(text) > TEXT_LIMIT:
            r.problem(node.line_of("text"), f"'text' is longer than {TEXT_LIMIT} characters")
    else:
        table = _read_table(node.get("table"), node.line_of("table"), r)
    if len(r.problems) > before:
        return None
    return Exhibit(key, tab, from_item, text, table)


def _read_table(value: Any, line: int, r: FieldReader) -> dict[str, Any] | None:
    """{columns: [...], rows: [[...], ...]}: every row as long as the columns (rectangular)."""
    node = r.mapping(value, line, "'table'")
    if node is None:
        return None
    r.unknown(node, {"columns", "rows"}, "a table")
    columns = list(r.text_list(node, "columns", required=True))
    if not 1 <= len(columns) <= MAX_COLUMNS:
        r.problem(node.line_of("columns"), f"a table has 1 to {MAX_COLUMNS} columns")
    rows_raw = node.get("rows")
    if not isinstance(rows_raw, LineList) or not 1 <= len(rows_raw) <= MAX_ROWS:
        r.problem(node.line_of("rows"), f"'rows' must be a list of 1 to {MAX_ROWS} rows")
        return None
    rows: list[list[str]] = []
    for index, row in enumerate(rows_raw):
        row_line = rows_raw.line_of_item(index)
        if not isinstance(row, list) or any(isinstance(c, dict | list) for c in row):
            r.problem(row_line, f"row {index + 1} must be a list of cells")
            continue
        if len(row) != len(columns):
            r.problem(
                row_line,
                f"row {index + 1} has {len(row)} cells but the table has {len(columns)} columns",
            )
            continue
        cells = ["" if c is None else str(c).strip() for c in row]
        if any(len(c) > CELL_LIMIT for c in cells):
            r.problem(row_line, f"a cell of row {index + 1} is longer than {CELL_LIMIT} characters")
        rows.append(cells)
    return {"columns": columns, "rows": rows}
