"""Tables the seeded customers are drawn from: real ISO 3166-2 subdivisions, plausible names and addresses.

Phone numbers come from ranges set aside for fiction (US/CA 555-01xx, UK Ofcom drama numbers, AU 5550),
email addresses and websites from the reserved `example.*` domains, so seeded data never names a real person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class City:
    name: str
    subdivision: str  # ISO 3166-2 code without the country prefix
    postal_code: str  # a template: `#` is a digit, `@` an upper-case letter
    phone_prefix: str  # E.164 prefix; the rest are digits from the fictional range
    phone_digits: int


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    business_suffixes: tuple[str, ...]
    street_number_first: bool
    personal_ids: tuple[str, ...]
    business_ids: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country(
        code="US",
        cities=(
            City("San Francisco", "CA", "941##", "+1415555010", 1),
            City("New York", "NY", "100##", "+1212555010", 1),
            City("Austin", "TX", "787##", "+1512555010", 1),
            City("Seattle", "WA", "981##", "+1206555010", 1),
            City("Chicago", "IL", "606##", "+1312555010", 1),
            City("Boston", "MA", "021##", "+1617555010", 1),
            City("Miami", "FL", "331##", "+1305555010", 1),
            City("Denver", "CO", "802##", "+1303555010", 1),
        ),
        streets=("Market Street", "Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Park Place"),
        first_names=(
            "James",
            "Maria",
            "Robert",
            "Linda",
            "Michael",
            "Aisha",
            "David",
            "Emily",
            "Carlos",
            "Grace",
        ),
        last_names=(
            "Smith",
            "Johnson",
            "Garcia",
            "Brown",
            "Nguyen",
            "Miller",
            "Davis",
            "Wilson",
            "Lopez",
            "Kim",
        ),
        business_suffixes=("LLC", "Inc.", "Corp."),
        street_number_first=True,
        personal_ids=("social_security_number", "drivers_license", "passport"),
        business_ids=("employer_identification_number",),
    ),
    Country(
        code="CA",
        cities=(
            City("Toronto", "ON", "M5V #@#", "+1416555010", 1),
            City("Vancouver", "BC", "V6B #@#", "+1604555010", 1),
            City("Montréal", "QC", "H2X #@#", "+1514555010", 1),
            City("Calgary", "AB", "T2P #@#", "+1403555010", 1),
        ),
        streets=(
            "King Street West",
            "Robson Street",
            "Rue Sainte-Catherine",
            "Stephen Avenue",
            "Queen Street",
        ),
        first_names=("Liam", "Olivia", "Noah", "Chloé", "Ethan", "Maya", "Lucas", "Sophie", "Owen", "Léa"),
        last_names=(
            "Tremblay",
            "Roy",
            "Gagnon",
            "MacDonald",
            "Campbell",
            "Wong",
            "Singh",
            "Bouchard",
            "Martin",
        ),
        business_suffixes=("Ltd.", "Inc.", "Corp."),
        street_number_first=True,
        personal_ids=("passport", "drivers_license", "tax_identification_number"),
        business_ids=("business_registration_number",),
    ),
    Country(
        code="GB",
        cities=(
            City("London", "LND", "EC2V #@@", "+4420794600", 2),
            City("Manchester", "MAN", "M1 #@@", "+4416149600", 2),
            City("Edinburgh", "EDH", "EH1 #@@", "+4413149600", 2),
            City("Birmingham", "BIR", "B1 #@@", "+4412149600", 2),
            City("Bristol", "BST", "BS1 #@@", "+4411749600", 2),
        ),
        streets=("High Street", "Station Road", "Victoria Road", "Church Lane", "Mill Road"),
        first_names=("Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Freya", "Arjun", "Poppy"),
        last_names=("Taylor", "Jones", "Williams", "Evans", "Thomas", "Patel", "Walker", "Wright", "Hughes"),
        business_suffixes=("Ltd", "PLC", "LLP"),
        street_number_first=True,
        personal_ids=("passport", "drivers_license", "tax_identification_number"),
        business_ids=("business_registration_number",),
    ),
    Country(
        code="DE",
        cities=(
            City("Berlin", "BE", "10###", "+4930555", 5),
            City("München", "BY", "80###", "+4989555", 5),
            City("Hamburg", "HH", "20###", "+4940555", 5),
            City("Frankfurt am Main", "HE", "60###", "+4969555", 5),
        ),
        streets=("Hauptstraße", "Schillerstraße", "Gartenweg", "Bahnhofstraße", "Lindenallee"),
        first_names=("Lukas", "Anna", "Felix", "Lena", "Jonas", "Mia", "Paul", "Emma", "Elias", "Hannah"),
        last_names=(
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Hoffmann",
        ),
        business_suffixes=("GmbH", "AG", "KG"),
        street_number_first=False,
        personal_ids=("identification_card", "passport", "tax_identification_number"),
        business_ids=("business_registration_number", "tax_identification_number"),
    ),
    Country(
        code="AU",
        cities=(
            City("Sydney", "NSW", "2000", "+61255500", 3),
            City("Melbourne", "VIC", "3000", "+61355500", 3),
            City("Brisbane", "QLD", "4000", "+61755500", 3),
            City("Perth", "WA", "6000", "+61855500", 3),
        ),
        streets=("George Street", "Collins Street", "Queen Street", "Hay Street", "Elizabeth Street"),
        first_names=(
            "Jack",
            "Charlotte",
            "William",
            "Matilda",
            "Thomas",
            "Zoe",
            "Lachlan",
            "Ruby",
            "Mei",
            "Ivy",
        ),
        last_names=("Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Anderson", "Chen", "Ryan"),
        business_suffixes=("Pty Ltd", "Ltd"),
        street_number_first=True,
        personal_ids=("passport", "drivers_license", "tax_identification_number"),
        business_ids=("business_registration_number",),
    ),
)

#: Share of seeded customers per country, in COUNTRIES order.
COUNTRY_WEIGHTS = (0.45, 0.15, 0.15, 0.15, 0.10)

MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"

BUSINESS_WORDS = (
    "Northwind",
    "Blue Harbor",
    "Cedar & Stone",
    "Brightline",
    "Granite Peak",
    "Silverleaf",
    "Lakeside",
    "Ironbridge",
    "Sunrise",
    "Redwood",
    "Harbourview",
    "Kestrel",
)
BUSINESS_KINDS = (
    "Trading",
    "Capital",
    "Logistics",
    "Software",
    "Foods",
    "Design",
    "Ventures",
    "Robotics",
    "Consulting",
    "Payments",
)

LABELS = (
    "vip",
    "premium",
    "beta-tester",
    "high-volume",
    "referral",
    "support-priority",
    "employee",
    "partner:acme",
)
