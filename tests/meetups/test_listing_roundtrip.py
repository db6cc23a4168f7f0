"""Property: any directory written as a page reads back as the same data."""

import string

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from meetups.listing import (
    ListedGroup,
    Listing,
    normalize_text,
    parse_listing,
    render_listing,
)
from meetups.naming import Role, normalize_name

TEXT = string.ascii_letters + string.digits + " #\\[]()<>,.;:&'!?-*_/"


def _one_line(alphabet, min_size=1, max_size=40):
    return (
        st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)
        .map(lambda s: " ".join(s.split()))
        .filter(bool)
    )


group_names = _one_line(string.ascii_letters + " &:(),'-#").filter(lambda s: not s.endswith("#"))
person_names = _one_line(string.ascii_letters + " ", max_size=20).filter(
    lambda s: "and" not in s.split()
)
paragraph = st.lists(_one_line(TEXT, max_size=60), min_size=1, max_size=3).map("\n".join)
descriptions = st.lists(paragraph, max_size=3).map(lambda ps: normalize_text("\n\n".join(ps)))
urls = st.one_of(
    st.just(""),
    st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=10).map(
        lambda s: f"https://{s}.example.org/{s}"
    ),
)
people = st.lists(
    st.tuples(person_names, st.sampled_from([str(r.value) for r in Role])), max_size=4
)
groups = st.builds(
    ListedGroup, name=group_names, url=urls, organizers=people, description=descriptions
)


@settings(max_examples=120, deadline=None)
@given(intro=descriptions, groups=st.lists(groups, min_size=1, max_size=5))
def test_render_then_parse_round_trips(intro, groups):
    assume(len({normalize_name(g.name) for g in groups}) == len(groups))
    # A description whose first line looks like an organizers line comes back as description
    # too (the export escapes it).
    listing = Listing(front_matter="title: Groups", intro=intro, groups=groups)
    assert parse_listing(render_listing(listing)).data() == listing.data()
