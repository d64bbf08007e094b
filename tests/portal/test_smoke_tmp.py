import pytest

URLS = ["/","/fr/","/dialogues/","/dialogues/rabat-process/","/organisations/","/organisations/ecowas/","/meetings/","/meetings/?type=bogus&dialogue=x&country=zz&year=abc&sort=foo","/meetings/dakar-ministerial-conference/","/documents/","/documents/dakar-declaration/","/countries/","/countries/sn/","/countries/SN/","/search/?q=senegal","/fr/search/?q=senegal","/meetings.ics","/meetings/export.csv","/sitemap.xml","/robots.txt","/nope/","/fr/nope/","/documents/export.csv","/countries/export.csv","/dialogues/export.csv","/organisations/export.csv", "/fr/dialogues/rabat-process/"]

@pytest.mark.parametrize("url", URLS)
def test_smoke(client, world, url):
    r = client.get(url)
    print(url, r.status_code)
    assert r.status_code < 500
