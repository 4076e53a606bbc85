"""glob_match matches `*`-only patterns without a regular expression (a large organization has
thousands of distinct patterns; compiling each cost seconds). It must agree with the regex it
replaces on every pattern and text, case-sensitive and not."""

from hypothesis import given, settings, strategies as st

from policygen.policydoc.match import _glob, glob_match

PATTERN = st.text(alphabet="ab*:/-", max_size=10)
TEXT = st.text(alphabet="abAB:/-", max_size=12)


@settings(max_examples=3000, deadline=None)
@given(PATTERN, TEXT, st.booleans())
def test_star_patterns_agree_with_the_regex(pattern, text, ignore_case):
    assert glob_match(pattern, text, ignore_case) == (_glob(pattern, ignore_case).fullmatch(text) is not None)


def test_examples():
    assert glob_match("arn:aws:s3:::b-*/*", "arn:aws:s3:::b-1/key")
    assert not glob_match("arn:aws:s3:::b-*/*", "arn:aws:s3:::b-1")
    assert glob_match("a*a", "a") is False  # the first and last parts may not overlap
    assert glob_match("a*a", "aa")
    assert glob_match("S3:Get*", "s3:getobject", ignore_case=True)
    assert not glob_match("S3:Get*", "s3:getobject")
