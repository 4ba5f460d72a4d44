/// Words that mark street addresses in several European languages, matched in lower case.
enum StreetAddressLexicon {
    /// Street-type words that follow the name, as in `Seaford Road` or `Church St`.
    ///
    /// USPS Publication 28 suffixes (Appendix C1, public domain) plus common UK forms.
    static let suffixes: Set<String> = [
        "allee", "alley", "annex", "arcade", "avenue", "ave", "av", "bayou", "beach", "bend", "bluff", "bluffs",
        "bottom", "boulevard", "blvd", "branch", "brook", "brooks", "burg", "burgs", "bypass", "camp",
        "canyon", "cape", "causeway", "center", "centers", "centre", "centret", "circle", "circles", "cir", "cliff",
        "cliffs", "common", "commons", "corner", "corners", "course", "court", "courts", "ct", "cove",
        "coves", "creek", "crescent", "cres", "crest", "crossing", "crossroad", "curve", "dale", "divide",
        "drive", "drives", "dr", "estate", "estates", "expressway", "extension", "extensions", "falls", "ferry",
        "field", "fields", "flat", "flats", "ford", "fords", "forest", "forge", "forges", "fork", "forks", "fort",
        "freeway", "garden", "gardens", "gateway", "glen", "glens", "green", "greens", "grove", "groves", "harbor",
        "harbors", "haven", "heights", "highway", "hwy", "hill", "hills", "hollow", "inlet", "island", "islands",
        "isle", "junction", "junctions", "knoll", "knolls", "lake", "lakes", "land", "landing",
        "lane", "ln", "light", "lights", "loaf", "lock", "locks", "lodge", "loop", "mall", "manor", "manors",
        "meadow", "meadows", "mews", "mill", "mills", "mission", "motorway", "mount", "mountain", "mountains",
        "neck", "orchard", "oval", "overpass", "park", "parks", "parkway", "parkways", "pkwy", "pass", "passage",
        "path", "pike", "pine", "pines", "place", "pl", "plain", "plains", "plaza", "point", "points", "port",
        "ports", "prairie", "radial", "ramp", "ranch", "rapid", "rapids", "rest", "ridge", "ridges", "river",
        "road", "roads", "rd", "route", "row", "run", "shoal", "shoals", "shore", "shores", "skyway", "spring",
        "springs", "spur", "spurs", "square", "squares", "sq", "station", "stravenue", "stream", "street",
        "streets", "st", "summit", "terrace", "ter", "throughway", "trace", "track", "trafficway", "trail", "trl",
        "trailer", "tunnel", "turnpike", "underpass", "valley", "valleys", "viaduct", "view",
        "views", "village", "villages", "ville", "vista", "walk", "walks", "wall", "way", "ways", "well", "wells",
        "close", "wharf", "quay", "embankment", "parade", "rise", "vale", "fasor",
    ]

    /// Suffixes that also end ordinary place names (`Hyde Park`, `Silver Lake`): they need a house number.
    static let weakSuffixes: Set<String> = [
        "park", "parks", "hill", "hills", "lake", "lakes", "river", "island", "islands", "isle", "mount", "mountain",
        "mountains", "point", "points", "port", "ports", "harbor", "harbors", "beach", "valley", "valleys", "view",
        "views", "village", "villages", "forest", "field", "fields", "green", "greens", "garden", "gardens",
        "station", "center", "centers", "centre", "mall", "lodge", "camp", "cape", "fort", "spring", "springs",
        "falls", "heights", "common", "commons", "estate", "estates", "landing", "haven", "glen", "glens", "bayou",
    ]

    /// Abbreviated suffixes, which also abbreviate titles (`Dr.`, `St.`): they need a house number.
    static let abbreviations: Set<String> = [
        "st", "rd", "dr", "av", "ave", "blvd", "ct", "ln", "pl", "sq", "ter", "trl", "cir", "cres", "hwy", "pkwy",
    ]

    /// Street-type words that precede the name: `Rue de Libya`, `Via Roma`, `ul. Okólna`.
    static let prefixes: Set<String> = [
        "rue", "via", "viale", "vicolo", "calle", "carrer", "avenida", "avda", "rua", "travessa", "strada",
        "stradone", "piazza", "piazzale", "corso", "largo", "ul", "ulica", "aleja", "al", "chemin", "allée",
        "allee", "route", "impasse", "quai", "cours", "rambla", "paseo", "camino", "praça", "praca", "rond",
        "boulevard", "avenue", "place", "ulitsa", "prospekt", "odos", "leoforos", "vila", "plac", "sokak",
        "caddesi", "jalan", "postbox", "postboks", "apartado", "casilla", "praceta", "costanera", "utca",
    ]

    /// Endings of one-word street names: `Strickstrasse`, `Noordstraat`, `Lukkarinmäentie`, `Suðurgata`.
    static let morphemes: [String] = [
        "strasse", "straße", "str", "gasse", "weg", "allee", "platz", "ring", "damm", "ufer", "steig", "pfad",
        "vej", "vägen", "vagen", "gatan", "gata", "gade", "veien", "vegen", "stræti", "straeti", "laan",
        "straat", "plein", "gracht", "kade", "dreef", "singel", "utca", "út", "tér", "körút", "tie", "katu",
        "kuja", "polku", "rakpart", "stig", "bakken", "torget", "torv", "sgade", "gränd", "backe",
    ]

    /// Unit and post-box words followed by a number: `Apt. 617`, `Suite 398`, `Box 7746`.
    static let units: Set<String> = [
        "apt", "apartment", "suite", "ste", "unit", "box", "postbox", "floor", "flat", "room", "bldg", "building",
    ]

    /// Small words allowed inside a street name: `Rue de la Paix`, `Place du Jeu de Paume`.
    static let particles: Set<String> = [
        "de", "du", "des", "la", "le", "les", "del", "della", "di", "da", "do", "dos", "das", "von", "van", "der",
        "den", "het", "el", "al", "à", "a", "y", "e", "of", "the", "and", "et", "und",
    ]

    /// Words before an address that make a bare `Name 12` shape an address.
    static let cues: Set<String> = [
        "address", "adress", "addr", "lives", "live", "living", "located", "sent", "send", "ship", "deliver",
        "delivered", "meet", "meeting", "moved", "return", "drops", "mail", "mailed", "post", "at", "to",
    ]

    /// Military post-office designators: `APO AE 59072`.
    static let militaryOffices: Set<String> = ["apo", "fpo", "dpo"]
}
