"""Formatters: findings in, bytes out. One module per format; `FORMATS` maps the name to it."""

FORMATS = {
    "text": "policygen.report.text",
    "json": "policygen.report.json_format",
    "sarif": "policygen.report.sarif",
    "junit": "policygen.report.junit",
}
