"""Shared vocabulary: the entities outlets name, the event words per kind, and guard cues.

The watchlist's ``entities:`` section adds to or extends the entities.  Every
phrase is matched case-insensitively on whole words; a trailing ``*`` matches
any ending and a space also matches a hyphen (see ``monitor.text``).
"""

from __future__ import annotations

from dataclasses import dataclass

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
                "Asim Munir", "Foreign Office", "FO spokesperson", "Mohsin Naqvi", "Naqvi",
                "Attaullah Tarar", "Tahir Andrabi", "Ahmed Sharif Chaudhry", "Pak",
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
                "Mullah Yaqoob", "Amir Khan Muttaqi", "Hamdullah Fitrat", "Nangarhar",
            ),
        ),
        Entity(
            "ttp",
            "Tehrik-i-Taliban Pakistan (TTP)",
            (
                "TTP", "Tehrik-i-Taliban Pakistan", "Tehreek-e-Taliban Pakistan",
                "Tehrik-e-Taliban Pakistan", "Pakistani Taliban", "Fitna al-Khawarij",
                "Fitna al Khawarij", "Fitnah al-Khawarij", "Khawarij", "khwarij",
                "Pakistani fighters", "Pakistani militants", "muhajireen", "Waziristan migrants",
            ),
        ),
        Entity("turkey", "Türkiye", ("Turkey", "Türkiye", "Turkiye", "Turkish", "Ankara",
                                       "Hakan Fidan", "Erdogan")),
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
                # Frontier districts and crossings (Pakistani side, then Afghan side).
                "Chitral", "Arandu", "Upper Dir", "Lower Dir", "Mohmand", "Khyber district",
                "Landi Kotal", "Parachinar", "Kharlachi", "Zhob", "Qamar Din Karez",
                "Killa Saifullah", "Qila Saifullah", "Killa Abdullah", "Qila Abdullah", "Noshki",
                "Chagai", "Badini", "Gursal", "Nawa Pass", "Dand e Patan", "Dand Patan",
                "Zazai Maidan", "Barmal", "Gurbuz", "Dangam", "Shorabak", "Lalpura", "Goshta",
                "Nazyan",
            ),
        ),
    )
}


# --- Shared event vocabulary per kind -------------------------------------------------------
# Phrases use the watchlist syntax: case-insensitive, whole words, a trailing ``*`` matches any
# ending, a space also matches a hyphen ("cross border" matches "cross-border").

#: The names of a ceasefire (what "holds", "collapses" or "is extended").
CEASEFIRE_NOUNS = (
    "ceasefire*", "cease fire*", "truce*", "armistice", "Doha agreement", "Doha accord",
    "Doha understanding",
)
#: The names of a round of talks (what "collapses", "stalls" or "agrees" on something).
TALK_NOUNS = (
    "talks", "negotiation*", "dialogue", "round", "process", "meeting", "session*",
    "discussions", "parleys", "mediation", "track", "peace push", "initiative", "mechanism",
)
#: Places on the Afghan side (where a group can be sheltered or act from).
AFGHAN_PLACES = (
    "in Afghanistan", "inside Afghanistan", "from Afghanistan", "within Afghanistan",
    "Afghanistan s", "Afghan soil", "Afghan territory", "Afghan province*", "across the border",
    "Kunar", "Nangarhar", "Khost", "Paktika", "Kandahar", "Kabul", "Ghazni", "Logar", "Nuristan",
    "Helmand", "Zabul",
)
#: What a group does, or keeps, somewhere: the specific part of a sanctuary claim.  Bare
#: states ("is based in", "operates from") are the wording of standing accusations: weak.
GROUP_PRESENCE = (
    "commander*", "leadership", "leaders", "handler*", "camp*", "training", "hideout*",
    "sanctuar*", "safe haven*", "haven*", "headquarter*", "planned", "plotted", "directed",
    "orchestrated", "masterminded", "launched", "hiding", "crossed", "came", "trained",
)


#: Named places on the frontier (not the border in general): where an incident happens.
FRONTIER_PLACES = (
    "Chaman", "Spin Boldak", "Torkham", "Kurram", "Bajaur", "Khost", "Paktika", "Kunar",
    "Angoor Adda", "Ghulam Khan", "Chitral", "Arandu", "Mohmand", "Zhob", "Qamar Din Karez",
    "Parachinar", "Kharlachi", "Badini", "Gursal", "Nawa Pass", "Dand e Patan", "Dand Patan",
    "Zazai Maidan", "Barmal", "Gurbuz", "Dangam", "Shorabak", "Lalpura", "Goshta", "Nazyan",
)

#: Words that make someone the group's proxy ("elders linked to the TTP"): contact with them
#: is contact with the group.
PROXY = ("linked to", "close to", "affiliated with", "associated with", "representing",
         "on behalf of", "aligned with")

#: Meeting or contact with someone (its object follows): "met", "held meetings with".
CONTACT_VERBS = (
    "met", "meet", "meets", "meeting with", "meetings with", "met with", "contact with",
    "contacts with", "in contact with", "talking to", "talked to", "held talks with",
    "negotiating with", "negotiated with", "engaged with", "engaging with",
    "channel to", "channel with", "reached out to", "sat down with",
)
#: Words that end the object of a contact verb ("met *to* discuss", "a meeting *on* the TTP").
CONTACT_BARRIERS = (
    "to", "on", "about", "against", "over", "regarding", "after", "amid", "and", "discuss",
    "review", "said", "says", "with", "for",
)

#: The mediators, by name or role.
MEDIATORS = (
    "@turkey", "@qatar", "mediator*", "guarantor*", "hosts", "friendly countries",
    "brotherly countries", "friendly nations", "brotherly nations",
)


@dataclass(frozen=True)
class Pair:
    """A signal made of two cues in one clause, at most ``window`` words apart.

    ``first`` and ``second`` are phrases; ``@id`` stands for a mention of an entity.
    When ``ordered``, ``first`` comes before ``second``; otherwise either order.
    A ``weak`` pair adds to a sentence's score but never counts on its own.
    When ``subject_first``, ``first`` names the thing and ``second`` says what happened to
    it, so cues before ``second`` govern the signal too ("the talks appeared close to
    collapse").
    """

    label: str  # "breach" or "met"
    name: str  # shown as the signal that fired
    first: tuple[str, ...]
    second: tuple[str, ...]
    window: int
    ordered: bool = True
    subject_first: bool = False
    weak: bool = False  # adds to a sentence's score but never counts on its own
    #: Words that may not stand between the two cues ("met *to discuss* the TTP threat").
    barrier: tuple[str, ...] = ()
    #: ``second`` is a bare participle: after a definite noun phrase with no auxiliary it
    #: names a known thing, not an event ("*the* mechanism agreed in Istanbul has not met").
    participle: bool = False


#: Two-cue signals per kind: the event word must be about the right thing ("the truce ...
#: extended", not "talks extended"; "talks ... failed", not "a military approach failed").
KIND_PAIRS: dict[Kind, tuple[Pair, ...]] = {
    Kind.CEASEFIRE: (
        Pair("met", "ceasefire holds", CEASEFIRE_NOUNS,
             ("hold", "holds", "held", "holding", "intact", "remain* in place",
              "remain* in force", "remains", "continue", "continues", "continued"), 6,
             subject_first=True),
        Pair("met", "ceasefire continued or extended",
             ("continu*", "extend*", "extension", "maintain*", "keep", "keeps", "kept",
              "uphold*", "upheld", "reaffirm*", "renew*", "preserv*", "abide by", "stick to",
              "committed to", "commitment to", "adhere to", "adhering to"),
             CEASEFIRE_NOUNS, 4),
        Pair("met", "no hostilities reported",
             ("no", "no new", "no fresh", "no further", "not a single", "without any", "zero"),
             ("firing", "fire", "shot", "shots", "clash*", "incident*", "violation*", "shelling",
              "skirmish*", "exchange of fire", "attack*", "strike*"), 1),
        Pair("breach", "ceasefire collapsed",
             CEASEFIRE_NOUNS,
             ("crumbl*", "collaps*", "failed", "broke down", "broken down", "fell apart",
              "falls apart", "in tatters", "shattered", "unravel*", "broken"), 6,
             subject_first=True),
        # "Violations of the ceasefire" alone names no incident (a complaint, weak); an
        # airspace violation is an act.
        Pair("breach", "airspace violated",
             ("violated", "violates", "violating", "breached", "intruded"), ("airspace",), 3),
        Pair("breach", "ceasefire broken",
             ("broke", "broken", "shattered", "collapse of", "end of"), CEASEFIRE_NOUNS, 3),
        Pair("breach", "posts attacked",
             ("target*", "attacked", "attacking", "fired on", "fired at", "hit", "struck"),
             ("border post*", "post", "posts", "outpost*", "check post*", "checkpost*"), 3),
        # "Violations" names an incident when it names where it happened.
        Pair("breach", "violations at a named place", ("violation*", "violated", "breach*"),
             FRONTIER_PLACES, 8, ordered=False),
    ),
    Kind.TALKS: (
        Pair("breach", "talks failed", TALK_NOUNS,
             ("collaps*", "fail*", "broke down", "break down", "breakdown", "cancel*",
              "called off", "postpone*", "deadlock*", "stall*", "impasse", "stuck", "unravel*",
              "derail*", "suspended", "on hold", "no agreement", "no deal", "without agreement",
              "without a deal", "on pause", "paused", "frozen", "froze", "ran aground",
              "run aground", "stopped", "halted", "in limbo", "stalemate", "yet to convene",
              "yet to meet", "yet to hold", "not convened", "not met", "not functional",
              "non functional", "only on paper", "never met", "never convened"), 6,
             subject_first=True),
        Pair("breach", "talks failed",
             ("collapse of", "failure of", "breakdown of", "breakdown in", "suspension of",
              "blocking", "blocked", "obstruct*", "sabotag*", "boycott*"),
             TALK_NOUNS, 1),
        Pair("breach", "failed talks (a state, not an event)",
             ("failed", "collapsed", "stalled", "deadlocked", "cancelled", "postponed"),
             TALK_NOUNS, 1, weak=True),
        Pair("met", "mechanism agreed",
             ("agree*", "set up", "establish*", "put in place", "finalis*", "finaliz*",
              "create", "created", "form", "formed", "deal on", "accord on"),
             ("mechanism", "mechanisms", "monitoring", "verification"), 8),
        Pair("met", "mechanism agreed", ("mechanism",), ("agreed", "was agreed"), 1,
             subject_first=True, participle=True),
        Pair("met", "mechanism agreed", ("mechanism", "mechanisms"),
             ("put in place", "set up", "established", "finalised", "finalized", "created",
              "formed", "agreed upon", "agreed on", "approved"), 3,
             subject_first=True, participle=True),
    ),
    Kind.NO_TALKS: (
        Pair("met", "talks ruled out",
             ("rule out", "rules out", "ruled out", "ruling out", "reject*", "refus*",
              "no question of", "no", "never", "closed", "oppose*", "turned down", "rebuff*"),
             (*TALK_NOUNS, "negotiat*", "talking"), 4),
        Pair("met", "will not talk",
             ("not", "never", "no longer"),
             ("talk", "negotiate", "negotiated", "engage", "engaged", "hold talks", "sit"), 2),
        Pair("breach", "met the group",
             CONTACT_VERBS, ("@ttp",), 5, barrier=CONTACT_BARRIERS),
    ),
    Kind.NO_SANCTUARY: (
        Pair("breach", "group present or acting in Afghanistan", GROUP_PRESENCE, AFGHAN_PLACES,
             8, ordered=False),
        Pair("met", "weapons taken from the group", ("collect*", "confiscat*"),
             ("weapons", "arms", "ammunition", "weapons stocks"), 3, ordered=False),
        Pair("met", "ordered out",
             ("order*", "instructed", "directed", "forced", "told"),
             ("to leave", "to move", "to relocate", "to vacate", "out of"), 4),
    ),
    Kind.INFORM: (
        Pair("met", "told the mediators",
             ("inform", "informs", "informed", "informing", "brief", "briefs", "briefed",
              "briefing", "told", "tells", "tell", "apprised", "pressed", "presses", "summoned",
              "approached", "wrote to"), MEDIATORS, 4),
        Pair("met", "gave the mediators evidence",
             ("shared", "shares", "share", "raised", "raises", "raise", "presented", "presents",
              "handed", "hands", "gave", "gives", "provided", "provides", "conveyed", "conveys",
              "lodged", "lodges", "complain*", "took up", "takes up", "taken up", "submitted",
              "delivered", "sent"), MEDIATORS, 20),
    ),
    Kind.OTHER: (),
}

#: Words that make a sentence about the kind of commitment (added to the commitment's topics).
KIND_TOPICS: dict[Kind, tuple[str, ...]] = {
    Kind.CEASEFIRE: (
        *CEASEFIRE_NOUNS, "border", "borders", "Durand Line", "frontier", "hostilities",
    ),
    Kind.TALKS: (
        "talks", "negotiation*", "dialogue", "round of talks", "peace talks", "peace process",
        "mediation", "discussions", "meeting", "session", "Istanbul process", "parleys",
        "mechanism",
    ),
    Kind.NO_TALKS: ("talks", "negotiat*", "dialogue", "engage*", "jirga", "peace deal", "talk",
                    *CONTACT_VERBS, "meeting*", "contacts", "emissar*", "back channel*",
                    "backchannel*"),
    Kind.NO_SANCTUARY: (
        "sanctuar*", "safe haven*", "hideout*", "Afghan soil", "Afghan territory",
        "soil", "territory", "cross border terrorism", "cross border militancy",
    ),
    Kind.INFORM: (
        "mediator*", "mediation", "friendly countries", "friendly nations", "brotherly",
        "violation*", "evidence", "incident*", "complaint*", "dossier", "proof", "details",
        "firing", "attacks", "infiltration",
    ),
    Kind.OTHER: (),
}

#: Shared breach vocabulary per kind (single phrases; see also ``KIND_PAIRS``).
KIND_BREACH: dict[Kind, tuple[str, ...]] = {
    Kind.CEASEFIRE: (
        "clash*", "skirmish*", "shelling", "shelled", "artillery fire", "artillery shell*",
        "artillery attack*", "mortar fire", "mortar shell*", "mortar attack*", "mortar round*",
        "fired mortar*", "mortars were fired", "mortars land*", "mortars fell", "mortars hit",
        "shells land*", "shells fell", "airstrike*",
        "air strike*", "air raid*", "aerial strike*", "aerial bombardment", "drone strike*",
        "drone attack*", "bombed", "bombing*", "bombard*", "opened fire", "opening fire",
        "open fire", "exchange of fire", "exchanges of fire", "exchanged fire",
        "exchanging fire", "exchange fire", "traded fire", "trading fire", "cross border fire",
        "cross border firing", "unprovoked fire", "unprovoked firing", "gunfire", "heavy fire",
        "heavy firing", "firing", "retaliatory attack*", "retaliatory strike*",
        "retaliatory fire", "retaliatory operation*", "strikes", "struck", "fighting",
        "shells fired", "fired shells", "covering fire", "cover of fire",
        "flare up*", "hostilities", "violat*", "breach*", "border posts", "border outposts",
    ),
    Kind.TALKS: (
        "ended without", "ends without", "end without", "ending without", "concluded without",
        "without agreement", "without an agreement", "without any agreement",
        "without a breakthrough", "without any breakthrough", "no breakthrough",
        "without progress", "without any progress", "no progress", "walked out",
        "failed to reach", "fail to reach", "failed to produce", "failed to agree",
        "inconclusive*",
    ),
    Kind.NO_TALKS: (
        "held talks", "holding talks", "hold talks", "opened talks", "talks with the TTP",
        "talks with TTP", "negotiations with the TTP", "negotiating with the TTP",
        "dialogue with the TTP", "backchannel", "back channel", "peace deal with",
        "met representatives", "engag* with the TTP", "contacts with the TTP", "jirga",
    ),
    Kind.NO_SANCTUARY: (
        "from Afghan soil", "from Afghan territory", "operating from", "operate from",
        "operates from", "based in Afghanistan", "launched from", "planned in Afghanistan",
        "emanating from", "originating from", "using Afghan soil", "crossed from",
        "crossed into Pakistan", "infiltrat*", "harbo*", "from Afghanistan",
    ),
    Kind.INFORM: (),
    Kind.OTHER: (),
}

#: Shared met vocabulary per kind (single phrases; see also ``KIND_PAIRS``).
KIND_MET: dict[Kind, tuple[str, ...]] = {
    Kind.CEASEFIRE: (
        "largely held", "holding up", "being observed", "observing the ceasefire",
        "remained calm", "remains calm", "remain calm", "remained quiet", "remains quiet",
        "calm along the border", "relative calm", "quiet along the border", "falls quiet",
        "fell quiet", "fallen quiet", "calm returned", "quiet returned",
    ),
    Kind.TALKS: (
        "monitoring mechanism", "verification mechanism", "monitoring and verification",
        "joint statement", "talks were held", "talks concluded", "agreement reached",
    ),
    Kind.NO_TALKS: (
        "no talks", "rule out", "ruled out", "rules out", "will not negotiate",
        "not negotiate", "no negotiations", "no dialogue", "no justification to engage",
    ),
    Kind.NO_SANCTUARY: (
        "arrest*", "detain*", "detention*", "relocat*", "crack* down", "crackdown", "disarm*",
        "handed over", "expel*", "action against the TTP", "away from the border",
        "away from border", "from border areas", "raids on", "shift*", "pulled back",
        "pull back", "moved away", "hand over their weapons", "weapons handed over", "raid",
        "raids", "raided", "far from the border", "away from the frontier", "were moved",
        "was moved", "been moved", "being moved", "moved from", "moved out",
    ),
    Kind.INFORM: (),
    Kind.OTHER: (),
}

# --- Guards -----------------------------------------------------------------------------------
# Each guard is a list of cue phrases; match.py decides the scope (clause, window, sentence).

#: Negation before a signal (a few words, same clause) or "not" just after it.
NEGATION = (
    "no", "not", "never", "without", "nor", "none", "neither", "no longer", "free of",
    "zero", "absence of", "nothing",
)

#: The end of hostilities ("ending a week of fighting"): not a new clash.
CESSATION = (
    "ending", "ended", "end to", "end of", "halt to", "halted", "stop to", "cessation of",
    "pause in", "lull in",
)

#: Talks taken up again ("reviving a process that had stalled"): not a failure.
RESUMPTION = (
    "reviv*", "resum*", "restart*", "back on track", "unblock*", "broke the deadlock",
    "break the deadlock", "broken the deadlock", "ended the deadlock", "after stalling",
)

#: A denial of someone's claim: what follows is the claim, reported (a contested claim).
CLAIM_NOUNS = ("claim", "claims", "report", "reports", "allegation*", "accusation*", "charge*")

#: Denials and refusals, before the signal in its clause.
DENIAL = (
    "deny", "denies", "denied", "denial*", "denying", "reject*", "dismiss*", "refut*",
    "rebuff*", "baseless", "unfounded", "false claims", "rule out", "rules out", "ruled out",
    "ruling out", "no question of", "disown*", "repudiat*", "distanced itself from",
)

#: Cues that turn a denial into a finding ("that claim is not credible").
COUNTER_DENIAL = ("not credible", "contradict*", "despite")

#: Neither confirming nor denying: a hedge, not a negation or a denial.
NONCOMMITTAL = (
    "neither confirm*", "neither confirmed nor denied", "neither confirms nor denies",
    "neither confirm nor deny", "not confirm or deny", "not confirmed or denied",
    "nor denied", "nor denies", "nor deny",
)

#: Hedges: lower the score.
HEDGE = (
    "allegedly", "alleged", "reportedly", "purportedly", "unconfirmed", "unverified",
    "rumour*", "rumor*", "speculat*", "may have", "might have", "apparently",
    "what it calls", "what it called", "what they call", "what it describes as", "so called",
    *NONCOMMITTAL,
)

#: Conditionals: the signal sits in a hypothetical clause.
CONDITIONAL = (
    "if", "unless", "as long as", "in case", "in the event", "provided that", "whether",
    "so long as", "only if", "any", "found to have", "whichever",
)

#: Modal or future verbs just before the signal.
MODAL = (
    "will", "would", "could", "may", "might", "can", "shall", "likely to", "risk*", "fear*",
    "going to", "set to", "due to", "close to", "brink of", "verge of",
)

#: Intent, demand, promise and threat: what should or could happen, not what did.
IRREALIS = (
    "must", "should", "demand*", "urg*", "propos*", "asked", "ask*", "called on", "called for",
    "call for", "calls for", "calling for", "calling on", "aim*", "seek*", "sought",
    "to prevent", "to end", "to curb",
    "to eliminate", "to stop", "to ensure", "to address", "to tackle", "to establish",
    "to agree", "to decide", "to monitor", "ensure", "efforts to", "in order to", "promis*",
    "commit to", "commits to", "committed to", "committing to", "commitment*",
    "committed itself", "committed themselves", "assur*", "hope*", "expect*", "plans to",
    "plan to", "planning to",
    "intend*", "ready to", "willing to", "discuss*", "deliberat*", "forming", "explor*",
    "consider*", "tolerat*", "insist*", "wants", "want", "prevent", "avert*", "avoid*",
    "dangers of", "potential", "possible", "possibility", "guarantee*", "pressed", "pressing",
    "pushed", "pushing",
)

#: Attempts: trying to keep or reach something is not having it (met only: an attempt to
#: infiltrate or attack is itself a hostile act).
ATTEMPT = ("trying to", "try to", "tries to", "tried to", "attempt to", "attempts to",
           "attempting to", "effort to", "bid to", "struggling to", "struggle to")

#: Threats, warnings and pledges: anywhere before the signal in the sentence.
THREAT = (
    "threaten*", "warned", "warns", "warning that", "vowed", "vows", "pledged", "pledges",
    "option of", "ultimatum", "or face",
)

#: Background narrative: what led up to the present (a few words before the signal).
BACKGROUND = (
    "earlier this month", "earlier this year", "last month", "last year", "in early",
    "triggered", "led to", "sparked", "preceded", "previous", "earlier round", "previously",
    "in the past", "history of", "since the", "had been", "recent", "after a week of",
    "after weeks of", "after days of", "after months of",
)

#: Background cues for hostilities only ("trade resumed after the clashes"), unless the
#: signal is marked as new ("after renewed firing").
BACKGROUND_HOSTILITIES = ("after", "following", "earlier", "previously", "before", "follows",
                          "followed", "comes after", "came after")
CURRENT = ("renewed", "fresh", "new", "latest", "overnight", "again")

#: Background cues that name a time: they apply to their own clause, and not when the time
#: they name falls wholly after the commitment took effect.
DATED_BACKGROUND = ("earlier this month", "earlier this year", "last month", "last year")

#: Background phrases that mark the whole sentence as background.
BACKGROUND_ANYWHERE = (
    "earlier this month", "earlier this year", "last month", "last year", "recently been",
    "in recent weeks", "in recent months", "plagued by", "in the past", "remember*",
    "recall*", "anniversary", "a month on", "a year on", "looking back", "timeline",
    "explainer", "on this day", "this day last year", "year ender", "year in review",
)

#: Phrases that hide the signals inside them ("informed sources" is not informing anyone).
MASK = (
    "informed sources", "well informed", "information minister", "minister of information",
    "ministry of information", "information and broadcasting", "information ministry",
    "sources informed", "reports from", "report from", "the agreed", "ceasefire talks",
    "truce talks", "ceasefire negotiations",
)

#: A line that starts with one of these links to another story: it is not judged.
LINK_LINES = ("also read", "read more", "read also", "see also", "related", "watch", "listen")

#: Generic, long-running accusations (background, not a current specific claim).
GENERIC = (
    "long", "repeatedly", "frequently", "often", "routinely", "for years", "consistently",
    "persistent*", "track record", "regularly", "a pattern", "the pattern",
)

#: Standing accusations ("Islamabad accuses Kabul of ...", "a charge Kabul denies").
ACCUSATION = (
    "has accused", "have accused", "continues to accuse", "a charge", "an accusation",
    "accusations", "blames", "accuses", "says the group", "claims the group",
)

#: Specific, current evidence: raise the score of a sanctuary or ceasefire sentence.
SPECIFIC = (
    "report", "reports", "findings", "evidence", "confirmed", "found", "intelligence",
    "UN", "United Nations", "Security Council", "monitoring team", "killed", "this week",
    "on monday", "on tuesday", "on wednesday", "on thursday", "on friday", "on saturday",
    "on sunday", "overnight", "latest", "fresh", "new", "renewed",
)

#: Generic words for militants (a stand-in for the named group).
MILITANT = (
    "militant*", "terrorist*", "terrorism", "insurgent*", "infiltrator*", "suicide bomber*",
    "suicide attack*", "suicide bombing*", "armed groups", "jihadist*", "bombers", "attackers",
)
#: Entities that are armed groups (their clashes with troops are not between the parties).
MILITANT_GROUPS = ("ttp",)

#: Words after hostilities that place them before the ceasefire ("fighting that ended with a
#: ceasefire", "strikes before a truce was agreed"), when a ceasefire noun follows closely.
PRIOR_TO = (
    "before", "until", "till", "prior to", "ended with", "ended in", "ending with",
    "gave way to", "giving way to", "led to", "leading to", "culminated in", "preceded",
    "prompted", "paved the way for", "ahead of", "halted by", "stopped by",
)

#: Explicit link of hostilities to the ceasefire.
CEASEFIRE_LINK = (
    "violat* the ceasefire", "violat* the truce", "ceasefire violation*", "broke the ceasefire",
    "broken the ceasefire", "despite the ceasefire", "since the ceasefire", "despite the truce",
    "breach* the ceasefire", "ceasefire collapsed", "collapse of the ceasefire",
    "ceasefire failed", "first since the ceasefire", "since the truce", "after the ceasefire",
    "after the truce",
)

#: Cities that host talks: a round of talks is named by where it is held.  A commitment's
#: own venues are those its statement, title or topics name.
VENUES = (
    "Istanbul", "Ankara", "Antalya", "Doha", "Riyadh", "Jeddah", "Tehran", "Moscow", "Beijing",
    "Tianjin", "Urumqi", "Tashkent", "Dubai", "Abu Dhabi", "Muscat", "Geneva", "Oslo", "Almaty",
    "Astana", "Baku", "Yerevan", "Cairo", "Vienna", "Washington", "Kuwait City", "Manama",
)

#: The parties of other conflicts and talks that use the same words (a sentence about them
#: borrows nothing from an article's Pakistan-Afghanistan context).
OTHER_PARTIES = (
    "Armenia", "Armenian*", "Azerbaijan", "Azerbaijani*", "Baku", "Yerevan", "Israel",
    "Israeli*", "Hamas", "Gaza", "Lebanon", "Lebanese", "Hezbollah", "Russia", "Russian*",
    "Ukraine", "Ukrainian*", "Kyiv", "Kremlin", "Sudan", "Sudanese", "RSF", "Yemen",
    "Yemeni*", "Houthi*", "Thailand", "Thai", "Cambodia", "Cambodian*", "Tajikistan", "Tajik*",
    "Syria", "Syrian*", "Congo", "Rwanda", "Iran", "Iranian*",
)

#: Reactions to someone else's act ("Pakistan welcomed the arrest"): who reacts does not act.
REACTION_VERBS = ("welcome*", "hail*", "prais*", "lauded", "lauds", "appreciat*", "noted",
                  "notes", "took note", "takes note", "reacted", "reacts")

#: Verbs of speaking (who says something names its source).
SPEECH_VERBS = (
    "said", "says", "say", "told", "stated", "claimed", "claims", "announced", "denied",
    "denies", "spokesman", "spokesperson", "statement",
)

#: Clause boundaries besides punctuation.
CLAUSE_WORDS = (
    "but", "while", "whereas", "although", "though", "however", "yet", "after", "amid",
    "following", "when", "as", "because", "and said", "saying", "adding", "reaffirming",
    "reiterating", "insisting", "stressing",
)

#: Government actors (for talks with a group).
GOVERNMENT = (
    "government", "govt", "officials", "official", "state", "authorities", "delegation",
    "federal", "provincial government", "security forces", "army", "military", "ministers",
    "minister", "spokesperson", "spokesman", "emissar*", "envoy*", "intermediar*",
    "interlocutor*", "go between*", "centre", "ministry",
)

#: Weak signals: they add to a sentence's score but never count on their own.
KIND_WEAK: dict[Kind, tuple[str, ...]] = {
    Kind.CEASEFIRE: ("hostilities", "border posts", "border outposts", "violat*", "breach*"),
    # The mechanism named is not the mechanism agreed ("the mechanism agreed in Istanbul has
    # not met"): only an agreement on it ("mechanism agreed") is met evidence.
    Kind.TALKS: ("without progress", "without any progress", "no progress", "inconclusive*",
                 "joint statement", "talks were held", "talks concluded", "agreement reached",
                 "monitoring mechanism", "verification mechanism", "monitoring and verification"),
    # Bare noun phrases name the idea (advocated, denied), not an event: weak.
    Kind.NO_TALKS: ("met representatives", "jirga", "talks with the TTP", "talks with TTP",
                    "negotiations with the TTP", "dialogue with the TTP"),
    Kind.NO_SANCTUARY: (
        "harbo*", "from Afghanistan", "shift*", "based in Afghanistan", "operating from",
        "operates from", "operate from",
    ),
    Kind.INFORM: (),
    Kind.OTHER: (),
}
