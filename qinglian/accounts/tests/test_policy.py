"""The access policy: subtree scope, and recusal of subjects and their close relatives."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from conftest import make_user
from qinglian.accounts import policy
from qinglian.accounts.models import Role
from qinglian.directory.factories import PersonFactory
from qinglian.directory.models import Person, Region, Relation, RelativeDeclaration


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_village_role_reaches_its_village_only(tree, village_cadre):
    PersonFactory.create(region=tree.village_a1, name="甲")
    PersonFactory.create(region=tree.village_a2, name="乙")
    assert names(policy.visible(village_cadre, Person.objects.all())) >= {"甲"}
    assert "乙" not in names(policy.visible(village_cadre, Person.objects.all()))
    assert policy.access_region(village_cadre, tree.village_a1.code) == tree.village_a1
    with pytest.raises(Http404):
        policy.access_region(village_cadre, tree.village_a2.code)
    with pytest.raises(Http404):
        policy.access_region(village_cadre, tree.town_a.code)


def test_township_role_reaches_its_subtree(tree, township_commission):
    visible_regions = names(policy.visible(township_commission, Region.objects.all()))
    assert visible_regions == {"青山镇", "上塘村", "下塘村"}


def test_county_role_reaches_everything_below(tree, county_officer):
    assert policy.visible(county_officer, Region.objects.all()).count() == 6


def test_anonymous_and_roleless_users_reach_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.visible(AnonymousUser(), Region.objects.all()).exists()
    nobody = make_user("nobody", None, None)
    assert not policy.visible(nobody, Region.objects.all()).exists()
    with pytest.raises(Http404):
        policy.access_region(nobody, tree.county.code)


def test_inactive_user_reaches_nothing(tree, county_officer):
    county_officer.is_active = False
    assert not policy.visible(county_officer, Region.objects.all()).exists()


def test_roles_filter_narrows_scope(tree):
    user = make_user("mixed", Role.SUPERVISION_COMMITTEE, tree.village_a1)
    assert policy.region_paths(user) == [tree.village_a1.path]
    assert policy.region_paths(user, roles={Role.VILLAGE_CADRE}) == []


def test_overlapping_assignments_collapse_to_roots(tree):
    user = make_user("multi", Role.TOWN_PARTY, tree.town_a)
    user.role_assignments.create(role=Role.VILLAGE_CADRE, region=tree.village_a1)
    user.role_assignments.create(role=Role.VILLAGE_CADRE, region=tree.village_b1)
    assert policy.region_paths(user) == [tree.town_a.path, tree.village_b1.path]


def test_prefix_siblings_are_not_in_scope(tree):
    """Village 201's path is not a prefix of village 2010…: fixed-width codes keep them apart."""
    user = make_user("a1", Role.VILLAGE_CADRE, tree.village_a1)
    assert not policy.visible(user, Region.objects.filter(pk=tree.village_a2.pk)).exists()


def test_recusal_hides_records_about_the_user_and_close_relatives(
    tree, village_cadre, cadre_relative, township_commission
):
    """A record naming a person as its subject is hidden from them and their relatives.

    Person rows stand in for "records about a person" here (subject = the row itself);
    cases in later apps declare ``access_subject`` and get the same treatment.
    """
    stranger = PersonFactory.create(region=tree.village_a1, name="张三")
    about = Person.objects.filter(pk__in=[village_cadre.person.pk, cadre_relative.pk, stranger.pk])
    seen_by_cadre = policy.visible(village_cadre, about, subject="pk")
    assert names(seen_by_cadre) == {"张三"}
    # The same records are visible to the township, who is not related.
    assert names(policy.visible(township_commission, about, subject="pk")) == {
        "王建国",
        "王建军",
        "张三",
    }


def test_recusal_works_in_both_directions_of_a_declaration(tree, village_cadre):
    """The cadre's uncle declared the cadre as his nephew: the cadre is still recused."""
    uncle = PersonFactory.create(region=tree.village_a1, name="王老伯")
    RelativeDeclaration.objects.create(
        person=uncle,
        relative=village_cadre.person,
        relation=Relation.NEPHEW_NIECE,
        degree=3,
        declared_on=date(2024, 1, 1),
    )
    about_uncle = Person.objects.filter(pk=uncle.pk)
    assert not policy.visible(village_cadre, about_uncle, subject="pk").exists()


def test_relatives_beyond_the_configured_degree_are_not_recused(tree, village_cadre, settings):
    cousin = PersonFactory.create(region=tree.village_a1, name="表哥")
    RelativeDeclaration.objects.create(
        person=village_cadre.person,
        relative=cousin,
        relation=Relation.COUSIN,
        degree=4,
        declared_on=date(2024, 1, 1),
    )
    about_cousin = Person.objects.filter(pk=cousin.pk)
    settings.CLOSE_RELATIVE_MAX_DEGREE = 3
    assert policy.visible(village_cadre, about_cousin, subject="pk").exists()
    del village_cadre._qinglian_recused_people
    settings.CLOSE_RELATIVE_MAX_DEGREE = 4
    assert not policy.visible(village_cadre, about_cousin, subject="pk").exists()


def test_access_object_answers_404_for_missing_and_foreign(tree, village_cadre):
    foreign = PersonFactory.create(region=tree.village_a2)
    with pytest.raises(Http404):
        policy.access_object(village_cadre, Person.objects.all(), foreign.pk)
    with pytest.raises(Http404):
        policy.access_object(village_cadre, Person.objects.all(), 10**9)


def test_model_without_scope_declaration_is_refused(tree, county_officer):
    from django.contrib.sessions.models import Session

    with pytest.raises(TypeError):
        policy.visible(county_officer, Session.objects.all())


def test_policy_costs_one_query_per_request(tree, village_cadre, django_assert_num_queries):
    PersonFactory.create_batch(5, region=tree.village_a1)
    with django_assert_num_queries(3):  # assignments, relatives, the list itself
        list(policy.visible(village_cadre, Person.objects.all(), subject="pk"))
    with django_assert_num_queries(1):  # both answers are cached on the user
        list(policy.visible(village_cadre, Person.objects.all(), subject="pk"))
