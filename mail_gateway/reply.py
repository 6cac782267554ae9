"""Reply extraction: only the new text of an e-mail reply, as a line classifier.

Modelled on Discourse's email_reply_trimmer: every line gets a kind (text, quote,
attribution, header, delimiter, forward marker, signature delimiter, mobile footer, empty);
then one pass over the kinds keeps the text before the quoted history. All patterns, per
language, live in the first half of this module; each comment names the fixture that needs it
(`discourse:` = ../shared/corpora/email_replies/discourse_email_reply_trimmer/test/emails,
`edgetier:` = …/edgetier_email_reply_parser/test/emails, `pl:` = tests/mail/fixtures/polish).

Deliberate differences from the upstream trimmer, because our replies are read by a machine
that acts on them: an attribution line on top of unquoted text (Outlook Mobile and Gmail
Android put it there when the reply itself is empty) keeps nothing, and an Outlook
"Original Message"/header block on top keeps nothing — otherwise our own quoted e-mail
would be read as the applicant's answer. Only an explicit forward marker on top keeps what
follows it (a forwarded mail is what the sender wants us to read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rules.areas import fold


class LineKind(StrEnum):
    TEXT = "text"
    EMPTY = "empty"
    QUOTE = "quote"
    ATTRIBUTION = "attribution"  # "On … wrote:", "… napisał(a):", possibly over several lines
    HEADER = "header"  # a From:/Sent:/To:/Subject: (Od:/Wysłano:/Do:/Temat:) block
    DELIMITER = "delimiter"  # "-----Original Message-----", "________", "* * *"
    FORWARD = "forward"  # "---------- Forwarded message ---------"
    SIGNATURE = "signature"  # the "-- " signature delimiter
    FOOTER = "footer"  # "Sent from my iPhone", "Wysłane z iPhone'a"


@dataclass(frozen=True)
class ClassifiedLine:
    number: int
    text: str
    kind: LineKind


# ============================================================================================
# Patterns
# ============================================================================================

# --- quotes ---------------------------------------------------------------------------------
_QUOTE = re.compile(
    r"^\s*(?:"
    r">"  # the usual "> " (discourse: quote_only; pl: thunderbird)
    r"|\|(?:\s|$)"  # "| " quoting (discourse: embedded_email_4)
    r"|[A-Z]{1,3}>"  # supercite initials "C> " (discourse: embedded_email_7)
    r")"
)

# --- the verb of "X wrote:" -------------------------------------------------------------------
_WROTE_VERBS = (
    r"wrote",  # English (discourse: embedded_email_1, dual_embedded; edgetier: email_gmail)
    r"napisał\(a\)|napisał\(-a\)|napisała|napisał",  # Polish Gmail/iOS (discourse: …polish_1,
    # …polish_2; edgetier: email_polish_1, email_polish_2; pl: gmail_web, gmail_android, ios_mail)
    r"pisze",  # Polish Thunderbird (pl: thunderbird)
    r"schrieb",  # German (discourse: embedded_email_german_1, …german_2)
    r"a\s+écrit",  # French (discourse: embedded_email_french_1, …french_2)
    r"escribió",  # Spanish (discourse: embedded_email_spanish_1)
    r"escreveu",  # Portuguese (discourse: embedded_email_portuguese)
    r"ha\s+scritto",  # Italian (discourse: embedded_email_italian)
    r"het\s+volgende\s+geschreven|schreef",  # Dutch (discourse: embedded_email_dutch_1, _2)
    r"skrev",  # Norwegian, Swedish, Danish (discourse: embedded_email_norwegian)
    r"написал\(а\)|написала|написал",  # Russian (discourse: embedded_email_russian_1, _2)
    r"пише|написав",  # Ukrainian (discourse: embedded_email_ukrainian)
    r"写道",  # Chinese (discourse: embedded_email_chinese)
    r"kirjoitti|έγραψε|írta|napsal\(a\)|napsal|a\s+scris",  # Finnish, Greek, Hungarian, Czech,
    # Romanian (edgetier: the *_1 header fixtures of those languages)
    r"كتب",  # Arabic (edgetier: email_arabic_3)
)
_WROTE = "|".join(_WROTE_VERBS)

# A date or an e-mail address: an attribution line names one of them, a sentence rarely ends
# with "wrote:" and has one.
_HAS_DATE_OR_ADDRESS = re.compile(r"\d|@|&lt;")

_ATTRIBUTION_PATTERNS = (
    # "<anything with a date or an address> <verb>:" — the common shape in every language:
    # "On Tue, 1 Mar 2011 at 18:02, X <x@y> wrote:", "pt., 11 mar 2022 o 10:15 X <x@y>
    # napisał(a):", "W dniu 12.03.2022 o 10:15, X pisze:", "Dnia 14 lip 2015 o godz. 00:25 X
    # <x@y> napisał(a):", "---- On … wrote ----" (discourse: embedded_email_2), "X <x@y>
    # schrieb:" (discourse: embedded_email_german_1), "a écrit :" with a space before the colon
    # (discourse: embedded_email_french_2), "写道：" (discourse: embedded_email_chinese).
    re.compile(rf"(?:^|[\s>\"')\]])(?:{_WROTE})\s*(?:[:：]|-{{2,}})\s*$", re.IGNORECASE),
    # Verb first, date after: "X <x@y> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:" (discourse:
    # embedded_email_german_4, _5).
    re.compile(r"\sschrieb\s+am\s.{3,80}[:：]$", re.IGNORECASE),
    # "Den 15. jun. 2016 kl. 20.42 skrev X <x@y>:" (discourse: embedded_email_norwegian),
    # "Am 03.02.2016 3:35 nachm. schrieb X <x@y>:" (discourse: embedded_email_german_2, _6).
    re.compile(r"^(?:Den|Am|Op)\s.{3,120}?\s(?:skrev|schrieb|schreef)\s.{1,160}[:：]$", re.I),
    # The same with no colon when a date opens it: "Am 20.06.24 um 16:20 schrieb X" (edgetier:
    # german_signoff).
    re.compile(
        r"^(?:Den|Am|Op)\s+\d{1,2}\.\d{1,2}\.\d{2,4}\s.{0,40}?"
        r"\s(?:skrev|schrieb|schreef)\s.{1,160}$"
    ),
    # Arabic, verb first: "في ٠٤/٠٧/٢٠٢٤ …، كتب/كتبت X <x@y>:" (edgetier: email_arabic_2).
    re.compile(r"\sكتب(?:/كتبت)?\s.{1,160}[:：]$"),
    # Apple Mail PL: "Wiadomość napisana przez X <x@y> w dniu 12.03.2022, o godz. 10:15:"
    # (edgetier: email_polish_3; pl: apple_mail).
    re.compile(r"^Wiadomość\s+napisana\s+przez\s.{1,200}?\sw\s+dniu\s.{4,60}[:：]$", re.I),
    # Old Gmail, a date alone: "2016-03-03 17:21 GMT+01:00 Some One" (discourse:
    # embedded_email_11, _14, _15), "2013/7/20 sam via Discourse Meta <info@discourse.org>"
    # (discourse: embedded_email_4).
    re.compile(r"^\d{4}-\d{2}-\d{2}\s+\d{1,2}:\d{2}\s+GMT[+-]\d{1,2}:?\d{2}\b.{0,160}$"),
    re.compile(r"^\d{4}/\d{1,2}/\d{1,2}(?:\s+\d{1,2}:\d{2})?\s+.{1,120}@[^\s>]+>?:?$"),
)

# Where an attribution wrapped over several lines may start (discourse: embedded_email_12,
# …french_1, …portuguese, …dutch_2; pl: gmail_web_wrapped).
_ATTRIBUTION_OPENER = re.compile(
    r"^\s*(?:-+\s*)?(?:"
    r"(?:On|Am|Le|El|Em|Il|Op|Den|Dnia|W\s+dniu|Wiadomość\s+napisana|At|В|У|Στις|Dne)\s"
    r"|\d"
    # weekday abbreviations that start Gmail's line: "pt., 12 mar 2022 o 10:15 …"
    r"|(?:pon|wt|śr|czw|pt|sob|niedz|nie|mon|tue|wed|thu|fri|sat|sun|mo|di|mi|do|fr|sa|so)\.?,"
    r")",
    re.IGNORECASE,
)

# --- header blocks ----------------------------------------------------------------------------
_FROM_KEYS = "from|od|nadawca|von|de|da|van|från|fra|от|від|lähettäjä|feladó|من"
_OTHER_KEYS = (
    "sent|date|to|cc|bcc|subject|reply-to"  # English (discourse: email_headers_2, _3, _5)
    "|wysłano|wysłane|data|do|dw|udw|temat|adresat|kopia|odpowiedź do"  # Polish Outlook, WP,
    # Interia, Zimbra (edgetier: email_polish_4; pl: outlook_*, zimbra, wp_webmail)
    "|gesendet|an|betreff|datum|kopie"  # German (discourse: embedded_email_german_3)
    "|envoyé|envoye|à|objet"  # French (edgetier: email_french)
    "|inviato|a|oggetto|risposta"  # Italian (discourse: email_headers_4)
    "|enviado|para|asunto|fecha|assunto"  # Spanish, Portuguese (discourse: …spanish_2)
    "|verzonden|aan|onderwerp"  # Dutch
    "|skickat|till|ämne"  # Swedish (discourse: embedded_email_swedish)
    "|sendt|til|emne|dato"  # Norwegian, Danish
    "|отправлено|кому|тема|дата|копия|надіслано"  # Russian, Ukrainian
    "|تم الإرسال|إلى|الموضوع"  # Arabic (edgetier: email_arabic)
)
# "*From:*" and "** De : x **" come from HTML bold (discourse: email_headers_1; edgetier:
# email_french); right-to-left marks precede Arabic keys (edgetier: email_arabic).
_HEADER_LINE = re.compile(
    rf"^[\s\u200e\u200f]*[*_]{{0,2}}\s?(?P<key>{_FROM_KEYS}|{_OTHER_KEYS})[*_]{{0,2}}\s?[:：]"
    rf"[*_]{{0,2}}(?:\s|$)",
    re.IGNORECASE,
)
_FROM_KEY = re.compile(rf"^(?:{_FROM_KEYS})$", re.IGNORECASE)
# A whole header block run together on one line by a webmail:
# "Temat: RE: … Nadawca: "x" x@x Adresat:" (edgetier: email_polish_4).
_INLINE_HEADER_KEY = re.compile(rf"(?<![^\W\d_])(?:{_FROM_KEYS}|{_OTHER_KEYS})[:：]", re.IGNORECASE)

# --- delimiters -------------------------------------------------------------------------------
# A line of separator characters only: Outlook's "________________________________" (discourse:
# email_headers_2; pl: outlook_underscore), " ------------------------------" (discourse:
# email_headers_1), html2text's "* * *" for <hr> (pl: html_outlook_converted), "ᐧ" (discourse:
# delimiters). "#" and "`" are left out: code blocks (discourse: block_code_spacers).
# A bold dotted rule "**. . . . . . . . . .**" (edgetier: bet_at_home_footer_separator).
_SEPARATOR = re.compile(r"^\s*(?:(?:[-_=~+*•·—–]\s?){3,}|ᐧ+|\**\s*(?:\.\s?){5,}\**)\s*$")
_ORIGINAL_MESSAGE_PHRASES = (
    r"original\s+message"  # discourse: embedded_email_8, _9
    # pl: outlook_original_message, zimbra, samsung_email
    r"|wiadomość\s+oryginalna|oryginalna\s+wiadomość|wiadomosc\s+oryginalna"
    r"|ursprüngliche\s+nachricht"  # discourse: embedded_email_german_3
    r"|original-nachricht"  # edgetier: original_message_german
    r"|mensaje\s+original"  # discourse: embedded_email_spanish_2
    r"|message\s+d'origine|messaggio\s+originale|oorspronkelijk\s+bericht"
    r"|ursprungligt\s+meddelande|opprinnelig\s+melding|mensagem\s+original"
    r"|исходное\s+сообщение|původní\s+zpráva|eredeti\s+üzenet|alkuperäinen\s+viesti"
)
_ORIGINAL_MESSAGE = re.compile(
    rf"^[\W_]*(?:{_ORIGINAL_MESSAGE_PHRASES})[\W_]*$"
    # the marker with the header block run on after it (edgetier: original_message_german_2)
    rf"|^\s*[-_=*]{{2,}}\s*(?:{_ORIGINAL_MESSAGE_PHRASES})\s*[-_=*]{{2,}}",
    re.IGNORECASE,
)
_FORWARD_PHRASES = (
    r"forwarded\s+message"  # discourse: forwarded_message, forwarded_gmail
    r"|wiadomość\s+przekazana(\s+dalej)?|przekazana\s+wiadomość"  # Gmail PL, Thunderbird PL
    r"|weitergeleitete\s+nachricht|mensaje\s+reenviado|message\s+transféré"
    r"|messaggio\s+inoltrato|doorgestuurd\s+bericht|mensagem\s+encaminhada"
)
_FORWARD = re.compile(
    rf"^[\W_]*(?:{_FORWARD_PHRASES})[\W_]*$"
    # Apple Mail's "Begin forwarded message:" (discourse: forwarded_apple), its Polish form
    r"|^\s*(?:begin\s+forwarded\s+message|początek\s+przekazywanej\s+wiadomości)\s*:\s*$",
    re.IGNORECASE,
)
_SIGNATURE_DELIMITER = re.compile(r"^--\s*$")  # discourse: usenet, embedded_ception

# --- mobile and app footers ---------------------------------------------------------------------
_DEVICE_WORDS_PL = (
    r"iphone|ipad|telefonu|smartfona|urządzenia|aplikacji|poczt[ay]|outlook|samsung|galaxy"
    r"|android|huawei|xiaomi|komórki|tabletu|mobiln|bluemail|aquamail|blackberry"
)
_FOOTERS = (
    # English (discourse: signatures, embedded_email_10; edgetier: email_iPhone)
    r"[(<\[]*\s*sent\s+(?:from|with|via|using|by)\s.{1,140}",
    r"\S+\s+from\s+mobile",
    r"from\s+my\s+(?:iphone|ipad|android|mobile|phone|samsung|galaxy|blackberry)\b.{0,40}",
    r"get\s+\[?outlook\s+for\s+(?:ios|android).{0,80}",  # "…for iOShttps://…" (signatures)
    r"obter\s+o\s+outlook\s+para\s.{1,30}",  # Portuguese (edgetier: email_portuguese)
    r"gesendet\s+(?:mit|von)\s.{1,60}",  # German (edgetier: email_iphone_start_german,
    # sent_from_device_in_thread_german)
    r"az\s+\S+\s+küldve",  # Hungarian (edgetier: sent_from_device_in_thread_hungarian)
    r"trimis\s+de\s+pe\s.{1,40}",  # Romanian (edgetier: sent_from_device_in_thread_romanian)
    # An external-sender warning banner on top (edgetier: email_with_header_warning).
    r"caution:.{0,40}external\s+sender.{0,200}",
    r"uwaga:?\s+(?:ta\s+)?wiadomość\s+(?:pochodzi|została\s+wysłana)"
    r"\s+(?:spoza|z\s+zewnątrz).{0,200}",
    r"envoyé\s+(?:de|depuis|à\s+partir\s+de)\s+mon\s.{1,60}",  # French (discourse: signatures;
    # edgetier: email_iphone_french)
    r"lähetetty\s+\S+(?:sta|stä)",  # Finnish (edgetier: email_iphone_finnish)
    r"أُرسلت\s+من\s.{1,30}",  # Arabic (edgetier: email_iphone_arabic, email_arabic_2)
    r"(?:von\s+meinem|gesendet\s+von\s+meinem)\s.{1,60}",  # German (discourse: signatures)
    r"diese\s+nachricht\s+wurde\s+von\s+meinem\s.{1,80}\sgesendet\.?",
    r"verzonden\s+(?:met|vanaf|vanuit|van\s+mijn)\s.{1,60}",  # Dutch (discourse: signatures;
    # edgetier: sent_from_device_in_thread_dutch)
    r"(?:sendt\s+fra\s+min|skickat\s+från\s+min)\s.{1,40}",  # (discourse: …norwegian)
    # Spanish, Portuguese (edgetier: email_iphone_portuguese)
    r"enviado\s+(?:desde|de|do|da)\s+(?:mi\s+|meu\s+|o\s+)?.{0,20}"
    r"(?:iphone|ipad|android|samsung|galaxy|móvil|movil|celular|telemóvel|smartphone).{0,30}",
    r"inviato\s+da(?:l)?\s.{0,30}(?:iphone|ipad|android|mobile|cellulare|smartphone).{0,30}",
    r"從我的\s?.{1,20}\s?傳送",  # (discourse: signatures)
    # Polish: "Wysłane z iPhone'a", "Wysłano z aplikacji Poczta dla Windows", "Wysłane z mojego
    # smartfona Samsung Galaxy" (edgetier: email_iphone_polish; pl: ios_mail, windows_mail,
    # samsung_email). The device word keeps "Wysłano z urzędu pismo …" a sentence.
    r"wysłan[eoya]\s+(?:z|ze|za\s+pomocą|przy\s+użyciu|przez)\s"
    rf".{{0,60}}(?:{_DEVICE_WORDS_PL}).{{0,60}}",
    r"pobierz\s+(?:aplikację\s+)?outlook\s+dla\s.{1,40}",  # Outlook mobile PL
)
_FOOTER = re.compile(rf"^\s*(?:{'|'.join(_FOOTERS)})\s*$", re.IGNORECASE)

# --- sign-offs -----------------------------------------------------------------------------------
# Matched on the folded line (lowercase, no Polish diacritics). After a sign-off and the name
# block under it, what follows a blank line is signature, disclaimer or an eco footer
# (edgetier: sincerely_message, best_example, george_best, email_continue_after_signoff;
# pl: signature_disclaimer). "Dziękuję" alone is not one: it is said mid-message too
# (edgetier: vielen_dank_mid_message).
_VALEDICTIONS = (
    r"(?:z\s+)?(?:serdecznie\s+|cieplo\s+)?pozdr(?:awiam|awiamy|owienia|owieniami)"
    r"(?:\s+(?:serdecznie|cieplo|goraco))?"  # pl: every fixture with "Pozdrawiam"
    r"|(?:serdeczne|najlepsze)\s+pozdrowienia|lacze\s+(?:pozdrowienia|wyrazy\s+szacunku)"
    r"|z\s+powazaniem|z\s+wyrazami\s+szacunku|serdecznosci"
    r"|(?:z\s+gory\s+)?dziekuje\s*,?\s+(?:i\s+)?pozdrawiam"
    r"|(?:best|kind|warm|warmest|many)?\s*regards|(?:yours\s+)?(?:sincerely|truly|faithfully)"
    r"|best\s+wishes|all\s+the\s+best|cheers"
    r"|mit\s+freundlichen\s+gru(?:ß|ss)en"
    r"|(?:beste|viele|liebe|freundliche|herzliche)\s+gru(?:ß|ss)e"
    r"|(?:bien\s+)?cordialement|bien\s+a\s+vous|(?:un\s+)?saludos?|atentamente|cumprimentos"
    r"|atenciosamente|(?:cordiali|distinti)\s+saluti|met\s+vriendelijke\s+groet(?:en)?"
)
_VALEDICTION = re.compile(rf"^(?:{_VALEDICTIONS})\s*[.!]?\s*(?:,\s*\S.{{0,40}})?,?$")
_POSTSCRIPT = re.compile(r"^\s*p\.?\s*s\.?(?:\s|:|$)", re.IGNORECASE)
_MAX_NAME_BLOCK = 6
_MAX_VALEDICTION_LINE = 80


# ============================================================================================
# Classification
# ============================================================================================

_MAX_ATTRIBUTION_LINES = 5  # an attribution wrapped over more lines is not one (upstream too)
_MAX_WRAPPED_LINE = 100
_MAX_ATTRIBUTION_CHARS = 300
# From, Sent, To, Cc, Subject and a few more, some wrapped: a real block is never longer, and
# the bound keeps a body of a thousand "Data:" lines linear.
_MAX_HEADER_BLOCK = 15
# The end of a wrapped attribution that looks like a quote: "> wrote:" (discourse:
# embedded_email_12), ">:" (discourse: embedded_email_german_6).
_QUOTED_TAIL = re.compile(rf"^\s*>\s*(?:(?:{_WROTE})\s*)?[:：]\s*$", re.IGNORECASE)


# Direction marks and zero-width characters: invisible, but they defeat "^\s*" and "$"
# (edgetier: email_arabic_2, email_iphone_arabic).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _visible(line: str) -> str:
    return _INVISIBLE.sub("", line)


def _collapse(lines: list[str]) -> str:
    return " ".join(" ".join(line.split()) for line in lines if line.strip())


_ATTRIBUTION_END = re.compile(r"(?:[:：]|-{2,}|>)\s*$|@|\sGMT|\s(?:schrieb|skrev|schreef)\s")


def _may_end_attribution(line: str) -> bool:
    """A cheap test that spares the joins on lines no attribution pattern could end on."""
    return bool(line.strip()) and bool(_ATTRIBUTION_END.search(line))


def _matches_attribution(line: str) -> bool:
    """`is_attribution` on a line already collapsed to single spaces."""
    if not line or len(line) > _MAX_ATTRIBUTION_CHARS:
        return False
    for number, pattern in enumerate(_ATTRIBUTION_PATTERNS):
        if pattern.search(line):
            return number != 0 or bool(_HAS_DATE_OR_ADDRESS.search(line))
    return False


def is_attribution(text: str) -> bool:
    """Whether one logical line (already joined when wrapped) introduces quoted history."""
    return _matches_attribution(" ".join(text.split()))


def _attribution_blocks(lines: list[str]) -> dict[int, int]:
    """Start line → end line (inclusive) of every attribution, joining wrapped ones.

    For each line that ends an attribution the shortest match is taken, then extended back
    to a line that clearly opens one ("On …", "Dnia …", a date) when the match found is only
    a tail such as "<x@y> napisał(a):" (discourse: embedded_email_12, …french_1).
    """
    collapsed = [" ".join(line.split()) for line in lines]
    blocks: dict[int, int] = {}
    taken = -1
    for end, line in enumerate(lines):
        if not _may_end_attribution(line) or (_QUOTE.match(line) and not _QUOTED_TAIL.match(line)):
            continue
        start = None
        joined = ""
        for first in range(end, max(taken, end - _MAX_ATTRIBUTION_LINES), -1):
            if not collapsed[first]:
                continue
            joined = f"{collapsed[first]} {joined}" if joined else collapsed[first]
            if len(joined) > _MAX_ATTRIBUTION_CHARS:
                break
            # A quote line may sit inside a wrapped attribution, never open one.
            if (first == end or not _QUOTE.match(lines[first])) and _matches_attribution(joined):
                start = first
                break
        if start is None or (start == end and _QUOTE.match(line)):
            continue
        if not _ATTRIBUTION_OPENER.match(lines[start]) or "@" in lines[start].split()[0]:
            for earlier in range(max(taken + 1, end - _MAX_ATTRIBUTION_LINES + 1), start):
                opener = lines[earlier]
                if (
                    _ATTRIBUTION_OPENER.match(opener)
                    and not _QUOTE.match(opener)
                    and not opener.rstrip().endswith((".", "!", "?"))
                    and all(len(x) <= _MAX_WRAPPED_LINE for x in lines[earlier:start])
                    and _matches_attribution(_collapse(lines[earlier : end + 1]))
                ):
                    start = earlier
                    break
        blocks[start] = end
        taken = end
    return blocks


def _header_key(line: str) -> str | None:
    match = _HEADER_LINE.match(line)
    return match["key"].lower() if match else None


def _header_block_end(lines: list[str], start: int) -> int | None:
    """The last line of a From:/Sent:/To:/Subject: block starting at `start`, or None.

    A block has at least two header lines including a From-like one, or three of any kind;
    one unlabelled line may continue a value (discourse: forwarded_message, a wrapped
    Subject). A single line carrying three keys is a block too (edgetier: email_polish_4).
    """
    if _header_key(lines[start]) is None:
        return None
    if len(_INLINE_HEADER_KEY.findall(lines[start])) >= 3:
        return start
    keys: list[str] = []
    last = start
    index = start
    gap = 0
    while index < min(len(lines), start + _MAX_HEADER_BLOCK):
        line = lines[index]
        if not line.strip():
            break
        key = _header_key(line)
        if key is None:
            gap += 1
            if gap > 1:
                break
        else:
            gap = 0
            keys.append(key)
            last = index
        index += 1
    has_from = any(_FROM_KEY.match(key) for key in keys)
    if (len(keys) >= 2 and has_from) or len(set(keys)) >= 3:
        return last
    return None


def _line_kind(line: str) -> LineKind:
    if not line.strip():
        return LineKind.EMPTY
    if _QUOTE.match(line):
        return LineKind.QUOTE
    if _SIGNATURE_DELIMITER.match(line):
        return LineKind.SIGNATURE
    if _FORWARD.match(line):
        return LineKind.FORWARD
    if _SEPARATOR.match(line) or _ORIGINAL_MESSAGE.match(line):
        return LineKind.DELIMITER
    if _FOOTER.match(line):
        return LineKind.FOOTER
    return LineKind.TEXT


def classify_lines(text: str) -> tuple[ClassifiedLine, ...]:
    """Every line of a plain-text body with its kind (kept public for debugging)."""
    originals = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_visible(line) for line in originals]
    kinds = [_line_kind(line) for line in lines]
    for start, end in _attribution_blocks(lines).items():
        for index in range(start, end + 1):
            kinds[index] = LineKind.ATTRIBUTION
    index = 0
    while index < len(lines):
        if kinds[index] is LineKind.TEXT:
            block_end = _header_block_end(lines, index)
            if block_end is not None:
                for covered in range(index, block_end + 1):
                    kinds[covered] = LineKind.HEADER
                index = block_end
        index += 1
    return tuple(
        ClassifiedLine(number, line, kind)
        for number, (line, kind) in enumerate(zip(originals, kinds, strict=True))
    )


# ============================================================================================
# Selection
# ============================================================================================

_HISTORY_MARKERS = (LineKind.SIGNATURE, LineKind.DELIMITER, LineKind.HEADER)


def _quote_run_end(lines: list[ClassifiedLine], start: int) -> int:
    """Index of the first line after the quote block (quotes and empty lines) at `start`."""
    index = start
    while index < len(lines) and lines[index].kind in (LineKind.QUOTE, LineKind.EMPTY):
        index += 1
    return index


def _next_content(lines: list[ClassifiedLine], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].kind not in (LineKind.EMPTY, LineKind.ATTRIBUTION):
            return index
    return None


def _unquoted(line: str) -> str:
    return re.sub(r"^(?:\s*>)+\s?", "", line)


def _select(lines: list[ClassifiedLine]) -> list[ClassifiedLine]:
    if all(line.kind in (LineKind.QUOTE, LineKind.EMPTY) for line in lines):
        # Only a quote: it is kept (discourse: quote_only), unless it is nothing but quoted
        # history, opened by a quoted attribution (discourse: spam_1).
        quoted = [_unquoted(line.text) for line in lines if line.kind is LineKind.QUOTE]
        return [] if quoted and is_attribution(quoted[0]) else lines

    kept: list[ClassifiedLine] = []
    has_content = False  # a text or quote line kept so far

    index = 0
    while index < len(lines):
        line = lines[index]
        if line.kind is LineKind.FORWARD:
            if has_content:
                break
            # A forward on top: the forwarded mail is the content (discourse: forwarded_message).
            index += 1
            while index < len(lines) and lines[index].kind in (LineKind.HEADER, LineKind.EMPTY):
                index += 1
            continue
        if line.kind in _HISTORY_MARKERS:
            break
        if line.kind is LineKind.ATTRIBUTION:
            following = _next_content(lines, index + 1)
            if following is None or lines[following].kind is not LineKind.QUOTE:
                # History without quote marks follows (discourse: dual_embedded). On top of
                # the mail it means the reply itself is empty (see the module docstring).
                break
            after_quote = _quote_run_end(lines, following)
            if after_quote >= len(lines) or lines[after_quote].kind is not LineKind.TEXT:
                break  # the usual top-posted reply above "> " history
            if has_content:
                index += 1  # an inline answer: drop the attribution, keep the quote for context
            else:
                index = after_quote  # a bottom-posted answer: the quote above it is history
            continue
        if line.kind is LineKind.QUOTE:
            after_quote = _quote_run_end(lines, index)
            followed_by_text = after_quote < len(lines) and lines[after_quote].kind is LineKind.TEXT
            if not followed_by_text and has_content:
                break  # trailing quoted history below the reply
            kept.extend(lines[index:after_quote])
            has_content = True
            index = after_quote
            continue
        kept.append(line)
        has_content = has_content or line.kind is LineKind.TEXT
        index += 1
    return kept


def _cut_after_signoff(kept: list[ClassifiedLine]) -> list[ClassifiedLine]:
    """Drop what follows the sign-off, its name block and a blank line (signature details,
    disclaimers), unless a postscript or an inline quote comes later."""
    seen_text = False
    for index, line in enumerate(kept):
        if line.kind is not LineKind.TEXT:
            continue
        if not (
            seen_text
            and len(line.text) <= _MAX_VALEDICTION_LINE
            and _VALEDICTION.match(fold(_visible(line.text)))
        ):
            seen_text = True
            continue
        name = index + 1
        if name < len(kept) and kept[name].kind is LineKind.EMPTY:
            name += 1
        end = name
        while end < len(kept) and kept[end].kind is LineKind.TEXT and end - name < _MAX_NAME_BLOCK:
            end += 1
        rest = kept[end:]
        if any(item.kind is LineKind.QUOTE or _POSTSCRIPT.match(item.text) for item in rest):
            return kept
        return kept[:end]
    return kept


def select_reply_lines(text: str) -> list[ClassifiedLine]:
    """The classified lines that make up the reply, in order (trailing blank lines removed)."""
    # Footers go wherever they are (discourse: signatures, embedded_email_norwegian).
    kept = _select([line for line in classify_lines(text) if line.kind is not LineKind.FOOTER])
    kept = _cut_after_signoff(kept)
    while kept and kept[-1].kind is LineKind.EMPTY:
        kept.pop()
    while kept and kept[0].kind is LineKind.EMPTY:
        kept.pop(0)
    return kept


def extract_reply(text: str) -> str:
    """Only the new text of a reply: no quoted history, attribution, footer or signature."""
    return "\n".join(line.text.rstrip() for line in select_reply_lines(text))
