"""Controle van de evaluatieset zinnen.jsonl (draaien met: python tests/privacy/eval/check_set.py).

Controleert: geldige JSON per regel, unieke ids, geldige labels, dat persoonsgegevens en soorten
overeenkomen, dat elk BSN in een zin met label `bsn` de elfproef haalt en elk IBAN in een zin met
label `iban` de mod-97-controle, dat de verdeling over de helften de geseede verdeling is, en drukt de
aantallen per helft en per soort af.
Geen afhankelijkheid van de detector: dit script leest alleen de set.
"""

import collections
import json
import pathlib
import random
import re
import sys

PAD = pathlib.Path(__file__).with_name("zinnen.jsonl")
SOORTEN = ["bsn", "iban", "email", "telefoon", "postcode", "adres", "naam", "geboortedatum"]
HELFTEN = ["afstemmen", "toets"]
MINIMUM = 2200

# negen cijfers met hooguit drie scheidingstekens tussen twee cijfers (spatie, punt, streep, slash, en-dash)
BSN_KANDIDAAT = re.compile(r"(?<!\d)(?=(\d(?:[ .\-/\u2013]{0,3}\d){8}))(?!(?:\d(?:[ .\-/\u2013]{0,3}\d){9}))")
IBAN_KANDIDAAT = re.compile(r"(?<![A-Za-z0-9])(NL\s?\d{2}(?:\s?[A-Z]{4})(?:\s?\d){10})(?!\d)", re.IGNORECASE)


def elfproef(cijfers):
    if len(cijfers) != 9:
        return False
    som = sum(int(c) * w for c, w in zip(cijfers, [9, 8, 7, 6, 5, 4, 3, 2, -1], strict=True))
    return som % 11 == 0 and cijfers != "000000000"


def iban_geldig(tekst):
    s = re.sub(r"\s", "", tekst).upper()
    if not re.fullmatch(r"NL\d{2}[A-Z]{4}\d{10}", s):
        return False
    herschikt = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in herschikt)) % 97 == 1


def bsns(tekst):
    return [re.sub(r"\D", "", m.group(1)) for m in BSN_KANDIDAAT.finditer(tekst)]


def verdeling(records, zaad=20250301):
    """De splitsing opnieuw afleiden: gelaagd per combinatie van soorten (negatieven vormen een eigen laag),
    binnen een laag geschud met een vast zaad en afwisselend toegewezen, te beginnen bij de helft die tot dan
    toe het minst van die soorten had."""
    rng = random.Random(zaad)
    lagen = collections.defaultdict(list)
    for i, r in enumerate(records):
        lagen[tuple(r["soorten"]) or ("geen",)].append(i)
    telling = collections.Counter()
    helft = {}
    for sleutel in sorted(lagen, key=lambda k: (-len(lagen[k]), k)):
        idxs = lagen[sleutel][:]
        rng.shuffle(idxs)
        a = sum(telling[("afstemmen", k)] for k in sleutel)
        t = sum(telling[("toets", k)] for k in sleutel)
        eerst, dan = ("afstemmen", "toets") if a <= t else ("toets", "afstemmen")
        for j, i in enumerate(idxs):
            h = eerst if j % 2 == 0 else dan
            helft[i] = h
            for k in sleutel:
                telling[(h, k)] += 1
    return [helft[i] for i in range(len(records))]


def main():
    fouten = []
    waarschuwingen = []
    regels = PAD.read_text(encoding="utf-8").splitlines()
    ids = set()
    teksten = collections.Counter()
    telling = collections.Counter()
    for nr, regel in enumerate(regels, 1):
        try:
            r = json.loads(regel)
        except json.JSONDecodeError as e:
            fouten.append(f"regel {nr}: geen JSON ({e})")
            continue
        if set(r) != {"id", "tekst", "persoonsgegevens", "soorten", "helft"}:
            fouten.append(f"regel {nr}: velden {sorted(r)}")
            continue
        rid = r["id"]
        if not re.fullmatch(r"e\d{4}", rid):
            fouten.append(f"{rid}: id-vorm")
        if rid in ids:
            fouten.append(f"{rid}: dubbele id")
        ids.add(rid)
        tekst = r["tekst"]
        if not isinstance(tekst, str) or not tekst.strip():
            fouten.append(f"{rid}: lege tekst")
            continue
        teksten[tekst] += 1
        soorten = r["soorten"]
        if not isinstance(soorten, list) or any(s not in SOORTEN for s in soorten) or len(set(soorten)) != len(soorten):
            fouten.append(f"{rid}: ongeldige soorten {soorten}")
            continue
        if r["persoonsgegevens"] is not bool(soorten):
            fouten.append(f"{rid}: persoonsgegevens={r['persoonsgegevens']} past niet bij soorten {soorten}")
        if r["helft"] not in HELFTEN:
            fouten.append(f"{rid}: ongeldige helft {r['helft']!r}")
            continue
        if "bsn" in soorten:
            kandidaten = bsns(tekst)
            if not any(elfproef(k) for k in kandidaten):
                fouten.append(f"{rid}: label bsn, maar geen nummer dat de elfproef haalt: {kandidaten}")
            for k in kandidaten:
                if not elfproef(k) and "telefoon" not in soorten and "iban" not in soorten:
                    waarschuwingen.append(f"{rid}: negen cijfers zonder elfproef naast een BSN: {k}")
        elif any(elfproef(k) for k in bsns(tekst)) and not soorten:
            waarschuwingen.append(f"{rid}: negatief, maar bevat negen cijfers die de elfproef halen")
        ibans = [m.group(1) for m in IBAN_KANDIDAAT.finditer(tekst)]
        if "iban" in soorten:
            if not ibans:
                fouten.append(f"{rid}: label iban, maar geen IBAN gevonden")
            for i in ibans:
                if not iban_geldig(i):
                    fouten.append(f"{rid}: IBAN {i!r} haalt de controle niet")
        elif ibans:
            fouten.append(f"{rid}: IBAN-vorm zonder label iban: {ibans}")
        telling[(r["helft"], "totaal")] += 1
        telling[(r["helft"], "positief" if soorten else "negatief")] += 1
        for s in soorten:
            telling[(r["helft"], s)] += 1
    try:
        records = [json.loads(r) for r in regels]
        if [r["helft"] for r in records] != verdeling(records):
            fouten.append("de helften wijken af van de geseede verdeling (zaad 20250301)")
    except (KeyError, TypeError, json.JSONDecodeError):
        pass
    for tekst, n in teksten.items():
        if n > 1:
            fouten.append(f"dubbele tekst ({n}x): {tekst[:60]}")
    totaal = len(ids)
    if totaal < MINIMUM:
        fouten.append(f"te weinig zinnen: {totaal} < {MINIMUM}")

    rijen = ["totaal", "positief", "negatief"] + SOORTEN
    print(f"{'':14}{'afstemmen':>10}{'toets':>8}{'samen':>8}")
    for rij in rijen:
        a, t = telling[("afstemmen", rij)], telling[("toets", rij)]
        print(f"{rij:14}{a:>10}{t:>8}{a + t:>8}")
        if a + t >= 10 and abs(a - t) > max(3, 0.1 * (a + t)):
            fouten.append(f"helften niet in evenwicht voor {rij}: {a} tegen {t}")
    for w in waarschuwingen:
        print("let op:", w)
    for f in fouten:
        print("FOUT:", f)
    print("OK" if not fouten else f"{len(fouten)} fout(en)")
    return 1 if fouten else 0


if __name__ == "__main__":
    sys.exit(main())
