#!/usr/bin/env python3
"""Generate tools/catalog/sample_catalog.jsonl: a deterministic sample product file for the catalog import.

Usage: generate_sample_catalog.py [--out PATH] [--seed N]
The output depends only on the seed (default 20250314): run it again and the file is byte-identical.
Prices are integer grosze; see README.md for the format.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SEED = 20250314


def grosze(zl: int) -> int:
    return zl * 100


def shop_price(rng: random.Random, low_zl: int, high_zl: int) -> int:
    """A shop-style price in grosze between the bounds: 3249,00 / 3299,00, 459,00, or 49,99 below 100 zł."""
    zl = rng.randint(low_zl, high_zl)
    if zl >= 1000:
        zl = zl // 100 * 100 + rng.choice([49, 99, 99, 99])  # 3299, 3249
    elif zl >= 100:
        zl = zl // 10 * 10 + 9                             # 459
    else:
        return zl * 100 + 99                              # 49,99
    return grosze(zl)


_PL = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def _ascii(text: str) -> str:
    """Polish letters to ASCII, for SKUs (^[A-Z0-9-]{3,40}$)."""
    return text.translate(_PL)


# Products whose fields are fixed because the contracts' examples use them
# (contracts/events/examples/*.json refer to TV-SAM-55Q80C).
PINNED = {
    "TV-SAM-55Q80C": {"price": 329900, "stock": 14, "weight_g": 17800,
                      "dimensions_mm": {"width": 1227, "height": 777, "depth": 260}},
}


def stock(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.05:
        return 0
    if r < 0.17:
        return rng.randint(1, 3)
    if r < 0.6:
        return rng.randint(4, 25)
    return rng.randint(26, 180)


def tvs(rng):
    models = [
        ("Samsung", "QLED", "Q80C", "QE{s}Q80C", [55, 65]),
        ("Samsung", "Crystal UHD", "CU7172", "UE{s}CU7172U", [43, 50, 55]),
        ("Samsung", "Neo QLED", "QN90C", "QE{s}QN90C", [55, 65]),
        ("LG", "OLED", "C3", "OLED{s}C32LA", [48, 55, 65]),
        ("LG", "NanoCell", "NANO81", "{s}NANO813QA", [50, 55]),
        ("LG", "UHD", "UR78", "{s}UR78003LK", [43, 50]),
        ("Sony", "Bravia XR", "A80L", "XR-{s}A80L", [55, 65]),
        ("Sony", "Bravia", "X75WL", "KD-{s}X75WL", [43, 50]),
        ("Philips", "Ambilight", "PUS8508", "{s}PUS8508/12", [43, 55, 65]),
        ("Philips", "OLED Ambilight", "OLED808", "{s}OLED808/12", [55]),
        ("TCL", "QLED", "C745", "{s}C745", [55, 65, 75]),
        ("TCL", "LED", "P635", "{s}P635", [32, 43]),
        ("Hisense", "ULED", "U7KQ", "{s}U7KQ", [55, 65]),
        ("Hisense", "UHD", "A6K", "{s}A6K", [43]),
    ]
    base_price = {"QLED": 62, "Crystal UHD": 38, "Neo QLED": 105, "OLED": 95, "NanoCell": 48, "UHD": 35,
                  "Bravia XR": 110, "Bravia": 45, "Ambilight": 52, "OLED Ambilight": 100, "LED": 30, "ULED": 70}
    out = []
    for brand, line, _code, pattern, sizes in models:
        for size in sizes:
            model = pattern.format(s=size)
            per_inch = base_price[line]
            price_zl = int(per_inch * size * (1 + (size - 50) / 90))
            price = shop_price(rng, int(price_zl * 0.95), int(price_zl * 1.05))
            width = int(size * 25.4 * 0.872) + rng.randint(5, 20)
            height = int(size * 25.4 * 0.49) + rng.randint(25, 60)
            depth = rng.randint(40, 90) if "OLED" in line else rng.randint(60, 95)
            if size >= 55:
                height_stand, depth_stand = height + rng.randint(40, 90), rng.randint(230, 320)
            else:
                height_stand, depth_stand = height + rng.randint(40, 70), rng.randint(180, 250)
            weight = int(size * size * 4.2) + rng.randint(-800, 1200)
            flags = (["large_appliance"] if size >= 55 else []) + ["fragile"]
            sku = f"TV-{brand[:3].upper()}-{size}{_code.upper()}"
            out.append(dict(sku=sku, name=f"Telewizor {brand} {line} {size}\" {model}", category="tv",
                            price=price, weight_g=max(weight, 4000),
                            dims=(width, height_stand, max(depth, depth_stand)), flags=flags))
    return out


def fridges(rng):
    rows = [
        ("Samsung", "RB34T672ESA", "z zamrażarką na dole, No Frost", 185, 595, 658, 62, 2599, 2999),
        ("Samsung", "RB38C775CS9", "z zamrażarką na dole, No Frost, Wi-Fi", 203, 595, 658, 70, 3499, 3999),
        ("Samsung", "RS68A8840S9", "Side by Side, dystrybutor wody", 178, 912, 716, 113, 6499, 7499),
        ("LG", "GBP62PZNAC", "z zamrażarką na dole, Total No Frost", 203, 595, 682, 72, 2999, 3499),
        ("LG", "GSLV71PZTM", "Side by Side, InstaView", 179, 913, 735, 120, 7999, 8999),
        ("LG", "GBB72NSUGN", "z zamrażarką na dole, DoorCooling+", 203, 595, 682, 74, 3299, 3799),
        ("Bosch", "KGN39VLCT", "Serie 4, No Frost", 203, 600, 665, 71, 2899, 3399),
        ("Bosch", "KGN36VLEC", "Serie 4, No Frost", 186, 600, 660, 66, 2599, 2999),
        ("Bosch", "KIR81AFE0", "do zabudowy, jednodrzwiowa", 177, 558, 545, 39, 3199, 3699),
        ("Siemens", "KG39NAIBT", "iQ500, hyperFresh", 203, 600, 665, 78, 3899, 4499),
        ("Beko", "B5RCNA405HXB", "b300, HarvestFresh", 203, 595, 663, 71, 2199, 2599),
        ("Beko", "RCSA270K40WN", "z zamrażarką na dole", 171, 540, 600, 55, 1299, 1599),
        ("Electrolux", "LNT7ME34X2", "700 TwinTech No Frost", 185, 595, 650, 67, 2799, 3199),
        ("Whirlpool", "W7X 93T OX", "Supreme NoFrost", 202, 596, 678, 77, 2999, 3499),
        ("Amica", "FK3356.4GBDFZAA", "Retro", 188, 600, 630, 69, 2499, 2899),
        ("Amica", "FK2995.2FTX", "z zamrażarką na dole", 176, 545, 570, 52, 1399, 1699),
        ("Gorenje", "NRK6202AXL4", "AdaptTech, No Frost Plus", 200, 600, 592, 69, 2399, 2799),
        ("Gorenje", "ORK192R", "Retro Collection, czerwona", 154, 600, 668, 60, 2999, 3299),
        ("Hisense", "RQ563N4SWI1", "Multi Door, French Door", 181, 794, 640, 108, 4499, 4999),
        ("Haier", "HTR5619ENMP", "Cube 90, 4-drzwiowa", 190, 908, 665, 115, 6999, 7999),
        ("Haier", "HDW3620DNPK", "3D Wi-Fi, No Frost", 200, 595, 667, 72, 2999, 3499),
        ("Sharp", "SJ-BA10IMXI1", "z zamrażarką na dole", 186, 595, 650, 63, 1899, 2199),
        ("Candy", "CCE4T618ES", "Fresco, z zamrażarką na dole", 185, 595, 650, 60, 1699, 1999),
        ("Liebherr", "CNsfd 5723", "Plus, EasyFresh", 201, 597, 675, 80, 3999, 4599),
        ("Liebherr", "T 1410", "podblatowa, jednodrzwiowa", 85, 501, 623, 30, 1399, 1699),
        ("Indesit", "LI8 S2E X", "z zamrażarką na dole", 189, 595, 655, 62, 1599, 1899),
    ]
    out = []
    for brand, model, desc, h_cm, w, d, kg, lo, hi in rows:
        sku = f"FR-{brand[:3].upper()}-{model.replace(' ', '').replace('.', '')}".upper()
        out.append(dict(sku=sku, name=f"Lodówka {brand} {model} ({desc})", category="fridge",
                        price=shop_price(rng, lo, hi), weight_g=kg * 1000 + rng.randint(0, 900),
                        dims=(w, h_cm * 10 + rng.randint(0, 9), d), flags=["large_appliance"]))
    return out


def washing_machines(rng):
    rows = [
        ("Bosch", "WAN2810KPL", "Serie 4, 8 kg, 1400 obr.", 8, 1999, 2399, 70),
        ("Bosch", "WGG2440MPL", "Serie 6, 9 kg, 1400 obr.", 9, 2699, 3099, 73),
        ("Bosch", "WAN24064PL", "Serie 4, 8 kg, 1200 obr.", 8, 1899, 2199, 70),
        ("Samsung", "WW90T534DAE", "EcoBubble, 9 kg, 1400 obr.", 9, 2199, 2599, 70),
        ("Samsung", "WW11BB744DGB", "AI Control, 11 kg, 1400 obr.", 11, 3299, 3699, 75),
        ("Samsung", "WW80TA046AE", "8 kg, 1400 obr.", 8, 1599, 1899, 65),
        ("LG", "F4WV709P1E", "Steam, 9 kg, 1400 obr.", 9, 2599, 2999, 70),
        ("LG", "F2WR508S0W", "AI DD, 8 kg, 1200 obr., slim", 8, 1899, 2199, 62),
        ("LG", "F4DR510S0W", "z suszarką, 10/6 kg", 10, 3199, 3599, 74),
        ("Electrolux", "EW6FN448BP", "PerfectCare 600, 8 kg", 8, 1999, 2299, 68),
        ("Electrolux", "EW7F349PSP", "PerfectCare 700, 9 kg, SteamCare", 9, 2699, 2999, 72),
        ("AEG", "LFR73944VE", "ProSteam 7000, 9 kg", 9, 3299, 3799, 75),
        ("Beko", "B5WFU78418WB", "SteamCure, 8 kg", 8, 1699, 1999, 68),
        ("Beko", "WUE6512XSSW", "slim, 6 kg, 1000 obr.", 6, 1099, 1299, 60),
        ("Whirlpool", "FFB 8458 WV PL", "FreshCare+, 8 kg", 8, 1599, 1899, 68),
        ("Whirlpool", "W6 W945WB EE", "Supreme Silence, 9 kg", 9, 2399, 2799, 72),
        ("Amica", "WA1S612CLSH", "slim, 6 kg", 6, 1199, 1399, 58),
        ("Amica", "WAN7T412", "ładowana od góry, 7 kg", 7, 1399, 1599, 60),
        ("Candy", "CS4 1272DE/1-S", "Smart, 7 kg, slim", 7, 1099, 1399, 62),
        ("Candy", "RO 1486DWMCE/1-S", "RapidÓ, 8 kg, Wi-Fi", 8, 1499, 1799, 67),
        ("Siemens", "WM14N2E0PL", "iQ300, 8 kg", 8, 2099, 2499, 70),
        ("Siemens", "WG44G2FDPL", "iQ500, 9 kg, iSensoric", 9, 2999, 3399, 74),
        ("Haier", "HW90-B14939", "I-Pro Series 3, 9 kg", 9, 1999, 2299, 72),
        ("Indesit", "BWSE 71283X WSV EU", "slim, 7 kg", 7, 1099, 1299, 60),
        ("Miele", "WWD320 WPS", "PWash, 8 kg", 8, 4799, 5499, 85),
        ("Gorenje", "WNEI84APS", "WaveActive, 8 kg, SteamTech", 8, 1799, 2099, 70),
    ]
    out = []
    for brand, model, desc, kg_load, lo, hi, kg in rows:
        top = "od góry" in desc
        slim = "slim" in desc
        w, h, d = (400, 900, 600) if top else (597, 850, 440 if slim else rng.choice([565, 590, 610]))
        sku = f"WM-{brand[:3].upper()}-{model.replace(' ', '').replace('/', '').replace('.', '')}".upper()
        out.append(dict(sku=sku, name=f"Pralka {brand} {model} ({desc})", category="washing_machine",
                        price=shop_price(rng, lo, hi), weight_g=kg * 1000 + rng.randint(0, 900),
                        dims=(w, h, d), flags=["large_appliance", "needs_installation"]))
    return out


def dishwashers(rng):
    rows = [
        ("Bosch", "SMS2HVI66E", "Serie 2, 60 cm, wolnostojąca", 60, False, 1899, 2299),
        ("Bosch", "SMS4HVI33E", "Serie 4, 60 cm, wolnostojąca", 60, False, 2299, 2699),
        ("Bosch", "SPS4HMI10E", "Serie 4, 45 cm, wolnostojąca", 45, False, 1899, 2199),
        ("Bosch", "SMV4HVX38E", "Serie 4, 60 cm, do zabudowy", 60, True, 2499, 2899),
        ("Bosch", "SPV2HKX39E", "Serie 2, 45 cm, do zabudowy", 45, True, 1799, 2099),
        ("Siemens", "SN23HI60AE", "iQ300, 60 cm, wolnostojąca", 60, False, 2199, 2599),
        ("Siemens", "SN65ZX07CE", "iQ500, 60 cm, do zabudowy, Zeolith", 60, True, 3999, 4599),
        ("Electrolux", "ESA47200SW", "300 AirDry, 60 cm", 60, False, 1499, 1799),
        ("Electrolux", "EEM48321L", "700 MaxiFlex, 60 cm, do zabudowy", 60, True, 2799, 3199),
        ("AEG", "FSE73727P", "7000 GlassCare, 60 cm, do zabudowy", 60, True, 3299, 3799),
        ("Beko", "DFN26420W", "60 cm, wolnostojąca", 60, False, 1299, 1599),
        ("Beko", "BDIS36120Q", "45 cm, do zabudowy, AutoDose", 45, True, 1899, 2299),
        ("Beko", "DVS05024W", "45 cm, wolnostojąca", 45, False, 1099, 1399),
        ("Whirlpool", "WFC 3C33 PF X", "60 cm, wolnostojąca, PowerDry", 60, False, 1599, 1899),
        ("Whirlpool", "WSIC 3M27", "45 cm, do zabudowy", 45, True, 1499, 1799),
        ("Samsung", "DW60A6092FS", "60 cm, wolnostojąca, Wi-Fi", 60, False, 1899, 2199),
        ("Samsung", "DW50R4070BB", "45 cm, do zabudowy", 45, True, 1699, 1999),
        ("Amica", "DFM66C8EOiBH", "60 cm, wolnostojąca", 60, False, 1599, 1899),
        ("Amica", "DIM46C6EBONH", "45 cm, do zabudowy", 45, True, 1399, 1699),
        ("Candy", "CF 3C7L0W", "45 cm, wolnostojąca", 45, False, 1099, 1299),
        ("Hisense", "HS643D60X", "60 cm, wolnostojąca", 60, False, 1699, 1999),
        ("Gorenje", "GS642E90W", "60 cm, wolnostojąca", 60, False, 1499, 1799),
        ("Gorenje", "GV520E10", "45 cm, do zabudowy", 45, True, 1399, 1599),
        ("Miele", "G 5110 SC Active", "60 cm, wolnostojąca", 60, False, 3299, 3799),
        ("Indesit", "DSFO 3T224 Z", "45 cm, wolnostojąca", 45, False, 1199, 1399),
        ("LG", "DF325FPS", "QuadWash Steam, 60 cm, wolnostojąca", 60, False, 2599, 2999),
    ]
    out = []
    for brand, model, desc, width_cm, built_in, lo, hi in rows:
        w = 598 if width_cm == 60 else 448
        h = 815 if built_in else 845
        d = 550 if built_in else 600
        kg = (38 if width_cm == 60 else 33) + rng.randint(0, 8)
        sku = f"DW-{brand[:3].upper()}-{model.replace(' ', '')}".upper()
        out.append(dict(sku=sku, name=f"Zmywarka {brand} {model} ({desc})", category="dishwasher",
                        price=shop_price(rng, lo, hi), weight_g=kg * 1000 + rng.randint(0, 900),
                        dims=(w, h, d), flags=["large_appliance", "needs_installation"]))
    return out


def furniture(rng):
    rows = [
        ("Szafa", "BRW", "Kaspian", "trzydrzwiowa z lustrem, dąb sonoma", (1500, 2050, 580), 105, 1299, 1599, False),
        ("Szafa", "BRW", "Flames", "dwudrzwiowa, biała", (1000, 2000, 550), 72, 799, 999, False),
        ("Szafa przesuwna", "Komfort", "Bali", "200 cm, biały połysk z lustrem", (2000, 2150, 610), 160, 2199, 2599, True),
        ("Szafa przesuwna", "Forte", "Hamburg", "170 cm, grafit", (1700, 2120, 600), 132, 1599, 1899, False),
        ("Komoda", "BRW", "Nepo Plus", "4 szuflady, biała", (800, 880, 400), 32, 349, 449, False),
        ("Komoda", "VOX", "Nature", "6 szuflad, dąb", (1200, 850, 450), 58, 1799, 2099, False),
        ("Komoda", "Forte", "Tiziana", "3 drzwi, 2 szuflady, artisan", (1600, 830, 420), 64, 899, 1099, False),
        ("Komoda", "Halmar", "Ascot", "czarna ze złotymi uchwytami", (1400, 860, 420), 49, 999, 1299, False),
        ("Szafka RTV", "BRW", "Erla", "160 cm, biała", (1600, 450, 420), 38, 449, 599, False),
        ("Szafka RTV", "Halmar", "Monako", "180 cm, wotan", (1800, 520, 400), 42, 599, 799, False),
        ("Szafka RTV", "VOX", "Spot", "150 cm, szkło hartowane", (1500, 480, 380), 35, 799, 999, True),
        ("Biurko", "BRW", "Lori", "120 cm, biały mat", (1200, 760, 600), 28, 349, 449, False),
        ("Biurko", "Szynaka", "Oslo", "140 cm, dąb naturalny", (1400, 750, 700), 36, 599, 799, False),
        ("Biurko gamingowe", "Diablo Chairs", "X-Mate 1400", "podnoszone elektrycznie", (1400, 1250, 700), 48, 1499, 1899, False),
        ("Regał", "BRW", "Nepo Plus", "5 półek, biały", (600, 1830, 300), 34, 299, 399, False),
        ("Regał", "Forte", "Kaja", "narożny, dąb artisan", (800, 1960, 380), 41, 499, 649, False),
        ("Łóżko", "Halmar", "Sonata", "160x200, tapicerowane, szare", (1750, 1100, 2150), 85, 1899, 2299, False),
        ("Łóżko", "BRW", "Tetrix", "140x200, z pojemnikiem", (1480, 950, 2050), 74, 1299, 1599, False),
        ("Łóżko piętrowe", "Meblik", "Kubuś", "90x200, sosna", (980, 1600, 2080), 68, 1399, 1699, False),
        ("Stolik kawowy", "Halmar", "Calabria", "szklany blat, czarny", (1100, 450, 600), 22, 399, 499, True),
        ("Stolik kawowy", "VOX", "Simple", "dąb, 100 cm", (1000, 400, 550), 18, 599, 699, False),
        ("Stół", "Halmar", "Veroni", "rozkładany 120-160 cm, dąb", (1200, 760, 800), 45, 899, 1099, False),
        ("Krzesło", "Halmar", "K214", "tapicerowane, szare, 2 szt.", (450, 960, 560), 14, 299, 399, False),
        ("Witryna", "BRW", "Kaspian", "jednodrzwiowa, szkło", (600, 1980, 400), 56, 899, 1099, True),
        ("Szafka na buty", "Forte", "Kaja", "3 klapy, biała", (800, 1100, 250), 24, 249, 349, False),
        ("Garderoba", "Komfort", "Modulo", "system otwarty, 220 cm", (2200, 2000, 450), 95, 1999, 2399, False),
        ("Szafka łazienkowa", "Elita", "Kwadro", "słupek 170 cm, biała", (400, 1700, 320), 29, 449, 599, False),
        ("Narożnik", "Black Red White", "Lanto", "z funkcją spania, szary welur", (2700, 900, 1650), 118, 2999, 3499, False),
        ("Sofa", "Gala Collezione", "Como", "trzyosobowa, butelkowa zieleń", (2100, 850, 950), 72, 2499, 2999, False),
    ]
    out = []
    for kind, brand, model, desc, dims, kg, lo, hi, glass in rows:
        tag = "".join(ch for ch in _ascii(model).upper() if ch.isalnum())[:10]
        kind_tag = "".join(w[0] for w in _ascii(kind).upper().split())[:3]
        sku = f"FU-{brand.split()[0][:3].upper()}-{kind_tag}-{tag}"
        flags = ["needs_assembly"] + (["fragile"] if glass else [])
        out.append(dict(sku=sku, name=f"{kind} {brand} {model} ({desc})", category="furniture",
                        price=shop_price(rng, lo, hi), weight_g=kg * 1000 + rng.randint(0, 900),
                        dims=dims, flags=flags))
    return out


def laptops(rng):
    rows = [
        ("Lenovo", "IdeaPad 3 15IAU7", "i5-1235U, 16 GB, 512 GB SSD, 15,6\"", 2499, 2899, 1630, (359, 20, 236)),
        ("Lenovo", "IdeaPad Slim 5 14IRL8", "i5-13420H, 16 GB, 512 GB SSD, 14\"", 3299, 3699, 1460, (313, 17, 221)),
        ("Lenovo", "ThinkPad E16 Gen 1", "i7-1355U, 16 GB, 1 TB SSD, 16\"", 4799, 5299, 1770, (356, 20, 249)),
        ("Lenovo", "Legion 5 15ARH7H", "Ryzen 7 6800H, RTX 3060, 16 GB, 15,6\"", 5999, 6599, 2400, (358, 24, 262)),
        ("HP", "15s-fq5111nw", "i5-1235U, 8 GB, 512 GB SSD, 15,6\"", 2199, 2499, 1690, (358, 18, 242)),
        ("HP", "Pavilion 15-eg3", "i7-1355U, 16 GB, 1 TB SSD, 15,6\"", 3699, 4099, 1740, (360, 18, 234)),
        ("HP", "Victus 16-r0", "i5-13500H, RTX 4050, 16 GB, 16,1\"", 4499, 4999, 2310, (369, 24, 259)),
        ("HP", "EliteBook 840 G10", "i7-1355U, 32 GB, 1 TB SSD, 14\"", 6999, 7799, 1360, (315, 19, 224)),
        ("Dell", "Inspiron 15 3520", "i5-1235U, 8 GB, 512 GB SSD, 15,6\"", 2399, 2699, 1650, (358, 19, 236)),
        ("Dell", "Vostro 3430", "i5-1335U, 16 GB, 512 GB SSD, 14\"", 3099, 3499, 1480, (324, 19, 215)),
        ("Dell", "XPS 13 9315", "i7-1250U, 16 GB, 512 GB SSD, 13,4\"", 6299, 6999, 1170, (295, 14, 199)),
        ("Asus", "Vivobook 15 X1504ZA", "i5-1235U, 16 GB, 512 GB SSD, 15,6\"", 2599, 2899, 1700, (360, 20, 232)),
        ("Asus", "Zenbook 14 OLED UX3402VA", "i7-1360P, 16 GB, 1 TB SSD, 14\"", 4999, 5499, 1390, (313, 17, 221)),
        ("Asus", "TUF Gaming F15 FX507ZC4", "i5-12500H, RTX 3050, 16 GB, 15,6\"", 3699, 4199, 2200, (354, 25, 251)),
        ("Asus", "ROG Strix G16 G614JV", "i7-13650HX, RTX 4060, 16 GB, 16\"", 6999, 7699, 2500, (354, 23, 264)),
        ("Acer", "Aspire 5 A515-57", "i5-12450H, 16 GB, 512 GB SSD, 15,6\"", 2699, 2999, 1780, (362, 18, 237)),
        ("Acer", "Swift Go 14 SFG14-71", "i5-13500H, 16 GB, 512 GB SSD, 14\" OLED", 3999, 4499, 1250, (312, 15, 217)),
        ("Acer", "Nitro 5 AN515-58", "i5-12500H, RTX 4050, 16 GB, 15,6\"", 4299, 4799, 2500, (360, 27, 271)),
        ("Apple", "MacBook Air 13 M2", "8 GB, 256 GB SSD, północ", 4999, 5499, 1240, (304, 11, 215)),
        ("Apple", "MacBook Air 15 M2", "8 GB, 256 GB SSD, srebrny", 6299, 6799, 1510, (340, 12, 238)),
        ("Apple", "MacBook Pro 14 M3", "8 GB, 512 GB SSD, gwiezdna szarość", 8499, 8999, 1550, (313, 16, 221)),
        ("Apple", "MacBook Pro 16 M3 Pro", "18 GB, 512 GB SSD, gwiezdna czerń", 12999, 13999, 2140, (356, 17, 248)),
        ("MSI", "Thin GF63 12UCX", "i5-12450H, RTX 2050, 8 GB, 15,6\"", 2999, 3399, 1860, (359, 22, 254)),
        ("MSI", "Katana 15 B13VFK", "i7-13620H, RTX 4060, 16 GB, 15,6\"", 5499, 5999, 2250, (359, 25, 259)),
        ("Huawei", "MateBook D 16 2024", "i5-12450H, 16 GB, 512 GB SSD, 16\"", 3199, 3599, 1680, (357, 18, 249)),
        ("Microsoft", "Surface Laptop 5", "i5-1235U, 8 GB, 256 GB SSD, 13,5\"", 4799, 5299, 1270, (308, 15, 223)),
        ("Lenovo", "Yoga 7 14IRL8", "i7-1360P, 16 GB, 1 TB SSD, 14\" 2w1", 4699, 5199, 1490, (318, 17, 229)),
    ]
    out = []
    for brand, model, desc, lo, hi, grams, (w, h, d) in rows:
        tag = "".join(ch for ch in model.upper() if ch.isalnum())[:22]
        sku = f"LT-{brand[:3].upper()}-{tag}"
        out.append(dict(sku=sku, name=f"Laptop {brand} {model} ({desc})", category="laptop",
                        price=shop_price(rng, lo, hi), weight_g=grams + 600,  # with box and charger
                        dims=(w + 80, d + 60, h + 70), flags=[]))
    return out


def phones(rng):
    rows = [
        ("Samsung", "Galaxy S24", "8/256 GB, Onyx Black", 4099, 4499, 167, (71, 147, 8)),
        ("Samsung", "Galaxy S24 Ultra", "12/512 GB, Titanium Gray", 6499, 6999, 232, (79, 162, 9)),
        ("Samsung", "Galaxy A55 5G", "8/128 GB, granatowy", 1799, 1999, 213, (78, 161, 8)),
        ("Samsung", "Galaxy A35 5G", "6/128 GB, lodowy błękit", 1399, 1599, 209, (78, 161, 8)),
        ("Samsung", "Galaxy A15", "4/128 GB, czarny", 649, 799, 200, (77, 160, 8)),
        ("Samsung", "Galaxy Z Flip5", "8/256 GB, mięta", 4299, 4799, 187, (72, 165, 7)),
        ("Apple", "iPhone 15", "128 GB, czarny", 3999, 4299, 171, (72, 148, 8)),
        ("Apple", "iPhone 15 Pro", "256 GB, tytan naturalny", 5999, 6399, 187, (71, 147, 8)),
        ("Apple", "iPhone 15 Pro Max", "256 GB, tytan błękitny", 6599, 6999, 221, (77, 160, 8)),
        ("Apple", "iPhone 14", "128 GB, północ", 3399, 3699, 172, (72, 147, 8)),
        ("Apple", "iPhone 13", "128 GB, księżycowa poświata", 2799, 3099, 174, (72, 147, 8)),
        ("Xiaomi", "Redmi Note 13 Pro 5G", "8/256 GB, czarny", 1499, 1699, 187, (75, 161, 8)),
        ("Xiaomi", "Redmi 13C", "4/128 GB, zielony", 499, 599, 192, (78, 168, 8)),
        ("Xiaomi", "14", "12/512 GB, czarny", 4299, 4699, 193, (71, 152, 8)),
        ("Xiaomi", "13T Pro", "12/512 GB, błękitny", 3299, 3699, 200, (76, 162, 8)),
        ("Motorola", "moto g84 5G", "12/256 GB, Viva Magenta", 1099, 1299, 166, (74, 160, 8)),
        ("Motorola", "edge 40 neo", "12/256 GB, czarny", 1599, 1799, 172, (72, 159, 8)),
        ("Motorola", "moto g14", "4/128 GB, szary", 549, 649, 177, (74, 162, 8)),
        ("Google", "Pixel 8", "8/128 GB, Obsidian", 3299, 3599, 187, (71, 151, 9)),
        ("Google", "Pixel 8 Pro", "12/128 GB, Bay", 4699, 4999, 213, (76, 163, 9)),
        ("OnePlus", "12", "12/256 GB, Silky Black", 4099, 4499, 220, (76, 164, 9)),
        ("OnePlus", "Nord CE3 Lite 5G", "8/128 GB, Pastel Lime", 999, 1199, 195, (76, 165, 8)),
        ("realme", "11 Pro+ 5G", "12/512 GB, Sunrise Beige", 1899, 2199, 183, (74, 161, 8)),
        ("realme", "C55", "8/256 GB, Rainy Night", 799, 899, 189, (76, 165, 8)),
        ("Nothing", "Phone (2)", "12/256 GB, biały", 2999, 3299, 201, (76, 162, 9)),
        ("Honor", "Magic5 Lite 5G", "6/128 GB, Midnight Black", 1099, 1299, 175, (75, 162, 8)),
        ("Oppo", "Reno10 5G", "8/256 GB, Silvery Grey", 1799, 1999, 185, (75, 162, 8)),
    ]
    out = []
    for brand, model, desc, lo, hi, grams, (w, h, d) in rows:
        tag = "".join(ch for ch in model.upper() if ch.isalnum())[:20]
        mem = "".join(ch for ch in desc.split(",")[0] if ch.isdigit())[-4:]
        sku = f"PH-{brand[:3].upper()}-{tag}-{mem}"
        out.append(dict(sku=sku, name=f"Smartfon {brand} {model} {desc}", category="phone",
                        price=shop_price(rng, lo, hi), weight_g=grams + 250,  # in the box
                        dims=(w + 20, h + 20, d + 40), flags=[]))
    return out


def accessories(rng):
    rows = [
        ("Kabel HDMI 2.1", "Ugreen", "8K, 2 m", "HDMI-UGR-2M", 49, 69, 120, (150, 40, 200), []),
        ("Kabel HDMI 2.0", "Vivanco", "4K, 1,5 m", "HDMI-VIV-15", 29, 45, 100, (140, 40, 190), []),
        ("Kabel HDMI 2.1", "Hama", "Ultra High Speed, 3 m", "HDMI-HAM-3M", 69, 99, 160, (160, 40, 210), []),
        ("Uchwyt ścienny do TV", "Vogel's", "Comfort TVM 3645, 40-77\", uchylno-obrotowy", "WALL-VOG-TVM3645", 499, 649, 5200, (540, 110, 450), []),
        ("Uchwyt ścienny do TV", "Maclean", "MC-750, 32-55\", stały", "WALL-MAC-MC750", 59, 89, 1400, (460, 60, 330), []),
        ("Uchwyt ścienny do TV", "Sony", "SU-WL450, do Bravia", "WALL-SON-SUWL450", 299, 399, 1900, (430, 80, 260), []),
        ("Listwa zasilająca", "APC", "SurgeArrest PM5-GR, 5 gniazd", "PS-APC-PM5GR", 89, 129, 650, (380, 60, 90), []),
        ("Listwa zasilająca", "Belkin", "8 gniazd, ochrona przepięciowa", "PS-BEL-8OUT", 149, 199, 900, (450, 60, 100), []),
        ("Ładowarka sieciowa", "Samsung", "25 W, USB-C, biała", "CHG-SAM-25W", 59, 89, 90, (60, 110, 40), []),
        ("Ładowarka sieciowa", "Apple", "20 W USB-C", "CHG-APP-20W", 89, 109, 80, (60, 110, 40), []),
        ("Ładowarka indukcyjna", "Anker", "PowerWave Pad 10 W", "CHG-ANK-PWPAD", 69, 99, 180, (120, 130, 40), []),
        ("Etui", "Spigen", "Ultra Hybrid do iPhone 15, przezroczyste", "CASE-SPI-IP15UH", 69, 99, 60, (90, 180, 20), []),
        ("Etui", "Samsung", "Silicone Case do Galaxy S24, czarne", "CASE-SAM-S24SIL", 99, 149, 50, (90, 180, 20), []),
        ("Szkło hartowane", "PanzerGlass", "do Galaxy A55", "GLASS-PAN-A55", 59, 89, 40, (100, 190, 15), ["fragile"]),
        ("Słuchawki bezprzewodowe", "Sony", "WH-1000XM5, czarne", "HP-SON-WH1000XM5", 1299, 1599, 600, (220, 270, 90), []),
        ("Słuchawki douszne", "Apple", "AirPods Pro (2. generacji) USB-C", "HP-APP-AIRPODSPRO2", 999, 1199, 180, (110, 110, 50), []),
        ("Słuchawki douszne", "JBL", "Tune 520BT, niebieskie", "HP-JBL-T520BT", 179, 229, 300, (180, 220, 70), []),
        ("Mysz bezprzewodowa", "Logitech", "M185, szara", "MOUSE-LOG-M185", 49, 69, 120, (100, 150, 40), []),
        ("Mysz", "Logitech", "MX Master 3S, grafitowa", "MOUSE-LOG-MXM3S", 399, 479, 300, (130, 170, 70), []),
        ("Torba na laptopa", "Targus", "CityGear 15,6\"", "BAG-TAR-CG156", 149, 199, 900, (420, 320, 60), []),
        ("Plecak na laptopa", "Samsonite", "Guardit 2.0, 15,6\"", "BAG-SAM-GUARDIT", 299, 399, 1200, (450, 320, 150), []),
        ("Wąż dopływowy do pralki", "Electrolux", "1,5 m, z zabezpieczeniem Aquastop", "WM-HOSE-ELX-15", 69, 99, 450, (200, 60, 200), []),
        ("Podstawa pod pralkę", "Meliconi", "z szufladą, biała", "WM-BASE-MEL", 249, 299, 9500, (620, 340, 560), []),
        ("Filtr wody do lodówki", "Samsung", "HAF-QIN/EXP", "FR-FILTER-SAM-QIN", 149, 199, 300, (90, 250, 90), []),
        ("Tabletki do zmywarki", "Finish", "Ultimate Plus, 60 szt.", "DW-TABS-FIN-60", 79, 99, 1100, (200, 160, 110), []),
        ("Sól do zmywarki", "Finish", "1,5 kg", "DW-SALT-FIN-15", 12, 19, 1550, (160, 250, 80), []),
        ("Soundbar", "Samsung", "HW-Q600C, 3.1.2, Dolby Atmos", "SB-SAM-HWQ600C", 1199, 1499, 7800, (1070, 250, 340), ["fragile"]),
        ("Powerbank", "Xiaomi", "Mi 20000 mAh, 22,5 W", "PB-XIA-20000", 99, 149, 480, (160, 110, 50), []),
        ("Pilot uniwersalny", "One For All", "URC 7120 Smart Control", "REMOTE-OFA-URC7120", 79, 109, 150, (60, 230, 40), []),
        ("Kabel USB-C", "Baseus", "100 W, 2 m, oplot", "USBC-BAS-100W-2M", 39, 59, 110, (120, 40, 160), []),
        ("Zestaw do czyszczenia ekranów", "Hama", "spray 200 ml + ściereczka", "CLEAN-HAM-200", 25, 39, 260, (70, 200, 70), []),
    ]
    out = []
    for kind, brand, desc, code, lo, hi, grams, dims, flags in rows:
        out.append(dict(sku=f"ACC-{code}", name=f"{kind} {brand} {desc}", category="accessory",
                        price=shop_price(rng, lo, hi), weight_g=grams, dims=dims, flags=list(flags)))
    return out


# Extra services are catalog products too (category "service"; the Cart adds them with
# type=service). "standalone" ones have no parent line (service_standalone); the others are
# tied to a line (service_item) and priced per line. No weight, no size, practically unlimited stock.
SERVICE_STOCK = 100000


def services(_rng):
    rows = [
        ("SRV-CARRY-IN", "Wniesienie sprzętu do mieszkania", 9900, False),
        ("SRV-ASSEMBLY", "Montaż mebli", 14900, False),
        ("SRV-INSTALL-WASHER", "Instalacja pralki", 12900, False),
        ("SRV-INSTALL-DISHWASHER", "Instalacja zmywarki", 14900, False),
        ("SRV-TV-WALL-MOUNT", "Montaż TV na ścianie", 19900, False),
        ("SRV-OLD-PICKUP", "Odbiór starego sprzętu", 1900, False),
        ("SRV-SMS", "Powiadomienie SMS", 99, True),
        ("SRV-GIFT-WRAP", "Pakowanie na prezent", 1990, True),
        ("SRV-EXT-SUPPORT", "Rozszerzone wsparcie techniczne (12 miesięcy)", 14900, True),
    ]
    return [dict(sku=sku, name=name, category="service", price=price, weight_g=0, dims=(0, 0, 0),
                 flags=["standalone"] if standalone else [], stock=SERVICE_STOCK)
            for sku, name, price, standalone in rows]


def generate(seed: int) -> list[dict]:
    rng = random.Random(seed)
    products = []
    for make in (tvs, fridges, washing_machines, dishwashers, furniture, laptops, phones, accessories,
                 services):
        products.extend(make(rng))
    out, seen = [], set()
    for p in products:
        sku = p["sku"]
        if sku in seen:
            raise SystemExit(f"duplicate sku {sku}")
        seen.add(sku)
        w, h, d = p["dims"]
        out.append({"sku": sku, "name": p["name"], "category": p["category"], "price": p["price"],
                    "currency": "PLN", "stock": p["stock"] if "stock" in p else stock(rng), "weight_g": p["weight_g"],
                    "dimensions_mm": {"width": w, "height": h, "depth": d}, "flags": p["flags"]})
        out[-1].update(PINNED.get(sku, {}))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "sample_catalog.jsonl")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args()
    products = generate(args.seed)
    with args.out.open("w", encoding="utf-8", newline="\n") as f:
        for p in products:
            f.write(json.dumps(p, ensure_ascii=False, separators=(", ", ": ")) + "\n")
    print(f"wrote {len(products)} products to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
