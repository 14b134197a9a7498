"""The roster parser: rows, and problems named by line, without a database."""

from __future__ import annotations

import pytest

from quizapp.domain.roster import looks_like_email, parse_roster


def messages(text: str) -> list[str]:
    return [str(p) for p in parse_roster(text).problems]


def test_a_clean_roster() -> None:
    parsed = parse_roster(
        "email,name,role,unit\n"
        "ana@ward.example,Ana Silva,trainee,Ward 4B\n"
        "ben@ward.example,Ben Okafor,manager,Ward 4B\n"
        "cy@ward.example,Cy,admin,\n"
    )
    assert parsed.ok
    assert [(r.line, r.email, r.name, r.role, r.unit) for r in parsed.rows] == [
        (2, "ana@ward.example", "Ana Silva", "trainee", "Ward 4B"),
        (3, "ben@ward.example", "Ben Okafor", "manager", "Ward 4B"),
        (4, "cy@ward.example", "Cy", "admin", ""),
    ]


def test_bom_crlf_blank_lines_spaces_and_header_case() -> None:
    text = (
        "\ufeff Email , NAME,Role , Unit\r\n"
        "\r\n"
        "  Ana@Ward.Example ,  Ana   Silva ,  Trainee ,  Ward   4B  \r\n"
        "   \r\n"
        ",,,\r\n"
        "ben@ward.example,,INSTRUCTOR,\r\n"
    )
    parsed = parse_roster(text)
    assert parsed.ok, parsed.problems
    assert [(r.line, r.email, r.name, r.role, r.unit) for r in parsed.rows] == [
        (3, "ana@ward.example", "Ana Silva", "trainee", "Ward 4B"),
        (6, "ben@ward.example", "ben", "instructor", ""),  # an empty name comes from the email
    ]


def test_columns_in_another_order_and_a_short_row() -> None:
    parsed = parse_roster("role,unit,email,name\ntrainee,Ward 1,a@b.example\n")
    assert parsed.ok
    row = parsed.rows[0]
    assert (row.email, row.role, row.unit, row.name) == ("a@b.example", "trainee", "Ward 1", "a")


def test_bad_rows_are_named_by_line() -> None:
    problems = messages(
        "email,name,role,unit\n"
        "ana@ward.example,Ana,trainee,\n"
        "not-an-email,Bob,trainee,\n"
        ",Nobody,trainee,\n"
        "cy@ward.example,Cy,nurse,\n"
        "di@ward.example,Di,,\n"
        "ANA@ward.example,Ana again,trainee,\n"
        "ed@ward.example,Ed,trainee,Ward,extra\n"
    )
    assert problems[0] == "line 3: 'not-an-email' is not an email address"
    assert problems[1] == "line 4: no email"
    assert problems[2].startswith("line 5: unknown role 'nurse'")
    assert problems[3].startswith("line 6: no role")
    assert problems[4] == "line 7: duplicate email ana@ward.example (first on line 2)"
    assert problems[5] == "line 8: 5 values, but the header has 4 columns"
    assert len(problems) == 6


def test_a_quoted_value_over_two_lines_keeps_later_line_numbers_right() -> None:
    problems = messages(
        'email,name,role,unit\na@b.example,"Ana\nSilva",trainee,\nb@b.example,B,nurse,\n'
    )
    assert problems == [
        "line 4: unknown role 'nurse' (use one of trainee, instructor, manager, admin)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "email,name,role\na@b.example,A,trainee\n",
            "line 1: the header row lacks the column(s) unit",
        ),
        ("mail,name,role,unit\n", "line 1: the header row lacks the column(s) email"),
        ("a@b.example,A,trainee,Ward\n", "line 1: the header row lacks the column(s) email, name"),
        ("", "line 1: the file is empty"),
        ("\n\n", "line 1: the file is empty"),
        ("email,name,role,unit\n", "line 1: a header row but no one listed under it"),
        ("email,email,name,role,unit\n", "line 1: the column 'email' appears twice"),
    ],
)
def test_header_problems_name_line_1(text: str, expected: str) -> None:
    problems = messages(text)
    assert problems and problems[0].startswith(expected), problems


def test_long_values_are_refused() -> None:
    problems = messages(f"email,name,role,unit\na@b.example,{'x' * 121},trainee,{'w' * 121}\n")
    assert problems == [
        "line 2: the name is longer than 120 characters",
        "line 2: the unit is longer than 120 characters",
    ]


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("ana@ward.example", True),
        ("ana.silva+nhs@trust.nhs.uk", True),
        ("ana", False),
        ("@ward.example", False),
        ("ana@", False),
        ("ana@ward", False),
        ("ana silva@ward.example", False),
        ("ana@@ward.example", False),
        ("a" * 250 + "@b.example", False),
    ],
)
def test_looks_like_email(email: str, ok: bool) -> None:
    assert looks_like_email(email) is ok
