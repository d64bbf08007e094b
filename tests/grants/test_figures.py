"""The live figures of /grants/ are computed from the published grants, each organisation and
country counted once however many grants it is in."""

from decimal import Decimal

import pytest

from dialogues.models import Organisation
from grants.figures import facility_counts, facility_figures
from tests.grants.factories import AFFILIATED, CO, LEAD, GrantFactory, organisation

pytestmark = pytest.mark.django_db

T = Organisation.Type


@pytest.fixture
def three_grants():
    """Three grants whose consortia and countries overlap:

    - A: Senegalese CSO (lead) + French research institute  -> South-North; SN, ML
    - B: Senegalese CSO (lead) + Kenyan diaspora organisation -> South-South; SN, KE
    - C: Kenyan diaspora (lead) + French research + Malian local authority
      -> South-North; ML, KE, NE
    plus a draft grant that no figure may count.
    """
    cso = organisation(T.CIVIL_SOCIETY, "SN")
    research = organisation(T.RESEARCH, "FR")
    diaspora = organisation(T.DIASPORA, "KE")
    local = organisation(T.LOCAL_AUTHORITY, "ML")
    hidden = organisation(T.SOCIAL_ENTERPRISE, "DE")
    GrantFactory(
        amount_eur=Decimal("300000"), countries=["SN", "ML"], members=[(cso, LEAD), (research, CO)]
    )
    GrantFactory(
        amount_eur=Decimal("150000.50"),
        countries=["SN", "KE"],
        members=[(cso, LEAD), (diaspora, CO)],
    )
    GrantFactory(
        amount_eur=Decimal("1000000"),
        countries=["ML", "KE", "NE"],
        members=[(diaspora, LEAD), (research, CO), (local, AFFILIATED)],
    )
    GrantFactory(
        is_published=False, amount_eur=Decimal("999"), countries=["TN"], members=[(hidden, LEAD)]
    )


def test_grants_are_counted(three_grants):
    assert facility_figures().grants == 3


def test_each_organisation_is_counted_once(three_grants):
    assert facility_figures().organisations == 4


def test_each_country_of_implementation_is_counted_once(three_grants):
    figures = facility_figures()
    assert figures.countries == 4
    assert figures.country_codes == ["KE", "ML", "NE", "SN"]


def test_total_awarded_adds_the_published_amounts(three_grants):
    assert facility_figures().total_awarded_eur == Decimal("1450000.50")


def test_partnerships_follow_the_members_countries(three_grants):
    figures = facility_figures()
    assert figures.south_north == 2
    assert figures.south_south == 1


def test_share_of_each_organisation_type_counts_organisations_once(three_grants):
    shares = {
        share.type: (share.count, share.percent) for share in facility_figures().organisation_types
    }
    assert shares == {
        T.CIVIL_SOCIETY: (1, 25),
        T.RESEARCH: (1, 25),
        T.DIASPORA: (1, 25),
        T.LOCAL_AUTHORITY: (1, 25),
    }


def test_members_without_a_country_do_not_decide_the_partnership():
    GrantFactory(members=[(organisation(country="SN"), LEAD), (organisation(country=""), CO)])
    GrantFactory(members=[(organisation(country="SN"), LEAD), (organisation(country="US"), CO)])
    figures = facility_figures()
    assert (figures.south_south, figures.south_north) == (1, 0)


def test_figures_given_the_countries_already_read_are_the_same_in_one_query_fewer(
    three_grants, django_assert_num_queries
):
    everything = facility_figures()
    with django_assert_num_queries(1):
        given = facility_figures(country_codes=reversed(everything.country_codes))
    assert given == everything


def test_the_home_pages_counts_are_the_figures_counted_in_one_query(
    three_grants, django_assert_num_queries
):
    everything = facility_figures()
    with django_assert_num_queries(1):
        counts = facility_counts()
    assert (counts.grants, counts.organisations) == (everything.grants, everything.organisations)
    assert (counts.grants, counts.organisations) == (3, 4)


def test_figures_are_zero_without_grants(db):
    figures = facility_figures()
    assert (figures.grants, figures.organisations, figures.countries) == (0, 0, 0)
    assert figures.total_awarded_eur == 0
    assert (facility_counts().grants, facility_counts().organisations) == (0, 0)


def test_the_grants_page_shows_the_figures(client, three_grants):
    response = client.get("/grants/")
    content = response.content.decode()
    assert "EUR 1,450,001" in content
    assert "South-South" in content
