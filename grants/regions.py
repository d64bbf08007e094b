"""Which countries count as African and which as European, for the South-North and
South-South rule and the calls' "at least one AU member state" eligibility."""

# The 55 member states of the African Union (ISO 3166-1 alpha-2; EH is the Sahrawi Republic).
AFRICAN_COUNTRIES = frozenset(
    "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG "
    "MW ML MR MU MA MZ NA NE NG RW EH ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW".split()
)

# European states: the EU, the EEA and EFTA, the United Kingdom, the Western Balkans and the
# other states of the Council of Europe on the continent.
EUROPEAN_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
    "IS LI NO CH GB AL BA ME MK RS XK MD UA AD MC SM VA BY".split()
)
