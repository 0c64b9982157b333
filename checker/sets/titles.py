"""Draft a question's title the way a person would write it: the key noun phrase of what the prompt asks.

A prompt asks in a few shapes, and each shape says where its subject is:

- a picture request, `Upload two screenshots of your model registry` -> `Model registry screenshots`;
- `how many`, `How many services did you deploy?` -> `Number of services`;
- a question to the group, `Did you use Docker for serving?` -> `Docker for serving`, where a verb that carries
  meaning stays as a gerund, `Did you manage to deploy your API?` -> `Deploying the API`;
- an instruction, `Explain how you versioned your data` -> `Versioning the data`, `Discuss the overall risks of
  the project` -> `Overall risks`;
- `what is`/`which ... does`, `What is the latency of your service?` -> `Latency of the service`;
- failing all of those, the subject of a statement, `Data drift is a real risk.` -> `Data drift`.

The phrase runs from the shape's object to the first word that cannot belong to a noun phrase (a verb, a
relative pronoun, a comma); a trailing `in your project` is dropped, since every question is about the project.
Words keep the prompt's spelling (`GCP`, `W&B`). When no shape fits, or what is left is no phrase a person
would keep, there is no draft (`None`): the question is left for a person to title, with a marker.
"""

from __future__ import annotations

import re

MAX_WORDS, MAX_CHARS = 7, 60

_TOKEN = re.compile(r"[A-Za-z0-9][\w'&+/.-]*[\w+]|[A-Za-z0-9]|[,;:?!()]")
_SENTENCE = re.compile(r"(?<=[.?!;])\s+|(?<=:)\s+")
_PARENTHESES = re.compile(r"\([^()]*\)")
# A leading condition is not what is asked: "If not, explain ..." asks the same as "Explain ...".
_CONDITION = re.compile(r"^(?:if|when|while|since|because|as|related to|in|for|with|apart from|besides)\b[^,]*,\s*",
                        re.IGNORECASE)

PICTURES = frozenset({"image", "images", "screenshot", "screenshots", "figure", "figures", "picture", "pictures",
                      "diagram", "diagrams", "plot", "plots", "graph", "graphs", "photo", "photos"})
ASK_PICTURE = frozenset({"insert", "upload", "include", "add", "attach", "show", "provide", "give", "paste"})
PICTURE_LINKS = frozenset({"of", "from", "showing", "that", "which", "where", "with", "illustrating", "describing"})
INSTRUCTIONS = frozenset({"explain", "describe", "discuss", "list", "state", "outline", "summarise", "summarize",
                          "present", "mention", "name", "show", "give", "report", "document", "elaborate",
                          "clarify", "specify", "detail", "reflect", "comment"})
AUXILIARIES = frozenset({"did", "do", "does", "have", "has", "had", "can", "could", "would", "will", "were", "are",
                         "was", "is", "should", "might"})
SUBJECTS = frozenset({"you", "we"})
WH = frozenset({"how", "why", "where", "when", "what", "which", "whether", "if"})
# Verbs that only carry the question (`did you use X`): the title is X. Others become a gerund.
LIGHT_VERBS = frozenset({"use", "used", "uses", "using", "implement", "implemented", "include", "included", "have",
                         "had", "make", "made", "perform", "performed", "do", "did", "done", "get", "got", "apply",
                         "applied", "utilize", "utilise", "utilized", "utilised", "employ", "employed", "add",
                         "added", "try", "tried", "need", "needed", "consider", "considered", "encounter",
                         "encountered", "face", "faced"})
# Said between the auxiliary and the verb: `did you end up using`, `did you manage to deploy`.
_LEAD_INS = (("end", "up"), ("manage", "to"), ("try", "to"), ("decide", "to"), ("choose", "to"), ("get", "to"),
             ("happen", "to"), ("make", "use", "of"), ("made", "use", "of"), ("also",), ("ever",), ("actually",))
DETERMINERS = frozenset({"a", "an", "the", "any", "all", "some", "your", "our", "their", "its", "each", "every",
                         "both", "you", "my", "his", "her", "few", "several", "many", "own", "other"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
POSSESSIVES = frozenset({"your", "our", "their", "its", "my", "his", "her", "you"})
ANAPHORS = frozenset({"this", "that", "these", "those", "it", "them", "they", "one", "ones", "such", "there",
                      "here", "which", "what", "who", "we", "i", "he", "she"})
PREPOSITIONS = frozenset({"of", "for", "in", "on", "with", "from", "across", "between", "to", "into", "behind",
                          "during", "within", "over", "under", "at", "via", "through", "by", "about", "against"})
CONNECTORS = frozenset({"and", "or", "&", "/"})
# Words that end a noun phrase: verbs, relative and subordinating words, negation, pronouns.
_BOUNDARIES = """
    that which who whom whose where when while such so if because since as than whether is are was were be been
    being can could would should will shall may might must do does did have has had not no you we they it i using
    used including included e.g i.e etc either neither how why what like then also please but yet although though
    instead especially preferably shortly briefly see help helps work works look looks make makes take takes get
    gets go went say says explain describe discuss show include upload insert list state mention tell give provide
    add think feel choose chose
"""
BOUNDARIES = frozenset(_BOUNDARIES.split())
# Objects so general that a phrase about them says nothing more: `in your project`, `of your code`.
GENERIC = frozenset({"project", "projects", "code", "codebase", "group", "team", "work", "course", "repository",
                     "repo", "report", "exam", "answer", "question", "questions", "case", "sentence", "sentences",
                     "words", "paragraph", "paragraphs", "detail", "details", "way", "ways", "terms"})
# Two-syllable verbs stressed on the end double their last letter: debug -> debugging.
_DOUBLING = frozenset({"debug", "commit", "submit", "admit", "refer", "prefer", "control", "occur", "begin",
                       "forget", "patrol", "permit", "omit", "regret", "transfer", "equip"})
_VOWELS = frozenset("aeiou")
_COUNT = re.compile(r"^\d+(?:[-\u2013]\d+)?$")
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "to", "up",
                           "at", "least", "most", "more", "than"})


def gerund(verb: str) -> str:
    """Return the -ing form of a verb given in its base or past form: manage/managed -> managing, run -> running."""
    word = verb.lower()
    if word.endswith("ing"):
        return word
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "ying"
    if word.endswith("eed"):
        return word[:-1] + "ing"
    if word.endswith("ed") and len(word) > 4:
        return word[:-2] + "ing"  # managed -> manag-ing, stopped -> stopp-ing: the past form kept the spelling
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    vowel_groups = len(re.findall(r"[aeiou]+", word))
    short = (len(word) >= 3 and word[-1] not in _VOWELS | set("wxy") and word[-2] in _VOWELS
             and word[-3] not in _VOWELS and vowel_groups == 1)
    if short or word in _DOUBLING:
        return word + word[-1] + "ing"
    return word + "ing"


def _starts(words: list[str], index: int, phrase: tuple[str, ...]) -> bool:
    return tuple(w.lower() for w in words[index : index + len(phrase)]) == phrase


def _skip_lead_ins(words: list[str], index: int) -> int:
    moved = True
    while moved:
        moved = False
        for phrase in _LEAD_INS:
            if _starts(words, index, phrase):
                index, moved = index + len(phrase), True
    return index


def noun_phrase(words: list[str], *, keep_article: bool = False, with_preposition: bool = True) -> list[str]:
    """Return the noun phrase `words` start with (possibly empty): up to a boundary, without a generic tail."""
    index = 0
    while index < len(words) and words[index].lower() in DETERMINERS:
        index += 1
    phrase: list[str] = []
    if keep_article and index:
        article = words[index - 1].lower()
        if article in ("a", "an", "the"):
            phrase.append(article)
        elif article in POSSESSIVES:
            phrase.append("the")
    while index < len(words):
        word, lower = words[index], words[index].lower()
        if not word[0].isalnum() or lower in BOUNDARIES:
            break
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if lower in CONNECTORS and following in INSTRUCTIONS | WH | AUXILIARIES | BOUNDARIES:
            break  # "... of your pipeline and explain ...": a second request, not more of the phrase
        if lower in ANAPHORS and not phrase:
            return []
        if lower in PREPOSITIONS:
            # One prepositional phrase at most, and none about the project as a whole.
            tail = noun_phrase(words[index + 1 :], keep_article=True, with_preposition=False)
            content = [w for w in tail if w.lower() not in ("a", "an", "the")]
            if with_preposition and phrase and content and not _generic(content[-1]):
                phrase += [word, *tail]
            break
        if lower in POSSESSIVES:
            word = "the"
        phrase.append(word)
        index += 1
    while phrase and (phrase[-1].lower() in CONNECTORS | DETERMINERS | PREPOSITIONS):
        phrase.pop()
    return _fit(phrase)


def _generic(word: str) -> bool:
    return any(part in GENERIC for part in word.lower().split("/"))


def _fit(phrase: list[str]) -> list[str]:
    """Shorten a phrase that is too long for a title by its prepositional phrase."""
    if len(phrase) > MAX_WORDS:
        cut = next((n for n, w in enumerate(phrase) if w.lower() in PREPOSITIONS), len(phrase))
        phrase = phrase[:cut]
    return phrase


def _acceptable(phrase: list[str]) -> bool:
    content = [w for w in phrase if w.lower() not in DETERMINERS | PREPOSITIONS | CONNECTORS]
    if not content or all(w.lower().endswith("ly") for w in content):
        return False
    return len(phrase) <= MAX_WORDS


def _title(words: list[str]) -> str | None:
    if not words:
        return None
    text = " ".join(words).replace(" /", "/").replace("/ ", "/")
    if len(text) > MAX_CHARS:
        return None
    first = words[0]
    if first.islower() or (first[:1].isupper() and first[1:].islower()):
        text = text[0].upper() + text[1:]
    return text


def _after_verb(words: list[str], index: int) -> list[str] | None:
    """Title the object of the verb at `index`: a light verb gives way to its object, another becomes a gerund."""
    index = _skip_lead_ins(words, index)
    light = index > 0 and (_starts(words, index - 3, ("make", "use", "of")) or
                           _starts(words, index - 3, ("made", "use", "of")))
    if index >= len(words) or not words[index][0].isalpha():
        return None
    if light:
        phrase = noun_phrase(words[index:])
        return phrase if _acceptable(phrase) else None
    verb = words[index]
    if verb.lower() in LIGHT_VERBS:
        phrase = noun_phrase(words[index + 1 :])
        return phrase if _acceptable(phrase) else None
    if verb.lower() in BOUNDARIES | DETERMINERS | PREPOSITIONS | ANAPHORS | WH:
        return None
    phrase = noun_phrase(words[index + 1 :], keep_article=True)
    if not _acceptable(phrase):
        return None
    return [gerund(verb), *phrase]


def _picture(words: list[str]) -> list[str] | None:
    """Title a picture request by what it shows: `Upload two screenshots of your registry` -> `Registry screenshots`."""
    for index, word in enumerate(words):
        if word.lower() not in ASK_PICTURE:
            continue
        for offset in range(index + 1, min(index + 7, len(words))):
            if words[offset].lower() in PICTURES and offset + 1 < len(words):
                link = words[offset + 1].lower()
                if link not in PICTURE_LINKS:
                    break
                rest = words[offset + 2 :]
                if link in ("that", "which"):  # "that show(s) the ...": skip the verb
                    rest = rest[1:]
                phrase = noun_phrase(rest, with_preposition=False)
                # Words before the picture that are not a count or an article describe it: "orchestration graph".
                kind = [w for w in words[index + 1 : offset + 1]
                        if not _COUNT.match(w) and w.lower() not in DETERMINERS | CONNECTORS | _NUMBER_WORDS]
                if _acceptable(phrase) and all(w[0].isalnum() for w in kind):
                    return [*phrase, *(w.lower() if w.istitle() else w for w in kind)]
                break
    return None


def _how_many(words: list[str]) -> list[str] | None:
    for index in range(len(words) - 2):
        if _starts(words, index, ("how", "many")) or _starts(words, index, ("how", "much")):
            phrase = noun_phrase(words[index + 2 :])
            if _acceptable(phrase) and len(phrase) <= 3:
                return ["Number" if words[index + 1].lower() == "many" else "Amount", "of", *phrase]
    return None


def _asked(words: list[str]) -> list[str] | None:
    """Title a question to the group (`did you X`) or an instruction (`explain how you X`, `describe the X`)."""
    lowered = [w.lower() for w in words]
    for index, word in enumerate(lowered[:-1]):
        if word in AUXILIARIES and lowered[index + 1] in SUBJECTS:
            found = _after_verb(words, index + 2)
            if found:
                return found
        if word in AUXILIARIES and lowered[index + 1 : index + 3] in (["your", "team"], ["your", "group"]):
            found = _after_verb(words, index + 3)
            if found:
                return found
        if word in WH and lowered[index + 1] in SUBJECTS and (index == 0 or lowered[index - 1] in INSTRUCTIONS):
            found = _after_verb(words, index + 2)
            if found:
                return found
    if lowered and lowered[0] in INSTRUCTIONS:
        rest = 1
        if _starts(words, 1, ("us",)) or _starts(words, 1, ("to", "us")):
            rest = 2 if lowered[1] == "us" else 3
        if _starts(words, rest, ("about",)):
            rest += 1
        if rest < len(words) and lowered[rest] in WH:
            rest += 1
        phrase = noun_phrase(words[rest:])
        if _acceptable(phrase):
            return phrase
    if len(lowered) > 1 and lowered[0] == "why" and lowered[1] not in AUXILIARIES:
        # "Why this design?": a bare phrase, whose `this` points at nothing before it.
        rest = 2 if lowered[1] in DEMONSTRATIVES else 1
        phrase = noun_phrase(words[rest:])
        if _acceptable(phrase):
            return phrase
    if len(lowered) > 2 and lowered[0] in ("what", "which") and lowered[1] in ("is", "are", "was", "were"):
        phrase = noun_phrase(words[2:])
        if _acceptable(phrase):
            return phrase
    if len(lowered) > 2 and lowered[0] in ("what", "which"):
        phrase = noun_phrase(words[1:])
        after = len(phrase) + 1
        if _acceptable(phrase) and after < len(lowered) and lowered[after] in AUXILIARIES:
            return phrase
    return None


def _subject(words: list[str]) -> list[str] | None:
    """Title a statement by its subject: `Data drift is a real risk` -> `Data drift`."""
    if not words or words[0].lower() in ANAPHORS | SUBJECTS | WH:
        return None
    phrase = noun_phrase(words)
    after = len(phrase) + sum(1 for w in words[: len(phrase)] if w.lower() in DETERMINERS)
    if _acceptable(phrase) and after < len(words) and words[after].lower() in ("is", "are", "was", "were"):
        return phrase
    return None


def sentences(text: str) -> list[list[str]]:
    """Split a prompt into sentences of tokens, without parentheses and leading conditions."""
    while _PARENTHESES.search(text):
        text = _PARENTHESES.sub(" ", text)
    found = []
    for sentence in _SENTENCE.split(text):
        tokens = _TOKEN.findall(_CONDITION.sub("", sentence.strip()))
        if tokens:
            found.append(tokens)
    return found


def draft_title(text: str) -> str | None:
    """Return a title drafted from what the prompt asks, or None when a person should write it."""
    parts = sentences(text)
    for shape in (_picture, _how_many, _asked):
        for words in parts:
            # Clauses after a comma are tried too: "When X happens, how did you Y?"
            starts = [0] + [n + 1 for n, w in enumerate(words) if w in (",", ";")]
            for start in starts:
                found = shape(words[start:])
                if found:
                    return _title(found)
    for words in parts:
        found = _subject(words)
        if found:
            return _title(found)
    return None
