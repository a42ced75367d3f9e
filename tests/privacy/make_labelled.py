"""Build ``labelled_nl.jsonl``, the labelled Dutch set for the privacy gate.

Run ``.venv/bin/python tests/privacy/make_labelled.py`` to rebuild it; the output is committed so the set is
fixed. It joins the handwritten sentences in ``handwritten_nl.jsonl`` with sentences generated here from
templates (seeded, so the output is stable). Generated BSNs and IBANs are valid (python-stdnum checks them);
the 9-digit numbers in negatives fail the elfproef.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

HERE = Path(__file__).parent
rng = random.Random(20260315)


# --- valid and invalid numbers -------------------------------------------------------------------------
def bsn_digits(valid: bool = True) -> str:
    while True:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
        if digits[0] == "0" and valid and rng.random() < 0.7:
            continue
        if stdnum_bsn.is_valid(digits) == valid:
            return digits


def bsn_format(digits: str) -> str:
    style = rng.choice(["plain", "3-3-3 space", "4-2-3 dot", "3-2-4 dash", "3-3-3 dot", "3-3-3 dash"])
    if style == "plain":
        return digits
    if style == "3-3-3 space":
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if style == "4-2-3 dot":
        return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"
    if style == "3-2-4 dash":
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if style == "3-3-3 dot":
        return f"{digits[:3]}.{digits[3:6]}.{digits[6:]}"
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


_BBAN = {
    "NL": lambda: rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"]) + _n(10),
    "DE": lambda: _n(18),
    "BE": lambda: _n(12),
    "FR": lambda: _n(23),
    "ES": lambda: _n(20),
    "PL": lambda: _n(24),
    "TR": lambda: _n(5) + "0" + _n(16),
    "GB": lambda: rng.choice(["NWBK", "BARC", "HBUK"]) + _n(14),
}


def _n(count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def iban_compact(country: str) -> str:
    bban = _BBAN[country]()
    moved = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in moved)
    check = 98 - int(numeric) % 97
    number = f"{country}{check:02d}{bban}"
    assert stdnum_iban.is_valid(number, check_country=False), number
    return number


def iban_format(number: str) -> str:
    style = rng.choice(["groups", "groups", "compact", "lower"])
    if style == "groups":
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number.lower() if style == "lower" else number


def phone() -> str:
    mobile = "6" + _n(8)
    area = rng.choice(["10", "20", "30", "40", "50", "70", "71", "73", "76", "79", "13", "15", "24", "26", "35", "38"])
    area4 = rng.choice(["413", "418", "475", "492", "511", "525", "572", "592", "168", "182"])
    styles = [
        f"0{mobile[0]}-{mobile[1:]}",
        f"0{mobile[0]} {mobile[1:5]} {mobile[5:]}",
        f"0{mobile}",
        f"+31 6 {mobile[1:]}",
        f"+316{mobile[1:]}",
        f"0031 6 {mobile[1:5]} {mobile[5:]}",
        f"+31 (0)6 {mobile[1:]}",
        f"06 - {mobile[1:3]} {mobile[3:5]} {mobile[5:7]} {mobile[7:]}",
        f"0{area}-{_n(7)}",
        f"0{area} {_n(3)} {_n(4)}",
        f"(0{area}) {_n(7)}",
        f"0{area4}-{_n(6)}",
        f"0{area4} {_n(2)} {_n(2)} {_n(2)}",
        f"+31 (0){area} {_n(3)} {_n(2)} {_n(2)}",
        f"+31 {area} {_n(7)}",
        f"06-1234{_n(4)}",  # 0800/0900 numbers are an organisation's, not personal
        f"010 {_n(7)}",
        f"+32 4{_n(2)} {_n(2)} {_n(2)} {_n(2)}",
        f"085 {_n(3)} {_n(4)}",
    ]
    return rng.choice(styles)


def email() -> str:
    local = rng.choice(
        [
            "j.devries",
            "fatima.elamrani",
            "pietjansen84",
            "m.yilmaz+wmo",
            "info.gezin",
            "a_bakker",
            "sanne.van.dijk",
            "kees-visser",
            "ouders.noah",
            "r.ramdin1979",
        ]
    )
    domain = rng.choice(
        [
            "gmail.com",
            "hotmail.nl",
            "outlook.com",
            "ziggo.nl",
            "kpnmail.nl",
            "live.nl",
            "planet.nl",
            "gemeente.amsterdam",
            "buurtteam.frl",
            "vereniging.museum",
            "zorg-groep.nl",
            "mail.co.uk",
        ]
    )
    return f"{local}@{domain}"


def postcode() -> str:
    while True:
        letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
        if letters not in ("SA", "SD", "SS"):
            break
    digits = str(rng.randint(1000, 9999))
    style = rng.choice(["spaced", "spaced", "compact", "lower"])
    if style == "spaced":
        return f"{digits} {letters}"
    return f"{digits}{letters}" if style == "compact" else f"{digits}{letters.lower()}"


STREETS = [
    "Dorpsstraat",
    "Kerkweg",
    "Molenlaan",
    "Stationsplein",
    "Oude Gracht",
    "Laan van Meerdervoort",
    "Burgemeester de Withstraat",
    "Prinses Irenestraat",
    "Julianalaan",
    "Hoofdstraat",
    "Schoolstraat",
    "Beukenlaan",
    "Nieuwe Binnenweg",
    "Bloemgracht",
    "Zeedijk",
    "Kastanjedreef",
    "Marktplein",
    "Havenkade",
    "Wilhelminasingel",
    "Emmastraat",
    "Van Goghlaan",
    "Rembrandtplein",
    "Merelhof",
    "Kerkpad",
    "Achteromsteeg",
    "Lange Nieuwstraat",
    "Korte Groenendaal",
    "Oranjestraat",
    "Zandweg",
    "Spoorlaan",
    "Parkweg",
    "Burgwal",
    "Graaf Florisstraat",
    "Eikenlaan",
    "Weverstraat",
    "Het Erf",
]


def house_number() -> str:
    number = str(rng.choice([rng.randint(1, 60), rng.randint(1, 250)]))
    return number + rng.choice(["", "", "", "a", "B", "-bis", " hs", "-2", " II"])


FIRST = [
    "Fatima",
    "Mohammed",
    "Sanne",
    "Jan",
    "Ingrid",
    "Ahmet",
    "Zeynep",
    "Kees",
    "Priya",
    "Dewi",
    "Yusuf",
    "Anouk",
    "Piet",
    "Henk",
    "Noah",
    "Esra",
    "Marieke",
    "Said",
    "Bram",
    "Samira",
    "Olga",
    "Tomasz",
    "Winston",
]
SURNAME = [
    "de Vries",
    "Jansen",
    "Yilmaz",
    "El Amrani",
    "Bakker",
    "van der Meer",
    "Visser",
    "Öztürk",
    "de Groot",
    "Ramdin",
    "Kowalski",
    "van Dijk",
    "Hoekstra",
    "Bennani",
    "ter Horst",
    "Wiersma",
    "Mulder",
]
# surnames not in data/privacy/achternamen.txt: found only through titles, initials or a first name
RARE_SURNAME = [
    "Kloosterboer",
    "Hagedoorn",
    "Zwanenburg",
    "Oudemans",
    "Verkerk",
    "Blankestijn",
    "Hoogerwerf",
    "Ouwehand",
    "Dijkhuizen",
    "Rozendaal",
    "Benhaddou",
    "Toprak",
]


def person() -> str:
    surname = rng.choice(SURNAME + RARE_SURNAME)
    styles = [
        f"mevrouw {surname[0].upper() + surname[1:]}",
        f"meneer {surname}",
        f"mw. {surname}",
        f"dhr. {surname}",
        f"de heer {surname}",
        f"{rng.choice('ABCDEHJKLMPRSTW')}. {surname}",
        f"{rng.choice('ABCDEHJKLMPRSTW')}.{rng.choice('ABCDEHJKLMPRSTW')}. {surname}",
        f"{rng.choice(FIRST)} {surname}",
        f"{rng.choice(FIRST)}",
        f"familie {surname}",
    ]
    return rng.choice(styles)


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def birth_date() -> str:
    year, month, day = rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        [
            f"{day:02d}-{month:02d}-{year}",
            f"{day}-{month}-{year}",
            f"{day:02d}/{month:02d}/{year}",
            f"{day}.{month}.{year}",
            f"{day} {MONTHS[month - 1]} {year}",
            f"{year}-{month:02d}-{day:02d}",
        ]
    )


TOPIC = [
    "de Wmo-aanvraag",
    "de huurachterstand",
    "de schuldhulpverlening",
    "de jeugdhulp",
    "de traplift",
    "de bijstandsuitkering",
    "de beschermingstafel",
    "het keukentafelgesprek",
    "de scootmobiel",
    "de huurtoeslag",
    "de energierekening",
    "de wachtlijst bij de GGZ",
    "de beschikking",
    "de aanvraag bijzondere bijstand",
]


def positives() -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for _ in range(34):
        out.append(
            (
                rng.choice(
                    [
                        "Het BSN van de cliënt ({x}) stond in de mail aan de woningcorporatie.",
                        "Bij de aanvraag voor {t} is BSN {x} gebruikt van de verkeerde persoon.",
                        "Burgerservicenummer: {x}; graag navragen bij de Belastingdienst.",
                        "De SVB vroeg om het nummer {x} om {t} te kunnen koppelen.",
                        "Casus met bsn {x} loopt al sinds vorig jaar vast op {t}.",
                        "In het dossier staat {x} als burgerservicenummer van de moeder.",
                    ]
                ).format(x=bsn_format(bsn_digits()), t=rng.choice(TOPIC)),
                ["bsn"],
            )
        )
    for _ in range(34):
        country = rng.choice(["NL", "NL", "NL", "DE", "BE", "FR", "ES", "PL", "TR", "GB"])
        out.append(
            (
                rng.choice(
                    [
                        "Het huurgeld gaat naar rekening {x} van de verhuurder.",
                        "Maak de bijzondere bijstand over op IBAN {x}, dat is de rekening van de zoon.",
                        "Beschermingsbewind: leefgeld wordt gestort op {x}.",
                        "De schuldeiser noemde rekeningnummer {x} in de brief over {t}.",
                        "Cliënt heeft een rekening in het buitenland ({x}) waar de uitkering op binnenkomt.",
                    ]
                ).format(x=iban_format(iban_compact(country)), t=rng.choice(TOPIC)),
                ["iban"],
            )
        )
    for _ in range(40):
        out.append(
            (
                rng.choice(
                    [
                        "Moeder is bereikbaar op {x}, liefst na 17 uur.",
                        "Bel de mantelzorger even terug op {x} over {t}.",
                        "Tel: {x} (alleen 's ochtends).",
                        "De buurman gaf zijn nummer {x} door aan de wijkcoach.",
                        "Het gezin belde vanaf {x} met vragen over {t}.",
                        "Contact via {x} of via de huisarts.",
                    ]
                ).format(x=phone(), t=rng.choice(TOPIC)),
                ["phone"],
            )
        )
    for _ in range(34):
        out.append(
            (
                rng.choice(
                    [
                        "Stuur de beschikking naar {x}, de cliënt opent geen post.",
                        "De dochter mailde vanaf {x} over {t}.",
                        "Contactpersoon: {x}",
                        "Reactie graag naar {x} voor vrijdag.",
                        "Het e-mailadres van de vader is {x}, maar hij leest het zelden.",
                    ]
                ).format(x=email(), t=rng.choice(TOPIC)),
                ["email"],
            )
        )
    for _ in range(34):
        out.append(
            (
                rng.choice(
                    [
                        "Het gezin woont sinds kort in {x}, de wijk rond het station.",
                        "Postcode {x} valt net buiten ons werkgebied, dus de aanvraag ging terug.",
                        "Het adresgebied {x} heeft volgens de corporatie veel huurachterstanden.",
                        "Nieuw adres in {x} Dijkhoven, de verhuizing was in maart.",
                        "Aanvraag voor {t} afgewezen, verkeerde gemeente bij postcode {x}.",
                    ]
                ).format(x=postcode(), t=rng.choice(TOPIC)),
                ["postcode"],
            )
        )
    for _ in range(36):
        out.append(
            (
                rng.choice(
                    [
                        "Het gezin woont op {x} en heeft daar al twee jaar schimmel.",
                        "Bezoek aan huis op {x}: de traplift past niet in het trapgat.",
                        "De corporatie wil de woning aan de {x} ontruimen.",
                        "Adres: {x}, tweede verdieping zonder lift.",
                        "Na de brand op {x} zit de cliënt tijdelijk bij familie.",
                    ]
                ).format(x=f"{rng.choice(STREETS)} {house_number()}"),
                ["address"],
            )
        )
    for _ in range(36):
        out.append(
            (
                rng.choice(
                    [
                        "Cliënt is geboren op {x} en heeft daardoor nog geen recht op AOW.",
                        "Geb. {x}, woont zelfstandig met begeleiding.",
                        "Geboortedatum: {x}. Aanvraag {t} loopt.",
                        "De jongere (geboren {x}) valt straks onder de Wmo in plaats van de Jeugdwet.",
                        "Vader, geb. datum {x}, is nu in beeld bij schuldhulp.",
                        "De dochter wordt op {x} achttien, geboortedatum volgens de BRP.",
                    ]
                ).format(x=birth_date(), t=rng.choice(TOPIC)),
                ["birthdate"],
            )
        )
    for _ in range(40):
        out.append(
            (
                rng.choice(
                    [
                        "Gesprek gehad met {x} over {t}.",
                        "{x} wacht al vier maanden op een besluit over {t}.",
                        "Volgens {x} is de brief van de gemeente nooit aangekomen.",
                        "De wijkcoach heeft {x} doorverwezen naar het maatschappelijk werk.",
                        "Bij {x} thuis is de situatie rond {t} ernstig verslechterd.",
                    ]
                ).format(x=person(), t=rng.choice(TOPIC)),
                ["name"],
            )
        )
    return out


def negatives() -> list[tuple[str, list[str]]]:
    templates = [
        "Zaaknummer Z-{y}-{n6} is nog steeds niet in behandeling genomen.",
        "Ordernummer {bad} van de leverancier van de scootmobiel klopt niet met de factuur.",
        "Het kenmerk van de brief is {bad}; de beschikking volgde pas na {w} weken.",
        "Referentie {bad} bij de Belastingdienst, maar de toeslag blijft uit.",
        "Dossiernummer {n10} is dubbel aangemaakt in het registratiesysteem.",
        "In {y} hadden we {w} casussen met huurachterstanden, in {y2} al {w2}.",
        "Het budget voor collectieve voorzieningen is € {a}.{n3},{c} per jaar.",
        "De eigen bijdrage van € {w},{c} per maand is voor veel gezinnen te hoog.",
        "Volgens artikel {art} van de Wmo 2015 moet de gemeente binnen zes weken beslissen.",
        "Artikel {art}a Jeugdwet geeft de gemeente hier geen ruimte.",
        "Team Noord {w} heeft het druk; team Oost werkt met een wachtlijst.",
        "Het overleg van wijkteam Zuid is op {d} {m} om 09:30 in het wijkcentrum.",
        "Besluit van {d:02d}-{mm:02d}-{y}: de pilot wordt verlengd tot eind {y2}.",
        "Op {d} {m} hadden we overleg met de beleidsadviseur over casus {w}.",
        "Week {wk}: {w} nieuwe aanmeldingen, {pct}% daarvan via de huisarts.",
        "Sinds {d:02d}-{mm:02d}-{y} is de werkwijze rond de keukentafelgesprekken aangepast.",
        "Het telefoonnummer van de cliënt is bekend bij de consulent.",
        "Tel. is bekend bij het team; adres staat in het dossier.",
        "De wachttijd voor een eerste gesprek is {w} weken, de norm is {w2} werkdagen.",
        "Er vielen {w} gezinnen tussen wal en schip omdat de Participatiewet en de Wmo botsen.",
        "Het aantal meldingen steeg met {pct}% ten opzichte van {y}.",
        "De regio telt {n3} inwoners per wijkteam, landelijk is dat {w}.{n3}.",
        "Jeugdwet {y} en Wmo {y2}: de doelgroepen sluiten niet op elkaar aan.",
        "Casus {w}: een moeder van {w2} kinderen met schulden van ruim € {a}.{n3}.",
        "Factuurnummer {n8} is twee keer betaald door de afdeling inkoop.",
        "Meldcode {n7} uit het systeem van Veilig Thuis wordt niet herkend.",
        "De leerkring van {d} {m} ging over de spanning tussen beleid en uitvoering.",
        "Van de {n3} aanvragen in {y} werden er {w} afgewezen.",
        "Het wijkteam werkt in {y2} met {w} fte, in {y} waren dat er {w2}.",
        "Tussen {hh}:{mi} en {hh2}:00 is de consulent telefonisch bereikbaar via het algemene nummer.",
        "{a} EUR aan bewindvoeringskosten valt buiten de bijzondere bijstand.",
        "In {y} en {y2} zijn de tarieven met {pct} procent gestegen.",
        "Volgnummer {bad} in het zaaksysteem hoort bij een andere gemeente.",
        "Klantnummer {bad} van de energieleverancier is afgesloten.",
        "Het verslag van casusoverleg {w} staat onder nummer {n6}.",
        "De mantelzorgwaardering is {w}0 euro; {pct}% van de mantelzorgers vraagt die aan.",
        "Hoofdstuk {w}, paragraaf {w}.{w2} van de verordening is onduidelijk over de eigen kracht.",
        "Het budgetplafond van {n7} euro was in {m} al bereikt.",
        "Binnen {w} werkdagen na de melding moet er contact zijn; dat lukt in {pct}% van de gevallen.",
        "Rapportage Q{q} {y}: {w} knelpunten gesignaleerd, {w2} teruggekoppeld.",
    ]
    out = []
    for index in range(330):
        template = templates[index % len(templates)]
        mm = rng.randint(1, 12)
        text = template.format(
            y=rng.randint(2015, 2026),
            y2=rng.randint(2015, 2026),
            n6=_n(6),
            n10=str(rng.randint(1, 9)) + _n(9),
            n8=_n(8),
            n7=_n(7),
            bad=bsn_digits(valid=False),
            w=rng.randint(2, 40),
            w2=rng.randint(2, 40),
            a=rng.randint(1, 99),
            n3=rng.randint(100, 999),
            c=f"{rng.randint(0, 99):02d}",
            art=rng.randint(2, 30),
            d=rng.randint(1, 28),
            m=MONTHS[mm - 1],
            mm=mm,
            wk=rng.randint(1, 52),
            pct=rng.randint(1, 99),
            q=rng.randint(1, 4),
            hh=rng.randint(8, 12),
            mi=rng.choice(["00", "15", "30"]),
            hh2=rng.randint(13, 17),
        )
        out.append((text, []))
    return out


def main() -> None:
    handwritten = [
        json.loads(line)
        for line in (HERE / "handwritten_nl.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    generated = [{"text": text, "kinds": kinds} for text, kinds in positives() + negatives()]
    rows = handwritten + generated
    texts = set()
    with (HERE / "labelled_nl.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            if row["text"] in texts:
                continue
            texts.add(row["text"])
            handle.write(json.dumps({"text": row["text"], "kinds": sorted(row["kinds"])}, ensure_ascii=False) + "\n")
    print(f"{len(texts)} zinnen ({len(handwritten)} met de hand, {len(generated)} gegenereerd)")


if __name__ == "__main__":
    main()
