"""The member states of the African Union and of the European Union (ISO 3166-1 alpha-2).

The C2CMMD's participants are exactly these states and the two commissions
(/work/shared/seeds/public-facts.md); the Grant Facility's rules read them too.
"""

# The 55 member states of the African Union (EH is the Sahrawi Republic).
AFRICAN_UNION_MEMBER_STATES = frozenset(
    "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG "
    "MW ML MR MU MA MZ NA NE NG RW EH ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW".split()
)

# The 27 member states of the European Union.
EUROPEAN_UNION_MEMBER_STATES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
