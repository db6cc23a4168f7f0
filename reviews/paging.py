"""Keyset paging of the review queue: a page is found from the sort keys of the row at its
edge (`?after=<id>`, `?before=<id>`, `?page=last`), never by counting rows with OFFSET, so
the last page of 100,000 proposals costs what the first page does.

The order is given as keys (reviews.queue.SORTS): a list of (name, expression or None for a
plain field, descending), the last one the primary key, so the order is total and a row's
keys say exactly where it stands."""

from dataclasses import dataclass, field

from django.db.models import F, Q

from intake.models import Proposal


@dataclass
class KeysetPage:
    """What templates/_pagination.html and the queue read; `paginator` is the page itself so
    `page.paginator.count` reads as it does for a Django Paginator page."""

    object_list: list
    count: int
    has_previous: bool = False
    has_next: bool = False
    is_last: bool = False
    keyset: bool = True
    previous_cursor: int | None = field(default=None)
    next_cursor: int | None = field(default=None)

    @property
    def paginator(self):
        return self

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next


def _annotated(queryset, keys):
    annotations = {name: expression for name, expression, _ in keys if expression is not None}
    return queryset.annotate(**annotations) if annotations else queryset


def _order(keys, *, reverse: bool):
    order = []
    for name, _, descending in keys:
        descending = descending != reverse
        order.append(F(name).desc() if descending else F(name).asc())
    return order


def in_order(queryset, keys):
    """`queryset` in the keys' order, whole (the export, the digests)."""
    return _annotated(queryset, keys).order_by(*_order(keys, reverse=False))


def _beyond(keys, values: dict, *, reverse: bool) -> Q:
    """Rows after the cursor in the key order (before it when `reverse`): the lexicographic
    comparison (k1 > v1) or (k1 = v1 and k2 > v2) or ..."""
    condition = Q(pk__in=[])
    equal = Q()
    for name, _, descending in keys:
        lookup = "lt" if descending != reverse else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": values[name]})
        equal &= Q(**{name: values[name]})
    return condition


def _cursor_values(keys, cursor: int) -> dict | None:
    """The sort keys of the row a link points from (one query by primary key)."""
    names = [name for name, _, _ in keys]
    return _annotated(Proposal.objects.filter(pk=cursor), keys).values(*names).first()


def _keys_of(parts, keys, condition):
    """The primary key and sort keys of the rows of `parts` (their union) meeting `condition`."""
    names = [name for name, _, _ in keys if name != "id"]
    selected = []
    for part in parts:
        part = _annotated(part, keys)
        if condition is not None:
            part = part.filter(condition)
        selected.append(part.order_by().values("id", *names))
    return selected[0].union(*selected[1:]) if len(selected) > 1 else selected[0]


def keyset_page(
    parts, *, rows, keys, size: int, count: int, after=None, before=None, last=False
) -> KeysetPage:
    """One page of the union of `parts` (querysets of proposals; their order is ignored: the
    page is in the order of `keys`). The page's primary keys are found first from the sort
    keys alone; `rows(pks)` then loads those rows with whatever they show, so that is
    computed for one page of rows, however many rows match.
    `count`: the number of rows, given by the caller, who often knows it without a query."""
    reverse = False
    has_previous = has_next = False
    values = None
    condition = None
    if (after or before) and not last:
        values = _cursor_values(keys, after or before)
    if last:
        reverse = True
        has_next = False
    elif values is not None and before:
        reverse = True
        condition = _beyond(keys, values, reverse=True)
        has_next = True
    elif values is not None:
        condition = _beyond(keys, values, reverse=False)
        has_previous = True
    ordered = _keys_of(parts, keys, condition).order_by(*_order(keys, reverse=reverse))
    pks = [row["id"] for row in ordered[: size + 1]]
    more = len(pks) > size
    pks = pks[:size]
    if reverse:
        pks.reverse()
        has_previous = more
    else:
        has_next = more
    loaded = {row.pk: row for row in rows(pks)} if pks else {}
    # A row deleted between the two queries is left out.
    found = [loaded[pk] for pk in pks if pk in loaded]
    return KeysetPage(
        object_list=found,
        count=count,
        has_previous=has_previous,
        has_next=has_next,
        is_last=not has_next,
        previous_cursor=pks[0] if pks and has_previous else None,
        next_cursor=pks[-1] if pks and has_next else None,
    )
