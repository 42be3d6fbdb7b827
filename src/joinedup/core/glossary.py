"""What the figures mean, in words for a partnership lead: the one list behind the glossary page (/glossary/)
and the "What these figures mean" boxes on the pages that show the figures (`{% explain "sd" "ci" %}`).

Each entry has a one-sentence `short` meaning, shown where the figure is, and `more`, shown on the glossary
page after it. Pages link a column heading to `/glossary/#<key>`; tests/core/test_glossary.py checks that every
link and every `explain` names an entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    short: str
    more: str = ""


SURVEYS = "Survey results"
NETWORKS = "Relationship networks"
AGREEMENTS = "Agreements"

TERMS: dict[str, tuple[Term, ...]] = {
    SURVEYS: (
        Term(
            "mean",
            "Mean",
            "The average score of the people in a group, on the survey's scale (for example 1 \"strongly "
            'disagree" to 5 "strongly agree").',
            "It says where the group sits, not whether its members agree.",
        ),
        Term(
            "n",
            "People (n)",
            "How many people's answers a figure is worked out from.",
            "The fewer people, the rougher the figure: look at the confidence interval beside it.",
        ),
        Term(
            "sd",
            "SD (standard deviation)",
            "How spread out the answers are: around 0.5 on a five-point scale means most people gave nearly "
            "the same answer, above 1 means views differ a lot.",
            "When it is large, the mean hides that people see things differently.",
        ),
        Term(
            "ci",
            "95% confidence interval",
            'The range the group\'s "true" average probably lies in, given how many answered and how much '
            "they differ.",
            "A wide range means few answers or mixed views: treat the mean as rough. Two groups whose ranges "
            "overlap a lot may not really differ.",
        ),
        Term(
            "rwg",
            "Agreement (rwg)",
            "How much a group agrees, from 0 (no more agreement than random answers would give) to 1 "
            "(everyone answered the same).",
            "Above about 0.7 a group broadly shares a view, so its mean speaks for it; below that, talk about "
            "the spread before the average.",
        ),
        Term(
            "welch",
            "p value (Welch's test)",
            "How likely a difference this size between two groups (or two waves) would be if there were "
            "really none: under 0.05, it is unlikely to be chance.",
            "It says nothing about whether the difference matters: look at its size too.",
        ),
        Term(
            "to-discuss",
            "To discuss (a perception gap)",
            "Two groups, say two sectors, see a dimension differently: their means are at least 0.75 points "
            "apart and the difference is unlikely to be chance (p under 0.05).",
            "A prompt for a conversation, not a verdict on either group.",
        ),
        Term(
            "band",
            "Band (strength, borderline, concern)",
            'Where a score sits against the thresholds the questionnaire sets: "concern" is low enough to act '
            'on, "borderline" close to it, "strength" is a score to build on.',
            "The bands come with the questionnaire and are the same for every partnership that uses it.",
        ),
        Term(
            "smallest-group",
            "Smallest group shown (k)",
            "No figure is shown for fewer than this many people (5 unless the survey says more, never below 3).",
            "Nor is any figure shown that would let someone work out a smaller group's answers by subtracting "
            "one table from another.",
        ),
    ),
    NETWORKS: (
        Term(
            "ties",
            "Ties (named by, names)",
            'A tie is one organisation saying it works with another: "named by" counts the organisations '
            'that name it, "names" those it names.',
        ),
        Term(
            "betweenness",
            "Betweenness",
            "How often an organisation lies on the shortest path between two others: a broker that connects "
            "parts of the partnership that would otherwise not be in touch.",
            "High betweenness is influence, and a risk if that organisation leaves.",
        ),
        Term(
            "closeness",
            "Closeness",
            "How few steps an organisation needs to reach all the others, from 0 to 1: high means information "
            "from it spreads quickly, low means it is at the edge.",
        ),
        Term(
            "ei-index",
            "E-I index",
            "Whether ties run across sectors or stay inside them, from −1 (only within a sector, say NHS to "
            "NHS) to 1 (only across sectors).",
            "Around 0 is a mix; a strongly negative value means sectors work in silos.",
        ),
        Term(
            "jaccard",
            "Similarity of two networks (Jaccard)",
            "The share of working relationships that appear in both of two surveys, from 0 (none in common) "
            "to 1 (exactly the same).",
            "It shows how much the pattern of who works with whom has changed.",
        ),
        Term(
            "density",
            "Density",
            "The share of all possible working relationships that exist.",
            "In a large partnership it is naturally low; compare it between waves of the same partnership "
            "rather than with others.",
        ),
        Term(
            "reciprocity",
            "Reciprocity (both name each other)",
            "The share of relationships named by both organisations.",
            "One-sided ties can mean one partner values the link more than the other does.",
        ),
        Term(
            "centralisation",
            "Degree centralisation",
            "How far the ties gather on one organisation, from 0 (everyone equally connected) to 1 (one hub "
            "that all the others connect through).",
        ),
        Term(
            "trust-value",
            "Trust and value received",
            "An organisation's average rating, from 1 to 4, by all the organisations that named it: trust is "
            "reliability, support of the shared mission and openness; value is influence, involvement and "
            "resources.",
            "It is shown only when at least 3 organisations rated it, and never one organisation's rating of "
            "another.",
        ),
    ),
    AGREEMENTS: (
        Term(
            "fingerprint",
            "Fingerprint (content hash)",
            "A code worked out from everything in a version of an agreement: if one word or figure changed, "
            "the fingerprint would change.",
            "A signature records it, so it shows exactly what was signed. Pages show its first 12 characters; "
            "the full code is 64.",
        ),
    ),
}

BY_KEY: dict[str, Term] = {term.key: term for terms in TERMS.values() for term in terms}
