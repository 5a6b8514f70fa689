"""The generic vocabulary of institution and instrument names in MGI reports (English; no proper names)."""

from __future__ import annotations

import re

# Words that end (head) the name of a body, and the class each gives.
ORG_HEADS = {
    "Ministry": "PublicBody", "Secretariat": "PublicBody", "Under-Secretariat": "PublicBody",
    "Office": "PublicBody", "Institute": "PublicBody", "Tribunal": "PublicBody", "Court": "PublicBody",
    "Procurator": "PublicBody", "Prosecutor": "PublicBody", "Ombudsman": "PublicBody", "Registry": "PublicBody",
    "Congress": "PublicBody", "Authority": "PublicBody", "Agency": "PublicBody", "Police": "PublicBody",
    "Municipality": "PublicBody", "Air Force": "PublicBody", "Refuge": "FormalOrganization",
    "Council": "CollegialBody", "Commission": "CollegialBody", "Committee": "CollegialBody",
    "Board": "CollegialBody", "Bodies": "CollegialBody",
    "Directorate": "Unit", "Directorate-General": "Unit", "Sub-directorate": "Unit", "Department": "Unit",
    "Unit": "Unit", "Units": "Unit", "Division": "Unit", "Directorates": "Unit", "Commissions": "Unit",
    "Working Group": "Unit",
    "Organization": "InternationalOrganisation", "Union": "InternationalOrganisation",
    "Network": "Forum", "Coalition": "Forum", "Conference": "Forum", "Platform": "Forum", "Forum": "Forum",
    "Integration System": "Forum", "Community": "Forum",
    "Mechanism": "Mechanism", "System": "Mechanism", "Centres": "Mechanism", "Councils": "Mechanism",
    "Association": "FormalOrganization", "Chamber": "PrivateSectorOrganisation", "Academy": "FormalOrganization",
    "Centre": "FormalOrganization",
}
# Names with these words are international bodies (IRI org/int/...).
INTERNATIONAL = re.compile(r"\b(International|United Nations|Regional|Ibero-American|Central American|Latin American|"
                           r"American States|European|Inter-American)\b")
# Document words heading an instrument's name: (document type slug, class).
DOC_HEADS = {
    "Constitution": ("constitution", "LegalInstrument"), "Code": ("code", "LegalInstrument"),
    "Law": ("law", "LegalInstrument"), "Regulations": ("regulation", "LegalInstrument"),
    "Policy": ("policy", "PolicyInstrument"), "Plan": ("plan", "PolicyInstrument"),
    "Strategy": ("strategy", "PolicyInstrument"), "Protocol": ("protocol", "PolicyInstrument"),
    "Guidelines": ("guidelines", "PolicyInstrument"), "Standards": ("standards", "PolicyInstrument"),
    "Instructions": ("instructions", "PolicyInstrument"), "Agenda": ("agenda", "Agreement"),
    "Agreement": ("agreement", "Agreement"), "Agreements": ("peace-agreement", "Agreement"),
    "Convention": ("convention", "Agreement"), "Compact": ("compact", "Agreement"),
    "Memorandum of Understanding": ("memorandum-of-understanding", "Agreement"),
    "Partnership": ("public-private-partnership", "Agreement"), "Framework": ("framework", "Agreement"),
}
NUMBERED_TYPES = {
    "legislative decree": "legislative-decree", "government agreement": "government-agreement",
    "ministerial agreement": "ministerial-agreement", "decree": "decree", "agreement": "agreement",
    "resolution": "regulation", "law": "law",
}
NUMBERED = re.compile(r"\b((?:Legislative |Government |Ministerial |Institutional )?(?:Decree|Agreement|Resolution|Law)"
                      r"\s+No\.\s*(\d+-(\d{2,4})))")
# Words that may join the capitalised words of a name.
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
CONNECTORS = {"of", "for", "the", "and", "against", "on", "to", "de", "del", "la", "y", "between", "with",
              "concerning", r"by(?=\s+[A-Z][a-z])", rf"of\s+\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}",
              r"in(?!\s+(?:the|January|February|March|April|May|June|July|August|September|October|November|December)\b)"}
# Capitalised words that start a sentence or a phrase rather than a name.
NOT_NAME = {"The", "In", "Since", "Through", "Under", "As", "With", "By", "For", "From", "And", "Of", "On", "At",
            "Besides", "Furthermore", "Moreover", "Likewise", "Also", "Created", "Both", "Each", "Its", "It", "This",
            "These", "Such", "There", "Thus", "However", "Although", "While", "When", "All", "Another", "Article",
            "During", "After", "Before", "Between", "Nationwide", "Accordingly", "Signed", "Available", "More",
            "Together", "Despite", "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"}
WORD = r"[A-ZÀ-Ý][\w’'\-–]*"
ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z0-9\-]*[A-Z0-9]s?$")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)\b")
