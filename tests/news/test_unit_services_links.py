import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_unit_page_links_to_its_ppid_page_and_complaint_form(client, org):
    page = client.get(reverse("news:unit", kwargs={"slug": org.kua_bangil.slug})).content.decode()
    assert reverse("ppid:unit", kwargs={"slug": org.kua_bangil.slug}) in page
    assert reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug}) in page


@pytest.mark.parametrize("target", ["ppid", "dumas"])
def test_the_unit_links_lead_somewhere_useful(client, org, target):
    """A KUA's PPID link and complaint link answer (page or redirect to the
    office that serves it), never a 404."""
    name = "ppid:unit" if target == "ppid" else "dumas:create"
    response = client.get(reverse(name, kwargs={"slug": org.kua_bangil.slug}), follow=True)
    assert response.status_code == 200


def test_every_page_links_to_ppid_and_complaints(client, org):
    page = client.get(reverse("news:home")).content.decode()
    assert reverse("ppid:index") in page
    assert reverse("dumas:index") in page
