"""Which countries count as African and which as European, for the South-North and
South-South rule and the calls' "at least one AU member state" eligibility."""

from core.regions import AFRICAN_UNION_MEMBER_STATES, EUROPEAN_UNION_MEMBER_STATES

AFRICAN_COUNTRIES = AFRICAN_UNION_MEMBER_STATES

# European states: the EU, the EEA and EFTA, the United Kingdom, the Western Balkans and the
# other states of the Council of Europe on the continent.
EUROPEAN_COUNTRIES = EUROPEAN_UNION_MEMBER_STATES | frozenset(
    "IS LI NO CH GB AL BA ME MK RS XK MD UA AD MC SM VA BY".split()
)
