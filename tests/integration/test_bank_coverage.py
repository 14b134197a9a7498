"""`bank coverage` on the project bank: every section covered, and the bank's promised mix."""

from __future__ import annotations

import json
from pathlib import Path

from quizapp.bank.reader import read_bank
from tests.conftest import BANK_PATH
from tests.integration.bank_folder import DATA, make_bank

FRAMING = {"overview", "summary", "closing-advice"}


def test_the_project_bank_meets_its_coverage_and_type_targets(app) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["bank", "load"]).exit_code == 0
    result = runner.invoke(args=["bank", "coverage", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)

    sections = {row["key"]: row for row in report["sections"]}
    content, _ = read_bank(BANK_PATH)
    specs = {source.slug: source.sections for source in content.sources}
    assert len(sections) == sum(len(s) for s in specs.values())
    assert len(specs["infusion-therapy-2023"]) == 21
    for section in specs["infusion-therapy-2023"]:
        row = sections[section.key]
        expected_minimum = 1 if section.key in FRAMING else 4
        assert row["minimum"] == expected_minimum, section.key
        assert row["enforced"] is True, section.key
        assert row["published"] >= expected_minimum, section.key
        assert row["published"] == sum(row["by_type"].values())
    # The Open RN outline's minimums follow its coverage marks (3 for good or partial sections,
    # none for thin ones), and both new outlines enforce them.
    for section in specs["openrn-infusion"]:
        row = sections[section.key]
        assert row["coverage"] == section.coverage, section.key
        assert row["minimum"] == (3 if section.coverage in ("good", "partial") else 0)
        assert row["enforced"] is True, section.key
        assert row["published"] >= row["minimum"], section.key
    for section in specs["bedside-calculations"]:
        row = sections[section.key]
        assert row["minimum"] == 1 and row["enforced"] is True, section.key
        assert row["published"] >= 1, section.key

    totals = report["totals"]
    by_type = totals["by_type"]
    assert totals["published"] >= 300
    assert by_type["multiple"] >= 25
    assert by_type["matching"] >= 10
    assert by_type["numeric"] >= 10
    assert by_type.get("true_false", 0) <= 0.15 * totals["published"]
    assert by_type["single"] == max(by_type.values())  # mostly single best answer

    text = runner.invoke(args=["bank", "coverage"])
    assert text.exit_code == 0
    flagged = [line for line in text.output.splitlines() if "<< under minimum" in line]
    assert all(line.endswith("(warning only)") for line in flagged)
    assert all(line.startswith(("openrn/", "calc/")) for line in flagged)
    assert "under minimum: " not in text.output  # the failing line names no section


def test_coverage_flags_sections_under_their_minimum_and_exits_1(app, tmp_path: Path) -> None:
    bank = make_bank(tmp_path, {"routes/iv.yaml": (DATA / "every_type.yaml").read_text()})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["bank", "load", str(bank)]).exit_code == 0
    result = runner.invoke(args=["bank", "coverage"])
    assert result.exit_code == 1
    assert f"{'types/intravenous':<48}    2    4" in result.output
    assert "<< under minimum" in result.output
    report = json.loads(runner.invoke(args=["bank", "coverage", "--format", "json"]).stdout)
    iv = next(row for row in report["sections"] if row["key"] == "types/intravenous")
    assert iv == {
        "key": "types/intravenous",
        "heading": "Intravenous (IV) therapy and its uses",
        "coverage": None,
        "published": 2,
        "by_type": {"numeric": 1, "single": 1},
        "minimum": 4,
        "enforced": True,
    }
    assert report["totals"]["published"] == 6
