"""The planning domain: the district and its schools and cycles, frameworks, deadlines,
submissions judged against them, findings and the validation that makes them.

Rules (`sipctl.rules`) and the semantic diff (`sipctl.diffing`) build on this package.
"""
