"""JUnit XML: one test suite per rule, one failing test case per finding, one passing case per clean rule.

CI systems (GitLab, Jenkins, Azure DevOps) show failures by name; naming the case
after the file and line makes the report readable without the log.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from policygen.errors import safe
from policygen.lint.result import Report


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="policygen lint")
    total = failed = 0
    by_rule: dict[str, list] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f)
    for rule_id in sorted(set(by_rule) | {r.id for r in report.rules}):
        rule = report.rule(rule_id)
        findings = by_rule.get(rule_id, [])
        failing = [f for f in findings if f.at_least(report.fail_on)]
        suite = ET.SubElement(root, "testsuite", name=rule_id, tests=str(max(1, len(findings))),
                              failures=str(len(failing)), errors="0", skipped="0")
        # JUnit has properties per suite only, so each suite says which IAM catalogue judged it
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="iam_catalogue", value=report.catalogue)
        if not findings:
            ET.SubElement(suite, "testcase", classname=f"policygen.{rule_id}", name=rule.summary if rule else rule_id)
        for f in findings:
            # The case keeps file:line as its name (CI systems match cases by name across runs); the
            # message, which people read, gives the column too.
            where = f"{f.file}:{f.line}" + (f":{f.column}" if f.column else "")
            case = ET.SubElement(suite, "testcase", classname=f"policygen.{rule_id}", name=safe(f"{f.file}:{f.line}"),
                                 file=safe(f.file), line=str(f.line))  # XML 1.0 cannot hold control characters
            if f in failing:
                at = f" (line {f.line}, column {f.column})" if f.column else ""
                failure = ET.SubElement(case, "failure", message=safe(f.message + at), type=f.severity)
                failure.text = safe(f"{f.rule} {f.severity} at {where}" + (f" (from {f.origin})" if f.origin else ""))
            else:
                ET.SubElement(case, "system-out").text = safe(f"{f.severity}: {f.message}")
        total += max(1, len(findings))
        failed += len(failing)
    root.set("tests", str(total))
    root.set("failures", str(failed))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
