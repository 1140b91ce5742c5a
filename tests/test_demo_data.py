"""The demo is composed app by app and its content is data (issue #19): seed_demo finds each app's steps through
the app registry, and the YAML files name only things that exist, so a typo fails here rather than seeding a row
with a region no form offers or a story about a challenge that is not there."""

from civtech.management.commands.seed_demo import demo_steps


def test_seed_demo_finds_every_apps_steps_through_the_registry_in_the_order_of_the_journey():
    found = [(step.order, step.run.__module__) for step in demo_steps()]
    assert found == [
        (10, "accounts.demo"),
        (20, "organisations.demo"),
        (30, "challenges.demo"),
        (40, "applications.demo"),
        (45, "challenges.demo"),
        (50, "applications.demo_evaluation"),
        (60, "sprints.demo"),
        (70, "impact.demo_money"),
        (80, "impact.demo"),
        (90, "cms.demo"),
    ]


def test_the_demo_organisations_have_real_regions_and_kinds():
    from organisations.demo import COMPANIES, PUBLIC_BODIES
    from organisations.models import OrganisationKind, Region

    assert {region for _name, _slug, region, _web in PUBLIC_BODIES} <= set(Region.values)
    assert {kind for _n, _s, kind, *_ in COMPANIES} <= set(OrganisationKind.values) - {OrganisationKind.PUBLIC_BODY}
    assert {region for _n, _s, _k, region, *_ in COMPANIES} <= set(Region.values)
    slugs = [slug for _name, slug, *_ in [*PUBLIC_BODIES, *COMPANIES]]
    assert len(slugs) == len(set(slugs))


def test_the_demo_challenges_name_sponsors_rounds_and_sectors_that_exist():
    from challenges.demo import CHALLENGES, ROUNDS, SECTORS
    from organisations.demo import PUBLIC_BODIES

    bodies = {slug for _name, slug, *_ in PUBLIC_BODIES}
    assert {c.sponsor for c in CHALLENGES} <= bodies
    assert {c.round for c in CHALLENGES} <= {r.slug for r in ROUNDS}
    assert {sector for c in CHALLENGES for sector in c.sectors} <= set(SECTORS)
    assert len({c.slug for c in CHALLENGES}) == len(CHALLENGES) == 16
    # Lists written as `{list: [...]}` in the YAML arrive as HTML lists.
    assert all(c.success.startswith("<ul><li>") for c in CHALLENGES if c.slug == "stonework-condition-from-photographs")


def test_the_demo_stories_are_about_challenges_rounds_and_kinds_that_exist():
    from challenges.demo import CHALLENGES, ROUNDS
    from challenges.models import Round
    from cms.demo import STORIES
    from cms.models import NewsPage

    assert {s.kind for s in STORIES} <= set(NewsPage.Kind.values)
    assert {slug for s in STORIES for slug in s.challenges} <= {c.slug for c in CHALLENGES}
    assert {s.when[0] for s in STORIES} <= {r.slug for r in ROUNDS}
    assert all(hasattr(Round, s.when[1]) and isinstance(s.when[2], int) for s in STORIES)
    assert {s.teams for s in STORIES} <= {"", "exploration", "accelerator"}
    assert len(STORIES) == 12
