"""The static tables of the Northshire demo: a fictional place, its organisations, partnerships and history.

Every identifier here is made up but shaped like the real thing (ODS codes, org-id keys, charity and
Companies House numbers, ONS GSS codes, CQC ids); the postcode area NS does not exist. Dates are fixed so
the demo is the same on every machine and every day. `northshire.py` turns these tables into rows.
The tables are laid out by hand, one row a line where they fit, so the formatter leaves them alone.
"""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

from joinedup.core.choices import RoleKind
from joinedup.register.choices import EventKind as E
from joinedup.register.choices import MembershipRole as R
from joinedup.register.choices import PartnershipKind, PartnershipStatus
from joinedup.register.choices import Profession as P
from joinedup.register.choices import Sector as S

D = datetime.date
PASSWORD = "northshire-demo"
AREA = "Northshire"
KINGSFORD, COAST, VALE = "Kingsford", "Northshire Coast", "Upper Vale"

# fmt: off


class Org(NamedTuple):
    key: str
    name: str
    sector: str
    org_type: str
    staff: str  # a key of STAFF
    area: str
    postcode: str
    ids: dict[str, str]


def _gp(n: int, name: str, area: str, pcn: str) -> Org:
    ods = f"Z990{n:02d}"
    return Org(f"gp{n}", name, S.NHS, f"GP practice ({pcn})", "gp", area, f"NS{n} {n % 10}GP",
               {"ods_code": ods, "org_id": f"GB-NHS-{ods}"})


def _charity(key: str, name: str, number: str, staff: str = "charity", area: str = AREA) -> Org:
    return Org(key, name, S.VOLUNTARY, "Registered charity", staff, area, "NS1 4VC",
               {"charity_number": number, "org_id": f"GB-CHC-{number}"})


def _company(number: str, cqc: str = "", location: str = "") -> dict[str, str]:
    ids = {"company_number": number, "org_id": f"GB-COH-{number}"}
    return ids | ({"cqc_provider_id": cqc} if cqc else {}) | ({"cqc_location_id": location} if location else {})


def _trust(ods: str) -> dict[str, str]:
    return {"ods_code": ods, "org_id": f"GB-NHS-{ods}", "cqc_provider_id": ods}


ORGANISATIONS: list[Org] = [
    Org("icb", "NHS Northshire Integrated Care Board", S.NHS, "Integrated care board", "icb", AREA, "NS1 1IC",
        {"ods_code": "Q9N", "org_id": "GB-NHS-Q9N", "gss_code": "E54000099"}),
    Org("acute", "Northshire Hospitals NHS Foundation Trust", S.NHS, "Acute trust", "acute", AREA, "NS2 3HA",
        _trust("R9A")),
    Org("mh_trust", "Northshire Partnership NHS Foundation Trust", S.NHS, "Mental health trust", "mh_trust",
        AREA, "NS3 2MH", _trust("R9B")),
    Org("community", "Northshire Community Health NHS Trust", S.NHS, "Community trust", "community", AREA,
        "NS4 1CH", _trust("R9C")),
    Org("pcn_kingsford", "Kingsford Primary Care Network", S.NHS, "Primary care network", "pcn", KINGSFORD,
        "NS2 1PC", {"ods_code": "U99001", "org_id": "GB-NHS-U99001"}),
    Org("pcn_coast", "Northshire Coastal Primary Care Network", S.NHS, "Primary care network", "pcn", COAST,
        "NS7 1PC", {"ods_code": "U99002", "org_id": "GB-NHS-U99002"}),
    Org("pcn_vale", "Upper Vale Primary Care Network", S.NHS, "Primary care network", "pcn", VALE, "NS9 1PC",
        {"ods_code": "U99003", "org_id": "GB-NHS-U99003"}),
    _gp(1, "Millbrook Surgery", KINGSFORD, "Kingsford PCN"),
    _gp(2, "Riverside Medical Centre", KINGSFORD, "Kingsford PCN"),
    _gp(3, "Castle Street Practice", KINGSFORD, "Kingsford PCN"),
    _gp(4, "Kingsford Health Centre", KINGSFORD, "Kingsford PCN"),
    _gp(5, "Harbour View Surgery", COAST, "Coastal PCN"),
    _gp(6, "Saltmarsh Medical Practice", COAST, "Coastal PCN"),
    _gp(7, "Cliff Road Surgery", COAST, "Coastal PCN"),
    _gp(8, "Vale Family Practice", VALE, "Upper Vale PCN"),
    _gp(9, "Oakhill Surgery", VALE, "Upper Vale PCN"),
    _gp(10, "Fellside Medical Group", VALE, "Upper Vale PCN"),
    Org("county", "Northshire County Council", S.LOCAL_AUTHORITY, "County council", "county", AREA, "NS1 1CC",
        {"gss_code": "E10000099", "org_id": "GB-LAE-NSHR"}),
    Org("kingsford_bc", "Kingsford Borough Council", S.LOCAL_AUTHORITY, "District council", "district", KINGSFORD,
        "NS2 2BC", {"gss_code": "E07000991", "org_id": "GB-LAE-KNGS"}),
    Org("coast_dc", "Northshire Coast District Council", S.LOCAL_AUTHORITY, "District council", "district",
        COAST, "NS7 2DC", {"gss_code": "E07000992", "org_id": "GB-LAE-NSCO"}),
    Org("vale_dc", "Upper Vale District Council", S.LOCAL_AUTHORITY, "District council", "district", VALE,
        "NS9 2DC", {"gss_code": "E07000993", "org_id": "GB-LAE-UPVA"}),
    Org("police", "Northshire Police", S.POLICE_JUSTICE, "Police force", "police", AREA, "NS1 5PF",
        {"gss_code": "E23000099"}),
    Org("probation", "Probation Service – Northshire Probation Delivery Unit", S.POLICE_JUSTICE,
        "Probation delivery unit", "probation", AREA, "NS1 6PD", {}),
    Org("homes", "Northshire Homes", S.HOUSING, "Housing association", "housing", AREA, "NS3 4HA",
        {"company_number": "RS008801", "org_id": "GB-SHPE-L9901"}),
    Org("harbourside_housing", "Harbourside Housing Trust", S.HOUSING, "Supported housing provider",
        "supported_housing", COAST, "NS7 3HT",
        {"charity_number": "1199010", "company_number": "09990020", "org_id": "GB-CHC-1199010"}),
    Org("meadowbank", "Meadowbank Care Homes Ltd", S.INDEPENDENT, "Care home provider", "care", KINGSFORD,
        "NS2 5MC", _company("09990031", "1-9000000031", "1-9000000131")),
    Org("heron_court", "Heron Court Care Ltd", S.INDEPENDENT, "Care home provider", "care", COAST, "NS7 5HC",
        _company("09990032", "1-9000000032", "1-9000000132")),
    Org("homecare", "Northshire Home Care Services Ltd", S.INDEPENDENT, "Home care provider", "care", VALE,
        "NS9 5HS", _company("09990033", "1-9000000033")),
    _charity("cvs", "Voluntary Action Northshire", "1199001", staff="cvs"),
    _charity("mind", "Northshire Mind", "1199002"),
    _charity("age_well", "Age Well Northshire", "1199003"),
    _charity("carers", "Northshire Carers' Centre", "1199004", staff="carers"),
    _charity("befriending", "Northshire Befriending Scheme", "1199005"),
    _charity("dementia", "Northshire Dementia Support", "1199006"),
    _charity("recovery", "Harbourside Recovery", "1199007", area=COAST),
    _charity("womens_aid", "Northshire Women's Aid", "1199008"),
    _charity("foodbank", "Kingsford Foodbank", "1199009", area=KINGSFORD),
    _charity("transport", "Upper Vale Community Transport", "1199011", area=VALE),
    Org("healthwatch", "Healthwatch Northshire", S.VOLUNTARY, "Community interest company", "healthwatch", AREA,
        "NS1 7HW", _company("09990040")),
    Org("su_forum", "Northshire Mental Health Service User Forum", S.SERVICE_USER, "Service-user forum",
        "su_forum", AREA, "NS3 8SU", {}),
    Org("parent_carers", "Northshire Parent Carer Forum", S.SERVICE_USER, "Carers' forum", "su_forum", AREA,
        "NS1 8PC", {}),
    Org("college", "Northshire College", S.EDUCATION, "Further education college", "college", KINGSFORD,
        "NS2 9NC", _company("09990050")),
    Org("fire", "Northshire Fire and Rescue Service", S.OTHER, "Fire and rescue service", "fire", AREA,
        "NS1 9FR", {"gss_code": "E31000099"}),
]

# Staff by kind of organisation: (job title, profession, person key or "" for an unnamed member of staff).
Staff = tuple[str, str, str]
STAFF: dict[str, list[Staff]] = {
    "icb": [("Chief Executive", P.MANAGER, "icb_ceo"), ("Director of Commissioning", P.COMMISSIONER, ""),
            ("Mental Health Commissioning Lead", P.COMMISSIONER, ""), ("Chief Nursing Officer", P.NURSE, ""),
            ("Head of Place Partnerships", P.MANAGER, "")],
    "acute": [("Chief Executive", P.MANAGER, ""), ("Medical Director", P.DOCTOR, ""),
              ("Director of Nursing", P.NURSE, ""), ("Discharge Lead", P.NURSE, ""),
              ("Consultant Geriatrician", P.DOCTOR, "")],
    "mh_trust": [("Chief Executive", P.MANAGER, "mh_ceo"), ("Director of Strategy", P.MANAGER, "trust_signatory"),
                 ("Community Mental Health Team Manager", P.MENTAL_HEALTH_NURSE, "trust_rep"),
                 ("Medical Director", P.PSYCHIATRIST, ""), ("Consultant Psychiatrist", P.PSYCHIATRIST, ""),
                 ("Clinical Psychologist", P.PSYCHOLOGIST, ""), ("Forensic Service Lead", P.MENTAL_HEALTH_NURSE, ""),
                 ("Occupational Therapist", P.OCCUPATIONAL_THERAPIST, "")],
    "community": [("Chief Executive", P.MANAGER, ""), ("District Nursing Lead", P.NURSE, ""),
                  ("Community Physiotherapist", P.ALLIED_HEALTH, ""), ("Community Pharmacist", P.PHARMACIST, "")],
    "pcn": [("Clinical Director", P.GP, ""), ("PCN Manager", P.MANAGER, ""),
            ("Social Prescribing Link Worker", P.OTHER, "")],
    "gp": [("GP Partner", P.GP, ""), ("Practice Manager", P.MANAGER, "")],
    "county": [("Director of Adult Social Services", P.SOCIAL_WORKER, "dass"),
               ("Partnerships Manager", P.MANAGER, "coordinator"),
               ("Head of Mental Health Social Work", P.SOCIAL_WORKER, "council_signatory"),
               ("Approved Mental Health Professional", P.SOCIAL_WORKER, "council_rep"),
               ("Director of Public Health", P.PUBLIC_HEALTH, ""),
               ("Cabinet Member for Adult Social Care", P.ELECTED_MEMBER, "hwb_chair"),
               ("Better Care Fund Manager", P.COMMISSIONER, ""), ("Social Worker", P.SOCIAL_WORKER, "")],
    "district": [("Chief Executive", P.MANAGER, ""), ("Housing Options Officer", P.HOUSING_OFFICER, "")],
    "police": [("Chief Constable", P.POLICE_OFFICER, "chief_constable"),
               ("Mental Health Liaison Sergeant", P.POLICE_OFFICER, ""),
               ("Neighbourhood Policing Inspector", P.POLICE_OFFICER, "")],
    "probation": [("Head of Probation Delivery Unit", P.PROBATION_OFFICER, ""),
                  ("Senior Probation Officer", P.PROBATION_OFFICER, "")],
    "housing": [("Chief Executive", P.MANAGER, ""), ("Supported Housing Manager", P.HOUSING_OFFICER, ""),
                ("Tenancy Sustainment Officer", P.HOUSING_OFFICER, "")],
    "supported_housing": [("Director", P.MANAGER, ""), ("Support Worker", P.HOUSING_OFFICER, "")],
    "care": [("Registered Manager", P.MANAGER, ""), ("Senior Care Worker", P.CARE_WORKER, "")],
    "cvs": [("Chief Officer", P.MANAGER, ""), ("Volunteering Development Officer", P.VOLUNTEER, "")],
    "charity": [("Chief Executive", P.MANAGER, ""), ("Project Worker", P.PEER_WORKER, "")],
    "carers": [("Centre Manager", P.MANAGER, ""), ("Carer Support Worker", P.CARE_WORKER, "")],
    "healthwatch": [("Healthwatch Manager", P.MANAGER, ""), ("Engagement Officer", P.VOLUNTEER, "")],
    "su_forum": [("Forum Chair", P.SERVICE_USER, ""), ("Peer Support Lead", P.PEER_WORKER, "")],
    "college": [("Principal", P.MANAGER, "")],
    "fire": [("Station Manager, Prevention", P.OTHER, "")],
}
PROFESSION_OTHER = {"Social Prescribing Link Worker": "Social prescriber", "Station Manager, Prevention": "Firefighter"}
EXTRA_PRACTICE_NURSES = 4  # practice nurses placed in practices chosen by the seed

FIRST_NAMES = (
    "Aisha", "Alan", "Amara", "Amy", "Andrew", "Anita", "Ben", "Bethan", "Callum", "Carys", "Chloe",
    "Chidi", "Claire", "Daniel", "Deepa", "Eilidh", "Emma", "Farah", "Fiona", "Gareth", "Grace", "Hannah",
    "Harjit", "Helen", "Ian", "Imran", "Jack", "Jasmine", "Joanne", "Jonathan", "Kate", "Kwame", "Laura",
    "Leah", "Liam", "Lucy", "Mark", "Martin", "Megan", "Mohammed", "Nadia", "Naomi", "Neil", "Olu", "Owen",
    "Patrick", "Priya", "Rachel", "Rhys", "Rosa", "Ruth", "Sam", "Sanjay", "Sarah", "Sean", "Simon",
    "Sophie", "Tariq", "Tom", "Una", "Victoria", "Wei", "Yasmin", "Zoe"
)
LAST_NAMES = (
    "Adebayo", "Ahmed", "Allen", "Bailey", "Begum", "Bennett", "Brown", "Campbell", "Carter", "Chen",
    "Clarke", "Collins", "Davies", "Edwards", "Evans", "Fletcher", "Foster", "Green", "Griffiths", "Hall",
    "Harris", "Hughes", "Hussain", "Jackson", "James", "Jones", "Kaur", "Kelly", "Khan", "Lewis", "Lloyd",
    "Malik", "Martin", "Mensah", "Mitchell", "Morgan", "Murphy", "Nowak", "O'Brien", "Okafor", "Owen",
    "Patel", "Phillips", "Price", "Rahman", "Roberts", "Robinson", "Shah", "Singh", "Smith", "Taylor",
    "Thomas", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Young"
)


class PartnershipSpec(NamedTuple):
    key: str
    name: str
    kind: str
    status: str
    parent: str
    area: str
    started: datetime.date
    purpose: str


PARTNERSHIPS: list[PartnershipSpec] = [
    PartnershipSpec(
        "hwb", "Northshire Health and Wellbeing Board", PartnershipKind.HORIZONTAL, PartnershipStatus.ACTIVE, "",
        AREA, D(2023, 4, 1),
        "The statutory board where the NHS, the councils, the police, Healthwatch and the voluntary sector agree "
        "Northshire's joint health and wellbeing strategy and oversee the Better Care Fund. Reconstituted in "
        "April 2023 when the integrated care board took over from the clinical commissioning group."),
    PartnershipSpec(
        "mh", "Northshire Community Mental Health Partnership", PartnershipKind.VERTICAL, PartnershipStatus.ACTIVE,
        "", AREA, D(2023, 4, 1),
        "One integrated community mental health service for adults across Northshire, run jointly by the "
        "mental health trust, the county council and voluntary-sector partners under a section 75 agreement "
        "with a pooled budget hosted by the county council."),
    PartnershipSpec(
        "bcf", "Northshire Better Care Fund Partnership", PartnershipKind.VERTICAL, PartnershipStatus.REVIEWING,
        "hwb", AREA, D(2023, 4, 1),
        "Pools NHS and council money under section 75 for hospital discharge, reablement, carers' breaks and "
        "disabled facilities grants, reporting to the Health and Wellbeing Board."),
    PartnershipSpec(
        "forensic", "Northshire Forensic Mental Health Partnership", PartnershipKind.VERTICAL,
        PartnershipStatus.ACTIVE, "", AREA, D(2023, 9, 1),
        "Joins up care, supervision and housing for people with mental illness who are in contact with the "
        "criminal justice system: liaison and diversion, supported accommodation and safe discharge."),
    PartnershipSpec(
        "ageing", "Ageing Well Northshire Alliance", PartnershipKind.HORIZONTAL, PartnershipStatus.ACTIVE, "",
        AREA, D(2023, 6, 1),
        "An alliance of voluntary and community organisations working with older people and their carers: "
        "befriending, dementia support, transport and advice, with one front door."),
    PartnershipSpec(
        "neighbourhood", "Kingsford Neighbourhood Team", PartnershipKind.VERTICAL, PartnershipStatus.ACTIVE, "hwb",
        KINGSFORD, D(2024, 1, 15),
        "General practice, community nursing, social care, mental health and housing working as one team for "
        "the people of Kingsford with the most complex needs."),
]


class MembershipSpec(NamedTuple):
    partnership: str
    organisation: str
    role: str
    joined: datetime.date | None = None  # None: the partnership's start
    left: datetime.date | None = None
    reason: str = ""
    reps: tuple[str, ...] = ()  # person keys; empty: chosen by the seed from the organisation's staff


def _members(partnership: str, role: str, *orgs: str, **kwargs: Any) -> list[MembershipSpec]:
    return [MembershipSpec(partnership, org, role, **kwargs) for org in orgs]


MEMBERSHIPS: list[MembershipSpec] = [
    # Health and Wellbeing Board
    MembershipSpec("hwb", "county", R.LEAD, reps=("hwb_chair", "dass")),
    *_members("hwb", R.MEMBER, "icb", "acute", "mh_trust", "community", "kingsford_bc", "coast_dc", "vale_dc",
              "police", "healthwatch", "cvs"),
    MembershipSpec("hwb", "homes", R.ASSOCIATE, joined=D(2023, 10, 1)),
    MembershipSpec("hwb", "fire", R.OBSERVER),
    MembershipSpec("hwb", "college", R.ASSOCIATE, left=D(2025, 3, 31),
                   reason="Stepped back to join the children's partnership instead."),
    # Community mental health partnership
    MembershipSpec("mh", "mh_trust", R.LEAD, reps=("trust_signatory", "trust_rep")),
    MembershipSpec("mh", "county", R.HOST, reps=("council_signatory", "council_rep")),
    *_members("mh", R.MEMBER, "icb", "mind", "pcn_kingsford"),
    MembershipSpec("mh", "recovery", R.MEMBER, left=D(2025, 3, 31), reason="Substance-misuse contract re-let."),
    MembershipSpec("mh", "su_forum", R.EXPERT_BY_EXPERIENCE),
    *_members("mh", R.ASSOCIATE, "carers", "homes"),
    MembershipSpec("mh", "pcn_coast", R.MEMBER, joined=D(2024, 4, 1)),
    MembershipSpec("mh", "healthwatch", R.OBSERVER, joined=D(2023, 7, 1)),
    # Better Care Fund
    MembershipSpec("bcf", "icb", R.LEAD),
    MembershipSpec("bcf", "county", R.HOST),
    *_members("bcf", R.MEMBER, "acute", "community", "kingsford_bc", "coast_dc", "vale_dc"),
    *_members("bcf", R.ASSOCIATE, "carers", "meadowbank", "homecare"),
    MembershipSpec("bcf", "heron_court", R.ASSOCIATE, joined=D(2024, 4, 1)),
    # Forensic mental health partnership
    MembershipSpec("forensic", "mh_trust", R.LEAD),
    *_members("forensic", R.MEMBER, "police", "probation", "county", "homes", "harbourside_housing"),
    MembershipSpec("forensic", "recovery", R.ASSOCIATE),
    MembershipSpec("forensic", "womens_aid", R.ASSOCIATE, joined=D(2024, 9, 1)),
    MembershipSpec("forensic", "su_forum", R.EXPERT_BY_EXPERIENCE, joined=D(2024, 1, 1)),
    # Ageing well alliance
    MembershipSpec("ageing", "age_well", R.LEAD),
    MembershipSpec("ageing", "cvs", R.HOST),
    *_members("ageing", R.MEMBER, "dementia", "carers", "transport", "heron_court"),
    MembershipSpec("ageing", "befriending", R.MEMBER),  # leaves when it merges (MERGERS)
    MembershipSpec("ageing", "foodbank", R.MEMBER, joined=D(2023, 11, 1)),
    MembershipSpec("ageing", "parent_carers", R.MEMBER, left=D(2024, 6, 30), reason="Refocused on young carers."),
    *_members("ageing", R.ASSOCIATE, "county", "community"),
    MembershipSpec("ageing", "healthwatch", R.OBSERVER),
    # Kingsford neighbourhood team
    MembershipSpec("neighbourhood", "pcn_kingsford", R.LEAD),
    MembershipSpec("neighbourhood", "community", R.HOST),
    *_members("neighbourhood", R.MEMBER, "gp1", "gp2", "gp3", "gp4", "county", "mh_trust", "kingsford_bc"),
    *_members("neighbourhood", R.ASSOCIATE, "age_well", "homes"),
    MembershipSpec("neighbourhood", "foodbank", R.ASSOCIATE, joined=D(2024, 10, 1)),
]


class EventSpec(NamedTuple):
    date: datetime.date
    kind: str
    title: str
    description: str = ""
    partnership: str = ""
    organisation: str = ""


EVENTS: list[EventSpec] = [
    EventSpec(D(2023, 5, 10), E.LEADER_CHANGE, "New chair of the Health and Wellbeing Board",
              "After the May elections the new Cabinet Member for Adult Social Care took the chair.", "hwb"),
    EventSpec(D(2023, 7, 1), E.REORGANISATION, "Probation delivery unit boundaries redrawn",
              "Northshire's probation delivery unit now matches the county boundary.", organisation="probation"),
    EventSpec(D(2023, 9, 15), E.FUNDING_CHANGE, "Three-year lottery grant for the alliance",
              "A community fund grant pays for a shared coordinator and one telephone front door.", "ageing",
              "age_well"),
    EventSpec(D(2023, 11, 1), E.POLICY_CHANGE, "Police adopt Right Care, Right Person",
              "The police stop attending most mental-health welfare calls; the partnership agrees a new "
              "response protocol.", "forensic", "police"),
    EventSpec(D(2024, 1, 8), E.REORGANISATION, "Adult social care restructured into three localities",
              "Social workers move into locality teams matching the three districts.", organisation="county"),
    EventSpec(D(2024, 4, 1), E.FUNDING_CHANGE, "Pooled budget rises to £13.1 million",
              "Both partners uplift their contributions to the section 75 pooled fund by 5.6%.", "mh"),
    EventSpec(D(2024, 4, 1), E.FUNDING_CHANGE, "Better Care Fund uplift for 2024/25",
              "Discharge funding rises; the plan adds a reablement service in Northshire Coast.", "bcf"),
    EventSpec(D(2024, 7, 1), E.REORGANISATION, "Community mental health teams become neighbourhood hubs",
              "Three locality teams reorganised into six hubs aligned with primary care networks.", "mh",
              "mh_trust"),
    EventSpec(D(2025, 2, 20), E.FUNDING_CHANGE, "Council cuts voluntary-sector grants by 8%",
              "Budget pressures reduce the grants that part-fund four alliance members.", "ageing", "county"),
    EventSpec(D(2025, 4, 1), E.POLICY_CHANGE, "Better Care Fund policy framework 2025/26",
              "New national conditions on discharge and prevention; the partnership begins a review.", "bcf"),
    EventSpec(D(2025, 7, 3), E.POLICY_CHANGE, "National plan moves care into neighbourhoods",
              "The national ten-year plan asks every place to build neighbourhood health teams.", "neighbourhood"),
    EventSpec(D(2025, 9, 1), E.REORGANISATION, "ICB clusters with NHS Southmoor ICB",
              "The integrated care board shares one executive team with its neighbour to halve running costs.",
              organisation="icb"),
    EventSpec(D(2025, 11, 12), E.POLICY_CHANGE, "Mental health law reform: detention pathways reviewed",
              "Partners review how people are detained and discharged under the reformed Act.", "forensic"),
    EventSpec(D(2026, 1, 20), E.FUNDING_CHANGE, "Pooled budget held flat for 2026/27",
              "No uplift; partners agree to protect the crisis service and review peer support.", "mh"),
    EventSpec(D(2026, 3, 1), E.OTHER, "Annual review of the alliance",
              "Members agree to open the alliance to faith groups.", "ageing"),
]

# Leaders who leave: (person key, leaving date, partnership for the event or "", event title).
LEADER_CHANGES: list[tuple[str, datetime.date, str, str]] = [
    ("mh_ceo", D(2024, 6, 30), "mh", "New chief executive at the mental health trust"),
    ("dass", D(2025, 1, 31), "hwb", "New Director of Adult Social Services"),
    ("chief_constable", D(2025, 3, 31), "forensic", "New Chief Constable"),
    ("icb_ceo", D(2025, 8, 31), "", "ICB chief executive leaves as the clusters form"),
]

# Mergers: (absorbed organisation, absorbing organisation, date, new name of the absorbing one or "").
MERGERS: list[tuple[str, str, datetime.date, str]] = [
    ("gp2", "gp1", D(2024, 10, 1), "Millbrook and Riverside Medical Group"),
    ("befriending", "age_well", D(2025, 4, 1), ""),
]

# Demo users: (key, e-mail, person key or "", site admin?). Every one's password is PASSWORD.
USERS: list[tuple[str, str, str, bool]] = [
    ("coordinator", "coordinator@northshire.example", "coordinator", False),
    ("trust_signatory", "trust.signatory@northshire.example", "trust_signatory", False),
    ("trust_rep", "trust.rep@northshire.example", "trust_rep", False),
    ("council_signatory", "council.signatory@northshire.example", "council_signatory", False),
    ("council_rep", "council.rep@northshire.example", "council_rep", False),
    ("evaluator", "evaluator@northshire.example", "", False),
    ("member", "member@northshire.example", "", False),
    ("observer", "observer@northshire.example", "", False),
    ("leader", "leader@northshire.example", "", False),
    ("admin", "admin@northshire.example", "", True),
]
USER_NAMES = {
    "evaluator": "Dr Morgan Ellis (evaluator)",
    "member": "Alliance member",
    "observer": "Healthwatch observer",
    "leader": "Northshire system leader",
    "admin": "Site administrator",
}

# Coordinators create their partnerships (and so hold the role); the other roles are granted:
# (user, partnership, role, organisation for representatives, may sign?).
COORDINATORS = {"mh": "coordinator", "hwb": "coordinator"}
ROLES: list[tuple[str, str, RoleKind, str, bool]] = [
    ("trust_signatory", "mh", RoleKind.REPRESENTATIVE, "mh_trust", True),
    ("trust_rep", "mh", RoleKind.REPRESENTATIVE, "mh_trust", False),
    ("council_signatory", "mh", RoleKind.REPRESENTATIVE, "county", True),
    ("council_rep", "mh", RoleKind.REPRESENTATIVE, "county", False),
    ("trust_signatory", "forensic", RoleKind.REPRESENTATIVE, "mh_trust", True),
    ("evaluator", "mh", RoleKind.EVALUATOR, "", False),
    ("member", "ageing", RoleKind.MEMBER, "", False),
    ("observer", "mh", RoleKind.OBSERVER, "", False),
    # The system leader for Northshire: the place role on each partnership at the top of the place (the Health
    # and Wellbeing Board's reaches the two partnerships under it), so they read all six and change nothing.
    ("leader", "hwb", RoleKind.SYSTEM_LEADER, "", False),
    ("leader", "mh", RoleKind.SYSTEM_LEADER, "", False),
    ("leader", "forensic", RoleKind.SYSTEM_LEADER, "", False),
    ("leader", "ageing", RoleKind.SYSTEM_LEADER, "", False),
]
# fmt: on
