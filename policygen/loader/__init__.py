"""Read an organization file into the resolved model, or fail with located problems."""

from policygen.loader.load import load_org, load_org_text

__all__ = ["load_org", "load_org_text"]
