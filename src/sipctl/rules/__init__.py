"""The check rules: what a careful reviewer reads for once every file has parsed and
validated. `registry` holds what a rule sees and how it registers; one module per
concern holds the rules (`sezp`, `links`, `completeness`, ...); `all_rules` imports them
all and runs them. `catalogue` lists every rule id with its severity and documentation.
"""
