import pytest
from django.core.exceptions import ValidationError

from joinedup.networks import services
from joinedup.networks.models import TieRating
from joinedup.surveys import services as survey_services
from tests.networks.helpers import invite, relationship_wave

pytestmark = pytest.mark.django_db

ANSWERS = services.TieAnswers(
    frequency=4,
    exchanges=["referrals", "information"],
    level=3,
    trust_reliability=4,
    trust_mission=3,
    trust_openness=2,
    value_power=1,
    value_involvement=2,
    value_resources=3,
)


def started(wave, org):
    token = invite(wave, org)
    target = survey_services.link_resolve(token)
    response, _ = survey_services.response_start(wave=wave, invitation=target.invitation, token=token)
    return response


def test_choose_rate_and_submit():
    wave, (a, b, c, d) = relationship_wave()
    response = started(wave, a)
    services.ties_choose(response=response, organisations=[b, c])
    services.tie_rate(response=response, organisation=b, answers=ANSWERS)
    with pytest.raises(ValidationError, match="every organisation"):
        services.relationship_submit(response=response)
    # taking c off the list drops it; b's answers are kept
    services.ties_choose(response=response, organisations=[b, d])
    services.ties_choose(response=response, organisations=[b])
    tie = TieRating.objects.get(response=response)
    assert tie.target == b and tie.exchanges == ["information", "referrals"] and tie.trust_openness == 2
    services.relationship_submit(response=response)
    response.refresh_from_db()
    assert response.is_submitted
    with pytest.raises(ValidationError, match="sent already"):
        services.tie_rate(response=response, organisation=b, answers=ANSWERS)


def test_no_self_tie_and_ratings_in_range():
    wave, (a, b, *_) = relationship_wave()
    response = started(wave, a)
    with pytest.raises(ValidationError, match="not your own"):
        services.ties_choose(response=response, organisations=[a, b])
    with pytest.raises(ValidationError):
        services.tie_rate(response=response, organisation=a, answers=ANSWERS)
    bad = services.TieAnswers(**{**ANSWERS.__dict__, "trust_mission": 5})
    with pytest.raises(ValidationError) as caught:
        services.tie_rate(response=response, organisation=b, answers=bad)
    assert "trust_mission" in caught.value.message_dict
    assert not TieRating.objects.filter(response=response).exists()


def test_database_refuses_out_of_range_ratings():
    from django.db import IntegrityError, transaction

    wave, (a, b, *_) = relationship_wave()
    response = started(wave, a)
    with pytest.raises(IntegrityError), transaction.atomic():
        TieRating.objects.create(response=response, target=b, level=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        TieRating.objects.create(response=response, target=b, value_resources=0)
