"""The HTML report in a real browser (headless Chromium): it renders, the matrix and filters work,
every account and every error finding appear once the page's script has run, and input text
stays text. Chromium is a test dependency; without it these tests fail (see browser.py)."""

from __future__ import annotations

import json

from tests.report.browser import dump_dom, png_pixels, screenshot
from tests.report.conftest import OUTSIDE
from tests.report.dom import parse
from tests.report.test_report import EVIL, EVIL_BASE, errors_of, org_account_names, policygen


def rendered(page, tmp_path, fragment=""):
    root = parse(dump_dom(page, tmp_path / "profile", fragment))
    body = root.all("body")[0]
    assert body.attrs.get("data-rendered") == "1", "the page's script did not finish"
    assert "data-error" not in body.attrs, body.attrs.get("data-error")
    return root


def edge_rows(root):
    return [r for r in root.all("tr") if "data-pa" in r.attrs]


def test_renders_every_account_the_matrix_and_every_error_finding(template_edit, tmp_path):
    root = rendered(template_edit["html"], tmp_path)
    accounts = {r.attrs["data-account"] for r in root.by_id("accounts-table").all("tr", data_account=True)}
    assert accounts == set(org_account_names()) | {OUTSIDE}
    matrix = root.by_id("matrix-table")
    cells = matrix.all("td", class_="cell")
    assert cells and sum(int(c.attrs["data-count"]) for c in cells) == len(
        json.loads(policygen("graph", "--format", "json", template_edit["head"]).stdout)["edges"])
    outside = [c for c in cells if c.attrs["data-pa"] == OUTSIDE]
    assert [c.attrs["data-ra"] for c in outside] == ["shared"] and "ext" in outside[0].attrs["class"].split()
    rows = root.by_id("findings-body").all("tr", class_="finding")
    errors = errors_of(template_edit)
    assert errors
    for f in errors:
        assert any(r.attrs["data-rule"] == f["rule"] and f["message"] in r.text() and f"{f['file']}:{f['line']}" in r.text()
                   for r in rows), f
    assert len([r for r in rows if r.attrs["data-severity"] == "error"]) == len(errors)
    highlighted = edge_rows(root.by_id("highlighted-table"))
    assert highlighted[0].attrs["data-pa"] == OUTSIDE and "ext" in highlighted[0].attrs["class"]  # outside first, marked
    granted = edge_rows(root.by_id("granted-table"))
    assert [r.attrs["data-pa"] for r in granted] == [OUTSIDE]
    assert root.by_id("resources-body").all("details", class_="resource")
    assert root.by_id("perimeter-table").all("tr", data_account=True)


def test_account_filter_from_the_fragment(template_edit, tmp_path):
    everything = rendered(template_edit["html"], tmp_path / "all")
    assert {r.attrs["data-account"] for r in everything.all("details", class_="resource")} - {"dev"}  # others exist
    root = rendered(template_edit["html"], tmp_path / "dev", "account=dev")
    assert [r.attrs["data-account"] for r in root.by_id("accounts-table").all("tr", data_account=True)] == ["dev"]
    rows = edge_rows(root)
    assert rows and all("dev" in (r.attrs["data-pa"], r.attrs["data-ra"]) for r in rows)
    assert len(rows) < len(edge_rows(everything))
    resources = root.all("details", class_="resource")
    assert resources and {r.attrs["data-account"] for r in resources} == {"dev"}
    assert {r.attrs["data-account"] for r in root.by_id("perimeter-table").all("tr", data_account=True)} == {"dev"}
    assert {r.attrs["data-account"] for r in root.by_id("findings-body").all("tr", class_="finding")} <= {"dev"}
    assert root.by_id("f-account").attrs.get("value", "") in ("", "dev")
    # The edited template is shared's: its findings stay under that account's filter, and only they.
    shared = rendered(template_edit["html"], tmp_path / "shared", "account=shared")
    findings = shared.by_id("findings-body").all("tr", class_="finding")
    assert findings and {r.attrs["data-account"] for r in findings} == {"shared"}


def test_severity_and_principal_filters(template_edit, tmp_path):
    root = rendered(template_edit["html"], tmp_path / "sev", "severity=error")
    rows = root.by_id("findings-body").all("tr", class_="finding")
    assert len(rows) == len(errors_of(template_edit)) and {r.attrs["data-severity"] for r in rows} == {"error"}
    root = rendered(template_edit["html"], tmp_path / "who", "principal=ModelExecutionRole")
    rows = edge_rows(root)
    assert rows and all("ModelExecutionRole" in r.attrs["data-principal"] for r in rows)


def test_a_matrix_cell_opens_its_edges(template_edit, tmp_path):
    root = rendered(template_edit["html"], tmp_path, f"cell={OUTSIDE},shared")
    box = root.by_id("cell-edges")
    assert "777777777777" in box.by_id("cell-title").text()
    rows = edge_rows(box)
    assert rows and all(r.attrs["data-pa"] == OUTSIDE and r.attrs["data-ra"] == "shared" for r in rows)


def test_input_text_stays_text_in_the_browser(tmp_path):
    page = tmp_path / "r.html"
    result = policygen("report", EVIL, "--base", EVIL_BASE, "--title", "<script>document.title='pwned'</script>", "-o", page)
    assert result.returncode == 0, result.stderr
    root = rendered(page, tmp_path)
    body = root.all("body")[0]
    assert "data-pwned" not in body.attrs
    assert not root.all("img")  # no element made from a name
    assert root.all("title")[0].text() == "<script>document.title='pwned'</script>"
    resources = root.by_id("resources-body").text()
    assert "role/<img src=x onerror=document.body.setAttribute('data-pwned','1')>" in resources


def test_screenshot_is_not_blank(reference_report, tmp_path):
    width, height, rows = png_pixels(screenshot(reference_report, tmp_path / "r.png", tmp_path / "profile"))
    assert (width, height) == (1400, 1000)
    step = 4 if len(rows[0]) == width * 4 else 3
    colours, dark = set(), 0
    for row in rows[::10]:
        for x in range(0, len(row), step * 5):
            pixel = row[x:x + 3]
            colours.add(pixel)
            dark += sum(pixel) < 300
    assert len(colours) > 20 and dark > 200  # text and tables, not an empty page


def test_prints(template_edit, tmp_path):
    from tests.report.browser import _run

    pdf = tmp_path / "r.pdf"
    _run([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", template_edit["html"].resolve().as_uri()], tmp_path / "profile")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2
