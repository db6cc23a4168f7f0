"""A port of pg_trgm's similarity() and word_similarity() (contrib/pg_trgm/trgm_op.c), for
intake.overlap's index, which asks the database nothing: each word is padded with two spaces
before and one after, then cut into 3-character pieces."""

from .overlap_text import words


def trigrams(text: str) -> list[str]:
    found = []
    for word in words(text):
        padded = f"  {word} "
        found.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def _ratio(count: int, len1: int, len2: int) -> float:
    total = len1 + len2 - count
    return count / total if total else 0.0


def similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams of both texts (pg_trgm's similarity)."""
    first, second = set(trigrams(a)), set(trigrams(b))
    if not first or not second:
        return 0.0
    return _ratio(len(first & second), len(first), len(second))


def word_similarity(query: str, text: str) -> float:
    """The best similarity between the query's trigrams and a continuous stretch of the
    text's (pg_trgm's word_similarity), following pg_trgm's own search."""
    wanted = set(trigrams(query))
    sequence = trigrams(text)
    ulen1 = len(wanted)
    if not ulen1:
        return 0.0
    found = [t in wanted for t in sequence]
    last_position: dict[str, int] = {}
    ulen2 = count = 0
    lower = -1
    best = 0.0
    for i, trigram in enumerate(sequence):
        if lower >= 0 or found[i]:
            if last_position.get(trigram, -1) < 0:
                ulen2 += 1
                if found[i]:
                    count += 1
            last_position[trigram] = i
        if not found[i]:
            continue
        upper = i
        if lower == -1:
            lower = i
            ulen2 = 1
        current = _ratio(count, ulen1, ulen2)
        tmp_count, tmp_ulen2, previous_lower = count, ulen2, lower
        for tmp_lower in range(lower, upper + 1):
            candidate = _ratio(tmp_count, ulen1, tmp_ulen2)
            if candidate > current:
                current, ulen2, lower, count = candidate, tmp_ulen2, tmp_lower, tmp_count
            if last_position.get(sequence[tmp_lower], -1) == tmp_lower:
                tmp_ulen2 -= 1
                if found[tmp_lower]:
                    tmp_count -= 1
        best = max(best, current)
        if best >= 1.0:
            return best  # nothing scores higher: the rest would change nothing
        for tmp_lower in range(previous_lower, lower):
            if last_position.get(sequence[tmp_lower], -1) == tmp_lower:
                last_position[sequence[tmp_lower]] = -1
    return best
