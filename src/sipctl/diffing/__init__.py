"""The semantic diff of plan documents: items matched by id, labels from the models.

`engine` compares two versions' data, `words` diffs long text word by word,
`labels` names a data path in the models' words, `revisions` reads file
versions from git, `versions` turns a version's text into comparable data.
"""
