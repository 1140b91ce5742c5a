"""Demo rounds and challenges: real Scottish public bodies as sponsors, fictional problems.

Every round's dates are set relative to the moment the demo is first seeded, so a fresh demo shows
every status a challenge can have (upcoming, open, closed, exploration, accelerator, completed).
Seeding again creates only what is missing and never changes existing rows, so the dates stay as
they were first written and statuses move on with time, just as they would for real rounds.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from organisations.demo import PUBLIC_BODIES
from organisations.models import Membership, Organisation, OrganisationKind

from .models import ChallengePage, Clarification, Round, Sector
from .services import clarification_answer, clarification_ask, round_create, sponsor_space_ensure

SECTORS = [
    "Health and social care",
    "Transport",
    "Environment and net zero",
    "Justice and safety",
    "Culture and heritage",
    "Local government",
    "Data and digital",
    "Education and skills",
    "Fire and emergency services",
]

# --- Rounds ---------------------------------------------------------------------------------------
# Each stage as (field, days after the call opens, hour in UK time).
STANDARD_TIMINGS = [
    ("call_opens", 0, 9),
    ("questions_close", 21, 12),
    ("call_closes", 28, 12),
    ("shortlist_by", 35, 17),
    ("interviews_start", 42, 9),
    ("interviews_end", 46, 17),
    ("exploration_start", 56, 9),
    ("exploration_end", 84, 17),  # a 4-week exploration stage
    ("pitch_at", 91, 10),
    ("accelerator_start", 105, 9),
    ("accelerator_end", 210, 17),  # a 15-week accelerator
    ("demo_day", 217, 10),
]

# A short "sprint challenge": 3-week call, 2-week exploration, 12-week accelerator.
SPRINT_TIMINGS = [
    ("call_opens", 0, 9),
    ("questions_close", 14, 12),
    ("call_closes", 21, 12),
    ("shortlist_by", 25, 17),
    ("interviews_start", 28, 9),
    ("interviews_end", 30, 17),
    ("exploration_start", 35, 9),
    ("exploration_end", 49, 17),
    ("pitch_at", 51, 10),
    ("accelerator_start", 56, 9),
    ("accelerator_end", 140, 17),
    ("demo_day", 147, 10),
]


@dataclass(frozen=True)
class DemoRound:
    name: str
    code: str
    opens_in_days: int  # negative: the call opened that many days before the demo was seeded
    description: str
    timings: list = field(default_factory=lambda: STANDARD_TIMINGS)
    exploration_payment: int = 5_000
    accelerator_max: int = 350_000
    shortlist_count: int = 6
    exploration_teams: int = 3
    accelerator_teams: int = 1

    @property
    def slug(self) -> str:
        return slugify(self.name)


ROUNDS = [
    DemoRound(
        "CivTech 9",
        "CT9",
        -730,
        "A completed round: its teams explored their challenges, pitched and built products in the accelerator.",
    ),
    DemoRound(
        "CivTech 10",
        "CT10",
        -150,
        "One team per challenge is now building its product in the accelerator, ahead of Demo Day.",
    ),
    DemoRound(
        "CivTech Sprint: Net Zero",
        "CTS1",
        -42,
        "A short sprint round on net zero: a three-week call and a two-week paid exploration stage, "
        "with two teams explored per challenge.",
        timings=SPRINT_TIMINGS,
        exploration_payment=2_500,
        accelerator_max=150_000,
        shortlist_count=4,
        exploration_teams=2,
    ),
    DemoRound(
        "CivTech Sprint: Safer Communities",
        "CTS2",
        -26,
        "A short sprint round on keeping communities safe. The call has closed and applications are being assessed.",
        timings=SPRINT_TIMINGS,
        exploration_payment=2_500,
        accelerator_max=200_000,
        shortlist_count=4,
        exploration_teams=2,
    ),
    DemoRound(
        "CivTech 11",
        "CT11",
        -10,
        "Open now: read the challenges, ask clarification questions and apply before the call closes at noon.",
    ),
    DemoRound(
        "CivTech 12",
        "CT12",
        60,
        "The next round. Read the challenges now and sign up for alerts to hear when the call opens.",
    ),
]

# --- Challenges -----------------------------------------------------------------------------------
DEMO_NOTE = (
    "<p>This challenge was written to demonstrate the service. The sponsor is a real public body, "
    "but the problem, figures and people described are illustrative.</p>"
)


@dataclass(frozen=True)
class DemoChallenge:
    slug: str
    title: str
    sponsor: str  # organisation slug
    round: str  # round slug
    sectors: tuple[str, ...]
    summary: str
    problem: tuple[str, ...]  # paragraphs of HTML
    users: str
    success: str
    provides: str
    contact_name: str
    contact_email: str
    accelerator_max: int | None = None
    follow_on_value: int | None = None
    stopped_after_exploration: bool = False  # ended early: no team taken forward to the accelerator

    def problem_statement(self) -> str:
        blocks = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in self.problem]
        blocks.append({"type": "callout", "value": {"title": "Demo content", "text": DEMO_NOTE}})
        return json.dumps(blocks)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


CHALLENGES = [
    # --- CivTech 9: completed --------------------------------------------------------------------
    DemoChallenge(
        slug="stonework-condition-from-photographs",
        title="How can we monitor the condition of historic stonework from photographs?",
        sponsor="historic-environment-scotland",
        round="civtech-9",
        sectors=("Culture and heritage", "Data and digital"),
        summary=(
            "Historic Environment Scotland wants to spot decay in the stonework of the monuments it cares for "
            "from ordinary photographs, so that inspections go where they are needed most."
        ),
        problem=(
            "Historic Environment Scotland looks after hundreds of properties, from prehistoric brochs to "
            "medieval cathedrals. Much of their masonry is sandstone that weathers, cracks and loses its surface "
            "over time. Our works teams assess condition through scheduled visual inspections, recorded by hand, "
            "and a monument may go several years between detailed surveys.",
            "Staff, contractors and visitors already take thousands of photographs of these sites every year, but "
            "nobody has time to compare them. We think those images could tell us where stone is deteriorating "
            "faster than expected – for example, where a harsh winter has opened joints on an exposed gable – well "
            "before the next scheduled survey.",
            "We are looking for a way to turn photographs taken on ordinary phones and cameras, at different "
            "angles and in different light, into a consistent record of change that people can review. It must "
            "work with poor mobile coverage and be understandable by conservation staff who are not data "
            "specialists.",
        ),
        users=(
            "<p>Conservation architects, stonemasons and works managers who plan repairs, and district staff who "
            "visit sites every week. Some will use the product outdoors on a phone, often in the rain.</p>"
        ),
        success=_ul(
            "Conservation staff can see which walls have changed since the last photographs, and why.",
            "Inspection visits are planned from evidence rather than a fixed cycle.",
            "The record can be exported to our existing asset management system.",
        ),
        provides=(
            "<p>A sample of historic photographs of twelve pilot sites with dates and locations, condition "
            "survey reports for the same sites, and time with a conservation architect and two masons "
            "throughout the programme.</p>"
        ),
        contact_name="Eilidh Fraser",
        contact_email="eilidh.fraser@example.gov.scot",
        follow_on_value=600_000,
    ),
    DemoChallenge(
        slug="find-climate-grants",
        title="How can we help people find the climate grants they are eligible for?",
        sponsor="scottish-government",
        round="civtech-9",
        sectors=("Environment and net zero", "Data and digital"),
        summary=(
            "People and community groups miss out on help with insulation, clean heating and active travel because "
            "schemes are spread across many websites. Help them find what they are eligible for in minutes."
        ),
        problem=(
            "Households, small businesses and community groups in Scotland can get help to cut their emissions "
            "from a range of national and local schemes: grants and loans for insulation and clean heating, "
            "funding for community energy, support for electric bikes and more. Each scheme has its own website, "
            "eligibility rules and deadlines, and the rules change as budgets are reset each year.",
            "Our user research found that people often give up before they find the scheme that suits them, or "
            "apply for one they are not eligible for. Advisers spend much of their time simply working out which "
            "schemes apply. Tenants, people in rural areas and people on low incomes are the least likely to find "
            "help, though they often stand to benefit most.",
            "We want a way for anyone to answer a few plain-English questions and see the schemes they are likely "
            "to be eligible for, with what to do next. The teams who run each scheme must be able to keep their "
            "rules up to date without needing a developer.",
        ),
        users=(
            "<p>Householders, tenants, small businesses and community groups, many with low confidence online, and "
            "the advisers on helplines and in local advice services who help them.</p>"
        ),
        success=_ul(
            "People find the right scheme in a few minutes and understand why they qualify.",
            "Fewer ineligible applications reach scheme teams.",
            "Scheme rules are kept current by the teams that own them.",
        ),
        provides=(
            "<p>A list of the schemes in scope and their eligibility rules, anonymised enquiry data from an advice "
            "line, access to the policy team for each scheme, and a user researcher two days a week.</p>"
        ),
        contact_name="Ruaridh Campbell",
        contact_email="ruaridh.campbell@example.gov.scot",
        follow_on_value=1_500_000,
    ),
    DemoChallenge(
        slug="medical-supply-shortages",
        title="How can we spot shortages of medical supplies before they happen?",
        sponsor="nhs-national-services-scotland",
        round="civtech-9",
        sectors=("Health and social care", "Data and digital"),
        summary=(
            "NHS National Services Scotland wants earlier warning of shortages in the medical consumables it buys "
            "for health boards, so buyers can find alternatives before wards run short."
        ),
        problem=(
            "NHS National Services Scotland buys and distributes many thousands of everyday products for health "
            "boards, from gloves and dressings to syringes and catheters. When a supplier runs into difficulty, "
            "our buyers usually learn of it when a delivery fails, leaving little time to find an alternative that "
            "clinicians are willing to use.",
            "Warning signs often exist earlier: lead times creeping up, partial deliveries, notices from "
            "manufacturers, news about raw materials or shipping routes. These signals are scattered across "
            "systems and inboxes, and a small team cannot watch them all for every product line.",
            "We want a tool that brings these signals together and flags the products most at risk of shortage "
            "over the coming weeks, explaining its reasoning so that a buyer can decide whether to act. It should "
            "suggest clinically acceptable alternatives where our catalogue already records them.",
        ),
        users=(
            "<p>Category buyers and supply chain analysts, and the procurement leads in health boards who must tell "
            "clinical teams when products change.</p>"
        ),
        success=_ul(
            "Buyers hear of likely shortages weeks, not days, before they happen.",
            "Fewer emergency substitutions reach wards.",
            "Buyers trust the warnings because they can see why each one was raised.",
        ),
        provides=(
            "<p>Two years of anonymised order, delivery and stock data for a sample of product lines, supplier "
            "notices, and regular time with buyers and a clinical product adviser.</p>"
        ),
        contact_name="Priya Nair",
        contact_email="priya.nair@example.nhs.scot",
        accelerator_max=400_000,
    ),
    # --- CivTech 10: in the accelerator (one stopped after exploration) --------------------------
    DemoChallenge(
        slug="rural-bus-demand",
        title="How can we predict demand for rural bus services?",
        sponsor="transport-scotland",
        round="civtech-10",
        sectors=("Transport", "Local government", "Data and digital"),
        summary=(
            "Transport Scotland wants to understand where and when people in rural areas would travel by bus, so "
            "that local transport authorities can design services around real demand."
        ),
        problem=(
            "In much of rural Scotland a bus is the only way to reach work, school, a GP or the shops for people "
            "who do not drive. Yet many rural services run to timetables set long ago, and demand-responsive "
            "services struggle to know where to offer trips. Local transport authorities tell us they lack the "
            "evidence to redesign their networks with confidence.",
            "Ticket machine data shows who boards today, but not who would travel if the service suited them. "
            "Population, school, health and employment data exists but is rarely combined, and each council "
            "analyses its own area in its own way.",
            "We are looking for a way to estimate demand for travel across a rural area – by place, time of day "
            "and purpose of journey – and to test how different service patterns might meet it. It must be usable "
            "by small council transport teams and work with open data as well as the data councils hold.",
        ),
        users=(
            "<p>Transport planners in councils and regional transport partnerships, bus operators, and the "
            "community transport groups that fill gaps in the network.</p>"
        ),
        success=_ul(
            "A transport team can model a rural area in days rather than months.",
            "Proposed changes to services come with a clear estimate of who gains and who loses.",
            "The approach can be repeated in different parts of Scotland.",
        ),
        provides=(
            "<p>Anonymised concessionary travel data for two pilot areas, timetable and route data, and access to "
            "transport planners in two partner councils.</p>"
        ),
        contact_name="Hamish Robertson",
        contact_email="hamish.robertson@example.gov.scot",
        accelerator_max=450_000,
        follow_on_value=2_000_000,
    ),
    DemoChallenge(
        slug="missed-outpatient-appointments",
        title="How can we reduce missed outpatient appointments?",
        sponsor="nhs-national-services-scotland",
        round="civtech-10",
        sectors=("Health and social care", "Data and digital"),
        summary=(
            "Every missed outpatient appointment is time a clinician could have spent with another patient. Help "
            "health boards understand why people miss appointments and make it easier to attend, rearrange or cancel."
        ),
        problem=(
            "Many outpatient appointments are missed without notice. Each one is a lost slot in a clinic where "
            "waiting lists are already long, and a patient whose care is delayed. Reminder texts help, but they "
            "treat everyone the same and do not make it easy to rearrange.",
            "People miss appointments for many reasons: letters that arrive late or go to an old address, "
            "difficulty getting time off work, long journeys on public transport, caring responsibilities, "
            "anxiety or simply forgetting. The people most likely to miss appointments are often those who most "
            "need care.",
            "Working with two health boards, we want a way to identify the appointments most at risk of being "
            "missed and offer the right help to each patient – a reminder in their preferred language, help with "
            "travel, or an easy way to swap to a slot that suits them. Any solution must meet NHS information "
            "governance standards and must never penalise patients.",
        ),
        users=(
            "<p>Patients, including people with low literacy, without a mobile phone or who speak languages other "
            "than English, and the booking staff and clinic managers who fill freed slots.</p>"
        ),
        success=_ul(
            "Fewer appointments are missed in pilot clinics.",
            "Freed slots are offered to other patients in time to be used.",
            "Patients say it was easy to rearrange.",
        ),
        provides=(
            "<p>Anonymised appointment history for pilot specialties, access to booking teams and clinicians in two "
            "health boards, and support through information governance approvals.</p>"
        ),
        contact_name="Morag Henderson",
        contact_email="morag.henderson@example.nhs.scot",
        accelerator_max=500_000,
        follow_on_value=3_000_000,
    ),
    DemoChallenge(
        slug="counting-visitors-remote-sites",
        title="How can we count visitors at remote heritage sites?",
        sponsor="historic-environment-scotland",
        round="civtech-10",
        sectors=("Culture and heritage", "Data and digital"),
        summary=(
            "Many sites in Historic Environment Scotland's care are unstaffed and free to enter, so nobody knows "
            "how many people visit. We want a low-cost way to count them that respects visitors' privacy."
        ),
        problem=(
            "Many of the monuments we look after are unstaffed and open at all times: standing stones, ruined "
            "chapels, hillforts and cairns across the Highlands and Islands. We do not know how many people visit "
            "them, when, or whether numbers are growing.",
            "That matters. Without counts we cannot make the case for car parks, paths or toilets, we cannot spot "
            "erosion caused by rising footfall, and we cannot show communities the value their local sites bring. "
            "Existing counters need mains power or mobile signal, are easily damaged, or raise privacy concerns "
            "when they use cameras. Surveys by volunteers give us a snapshot but not the pattern across a year.",
            "We are looking for a robust, low-cost way to estimate visitor numbers at remote sites, powered by "
            "batteries or the sun, that does not identify individuals and fits sensitively into a protected "
            "landscape. Data should reach us even where there is no mobile coverage, even if only weekly.",
        ),
        users=(
            "<p>Visitor operations and estates staff planning facilities and maintenance, and local communities "
            "and tourism bodies who want evidence of visitor numbers.</p>"
        ),
        success=_ul(
            "Reliable counts from at least ten remote sites over a full year.",
            "No personal data collected.",
            "Equipment installed without harming the monument or its setting.",
        ),
        provides=(
            "<p>Access to a shortlist of pilot sites, advice from our heritage management and scheduled monument "
            "consent teams, and any historic visitor survey data we hold.</p>"
        ),
        contact_name="Calum Morrison",
        contact_email="calum.morrison@example.gov.scot",
        stopped_after_exploration=True,
    ),
    # --- CivTech Sprint: Net Zero: in exploration -----------------------------------------------
    DemoChallenge(
        slug="school-meal-food-waste",
        title="How can we reduce food waste in school meals?",
        sponsor="stirling-council",
        round="civtech-sprint-net-zero",
        sectors=("Education and skills", "Environment and net zero", "Local government"),
        summary=(
            "Stirling Council wants to cut the food thrown away in primary school dining halls without reducing "
            "choice or leaving children hungry."
        ),
        problem=(
            "Stirling Council serves thousands of school lunches every day across its primary schools. Kitchen "
            "teams work hard to offer choice, but a noticeable share of what is cooked is never eaten: some is "
            "left on plates, and some is prepared for pupils who choose a different option or are absent.",
            "Food waste costs money, adds to our carbon footprint and, when children do not eat, affects their "
            "learning in the afternoon. Our catering teams plan menus and quantities from experience, with little "
            "data on what is actually eaten in each school, or why.",
            "In this sprint challenge we want to explore quick, affordable ways to measure and reduce waste – for "
            "example, pre-ordering that children can do themselves, simple measurement of what is left on plates, "
            "or forecasting meal numbers from attendance and the menu. Solutions must be easy for busy kitchen "
            "staff and must involve pupils.",
        ),
        users=(
            "<p>Primary pupils and their parents and carers, school cooks and kitchen assistants, head teachers, "
            "and the council's catering and sustainability teams.</p>"
        ),
        success=_ul(
            "A measurable reduction in food waste in pilot schools within a term.",
            "Pupils still get a meal they want.",
            "Kitchen staff find it saves them time.",
        ),
        provides=(
            "<p>Access to three pilot primary schools and their kitchens, menu and meal-number records, and time "
            "with the catering manager and a sustainability officer.</p>"
        ),
        contact_name="Kirsty Wallace",
        contact_email="kirsty.wallace@example.stirling.gov.uk",
    ),
    DemoChallenge(
        slug="rural-shared-ev-charging",
        title="How can rural communities share electric vehicle chargers?",
        sponsor="transport-scotland",
        round="civtech-sprint-net-zero",
        sectors=("Transport", "Environment and net zero"),
        summary=(
            "Many rural households cannot charge an electric vehicle at home. Transport Scotland wants simple, fair "
            "ways for communities to share the chargers that businesses, groups and neighbours already own."
        ),
        problem=(
            "Switching to an electric vehicle is harder in rural areas. Journeys are longer, public chargers are "
            "further apart, and many homes in villages and small towns have no off-street parking. At the same "
            "time, community halls, farms, hotels and some households have chargers that sit idle for much of the "
            "day.",
            "Some communities have tried to share chargers informally, but questions quickly arise about booking, "
            "payment, insurance, electricity costs and who is responsible when something goes wrong. Those "
            "questions put most people off, and chargers that could serve a whole village stay private.",
            "This sprint challenge asks how chargers owned by community groups, businesses and households could be "
            "shared safely and fairly with neighbours and visitors. We are interested in booking, payment and "
            "trust, not in new hardware. Any approach must be simple for older residents and work where mobile "
            "signal is unreliable.",
        ),
        users=(
            "<p>Rural residents without home charging, community groups and small businesses that own chargers, and "
            "visitors touring the area.</p>"
        ),
        success=_ul(
            "At least one community shares its chargers through the product during the pilot.",
            "Owners are paid fairly and can see their costs.",
            "Drivers can find and book a charger with confidence.",
        ),
        provides=(
            "<p>Introductions to two community development trusts interested in a pilot, advice from our electric "
            "vehicle policy team, and data on existing public chargers.</p>"
        ),
        contact_name="Fiona Grant",
        contact_email="fiona.grant@example.gov.scot",
    ),
    # --- CivTech Sprint: Safer Communities: closed, applications being assessed ------------------
    DemoChallenge(
        slug="moorland-wildfire-risk",
        title="How can we detect wildfire risk on moorland earlier?",
        sponsor="scottish-fire-and-rescue-service",
        round="civtech-sprint-safer-communities",
        sectors=("Fire and emergency services", "Environment and net zero"),
        summary=(
            "Wildfires on moorland are becoming more frequent and harder to fight. The Scottish Fire and Rescue "
            "Service wants earlier, local warning of when and where the risk of fire is high."
        ),
        problem=(
            "Wildfires on Scotland's moorland and heathland are growing in number and size, particularly in dry "
            "spring weather before new growth appears. Large fires can burn for days, threaten homes, release "
            "carbon from peat and draw crews away from other emergencies.",
            "We use national fire danger ratings, but these cover broad areas. Local crews, land managers and "
            "rangers often know when conditions on a particular hillside are dangerous, but that knowledge is not "
            "recorded or shared in a consistent way, so it rarely reaches the people planning a response.",
            "We want to explore how weather, vegetation, ground moisture, satellite imagery and local observations "
            "could be combined to give a more local picture of wildfire risk a few days ahead, which crews and "
            "land managers can act on. It must be understandable to non-specialists and work with the limited "
            "connectivity found at rural stations.",
        ),
        users=(
            "<p>Wildfire tactical advisers and operational crews, control room staff, and the land managers, "
            "gamekeepers and rangers who carry out prevention work.</p>"
        ),
        success=_ul(
            "Warnings of risk for areas of a few square kilometres, days in advance.",
            "Crews say the warnings match what they see on the ground.",
            "Land managers are warned in time to postpone burning or increase patrols.",
        ),
        provides=(
            "<p>Historic records of wildfire incidents, access to wildfire tactical advisers and a pilot area, and "
            "introductions to land management partners.</p>"
        ),
        contact_name="Andrew Sinclair",
        contact_email="andrew.sinclair@example.firescotland.gov.uk",
        accelerator_max=250_000,
    ),
    DemoChallenge(
        slug="housing-on-release-from-prison",
        title="How can we help people leaving prison find somewhere to live?",
        sponsor="scottish-government",
        round="civtech-sprint-safer-communities",
        sectors=("Justice and safety", "Local government"),
        summary=(
            "Too many people leave prison without a settled place to live, which makes reoffending more likely. "
            "Help prisons, councils and support services arrange housing before release day."
        ),
        problem=(
            "A safe, settled home is one of the strongest protections against reoffending. Yet people still leave "
            "prison without knowing where they will sleep that night, particularly after short sentences or when "
            "they are released from remand at short notice.",
            "Planning housing on release involves prison staff, council housing officers, social workers, health "
            "services and third sector organisations. Each uses its own systems, and information is often passed "
            "by phone and email. Release dates change, referrals are made late, and people are asked to tell "
            "their story several times, often at a point when they are already anxious about leaving.",
            "We want to explore how these organisations could share the right information at the right time, with "
            "the person's consent, so that housing is arranged before release day. Any approach must respect data "
            "protection law and the person's rights, and work for organisations with very different levels of "
            "digital maturity.",
        ),
        users=(
            "<p>People in custody and their families, prison-based housing advisers, council homelessness teams, "
            "justice social workers and third sector throughcare services.</p>"
        ),
        success=_ul(
            "More people in the pilot have accommodation arranged before release.",
            "Fewer last-minute referrals to council homelessness teams.",
            "People say they did not have to repeat their story.",
        ),
        provides=(
            "<p>Policy expertise from our justice directorate, introductions to a pilot prison and two councils, "
            "and anonymised data on release and housing outcomes.</p>"
        ),
        contact_name="Laura McKenzie",
        contact_email="laura.mckenzie@example.gov.scot",
    ),
    # --- CivTech 11: open for applications ------------------------------------------------------
    DemoChallenge(
        slug="disclosure-low-digital-confidence",
        title="How can we make disclosure applications easier for people with low digital confidence?",
        sponsor="disclosure-scotland",
        round="civtech-11",
        sectors=("Justice and safety", "Data and digital"),
        summary=(
            "Most disclosure applications are made online. Disclosure Scotland wants people with low digital "
            "confidence, or no access to the internet, to be able to apply just as easily and independently."
        ),
        problem=(
            "Disclosure Scotland helps employers make safer recruitment decisions by providing information about "
            "people's criminal records. Most applications are now made online, and for many people that works well.",
            "For others it does not. People with low digital confidence, no email address, limited reading skills "
            "or no device or internet connection can struggle to complete an application. Some give up; others "
            "rely on friends, family or employers to apply for them, which can mean sharing personal information "
            "they would rather keep private. Errors lead to delays, and delays can cost someone a job offer.",
            "We are looking for new ways to help these applicants apply independently and with confidence – "
            "assisted digital support, other channels, a redesign of the hardest steps, or something we have not "
            "thought of. The solution must keep applicants' information secure, meet accessibility standards and "
            "work alongside our existing online service.",
        ),
        users=(
            "<p>People applying for a disclosure for work or volunteering, including older people, people with "
            "learning disabilities or literacy difficulties and people leaving care or prison, and the employers "
            "and volunteering organisations that ask for disclosures.</p>"
        ),
        success=_ul(
            "More applicants with low digital confidence complete their application without help.",
            "Fewer applications are returned because of errors.",
            "Applicants feel in control of their personal information.",
        ),
        provides=(
            "<p>Access to our service design and user research teams, findings from past research, anonymised data "
            "on where applications stall, and a test environment.</p>"
        ),
        contact_name="Neil Paterson",
        contact_email="neil.paterson@example.gov.scot",
        follow_on_value=800_000,
    ),
    DemoChallenge(
        slug="predicting-potholes",
        title="How can we predict potholes from council vehicle data?",
        sponsor="stirling-council",
        round="civtech-11",
        sectors=("Local government", "Transport", "Data and digital"),
        summary=(
            "Stirling Council's bin lorries and gritters travel almost every road each week. Could data from these "
            "vehicles spot road damage early, so that repairs happen before potholes form?"
        ),
        problem=(
            "Potholes are among the most common complaints councils receive. They damage vehicles, endanger "
            "cyclists and are expensive to repair once they form. Our roads team inspects roads on a fixed cycle "
            "and responds to reports from the public, but by the time a pothole is reported the damage is done.",
            "Our refuse lorries, gritters and pool cars already travel almost every road in the council area, many "
            "of them every week, and several already carry cameras and telematics. We think data from these "
            "journeys could reveal cracking, surface wear and early signs of failure long before a pothole appears.",
            "We are looking for a way to use sensors or cameras on existing council vehicles to detect and map "
            "early road defects, prioritise them for repair and show how road condition changes over time. "
            "Drivers must not have to do anything extra, people and number plates must be blurred, and it must fit "
            "our existing asset management system.",
        ),
        users=(
            "<p>Road inspectors, maintenance planners and the council's fleet team, councillors who set "
            "maintenance budgets, and residents who report problems with roads.</p>"
        ),
        success=_ul(
            "Defects are found earlier than by inspection alone.",
            "Repairs are prioritised from evidence across the whole road network.",
            "No extra work for drivers.",
        ),
        provides=(
            "<p>Council vehicles to fit equipment to, existing telematics data, historic defect and repair records, "
            "and time with roads and fleet staff.</p>"
        ),
        contact_name="Gordon Wilson",
        contact_email="gordon.wilson@example.stirling.gov.uk",
        accelerator_max=300_000,
        follow_on_value=1_000_000,
    ),
    DemoChallenge(
        slug="homes-most-at-risk-of-fire",
        title="How can we find the homes most at risk of fire?",
        sponsor="scottish-fire-and-rescue-service",
        round="civtech-11",
        sectors=("Fire and emergency services", "Health and social care", "Data and digital"),
        summary=(
            "The Scottish Fire and Rescue Service offers free home fire safety visits. It wants to reach the people "
            "most at risk of fire at home, who are often the least likely to ask for one."
        ),
        problem=(
            "The people most at risk of fire at home are often older people living alone, people with limited "
            "mobility, people who smoke, and people affected by alcohol or drug use. We offer free home fire "
            "safety visits, fitting alarms and giving advice, but the people who ask for visits are not always "
            "those who need them most.",
            "Partner organisations – social work, housing, health and third sector services – see many people at "
            "high risk and can refer them to us. But referrals depend on individual staff remembering to make "
            "them, and partners' information is rarely brought together.",
            "We want a way to identify the households that would benefit most from a visit, working with partners "
            "and respecting privacy, so that our community safety teams reach them before a fire happens. The "
            "approach must be explainable, use information only where there is a clear legal basis, and fit the "
            "way our local teams already plan their work.",
        ),
        users=(
            "<p>Community safety advocates and crews who carry out visits, local senior officers who plan "
            "prevention work, and partner organisations who refer people to us.</p>"
        ),
        success=_ul(
            "A greater share of visits reach people at high risk.",
            "More referrals from partners.",
            "Local teams trust the reasons a household is suggested.",
        ),
        provides=(
            "<p>Anonymised home fire safety visit and incident data, access to community safety teams in a pilot "
            "area, and support with data sharing agreements.</p>"
        ),
        contact_name="Rachel Murray",
        contact_email="rachel.murray@example.firescotland.gov.uk",
    ),
    DemoChallenge(
        slug="traditional-building-skills",
        title="How can we keep traditional building skills alive?",
        sponsor="historic-environment-scotland",
        round="civtech-11",
        sectors=("Culture and heritage", "Education and skills"),
        summary=(
            "Scotland needs more people with the skills to repair traditional buildings. Historic Environment "
            "Scotland wants to capture what experienced craftspeople know and help new people learn it."
        ),
        problem=(
            "Many of Scotland's buildings were built with traditional materials and methods: lime mortar, slate, "
            "timber sash windows and stone. Keeping them in good repair, and making them more energy efficient, "
            "needs craftspeople who understand those methods.",
            "Many of the most experienced masons, slaters and joiners are nearing retirement, and their knowledge "
            "is largely unwritten, learned on site over decades. Apprentices and contractors who want to learn "
            "have few places to turn, and mistakes such as using cement mortar on soft stone can cause lasting "
            "damage.",
            "We are looking for a way to capture practical craft knowledge – through video, images, guided "
            "examples or something else – and make it easy for learners, contractors and homeowners to find the "
            "right technique for the job in front of them. It must be usable on site on a phone, and easy for "
            "craftspeople themselves to contribute to.",
        ),
        users=(
            "<p>Apprentices and college students, contractors and small building firms, experienced craftspeople "
            "willing to share their knowledge, and homeowners commissioning repairs.</p>"
        ),
        success=_ul(
            "A craftsperson can record a technique in under an hour.",
            "Learners find the guidance they need on site.",
            "Colleges and training providers use the content in their courses.",
        ),
        provides=(
            "<p>Access to our technical conservation team, craft fellows and training centre, our published "
            "technical guidance, and help to reach colleges and industry bodies.</p>"
        ),
        contact_name="Mhairi Douglas",
        contact_email="mhairi.douglas@example.gov.scot",
    ),
    # --- CivTech 12: upcoming --------------------------------------------------------------------
    DemoChallenge(
        slug="finding-apprenticeships",
        title="How can we help young people find apprenticeships?",
        sponsor="scottish-government",
        round="civtech-12",
        sectors=("Education and skills", "Data and digital"),
        summary=(
            "Young people, parents and teachers find the routes into apprenticeships confusing. Help them discover "
            "opportunities that fit their interests and where they live."
        ),
        problem=(
            "Apprenticeships let young people earn while they learn, and employers across Scotland say they "
            "struggle to find applicants. Yet many young people, and the parents and teachers who advise them, "
            "find the routes confusing: different kinds of apprenticeship, different entry requirements, and "
            "opportunities advertised in many places.",
            "Young people in rural areas, those who are care experienced and those whose families have no "
            "experience of apprenticeships are less likely to apply. Employers, particularly small businesses, "
            "find it hard to reach them, and many say that advertising a vacancy takes more time than they can "
            "spare.",
            "We want a way to help young people discover apprenticeships that match their interests and "
            "circumstances, understand what each involves and get help to apply, and to help small employers reach "
            "a wider range of applicants. It must work well on a phone and be easy for school careers staff to "
            "recommend.",
        ),
        users=(
            "<p>Young people aged 15 to 24, their parents and carers, school guidance and careers staff, and "
            "employers offering apprenticeships, especially small businesses.</p>"
        ),
        success=_ul(
            "More young people from under-represented groups apply.",
            "Young people understand their options and next steps.",
            "Small employers fill vacancies more easily.",
        ),
        provides=(
            "<p>Policy expertise from our fair work and skills teams, access to a pilot group of schools and "
            "employers, and data on current vacancies and applications.</p>"
        ),
        contact_name="Jamie Thomson",
        contact_email="jamie.thomson@example.gov.scot",
    ),
    DemoChallenge(
        slug="ferry-disruption-information",
        title="How can we keep island travellers informed when ferries are disrupted?",
        sponsor="transport-scotland",
        round="civtech-12",
        sectors=("Transport", "Data and digital"),
        summary=(
            "When a ferry sailing is cancelled, island residents and visitors need to know quickly how it affects "
            "their journey. Transport Scotland wants clear, joined-up travel information."
        ),
        problem=(
            "Ferries are a lifeline for Scotland's island communities, carrying people to work, hospital "
            "appointments, school and family, as well as freight and visitors. Weather and technical problems mean "
            "sailings are sometimes delayed or cancelled, often at short notice.",
            "When that happens, travellers need to know what it means for them: whether they will still make their "
            "connection, whether a later sailing has space for their vehicle, and how their onward bus or train is "
            "affected. Today that information is spread across operators' websites, social media and phone lines, "
            "and is hard to piece together, especially for people who do not use social media.",
            "We want a way to bring disruption information together and tell each traveller, in plain language and "
            "through the channel they prefer, what it means for their journey and what their options are. It must "
            "work with operators' existing systems and be accessible to older and disabled travellers.",
        ),
        users=(
            "<p>Island residents, including older and disabled people, visitors, hauliers, and the staff at ports "
            "and in island communities who answer questions when sailings change.</p>"
        ),
        success=_ul(
            "Travellers hear of disruption sooner and understand their options.",
            "Fewer calls to port offices asking what is happening.",
            "Information is consistent across every channel.",
        ),
        provides=(
            "<p>Access to timetable and disruption data feeds, introductions to ferry operators and island "
            "community councils, and time with our ferries policy team.</p>"
        ),
        contact_name="Catriona MacInnes",
        contact_email="catriona.macinnes@example.gov.scot",
        accelerator_max=500_000,
        follow_on_value=2_500_000,
    ),
]


# --- Seeding --------------------------------------------------------------------------------------
@dataclass
class Seeded:
    sectors: dict[str, Sector]
    rounds: dict[str, Round]
    challenges: dict[str, ChallengePage]  # by slug, copies included ("rural-bus-demand-2")


def _uk_time(today, days: int, hour: int) -> datetime:
    """`hour`:00 UK time (GMT or BST as that day has it) on the working day nearest `days` after `today`.

    A Saturday moves back to Friday and a Sunday on to Monday, so no call closes (and no interview
    happens) at a weekend. The move never reorders stages, as no two are less than two days apart.
    """
    day = today + timedelta(days=days)
    day += {5: timedelta(days=-1), 6: timedelta(days=1)}.get(day.weekday(), timedelta(0))
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_sectors(log) -> dict[str, Sector]:
    sectors, created = {}, 0
    for name in SECTORS:
        sectors[name], made = Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        created += made
    log(f"sectors: {created} created, {len(SECTORS) - created} already present")
    return sectors


def seed_rounds(*, now: datetime, log) -> dict[str, Round]:
    """Create each missing round with dates relative to `now`; leave existing rounds exactly as they are."""
    today = timezone.localdate(now)
    rounds = {}
    for demo in ROUNDS:
        round_ = Round.objects.filter(slug=demo.slug).first()
        if round_ is None:
            dates = {name: _uk_time(today, demo.opens_in_days + days, hour) for name, days, hour in demo.timings}
            round_ = round_create(
                by=None,
                name=demo.name,
                slug=demo.slug,
                code=demo.code,
                description=demo.description,
                exploration_payment=Decimal(demo.exploration_payment),
                accelerator_max=Decimal(demo.accelerator_max),
                shortlist_count=demo.shortlist_count,
                exploration_teams=demo.exploration_teams,
                accelerator_teams=demo.accelerator_teams,
                **dates,
            )
            log(f"rounds: {demo.name} created")
        else:
            log(f"rounds: {demo.name} already present")
        rounds[demo.slug] = round_
    return rounds


def _challenge_page(demo: DemoChallenge, round_: Round, *, copy: int, now: datetime) -> ChallengePage:
    suffix = "" if copy == 1 else f" (copy {copy})"
    stopped_at = None
    if demo.stopped_after_exploration:
        stopped_at = min(round_.exploration_end + timedelta(days=10), now)
    return ChallengePage(
        title=demo.title + suffix,
        slug=demo.slug if copy == 1 else f"{demo.slug}-{copy}",
        round=round_,
        summary=demo.summary,
        problem_statement=demo.problem_statement(),
        users=demo.users,
        success=demo.success,
        sponsor_provides=demo.provides,
        accelerator_max=Decimal(demo.accelerator_max) if demo.accelerator_max is not None else None,
        follow_on_value=Decimal(demo.follow_on_value) if demo.follow_on_value is not None else None,
        contact_name=demo.contact_name,
        contact_email=demo.contact_email,
        stopped_at=stopped_at,
        # Challenges are published as their call opens; those in later rounds are published now.
        first_published_at=min(round_.call_opens, now),
    )


def seed(*, scale: int, organisations: dict[str, Organisation], log) -> Seeded:
    """Sectors, rounds, every public body's sponsor space, and the demo challenges (`scale` copies of each)."""
    now = timezone.now()
    sectors = seed_sectors(log)
    rounds = seed_rounds(now=now, log=log)

    # Every public body gets its space (and its members' page permissions), challenges or not.
    spaces = {}
    for _name, slug, *_rest in PUBLIC_BODIES:
        organisation = organisations.get(slug) or Organisation.objects.get(slug=slug)
        spaces[slug] = sponsor_space_ensure(organisation=organisation)
    log(f"challenges: sponsor spaces ready for {len(spaces)} public bodies")

    existing = {
        (space_slug, page.slug): page
        for space_slug, space in spaces.items()
        for page in ChallengePage.objects.child_of(space)
    }
    challenges, created = {}, 0
    for copy in range(1, scale + 1):
        for demo in CHALLENGES:
            page = _challenge_page(demo, rounds[demo.round], copy=copy, now=now)
            found = existing.get((demo.sponsor, page.slug))
            if found is None:
                spaces[demo.sponsor].add_child(instance=page)
                page.sectors.set([sectors[name] for name in demo.sectors])
                page.save_revision().publish()
                found, created = page, created + 1
            challenges[page.slug] = found
        log(f"challenges: {copy}/{scale} batches")
    log(f"challenges: {created} created, {len(challenges) - created} already present")
    return Seeded(sectors=sectors, rounds=rounds, challenges=challenges)


# --- Clarification questions ----------------------------------------------------------------------
# Questions companies asked on the open round's challenges, with the answers the sponsors published. An answer of
# None leaves the question awaiting one, so the answering pages have work in them.
QUESTIONS: dict[str, list[tuple[str, str | None]]] = {
    "disclosure-low-digital-confidence": [
        (
            "Can the solution include a telephone or face-to-face channel, or must it be digital?",
            "Any channel is welcome, digital or not, as long as applicants can apply independently and their "
            "information stays secure. Many of the people we want to reach have no internet access at all.",
        ),
        (
            "Will teams be able to speak to applicants who have struggled to apply?",
            "Yes. In the exploration stage our user research team will help you recruit and meet applicants, "
            "including people supported by partner organisations.",
        ),
        (
            "Is there an existing API into the online application service?",
            None,
        ),
    ],
    "predicting-potholes": [
        (
            "Which vehicles already carry cameras, and can we fit our own equipment?",
            "Our 24 refuse lorries have forward-facing cameras and all gritters have telematics. You may fit "
            "your own equipment to up to six vehicles during the accelerator, with the fleet team's agreement.",
        ),
        (
            "In what format are the historic defect and repair records held?",
            "In our asset management system, which exports CSV files. We hold ten years of records, each with a "
            "location, defect type, dates reported and repaired, and the cost of the repair.",
        ),
    ],
    "homes-most-at-risk-of-fire": [
        (
            "Would partner data be shared with the successful team, or only anonymised results?",
            "Only anonymised or aggregated data will be shared during the exploration stage. Any use of personal "
            "data in the accelerator would need a data sharing agreement, which we will help put in place.",
        ),
        (
            "Is there a pilot area in mind?",
            "Yes: one local senior officer area in the central belt, to be confirmed with the teams selected for "
            "the exploration stage.",
        ),
        (
            "Would a solution aimed only at partner referrals, not at predicting risk, be in scope?",
            None,
        ),
    ],
    "traditional-building-skills": [
        (
            "Does the content have to be in English only, or also in Gaelic?",
            "English is enough to start with, but the solution should make it possible to add Gaelic and other "
            "languages later.",
        ),
        (
            "Who would own the content that craftspeople record?",
            "The craftspeople keep the rights to their own recordings and license them to Historic Environment "
            "Scotland for public use. We expect the platform to make that licence clear when content is added.",
        ),
    ],
}


def seed_questions(*, log) -> None:
    """Questions on the open round's challenges, asked by the demo companies (each in turn), answered by the
    sponsor's first member (or the CivTech team) through the real services; a couple are left awaiting an
    answer. Run after the demo applications, so every demo company has someone to ask. A challenge that has
    questions already is left alone, so a second run changes nothing."""
    staff = User.objects.get(email="staff@civtech.example")
    askers = [
        m.user
        for m in Membership.objects.filter(role=Membership.Role.ADMIN)
        .exclude(organisation__kind=OrganisationKind.PUBLIC_BODY)
        .select_related("user")
        .order_by("organisation__slug", "pk")
    ]
    asked = answered = 0
    for slug, questions in QUESTIONS.items():
        challenge = ChallengePage.objects.live().select_related("round", "sponsor").filter(slug=slug).first()
        if challenge is None or not challenge.questions_open or challenge.clarifications.exists():
            continue
        sponsor_member = Membership.objects.filter(organisation=challenge.sponsor).order_by("pk").first()
        answerer = sponsor_member.user if sponsor_member else staff
        for n, (question, answer) in enumerate(questions):
            clarification = clarification_ask(
                challenge=challenge, by=askers[(asked + n) % len(askers)], question=question
            )
            # Asked over the days after the call opened, each answered a day later.
            asked_at = min(challenge.round.call_opens + timedelta(days=1 + 2 * n, hours=3), timezone.now())
            Clarification.objects.filter(pk=clarification.pk).update(asked_at=asked_at)
            if answer is not None:
                clarification_answer(clarification=clarification, by=answerer, answer=answer)
                answered_at = min(asked_at + timedelta(days=1), timezone.now())
                Clarification.objects.filter(pk=clarification.pk).update(answered_at=answered_at)
                answered += 1
        asked += len(questions)
    log(f"questions: {asked} asked, {answered} answered")
