"""Shared vocabulary: the entities outlets name, the event words per kind, and guard cues.

The watchlist's ``entities:`` section adds to or extends the entities.  Every
phrase is matched case-insensitively on whole words; a trailing ``*`` matches
any ending and a space also matches a hyphen (see ``monitor.text``).
"""

from __future__ import annotations

from monitor.models import Entity, Kind

DEFAULT_ENTITIES: dict[str, Entity] = {
    e.id: e
    for e in (
        Entity(
            "pakistan",
            "Pakistan",
            (
                "Pakistan", "Pakistani", "Pakistanis", "Islamabad", "Rawalpindi",
                "ISPR", "Pakistan Army", "Pakistani military", "Pakistani forces",
                "Shehbaz Sharif", "Khawaja Asif", "Khawaja Muhammad Asif", "Ishaq Dar",
                "Asim Munir", "Foreign Office", "FO spokesperson",
            ),
        ),
        Entity(
            "afghanistan",
            "Afghanistan (Taliban government)",
            (
                "Afghanistan", "Afghan", "Afghans", "Kabul", "Kandahar", "Taliban",
                "Afghan Taliban", "Islamic Emirate", "Islamic Emirate of Afghanistan",
                "interim Afghan government", "Afghan interim government",
                "Afghan Taliban regime", "Taliban regime", "Zabihullah Mujahid",
                "Mullah Yaqoob", "Amir Khan Muttaqi",
            ),
        ),
        Entity(
            "ttp",
            "Tehrik-i-Taliban Pakistan (TTP)",
            (
                "TTP", "Tehrik-i-Taliban Pakistan", "Tehreek-e-Taliban Pakistan",
                "Tehrik-e-Taliban Pakistan", "Pakistani Taliban", "Fitna al-Khawarij",
                "Fitna al Khawarij", "Fitnah al-Khawarij", "Khawarij", "khwarij",
            ),
        ),
        Entity("turkey", "Türkiye", ("Turkey", "Türkiye", "Turkiye", "Turkish", "Ankara")),
        Entity("qatar", "Qatar", ("Qatar", "Qatari", "Doha")),
        Entity(
            "border",
            "Pakistan-Afghanistan border",
            (
                "Durand Line", "Pak-Afghan border", "Pakistan-Afghanistan border",
                "Afghan border", "Afghanistan border", "Pakistan Afghan border",
                "Chaman", "Spin Boldak", "Torkham", "Kurram", "Bajaur",
                "Khost", "Paktika", "Kunar", "Angoor Adda", "Ghulam Khan",
                "North Waziristan", "South Waziristan", "Khyber Pakhtunkhwa",
            ),
        ),
    )
}


# --- Shared event vocabulary per kind -------------------------------------------------------
# Phrases use the watchlist syntax: case-insensitive, whole words, a trailing ``*`` matches any
# ending, a space also matches a hyphen ("cross border" matches "cross-border").

#: Words that make a sentence about the kind of commitment (added to the commitment's topics).
KIND_TOPICS: dict[Kind, tuple[str, ...]] = {
    Kind.CEASEFIRE: (
        "ceasefire*", "cease fire*", "truce*", "armistice", "border", "borders", "Durand Line",
        "frontier", "hostilities",
    ),
    Kind.TALKS: (
        "talks", "negotiation*", "dialogue", "round of talks", "peace talks", "peace process",
        "mediation", "mediation track", "discussions", "meeting", "session", "summit",
        "Istanbul process",
    ),
    Kind.NO_TALKS: ("talks", "negotiat*", "dialogue", "engage*", "jirga", "peace deal", "truce"),
    Kind.NO_SANCTUARY: (
        "sanctuar*", "safe haven*", "hideout*", "Afghan soil", "Afghan territory",
        "soil", "territory", "cross border terrorism", "cross border militancy",
    ),
    Kind.INFORM: ("mediator*", "mediation", "friendly countries", "friendly nations", "brotherly"),
    Kind.OTHER: (),
}

#: Shared breach vocabulary per kind.
KIND_BREACH: dict[Kind, tuple[str, ...]] = {
    Kind.CEASEFIRE: (
        "clash*", "skirmish*", "shelling", "shelled", "artillery", "mortar*", "airstrike*",
        "air strike*", "air raid*", "aerial strike*", "aerial bombardment", "drone strike*",
        "drone attack*", "bombed", "bombing*", "bombard*", "opened fire", "opening fire",
        "exchange of fire", "exchanges of fire", "exchanged fire", "exchanging fire",
        "cross border fire", "cross border firing", "unprovoked fire", "unprovoked firing",
        "gunfire", "heavy fire", "heavy firing", "firing", "retaliatory attack*",
        "retaliatory strike*", "retaliatory fire", "retaliatory operation*", "strikes",
        "struck", "fighting", "flare up*", "hostilities", "violat*", "ceasefire violation*",
        "broke the ceasefire", "broken the ceasefire", "breach* the ceasefire",
        "breach of the ceasefire", "ceasefire breach*", "ceasefire collapsed",
        "collapse of the ceasefire", "collapse of a fragile ceasefire", "ceasefire failed",
        "ceasefire crumbled", "crumbled", "ceasefire unravel*", "open war", "killed and captured",
        "border posts", "border outposts",
    ),
    Kind.TALKS: (
        "collaps*", "ended without", "ends without", "end without", "ending without",
        "concluded without", "without agreement", "without an agreement", "without any agreement",
        "without a breakthrough", "without any breakthrough", "no breakthrough",
        "without progress", "without any progress", "deadlock*", "stalled", "stall",
        "broke down", "break down", "breakdown", "fail*", "called off", "cancel*",
        "postpone*", "walked out", "inconclusive*", "no agreement", "unravel*", "on hold",
        "suspended", "derail*", "no progress", "slow",
    ),
    Kind.NO_TALKS: (
        "held talks", "holding talks", "hold talks", "opened talks", "talks with the TTP",
        "talks with TTP", "negotiations with the TTP", "negotiating with the TTP",
        "dialogue with the TTP", "backchannel", "back channel", "peace deal with",
        "met representatives", "engag* with the TTP", "contacts with the TTP",
    ),
    Kind.NO_SANCTUARY: (
        "from Afghan soil", "from Afghan territory", "from Afghanistan", "from within Afghanistan",
        "operating from", "operate from", "operates from", "based in Afghanistan",
        "in Afghanistan", "inside Afghanistan", "on Afghan soil", "Afghan sanctuar*",
        "sanctuar*", "safe haven*", "hideout*", "harbo*", "shelter*", "patronage",
        "facilitat*", "support to", "support for", "infiltrat*", "launch* attacks",
        "emanating from", "originating from", "using Afghan soil", "use of Afghan soil",
        "footprint", "presence", "cross from", "crossed from", "cross border terrorism",
        "cross border attacks", "exporting terrorism", "terrorists of the world",
    ),
    Kind.INFORM: (),
    Kind.OTHER: (),
}

#: Shared met vocabulary per kind.
KIND_MET: dict[Kind, tuple[str, ...]] = {
    Kind.CEASEFIRE: (
        "ceasefire holds", "ceasefire is holding", "ceasefire held", "ceasefire has held",
        "truce holds", "truce is holding", "truce held", "largely held", "has held",
        "holding up", "being observed", "observing the ceasefire", "observe the ceasefire",
        "respecting the truce", "respecting the ceasefire", "respected the ceasefire",
        "extend*", "no incidents", "no new clashes", "no new border clashes",
        "no clashes", "no violations", "no violation", "no fresh clashes", "remained calm",
        "calm along the border", "relative calm", "agreed to maintain", "remain in place",
        "remains in place", "is holding", "was holding", "still holding", "continues to hold",
        "continued to hold", "remains in force", "remained in force", "largely holding",
    ),
    Kind.TALKS: (
        "monitoring mechanism", "verification mechanism", "monitoring and verification",
        "agreed to put in place", "agreed to establish", "agreed to implement",
        "agreed to extend", "agreement reached", "reached an agreement", "joint statement",
        "talks were held", "talks concluded",
    ),
    Kind.NO_TALKS: (
        "no talks", "rule out", "ruled out", "rules out", "will not negotiate",
        "not negotiate", "no negotiations", "no dialogue", "no question of",
        "reject* talks", "reject* any talks", "no justification to engage",
        "refus* to negotiate", "refus* to talk", "refus* talks", "refus* any talks",
    ),
    Kind.NO_SANCTUARY: (
        "arrest*", "detain*", "relocat*", "crack* down", "crackdown", "disarm*", "handed over",
        "expel*", "action against the TTP", "moved away from the border", "took action",
        "taken action", "raids on TTP",
    ),
    Kind.INFORM: (
        "inform", "informs", "informed", "informing", "shared evidence", "shared proof",
        "briefed", "raised the issue",
        "raised the matter", "conveyed", "lodged", "apprised", "took up", "handed over",
        "presented", "provided evidence", "evidence provided", "shared",
    ),
    Kind.OTHER: (),
}

# --- Guards -----------------------------------------------------------------------------------
# Each guard is a list of cue phrases; match.py decides the scope (clause, window, sentence).

#: Negation before a signal (a few words, same clause) or "not" just after it.
NEGATION = (
    "no", "not", "never", "without", "nor", "none", "neither", "no longer", "free of",
    "zero", "absence of", "nothing",
)

#: Denials, anywhere before the signal in the sentence.
DENIAL = (
    "deny", "denies", "denied", "denial*", "denying", "reject*", "dismiss*", "refut*",
    "rebuff*", "baseless", "unfounded",
    "false claims", "remained silent",
)

#: Cues that turn a denial into a finding ("that claim is not credible").
COUNTER_DENIAL = ("not credible", "challenge*", "contradict*", "despite", "however")

#: Hedges: lower the score.
HEDGE = (
    "allegedly", "alleged", "reportedly", "purportedly", "unconfirmed", "unverified",
    "rumour*", "rumor*", "speculat*", "may have", "might have", "apparently",
)

#: Conditionals: the signal sits in a hypothetical clause.
CONDITIONAL = (
    "if", "unless", "as long as", "in case", "in the event", "provided that", "whether",
    "so long as", "only if", "any",
)

#: Modal or future verbs just before the signal.
MODAL = ("will", "would", "could", "may", "might", "can", "shall", "likely to", "risk*", "fear*")

#: Intent, demand, promise and threat: what should or could happen, not what did.
IRREALIS = (
    "must", "should", "demand*", "urg*", "propos*", "asked", "ask*", "called on", "called for",
    "call for", "aim*", "seek*", "sought", "to prevent", "to end", "to curb", "to eliminate",
    "to stop", "to ensure", "to address", "to tackle", "to establish", "to agree", "to decide",
    "to monitor", "ensure", "efforts to", "in order to", "promis*",
    "commit*", "assur*", "hope*", "expect*", "plan*", "intend*",
    "ready to", "willing to", "discuss*", "deliberat*", "forming", "finalis*", "finaliz*",
    "explor*", "consider*", "tolerat*", "insist*", "wants", "want", "prevent", "avert*",
    "avoid*", "dangers of", "potential", "possible", "possibility", "disagreement*",
    "dispute*", "issue of", "demands", "differences over", "differences on",
)

#: Threats, warnings and pledges: anywhere before the signal in the sentence.
THREAT = (
    "threaten*", "warned", "warns", "warning that", "vowed", "vows", "pledged", "pledges",
    "option of", "ultimatum", "or face",
)

#: Background narrative: what led up to the present.
BACKGROUND = (
    "after", "following", "earlier this month", "earlier this year", "last month", "last year",
    "in early", "triggered", "led to", "sparked", "preceded", "previous", "earlier round",
    "previously", "earlier", "in the past", "history of", "since the",
)

#: Background phrases that mark the whole sentence as background.
BACKGROUND_ANYWHERE = (
    "earlier this month", "earlier this year", "last month", "last year", "recently been",
    "in recent weeks", "in recent months", "plagued by", "in the past",
)

#: Collapse words: a breach signal when the sentence names the ceasefire itself.
CEASEFIRE_FAIL = (
    "crumbl*", "collaps*", "failed", "fail", "fails", "unravel*", "broke down", "broken down",
    "fell apart", "falls apart", "in tatters", "shattered",
)

#: Phrases that hide the signals inside them ("informed sources" is not informing anyone).
MASK = (
    "informed sources", "well informed", "information minister", "minister of information",
    "ministry of information", "information and broadcasting", "information ministry",
    "sources informed",
)

#: Generic, long-running accusations (background, not a current specific claim).
GENERIC = (
    "long", "repeatedly", "frequently", "often", "routinely", "for years", "consistently",
    "persistent*", "concerns", "concern", "track record", "blames", "accuses", "regularly",
    "has accused", "have accused", "continues to accuse", "amid",
)

#: Specific, current evidence: raise the score of a sanctuary or ceasefire sentence.
SPECIFIC = (
    "report", "reports", "report says", "findings", "evidence", "confirmed", "found",
    "intelligence", "UN", "United Nations", "Security Council", "monitoring team",
    "continu*", "rising", "killed", "this week", "on monday", "on tuesday", "on wednesday",
    "on thursday", "on friday", "on saturday", "on sunday", "latest", "fresh", "new",
)

#: Generic words for militants (a stand-in for the named group).
MILITANT = (
    "militant*", "terrorist*", "terrorism", "insurgent*", "infiltrator*", "suicide bomber*",
    "suicide attack*", "suicide bombing*", "armed groups", "jihadist*", "attacks from",
    "attacks originating", "attacks launched from", "attacks emanating", "attacks planned",
)

#: Explicit link of hostilities to the ceasefire.
CEASEFIRE_LINK = (
    "violat* the ceasefire", "violat* the truce", "ceasefire violation*", "broke the ceasefire",
    "broken the ceasefire", "despite the ceasefire", "since the ceasefire", "despite the truce",
    "breach* the ceasefire", "ceasefire collapsed", "collapse of the ceasefire",
    "ceasefire failed", "open war", "first since the ceasefire",
)

#: Clause boundaries besides punctuation.
CLAUSE_WORDS = ("but", "while", "whereas", "although", "though", "however", "yet")

#: Government actors (for talks with a group).
GOVERNMENT = (
    "government", "govt", "officials", "official", "state", "authorities", "delegation",
    "federal", "provincial government", "security forces", "army", "military", "ministers",
    "minister",
)

#: Weak signals: they add to a sentence's score but never count on their own.
KIND_WEAK: dict[Kind, tuple[str, ...]] = {
    Kind.CEASEFIRE: ("hostilities", "border posts", "border outposts", "crumbled"),
    Kind.TALKS: (
        "deadlock*", "stalled", "stall", "on hold", "without progress", "without any progress",
        "no progress", "inconclusive*", "slow", "suspended",
    ),
    Kind.NO_TALKS: ("met representatives", "jirga"),
    Kind.NO_SANCTUARY: (
        "in Afghanistan", "inside Afghanistan", "presence", "support to", "support for",
        "footprint", "cross border terrorism", "cross border attacks", "shelter*", "cross from",
    ),
    Kind.INFORM: ("shared", "presented"),
    Kind.OTHER: (),
}
