"""Comparing text the way visitors type it: without regard to case or accents.

Folding happens in Python, so it behaves the same on SQLite and PostgreSQL (neither needs an
extension): "senegal" finds "Sénégal", "conference" finds "Conférence".
"""

import unicodedata

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def fold(text) -> str:
    """Lower-case text without accents, typographic apostrophes or repeated spaces:
    'Côte d’Ivoire ' gives "cote d'ivoire"."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.translate(APOSTROPHES).casefold().split())


def words_of(text: str, max_length: int = 200) -> list[str]:
    """The folded words of a search text."""
    return [word for word in fold(text[:max_length]).split() if word]


def matches(words: list[str], *texts) -> bool:
    """Whether every word occurs in one of the texts."""
    haystack = " ".join(fold(text) for text in texts if text)
    return all(word in haystack for word in words)
