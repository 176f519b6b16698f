"""The word lists a school's names and documents are drawn from: people, places, school
levels and TLT roles, levers, data sources, services, partners, programs, handbook
sections and metrics."""

from __future__ import annotations


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = words(
    "Aaliyah Adriana Alejandro Amara Andre Angela Anthony Beatriz Brian Camila Carmen Carlos "
    "Chen Daniel Danielle Darnell Deborah Diego Elena Emily Farah Felix Grace Hannah Hector "
    "Ibrahim Imani Isabel Jamal Janelle Javier Jessica Joseph Julia Kevin Keisha Kwame Laura "
    "Leticia Linh Luis Malik Maria Marcus Maya Michael Monica Nadia Naomi Nicole Omar Patrick "
    "Priya Rafael Rebecca Rosa Samuel Sarah Shanice Sofia Tamara Thomas Tomasz Valerie Victor "
    "Wei Yasmin Yolanda Zoe"
)
LAST_NAMES = words(
    "Abernathy Acevedo Amankwah Baptiste Brosnan Castillo Chen Cruz Delgado Dubois Duarte "
    "Ferreira Fitzgerald Flores Gallagher Garcia Grant Haddad Holloway Hughes Jackson Kessler "
    "Kowalski Larkin Le Lopez Mahoney Marchetti Martinez Mendes Morales Murphy Nguyen Nowicki "
    "Obi Okafor Okonkwo Oliveira Ortiz Pereira Pham Quinn Raman Ramirez Reyes Rivera Robinson "
    "Rodriguez Santiago Sullivan Tavares Thompson Torres Tran Vargas Walsh Washington "
    "Whitcomb Williams Wright Yilmaz Zielinski"
)
PLACES = words(
    "Oak Maple Birch Cedar Elm Willow Chestnut Hickory Pine Spruce Linden Magnolia Sycamore "
    "Aspen Juniper Holly Laurel Hawthorne Poplar Alder Beech Cypress Walnut Dogwood Sumner "
    "Lincoln Washington Jefferson Adams Kennedy Franklin Douglass Tubman Brightwood Riverside "
    "Lakeview Hillcrest Glenwood Fairview Brookside Greenfield Westfield Northgate Southwick "
    "Eastover Pioneer Liberty Harbor Summit Meadow Orchard Union Central Chapel Mill Bridge "
    "Forest Kensington Milton Ashland Boland Putnam Gerena Dryden Talmadge Warner Glickman"
)
SUFFIXES = words(
    "Hill Street Avenue Park Grove Brook Ridge Heights Valley Square Commons Crossing Road "
    "Terrace Gardens Point Landing Falls Creek Meadows"
)
LEVELS: tuple[tuple[str, str, str, str, float], ...] = (
    # level, grades, name ending, slug tag, share of schools
    ("elementary", "K-5", "Elementary School", "es", 0.50),
    ("elementary", "PK-5", "Elementary School", "es", 0.08),
    ("middle", "6-8", "Middle School", "ms", 0.18),
    ("k-8", "K-8", "School", "k8", 0.09),
    ("high", "9-12", "High School", "hs", 0.15),
)
TLT_ROLES = {
    "elementary": (
        "Kindergarten teacher",
        "Grade 1 teacher",
        "Grade 2 teacher",
        "Grade 3 teacher",
        "Grade 4 teacher",
        "Grade 5 teacher",
        "ESL teacher",
        "Reading interventionist",
        "Special education teacher",
        "School adjustment counselor",
        "Art teacher",
    ),
    "secondary": (
        "ELA teacher",
        "Math teacher",
        "Science teacher",
        "Social studies teacher",
        "ESL teacher",
        "Special education teacher, inclusion",
        "Unified arts teacher (physical education)",
        "School adjustment counselor",
        "World languages teacher",
        "Career and technical education teacher",
    ),
}
LEVERS = (
    "Data-driven instruction",
    "Family engagement",
    "Attendance and family partnership",
    "Rigorous, student-centered instruction",
    "Social-emotional learning and school culture",
    "Multi-tiered systems of support",
    "Inclusive practices for students with disabilities",
    "English learner achievement",
    "Teacher collaboration and common planning",
    "Early literacy",
    "Student voice and leadership",
    "Culturally responsive teaching",
)
DATA_SOURCES = (
    "Mid-year Roadmap for Equitable Student Outcomes (January 2022)",
    "MCAS spring 2021 results",
    "i-Ready winter diagnostic (January 2022)",
    "DIBELS 8 winter screening (January 2022)",
    "School Quality Review report (November 2021)",
    "Insight educator survey (winter 2022)",
    "Family survey (winter 2022)",
    "Student survey (winter 2022)",
    "Student information system attendance reports (through February 28, 2022)",
    "Discipline referral data (September 2021 - February 2022)",
    "Fall 2021 conference sign-in sheets",
    "ACCESS for ELLs 2021 results",
    "Common formative assessments, units 1-3",
    "Grade-level team data-cycle logs",
    "Instructional walkthrough data (fall 2021)",
)
SERVICES = {
    "SV": (
        "RPS Transportation - late bus for after-school programs",
        "RPS Custodial overtime for evening family events",
        "RPS Professional Development Center - content coaching",
        "RPS Nursing - additional school nurse hours",
        "RPS Translation and interpretation services",
        "RPS Library media services",
        "RPS Food Services - supper program",
        "RPS Information Technology - device refresh",
        "RPS Security - additional monitor hours",
        "RPS Psychological services - additional evaluation days",
        "RPS Athletics - middle school sports league",
        "RPS Printing and mail services",
        "RPS Substitute pool - dedicated building substitute",
        "RPS Grant writing support",
    ),
    "ZS": (
        "Data-cycle coaching for grade-level teams",
        "Empowerment coach for the TLT",
        "Family Empowerment Council partnership",
        "Exceptional learner program review",
        "Summer school procurement support",
        "Master schedule design support",
        "New teacher induction and mentoring",
        "Culturally responsive instruction workshops",
        "Recruitment and hiring fair support",
        "Budget and staffing planning support",
        "Restorative practices training",
    ),
}
PARTNERS = (
    "Riverbend Boys & Girls Club",
    "Pioneer Valley Science Collaborative",
    "Riverbend Public Library",
    "Riverbend YMCA",
    "Western Mass Arts Alliance",
    "Connecticut River Watershed Council",
    "Springfield Technical Community College",
    "Riverbend Family Resource Center",
    "City Stage youth theater",
    "Big Brothers Big Sisters of Hampden County",
)
PROGRAMS = ("Summer Bridge", "Transition Camp", "Summer Readers", "STEM Academy")
HANDBOOK_TITLES = (
    "Mission, vision and the 2022-23 priority levers",
    "Calendar, daily schedule and working conditions",
    "Advisory and attendance procedures",
    "Data cycles and common planning time",
    "Student support and special education",
    "English learners",
    "Family communication",
    "Safety, arrival, dismissal and duties",
    "Professional expectations and evaluation",
    "Grading and progress reports",
    "Behavior expectations and restorative practices",
    "Technology and student devices",
    "Field trips and school events",
    "Substitute plans and coverage",
    "Health office and medication",
    "Budget, purchasing and supplies",
    "Curriculum maps and assessment calendar",
    "Mentoring and new staff induction",
    "Communication with the district and the Zone",
    "Emergency contacts and phone tree",
)
METRICS = (
    ("Students meeting or exceeding expectations on MCAS ELA", "percent"),
    ("Students meeting or exceeding expectations on MCAS math", "percent"),
    ("Students on or above grade level on the i-Ready reading diagnostic", "percent"),
    ("Students on or above grade level on the i-Ready math diagnostic", "percent"),
    ("K-2 students at or above benchmark on the DIBELS 8 composite", "percent"),
    (
        "Students missing 10% or more of the days they were enrolled (chronic absenteeism)",
        "percent",
    ),
    ("Families attending at least one student-led conference", "percent"),
    ("Family survey response rate", "percent"),
    ("English learners making progress on ACCESS for ELLs", "percent"),
    ("Students with one or more out-of-school suspensions", "percent"),
    ("Average daily attendance", "percent"),
    ("Students scoring 3 or higher on the common writing task", "percent"),
)
